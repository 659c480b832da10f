package extlink

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// PlanGroup returns a shortest plan that, applied, ends in a group of
// exactly me and target with me as its only master (R22): the post's trick,
// generalised to any chain of people. It returns the direct plan when me may
// create a group with target, and otherwise works through intermediaries:
// each person is added by a master who can talk with them 1:1, masters are
// appointed before they add anyone, the creator's tenant lets them create
// groups, everyone in an external group is allowed there, and everyone but
// me and target is out of the group at the end: each leaves where its
// tenant lets members leave groups, and me removes it otherwise (R16, R18,
// D5). For the post's cast it is four steps: A creates a group with B,
// invites me and hands me the master role, and I remove A, as the post does
// (A leaves instead where A's tenant allows it).
//
// groups are the groups that already exist (R22). A plan may start from
// one of them instead of creating a group: its masters hand the role on,
// its members invite whom the plan needs, and everyone but me and target
// leaves or is removed; each step names the group it acts on (Step.Group k:
// groups[k-1]). If a given group already is a group of exactly me and
// target with me its only master, the plan is empty (and not nil). A given
// group is used only when that is strictly shorter than a new group, and
// among equally short ones the first given; dissolved groups, and groups
// with a member d does not know, are passed over. PlanGroup takes the
// groups as they are and never changes them: if d has changed since they
// were last brought in line with it, [Reconcile] them first.
//
// "Shortest" counts [Step]s over the full op set, rooms included; ties are
// broken by ID order, so the same directory, groups and query always give
// the same plan (R26). The plan applies with [Plan.Apply], given the same
// groups.
//
// Cost: without groups, a search over the people within a few hops of me
// and target, growing until no cheaper plan can remain; each group given
// adds a pass over its members and, when me or target must still be
// brought in, the searches grown as far as a shorter plan could reach.
//
// When no plan exists the error is an *[UnreachableError], which wraps
// [ErrUnreachable] and the sentinel of its reason, and says what would help.
// Naming a user twice (me == target) is an ordinary error.
//
// PlanGroup is [PlanGroupContext] with [context.Background]: it cannot be
// stopped.
func PlanGroup(d Store, me, target UserID, groups ...Group) (Plan, error) {
	return planGroup(context.Background(), d, me, target, false, groups)
}

// PlanGroupContext is [PlanGroup] that stops when ctx is done: it then
// returns ctx's error (context.Canceled or context.DeadlineExceeded,
// unwrapped) and no plan. The search asks ctx every thousand or so links
// and members it looks at, so a cancelled search returns within
// microseconds to milliseconds whatever the directory's size; a search that
// ends before it notices returns its answer. A ctx already done returns its
// error at once (R22).
func PlanGroupContext(ctx context.Context, d Store, me, target UserID, groups ...Group) (Plan, error) {
	return planGroup(ctx, d, me, target, false, groups)
}

