package extlink

import "slices"

// The staged search behind PlanGroup.
//
// By the cost model (plan.go), a tree that uses a node at hop distance a
// from me on its way down to me costs at least 3a+2, and one that uses a node
// at distance b from target costs at least 3b+1. So every tree costing at
// most 3R is found from the distances up to R-1 on both sides, and its root
// lies next to a node at distance at most R-2, next to a node whose
// both-terminal subtree is cheap, or among a few creators of a tenant met on
// the way. Stage R grows both searches by one hop and evaluates those roots.
// Since every tree cheaper than 3R+1 has then been seen, the search stops at
// the first stage whose best tree costs at most 3R+1, or when both searches
// have run out of graph. Besides, once the sides meet, the hops between me
// and target are known, and no tree costs less than 3 a hop less 2: a tree
// that costs that, rooted where the sides meet, stops the search there (a
// chain of creators of length L so costs L/2 levels of growth a side).
//
// A search labels users explicitly when reached by a link, but a tenant
// entered at level k labels its members implicitly at k+1: nobody lists a
// tenant's members until something must be done with each of them (expand
// their links one level further, seed them as centres). And a creator met
// through a link collects the nodes it was met from: those are the only
// children of another tenant a root can use under the bound, so evaluating a
// root costs what finding it did. A stage so costs about the links of the
// nodes it expands, not the size of their tenants nor the links of the roots.

// side is one of the two searches: from me (not expanding through target),
// or from target (not expanding through me).
type side struct {
	src, block  int32
	levels      map[int32]int32   // explicit levels
	tenantLevel map[int32]int32   // tenant levels, by tidx: members are one hop further
	tenantRep   map[int32]int32   // a member of each entered tenant
	tenants     []int32           // entered tenants, in order
	depth       int32             // every node at level <= depth is labelled
	cur         []int32           // explicit nodes at level depth, not yet expanded
	curTenants  []int32           // tenants whose members are at level depth, not yet expanded
	done        bool              // no node is left to reach
	roots       []rootLink        // creators linked to expanded nodes, with those nodes
	byTenant    map[int32][]int32 // explicitly labelled nodes, by tenant
	hint        map[int32]int32   // levels beyond depth that meetTenants proved: one more than a neighbour's
}

func newSide(s *search, src, block int32) *side {
	sd := &side{
		src: src, block: block,
		levels: map[int32]int32{src: 0}, tenantLevel: map[int32]int32{}, tenantRep: map[int32]int32{},
		cur: []int32{src}, byTenant: map[int32][]int32{},
	}
	if r := s.g.rec(src); r.kind == WorksUser {
		sd.byTenant[r.tidx] = []int32{src}
	}
	return sd
}

// label records u at an explicit level.
func (sd *side) label(s *search, u, l int32) {
	if _, ok := sd.levels[u]; !ok {
		if r := s.g.rec(u); r.kind == WorksUser {
			sd.byTenant[r.tidx] = append(sd.byTenant[r.tidx], u)
		}
	}
	sd.levels[u] = l
}

// levelOf returns v's level, if labelled, or if meetTenants found it one hop
// beyond a labelled node while v itself is not labelled yet (then that is
// its level: every node nearer is labelled).
func (sd *side) levelOf(s *search, v int32) (int32, bool) {
	l, ok := sd.labelledLevel(s, v)
	if !ok && sd.hint != nil {
		if h, in := sd.hint[v]; in && h == sd.depth+1 {
			return h, true
		}
	}
	return l, ok
}

// labelledLevel returns v's level, if labelled.
func (sd *side) labelledLevel(s *search, v int32) (int32, bool) {
	l, ok := sd.levels[v]
	if r := s.g.rec(v); inExternal(r) {
		if t, in := sd.tenantLevel[r.tidx]; in && (!ok || t+1 < l) {
			return t + 1, true
		}
	}
	return l, ok
}

// hintAt records that v is next to a node at level l, the side's depth:
// unless v is labelled, its level is l+1.
func (sd *side) hintAt(s *search, v, l int32) {
	if l != sd.depth || v == sd.block {
		return
	}
	if _, ok := sd.labelledLevel(s, v); ok {
		return
	}
	if sd.hint == nil {
		sd.hint = map[int32]int32{}
	}
	sd.hint[v] = l + 1
}

// meets reports whether a node or tenant sd labelled at its last level is
// labelled by other too: the sides have met. It costs sd's last level.
func (sd *side) meets(s *search, other *side) bool {
	for _, v := range sd.cur {
		if _, ok := other.levelOf(s, v); ok {
			return true
		}
	}
	for _, t := range sd.curTenants {
		if _, ok := other.tenantLevel[t]; ok {
			return true
		}
	}
	return false
}

