package extlink

// pvec is a persistent vector: a fixed three-level tree of leaves of
// leafLen elements, mids of midLen leaves, and a root of mids. Reading an
// element costs three loads, the first two of which (root and mid) are
// small enough to stay in cache. Writing copies only the path to the
// element: the root (a few hundred bytes), one mid (2 KiB) and one leaf, and
// a builder that owns a path writes it in place from then on, so that a
// batch of changes copies each path once (R28). Directories built by
// [NewDirectory] allocate their leaves in one block.
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
	own    *token
	leaves [midLen]*pleaf[T]
}

type pleaf[T any] struct {
	own *token
	a   [leafLen]T
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
		v.root[i/midLen].leaves[i%midLen] = &pleaf[T]{own: tok}
	}
	return v
}

// at returns a pointer to element i, for reading. i must be in range.
func (v *pvec[T]) at(i int) *T {
	u := uint(i)
	return &v.root[u>>(leafBits+midBits)].leaves[u>>leafBits&(midLen-1)].a[u&(leafLen-1)]
}

// ptr returns a pointer to element i for writing, copying what tok does not
// own on the way: the root, the mid and the leaf. i must be in range.
func (v *pvec[T]) ptr(i int, tok *token) *T {
	if v.own != tok {
		v.root = append([]*pmid[T](nil), v.root...)
		v.own = tok
	}
	m := v.root[i/midSpan]
	if m.own != tok {
		c := *m
		c.own = tok
		m = &c
		v.root[i/midSpan] = m
	}
	l := m.leaves[i/leafLen%midLen]
	if l.own != tok {
		c := *l
		c.own = tok
		l = &c
		m.leaves[i/leafLen%midLen] = l
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
		m := v.root[i/midSpan]
		if m.own != tok {
			m = v.writableMid(i, tok)
		}
		m.leaves[i/leafLen%midLen] = &pleaf[T]{own: tok}
	}
	v.n++
	*v.ptr(i, tok) = x
}

// writableMid copies the mid holding element i for tok, and the root if
// need be, and returns it.
func (v *pvec[T]) writableMid(i int, tok *token) *pmid[T] {
	if v.own != tok {
		v.root = append([]*pmid[T](nil), v.root...)
		v.own = tok
	}
	c := *v.root[i/midSpan]
	c.own = tok
	v.root[i/midSpan] = &c
	return &c
}
