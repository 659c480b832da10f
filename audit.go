package extlink

import (
	"context"
	"fmt"
	"iter"
	"slices"
)

// Exposure is one outsider whom a member of a tenant can end up alone in a
// group with, through the post's trick, without being linked (R23): the
// member as the group's only master, the outsider its other member.
type Exposure struct {
	Member   UserID   // the tenant's member: me in the plan
	Outsider UserID   // the outsider: target in the plan
	Steps    int      // the length of the shortest plan (R22); 0 when a given group already is such a group
	Via      []UserID // the others a shortest plan needs: the chain from Member to Outsider, then the creator, if off the chain; for a plan on an existing group, everyone else it names, in order
	Group    int      // the existing group the shortest plan starts from (k: groups[k-1]), or 0 for a new group
}

// String returns e in a line: "me -> b: 4 steps via a".
func (e Exposure) String() string {
	s := fmt.Sprintf("%s -> %s: %d steps", e.Member, e.Outsider, e.Steps)
	if len(e.Via) > 0 {
		s += " via"
		for _, u := range e.Via {
			s += " " + string(u)
		}
	}
	return s
}

// Audit returns the exposure of tenant t to the post's trick (R23): for each
// member, each outsider (a LINE WORKS user of another tenant; LINE users are
// never in groups) whom the member is not linked with but can end up in a
// group of two with, by a plan of at most maxSteps steps, with the shortest
// plan's length and the people it goes through. Steps agree with
// [PlanGroup] for every pair. maxSteps 0 means no limit, and so does any
// maxSteps above what a plan can need (more than 2^30 steps; never a
// truncation, so a large limit never hides an exposure, R23): in a connected
// directory most members are then exposed to most outsiders. A negative
// maxSteps is an error wrapping [ErrInvalid]. 4 steps is the post's trick
// through one colleague; 7 goes through two people.
//
// groups are the groups that exist (R22, R23): a plan may start from one of
// them, and an exposure through one is often shorter, or there already (0
// steps). Take them as Reconcile leaves them in d.
//
// The results stream: they come sorted by member and then outsider ID, one
// member at a time, as each member's search ends, so a large tenant's
// exposure is never held in memory at once, and breaking out of the range
// stops the work at once: nothing is done after the break. An unknown
// tenant is an error.
//
// Cost: one search per member (not per pair), over the (user, phase) states
// within maxSteps of it; each state costs its user's links, and each tenant's
// member list is walked at most once per phase. With a small maxSteps that is
// the neighbourhood of the member's colleagues who may create groups.
// Members with the same links and rights share one search, and people of one
// tenant with the same links one search for their way up to a creator, so a
// tenant whose members have no links of their own, or the same ones, costs a
// few searches and a copy of the rows per member. A tenant from which no
// user who may create groups can be reached costs one pass over what it
// reaches, and lists nothing. With
// groups, each outsider a group could bring within maxSteps of the member
// (members of the groups near the member, and people near those) is also
// planned for with [PlanGroup]; one search from the groups' members, once,
// tells the members no group is near, which cost nothing more.
func Audit(d Store, t TenantID, maxSteps int, groups ...Group) (iter.Seq[Exposure], error) {
	return audit(context.Background(), d, t, maxSteps, groups)
}

// audit is Audit whose range ends early, without a word, once ctx is done:
// the caller asks ctx afterwards (WhatIfContext).
func audit(ctx context.Context, d Store, t TenantID, maxSteps int, groups []Group) (iter.Seq[Exposure], error) {
	return auditUnits(ctx, d, t, maxSteps, groups, nil)
}

// auditUnits is audit that counts its units of work in *units, if not nil
// (tests).
func auditUnits(ctx context.Context, d Store, t TenantID, maxSteps int, groups []Group, units *int) (iter.Seq[Exposure], error) {
	if d == nil {
		return nil, fmt.Errorf("extlink: audit: %w", errInvalidf("unknown tenant %q", t))
	}
	if _, ok := d.Tenant(t); !ok {
		return nil, fmt.Errorf("extlink: audit: %w", errInvalidf("unknown tenant %q", t))
	}
	budget, err := auditBudget(maxSteps)
	if err != nil {
		return nil, err
	}
	return func(yield func(Exposure) bool) {
		g := graphOf(d)              // per range: a generic store's graph caches what it reads
		branches := newBranchCache() // shared by the members' searches
		cx := newCanceller(ctx)
		cx.units = units
		var ag *auditGroups
		if len(groups) > 0 {
			ag = newAuditGroups(d, g, budget, groups)
			ag.s.cx = newCanceller(ctx)
			ag.s.cx.units = units
		}
		scratch := creatorNear(g, d, t, &cx) // else no member has a plan from scratch
		classes := &memberClasses{}
		for id := range d.Members(t) {
			if cx.stopped() {
				return // partial: the caller returns ctx's error
			}
			me, ok := g.node(id)
			if !ok {
				continue
			}
			var es []Exposure
			if scratch {
				es = classes.exposures(g, me, budget, branches, &cx)
			}
			if ag != nil {
				es = ag.exposures(me, es)
			}
			if cx.stopped() || ag != nil && ag.s.cx.stopped() {
				return // partial: the caller returns ctx's error
			}
			for _, e := range es {
				if !yield(e) {
					return
				}
			}
		}
	}, nil
}

