package extlink

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// member is one person in a room or group.
type member struct {
	id    UserID
	stamp uint64 // when they joined: stamps increase in join order, gaps allowed
}

// The sizes of a roster's chunks: building fills them to fullChunk; an
// insertion splits a chunk beyond maxChunk, and a removal merges one below
// minChunk into a neighbour when the two fit in one.
const (
	maxChunk  = 32
	fullChunk = 24
	minChunk  = 8
)

// chunk is a run of a roster's members, sorted by ID; never empty.
type chunk []member

// roster is a room's or group's members, sorted by ID and held in chunks of
// at most maxChunk members. A roster and its chunks are never changed once
// built: a change copies the list of chunks and the one chunk it touches
// (two, to merge) and shares the others, so that the values sharing them
// stay immutable and a change costs O(n/maxChunk + maxChunk) time for n
// members and two allocations, instead of a copy of every member. (Copying
// a 500-member group whole took 5 to 10 µs a change on the benchmark
// machine, mostly in allocating and then collecting 12 KB; in chunks, about
// 1 KB and 1 to 1.5 µs: see BENCHMARKS.md.)
//
// Members record when they joined as a stamp, not as a rank, so that a
// removal need not renumber the members who joined later; the join order is
// the stamps' order.
type roster struct {
	chunks []chunk
	n      int    // members
	next   uint64 // the stamp of the next member to join
}

// pos is a member's place in a roster: chunks[c][i].
type pos struct{ c, i int }

func byID(m member, id UserID) int { return cmp.Compare(m.id, id) }

// find returns the place of id, or where it would be inserted, and whether
// it is there. It is O(log n).
func (r roster) find(id UserID) (pos, bool) {
	c, _ := slices.BinarySearchFunc(r.chunks, id, func(ch chunk, id UserID) int {
		return cmp.Compare(ch[len(ch)-1].id, id)
	})
	if c == len(r.chunks) {
		if c == 0 {
			return pos{}, false
		}
		return pos{c - 1, len(r.chunks[c-1])}, false // after the last member
	}
	i, ok := slices.BinarySearchFunc(r.chunks[c], id, byID)
	return pos{c, i}, ok
}

func (r roster) has(id UserID) bool {
	_, ok := r.find(id)
	return ok
}

// at returns the member at p, which must be a member's place.
func (r roster) at(p pos) member { return r.chunks[p.c][p.i] }

// all yields the members in ID order.
func (r roster) all() iter.Seq[member] {
	return func(yield func(member) bool) {
		for _, ch := range r.chunks {
			for _, m := range ch {
				if !yield(m) {
					return
				}
			}
		}
	}
}

// list returns the members in ID order, as a new slice.
func (r roster) list() []member {
	out := make([]member, 0, r.n)
	for _, ch := range r.chunks {
		out = append(out, ch...)
	}
	return out
}

