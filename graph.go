package extlink

import "iter"

// graph is the planner's view of a Store: users as dense node numbers, with
// their recs, links and tenants' members. A *Directory is one already; other
// stores are numbered lazily as the planner reaches their users, so a plan
// costs lookups proportional to the part of the store it explores.
type graph interface {
	// node returns the node of a user ID.
	node(id UserID) (int32, bool)
	// id returns a node's user ID.
	id(n int32) UserID
	// rec returns a node's rec; callers must not change it. Every user of a
	// tenant has the same tidx, and no other user has it.
	rec(n int32) *rec
	// less orders nodes by user ID.
	less(a, b int32) bool
	// links yields the nodes n is linked with, in increasing ID order.
	links(n int32) iter.Seq[int32]
	// members yields the nodes of n's tenant, n included, in increasing ID
	// order; nothing for a LINE user.
	members(n int32) iter.Seq[int32]
}

// graphOf returns s as a graph.
func graphOf(s Store) graph {
	if d, ok := s.(*Directory); ok {
		if d == nil {
			return &Directory{}
		}
		return d
	}
	return &storeGraph{s: s, num: map[UserID]int32{}, tnum: map[TenantID]int32{}}
}

func (d *Directory) node(id UserID) (int32, bool) {
	if r := d.index.find(id); r != nil {
		return r.idx, true
	}
	return 0, false
}

func (d *Directory) id(n int32) UserID    { return d.users[n].ID }
func (d *Directory) rec(n int32) *rec     { return &d.recs[n] }
func (d *Directory) less(a, b int32) bool { return a < b } // users are sorted by ID

func (d *Directory) links(n int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, j := range d.span(&d.recs[n]) {
			if !yield(j) {
				return
			}
		}
	}
}

func (d *Directory) members(n int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		t := d.recs[n].tidx
		if t < 0 {
			return
		}
		for _, k := range d.mem[d.memOff[t]:d.memOff[t+1]] {
			if !yield(k) {
				return
			}
		}
	}
}

// storeGraph numbers a generic Store's users as they are reached.
type storeGraph struct {
	s    Store
	num  map[UserID]int32
	tnum map[TenantID]int32 // tenants numbered as reached, for recs' tidx
	ids  []UserID
	recs []*rec
}

func (g *storeGraph) node(id UserID) (int32, bool) {
	if n, ok := g.num[id]; ok {
		return n, true
	}
	r, ok := lookup(g.s, id)
	if !ok {
		return 0, false
	}
	if r.kind == WorksUser {
		t, ok := g.tnum[r.tenant]
		if !ok {
			t = int32(len(g.tnum))
			g.tnum[r.tenant] = t
		}
		r.tidx = t
	}
	n := int32(len(g.ids))
	g.num[id] = n
	g.ids = append(g.ids, id)
	g.recs = append(g.recs, &r)
	return n, true
}

func (g *storeGraph) id(n int32) UserID { return g.ids[n] }

func (g *storeGraph) rec(n int32) *rec     { return g.recs[n] }
func (g *storeGraph) less(a, b int32) bool { return g.ids[a] < g.ids[b] }

func (g *storeGraph) links(n int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for id := range g.s.Links(g.ids[n]) {
			if m, ok := g.node(id); ok && !yield(m) {
				return
			}
		}
	}
}

func (g *storeGraph) members(n int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		if g.recs[n].kind != WorksUser {
			return
		}
		for id := range g.s.Members(g.recs[n].tenant) {
			if m, ok := g.node(id); ok && !yield(m) {
				return
			}
		}
	}
}
