package extlink

import (
	"container/heap"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// PlanGroup returns a shortest plan that, applied, ends in a group of
// exactly me and target with me as its only master (R22): the post's trick,
// generalised to any chain of people. It returns the direct plan when me may
// create a group with target, and otherwise works through intermediaries:
// each person is added by a master who can talk with them 1:1, masters are
// appointed before they add anyone, the creator's tenant lets them create
// groups, everyone in an external group is allowed there, and everyone but
// me and target is out of the group at the end. For the post's cast it is
// four steps: A creates a group with B, invites me, hands me the master role
// and leaves.
//
// "Shortest" counts [Step]s over the full op set, rooms included; ties are
// broken by ID order, so the same directory and query always give the same
// plan (R26). The plan applies with [Plan.Apply].
//
// When no plan exists the error is an *[UnreachableError], which wraps
// [ErrUnreachable] and the sentinel of its reason, and says what would help.
// Naming a user twice (me == target) is an ordinary error.
func PlanGroup(d Store, me, target UserID) (Plan, error) {
	if me == target {
		return nil, fmt.Errorf("extlink: plan: me and target are both %s", me)
	}
	g := graphOf(d)
	s, uerr := newSearch(g, me, target)
	if uerr != nil {
		return nil, uerr
	}
	best := s.internal()
	if ext, uerr := s.external(); uerr == nil && ext.cost < best.cost {
		best = ext
	} else if best.kind == candNone {
		return nil, uerr
	}
	p, err := s.build(best)
	if err == nil && len(p) != int(best.cost) {
		// The cost model and the plan it stands for must agree.
		err = fmt.Errorf("extlink: internal error: a plan of cost %d came out as %d steps", best.cost, len(p))
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UnreachableError says why no plan puts two users in a group of their own
// (R22). It wraps [ErrUnreachable] and the sentinel of its Reason.
type UnreachableError struct {
	Me, Target UserID
	Reason     Reason   // why: the user is unknown, a LINE user, not allowed in an external group, no chain, no creator
	Party      UserID   // the user it is about, if any
	Tenant     TenantID // the tenant whose setting blocks, if any
}

// Error returns one sentence: what cannot be planned, why, and what would
// help.
func (e *UnreachableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "extlink: no plan puts %s and %s in a group of their own: ", e.Me, e.Target)
	p, t := string(e.Party), string(e.Tenant)
	switch e.Reason {
	case ReasonUnknownUser:
		b.WriteString(p + " is not in the directory (R22); check the ID")
	case ReasonLINEInGroup:
		b.WriteString(p + " is a LINE user, and groups exclude LINE users (R6); talk with " + p + " in a room instead")
	case ReasonWorksOff:
		b.WriteString(t + " does not allow talk with outside LINE WORKS users, so " + p + " cannot be in an external group (R12); ask " + t + "'s admin to allow it")
	case ReasonNotConnected:
		b.WriteString(p + " is not one of " + t + "'s connected members, so cannot be in an external group (R12); add " + p + " to " + t + "'s connected members")
	case ReasonNotLinked:
		b.WriteString("no chain of people who can talk 1:1 connects them (R13); link " + string(e.Me) + " with " + string(e.Target) + ", or with someone linked with " + string(e.Target))
	case ReasonNoGroupRights:
		b.WriteString("nobody who may create groups is on a chain between them (R12); let members create groups in " + string(e.Me) + "'s tenant, or ask an admin")
	default:
		b.WriteString(e.Reason.String())
	}
	return b.String()
}

// Unwrap returns [ErrUnreachable] and the reason's sentinel.
func (e *UnreachableError) Unwrap() []error {
	if c := e.Reason.Cause(); c != nil {
		return []error{ErrUnreachable, c}
	}
	return []error{ErrUnreachable}
}

// The planner's cost model. A shortest plan builds one group, never a room
// (a room's converter could have created the group and invited everyone in
// fewer steps), as an invitation tree rooted at its creator c: c creates the
// group with one child p (the partner, of another tenant for an external
// group), and every other person is invited by their parent, a master who can
// talk with them. Its length is
//
//	1 (create) + joins (everyone but c and p) + promotions (every inviter
//	but c, and me unless me is c) + exits (everyone but me and target)
//
// because no step does two of these jobs, save that target, when it must be
// a master, hands the role on with Transfer to the next master it makes.
// Hence per-node weights: an intermediary who invites costs 3 (join,
// promotion, exit), c costs 1 (exit), me costs 2 (join, promotion), target
// costs 1 (join), or 2 when it invites; p's join is free; c itself costs
// nothing to join. An external group's c needs p from another tenant; if no
// child of c is, a pure partner joins and leaves (1). The search below
// minimises the total over trees whose edges are 1:1 talk between users
// allowed in an external group, with me and target in the tree.

// Weights of the cost model (see above).
const (
	wInviter = 3 // an intermediary who invites: join, promotion, exit
	wMe      = 2 // me below the root: join, promotion
	wTarget  = 1 // target as a leaf: join
	wRoot    = 1 // an intermediary creator: exit
	wBase    = 1 // the creation step
)

// candidate kinds.
const (
	candNone       = iota
	candInternal1  // me creates an internal group with target
	candInternal2  // target creates it and hands the role to me
	candInternal4  // a colleague creates it, invites, hands over, leaves
	candRootMe     // me creates an external group: chain to target
	candRootTarget // target creates: chain to me
	candRootCenter // an intermediary creates: one child toward me, one toward target
	candRootPass   // an intermediary creates: one child whose subtree holds both
)

type candidate struct {
	kind int
	cost int32
	c    int32 // the creator
	u, v int32 // the root's children: toward me (or both), toward target
}

const noNode = int32(-1)

// search holds one PlanGroup query.
type search struct {
	g      graph
	me, tg int32
	rme    rec
	rtg    rec
	hm, ht map[int32]int32 // hop distances from me (not through target) and from target (not through me)
	xb     map[int32]int32 // least cost of a subtree holding both me and target, rooted at the node
	xbVia  map[int32]int32 // how xb was reached: a child to pass through, or noNode for a centre
}

func newSearch(g graph, me, target UserID) (*search, *UnreachableError) {
	un := func(why Reason, p UserID, t TenantID) *UnreachableError {
		return &UnreachableError{Me: me, Target: target, Reason: why, Party: p, Tenant: t}
	}
	m, ok := g.node(me)
	if !ok {
		return nil, un(ReasonUnknownUser, me, "")
	}
	t, ok := g.node(target)
	if !ok {
		return nil, un(ReasonUnknownUser, target, "")
	}
	s := &search{g: g, me: m, tg: t, rme: g.rec(m), rtg: g.rec(t)}
	for _, x := range [...]struct {
		id UserID
		r  *rec
	}{{me, &s.rme}, {target, &s.rtg}} {
		if x.r.kind != WorksUser {
			return nil, un(ReasonLINEInGroup, x.id, "")
		}
	}
	return s, nil
}

// inM reports whether r's user may be in an external group (R6, R12).
func inM(r *rec) bool { return r.kind == WorksUser && r.has(fWorksOK) }

// creates reports whether r's user may create groups (R12).
func creates(r *rec) bool { return r.kind == WorksUser && r.has(fCreate) }

// internal returns the best plan through an internal group (R11): possible
// when me and target are colleagues, and then everyone involved is.
func (s *search) internal() candidate {
	if !colleague(&s.rme, &s.rtg) {
		return candidate{kind: candNone, cost: maxCost}
	}
	switch {
	case creates(&s.rme):
		return candidate{kind: candInternal1, cost: 1, c: s.me}
	case creates(&s.rtg):
		return candidate{kind: candInternal2, cost: 2, c: s.tg}
	}
	for c := range s.g.members(s.me) {
		if r := s.g.rec(c); c != s.me && c != s.tg && creates(&r) {
			return candidate{kind: candInternal4, cost: 4, c: c}
		}
	}
	return candidate{kind: candNone, cost: maxCost}
}

const maxCost = int32(1 << 30)

// nbrs yields the neighbours of n in the external-group graph: users allowed
// in an external group whom n can talk with 1:1 (linked, or colleagues).
func (s *search) nbrs(n int32) func(func(int32) bool) {
	return func(yield func(int32) bool) {
		for u := range s.g.links(n) {
			if r := s.g.rec(u); inM(&r) && !yield(u) {
				return
			}
		}
		for u := range s.g.members(n) {
			if r := s.g.rec(u); u != n && inM(&r) && !yield(u) {
				return
			}
		}
	}
}

// bfs returns hop distances from src over the external-group graph, not
// expanding through block.
func (s *search) bfs(src, block int32) map[int32]int32 {
	lv := map[int32]int32{src: 0}
	done := map[TenantID]bool{}
	frontier := []int32{src}
	for k := int32(1); len(frontier) > 0; k++ {
		var next []int32
		for _, v := range frontier {
			if v == block {
				continue
			}
			visit := func(u int32) bool {
				if _, ok := lv[u]; !ok {
					lv[u] = k
					next = append(next, u)
				}
				return true
			}
			for u := range s.g.links(v) {
				if r := s.g.rec(u); inM(&r) {
					visit(u)
				}
			}
			// Colleagues: the whole tenant is one hop away, once.
			if r := s.g.rec(v); !done[r.tenant] {
				done[r.tenant] = true
				for u := range s.g.members(v) {
					if ru := s.g.rec(u); u != v && inM(&ru) {
						visit(u)
					}
				}
			}
		}
		frontier = next
	}
	return lv
}

// xm is the cost of the path from u down to me, u and me included: u an
// inviter, me a leaf below the root. ok is false when u has none.
func (s *search) xm(u int32) (int32, bool) {
	h, ok := s.hm[u]
	if !ok || u == s.tg {
		return 0, false
	}
	return wInviter*h + wMe, true
}

// xt is the cost of the path from u down to target.
func (s *search) xt(u int32) (int32, bool) {
	h, ok := s.ht[u]
	if !ok || u == s.me {
		return 0, false
	}
	return wInviter*h + wTarget, true
}

// computeXb fills xb: the least cost of a subtree rooted at a node (the
// node's own weight included, as a non-root) that holds both me and target.
// Seeds are me inviting toward target, target inviting toward me (and
// handing its role on), and centres; the rest passes through a child.
func (s *search) computeXb() {
	s.xb, s.xbVia = map[int32]int32{}, map[int32]int32{}
	q := &nodeHeap{g: s.g}
	seed := func(n, x int32) {
		if old, ok := s.xb[n]; !ok || x < old {
			s.xb[n], s.xbVia[n] = x, noNode
			heap.Push(q, nodeCost{n, x})
		}
	}
	if h, ok := s.ht[s.me]; ok {
		seed(s.me, wMe+wInviter*(h-1)+wTarget) // me, then a chain of h-1 inviters to target
	}
	if h, ok := s.hm[s.tg]; ok {
		seed(s.tg, 2+wInviter*(h-1)+wMe) // target joins and is promoted, then the chain to me
	}
	for v, a := range s.hm {
		if b, ok := s.ht[v]; ok && v != s.me && v != s.tg {
			seed(v, wInviter+wInviter*(a-1)+wMe+wInviter*(b-1)+wTarget)
		}
	}
	for q.Len() > 0 {
		nc := heap.Pop(q).(nodeCost)
		if nc.x != s.xb[nc.n] {
			continue
		}
		for u := range s.nbrs(nc.n) {
			if u == s.me || u == s.tg {
				continue
			}
			if x := wInviter + nc.x; x < s.xbOr(u) {
				s.xb[u], s.xbVia[u] = x, nc.n
				heap.Push(q, nodeCost{u, x})
			}
		}
	}
}

func (s *search) xbOr(n int32) int32 {
	if x, ok := s.xb[n]; ok {
		return x
	}
	return maxCost
}

// external returns the best plan through an external group, or why there is
// none.
func (s *search) external() (candidate, *UnreachableError) {
	un := func(why Reason, p int32, t TenantID) *UnreachableError {
		e := &UnreachableError{Me: s.g.id(s.me), Target: s.g.id(s.tg), Reason: why, Tenant: t}
		if p != noNode {
			e.Party = s.g.id(p)
		}
		return e
	}
	for _, x := range [...]struct {
		n int32
		r *rec
	}{{s.me, &s.rme}, {s.tg, &s.rtg}} {
		if why, _, t := externalOK(x.r, ""); why != ReasonNone {
			return candidate{}, un(why, x.n, t)
		}
	}
	s.hm = s.bfs(s.me, s.tg)
	s.ht = s.bfs(s.tg, s.me)
	if _, ok := s.hm[s.tg]; !ok {
		return candidate{}, un(ReasonNotLinked, noNode, "")
	}
	s.computeXb()

	best := candidate{kind: candNone, cost: maxCost}
	consider := func(c candidate) {
		if c.cost < best.cost {
			best = c
		}
	}
	// Candidate creators: everyone reached, in node order.
	var roots []int32
	for n := range s.hm {
		roots = append(roots, n)
	}
	for n := range s.ht {
		if _, ok := s.hm[n]; !ok {
			roots = append(roots, n)
		}
	}
	slices.SortFunc(roots, func(a, b int32) int { return strings.Compare(string(s.g.id(a)), string(s.g.id(b))) })
	for _, c := range roots {
		rc := s.g.rec(c)
		if !creates(&rc) {
			continue
		}
		s.evalRoot(c, &rc, consider)
	}
	if best.kind == candNone {
		return candidate{}, un(ReasonNoGroupRights, noNode, "")
	}
	return best, nil
}

// evalRoot offers every tree rooted at c to consider.
func (s *search) evalRoot(c int32, rc *rec, consider func(candidate)) {
	cross := func(u int32) bool {
		ru := s.g.rec(u)
		return !colleague(rc, &ru)
	}
	// A pure partner: someone of another tenant c can create the group with,
	// who is neither me nor target, joining only to make the group external.
	pure := false
	for q := range s.nbrs(c) {
		if q != s.me && q != s.tg && cross(q) {
			pure = true
			break
		}
	}
	// adj is the partner adjustment for a root whose children's tenants are
	// as given: -1 when one child can be the partner, +1 for a pure partner.
	adj := func(anyCross bool) (int32, bool) {
		switch {
		case anyCross:
			return -1, true
		case pure:
			return +1, true
		}
		return 0, false
	}
	switch c {
	case s.me:
		for u := range s.nbrs(c) {
			if x, ok := s.xt(u); ok {
				if a, ok := adj(cross(u)); ok {
					consider(candidate{kind: candRootMe, cost: wBase + x + a, c: c, u: u})
				}
			}
		}
		return
	case s.tg:
		for u := range s.nbrs(c) {
			if x, ok := s.xm(u); ok {
				if a, ok := adj(cross(u)); ok {
					consider(candidate{kind: candRootTarget, cost: wBase + x + a, c: c, u: u})
				}
			}
		}
		return
	}
	// An intermediary creator: a centre with a child toward each terminal, or
	// one child whose subtree holds both.
	var ms, ts []int32
	for u := range s.nbrs(c) {
		if _, ok := s.xm(u); ok {
			ms = append(ms, u)
		}
		if _, ok := s.xt(u); ok {
			ts = append(ts, u)
		}
		if x, ok := s.xb[u]; ok {
			if a, ok := adj(cross(u)); ok {
				consider(candidate{kind: candRootPass, cost: wBase + wRoot + x + a, c: c, u: u})
			}
		}
	}
	for _, u := range ms {
		xu, _ := s.xm(u)
		for _, v := range ts {
			if u == v {
				continue
			}
			xv, _ := s.xt(v)
			if a, ok := adj(cross(u) || cross(v)); ok {
				consider(candidate{kind: candRootCenter, cost: wBase + wRoot + xu + xv + a, c: c, u: u, v: v})
			}
		}
	}
}

type nodeCost struct{ n, x int32 }

// nodeHeap orders by cost, then user ID, so that pops are deterministic and
// the same for every Store.
type nodeHeap struct {
	g graph
	a []nodeCost
}

func (h *nodeHeap) Len() int { return len(h.a) }
func (h *nodeHeap) Less(i, j int) bool {
	a, b := h.a[i], h.a[j]
	return a.x < b.x || a.x == b.x && h.g.id(a.n) < h.g.id(b.n)
}
func (h *nodeHeap) Swap(i, j int) { h.a[i], h.a[j] = h.a[j], h.a[i] }
func (h *nodeHeap) Push(x any)    { h.a = append(h.a, x.(nodeCost)) }
func (h *nodeHeap) Pop() any {
	x := h.a[len(h.a)-1]
	h.a = h.a[:len(h.a)-1]
	return x
}

// tree is an invitation tree: the creator, each node's children in order.
type tree struct {
	root     int32
	children map[int32][]int32
	in       map[int32]bool
}

func (t *tree) add(parent, child int32) error {
	if t.in[child] {
		return errors.New("extlink: internal error: plan tree revisits a user")
	}
	t.in[child] = true
	t.children[parent] = append(t.children[parent], child)
	return nil
}

// chain adds the path from v down to the terminal dst, stepping to a
// neighbour one hop closer by lv each time, avoiding avoid.
func (s *search) chain(t *tree, v, dst, avoid int32, lv map[int32]int32) error {
	for v != dst {
		next := noNode
		for u := range s.nbrs(v) {
			if h, ok := lv[u]; ok && h == lv[v]-1 && u != avoid && (!t.in[u] || u == dst && !t.in[u]) {
				next = u
				break
			}
		}
		if next == noNode {
			return errors.New("extlink: internal error: plan chain broken")
		}
		if err := t.add(v, next); err != nil {
			return err
		}
		v = next
	}
	return nil
}

// subtree adds v's subtree holding both terminals, as xb says (v is in t).
func (s *search) subtree(t *tree, v int32) error {
	switch {
	case v == s.me:
		return s.chain(t, v, s.tg, s.me, s.ht)
	case v == s.tg:
		return s.chain(t, v, s.me, s.tg, s.hm)
	}
	if via := s.xbVia[v]; via != noNode {
		if err := t.add(v, via); err != nil {
			return err
		}
		return s.subtree(t, via)
	}
	if err := s.chain(t, v, s.me, s.tg, s.hm); err != nil {
		return err
	}
	return s.chain(t, v, s.tg, s.me, s.ht)
}

// build turns the chosen candidate into a plan.
func (s *search) build(c candidate) (Plan, error) {
	id := s.g.id
	me, tg := id(s.me), id(s.tg)
	switch c.kind {
	case candInternal1:
		return Plan{{OpCreateGroup, me, tg}}, nil
	case candInternal2:
		return Plan{{OpCreateGroup, tg, me}, {OpTransfer, tg, me}}, nil
	case candInternal4:
		p := Plan{{OpCreateGroup, id(c.c), tg}, {OpInvite, id(c.c), me}, {OpTransfer, id(c.c), me}}
		return append(p, s.exit(c.c)), nil
	}
	t := &tree{root: c.c, children: map[int32][]int32{}, in: map[int32]bool{c.c: true}}
	var err error
	switch c.kind {
	case candRootMe:
		if err = t.add(c.c, c.u); err == nil {
			err = s.chain(t, c.u, s.tg, s.me, s.ht)
		}
	case candRootTarget:
		if err = t.add(c.c, c.u); err == nil {
			err = s.chain(t, c.u, s.me, s.tg, s.hm)
		}
	case candRootCenter:
		if err = t.add(c.c, c.u); err == nil {
			err = s.chain(t, c.u, s.me, s.tg, s.hm)
		}
		if err == nil {
			err = t.add(c.c, c.v)
		}
		if err == nil {
			err = s.chain(t, c.v, s.tg, s.me, s.ht)
		}
	case candRootPass:
		if err = t.add(c.c, c.u); err == nil {
			err = s.subtree(t, c.u)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.steps(t)
}

// steps lays out a tree's plan: create with the partner, then, top down,
// each node invites its children and promotes those who must be masters
// (handing its own role to the last of them unless it is me), then every
// intermediary leaves, or is removed by me where its tenant forbids leaving.
func (s *search) steps(t *tree) (Plan, error) {
	id := s.g.id
	c := t.root
	rc := s.g.rec(c)
	// The partner: a child of another tenant, else a pure partner.
	p := noNode
	for _, u := range t.children[c] {
		if ru := s.g.rec(u); !colleague(&rc, &ru) {
			p = u
			break
		}
	}
	if p == noNode {
		for q := range s.nbrs(c) {
			if rq := s.g.rec(q); !t.in[q] && !colleague(&rc, &rq) {
				p = q
				break
			}
		}
		if p == noNode {
			return nil, errors.New("extlink: internal error: no partner for an external group")
		}
		t.in[p] = true
	}
	plan := Plan{{OpCreateGroup, id(c), id(p)}}
	order := []int32{c}
	for i := 0; i < len(order); i++ {
		v := order[i]
		kids := t.children[v]
		var promote []int32
		for _, u := range kids {
			if u != p {
				plan = append(plan, Step{OpInvite, id(v), id(u)})
			}
			if u == s.me || len(t.children[u]) > 0 {
				promote = append(promote, u)
			}
			order = append(order, u)
		}
		for k, u := range promote {
			op := OpAppoint
			if k == len(promote)-1 && v != s.me {
				op = OpTransfer
			}
			plan = append(plan, Step{op, id(v), id(u)})
		}
	}
	// Everyone but me and target leaves, in join order.
	if !slices.Contains(order, p) {
		order = append(order, p)
	}
	for _, v := range order {
		if v != s.me && v != s.tg {
			plan = append(plan, s.exit(v))
		}
	}
	return plan, nil
}

// exit is how intermediary v gets out at the end, me being a master: it
// leaves, unless its tenant forbids that (D5), and then me removes it.
func (s *search) exit(v int32) Step {
	if r := s.g.rec(v); r.has(fLeave) {
		return Step{Op: OpLeave, By: s.g.id(v)}
	}
	return Step{Op: OpRemove, By: s.g.id(s.me), Who: s.g.id(v)}
}