// frontier is the number of users the side's next level expands at most.
func (sd *side) frontier(s *search) int {
	n := len(sd.cur)
	for _, t := range sd.curTenants {
		n += len(s.g.members(sd.tenantRep[t]))
	}
	return n
}

// grow labels every node up to level to.
func (sd *side) grow(s *search, to int32) {
	for sd.depth < to && !sd.done {
		k := sd.depth
		var nextEx, nextT []int32
		expand := func(v int32) {
			if v == sd.block {
				return
			}
			for _, u := range s.g.links(v) {
				if s.cx.stop() {
					return
				}
				ru := s.g.rec(u)
				if !inExternal(ru) {
					continue
				}
				// labelledLevel and label, with u's rec at hand.
				l, explicit := sd.levels[u]
				ok := explicit
				if t, in := sd.tenantLevel[ru.tidx]; in && (!ok || t+1 < l) {
					l, ok = t+1, true
				}
				if !ok || l > k+1 {
					if !explicit {
						sd.byTenant[ru.tidx] = append(sd.byTenant[ru.tidx], u)
					}
					sd.levels[u] = k + 1
					nextEx = append(nextEx, u)
				}
				if creates(ru) {
					sd.roots = append(sd.roots, rootLink{u, v})
				}
			}
			rv := s.g.rec(v)
			if _, ok := sd.tenantLevel[rv.tidx]; !ok {
				sd.tenantLevel[rv.tidx], sd.tenantRep[rv.tidx] = k, v
				sd.tenants = append(sd.tenants, rv.tidx)
				nextT = append(nextT, rv.tidx)
			}
		}
		for _, v := range sd.cur {
			expand(v)
		}
		for _, t := range sd.curTenants {
			for _, u := range s.g.members(sd.tenantRep[t]) {
				if s.cx.stop() {
					break
				}
				if inExternal(s.g.rec(u)) {
					if l, _ := sd.labelledLevel(s, u); l == k && sd.levels[u] != k {
						expand(u)
					}
				}
			}
		}
		sd.cur, sd.curTenants, sd.depth = nextEx, nextT, k+1
		if len(nextEx) == 0 && len(nextT) == 0 || s.cx.stopped() {
			sd.done = true // cancelled: the caller returns the context's error
		}
	}
}

// rootLink is a creator c linked to a node from that a side expanded.
type rootLink struct{ c, from int32 }

// search holds one PlanGroup query.
type search struct {
	g                  graph
	me, target         int32
	meRec, targetRec   rec
	fromMe, fromTarget *side
	bothCost           map[int32]int32   // least cost of a subtree holding both terminals, rooted at the node
	bothVia            map[int32]int32   // the child it passes through, or noNode for a seed
	exhaustive         bool              // run both searches to the end before choosing (tests)
	bothDone           bool              // bothCost holds what plans from existing groups need (existing.go)
	extra              map[int32][]int32 // roots found by the meet steps, with their children of another tenant
	cx                 canceller         // PlanGroupContext's context: every loop over links or members asks it
}

// costToMe is the cost of the path from u down to me, u and me included: u an
// inviter, me a leaf below the root.
func (s *search) costToMe(u int32) (int32, bool) {
	if u == s.target {
		return 0, false
	}
	h, ok := s.fromMe.levelOf(s, u)
	return wInviter*h + wMe, ok
}

// costToTarget is the cost of the path from u down to target.
func (s *search) costToTarget(u int32) (int32, bool) {
	if u == s.me {
		return 0, false
	}
	h, ok := s.fromTarget.levelOf(s, u)
	return wInviter*h + wTarget, ok
}

