package extlink

import (
	"errors"
	"slices"
)

// Plans that start from a group that already exists (R22).
//
// A group g with members M and masters S becomes a group of exactly me and
// target, me its only master, by the same kinds of steps a new group needs,
// except that M's members have joined already and S's are masters already:
//
//	exits: everyone in M but me and target, one step each (each leaves where
//	  its tenant allows it, else me removes it: D5, R16)
//	+ 1 if me is in M but not a master (its promotion)
//	+ 1 if me and target are both masters of g (target resigns; when me is
//	  not a master yet, target hands its role to me instead, which is me's
//	  promotion)
//	+ the chains that bring me and target in, when they are not members:
//	  from a member source u, each intermediary 3 (join, promotion, exit),
//	  me 2 (join, promotion), target 1 (join), and u's own promotion when u
//	  is not a master (me's being counted above).
//
// No step does two of these jobs, save a Transfer from target, which both
// demotes target and promotes another; the layout below uses one wherever a
// promotion follows target's last act, and such a promotion exists whenever
// target must be demoted, except when me is a master from the start. The
// cheapest chains come from the searches of the plan from scratch (search.go):
// a chain from member u to me costs as one from an inviter at u's level,
// less u's join and exit, and likewise toward target and for a subtree that
// holds both. In an internal group, a master invites me and target directly
// (colleagues may always talk: R1).

// fromGroup is the best plan found that starts from the k-th given group.
type fromGroup struct {
	k                int // 1-based: Step.Group
	g                Group
	cost             int32
	srcMe, srcTarget int32 // the members whose chains bring in me and target, or noNode
	srcBoth          int32 // the member whose subtree holds both, or noNode
}

// fromGroups returns the cheapest plan that starts from one of groups and
// costs less than bound, the lowest k among equals; ok is false if none
// does. It may grow the searches' sides and recompute bothCost.
func (s *search) fromGroups(groups []Group, bound int32) (best fromGroup, ok bool) {
	gs := make([]givenGroup, len(groups))
	for i, g := range groups {
		gs[i] = givenGroup{k: i + 1, g: g}
	}
	return s.fromGiven(gs, bound)
}

// givenGroup is a given group with its number (Step.Group) and, if known,
// its members' nodes.
type givenGroup struct {
	k     int
	g     Group
	nodes []int32
}

// fromGiven is fromGroups over some of the given groups, in increasing k.
func (s *search) fromGiven(gs []givenGroup, bound int32) (best fromGroup, ok bool) {
	best.cost = bound
	grown := false
	for _, gg := range gs {
		if s.cx.stopped() {
			return best, false
		}
		if c, found := s.fromGroup(gg, best.cost, &grown); found && c.cost < best.cost {
			best, ok = c, true
		}
	}
	return best, ok
}

// hops returns the longest chain worth looking at for plans cheaper than
// bound: a chain of h hops costs at least 3(h-1)+1.
func hops(bound int32) int32 {
	if bound <= 1 {
		return 0
	}
	return (bound-2)/wInviter + 1
}

