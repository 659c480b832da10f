package extlink

import "slices"

// The audit's use of existing groups (R23).
//
// A plan that starts from a group costs at least its exits (every member
// but me and target), me's join and promotion when me is not a member, and
// target's join when target is not; and its chains need at least as many
// intermediaries as the farther of me and target is hops from the group,
// less one. Those bounds, from hop distances computed once per member and
// once per group, rule out most (member, outsider) pairs against the
// budget and against the plan from scratch the member's own search found;
// PlanGroup decides the rest.

// auditGroups is what an audit knows of the groups given: each live one's
// members as nodes, and indexes from a node and from a tenant to the groups
// holding it.
type auditGroups struct {
	d        Store
	g        graph
	s        *search // for sides: only g is set
	budget   int32
	groups   []Group
	live     []*auditGroup
	byNode   map[int32][]*auditGroup
	byTenant map[int32][]*auditGroup
	nearAny  *side // the people within reach of a group, once needed (mayHelp)
}

// auditGroup is one live group of the audit.
type auditGroup struct {
	k       int // 1-based
	g       Group
	nodes   []int32
	targets []groupTarget // its members, then people within reach, by hops; nil until needed
}

// groupTarget is a possible target of a plan from a group: a node, its hops
// from the group's members (0 for a member), and whether it is a member and
// a master.
type groupTarget struct {
	n          int32
	hops       int32 // from the nearest member
	chain      int32 // the least a chain from the group to it costs beyond its join: promoting its source, and 3 an intermediary
	in, master bool
}

func newAuditGroups(d Store, g graph, budget int32, groups []Group) *auditGroups {
	a := &auditGroups{d: d, g: g, s: &search{g: g}, budget: budget, groups: groups,
		byNode: map[int32][]*auditGroup{}, byTenant: map[int32][]*auditGroup{}}
next:
	for i, gr := range groups {
		if gr.dissolved || gr.r.n == 0 || len(gr.masters) == 0 {
			continue
		}
		ag := &auditGroup{k: i + 1, g: gr}
		for m := range gr.r.all() {
			n, ok := g.node(m.id)
			if !ok {
				continue next // PlanGroup passes it over too
			}
			ag.nodes = append(ag.nodes, n)
		}
		a.live = append(a.live, ag)
		seenT := map[int32]bool{}
		for _, n := range ag.nodes {
			a.byNode[n] = append(a.byNode[n], ag)
			if r := g.rec(n); r.kind == WorksUser && !seenT[r.tidx] {
				seenT[r.tidx] = true
				a.byTenant[r.tidx] = append(a.byTenant[r.tidx], ag)
			}
		}
	}
	return a
}

// multiSide returns a side whose level 0 is every one of srcs, blocking
// nobody.
func multiSide(s *search, srcs []int32) *side {
	sd := newSide(s, srcs[0], noNode)
	for _, n := range srcs[1:] {
		if _, ok := sd.levels[n]; !ok {
			sd.label(s, n, 0)
			sd.cur = append(sd.cur, n)
		}
	}
	return sd
}

// reach returns the hop depth within which an outsider, not a member, can
// be target of a plan from ag within budget: at least |M| exits and joins
// (me a member, target joining) and 3 per intermediary.
func (a *auditGroups) reach(ag *auditGroup) int32 {
	x := a.budget - int32(len(ag.nodes))
	if x < 0 {
		return -1
	}
	return x/wInviter + 1
}