// external returns the best plan, starting from initial (the internal one,
// if any), or why no external group will do.
func (s *search) external(initial candidate) (candidate, *UnreachableError) {
	un := func(why Reason, p int32, t TenantID) *UnreachableError {
		e := &UnreachableError{Me: s.g.id(s.me), Target: s.g.id(s.target), Reason: why, Tenant: t}
		if p != noNode {
			e.Party = s.g.id(p)
		}
		return e
	}
	for _, x := range [...]struct {
		n int32
		r *rec
	}{{s.me, &s.meRec}, {s.target, &s.targetRec}} {
		if why, _, t := externalOK(x.r, ""); why != ReasonNone {
			return candidate{}, un(why, x.n, t)
		}
	}
	s.fromMe, s.fromTarget = newSide(s, s.me, s.target), newSide(s, s.target, s.me)
	best := initial
	// minHops is a lower bound on the hops between me and target: more than
	// the two sides' depths while they share no node, and fixed when they
	// first do.
	met, minHops := false, int32(0)
	for r := int32(1); ; r++ {
		// The side with the smaller frontier first: if it is exhausted
		// without meeting the other end, the other need not grow.
		first, second := s.fromMe, s.fromTarget
		if second.frontier(s) < first.frontier(s) {
			first, second = second, first
		}
		first.grow(s, r-1)
		if !s.exhaustive && s.apart() {
			break
		}
		second.grow(s, r-1)
		if s.cx.stopped() {
			return best, nil // the caller returns the context's error
		}
		final := s.fromMe.done && s.fromTarget.done
		if s.exhaustive && !final {
			continue
		}
		if !final && s.apart() {
			break // no chain joins them: the answer costs the smaller side's reach
		}
		var centres []int32 // where the sides first meet, if they just did
		if !met {
			met = s.fromMe.meets(s, s.fromTarget) || s.fromTarget.meets(s, s.fromMe)
			minHops = s.fromMe.depth + s.fromTarget.depth + 1 // apart at these depths
			if met {
				minHops = s.fromMe.depth + s.fromTarget.depth - 1 // not apart one level ago
				if r >= 3 && !s.exhaustive {
					var d int32
					d, centres = s.hopsApart()
					minHops = max(minHops, d)
					slices.SortFunc(centres, func(a, b int32) int {
						if s.g.less(a, b) {
							return -1
						}
						return 1
					})
				}
			}
		}
		if !final && r >= 3 && wInviter*minHops-2 > 3*r+1 {
			// Where the sides have just met, the creators on a shortest
			// path between me and target may root a tree that costs
			// 3*minHops-2, the least any tree can (below): then it is a
			// shortest plan, found at half the chain's length in growth
			// and with the evaluation of those few roots alone (R22).
			if len(centres) > 0 {
				c := s.evaluateAt(centres)
				if c.cost > wInviter*minHops-2 {
					c = s.rootedAtMe(centres, minHops)
				}
				if c.cost <= wInviter*minHops-2 && c.cost < best.cost {
					best = c
					break
				}
			}
			// Every tree joining me and target holds the minHops-1 or more
			// people between them, all but the root (or all, if me is
			// the root) intermediaries at wInviter, and costs at least
			// 3*minHops-2: more than this stage could stop at, so its
			// evaluation would only be repeated, and bettered, by a later
			// one (the last stage evaluates everything). A long chain
			// then costs a growth a stage and a few evaluations, not one
			// evaluation of everything labelled a stage.
			continue
		}
		bound, lim := 3*r, r-2
		if final {
			bound, lim = maxCost, maxCost
		}
		// Meet steps: roots of the cheapest trees costing 3r+1, found
		// cheaply so that such a plan can stop the search at this stage.
		switch {
		case r == 1 && !s.direct(best):
			s.meetNext()
		case r == 2:
			s.meetTenants()
		}
		if c := s.evaluate(bound, lim); c.cost < best.cost {
			best = c
		}
		if final || best.cost <= bound+1 || s.cx.stopped() {
			break
		}
		if met && !s.exhaustive && best.cost <= wInviter*minHops-2 {
			break // no tree costs less than 3*minHops-2 (below): a shortest plan
		}
	}
	if best.kind != candNone {
		return best, nil
	}
	if _, ok := s.fromMe.levelOf(s, s.target); !ok {
		return candidate{}, un(ReasonNotLinked, noNode, "")
	}
	return candidate{}, un(ReasonNoGroupRights, noNode, s.meRec.tenant)
}

// hopsApart returns a lower bound on the hops between me and target, exact
// when they are at most the two sides' depths apart: the least sum of a
// node's levels from both sides, or one more than the depths' sum if no
// node is labelled by both within it. Every node within a side's depth is
// labelled (explicitly, or through its tenant, whose entering member is
// explicit and no farther), so a shortest path of at most that many hops
// has a node labelled by both whose levels sum to its length. It costs the
// nodes both sides have labelled explicitly, once, when they first meet.
//
// It also returns the explicitly labelled nodes whose levels sum to that
// bound: the centres of the shortest paths, when the bound is exact.
func (s *search) hopsApart() (int32, []int32) {
	best := s.fromMe.depth + s.fromTarget.depth + 1
	var at []int32
	for _, sd := range [...]struct{ a, b *side }{{s.fromMe, s.fromTarget}, {s.fromTarget, s.fromMe}} {
		for v, a := range sd.a.levels {
			if s.cx.stop() {
				return 0, nil // cancelled: no bound
			}
			if a > best {
				continue
			}
			b, ok := sd.b.labelledLevel(s, v)
			switch {
			case !ok || a+b > best:
			case a+b < best:
				best, at = a+b, append(at[:0], v)
			case !slices.Contains(at, v):
				at = append(at, v)
			}
		}
	}
	if best > s.fromMe.depth+s.fromTarget.depth {
		at = nil // no node labelled by both within the depths
	}
	return best, at
}

