package extlink

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
	rec(n int32) rec
	// less orders nodes by user ID.
	less(a, b int32) bool
	// linkedNodes reports whether two nodes are linked.
	linkedNodes(a, b int32) bool
	// links returns the nodes n is linked with, in increasing ID order.
	// Callers must not change the slice.
	links(n int32) []int32
	// members returns the nodes of n's tenant, n included, in increasing ID
	// order; none for a LINE user. Callers must not change the slice.
	members(n int32) []int32
}

// graphOf returns s as a graph.
func graphOf(s Store) graph {
	if d, ok := s.(*Directory); ok {
		if d == nil {
			return &Directory{}
		}
		return d
	}
	return &storeGraph{s: s, num: map[UserID]int32{}, tnum: map[TenantID]int32{},
		lcache: map[int32][]int32{}, mcache: map[int32][]int32{}}
}

func (d *Directory) node(id UserID) (int32, bool) {
	if r := d.find(id); r != nil {
		return r.idx, true
	}
	return 0, false
}

func (d *Directory) id(n int32) UserID { return d.users.at(int(n)).ID }
func (d *Directory) rec(n int32) rec   { return d.resolve(d.recs.at(int(n))) }

// less orders nodes by ID: by number when numbers are in ID order.
func (d *Directory) less(a, b int32) bool {
	if d.ordered {
		return a < b
	}
	return d.users.at(int(a)).ID < d.users.at(int(b)).ID
}

func (d *Directory) linkedNodes(a, b int32) bool {
	return d.linked(d.recs.at(int(a)), d.recs.at(int(b)))
}

func (d *Directory) links(n int32) []int32 { return d.spans.get(d.recs.at(int(n))) }

func (d *Directory) members(n int32) []int32 {
	t := d.recs.at(int(n)).tidx
	if t < 0 {
		return nil
	}
	return d.tens.at(int(t)).members
}

// storeGraph numbers a generic Store's users as they are reached.
type storeGraph struct {
	s      Store
	num    map[UserID]int32
	tnum   map[TenantID]int32 // tenants numbered as reached, for recs' tidx
	ids    []UserID
	recs   []*rec
	lcache map[int32][]int32 // links, by node
	mcache map[int32][]int32 // members, by tenant
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

func (g *storeGraph) rec(n int32) rec             { return *g.recs[n] }
func (g *storeGraph) less(a, b int32) bool        { return g.ids[a] < g.ids[b] }
func (g *storeGraph) linkedNodes(a, b int32) bool { return g.s.Linked(g.ids[a], g.ids[b]) }

func (g *storeGraph) links(n int32) []int32 {
	if l, ok := g.lcache[n]; ok {
		return l
	}
	l := []int32{}
	for id := range g.s.Links(g.ids[n]) {
		if m, ok := g.node(id); ok {
			l = append(l, m)
		}
	}
	g.lcache[n] = l
	return l
}

func (g *storeGraph) members(n int32) []int32 {
	r := g.recs[n]
	if r.kind != WorksUser {
		return nil
	}
	if l, ok := g.mcache[r.tidx]; ok {
		return l
	}
	l := []int32{}
	for id := range g.s.Members(r.tenant) {
		if m, ok := g.node(id); ok {
			l = append(l, m)
		}
	}
	g.mcache[r.tidx] = l
	return l
}
