package extlink

import (
	"slices"
)

// Group is a group talk room: members, one or more masters, and an external
// flag fixed when it was created (R10, R11, R19). A Group is an immutable
// value: store and pass it as a value; every transition returns a new Group,
// or an error together with the unchanged old one. Groups are comparable with
// [Group.Equal], not ==.
//
// The zero Group is no group: no home tenant, no members and no master;
// nobody can act in it (every operation is refused with [ErrNotMember]), and
// [RestoreGroup] gives it back from its [Group.State]. A
// dissolved group (D4) has no members, keeps its external flag, and refuses
// every operation with [ErrDissolved].
type Group struct {
	r         roster
	masters   idSet    // never empty while the group lives
	home      TenantID // the creator's tenant
	external  bool
	dissolved bool
}

// NewGroup creates a group of by with the people in with (R10), by alone if
// with is empty. by's tenant must let by create groups (R12); nobody may be
// a LINE user (R6); by must be able to talk 1:1 with each member (R12). The
// group is external iff its members span tenants (R11), and then every
// member, by included, must be allowed in an external group: their tenant
// lets them talk with outside LINE WORKS users (R12). by becomes the only
// master. Refusals follow D7 across all the people named. It is an ordinary
// error, not a refusal, to name a user twice or by among with.
func NewGroup(d Store, by UserID, with ...UserID) (Group, error) {
	g, dec, err := newGroup(d, by, with)
	if err != nil {
		return Group{}, err
	}
	if !dec.Allowed {
		return Group{}, dec.Err()
	}
	return g, nil
}

// newGroup is NewGroup and its decision ([CanCreate]): bad input is an
// error wrapping [ErrInvalid], a refusal a denying Decision.
func newGroup(d Store, by UserID, with []UserID) (Group, Decision, error) {
	order := append([]UserID{by}, with...)
	r, err := newRoster(order)
	if err != nil {
		return Group{}, Decision{}, err
	}
	rb, ok := lookup(d, by)
	if !ok {
		return Group{}, deny(ActCreateGroup, R10, by, first0(with), ReasonUnknownUser, by, ""), nil
	}
	recs := make([]rec, len(order))
	recs[0] = rb
	for i, w := range with {
		if recs[i+1], ok = lookup(d, w); !ok {
			return Group{}, deny(ActCreateGroup, R10, by, w, ReasonUnknownUser, w, ""), nil
		}
	}
	external, dec := found(d, ActCreateGroup, by, &rb, order, func(k int) *rec { return &recs[k] })
	if !dec.Allowed {
		return Group{}, dec, nil
	}
	return Group{r: r, masters: idSet{by}, home: rb.tenant, external: external}, dec, nil
}