// evaluateAt returns the best tree rooted at one of centres (creators
// only), each with its links as the children of another tenant it can use
// and its colleagues through the aggregates; subtrees holding both
// terminals are left out. A tree it returns is real, if not the least.
func (s *search) evaluateAt(centres []int32) candidate {
	s.bothCost, s.bothVia = map[int32]int32{}, map[int32]int32{}
	agg := aggregates{s: s, cache: map[int32]*[3]leastTwo{}}
	agg.index()
	kids := map[int32][]int32{}
	for _, c := range centres {
		if rc := s.g.rec(c); !inExternal(rc) || !creates(rc) {
			continue
		}
		cross := []int32{}
		for _, u := range s.g.links(c) {
			if s.cx.stop() {
				return candidate{kind: candNone, cost: maxCost}
			}
			if inExternal(s.g.rec(u)) {
				cross = append(cross, u)
			}
		}
		kids[c] = cross
	}
	return s.bestRoot(kids, &agg)
}

// rootedAtMe returns the tree me roots along a shortest path to target
// through one of centres (where the searches met, hops apart), when me may
// create groups and the path's first hop is one of me's links, its
// partner: me creates the group with it, each person on the path invites
// the next and hands on the master role, and all but me and target leave.
// That costs 3*hops-2, the least any tree can: a shortest plan (R22). The
// path down from the centre to me follows the levels of me's search, one
// step down each time (through the member that entered a tenant, or a
// link); it is found for the centres in ID order, or not at all.
func (s *search) rootedAtMe(centres []int32, hops int32) candidate {
	none := candidate{kind: candNone, cost: maxCost}
	if !creates(s.meRec) {
		return none
	}
	for _, v := range centres { // in ID order
		a, ok := s.fromMe.labelledLevel(s, v)
		if !ok || a < 1 || v == s.me {
			continue
		}
		if path := s.pathToMe(v, a); path != nil {
			return candidate{kind: candRootMePath, cost: wInviter*hops - 2, creator: s.me, path: path}
		}
	}
	return none
}

// pathToMe returns a path from a link of me up to v, at level a of me's
// search, each node one level above the one before, or nil if the way
// down it takes does not end at a link of me.
func (s *search) pathToMe(v, a int32) []int32 {
	up := []int32{v}
	x := v
	for l := a; l > 1; l-- {
		y := noNode
		rx := s.g.rec(x)
		if l == 2 {
			// The last step down: to a link of me, by a link of x's or as
			// x's colleague.
			for _, u := range s.g.links(s.me) {
				if s.cx.stop() {
					return nil
				}
				if u != s.target && inExternal(s.g.rec(u)) && (colleague(s.g.rec(u), rx) || s.g.linkedNodes(x, u)) {
					y = u
					break
				}
			}
		} else if t, in := s.fromMe.tenantLevel[rx.tidx]; in && t == l-1 && s.fromMe.tenantRep[rx.tidx] != x {
			y = s.fromMe.tenantRep[rx.tidx]
		} else {
			for _, u := range s.g.links(x) {
				if s.cx.stop() {
					return nil
				}
				if h, ok := s.fromMe.labelledLevel(s, u); ok && h == l-1 && u != s.target && inExternal(s.g.rec(u)) {
					y = u
					break
				}
			}
		}
		if y == noNode {
			return nil
		}
		up = append(up, y)
		x = y
	}
	if a == 1 && !s.g.linkedNodes(s.me, v) {
		return nil // v itself must be me's partner
	}
	slices.Reverse(up)
	return up
}

// apart reports whether one side has labelled everything it can reach
// without reaching the other end: then no chain of people who can talk
// joins me and target, and no external group holds both (an isolated
// target costs what its own side reaches, not what me's side does).
func (s *search) apart() bool {
	if _, ok := s.fromTarget.levelOf(s, s.me); s.fromTarget.done && !ok {
		return true
	}
	_, ok := s.fromMe.levelOf(s, s.target)
	return s.fromMe.done && !ok
}