func planGroup(ctx context.Context, d Store, me, target UserID, exhaustive bool, groups []Group) (Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if me == target {
		return nil, fmt.Errorf("extlink: plan: %w", errInvalidf("me and target are both %s", me))
	}
	g := graphOf(d)
	s, uerr := newSearch(g, me, target)
	if uerr != nil {
		return nil, uerr
	}
	s.exhaustive = exhaustive
	s.cx = newCanceller(ctx)
	best := s.internal()
	var scratch Plan
	if ext, err := s.external(best); err == nil {
		best = ext
	} else if best.kind == candNone {
		uerr = err
		if colleague(s.meRec, s.targetRec) {
			// Colleagues need only an internal group, which nobody in
			// their tenant may create: that is the blame, not whatever
			// keeps them from an external one (R12).
			uerr = &UnreachableError{Me: me, Target: target, Reason: ReasonNoGroupRights, Tenant: s.meRec.tenant}
		}
	}
	if s.cx.stopped() {
		return nil, s.cx.err
	}
	if best.kind != candNone {
		p, err := s.build(best)
		if s.cx.stopped() {
			// Building walks neighbours too, and stops with the search: a
			// plan cut short by the context is no plan.
			return nil, s.cx.err
		}
		if err == nil && len(p) != int(best.cost) {
			// The cost model and the plan it stands for must agree.
			err = fmt.Errorf("extlink: internal error: a plan of cost %d came out as %d steps", best.cost, len(p))
		}
		if err != nil {
			return nil, err
		}
		scratch = p
	}
	if len(groups) > 0 {
		// An existing group wins only when strictly shorter (R22), and
		// only with a plan that applies: a group out of line with d (not
		// reconciled since d changed) may refuse a step the model counts
		// on, and the plan from scratch stands then.
		c, ok := s.fromGroups(groups, best.cost)
		if s.cx.stopped() {
			return nil, s.cx.err
		}
		if ok {
			p, err := s.buildFrom(c)
			if s.cx.stopped() {
				return nil, s.cx.err
			}
			if err != nil {
				return nil, err
			}
			if _, err := p.Apply(d, groups...); err == nil {
				return p, nil
			}
		}
	}
	if uerr != nil {
		return nil, uerr
	}
	return scratch, nil
}

// UnreachableError says why no plan puts two users in a group of their own
// (R22). It wraps [ErrUnreachable] and the sentinel of its Reason.
type UnreachableError struct {
	Me, Target UserID
	Reason     Reason   // why: the user is unknown, a LINE user, not allowed in an external group, no chain, no creator
	Party      UserID   // the user it is about, if any
	Tenant     TenantID // the tenant whose setting blocks, if any
}

// Error returns one sentence: what cannot be planned, why, by which rule,
// and what would help:
//
//	extlink: no plan puts me and b in a group of their own: no chain of people who can talk 1:1 connects them (R13); link me with b, or with someone linked with b
func (e *UnreachableError) Error() string {
	s := "extlink: no plan puts " + string(e.Me) + " and " + string(e.Target) + " in a group of their own: " + e.Why()
	if r := e.Rule(); r != 0 {
		s += " (" + r.String() + ")"
	}
	if r := e.Remedy(); r != "" {
		s += "; " + r
	}
	return s
}

// Why returns the reason in words, without rule or remedy.
func (e *UnreachableError) Why() string {
	p, t := string(e.Party), string(e.Tenant)
	c := e.Reason.clause(p, t)
	switch e.Reason {
	case ReasonUnknownUser, ReasonLINEInGroup:
		return c
	case ReasonWorksOff:
		return c + ", so " + p + " cannot be in an external group"
	case ReasonNotConnected:
		return c + ", so cannot be in an external group"
	case ReasonNotLinked:
		return "no chain of people who can talk 1:1 connects them"
	case ReasonNoGroupRights:
		return "nobody who may create groups is on a chain between them"
	}
	return e.Reason.String()
}

// Rule returns the rule behind the reason: R22 for an unknown user, R6 for
// a LINE user, R12 for group rights and external-group membership, R13 for
// no chain.
func (e *UnreachableError) Rule() Rule {
	switch e.Reason {
	case ReasonUnknownUser:
		return R22
	case ReasonLINEInGroup:
		return R6
	case ReasonWorksOff, ReasonNotConnected, ReasonNoGroupRights:
		return R12
	case ReasonNotLinked:
		return R13
	}
	return 0
}

// Remedy returns what would make a plan possible, as an instruction, or "".
func (e *UnreachableError) Remedy() string {
	p, t := string(e.Party), string(e.Tenant)
	switch e.Reason {
	case ReasonUnknownUser:
		return "check the ID"
	case ReasonLINEInGroup:
		return "talk with " + p + " in a room instead"
	case ReasonWorksOff:
		return "ask " + t + "'s admin to allow it"
	case ReasonNotConnected:
		return "add " + p + " to " + t + "'s connected members"
	case ReasonNotLinked:
		return "link " + string(e.Me) + " with " + string(e.Target) + ", or with someone linked with " + string(e.Target)
	case ReasonNoGroupRights:
		return "let " + t + "'s members create groups, or ask one of its admins to build the group"
	}
	return ""
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
	candRootMePath // me creates: a shortest path through a centre where the searches met
)