// fromGroup evaluates one group; grown says whether the sides have been
// grown for bound already.
func (s *search) fromGroup(gg givenGroup, bound int32, grown *bool) (fromGroup, bool) {
	g, k := gg.g, gg.k
	none := fromGroup{}
	if g.dissolved || g.r.n == 0 || len(g.masters) == 0 {
		return none, false
	}
	me, tg := s.g.id(s.me), s.g.id(s.target)
	// Every member must be known: an unknown one cannot even be removed.
	nodes := gg.nodes
	if nodes == nil {
		nodes = make([]int32, 0, g.r.n)
		for m := range g.r.all() {
			n, ok := s.g.node(m.id)
			if !ok {
				return none, false
			}
			nodes = append(nodes, n)
		}
	}
	meIn, targetIn := g.r.has(me), g.r.has(tg)
	meMaster, targetMaster := g.masters.has(me), g.masters.has(tg)
	b := func(x bool) int32 {
		if x {
			return 1
		}
		return 0
	}
	base := int32(g.r.n) - b(meIn) - b(targetIn) + b(meIn && !meMaster) + b(meMaster && targetMaster)
	c := fromGroup{k: k, g: g, cost: base, srcMe: noNode, srcTarget: noNode, srcBoth: noNode}
	if !g.external {
		// R11: an internal group admits only its home tenant's users.
		for _, r := range [...]rec{s.meRec, s.targetRec} {
			if why, _, _ := g.admits(&r, ""); why != ReasonNone {
				return none, false
			}
		}
		c.cost += 2*b(!meIn) + b(!targetIn)
		return c, true
	}
	// R12-R14: in an external group, whoever joins or becomes a master must
	// be allowed there.
	if !meMaster && !inExternal(s.meRec) || !targetIn && !inExternal(s.targetRec) {
		return none, false
	}
	if meIn && targetIn {
		return c, true
	}
	if base >= bound {
		return none, false
	}
	if !*grown {
		// Once, for the first (largest) bound: a later group's smaller
		// bound needs no more.
		s.grow(bound)
		*grown = true
		s.bothDone = false
	}
	promo := func(u int32) int32 { return b(!g.masters.has(s.g.id(u))) }
	chainMe, chainTarget := newLeastTwo(), newLeastTwo()
	for _, u := range nodes {
		ru := s.g.rec(u)
		if !inExternal(ru) {
			continue // R14: cannot be made a master, nor talk outside
		}
		if !meIn {
			if h, ok := s.fromMe.levelOf(s, u); ok && h > 0 {
				chainMe.add(s, nodeValue{wInviter*(h-1) + wMe + promo(u), u})
			}
		}
		if !targetIn {
			if h, ok := s.fromTarget.levelOf(s, u); ok && h > 0 {
				x := wInviter*(h-1) + wTarget
				if u != s.me {
					x += promo(u) // me's promotion is counted in base
				}
				chainTarget.add(s, nodeValue{x, u})
			}
		}
	}
	switch {
	case !meIn && targetIn:
		if chainMe.first.node == noNode {
			return none, false
		}
		c.cost, c.srcMe = base+chainMe.first.value, chainMe.first.node
		return c, true
	case meIn && !targetIn:
		if chainTarget.first.node == noNode {
			return none, false
		}
		c.cost, c.srcTarget = base+chainTarget.first.value, chainTarget.first.node
		return c, true
	}
	// Neither is a member: two chains from different members, or one
	// member's subtree holding both (its two children toward me and
	// target, or one child further down).
	best := maxCost
	if u := chainMe.first; u.node != noNode {
		for _, v := range [...]nodeValue{chainTarget.except(u.node), chainTarget.first} {
			if v.node == noNode {
				continue
			}
			x := u.value + v.value
			if u.node == v.node {
				x -= promo(u.node) // one source, promoted once: a centre
			}
			if x < best {
				best, c.srcMe, c.srcTarget = x, u.node, v.node
			}
		}
	}
	if v := chainTarget.first; v.node != noNode {
		if u := chainMe.except(v.node); u.node != noNode && u.value+v.value < best {
			best, c.srcMe, c.srcTarget = u.value+v.value, u.node, v.node
		}
	}
	if !s.bothDone {
		s.computeBoth(bound + wInviter)
		s.bothDone = true
	}
	for _, u := range nodes {
		if x, ok := s.bothCost[u]; ok && inExternal(s.g.rec(u)) {
			if x := x - wInviter + promo(u); x < best {
				best, c.srcBoth, c.srcMe, c.srcTarget = x, u, noNode, noNode
			}
		}
	}
	if best == maxCost {
		return none, false
	}
	c.cost = base + best
	return c, true
}

// grow labels both sides as far as chains of plans cheaper than bound
// reach, creating them if the search from scratch did not.
func (s *search) grow(bound int32) {
	if s.fromMe == nil {
		s.fromMe = newSide(s, s.me, s.target)
	}
	if s.fromTarget == nil {
		s.fromTarget = newSide(s, s.target, s.me)
	}
	h := hops(bound)
	s.fromMe.grow(s, h)
	s.fromTarget.grow(s, h)
}