// memberClasses shares the searches of members whose exposures from
// scratch cannot differ but for the member's own ID (R23): members of the
// tenant with the same links and the same rights (allowed in an external
// group, may create groups). Such a member b is of no use in another one
// a's plans: whatever b can reach in one hop (its links, its colleagues)
// a reaches in one hop too, by the same kind of tie, so a tree through b
// is costlier by b's own steps than the tree without it, whether b is on
// the path, up a branch (a, at b's place, makes the same tree cheaper) or
// the creator (a creates instead, with the same partner). So a's walk,
// with a left out, is b's walk with b left out, step for step and tie for
// tie: the same outsiders, steps and Via. A tenant of n members who share
// a few link sets (no links at all, the same partner's) costs a few
// searches and n copies, not n searches over the tenant. A member alone in
// its class keeps its own rows, uncopied: the first member of a class is
// searched for and handed its rows as they are, and only a second one's
// search is kept, for it and the rest of the class to copy.
type memberClasses struct{ t linkClasses[memberRows] }

// memberRows is what a class of members has: whether one of them has been
// searched for, and once a second one has, its rows to copy.
type memberRows struct {
	seen, kept bool
	rows       []Exposure
}

// exposures returns me's exposures from scratch; the caller may keep and
// change them.
func (mc *memberClasses) exposures(g graph, me int32, budget int32, branches branchCache, cx *canceller) []Exposure {
	rme := g.rec(me)
	tag := int32(0)
	if inExternal(rme) {
		tag |= 1
	}
	if creates(rme) {
		tag |= 2
	}
	c := mc.t.get(tag, g.links(me))
	switch {
	case c.kept:
		return copyRows(c.rows, g.id(me))
	case !c.seen:
		c.seen = true
		return exposures(g, me, budget, branches, cx) // alone so far: no copy
	}
	es := exposures(g, me, budget, branches, cx)
	if cx.stopped() {
		return nil // cut short: never kept
	}
	c.rows, c.kept = es, true
	return copyRows(es, g.id(me))
}

// copyRows returns copies of rows, Via included, for member id.
func copyRows(rows []Exposure, id UserID) []Exposure {
	out := make([]Exposure, len(rows))
	for i, e := range rows {
		e.Member, e.Via = id, slices.Clone(e.Via)
		out[i] = e
	}
	return out
}

// linkClasses maps classes of nodes, a tag (rights, or a tenant) and a list
// of links, to a value each: a hash table whose keys are the graph's own
// link lists, compared in full, never copied.
type linkClasses[V any] struct {
	m map[uint64][]*linkClass[V]
}

type linkClass[V any] struct {
	tag   int32
	links []int32
	v     V
}

// get returns the value of the class (tag, links), a zero one if new.
func (lc *linkClasses[V]) get(tag int32, links []int32) *V {
	h := (uint64(14695981039346656037) ^ uint64(uint32(tag))) * 1099511628211 // FNV-1a
	for _, x := range links {
		h = (h ^ uint64(uint32(x))) * 1099511628211
	}
	if lc.m == nil {
		lc.m = map[uint64][]*linkClass[V]{}
	}
	for _, c := range lc.m[h] {
		if c.tag == tag && slices.Equal(c.links, links) {
			return &c.v
		}
	}
	c := &linkClass[V]{tag: tag, links: links}
	lc.m[h] = append(lc.m[h], c)
	return &c.v
}