// evaluate returns the best tree among those costing at most bound (it may
// return a costlier one it happens to see), using the labels so far; lim is
// the highest level whose nodes' neighbours may be roots.
func (s *search) evaluate(bound, lim int32) candidate {
	s.computeBoth(bound)
	agg := aggregates{s: s, cache: map[int32]*[3]leastTwo{}}
	agg.index()
	return s.bestRoot(s.rootCandidates(bound, lim), &agg)
}

// rootCandidates returns the roots evaluate weighs, each with the children
// of another tenant it can use: me and target if they create, the creators
// next to nodes at level lim or less and to cheap subtrees holding both
// terminals, those the meet steps found, and a few creators of each tenant
// entered by then, for their colleague children.
func (s *search) rootCandidates(bound, lim int32) map[int32][]int32 {
	kids := map[int32][]int32{}
	want := func(c int32) {
		if _, ok := kids[c]; !ok {
			kids[c] = nil
		}
	}
	// me and target as roots use children one hop further than lim: their
	// links are read directly.
	for _, c := range [...]int32{s.me, s.target} {
		if creates(s.g.rec(c)) {
			want(c)
			for _, u := range s.g.links(c) {
				if inExternal(s.g.rec(u)) {
					kids[c] = append(kids[c], u)
				}
			}
		}
	}
	for _, sd := range [...]*side{s.fromMe, s.fromTarget} {
		for _, rl := range sd.roots {
			if rl.c == s.me || rl.c == s.target {
				continue
			}
			if l, _ := sd.levelOf(s, rl.from); l <= lim {
				kids[rl.c] = append(kids[rl.c], rl.from)
			}
		}
	}
	for c, from := range s.extra {
		want(c)
		kids[c] = append(kids[c], from...)
	}
	tenants := map[int32]int32{} // a member of each tenant whose creators may be roots
	for _, sd := range [...]*side{s.fromMe, s.fromTarget} {
		for _, t := range sd.tenants {
			if sd.tenantLevel[t] <= lim {
				tenants[t] = sd.tenantRep[t]
			}
		}
	}
	for v, x := range s.bothCost {
		if x+wBase+wRoot-1 > bound {
			continue
		}
		for _, u := range s.g.links(v) {
			if ru := s.g.rec(u); inExternal(ru) && creates(ru) {
				kids[u] = append(kids[u], v)
			}
		}
		if rv := s.g.rec(v); rv.kind == WorksUser {
			tenants[rv.tidx] = v
		}
	}
	for _, rep := range tenants {
		// A creator whose useful children are all colleagues costs the same
		// as any other such creator of its tenant, but for being one of the
		// best children itself: the first few eligible ones, by ID, cover it.
		n := 0
		for _, c := range s.g.members(rep) {
			if s.cx.stop() {
				break
			}
			if rc := s.g.rec(c); inExternal(rc) && creates(rc) && s.pure(c) {
				want(c)
				if n++; n == 4 {
					break
				}
			}
		}
	}
	return kids
}

// bestRoot returns the least-cost tree rooted at one of kids' roots, each
// with its children of another tenant; among equals, the root first in ID
// order (R22, R26).
func (s *search) bestRoot(kids map[int32][]int32, agg *aggregates) candidate {
	order := make([]int32, 0, len(kids))
	for c := range kids {
		order = append(order, c)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if s.g.less(a, b) {
			return -1
		}
		return 1
	})
	best := candidate{kind: candNone, cost: maxCost}
	for _, c := range order {
		if s.cx.stop() {
			break
		}
		if cand := s.evalRoot(c, kids[c], agg); cand.cost < best.cost {
			best = cand
		}
	}
	return best
}

// direct reports whether a plan of at most two steps is certain before the
// search: me and target linked, one of them a creator, or best that cheap.
func (s *search) direct(best candidate) bool {
	return best.cost <= 2 || s.g.linkedNodes(s.me, s.target) && (creates(s.meRec) || creates(s.targetRec))
}

// addExtra makes c a root candidate with child kid (noNode for none), if c
// may create an external group at all.
func (s *search) addExtra(c, kid int32) {
	rc := s.g.rec(c)
	if c == s.me || c == s.target || !inExternal(rc) || !creates(rc) {
		return
	}
	if s.extra == nil {
		s.extra = map[int32][]int32{}
	}
	if kid == noNode {
		s.extra[c] = append(s.extra[c], []int32(nil)...)
	} else if inExternal(s.g.rec(kid)) {
		s.extra[c] = append(s.extra[c], kid)
	}
}