// buildFrom lays out the plan of c: promote the member sources that are
// not masters, invite down the chains top down (each inviter promoting the
// children who invite in turn, and me), have target or the first master
// hand its role to me if me is not a master yet, demote target (by a Transfer in place of the last promotion after
// target's last act, or by resigning), and let everyone else out.
func (s *search) buildFrom(c fromGroup) (Plan, error) {
	g, id := c.g, s.g.id
	me, tg := id(s.me), id(s.target)
	master := map[UserID]bool{}
	for _, m := range g.masters {
		master[m] = true
	}
	m0 := g.masters[0]
	var plan Plan
	step := func(op Op, by, who UserID) {
		plan = append(plan, Step{Op: op, By: by, Who: who, Group: c.k})
	}
	t := &tree{root: noNode, children: map[int32][]int32{}, in: map[int32]bool{}}
	for m := range g.r.all() {
		n, _ := s.g.node(m.id)
		t.in[n] = true
	}
	var order []int32 // the tree top down, from the sources
	if !g.external {
		for _, u := range [...]UserID{me, tg} {
			if !g.r.has(u) {
				step(OpInvite, m0, u)
			}
		}
	} else {
		var err error
		var sources []int32
		if c.srcBoth != noNode {
			sources = append(sources, c.srcBoth)
			err = s.subtree(t, c.srcBoth)
		}
		if c.srcMe != noNode && err == nil {
			sources = append(sources, c.srcMe)
			err = s.chain(t, c.srcMe, s.me, s.target, s.fromMe)
		}
		if c.srcTarget != noNode && err == nil {
			if !slices.Contains(sources, c.srcTarget) {
				sources = append(sources, c.srcTarget)
			}
			err = s.chain(t, c.srcTarget, s.target, s.me, s.fromTarget)
		}
		if err != nil {
			return nil, err
		}
		for _, u := range sources {
			if !master[id(u)] {
				step(OpAppoint, m0, id(u))
				master[id(u)] = true
			}
		}
		order = sources
		for i := 0; i < len(order); i++ {
			v := order[i]
			kids := t.children[v]
			for _, u := range kids {
				step(OpInvite, id(v), id(u))
			}
			promoteMe := false
			for _, u := range kids {
				switch {
				case u == s.me:
					promoteMe = true
				case len(t.children[u]) > 0:
					step(OpAppoint, id(v), id(u))
					master[id(u)] = true
				}
			}
			if promoteMe {
				// v's part is done: it hands its role to me, unless target
				// must still hand its own on (below).
				op := OpTransfer
				if master[tg] {
					op = OpAppoint
				}
				step(op, id(v), me)
				master[me], master[id(v)] = true, op == OpAppoint
			}
			order = append(order, kids...)
		}
	}
	if !master[me] {
		// A master whose part is done hands its role on: target, which
		// must stop being one, else the first master.
		from := tg
		if !master[tg] {
			from = ""
			for u, m := range master {
				if m && (from == "" || u < from) {
					from = u
				}
			}
		}
		step(OpTransfer, from, me)
		master[me], master[from] = true, false
	}
	if master[tg] {
		last := -1 // target's last act
		for i, st := range plan {
			if st.By == tg {
				last = i
			}
		}
		done := false
		for i := len(plan) - 1; i >= max(last, 0); i-- {
			if plan[i].Op == OpAppoint && plan[i].Who != tg {
				plan[i] = Step{Op: OpTransfer, By: tg, Who: plan[i].Who, Group: c.k}
				done = true
				break
			}
		}
		if !done {
			step(OpResign, tg, "")
		}
	}
	// Everyone else out: the group's members in join order, then the
	// intermediaries top down.
	for _, u := range g.r.joinOrder() {
		if u != me && u != tg {
			n, _ := s.g.node(u)
			plan = append(plan, s.exitFrom(n, c.k))
		}
	}
	for _, v := range order {
		if !g.r.has(id(v)) && v != s.me && v != s.target {
			plan = append(plan, s.exitFrom(v, c.k))
		}
	}
	if plan == nil {
		plan = Plan{}
	}
	if len(plan) != int(c.cost) {
		return nil, errors.New("extlink: internal error: a plan from an existing group does not match its cost")
	}
	return plan, nil
}

// exitFrom is s.exit on group k.
func (s *search) exitFrom(v int32, k int) Step {
	st := s.exit(v)
	st.Group = k
	return st
}