func first0(ids []UserID) UserID {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// found checks the founding of a group by by with the people in order (by
// among them, all known; rec(k) resolves order[k]) and reports whether the
// group is external. It implements R6, R11 and R12 for NewGroup and
// Room.Convert, in the order of D7.
func found(d Store, act Action, by UserID, rb *rec, order []UserID, rec func(int) *rec) (external bool, dec Decision) {
	var f first
	// R6: no LINE users; by first.
	if rb.kind != WorksUser {
		f.see(deny(act, R6, by, "", ReasonLINEInGroup, by, ""))
	}
	for k, id := range order {
		if id != by && rec(k).kind != WorksUser {
			f.see(deny(act, R6, by, id, ReasonLINEInGroup, id, ""))
		}
	}
	// R12: group-creation rights.
	if rb.kind == WorksUser && !rb.has(fCreate) {
		f.see(deny(act, R12, by, "", ReasonNoGroupRights, by, rb.tenant))
	}
	// R11: external iff the members span tenants.
	for k := range order {
		if rec(k).tenant != rb.tenant {
			external = true
		}
	}
	// R12: everyone in an external group must be allowed there.
	if external {
		for k, id := range order {
			if why, p, t := externalOK(rec(k), id); why != ReasonNone && why != ReasonLINEInGroup {
				who := id
				if id == by {
					who = ""
				}
				f.see(deny(act, R12, by, who, why, p, t))
			}
		}
	}
	// R12: by can talk 1:1 with every member.
	for k, id := range order {
		if id != by {
			f.see(talk(d, rb, rec(k), by, id, act, R12))
		}
	}
	if f.ok {
		return external, fixFounding(d, f.d, by, rb, order, rec, external)
	}
	who := UserID("")
	if len(order) > 1 {
		who = order[1]
	}
	return external, allow(act, act.Rule(), by, who)
}

// fixFounding returns the refusal dec of a founding with its fix (R24):
// what lets by create the group with the person dec names. When by's own
// state decided (dec names nobody else), dec is made to name the first
// other person who is refused too, else the first other person, so that
// the fix covers them as well.
func fixFounding(d Store, dec Decision, by UserID, rb *rec, order []UserID, recOf func(int) *rec, external bool) Decision {
	k := -1
	for j, id := range order {
		if id != by && id == dec.Who {
			k = j
		}
	}
	if k < 0 && dec.Who == "" {
		for j, id := range order {
			if id == by {
				continue
			}
			if k < 0 {
				k = j
			}
			if !talk(d, rb, recOf(j), by, id, dec.Action, R12).Allowed {
				k = j
				break
			}
			if why, _, _ := externalOK(recOf(j), id); external && why != ReasonNone {
				k = j
				break
			}
		}
		if k >= 0 {
			dec.Who = order[k]
		}
	}
	need := needCreate | needTalk
	if external {
		need |= needExtBy | needExtWho
	}
	var rw *rec
	if k >= 0 {
		rw = recOf(k)
	}
	return withFix(d, dec, need, rb, rw)
}

// first keeps the refusal of the lowest D7 row seen, the earliest among
// equals, so a check over several people reports deterministically.
type first struct {
	d  Decision
	ok bool
}

func (f *first) see(d Decision) (kept bool) {
	if !d.Allowed && (!f.ok || d.Reason.Order() < f.d.Reason.Order()) {
		f.d, f.ok = d, true
		return true
	}
	return false
}

// IsZero reports whether g is the zero Group: no members, no masters, no
// home tenant, never created. It is not a valid group to act on: every
// operation on it is refused as by a non-member.
func (g Group) IsZero() bool {
	return g.r.n == 0 && len(g.masters) == 0 && g.home == "" && !g.external && !g.dissolved
}

// External reports whether the group is external: whether its members
// spanned tenants when it was created (R11). It never changes afterwards,
// whoever leaves or is removed, and survives dissolution (D8).
func (g Group) External() bool { return g.external }

// Home returns the tenant of the group's creator. An internal group admits
// only this tenant's users (R11).
func (g Group) Home() TenantID { return g.home }

// Dissolved reports whether the last member left the group (D4).
func (g Group) Dissolved() bool { return g.dissolved }

// Members returns the group's members, sorted by ID, as a new slice.
func (g Group) Members() []UserID { return g.r.ids() }

// JoinOrder returns the group's members in the order they joined, the
// creator first, as a new slice. Reconcile promotes by it (D6).
func (g Group) JoinOrder() []UserID { return g.r.joinOrder() }

// Masters returns the group's masters, sorted by ID, as a new slice.
func (g Group) Masters() []UserID {
	return append(make([]UserID, 0, len(g.masters)), g.masters...)
}

// Has reports whether u is a member. It is O(log n).
func (g Group) Has(u UserID) bool { return g.r.has(u) }

// IsMaster reports whether u is a master. It is O(log m) for m masters.
func (g Group) IsMaster(u UserID) bool { return g.masters.has(u) }

// Len returns the number of members: 0 for a dissolved group.
func (g Group) Len() int { return g.r.n }

// Equal reports whether g and o are the same group state: the same members,
// joined in the same order, the same masters, the same home tenant and
// external flag, and both dissolved or not.
func (g Group) Equal(o Group) bool {
	return slices.Equal(g.masters, o.masters) && g.home == o.home && g.external == o.external &&
		g.dissolved == o.dissolved && g.r.equal(o.r)
}

// String returns the group in a line: "external group [b me*]", masters
// marked with a star.
func (g Group) String() string {
	kind := "internal"
	if g.external {
		kind = "external"
	}
	if g.dissolved {
		return "dissolved " + kind + " group"
	}
	return kind + " group [" + joinIDs(g.r, g.masters) + "]"
}

// admits decides whether the user r, named id, may be in g now (R6, R11,
// R12, R20): in an external group, a LINE WORKS user whose tenant lets them
// talk with outside LINE WORKS users ([externalOK]); in an internal group,
// a LINE WORKS user of its home tenant. It is the one membership test that
// Invite, Reconcile and CanTalkIn share. It returns the reason and the
// blocking party and tenant.
func (g Group) admits(r *rec, id UserID) (Reason, UserID, TenantID) {
	if g.external {
		return externalOK(r, id)
	}
	if r.kind != WorksUser || r.tenant != g.home {
		return ReasonInternalGroup, id, ""
	}
	return ReasonNone, "", ""
}

// act checks the first rows of D7 for a group operation by by on who (who may
// be empty): both known (1), the group live (2), by a member (3) and, when
// needMaster, a master (4). It returns the resolved users.
func (g Group) act(d Store, act Action, by, who UserID, needMaster bool) (rb, rw rec, dec Decision) {
	rule := act.Rule()
	var ok bool
	if rb, ok = lookup(d, by); !ok {
		return rb, rw, deny(act, rule, by, who, ReasonUnknownUser, by, "")
	}
	if who != "" {
		if rw, ok = lookup(d, who); !ok {
			return rb, rw, deny(act, rule, by, who, ReasonUnknownUser, who, "")
		}
	}
	if g.dissolved {
		return rb, rw, deny(act, rule, by, who, ReasonDissolved, "", "")
	}
	if !g.r.has(by) {
		return rb, rw, deny(act, rule, by, who, ReasonNotMember, "", "")
	}
	if needMaster && !g.masters.has(by) {
		var first UserID // the master with the smallest ID
		if len(g.masters) > 0 {
			first = g.masters[0]
		}
		return rb, rw, deny(act, rule, by, who, ReasonNotMaster, first, "")
	}
	return rb, rw, allow(act, rule, by, who)
}

func (g Group) canInvite(d Store, by, who UserID) Decision {
	rb, rw, dec := g.act(d, ActInvite, by, who, true)
	if !dec.Allowed {
		return dec
	}
	if g.r.has(who) {
		return deny(ActInvite, R13, by, who, ReasonAlreadyMember, "", "")
	}
	need := needTalk
	if g.external {
		need |= needExtWho
	}
	if why, p, t := g.admits(&rw, who); why != ReasonNone {
		rule := R13
		switch {
		case rw.kind != WorksUser:
			rule = R6 // no group takes a LINE user, internal or not
		case why == ReasonInternalGroup:
			rule = R11
		}
		return withFix(d, deny(ActInvite, rule, by, who, why, p, t), need, &rb, &rw)
	}
	return withFix(d, talk(d, &rb, &rw, by, who, ActInvite, R13), need, &rb, &rw)
}

// Invite returns the group with who added (R13); see [CanInvite] for when it
// is refused. The new member joins last and is not a master. It costs
// O(n/32 + 32) for n members and allocates twice (three times when a chunk
// splits): the members are held in chunks, and only the list of chunks and
// the chunk changed are copied.
func (g Group) Invite(d Store, by, who UserID) (Group, error) {
	if dec := g.canInvite(d, by, who); !dec.Allowed {
		return g, dec.Err()
	}
	i, _ := g.r.find(who)
	n := g
	n.r = g.r.with(i, who)
	return n, nil
}

// target checks row 5 of D7 for an operation on member who, and that who is
// not yet a master when promote is set (R14, R17); in an external group a new
// master must be allowed there (R14). It returns who's place in the roster.
func (g Group) target(d Store, act Action, by, who UserID, rb, rw *rec, promote bool) (pos, Decision) {
	i, ok := g.r.find(who)
	if !ok {
		var party UserID // who, when by may invite them: the remedy is then to
		if g.canInvite(d, by, who).Allowed {
			party = who
		}
		return i, deny(act, act.Rule(), by, who, ReasonTargetMissing, party, "")
	}
	if promote && g.masters.has(who) {
		return i, deny(act, act.Rule(), by, who, ReasonAlreadyMaster, "", "")
	}
	if promote && g.external {
		if why, p, t := externalOK(rw, who); why != ReasonNone {
			return i, withFix(d, deny(act, R14, by, who, why, p, t), needExtWho, rb, rw)
		}
	}
	return i, allow(act, act.Rule(), by, who)
}

// Appoint returns the group with who made a master (R14): by must be a
// master, who a member and not yet a master; in an external group only a
// connected member allowed there may be a master. It is O(log n + m) for n
// members and m masters, and allocates once.
func (g Group) Appoint(d Store, by, who UserID) (Group, error) {
	if dec := g.canAppoint(d, by, who); !dec.Allowed {
		return g, dec.Err()
	}
	n := g
	n.masters = g.masters.with(who)
	return n, nil
}

// canAppoint decides Appoint (R14), as it does.
func (g Group) canAppoint(d Store, by, who UserID) Decision {
	rb, rw, dec := g.act(d, ActAppoint, by, who, true)
	if !dec.Allowed {
		return dec
	}
	_, dec = g.target(d, ActAppoint, by, who, &rb, &rw, true)
	return dec
}

// Resign returns the group with who no longer a master (R15). who must be a
// master, and another master must remain: the last master cannot resign
// (R15). It is O(log n + m) for n members and m masters, and allocates
// once.
func (g Group) Resign(d Store, who UserID) (Group, error) {
	if dec := g.canResign(d, who); !dec.Allowed {
		return g, dec.Err()
	}
	n := g
	n.masters = g.masters.without(who)
	return n, nil
}

// successor returns the first member, in ID order, whom the master m may
// make a master (R14), for the remedy of a last master's refusal (R24), or
// "" when there is none. It costs one check per member before the one it
// finds, and does not allocate.
func (g Group) successor(d Store, m UserID) UserID {
	rm, ok := lookup(d, m)
	if !ok {
		return ""
	}
	for _, c := range g.r.chunks {
		for _, x := range c {
			if x.id == m {
				continue
			}
			rx, ok := lookup(d, x.id)
			if !ok {
				continue
			}
			if _, dec := g.target(d, ActAppoint, m, x.id, &rm, &rx, true); dec.Allowed {
				return x.id
			}
		}
	}
	return ""
}

// canResign decides Resign (R15), as it does.
func (g Group) canResign(d Store, who UserID) Decision {
	if _, _, dec := g.act(d, ActResign, who, "", true); !dec.Allowed {
		return dec
	}
	if len(g.masters) <= 1 {
		return deny(ActResign, R15, who, "", ReasonLastMaster, g.successor(d, who), "")
	}
	return allow(ActResign, R15, who, "")
}

// Transfer returns the group with the master role handed from from to to in
// one step, as an appointment followed by a resignation (R17): from must be a
// master, to a member and not yet a master, allowed to be one (R14). It is
// O(log n + m) for n members and m masters, and allocates once.
func (g Group) Transfer(d Store, from, to UserID) (Group, error) {
	if dec := g.canTransfer(d, from, to); !dec.Allowed {
		return g, dec.Err()
	}
	n := g
	n.masters = make(idSet, 0, len(g.masters))
	for _, m := range g.masters {
		if m != from {
			n.masters = append(n.masters, m)
		}
	}
	i, _ := slices.BinarySearch(n.masters, to)
	n.masters = slices.Insert(n.masters, i, to) // within capacity: no copy
	return n, nil
}

// canTransfer decides Transfer (R17), as it does.
func (g Group) canTransfer(d Store, from, to UserID) Decision {
	rf, rt, dec := g.act(d, ActTransfer, from, to, true)
	if !dec.Allowed {
		return dec
	}
	_, dec = g.target(d, ActTransfer, from, to, &rf, &rt, true)
	return dec
}

// Leave returns the group without who (R18). As in the vendor's product, a
// member may leave only where their tenant lets members leave groups
// ([Policy].MembersLeaveGroups, D5); otherwise a master removes them
// ([Group.Remove]). An admin always may leave. The only master cannot leave
// while others remain: transfer first (D3). When the last
// member leaves, the group is dissolved (D4): it keeps its external flag and
// refuses every later operation. The group stays a group at every size
// (R19). It costs what [Group.Remove] does.
func (g Group) Leave(d Store, who UserID) (Group, error) {
	if dec := g.canLeave(d, who); !dec.Allowed {
		return g, dec.Err()
	}
	i, _ := g.r.find(who)
	return g.drop(i), nil
}

// canLeave decides Leave (R18, D3, D5), as it does.
func (g Group) canLeave(d Store, who UserID) Decision {
	rw, _, dec := g.act(d, ActLeave, who, "", false)
	if !dec.Allowed {
		return dec
	}
	if g.masters.has(who) && len(g.masters) == 1 && g.r.n > 1 {
		return deny(ActLeave, D3, who, "", ReasonLastMaster, g.successor(d, who), "")
	}
	if !rw.has(fLeave) {
		party := who
		if g.r.n == 1 {
			party = "" // alone: nobody else can remove them
		}
		return withFix(d, deny(ActLeave, D5, who, "", ReasonNoSelfLeave, party, rw.tenant), needLeave, &rw, nil)
	}
	return dec
}

// drop returns g without the member at i; the last member leaving
// dissolves it (D4).
func (g Group) drop(i pos) Group {
	n := g
	if id := g.r.at(i).id; g.masters.has(id) {
		n.masters = g.masters.without(id)
	}
	if g.r.n == 1 {
		n.r, n.dissolved = roster{}, true
		return n
	}
	n.r = g.r.without(i)
	return n
}

// Remove returns the group without who (R16): by must be a master, who a
// member other than by (nobody removes themselves: that is Leave). Masters
// may remove other masters. It costs O(n/32 + 32 + m) for n members and m
// masters and allocates two or three times: the members are held in chunks,
// and only the list of chunks and the chunk changed are copied.
func (g Group) Remove(d Store, by, who UserID) (Group, error) {
	if dec := g.canRemove(d, by, who); !dec.Allowed {
		return g, dec.Err()
	}
	i, _ := g.r.find(who)
	return g.drop(i), nil
}

// canRemove decides Remove (R16), as it does.
func (g Group) canRemove(d Store, by, who UserID) Decision {
	_, _, dec := g.act(d, ActRemove, by, who, true)
	if !dec.Allowed {
		return dec
	}
	if !g.r.has(who) {
		return deny(ActRemove, R16, by, who, ReasonTargetMissing, "", "")
	}
	if by == who {
		var party UserID // by, when by may leave: the remedy is then to
		if g.canLeave(d, by).Allowed {
			party = by
		}
		return deny(ActRemove, R16, by, who, ReasonSelf, party, "")
	}
	return dec
}

// Reconcile returns g brought in line with the directory d (R20): in an
// external group, members no longer allowed there (unknown to d, a LINE
// user, or no longer allowed to talk with outside LINE WORKS users) are
// removed; in an internal group, members unknown to d or no longer of its
// home tenant are. If that removes every master, the remaining member who
// joined first becomes the master (D6); if it removes everyone, the group is
// dissolved (D4). The external flag never changes (R11). It returns g itself
// when nothing changes, and is O(n) lookups.
func Reconcile(d Store, g Group) Group {
	if g.dissolved {
		return g
	}
	ms := g.r.list()
	keep := make([]bool, len(ms))
	kept := 0
	for i, m := range ms {
		r, ok := lookup(d, m.id)
		if ok {
			why, _, _ := g.admits(&r, m.id)
			ok = why == ReasonNone
		}
		keep[i] = ok
		if ok {
			kept++
		}
	}
	if kept == len(ms) {
		return g
	}
	n := g
	if kept == 0 {
		n.r, n.masters, n.dissolved = roster{}, nil, true
		return n
	}
	// The survivors keep their join stamps, and so their join order.
	survivors := make([]member, 0, kept)
	n.masters = nil
	first := -1 // the survivor who joined first
	for i, m := range ms {
		if keep[i] {
			if first < 0 || m.stamp < survivors[first].stamp {
				first = len(survivors)
			}
			survivors = append(survivors, m)
			if g.masters.has(m.id) {
				n.masters = append(n.masters, m.id) // in ID order
			}
		}
	}
	if len(n.masters) == 0 { // D6
		n.masters = idSet{survivors[first].id}
	}
	n.r = chunked(survivors, g.r.next)
	return n
}