// candidates returns ag's targets: its members and, for an external group,
// the people allowed in one within reach of them, nearest first.
func (a *auditGroups) candidates(ag *auditGroup) []groupTarget {
	if ag.targets != nil {
		return ag.targets
	}
	ag.targets = []groupTarget{}
	for _, n := range ag.nodes {
		ag.targets = append(ag.targets, groupTarget{n: n, in: true, master: ag.g.masters.has(a.g.id(n))})
	}
	depth := a.reach(ag)
	if !ag.g.external || depth <= 0 {
		return ag.targets
	}
	near := multiSide(a.s, ag.nodes)
	near.grow(a.s, depth)
	var masters []int32
	for _, n := range ag.nodes {
		if ag.g.masters.has(a.g.id(n)) {
			masters = append(masters, n)
		}
	}
	fromMaster := multiSide(a.s, masters)
	fromMaster.grow(a.s, depth)
	chain := func(n, l int32) int32 {
		x := wInviter*(l-1) + 1 // a member not a master, promoted
		if h, ok := fromMaster.levelOf(a.s, n); ok {
			x = min(x, wInviter*(h-1))
		}
		return x
	}
	seen := map[int32]bool{}
	for _, n := range ag.nodes {
		seen[n] = true
	}
	var out []groupTarget
	for n, l := range near.levels {
		if !seen[n] {
			seen[n] = true
			out = append(out, groupTarget{n: n, hops: l, chain: chain(n, l)})
		}
	}
	for _, t := range near.tenants {
		if near.tenantLevel[t]+1 > depth {
			continue
		}
		for _, n := range a.g.members(near.tenantRep[t]) {
			if !seen[n] && inExternal(a.g.rec(n)) {
				seen[n] = true
				l, _ := near.levelOf(a.s, n)
				out = append(out, groupTarget{n: n, hops: l, chain: chain(n, l)})
			}
		}
	}
	slices.SortFunc(out, func(x, y groupTarget) int {
		if x.hops != y.hops {
			return int(x.hops - y.hops)
		}
		return int(x.n - y.n)
	})
	ag.targets = append(ag.targets, out...)
	return ag.targets
}

// mayHelp reports whether a group may be near me, as exposures counts
// them: me is a member of one, or me may be in an external group (else no
// plan brings me into one, R12) and is within reach of a group's member.
// Reach is one search from every group's members at once, as far as a
// chain to me can go within the budget (and a hop more), done once for
// the audit: a member it does not reach has no group near, and its rows
// from scratch stand, so a tenant far from every group costs that search
// and no member's own (R23). The search is the reverse of exposures' own
// from me: a path from me to a member, or to a colleague of one, is a path
// back, all its people allowed in an external group, me included.
func (a *auditGroups) mayHelp(me int32) bool {
	if len(a.byNode[me]) > 0 {
		return true
	}
	if !inExternal(a.g.rec(me)) {
		return false
	}
	if a.nearAny == nil {
		var srcs []int32
		for _, ag := range a.live {
			srcs = append(srcs, ag.nodes...)
		}
		if len(srcs) == 0 {
			return false
		}
		a.nearAny = multiSide(a.s, srcs)
		a.nearAny.grow(a.s, hops(a.budget)+1)
	}
	_, ok := a.nearAny.levelOf(a.s, me)
	return ok
}

// fromGroups returns the exposure of me to target through the cheapest
// plan that starts from one of the groups near me and costs less than
// bound, as PlanGroup would find it when the plan from scratch costs bound
// (or more than the budget): PlanGroup's search for existing groups,
// without its search from scratch, whose result the member's own search
// gave, and without the groups too far from me to matter.
func (a *auditGroups) fromGroups(me, target UserID, bound int32, near []givenGroup) (Exposure, bool) {
	s, uerr := newSearch(a.g, me, target)
	if uerr != nil {
		return Exposure{}, false
	}
	c, ok := s.fromGiven(near, bound)
	if !ok {
		return Exposure{}, false
	}
	p, err := s.buildFrom(c)
	if err != nil {
		return Exposure{}, false
	}
	if _, err := p.Apply(a.d, a.groups...); err != nil {
		return Exposure{}, false // as PlanGroup: the plan from scratch stands
	}
	return Exposure{Member: me, Outsider: target, Steps: len(p), Via: named(p, me, target), Group: c.k}, true
}