// newRoster builds a roster from IDs in join order. It fails on a repeated
// ID.
func newRoster(ids []UserID) (roster, error) {
	ms := make([]member, len(ids))
	for i, id := range ids {
		ms[i] = member{id: id, stamp: uint64(i)}
	}
	slices.SortFunc(ms, func(a, b member) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(ms); i++ {
		if ms[i].id == ms[i-1].id {
			return roster{}, fmt.Errorf("extlink: %w", errInvalidf("%s is named twice", ms[i].id))
		}
	}
	return chunked(ms, uint64(len(ids))), nil
}

// chunked returns the roster of ms, sorted by ID with distinct IDs and
// stamps below next, in chunks of fullChunk members that share ms, which
// the caller must not change afterwards.
func chunked(ms []member, next uint64) roster {
	r := roster{chunks: make([]chunk, 0, (len(ms)+fullChunk-1)/fullChunk), n: len(ms), next: next}
	for len(ms) > 0 {
		k := min(len(ms), fullChunk)
		r.chunks = append(r.chunks, chunk(ms[:k:k]))
		ms = ms[k:]
	}
	return r
}

// replace returns a copy of r's chunk list with chunks[c:c+drop] replaced
// by add.
func (r roster) replace(c, drop int, add ...chunk) []chunk {
	out := make([]chunk, 0, len(r.chunks)-drop+len(add))
	out = append(out, r.chunks[:c]...)
	out = append(out, add...)
	return append(out, r.chunks[c+drop:]...)
}

// with returns r with id inserted at p (from find), last in join order.
func (r roster) with(p pos, id UserID) roster {
	m := member{id: id, stamp: r.next}
	if len(r.chunks) == 0 {
		return roster{chunks: []chunk{{m}}, n: 1, next: r.next + 1}
	}
	old := r.chunks[p.c]
	ch := make(chunk, len(old)+1)
	copy(ch, old[:p.i])
	ch[p.i] = m
	copy(ch[p.i+1:], old[p.i:])
	n := roster{n: r.n + 1, next: r.next + 1}
	if len(ch) <= maxChunk {
		n.chunks = r.replace(p.c, 1, ch)
	} else {
		h := len(ch) / 2
		n.chunks = r.replace(p.c, 1, ch[:h:h], ch[h:])
	}
	return n
}

// without returns r without the member at p; the others keep their stamps.
func (r roster) without(p pos) roster {
	old := r.chunks[p.c]
	n := roster{n: r.n - 1, next: r.next}
	if len(old) == 1 {
		n.chunks = r.replace(p.c, 1)
		return n
	}
	// Merge a small chunk with its smaller neighbour when they fit in one.
	c, drop := p.c, 1
	var left, right chunk
	if len(old)-1 < minChunk {
		prev, next := maxChunk, maxChunk
		if p.c > 0 {
			prev = len(r.chunks[p.c-1])
		}
		if p.c+1 < len(r.chunks) {
			next = len(r.chunks[p.c+1])
		}
		switch {
		case prev <= next && len(old)-1+prev <= maxChunk:
			c, drop, left = p.c-1, 2, r.chunks[p.c-1]
		case next < prev && len(old)-1+next <= maxChunk:
			drop, right = 2, r.chunks[p.c+1]
		}
	}
	ch := make(chunk, 0, len(left)+len(old)-1+len(right))
	ch = append(ch, left...)
	ch = append(ch, old[:p.i]...)
	ch = append(ch, old[p.i+1:]...)
	ch = append(ch, right...)
	n.chunks = r.replace(c, drop, ch)
	return n
}

func (r roster) ids() []UserID {
	out := make([]UserID, 0, r.n)
	for m := range r.all() {
		out = append(out, m.id)
	}
	return out
}

// joinOrder returns the members' IDs in join order. It is O(n log n).
func (r roster) joinOrder() []UserID {
	ms := r.list()
	slices.SortFunc(ms, func(a, b member) int { return cmp.Compare(a.stamp, b.stamp) })
	out := make([]UserID, len(ms))
	for i, m := range ms {
		out[i] = m.id
	}
	return out
}

// equal reports whether r and o have the same members, joined in the same
// order.
func (r roster) equal(o roster) bool {
	if r.n != o.n {
		return false
	}
	a, b := r.list(), o.list()
	sameStamps := true
	for i := range a {
		if a[i].id != b[i].id {
			return false
		}
		sameStamps = sameStamps && a[i].stamp == b[i].stamp
	}
	return sameStamps || slices.Equal(r.joinOrder(), o.joinOrder())
}

// idSet is a sorted set of user IDs, never changed once built: the masters of
// a group. Its changes return new sets.
type idSet []UserID

func (s idSet) has(id UserID) bool {
	_, ok := slices.BinarySearch(s, id)
	return ok
}

// with returns s with id added; id must not be in s.
func (s idSet) with(id UserID) idSet {
	i, _ := slices.BinarySearch(s, id)
	return slices.Insert(slices.Clip(s), i, id)
}

// without returns s without id, which must be in s.
func (s idSet) without(id UserID) idSet {
	i, _ := slices.BinarySearch(s, id)
	n := make(idSet, 0, len(s)-1)
	return append(append(n, s[:i]...), s[i+1:]...)
}

func joinIDs(r roster, masters idSet) string {
	var b strings.Builder
	sep := ""
	for m := range r.all() {
		b.WriteString(sep)
		sep = " "
		b.WriteString(string(m.id))
		if masters.has(m.id) {
			b.WriteByte('*')
		}
	}
	return b.String()
}
