package extlink

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// member is one person in a room or group.
type member struct {
	id     UserID
	seq    int32 // rank in join order among the current members: 0 joined first
	master bool
}

// roster is a room's or group's members, sorted by ID. A roster is never
// changed once built: every change makes a new one, so values that share it
// stay immutable.
type roster []member

func (r roster) find(id UserID) (int, bool) {
	return slices.BinarySearchFunc(r, id, func(m member, id UserID) int { return cmp.Compare(m.id, id) })
}

func (r roster) has(id UserID) bool {
	_, ok := r.find(id)
	return ok
}

// newRoster builds a roster from IDs in join order; the first is a master
// when master is set. It fails on a repeated ID.
func newRoster(ids []UserID, master bool) (roster, error) {
	r := make(roster, len(ids))
	for i, id := range ids {
		r[i] = member{id: id, seq: int32(i), master: master && i == 0}
	}
	slices.SortFunc(r, func(a, b member) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(r); i++ {
		if r[i].id == r[i-1].id {
			return nil, fmt.Errorf("extlink: %s is named twice", r[i].id)
		}
	}
	return r, nil
}

// with returns a copy of r with id inserted at i, last in join order.
func (r roster) with(i int, id UserID) roster {
	n := make(roster, len(r)+1)
	copy(n, r[:i])
	n[i] = member{id: id, seq: int32(len(r))}
	copy(n[i+1:], r[i:])
	return n
}

// without returns a copy of r without r[i], join ranks closed up.
func (r roster) without(i int) roster {
	n := make(roster, 0, len(r)-1)
	gone := r[i].seq
	for j, m := range r {
		if j == i {
			continue
		}
		if m.seq > gone {
			m.seq--
		}
		n = append(n, m)
	}
	return n
}

// withMaster returns a copy of r with r[i] a master or not.
func (r roster) withMaster(i int, master bool) roster {
	n := slices.Clone(r)
	n[i].master = master
	return n
}

func (r roster) ids() []UserID {
	out := make([]UserID, len(r))
	for i, m := range r {
		out[i] = m.id
	}
	return out
}

func (r roster) joinOrder() []UserID {
	out := make([]UserID, len(r))
	for _, m := range r {
		out[m.seq] = m.id
	}
	return out
}

// firstMaster returns the master with the smallest ID, or "".
func (r roster) firstMaster() UserID {
	for _, m := range r {
		if m.master {
			return m.id
		}
	}
	return ""
}

// Room is a talk room: one-to-one or multi-person, with no masters (R7, R8).
// A Room is an immutable value: store and pass it as a value; every change
// returns a new Room and leaves the old one as it was. The zero Room has no
// members and is not a room anyone can act in.
type Room struct {
	r roster
}

// NewRoom creates a room of by with the people in with (R7). by must be able
// to talk 1:1 with each of them (R1, R2). It is an ordinary error, not a
// refusal, to name nobody else, a user twice or by among with; refusals
// follow D7 across all the people named.
func NewRoom(d Store, by UserID, with ...UserID) (Room, error) {
	if len(with) == 0 {
		return Room{}, fmt.Errorf("extlink: %s cannot create a room with nobody: a room needs another person (R7)", by)
	}
	r, err := newRoster(append([]UserID{by}, with...), false)
	if err != nil {
		return Room{}, err
	}
	rb, ok := lookup(d, by)
	if !ok {
		return Room{}, deny(ActCreateRoom, R7, by, with[0], ReasonUnknownUser, by, "").Err()
	}
	recs := make([]rec, len(with))
	for i, w := range with {
		if recs[i], ok = lookup(d, w); !ok {
			return Room{}, deny(ActCreateRoom, R7, by, w, ReasonUnknownUser, w, "").Err()
		}
	}
	var f first
	for i, w := range with {
		f.see(talk(d, &rb, &recs[i], by, w, ActCreateRoom, R7))
	}
	if err := f.err(); err != nil {
		return Room{}, err
	}
	return Room{r: r}, nil
}

// Invite returns the room with who added (R8): by must be in the room and
// able to talk 1:1 with who (R1, R2). Inviting into a one-to-one room gives a
// new three-person room; the old value is unchanged either way. It is O(n)
// in the room's size.
func (r Room) Invite(d Store, by, who UserID) (Room, error) {
	rb, rw, dec, ok := pair(d, by, who, ActInviteRoom)
	if !ok {
		return r, dec.Err()
	}
	if !r.r.has(by) {
		return r, deny(ActInviteRoom, R8, by, who, ReasonNotMember, "", "").Err()
	}
	i, in := r.r.find(who)
	if in {
		return r, deny(ActInviteRoom, R8, by, who, ReasonAlreadyMember, "", "").Err()
	}
	if dec := talk(d, &rb, &rw, by, who, ActInviteRoom, R8); !dec.Allowed {
		return r, dec.Err()
	}
	return Room{r: r.r.with(i, who)}, nil
}

// Convert turns the room into a group (R10): by must be a member, the room
// must have three or more people, by's tenant must let by create groups
// (R12), no member may be a LINE user (R6), and by must be able to talk 1:1
// with every other member (R12). The group is external iff its members span
// tenants (R11), and then every member must be allowed in an external group
// (R12). by becomes its only master; join order is the room's. The room
// value is unchanged.
func (r Room) Convert(d Store, by UserID) (Group, error) {
	rb, ok := lookup(d, by)
	if !ok {
		return Group{}, deny(ActConvert, R10, by, "", ReasonUnknownUser, by, "").Err()
	}
	recs := make([]rec, len(r.r))
	for i, m := range r.r {
		if recs[i], ok = lookup(d, m.id); !ok {
			return Group{}, deny(ActConvert, R10, by, "", ReasonUnknownUser, m.id, "").Err()
		}
	}
	if !r.r.has(by) {
		return Group{}, deny(ActConvert, R10, by, "", ReasonNotMember, "", "").Err()
	}
	if len(r.r) < 3 {
		return Group{}, deny(ActConvert, R10, by, "", ReasonRoomTooSmall, "", "").Err()
	}
	order := r.r.joinOrder()
	idx := make([]int, len(order)) // order position -> roster index
	for i, m := range r.r {
		idx[m.seq] = i
	}
	external, err := found(d, ActConvert, by, &rb, order, func(k int) *rec { return &recs[idx[k]] })
	if err != nil {
		return Group{}, err
	}
	// The room's join order stays; by becomes the master.
	i, _ := r.r.find(by)
	return Group{r: r.r.withMaster(i, true), masters: 1, home: rb.tenant, external: external}, nil
}

// Members returns the room's members, sorted by ID, as a new slice.
func (r Room) Members() []UserID { return r.r.ids() }

// Has reports whether u is in the room.
func (r Room) Has(u UserID) bool { return r.r.has(u) }

// Len returns the number of people in the room.
func (r Room) Len() int { return len(r.r) }

// Equal reports whether r and o have the same members, joined in the same
// order.
func (r Room) Equal(o Room) bool { return slices.Equal(r.r, o.r) }

// String returns "room [a b me]", members sorted by ID.
func (r Room) String() string {
	return "room [" + joinIDs(r.r, false) + "]"
}

func joinIDs(r roster, marks bool) string {
	var b strings.Builder
	for i, m := range r {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(m.id))
		if marks && m.master {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Group is a group talk room: members, one or more masters, and an external
// flag fixed when it was created (R10, R11, R19). A Group is an immutable
// value: store and pass it as a value; every transition returns a new Group,
// or an error together with the unchanged old one. Groups are comparable with
// [Group.Equal], not ==.
//
// The zero Group has no members and no master; nobody can act in it. A
// dissolved group (D4) has no members, keeps its external flag, and refuses
// every operation with [ErrDissolved].
type Group struct {
	r         roster
	masters   int32
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
	order := append([]UserID{by}, with...)
	if _, err := newRoster(order, true); err != nil {
		return Group{}, err
	}
	rb, ok := lookup(d, by)
	if !ok {
		return Group{}, deny(ActCreateGroup, R10, by, first0(with), ReasonUnknownUser, by, "").Err()
	}
	recs := make([]rec, len(order))
	recs[0] = rb
	for i, w := range with {
		if recs[i+1], ok = lookup(d, w); !ok {
			return Group{}, deny(ActCreateGroup, R10, by, w, ReasonUnknownUser, w, "").Err()
		}
	}
	external, err := found(d, ActCreateGroup, by, &rb, order, func(k int) *rec { return &recs[k] })
	if err != nil {
		return Group{}, err
	}
	r, _ := newRoster(order, true)
	return Group{r: r, masters: 1, home: rb.tenant, external: external}, nil
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
func found(d Store, act Action, by UserID, rb *rec, order []UserID, rec func(int) *rec) (external bool, err error) {
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
	return external, f.err()
}

// first keeps the refusal of the lowest D7 row seen, the earliest among
// equals, so a check over several people reports deterministically.
type first struct {
	d  Decision
	ok bool
}

func (f *first) see(d Decision) {
	if !d.Allowed && (!f.ok || d.Reason.Order() < f.d.Reason.Order()) {
		f.d, f.ok = d, true
	}
}

func (f *first) err() error {
	if !f.ok {
		return nil
	}
	return f.d.Err()
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
	out := make([]UserID, 0, g.masters)
	for _, m := range g.r {
		if m.master {
			out = append(out, m.id)
		}
	}
	return out
}

// Has reports whether u is a member. It is O(log n).
func (g Group) Has(u UserID) bool { return g.r.has(u) }

// IsMaster reports whether u is a master. It is O(log n).
func (g Group) IsMaster(u UserID) bool {
	i, ok := g.r.find(u)
	return ok && g.r[i].master
}

// Len returns the number of members: 0 for a dissolved group.
func (g Group) Len() int { return len(g.r) }

// Equal reports whether g and o are the same group state: the same members,
// joined in the same order, the same masters, the same home tenant and
// external flag, and both dissolved or not.
func (g Group) Equal(o Group) bool {
	return g.masters == o.masters && g.home == o.home && g.external == o.external &&
		g.dissolved == o.dissolved && slices.Equal(g.r, o.r)
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
	return kind + " group [" + joinIDs(g.r, true) + "]"
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
	i, ok := g.r.find(by)
	if !ok {
		return rb, rw, deny(act, rule, by, who, ReasonNotMember, "", "")
	}
	if needMaster && !g.r[i].master {
		return rb, rw, deny(act, rule, by, who, ReasonNotMaster, g.r.firstMaster(), "")
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
	if !g.external && (rw.kind != WorksUser || rw.tenant != g.home) {
		return deny(ActInvite, R11, by, who, ReasonInternalGroup, "", "")
	}
	if g.external {
		if why, p, t := externalOK(&rw, who); why != ReasonNone {
			rule := R13
			if why == ReasonLINEInGroup {
				rule = R6
			}
			return deny(ActInvite, rule, by, who, why, p, t)
		}
	}
	return talk(d, &rb, &rw, by, who, ActInvite, R13)
}

// Invite returns the group with who added (R13); see [CanInvite] for when it
// is refused. The new member joins last and is not a master. It is O(n) in
// the group's size and allocates once.
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
// master must be allowed there (R14). It returns who's roster index.
func (g Group) target(act Action, by, who UserID, rw *rec, promote bool) (int, Decision) {
	i, ok := g.r.find(who)
	if !ok {
		return i, deny(act, act.Rule(), by, who, ReasonTargetMissing, "", "")
	}
	if promote && g.r[i].master {
		return i, deny(act, act.Rule(), by, who, ReasonAlreadyMaster, "", "")
	}
	if promote && g.external {
		if why, p, t := externalOK(rw, who); why != ReasonNone {
			return i, deny(act, R14, by, who, why, p, t)
		}
	}
	return i, allow(act, act.Rule(), by, who)
}

// Appoint returns the group with who made a master (R14): by must be a
// master, who a member and not yet a master; in an external group only a
// connected member allowed there may be a master. It is O(n) and allocates
// once.
func (g Group) Appoint(d Store, by, who UserID) (Group, error) {
	_, rw, dec := g.act(d, ActAppoint, by, who, true)
	if !dec.Allowed {
		return g, dec.Err()
	}
	i, dec := g.target(ActAppoint, by, who, &rw, true)
	if !dec.Allowed {
		return g, dec.Err()
	}
	n := g
	n.r = g.r.withMaster(i, true)
	n.masters++
	return n, nil
}

// Resign returns the group with who no longer a master (R15). who must be a
// master, and another master must remain: the last master cannot resign
// (R15). It is O(n) and allocates once.
func (g Group) Resign(d Store, who UserID) (Group, error) {
	if _, _, dec := g.act(d, ActResign, who, "", true); !dec.Allowed {
		return g, dec.Err()
	}
	if g.masters <= 1 {
		return g, deny(ActResign, R15, who, "", ReasonLastMaster, "", "").Err()
	}
	i, _ := g.r.find(who)
	n := g
	n.r = g.r.withMaster(i, false)
	n.masters--
	return n, nil
}

// Transfer returns the group with the master role handed from from to to in
// one step, as an appointment followed by a resignation (R17): from must be a
// master, to a member and not yet a master, allowed to be one (R14). It is
// O(n) and allocates once.
func (g Group) Transfer(d Store, from, to UserID) (Group, error) {
	_, rt, dec := g.act(d, ActTransfer, from, to, true)
	if !dec.Allowed {
		return g, dec.Err()
	}
	j, dec := g.target(ActTransfer, from, to, &rt, true)
	if !dec.Allowed {
		return g, dec.Err()
	}
	i, _ := g.r.find(from)
	n := g
	n.r = slices.Clone(g.r)
	n.r[i].master, n.r[j].master = false, true
	return n, nil
}

// Leave returns the group without who (R18). The only master cannot leave
// while others remain: transfer first (D3). A member whose tenant forbids
// leaving cannot leave at all (D5); an admin always can. When the last
// member leaves, the group is dissolved (D4): it keeps its external flag and
// refuses every later operation. The group stays a group at every size
// (R19). It is O(n) and allocates at most once.
func (g Group) Leave(d Store, who UserID) (Group, error) {
	rw, _, dec := g.act(d, ActLeave, who, "", false)
	if !dec.Allowed {
		return g, dec.Err()
	}
	i, _ := g.r.find(who)
	if g.r[i].master && g.masters == 1 && len(g.r) > 1 {
		return g, deny(ActLeave, D3, who, "", ReasonLastMaster, "", "").Err()
	}
	if !rw.has(fLeave) {
		return g, deny(ActLeave, D5, who, "", ReasonNoSelfLeave, who, rw.tenant).Err()
	}
	return g.drop(i), nil
}

// drop returns g without r[i]; the last member leaving dissolves it (D4).
func (g Group) drop(i int) Group {
	n := g
	if g.r[i].master {
		n.masters--
	}
	if len(g.r) == 1 {
		n.r, n.dissolved = nil, true
		return n
	}
	n.r = g.r.without(i)
	return n
}

// Remove returns the group without who (R16): by must be a master, who a
// member other than by (nobody removes themselves: that is Leave). Masters
// may remove other masters. It is O(n) and allocates once.
func (g Group) Remove(d Store, by, who UserID) (Group, error) {
	_, _, dec := g.act(d, ActRemove, by, who, true)
	if !dec.Allowed {
		return g, dec.Err()
	}
	i, ok := g.r.find(who)
	if !ok {
		return g, deny(ActRemove, R16, by, who, ReasonTargetMissing, "", "").Err()
	}
	if by == who {
		return g, deny(ActRemove, R16, by, who, ReasonSelf, "", "").Err()
	}
	return g.drop(i), nil
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
	keep := make([]bool, len(g.r))
	kept := 0
	for i, m := range g.r {
		r, ok := lookup(d, m.id)
		if ok {
			if g.external {
				why, _, _ := externalOK(&r, m.id)
				ok = why == ReasonNone
			} else {
				ok = r.kind == WorksUser && r.tenant == g.home
			}
		}
		keep[i] = ok
		if ok {
			kept++
		}
	}
	if kept == len(g.r) {
		return g
	}
	n := g
	if kept == 0 {
		n.r, n.masters, n.dissolved = nil, 0, true
		return n
	}
	// Rank the survivors by their join order.
	ranks := make([]int32, 0, kept)
	for i, m := range g.r {
		if keep[i] {
			ranks = append(ranks, m.seq)
		}
	}
	slices.Sort(ranks)
	n.r = make(roster, 0, kept)
	n.masters = 0
	for i, m := range g.r {
		if keep[i] {
			k, _ := slices.BinarySearch(ranks, m.seq)
			m.seq = int32(k)
			n.r = append(n.r, m)
			if m.master {
				n.masters++
			}
		}
	}
	if n.masters == 0 { // D6
		for i := range n.r {
			if n.r[i].seq == 0 {
				n.r[i].master = true
			}
		}
		n.masters = 1
	}
	return n
}

// GroupState is a group's state as plain data, for storing a group and
// restoring it with [RestoreGroup]; its JSON form is what world files use.
type GroupState struct {
	Members   []UserID `json:"members"`             // in join order, the earliest first
	Masters   []UserID `json:"masters"`             // any order
	External  bool     `json:"external,omitempty"`  // R11
	Home      TenantID `json:"home"`                // the creator's tenant
	Dissolved bool     `json:"dissolved,omitempty"` // D4: then no members and no masters
}

// State returns g as plain data: members in join order, masters sorted.
func (g Group) State() GroupState {
	return GroupState{Members: g.JoinOrder(), Masters: g.Masters(), External: g.external, Home: g.home, Dissolved: g.dissolved}
}

// RestoreGroup builds the group that s describes. It checks the state's
// shape, not the rules: an empty home tenant, an empty or repeated member, a
// master who is not a member, a live group without a member or without a
// master, or a dissolved group with members are errors (ordinary ones, not
// refusals). To apply the current directory's rules to a restored group,
// call [Reconcile]. It does not keep s's slices.
func RestoreGroup(s GroupState) (Group, error) {
	if s.Home == "" {
		return Group{}, errors.New("extlink: group state: empty home tenant")
	}
	if s.Dissolved {
		if len(s.Members) > 0 || len(s.Masters) > 0 {
			return Group{}, errors.New("extlink: group state: a dissolved group has no members or masters")
		}
		return Group{home: s.Home, external: s.External, dissolved: true}, nil
	}
	if len(s.Members) == 0 {
		return Group{}, errors.New("extlink: group state: a live group has a member (R19)")
	}
	for _, m := range s.Members {
		if m == "" {
			return Group{}, errors.New("extlink: group state: empty member ID")
		}
	}
	r, err := newRoster(s.Members, false)
	if err != nil {
		return Group{}, fmt.Errorf("extlink: group state: member %s", strings.TrimPrefix(err.Error(), "extlink: "))
	}
	g := Group{r: r, home: s.Home, external: s.External}
	for _, m := range s.Masters {
		i, ok := r.find(m)
		switch {
		case !ok:
			return Group{}, fmt.Errorf("extlink: group state: master %q is not a member", m)
		case r[i].master:
			return Group{}, fmt.Errorf("extlink: group state: master %q is named twice", m)
		}
		r[i].master = true
		g.masters++
	}
	if g.masters == 0 {
		return Group{}, errors.New("extlink: group state: a live group has a master")
	}
	return g, nil
}