// exposures returns es, member me's exposures from scratch sorted by
// outsider, with those that some group makes shorter, or possible within
// the budget, replaced or added.
func (a *auditGroups) exposures(me int32, es []Exposure) []Exposure {
	g, s := a.g, a.s
	rme := g.rec(me)
	if rme.kind != WorksUser || !a.mayHelp(me) {
		return es
	}
	mine := map[int32]bool{}
	for _, u := range g.links(me) {
		mine[u] = true
	}
	target := func(u int32) bool {
		ru := g.rec(u)
		return ru.kind == WorksUser && !colleague(rme, ru) && u != me && !mine[u]
	}
	scratch := map[UserID]int32{}
	for _, e := range es {
		scratch[e.Outsider] = int32(e.Steps)
	}
	// The groups near me: me's own, and those with a member within the
	// hops a chain to me can take within the budget.
	maxHops := hops(a.budget) // me's join, promotion and intermediaries: 3(h-1)+2
	ms := newSide(s, me, noNode)
	ms.grow(s, maxHops)
	near := map[*auditGroup]bool{}
	var order []*auditGroup
	add := func(l []*auditGroup) {
		for _, ag := range l {
			if !near[ag] {
				near[ag] = true
				order = append(order, ag)
			}
		}
	}
	add(a.byNode[me])
	for n := range ms.levels {
		add(a.byNode[n])
	}
	for _, t := range ms.tenants {
		if ms.tenantLevel[t]+1 <= maxHops {
			add(a.byTenant[t])
		}
	}
	slices.SortFunc(order, func(x, y *auditGroup) int { return x.k - y.k })
	// Only these groups can give me a plan within the budget: PlanGroup's
	// choice among all the groups is its choice among them.
	given := make([]givenGroup, len(order))
	for i, ag := range order {
		given[i] = givenGroup{k: ag.k, g: ag.g, nodes: ag.nodes}
	}
	mid := g.id(me)
	best := map[int32]Exposure{}
	tried := map[int32]bool{}
	b := func(x bool) int32 {
		if x {
			return 1
		}
		return 0
	}
	for _, ag := range order {
		gr := ag.g
		in := gr.r.has(mid)
		meMaster := gr.masters.has(mid)
		// meHops: me's hops from the nearest member; meChain: the least me's chain
		// costs beyond me's join and promotion (its source's promotion, 3
		// an intermediary).
		meHops, meChain := int32(0), int32(0)
		if !in {
			meHops, meChain = maxCost, maxCost
			for _, n := range ag.nodes {
				if l, ok := ms.levelOf(s, n); ok {
					meHops = min(meHops, l)
					meChain = min(meChain, wInviter*(l-1)+b(!gr.masters.has(g.id(n))))
				}
			}
			if meHops == maxCost {
				continue
			}
		}
		size := int32(len(ag.nodes))
		for _, c := range a.candidates(ag) {
			// At least the exits, me's promotion or target's demotion
			// where due, the joins, and the dearer of the two chains
			// (which may share their intermediaries and source).
			lb := size - b(in) - b(c.in) + b(in && !meMaster) + b(meMaster && c.master)
			var cme, ct, far, h int32
			if !in {
				lb += wMe
				cme, far = meChain, meHops-1
			}
			if !c.in {
				lb += wTarget
				// target's chain starts at a member or at me: me as a
				// member, or once it has joined and been promoted (counted
				// above), h hops from target. me is meHops hops from the
				// group (0 as a member), so h >= c.hops-meHops.
				h = maxHops + 1
				if l, ok := ms.levelOf(s, c.n); ok {
					h = l
				}
				ct = min(c.chain, wInviter*(h-1))
				far = max(far, c.hops-1-meHops)
			}
			if lb+wInviter*far > a.budget {
				if !c.in {
					break // this bound only grows with hops, and the rest are farther
				}
				continue
			}
			if !c.in {
				far = max(far, min(c.hops-1, h-1))
			}
			lb += max(cme, ct, wInviter*far)
			if !in && !c.in {
				// target may itself be an intermediary of me's chain (me
				// reached through target), promoted but never an exit:
				// allow one intermediary less than the chains counted.
				lb -= wInviter
			}
			if lb > a.budget {
				continue
			}
			t := c.n
			if tried[t] || !target(t) {
				continue
			}
			tid := g.id(t)
			bound := a.budget + 1
			if x, ok := scratch[tid]; ok {
				if lb >= x {
					continue
				}
				bound = x
			}
			tried[t] = true
			if e, ok := a.fromGroups(mid, tid, bound, given); ok {
				best[t] = e
			}
		}
	}
	if len(best) == 0 {
		return es
	}
	at := map[UserID]int{}
	for i, e := range es {
		at[e.Outsider] = i
	}
	for _, e := range best {
		if i, ok := at[e.Outsider]; ok {
			es[i] = e
			continue
		}
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b Exposure) int {
		if a.Outsider < b.Outsider {
			return -1
		}
		return 1
	})
	return es
}