// meetNext adds the creators next to both me and target: the post's A, the
// root of a four-step plan. It looks from whichever side is cheaper: a
// user's links, or the members of the other end's tenant.
func (s *search) meetNext() {
	// Next to x by a link, and to y by a link or as a colleague.
	side := func(x, y int32) {
		rx, ry := s.g.rec(x), s.g.rec(y)
		lx := s.g.links(x)
		var ty []int32
		if ry.kind == WorksUser {
			ty = s.g.members(y)
		}
		if len(lx) <= len(ty)+len(s.g.links(y)) {
			for _, c := range lx {
				if s.cx.stop() {
					return
				}
				rc := s.g.rec(c)
				if colleague(rc, ry) || s.g.linkedNodes(c, y) {
					s.addExtra(c, x)
					if !colleague(rc, ry) {
						s.addExtra(c, y)
					}
				}
			}
			return
		}
		for _, c := range ty {
			if s.cx.stop() {
				return
			}
			if c != y && !colleague(s.g.rec(c), rx) && s.g.linkedNodes(c, x) {
				s.addExtra(c, x)
			}
		}
		for _, c := range s.g.links(y) {
			if s.cx.stop() {
				return
			}
			if s.g.linkedNodes(c, x) {
				s.addExtra(c, x)
				s.addExtra(c, y)
			}
		}
	}
	side(s.me, s.target)
	side(s.target, s.me)
}

// meetTenants adds the creators at either end of a link between the
// people one hop from me (me's links and colleagues) and those one hop from
// target: the roots of the seven-step plans through two people. It walks
// the links of the smaller of the two sets, needing both searches grown to
// one hop.
func (s *search) meetTenants() {
	hop := func(sd *side) (explicit []int32, tenant int32) {
		for v, l := range sd.levels {
			if l == 1 {
				explicit = append(explicit, v)
			}
		}
		slices.SortFunc(explicit, func(a, b int32) int {
			if s.g.less(a, b) {
				return -1
			}
			return 1
		})
		return explicit, sd.src
	}
	size := func(ex []int32, src int32) int { return len(ex) + len(s.g.members(src)) }
	mx, ms := hop(s.fromMe)
	tx, ts := hop(s.fromTarget)
	from, other, fex, fsrc := s.fromMe, s.fromTarget, mx, ms
	if size(tx, ts) < size(mx, ms) {
		from, other, fex, fsrc = s.fromTarget, s.fromMe, tx, ts
	}
	visit := func(x int32) {
		if x == from.src || x == from.block || !inExternal(s.g.rec(x)) {
			return
		}
		for _, y := range s.g.links(x) {
			if l, ok := other.levelOf(s, y); ok && l <= 1 && y != other.block {
				s.addExtra(x, y)
				s.addExtra(y, x)
				// A 7-step plan rooted at me or target reaches across this
				// link: x is one hop beyond y for the other side, and y
				// beyond x for this one.
				if inExternal(s.g.rec(y)) {
					other.hintAt(s, x, l)
					from.hintAt(s, y, 1)
				}
			}
		}
	}
	for _, x := range fex {
		if s.cx.stop() {
			return
		}
		visit(x)
	}
	if _, ok := from.tenantLevel[s.g.rec(fsrc).tidx]; ok {
		for _, x := range s.g.members(fsrc) {
			if s.cx.stop() {
				return
			}
			if l, _ := from.levelOf(s, x); l == 1 {
				visit(x)
			}
		}
	}
}

// pure reports whether c has a partner of another tenant to create an
// external group with who is neither me nor target: a pure partner.
func (s *search) pure(c int32) bool {
	for _, q := range s.g.links(c) {
		if s.cx.stop() {
			return false
		}
		if inExternal(s.g.rec(q)) && q != s.me && q != s.target {
			return true
		}
	}
	return false
}

// nodeValue is a node with a value, ordered by value and then user ID.
type nodeValue struct{ value, node int32 }

var noNodeValue = nodeValue{maxCost, noNode}

// leastTwo keeps the two least nodeValues of distinct nodes.
type leastTwo struct{ first, second nodeValue }

func newLeastTwo() leastTwo { return leastTwo{noNodeValue, noNodeValue} }

func (s *search) valueLess(p, q nodeValue) bool {
	switch {
	case p.value != q.value:
		return p.value < q.value
	case q.node == noNode:
		return p.node != noNode
	case p.node == noNode:
		return false
	}
	return s.g.less(p.node, q.node)
}

