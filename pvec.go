package extlink

// pvec is a persistent vector: a fixed three-level tree of leaves of
// leafLen elements, mids of midLen leaves, and a root of mids. Reading an
// element costs three loads, the first two of which (root and mid) are
// small enough to stay in cache. Writing copies only the path to the
// element: the root (a few hundred bytes), one mid (2 KiB) and one leaf, and
// a builder that owns a path writes it in place from then on, so that a
// batch of changes copies each path once (R28).
//
// A leaf is its elements and nothing else: which leaves a builder may write
// is recorded in their mid. A leaf of 64-byte elements (the user index's
// slots) is then exactly 4 KiB, an allocation of its own that the allocator
// places on a 4 KiB boundary, so that no slot straddles two cache lines or
// two pages, and none of the leaf's memory is padding.
//
// A pvec is a value: copying it shares the tree, and nothing reachable from
// a pvec that a directory holds is ever written again.
type pvec[T any] struct {
	root []*pmid[T]
	own  *token // the builder that owns root, or nil
	n    int    // elements
}

const (
	leafBits = 6
	leafLen  = 1 << leafBits
	midBits  = 8
	midLen   = 1 << midBits
	midSpan  = leafLen * midLen // elements under one mid
)

type pmid[T any] struct {
	own *token
	// mine marks the leaves that own copied or made, one bit each: it may
	// write them in place. It is meaningful only to the mid's owner: a
	// builder that copies the mid starts with none.
	mine   [midLen / 64]uint64
	leaves [midLen]*pleaf[T]
}

type pleaf[T any] struct {
	a [leafLen]T
}

// token marks the nodes a builder has copied and so may write in place.
// Every builder allocates its own; a node whose own is another token (or
// nil) is shared and must be copied before it is written.
type token struct{ _ byte }

// newPvec returns a vector of n zero elements, owned by tok (nil for a
// vector nothing shares yet). Each leaf and mid is an allocation of its own:
// a leaf that a later version copies is then freed with the version that
// held it, rather than kept alive by its neighbours in a shared block.
func newPvec[T any](n int, tok *token) pvec[T] {
	if n == 0 {
		return pvec[T]{}
	}
	nleaves := (n + leafLen - 1) / leafLen
	nmids := (nleaves + midLen - 1) / midLen
	v := pvec[T]{root: make([]*pmid[T], nmids), own: tok, n: n}
	for i := range v.root {
		v.root[i] = &pmid[T]{own: tok}
	}
	for i := range nleaves {
		m := v.root[i/midLen]
		m.leaves[i%midLen] = new(pleaf[T])
		m.mark(i % midLen)
	}
	return v
}

// mark records that m's owner may write leaf j in place.
func (m *pmid[T]) mark(j int) { m.mine[j/64] |= 1 << (j % 64) }

// owns reports whether m's owner may write leaf j in place.
func (m *pmid[T]) owns(j int) bool { return m.mine[j/64]&(1<<(j%64)) != 0 }

// at returns a pointer to element i, for reading. i must be in range.
func (v *pvec[T]) at(i int) *T {
	u := uint(i)
	return &v.root[u>>(leafBits+midBits)].leaves[u>>leafBits&(midLen-1)].a[u&(leafLen-1)]
}

// ptr returns a pointer to element i for writing, copying what tok does not
// own on the way: the root, the mid and the leaf. i must be in range.
func (v *pvec[T]) ptr(i int, tok *token) *T {
	m := v.root[i/midSpan]
	if v.own != tok || m.own != tok {
		m = v.writableMid(i, tok)
	}
	j := i / leafLen % midLen
	l := m.leaves[j]
	if !m.owns(j) {
		c := new(pleaf[T])
		*c = *l
		l = c
		m.leaves[j] = l
		m.mark(j)
	}
	return &l.a[i%leafLen]
}

// push appends x, as a builder holding tok.
func (v *pvec[T]) push(x T, tok *token) {
	i := v.n
	if i%midSpan == 0 {
		if v.own != tok {
			v.root = append([]*pmid[T](nil), v.root...)
			v.own = tok
		}
		v.root = append(v.root, &pmid[T]{own: tok})
	}
	if i%leafLen == 0 {
		m := v.writableMid(i, tok)
		m.leaves[i/leafLen%midLen] = new(pleaf[T])
		m.mark(i / leafLen % midLen)
	}
	v.n++
	*v.ptr(i, tok) = x
}

// writableMid returns the mid holding element i, copying it for tok (and
// the root, if need be) unless tok owns it already.
func (v *pvec[T]) writableMid(i int, tok *token) *pmid[T] {
	if v.own != tok {
		v.root = append([]*pmid[T](nil), v.root...)
		v.own = tok
	}
	m := v.root[i/midSpan]
	if m.own == tok {
		return m
	}
	c := &pmid[T]{own: tok, leaves: m.leaves}
	v.root[i/midSpan] = c
	return c
}