type candidate struct {
	kind    int
	cost    int32
	creator int32   // the creator
	u, v    int32   // the root's children: toward me (or both), toward target
	path    []int32 // candRootMePath: me's partner up to the centre, where target's chain starts
}

const noNode = int32(-1)

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
	s := &search{g: g, me: m, target: t, meRec: g.rec(m), targetRec: g.rec(t)}
	for _, x := range [...]struct {
		id UserID
		r  *rec
	}{{me, &s.meRec}, {target, &s.targetRec}} {
		if x.r.kind != WorksUser {
			return nil, un(ReasonLINEInGroup, x.id, "")
		}
	}
	return s, nil
}

// inExternal reports whether r's user may be in an external group (R6, R12).
func inExternal(r rec) bool {
	why, _, _ := externalOK(&r, "")
	return why == ReasonNone
}

// creates reports whether r's user may create groups (R12).
func creates(r rec) bool { return r.kind == WorksUser && r.has(fCreate) }

// internal returns the best plan through an internal group (R11): possible
// when me and target are colleagues, and then everyone involved is.
func (s *search) internal() candidate {
	if !colleague(s.meRec, s.targetRec) {
		return candidate{kind: candNone, cost: maxCost}
	}
	switch {
	case creates(s.meRec):
		return candidate{kind: candInternal1, cost: 1, creator: s.me}
	case creates(s.targetRec):
		return candidate{kind: candInternal2, cost: 2, creator: s.target}
	}
	for _, c := range s.g.members(s.me) {
		if r := s.g.rec(c); c != s.me && c != s.target && creates(r) {
			return candidate{kind: candInternal4, cost: 4, creator: c}
		}
	}
	return candidate{kind: candNone, cost: maxCost}
}

const maxCost = int32(1 << 30)