func (t *leastTwo) add(s *search, p nodeValue) {
	switch {
	case p.node == t.first.node:
		if s.valueLess(p, t.first) {
			t.first = p
		}
	case p.node == t.second.node:
		if s.valueLess(p, t.second) {
			t.second = p
		}
		if s.valueLess(t.second, t.first) {
			t.first, t.second = t.second, t.first
		}
	case s.valueLess(p, t.first):
		t.first, t.second = p, t.first
	case s.valueLess(p, t.second):
		t.second = p
	}
}

// except returns the least nodeValue whose node is none of ex.
func (t *leastTwo) except(ex ...int32) nodeValue {
	for _, p := range [...]nodeValue{t.first, t.second} {
		if p.node != noNode && !slices.Contains(ex, p.node) {
			return p
		}
	}
	return noNodeValue
}

// aggregates are, per tenant, the two least values of its members as
// children toward me, toward target and holding both: what a root gets from
// colleague children.
type aggregates struct {
	s            *search
	cache        map[int32]*[3]leastTwo
	bothByTenant map[int32][]int32 // nodes with bothCost values, by tenant
}

func (a *aggregates) index() {
	a.bothByTenant = map[int32][]int32{}
	for v := range a.s.bothCost {
		if r := a.s.g.rec(v); r.kind == WorksUser {
			a.bothByTenant[r.tidx] = append(a.bothByTenant[r.tidx], v)
		}
	}
}

// of returns the aggregates of c's tenant: toward me, toward target, both.
func (a *aggregates) of(c int32) *[3]leastTwo {
	s := a.s
	t := s.g.rec(c).tidx
	if x, ok := a.cache[t]; ok {
		return x
	}
	x := &[3]leastTwo{newLeastTwo(), newLeastTwo(), newLeastTwo()}
	a.cache[t] = x
	offer := func(v int32) {
		if y, ok := s.costToMe(v); ok {
			x[0].add(s, nodeValue{y, v})
		}
		if y, ok := s.costToTarget(v); ok {
			x[1].add(s, nodeValue{y, v})
		}
		if y, ok := s.bothCost[v]; ok {
			x[2].add(s, nodeValue{y, v})
		}
	}
	for _, l := range [...][]int32{s.fromMe.byTenant[t], s.fromTarget.byTenant[t], a.bothByTenant[t]} {
		for _, v := range l {
			offer(v)
		}
	}
	// Members labelled only through their tenant: the first few by ID stand
	// for all of them (their values are equal).
	_, im := s.fromMe.tenantLevel[t]
	_, it := s.fromTarget.tenantLevel[t]
	if im || it {
		n := 0
		for _, v := range s.g.members(c) {
			if inExternal(s.g.rec(v)) && v != s.me && v != s.target {
				offer(v)
				if n++; n == 4 {
					break
				}
			}
		}
	}
	return x
}

// evalRoot returns the least-cost tree rooted at c, whose children of
// another tenant are among cross.
func (s *search) evalRoot(c int32, cross []int32, agg *aggregates) candidate {
	best := candidate{kind: candNone, cost: maxCost}
	offer := func(k int, cost, u, v int32) {
		if cost < best.cost {
			best = candidate{kind: k, cost: cost, creator: c, u: u, v: v}
		}
	}
	crossMe, crossTarget, crossBoth := newLeastTwo(), newLeastTwo(), newLeastTwo()
	for _, u := range cross {
		if x, ok := s.costToMe(u); ok {
			crossMe.add(s, nodeValue{x, u})
		}
		if x, ok := s.costToTarget(u); ok {
			crossTarget.add(s, nodeValue{x, u})
		}
		if x, ok := s.bothCost[u]; ok {
			crossBoth.add(s, nodeValue{x, u})
		}
	}
	a := agg.of(c)
	colMe, colTarget, colBoth := &a[0], &a[1], &a[2]
	// Colleague children only need a pure partner, which costs a walk over
	// c's links: look for one only when such a tree could still win.
	known, hasPure := false, false
	pure := func(cost int32) bool {
		if cost >= best.cost {
			return false
		}
		if !known {
			known, hasPure = true, s.pure(c)
		}
		return hasPure
	}
	switch c {
	case s.me:
		if p := crossTarget.except(); p.node != noNode {
			offer(candRootMe, wBase+p.value-1, p.node, noNode)
		}
		if p := colTarget.except(c); p.node != noNode && pure(wBase+p.value+1) {
			offer(candRootMe, wBase+p.value+1, p.node, noNode)
		}
		return best
	case s.target:
		if p := crossMe.except(); p.node != noNode {
			offer(candRootTarget, wBase+p.value-1, p.node, noNode)
		}
		if p := colMe.except(c); p.node != noNode && pure(wBase+p.value+1) {
			offer(candRootTarget, wBase+p.value+1, p.node, noNode)
		}
		return best
	}
	const w = wBase + wRoot
	// A centre: one child toward me, another toward target.
	pair := func(ms, ts *leastTwo, adj int32, ex int32) {
		u1 := ms.except(ex)
		for _, u := range [...]nodeValue{u1, ms.except(ex, u1.node)} {
			if u.node == noNode {
				continue
			}
			if v := ts.except(ex, u.node); v.node != noNode && (adj < 0 || pure(w+u.value+v.value+adj)) {
				offer(candRootCenter, w+u.value+v.value+adj, u.node, v.node)
			}
		}
	}
	union := func(x, y *leastTwo, ex int32) *leastTwo {
		z := newLeastTwo()
		for _, p := range [...]nodeValue{x.first, x.second, y.first, y.second} {
			if p.node != noNode && p.node != ex {
				z.add(s, p)
			}
		}
		return &z
	}
	pair(&crossMe, union(&crossTarget, colTarget, c), -1, c)
	pair(union(&crossMe, colMe, c), &crossTarget, -1, c)
	pair(colMe, colTarget, +1, c)
	// One child holding both.
	if p := crossBoth.except(); p.node != noNode {
		offer(candRootPass, w+p.value-1, p.node, noNode)
	}
	if p := colBoth.except(c); p.node != noNode && pure(w+p.value+1) {
		offer(candRootPass, w+p.value+1, p.node, noNode)
	}
	return best
}

