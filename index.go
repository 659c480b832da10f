package extlink

import (
	"hash/maphash"
	"math/bits"
)

// userIndex maps user IDs to their recs: an open-addressing hash table with
// linear probing whose 64-byte slots hold the rec itself and, for IDs up to
// inlineKey bytes, the ID too. A lookup then touches one cache line: the
// decision needs no second memory access to find a user, unlike a Go map
// (control word, slot, key bytes, then the value's target).
type userIndex struct {
	seed  maphash.Seed
	slots []slot // a power of two in length, at most 3/4 full
	mask  uint64
	ids   []User // the directory's users, to compare IDs too long to inline
}

// inlineKey is how many bytes of an ID a slot holds; longer IDs are compared
// through the directory's users.
const inlineKey = 19

type slot struct {
	r    rec    // 40 bytes
	tag  uint32 // the hash's high half, with the low bit set: 0 means empty
	klen uint8  // the ID's length if it fits, else 0xff
	key  [inlineKey]byte
}

func newUserIndex(recs []rec, users []User) userIndex {
	n := uint(len(recs))*4/3 + 1
	size := uint64(1) << bits.Len(n) // at least 4/3 of the users, a power of two
	x := userIndex{seed: maphash.MakeSeed(), slots: make([]slot, size), mask: size - 1, ids: users}
	for i := range recs {
		id := users[i].ID
		h := maphash.String(x.seed, string(id))
		p := h & x.mask
		for x.slots[p].tag != 0 {
			p = (p + 1) & x.mask
		}
		s := &x.slots[p]
		s.r, s.tag = recs[i], uint32(h>>32)|1
		if len(id) <= inlineKey {
			s.klen = uint8(len(id))
			copy(s.key[:], id)
		} else {
			s.klen = 0xff
		}
	}
	return x
}

// find returns the rec of the user with the given ID, or nil. The rec lives
// in the index: callers must not change it.
func (x *userIndex) find(id UserID) *rec {
	if len(x.slots) == 0 {
		return nil
	}
	h := maphash.String(x.seed, string(id))
	tag := uint32(h>>32) | 1
	for p := h & x.mask; ; p = (p + 1) & x.mask {
		s := &x.slots[p]
		switch {
		case s.tag == 0:
			return nil
		case s.tag != tag:
			continue
		case s.klen == 0xff:
			if len(id) > inlineKey && x.ids[s.r.idx].ID == id {
				return &s.r
			}
		case int(s.klen) == len(id):
			if string(s.key[:s.klen]) == string(id) {
				return &s.r
			}
		}
	}
}

// findAll sets out[j] to find(ids[j]) for at most findBatch IDs. It
// hashes every ID and loads every ID's first slot before comparing any key:
// the loads do not depend on one another, so that their cache misses
// overlap instead of following one another. On a directory far larger than
// the caches it is several times faster than calling find in turn.
func (x *userIndex) findAll(ids []UserID, out []*rec) {
	if len(x.slots) == 0 {
		clear(out)
		return
	}
	var hs [findBatch]uint64
	var hit [findBatch]bool // the first slot's tag matches
	for j, id := range ids {
		hs[j] = maphash.String(x.seed, string(id))
	}
	for j, h := range hs[:len(ids)] {
		hit[j] = x.slots[h&x.mask].tag == uint32(h>>32)|1
	}
	for j, id := range ids {
		if s := &x.slots[hs[j]&x.mask]; hit[j] && s.klen <= inlineKey && int(s.klen) == len(id) && string(s.key[:s.klen]) == string(id) {
			out[j] = &s.r
		} else {
			out[j] = x.find(id) // rarer: a long ID, or not in its first slot
		}
	}
}

// findBatch is the most IDs findAll takes.
const findBatch = 256

// setLinks copies each user's link span, adj and deg, from recs into the
// index's copy of their rec.
func (x *userIndex) setLinks(recs []rec) {
	for p := range x.slots {
		if s := &x.slots[p]; s.tag != 0 {
			s.r.adj, s.r.deg = recs[s.r.idx].adj, recs[s.r.idx].deg
		}
	}
}
