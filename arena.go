package extlink

import "sync/atomic"

// arena holds the directory's link spans: chunks of node numbers that are
// never written again once a span is placed, so that the spans of every
// version of a directory stay valid. A user's urec names its span by spanChunk
// and offset, which keeps the index free of pointers. Chunks hold no
// pointers either, so the collector never scans them.
//
// Builders claim room at a spanChunk's end with an atomic counter, so that two
// builders working from one directory never write the same place; a
// builder that finds the last spanChunk full starts a new one.
type arena struct {
	chunks []*spanChunk
	own    *token // the builder that owns the chunks slice, or nil
}

type spanChunk struct {
	data []int32
	used atomic.Int64 // entries claimed
	// next is the chunk that builders move on to when this one is full,
	// shared by every builder that works from a directory ending here, so
	// that a service making many versions from one directory fills one
	// chunk after another rather than starting one each.
	next atomic.Pointer[spanChunk]
}

// maxHops is how many full chunks put walks past before it starts one of
// its own.
const maxHops = 2

// minSpanChunk and maxSpanChunk bound the size of a new chunk, in entries,
// unless a span needs more: an eighth of the directory's links, within them.
const (
	minSpanChunk = 1 << 10
	maxSpanChunk = 1 << 16
)

// get returns u's links, node numbers in ID order. Callers must not change
// the slice.
func (a *arena) get(u *urec) []int32 {
	if u.deg == 0 {
		return nil
	}
	return a.chunks[u.chunk].data[u.off : u.off+uint32(u.deg) : u.off+uint32(u.deg)]
}

// put copies s into the arena as a builder holding tok and points u at it.
// links is the number of link ends in the directory, to size a new chunk.
func (a *arena) put(u *urec, s []int32, links int, tok *token) {
	u.deg, u.chunk, u.off = int32(len(s)), 0, 0
	u.filt = linkFilter(s)
	if len(s) == 0 {
		return
	}
	size := max(len(s), min(max(links/8, minSpanChunk), maxSpanChunk))
	var c *spanChunk
	if n := len(a.chunks); n > 0 {
		c = a.chunks[n-1]
	} else {
		c = &spanChunk{data: make([]int32, size)}
		a.add(c, tok)
	}
	for hops := 0; ; hops++ {
		if off, ok := c.claim(len(s)); ok {
			copy(c.data[off:], s)
			u.chunk, u.off = uint32(len(a.chunks)-1), uint32(off)
			return
		}
		next := c.next.Load()
		switch {
		case hops == maxHops:
			// Many versions were made from this directory and filled the
			// chunks after it: start one of this version's own rather than
			// walk (and list) theirs. It is small: most such versions are
			// siblings that each change a few spans (what-ifs, one change
			// after another to one directory), and a full-size chunk each
			// (256 KiB at a million users) would cost them more than their
			// change; a version that goes on changing fills it and moves on
			// to a shared full-size chunk after it.
			next = &spanChunk{data: make([]int32, max(len(s), minSpanChunk))}
		case next == nil:
			n := &spanChunk{data: make([]int32, size)}
			if !c.next.CompareAndSwap(nil, n) {
				n = c.next.Load()
			}
			next = n
		}
		c = next
		a.add(c, tok)
	}
}

// claim reserves n entries at the end of c, if they fit, and returns where.
func (c *spanChunk) claim(n int) (int, bool) {
	for {
		used := c.used.Load()
		if int(used)+n > len(c.data) {
			return 0, false
		}
		if c.used.CompareAndSwap(used, used+int64(n)) {
			return int(used), true
		}
	}
}

// add appends c to a's chunks as a builder holding tok.
func (a *arena) add(c *spanChunk, tok *token) {
	if a.own != tok {
		a.chunks = append(make([]*spanChunk, 0, len(a.chunks)+1), a.chunks...)
		a.own = tok
	}
	a.chunks = append(a.chunks, c)
}

// linkMask returns the filter bits of node n: two of 64, from a
// multiplicative hash of the node number.
func linkMask(n int32) uint64 {
	h := uint64(uint32(n)) * 0x9e3779b97f4a7c15
	return 1<<(h>>58) | 1<<(h>>52&63)
}

// linkFilter returns the filter of a span: the union of its nodes' masks.
func linkFilter(s []int32) uint64 {
	var f uint64
	for _, n := range s {
		f |= linkMask(n)
	}
	return f
}

// mayLink reports whether u's filter admits a link with node n: false means
// certainly not linked.
func mayLink(u *urec, n int32) bool {
	m := linkMask(n)
	return u.filt&m == m
}