// computeBoth fills bothCost for subtrees cheap enough to matter under bound: the
// least cost of a subtree rooted at a node (its own weight included, as a
// non-root) holding both me and target. Seeds are me inviting toward target,
// target inviting toward me (and handing its role on), and centres; the
// rest passes through a child.
func (s *search) computeBoth(bound int32) {
	s.bothCost, s.bothVia = map[int32]int32{}, map[int32]int32{}
	limit := bound - (wBase + wRoot - 1) // a root adds at least this
	// Pops by cost, then user ID: deterministic, and the same for every Store.
	q := &minHeap[nodeCost]{less: func(a, b nodeCost) bool { return a.x < b.x || a.x == b.x && s.g.less(a.n, b.n) }}
	seed := func(n, x int32) {
		if x > limit {
			return
		}
		if old, ok := s.bothCost[n]; !ok || x < old {
			s.bothCost[n], s.bothVia[n] = x, noNode
			q.push(nodeCost{n, x})
		}
	}
	if h, ok := s.fromTarget.levelOf(s, s.me); ok {
		seed(s.me, wMe+wInviter*(h-1)+wTarget)
	}
	if h, ok := s.fromMe.levelOf(s, s.target); ok {
		seed(s.target, 2+wInviter*(h-1)+wMe)
	}
	centre := func(v int32) {
		if v == s.me || v == s.target {
			return
		}
		a, oka := s.fromMe.levelOf(s, v)
		b, okb := s.fromTarget.levelOf(s, v)
		if oka && okb {
			seed(v, wInviter+wInviter*(a-1)+wMe+wInviter*(b-1)+wTarget)
		}
	}
	for _, sd := range [...]*side{s.fromMe, s.fromTarget} {
		for v := range sd.levels {
			centre(v)
		}
	}
	// Tenants met from both sides: their members are centres too.
	for t, a := range s.fromMe.tenantLevel {
		if b, ok := s.fromTarget.tenantLevel[t]; ok && wInviter*(a+b+2) <= limit {
			for _, v := range s.g.members(s.fromMe.tenantRep[t]) {
				if s.cx.stop() {
					return
				}
				centre(v)
			}
		}
	}
	for q.Len() > 0 && !s.cx.stop() {
		nc := q.pop()
		if nc.x != s.bothCost[nc.n] || nc.x+wInviter > limit {
			continue
		}
		for u := range s.nbrs(nc.n) {
			if u == s.me || u == s.target {
				continue
			}
			if x := wInviter + nc.x; x < s.bothCostOr(u) {
				s.bothCost[u], s.bothVia[u] = x, nc.n
				q.push(nodeCost{u, x})
			}
		}
	}
}

// nodeCost is a node with the least cost found for its subtree: computeBoth's
// queue element.
type nodeCost struct{ n, x int32 }

func (s *search) bothCostOr(n int32) int32 {
	if x, ok := s.bothCost[n]; ok {
		return x
	}
	return maxCost
}