// auditBudget returns the walkers' budget for maxSteps: maxCost for 0 and
// for anything at or above it (no plan is that long: a plan takes a few steps
// per person on its chain), so a 64-bit limit is never truncated into a small
// one that would under-report (R23); a negative limit is refused.
func auditBudget(maxSteps int) (int32, error) {
	switch {
	case maxSteps < 0:
		return 0, errInvalidf("extlink: audit: maxSteps %d is negative; want 0 (no limit) or more", maxSteps)
	case maxSteps == 0 || maxSteps >= int(maxCost):
		return maxCost, nil
	}
	return int32(maxSteps), nil
}

// creatorNear reports whether a user who may create groups, and be in an
// external group, can be reached from t's members through people who can
// talk 1:1 and be in an external group (links and colleagues): the root of
// every plan from scratch an audit of t counts is. It stops at the first
// one, which in most worlds is next to t; without one it costs the region
// reachable from t, each tenant's member list read once, so that a tenant
// where nobody may create a group is audited in time linear in that
// region rather than one search per member (R23).
func creatorNear(g graph, d Store, t TenantID, cx *canceller) bool {
	seen := map[int32]bool{}
	tenants := map[int32]bool{}
	var q []int32
	visit := func(u int32) bool {
		r := g.rec(u)
		if seen[u] || !inExternal(r) {
			return false
		}
		seen[u] = true
		q = append(q, u)
		return creates(r)
	}
	for id := range d.Members(t) {
		if u, ok := g.node(id); ok && visit(u) {
			return true
		}
	}
	for len(q) > 0 && !cx.stop() {
		v := q[len(q)-1]
		q = q[:len(q)-1]
		for _, u := range g.links(v) {
			if visit(u) {
				return true
			}
		}
		if r := g.rec(v); !tenants[r.tidx] {
			tenants[r.tidx] = true
			for _, u := range g.members(v) {
				if visit(u) {
					return true
				}
			}
		}
	}
	return cx.err != nil // cancelled: the caller stops before using it
}

// Walk phases: before the creator is placed (phaseBeforeRoot); after it,
// its partner settled (phaseAfterRoot); at the creator itself, its partner
// not yet settled (phaseAtRoot).
const (
	phaseBeforeRoot = iota
	phaseAfterRoot
	phaseAtRoot
)

type walkState struct {
	n  int32
	ph uint8
}

// walkLabel is how a walk state was reached: its cost, the state before, and
// how (a step, the creator placed here, or a branch up to the creator).
type walkLabel struct {
	x    int32
	prev walkState
	how  uint8
}

const (
	howStart = iota
	howStep
	howRoot
	howBranch
)

// result is the best plan found for one target.
type result struct {
	x    int32
	from walkState // the walk state the target hangs from
	how  uint8     // howStep (a leaf), howRoot (target creates), howBranch (target invites, creator above)
}

// walker is the single-source search of one member: the PlanGroup cost
// model (plan.go) read as a walk from me along the tree path to target,
// placing the creator on the walk or on a branch off it.
type walker struct {
	cx            *canceller // stops the walk once the audit's context is done
	g             graph
	me            int32
	meRec         rec
	budget        int32
	labels        map[walkState]walkLabel
	q             *minHeap[walkItem]
	results       map[int32]*result
	done          map[[2]int32]int32       // (tenant, phase) -> least cost its members were relaxed at
	branches      map[int32]branch         // memo of branches, by node
	classBranches linkClasses[classBranch] // memo of branches leaving me out, by the class of the node
	linkedWithMe  map[int32]bool           // me's links
	shared        branchCache              // branches for nobody in particular, shared by the audit's members
}

// branchCache holds, for the audit of a tenant, each node's branch found
// with nobody left out, the nodes it passes and whether its creator needs
// a pure partner. A branch that neither passes nor needs a member me is
// me's branch too: leaving me out only takes options away.
//
// Nodes of one tenant with the same links share one branch search: as with
// members (memberClasses), one such node is of no use on another's branch
// (what it reaches in a hop the other does, by the same kind of tie, and it
// cannot create an external group the other could not be a child of at
// the same cost), so their branches are the same nodes up to the same
// creator. A tenant's members without links of their own, or linked with
// the same partner, so cost one search of the tenant, not one each.
type branchCache struct {
	byNode  map[int32]sharedBranch
	byClass *linkClasses[classBranch]
}

// classBranch is the branch of a class of nodes, once searched for.
type classBranch struct {
	found bool
	sb    sharedBranch
}

func newBranchCache() branchCache {
	return branchCache{byNode: map[int32]sharedBranch{}, byClass: &linkClasses[classBranch]{}}
}

