package extlink

import (
	"hash/maphash"
	"math/bits"
)

// userIndex maps user IDs to their recs: an open-addressing hash table with
// linear probing whose 64-byte slots hold the rec itself and, for IDs up to
// inlineKey bytes, the ID too. A lookup then touches one cache line of the
// table: the decision needs no second memory access to find a user, unlike
// a Go map (control word, slot, key bytes, then the value's target). The
// slots live in a persistent vector, so that a change copies the few slots'
// leaves it writes (R28); deletion shifts later slots back, leaving no
// tombstones.
type userIndex struct {
	seed  maphash.Seed
	slots pvec[slot] // a power of two in length, at most 3/4 full
	mask  uint64
	count int
}

// inlineKey is how many bytes of an ID a slot holds; longer IDs are compared
// through the directory's users.
const inlineKey = 27

// slot is one entry of the index: 64 bytes, one cache line, no pointers.
type slot struct {
	r    urec   // 32 bytes
	tag  uint32 // the hash's high half, with the low bit set: 0 means empty
	klen uint8  // the ID's length if it fits, else 0xff
	key  [inlineKey]byte
}

// newUserIndex returns an empty index with room for n users, owned by tok.
func newUserIndex(n int, tok *token) userIndex {
	size := uint64(1) << bits.Len(uint(n)*4/3+1) // at least 4/3 of the users, a power of two
	return userIndex{seed: maphash.MakeSeed(), slots: newPvec[slot](int(size), tok), mask: size - 1}
}

// fill sets s to hold r under id.
func (s *slot) fill(id UserID, r urec, h uint64) {
	s.r, s.tag = r, uint32(h>>32)|1
	if len(id) <= inlineKey {
		s.klen = uint8(len(id))
		copy(s.key[:], id)
		clear(s.key[len(id):])
	} else {
		s.klen = 0xff
		clear(s.key[:])
	}
}

// hash returns id's hash.
func (x *userIndex) hash(id UserID) uint64 { return maphash.String(x.seed, string(id)) }

// find returns the urec of the user with the given ID, or nil. It lives in
// the index: callers must not change it, and resolve it (Directory.resolve)
// before deciding on it.
func (d *Directory) find(id UserID) *urec {
	p, ok := d.probe(id)
	if !ok {
		return nil
	}
	return &d.index.slots.at(int(p)).r
}

// probe returns the position of id's slot, or false.
func (d *Directory) probe(id UserID) (uint64, bool) {
	if d.index.count == 0 {
		return 0, false
	}
	return d.probeHash(id, d.index.hash(id))
}

// probeHash is probe for an ID whose hash h is known.
func (d *Directory) probeHash(id UserID, h uint64) (uint64, bool) {
	x := &d.index
	tag := uint32(h>>32) | 1
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := x.slots.at(int(p))
		switch {
		case s.tag == 0:
			return 0, false
		case s.tag != tag:
			continue
		case s.klen == 0xff:
			if len(id) > inlineKey && d.users.at(int(s.r.idx)).ID == id {
				return p, true
			}
		case int(s.klen) == len(id):
			if string(s.key[:s.klen]) == string(id) {
				return p, true
			}
		}
	}
}

// findAll sets out[j] to find(ids[j]) for at most findBatch IDs. It
// hashes every ID and loads every ID's first slot before comparing any key:
// the loads do not depend on one another, so that their cache misses
// overlap instead of following one another. On a directory far larger than
// the caches it is several times faster than calling find in turn.
func (d *Directory) findAll(ids []UserID, out []*urec) {
	x := &d.index
	if x.count == 0 {
		clear(out)
		return
	}
	var hs [findBatch]uint64
	var hit [findBatch]bool // the first slot's tag matches
	for j, id := range ids {
		hs[j] = x.hash(id)
	}
	for j, h := range hs[:len(ids)] {
		hit[j] = x.slots.at(int(h&x.mask)).tag == uint32(h>>32)|1
	}
	for j, id := range ids {
		if s := x.slots.at(int(hs[j] & x.mask)); hit[j] && s.klen <= inlineKey && int(s.klen) == len(id) && string(s.key[:s.klen]) == string(id) {
			out[j] = &s.r
		} else {
			out[j] = d.find(id) // rarer: a long ID, or not in its first slot
		}
	}
}

// findBatch is the most IDs findAll takes.
const findBatch = 256

// place puts r under id, which is not in the index, as a builder holding
// tok; the caller has made room (grow).
func (x *userIndex) place(id UserID, r urec, tok *token) {
	h := x.hash(id)
	p := h & x.mask
	for x.slots.at(int(p)).tag != 0 {
		p = (p + 1) & x.mask
	}
	x.slots.ptr(int(p), tok).fill(id, r, h)
	x.count++
}

// grow makes room for one more user, rebuilding the table at twice the size
// when it would be more than 3/4 full. id returns a urec's user ID.
func (x *userIndex) grow(tok *token, id func(r *urec) UserID) {
	if uint64(x.count+1) <= (x.mask+1)/4*3 {
		return
	}
	old := x.slots
	*x = newUserIndex(2*(x.count+1), tok)
	for p := range old.n {
		if s := old.at(p); s.tag != 0 {
			x.place(id(&s.r), s.r, tok)
		}
	}
}

// remove deletes the slot at p, shifting back the slots after it that
// probed past it, as a builder holding tok. id returns a urec's user ID.
func (x *userIndex) remove(p uint64, tok *token, id func(r *urec) UserID) {
	for q := (p + 1) & x.mask; ; q = (q + 1) & x.mask {
		s := x.slots.at(int(q))
		if s.tag == 0 {
			break
		}
		home := x.hash(id(&s.r)) & x.mask
		// s may move to p if its home is not cyclically within (p, q].
		if (q > p && (home <= p || home > q)) || (q < p && home <= p && home > q) {
			*x.slots.ptr(int(p), tok) = *s
			p = q
		}
	}
	*x.slots.ptr(int(p), tok) = slot{}
	x.count--
}

// find2 returns the urecs of two users, or nil for an unknown one. It
// hashes both IDs and loads both first slots before comparing either, so
// that the two cache misses of a decision on a large directory overlap.
func (d *Directory) find2(a, b UserID) (*urec, *urec) {
	x := &d.index
	if x.count == 0 {
		return nil, nil
	}
	ha, hb := x.hash(a), x.hash(b)
	sa, sb := x.slots.at(int(ha&x.mask)), x.slots.at(int(hb&x.mask))
	ta, tb := sa.tag, sb.tag // both loads issued before either is compared
	var ra, rb *urec
	if ta == uint32(ha>>32)|1 && sa.klen <= inlineKey && int(sa.klen) == len(a) && string(sa.key[:sa.klen]) == string(a) {
		ra = &sa.r
	} else if p, ok := d.probeHash(a, ha); ok {
		ra = &x.slots.at(int(p)).r
	}
	if tb == uint32(hb>>32)|1 && sb.klen <= inlineKey && int(sb.klen) == len(b) && string(sb.key[:sb.klen]) == string(b) {
		rb = &sb.r
	} else if p, ok := d.probeHash(b, hb); ok {
		rb = &x.slots.at(int(p)).r
	}
	return ra, rb
}