// nbrs yields the neighbours of n in the external-group graph: users allowed
// in an external group whom n can talk with 1:1 (linked, or colleagues).
func (s *search) nbrs(n int32) func(func(int32) bool) {
	return func(yield func(int32) bool) {
		for _, u := range s.g.links(n) {
			if s.cx.stop() {
				return
			}
			if r := s.g.rec(u); inExternal(r) && !yield(u) {
				return
			}
		}
		for _, u := range s.g.members(n) {
			if s.cx.stop() {
				return
			}
			if r := s.g.rec(u); u != n && inExternal(r) && !yield(u) {
				return
			}
		}
	}
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
// neighbour one hop closer by sd's levels each time, avoiding avoid.
func (s *search) chain(t *tree, v, dst, avoid int32, sd *side) error {
	for v != dst {
		next := noNode
		hv, _ := sd.levelOf(s, v)
		for u := range s.nbrs(v) {
			if h, ok := sd.levelOf(s, u); ok && h == hv-1 && u != avoid && !t.in[u] {
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

// subtree adds v's subtree holding both terminals, as bothCost says (v is in t).
func (s *search) subtree(t *tree, v int32) error {
	switch {
	case v == s.me:
		return s.chain(t, v, s.target, s.me, s.fromTarget)
	case v == s.target:
		return s.chain(t, v, s.me, s.target, s.fromMe)
	}
	if via := s.bothVia[v]; via != noNode {
		if err := t.add(v, via); err != nil {
			return err
		}
		return s.subtree(t, via)
	}
	if err := s.chain(t, v, s.me, s.target, s.fromMe); err != nil {
		return err
	}
	return s.chain(t, v, s.target, s.me, s.fromTarget)
}

// build turns the chosen candidate into a plan.
func (s *search) build(c candidate) (Plan, error) {
	id := s.g.id
	me, tg := id(s.me), id(s.target)
	switch c.kind {
	case candInternal1:
		return Plan{{Op: OpCreateGroup, By: me, Who: tg}}, nil
	case candInternal2:
		return Plan{{Op: OpCreateGroup, By: tg, Who: me}, {Op: OpTransfer, By: tg, Who: me}}, nil
	case candInternal4:
		p := Plan{{Op: OpCreateGroup, By: id(c.creator), Who: tg}, {Op: OpInvite, By: id(c.creator), Who: me}, {Op: OpTransfer, By: id(c.creator), Who: me}}
		return append(p, s.exit(c.creator)), nil
	}
	// A tree of cost x holds at most about x/3 inviters and x people.
	t := &tree{root: c.creator, children: make(map[int32][]int32, c.cost/wInviter+2), in: make(map[int32]bool, c.cost+2)}
	t.in[c.creator] = true
	var err error
	switch c.kind {
	case candRootMe:
		if err = t.add(c.creator, c.u); err == nil {
			err = s.chain(t, c.u, s.target, s.me, s.fromTarget)
		}
	case candRootTarget:
		if err = t.add(c.creator, c.u); err == nil {
			err = s.chain(t, c.u, s.me, s.target, s.fromMe)
		}
	case candRootCenter:
		if err = t.add(c.creator, c.u); err == nil {
			err = s.chain(t, c.u, s.me, s.target, s.fromMe)
		}
		if err == nil {
			err = t.add(c.creator, c.v)
		}
		if err == nil {
			err = s.chain(t, c.v, s.target, s.me, s.fromTarget)
		}
	case candRootPass:
		if err = t.add(c.creator, c.u); err == nil {
			err = s.subtree(t, c.u)
		}
	case candRootMePath:
		parent := s.me
		for _, n := range c.path {
			if err = t.add(parent, n); err != nil {
				break
			}
			parent = n
		}
		if err == nil && parent != s.target {
			err = s.chain(t, parent, s.target, s.me, s.fromTarget)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.steps(t, int(c.cost))
}

// steps lays out a tree's plan, of size steps (its capacity): create with the partner, then, top down,
// each node invites its children and promotes those who must be masters
// (handing its own role to the last of them unless it is me), then every
// intermediary leaves, or is removed by me where its tenant forbids leaving.
func (s *search) steps(t *tree, size int) (Plan, error) {
	id := s.g.id
	c := t.root
	rc := s.g.rec(c)
	// The partner: a child of another tenant, else a pure partner.
	p := noNode
	for _, u := range t.children[c] {
		if ru := s.g.rec(u); !colleague(rc, ru) {
			p = u
			break
		}
	}
	if p == noNode {
		for q := range s.nbrs(c) {
			if rq := s.g.rec(q); !t.in[q] && !colleague(rc, rq) {
				p = q
				break
			}
		}
		if p == noNode {
			return nil, errors.New("extlink: internal error: no partner for an external group")
		}
		t.in[p] = true
	}
	plan := make(Plan, 1, size)
	plan[0] = Step{Op: OpCreateGroup, By: id(c), Who: id(p)}
	order := make([]int32, 1, len(t.in))
	order[0] = c
	for i := 0; i < len(order); i++ {
		v := order[i]
		kids := t.children[v]
		var promote []int32
		for _, u := range kids {
			if u != p {
				plan = append(plan, Step{Op: OpInvite, By: id(v), Who: id(u)})
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
			plan = append(plan, Step{Op: op, By: id(v), Who: id(u)})
		}
	}
	// Everyone but me and target leaves, in join order.
	if !slices.Contains(order, p) {
		order = append(order, p)
	}
	for _, v := range order {
		if v != s.me && v != s.target {
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