type sharedBranch struct {
	b        branch
	path     []int32 // the nodes between v and the creator
	usesPure bool    // the creator's partner must be a pure one
}

// branch is the cheapest way up from a node to a creator: its cost, and the
// next node up (the creator itself when next == root).
type branch struct {
	x    int32
	next int32
	root int32
}

var noBranch = branch{maxCost, noNode, noNode}

func exposures(g graph, me int32, budget int32, shared branchCache, cx *canceller) []Exposure {
	rme := g.rec(me)
	if !inExternal(rme) {
		return nil
	}
	w := &walker{g: g, me: me, meRec: rme, budget: budget, labels: map[walkState]walkLabel{}, q: newWalkHeap(g),
		results: map[int32]*result{}, done: map[[2]int32]int32{}, branches: map[int32]branch{}, linkedWithMe: map[int32]bool{},
		shared: shared, cx: cx}
	for _, u := range g.links(me) {
		w.linkedWithMe[u] = true
	}
	w.push(walkState{me, phaseBeforeRoot}, walkLabel{x: wMe, how: howStart})
	if creates(rme) {
		w.push(walkState{me, phaseAtRoot}, walkLabel{x: 0, how: howStart})
	}
	for w.q.Len() > 0 && !cx.stop() {
		it := w.q.pop()
		if l := w.labels[it.s]; l.x != it.x {
			continue
		}
		w.expand(it.s, it.x)
	}
	var out []Exposure
	for t, r := range w.results {
		if r.x <= budget {
			out = append(out, Exposure{Member: g.id(me), Outsider: g.id(t), Steps: int(r.x), Via: w.via(t, r)})
		}
	}
	slices.SortFunc(out, func(a, b Exposure) int {
		if a.Outsider < b.Outsider {
			return -1
		}
		return 1
	})
	return out
}

// slack is the least a state's cost must still grow by before a plan ends.
func slack(ph uint8) int32 {
	switch ph {
	case phaseAfterRoot:
		return wTarget + wBase
	case phaseAtRoot:
		return wTarget - 1 + wBase
	}
	return 0 - 1 + wBase
}

func (w *walker) push(s walkState, l walkLabel) {
	if l.x+slack(s.ph) > w.budget {
		return
	}
	if old, ok := w.labels[s]; ok && old.x <= l.x {
		return
	}
	w.labels[s] = l
	w.q.push(walkItem{s, l.x})
}

// offer records a plan for target t.
func (w *walker) offer(t int32, x int32, from walkState, how uint8) {
	if x > w.budget || !w.target(t) {
		return
	}
	if r, ok := w.results[t]; ok && (r.x < x || r.x == x && !w.before(from, r.from)) {
		return
	}
	w.results[t] = &result{x: x, from: from, how: how}
}

// before orders equal-cost results deterministically, by the node they
// hang from.
func (w *walker) before(a, b walkState) bool {
	if a.n != b.n {
		return w.g.less(a.n, b.n)
	}
	return a.ph < b.ph
}

// pure reports whether creator c has a partner of another tenant who is not
// me, to make a group external without being needed otherwise.
func (w *walker) pure(c int32) bool { return w.pureBut(c, w.me) }

// pureBut is pure with me taken as ex (noNode: nobody left out).
func (w *walker) pureBut(c, ex int32) bool {
	for _, q := range w.g.links(c) {
		if q != ex && inExternal(w.g.rec(q)) {
			return true
		}
	}
	return false
}

// adj is the partner adjustment of creator c with child u: -1 when u can be
// its partner, +1 when a pure partner must join, ok false when none can.
func (w *walker) adj(c, u int32) (int32, bool) { return w.adjBut(c, u, w.me) }

// adjBut is adj with me taken as ex.
func (w *walker) adjBut(c, u, ex int32) (int32, bool) {
	if !colleague(w.g.rec(c), w.g.rec(u)) {
		return -1, true
	}
	if w.pureBut(c, ex) {
		return +1, true
	}
	return 0, false
}

// nbrs yields v's neighbours in the external-group graph but me. Its
// colleagues come only when something within the budget can come of them,
// and once per tenant and phase: what a colleague gets from v depends on
// v's phase and cost alone, and (for a creator, phaseAtRoot) on v having a pure
// partner, without which colleagues are skipped.
func (w *walker) nbrs(v int32, ph uint8, x int32, yield func(u int32, colleague bool)) {
	for _, u := range w.g.links(v) {
		if w.cx.stop() {
			return
		}
		if u != w.me && inExternal(w.g.rec(u)) {
			yield(u, false)
		}
	}
	// The cheapest thing a colleague can become: a creator (before the
	// root), a leaf target (after it), a leaf target of a creator with a pure
	// partner (at it).
	least := x + wTarget + wBase // phaseAfterRoot
	switch ph {
	case phaseBeforeRoot:
		least = x + wRoot + slack(phaseAtRoot)
	case phaseAtRoot:
		least = x + wTarget + 1 + wBase
	}
	if least > w.budget || ph == phaseAtRoot && !w.pure(v) {
		return
	}
	rv := w.g.rec(v)
	key := [2]int32{rv.tidx, int32(ph)}
	if old, ok := w.done[key]; ok && old <= x {
		return
	}
	w.done[key] = x
	for _, u := range w.g.members(v) {
		if w.cx.stop() {
			return
		}
		if u != v && u != w.me && inExternal(w.g.rec(u)) {
			yield(u, true)
		}
	}
}

// target reports whether u may be the other end of one of me's exposures:
// a LINE WORKS user of another tenant, not linked with me.
func (w *walker) target(u int32) bool {
	ru := w.g.rec(u)
	return ru.kind == WorksUser && !colleague(w.meRec, ru) && u != w.me && !w.linkedWithMe[u]
}

func (w *walker) expand(s walkState, x int32) {
	v := s.n
	switch s.ph {
	case phaseBeforeRoot:
		// v turns: it is the centre, the creator up a branch.
		if b := w.branchOf(v); b.x < maxCost {
			w.push(walkState{v, phaseAfterRoot}, walkLabel{x: x + b.x, prev: s, how: howBranch})
		}
		w.nbrs(v, phaseBeforeRoot, x, func(u int32, _ bool) {
			ru := w.g.rec(u)
			// u is the target: the creator, or inviting with the creator above.
			if w.target(u) {
				if creates(ru) {
					if a, ok := w.adj(u, v); ok {
						w.offer(u, x+a+wBase, s, howRoot)
					}
				}
				if x+2+wBase <= w.budget {
					if b := w.branchOf(u); b.x < maxCost {
						w.offer(u, x+2+b.x+wBase, s, howBranch)
					}
				}
			}
			// u goes on up toward the centre, or is the creator itself.
			w.push(walkState{u, phaseBeforeRoot}, walkLabel{x: x + wInviter, prev: s, how: howStep})
			if creates(ru) {
				if colleague(ru, w.g.rec(v)) {
					w.push(walkState{u, phaseAtRoot}, walkLabel{x: x + wRoot, prev: s, how: howRoot})
				} else {
					w.push(walkState{u, phaseAfterRoot}, walkLabel{x: x + wRoot - 1, prev: s, how: howRoot})
				}
			}
		})
	case phaseAfterRoot, phaseAtRoot:
		w.nbrs(v, s.ph, x, func(u int32, colleague bool) {
			a := int32(0)
			if s.ph == phaseAtRoot {
				a = -1
				if colleague {
					a = +1 // nbrs yields colleagues of a root only when it has a pure partner
				}
			}
			w.offer(u, x+wTarget+a+wBase, s, howStep)
			w.push(walkState{u, phaseAfterRoot}, walkLabel{x: x + wInviter + a, prev: s, how: howStep})
		})
	}
}

// branchOf returns the cheapest branch from v up to a creator who is not me:
// the creator weighs 1 less its partner adjustment, each node between 3.
func (w *walker) branchOf(v int32) branch {
	if b, ok := w.branches[v]; ok {
		return b
	}
	tidx, links := w.g.rec(v).tidx, w.g.links(v)
	if w.shared.byNode != nil {
		sb, ok := w.shared.byNode[v]
		if !ok {
			c := w.shared.byClass.get(tidx, links)
			if !c.found {
				b, path, usesPure := w.branchSearch(v, noNode)
				c.found, c.sb = true, sharedBranch{b: b, path: path, usesPure: usesPure}
			}
			sb = c.sb
			w.shared.byNode[v] = sb
		}
		if sb.b.root != w.me && !slices.Contains(sb.path, w.me) && (!sb.usesPure || w.pure(sb.b.root)) {
			w.branches[v] = sb.b
			return sb.b
		}
	}
	// me on the shared branch: one search leaving me out, for v's class.
	c := w.classBranches.get(tidx, links)
	if !c.found {
		b, _, _ := w.branchSearch(v, w.me)
		c.found, c.sb.b = true, b
	}
	w.branches[v] = c.sb.b
	return c.sb.b
}

// branchSearch finds the cheapest branch from v up to a creator, leaving
// out ex (me, or noNode for nobody): the branch, the nodes between v and
// the creator, and whether the creator needs a pure partner.
func (w *walker) branchSearch(v, ex int32) (branch, []int32, bool) {
	// A small Dijkstra from v over nodes between it and a creator.
	best := noBranch
	var path []int32
	usesPure := false
	dist := map[int32]int32{v: 0}
	nextOf := map[int32]int32{}
	// A tenant's members are relaxed from its first member popped only:
	// pops come cheapest first, and from a later one, at no lower cost,
	// no colleague could do better (the creators among them see the same
	// partner adjustment from any colleague).
	doneT := map[int32]bool{}
	q := newWalkHeap(w.g)
	q.push(walkItem{walkState{v, 0}, 0})
	for q.Len() > 0 && !w.cx.stop() {
		it := q.pop()
		y := it.s.n
		if dist[y] != it.x || it.x >= best.x || it.x+wRoot-1 > w.budget {
			continue
		}
		step := func(c int32) {
			if c == ex || c == v {
				return
			}
			rc := w.g.rec(c)
			if !inExternal(rc) {
				return
			}
			if creates(rc) {
				if a, ok := w.adjBut(c, y, ex); ok {
					if cost := it.x + wRoot + a; cost < best.x {
						// The nodes up from v: follow nextOf back to v.
						path = path[:0]
						for n := y; n != v; n = nextOf[n] {
							path = append(path, n)
						}
						slices.Reverse(path)
						first := c
						if len(path) > 0 {
							first = path[0]
						}
						best, usesPure = branch{x: cost, next: first, root: c}, a > 0
					}
				}
			}
			w.relax(y, c, it.x, dist, nextOf, q)
		}
		for _, c := range w.g.links(y) {
			step(c)
		}
		if r := w.g.rec(y); r.kind == WorksUser && !doneT[r.tidx] {
			doneT[r.tidx] = true
			for _, c := range w.g.members(y) {
				if c != y {
					step(c)
				}
			}
		}
	}
	return best, slices.Clip(path), usesPure
}

// relax offers c one hop beyond y, reached at cost x.
func (w *walker) relax(y, c, x int32, dist, nextOf map[int32]int32, q *minHeap[walkItem]) {
	if d, ok := dist[c]; !ok || x+wInviter < d {
		dist[c] = x + wInviter
		nextOf[c] = y
		q.push(walkItem{walkState{c, 0}, x + wInviter})
	}
}

// via lists the others of t's plan: the walk from me to t, then the branch
// up to the creator when it is off the walk.
func (w *walker) via(t int32, r *result) []UserID {
	var walk []int32
	var up []int32
	addBranch := func(z int32) {
		b := w.branchOf(z)
		for n, k := b.next, 0; n != noNode && k < 64; k++ {
			up = append(up, n)
			if n == b.root {
				break
			}
			n = w.branchOf(n).next // each node's own best branch, no dearer than the rest of z's
		}
	}
	if r.how == howBranch {
		addBranch(t)
	}
	for s := r.from; ; {
		l := w.labels[s]
		if s.n != w.me && (len(walk) == 0 || walk[len(walk)-1] != s.n) {
			walk = append(walk, s.n)
		}
		if l.how == howBranch {
			addBranch(s.n)
		}
		if l.how == howStart {
			break
		}
		s = l.prev
	}
	slices.Reverse(walk)
	out := make([]UserID, 0, len(walk)+len(up))
	for _, n := range append(walk, up...) {
		out = append(out, w.g.id(n))
	}
	return out
}

type walkItem struct {
	s walkState
	x int32
}

// newWalkHeap orders by cost, then user ID and phase: deterministic pops.
func newWalkHeap(g graph) *minHeap[walkItem] {
	return &minHeap[walkItem]{less: func(a, b walkItem) bool {
		switch {
		case a.x != b.x:
			return a.x < b.x
		case a.s.n != b.s.n:
			return g.less(a.s.n, b.s.n)
		}
		return a.s.ph < b.s.ph
	}}
}

// named returns everyone p names but me and target, in order of first
// appearance.
func named(p Plan, me, target UserID) []UserID {
	var out []UserID
	for _, s := range p {
		for _, u := range [...]UserID{s.By, s.Who} {
			if u != "" && u != me && u != target && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}
