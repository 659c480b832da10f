package extlink

import (
	"cmp"
	"fmt"
	"slices"
)

// Room is a talk room: one-to-one or multi-person, with no masters (R7, R8).
// A Room is an immutable value: store and pass it as a value; every change
// returns a new Room and leaves the old one as it was. The zero Room has no
// members and is not a room anyone can act in. A room everyone has left is
// gone ([Room.Gone]): it refuses every operation with [ErrDissolved] (R8).
type Room struct {
	r    roster
	gone bool
}

// NewRoom creates a room of by with the people in with (R7). by must be able
// to talk 1:1 with each of them (R1, R2). It is an ordinary error, not a
// refusal, to name nobody else, a user twice or by among with; refusals
// follow D7 across all the people named.
func NewRoom(d Store, by UserID, with ...UserID) (Room, error) {
	r, dec, err := newRoom(d, by, with)
	if err != nil {
		return Room{}, err
	}
	if !dec.Allowed {
		return Room{}, dec.Err()
	}
	return r, nil
}

// newRoom is NewRoom and its decision ([CanCreate]): bad input is an error
// wrapping [ErrInvalid], a refusal a denying Decision.
func newRoom(d Store, by UserID, with []UserID) (Room, Decision, error) {
	if len(with) == 0 {
		return Room{}, Decision{}, fmt.Errorf("extlink: %w", errInvalidf("%s cannot create a room with nobody: a room needs another person (R7)", by))
	}
	r, err := newRoster(append([]UserID{by}, with...))
	if err != nil {
		return Room{}, Decision{}, err
	}
	rb, ok := lookup(d, by)
	if !ok {
		return Room{}, deny(ActCreateRoom, R7, by, with[0], ReasonUnknownUser, by, ""), nil
	}
	recs := make([]rec, len(with))
	for i, w := range with {
		if recs[i], ok = lookup(d, w); !ok {
			return Room{}, deny(ActCreateRoom, R7, by, w, ReasonUnknownUser, w, ""), nil
		}
	}
	var f first
	fi := 0 // the refused person's index in with
	for i, w := range with {
		if f.see(talk(d, &rb, &recs[i], by, w, ActCreateRoom, R7)) {
			fi = i
		}
	}
	if f.ok {
		return Room{}, withFix(d, f.d, needTalk, &rb, &recs[fi]), nil
	}
	return Room{r: r}, allow(ActCreateRoom, R7, by, with[0]), nil
}

// Invite returns the room with who added (R8): by must be in the room and
// able to talk 1:1 with who (R1, R2). Inviting into a one-to-one room gives a
// new three-person room; the old value is unchanged either way. Like
// [Group.Invite], it copies only part of the members: O(n/32 + 32) for n.
func (r Room) Invite(d Store, by, who UserID) (Room, error) {
	if dec := r.canInvite(d, by, who); !dec.Allowed {
		return r, dec.Err()
	}
	i, _ := r.r.find(who)
	return Room{r: r.r.with(i, who)}, nil
}

// canInvite decides Room.Invite (R8), as it does.
func (r Room) canInvite(d Store, by, who UserID) Decision {
	rb, rw, dec, ok := pair(d, by, who, ActInviteRoom)
	if !ok {
		return dec
	}
	if r.gone {
		return deny(ActInviteRoom, R8, by, who, ReasonDissolved, "", "")
	}
	if !r.r.has(by) {
		return deny(ActInviteRoom, R8, by, who, ReasonNotMember, "", "")
	}
	if r.r.has(who) {
		return deny(ActInviteRoom, R8, by, who, ReasonAlreadyMember, "", "")
	}
	return withFix(d, talk(d, &rb, &rw, by, who, ActInviteRoom, R8), needTalk, &rb, &rw)
}

// Convert turns the room into a group (R10): by must be a member, the room
// must have three or more people, by's tenant must let by create groups
// (R12), no member may be a LINE user (R6), and by must be able to talk 1:1
// with every other member (R12). The group is external iff its members span
// tenants (R11), and then every member must be allowed in an external group
// (R12). by becomes its only master; join order is the room's. The room
// value is unchanged.
func (r Room) Convert(d Store, by UserID) (Group, error) {
	g, dec := r.convert(d, by)
	if !dec.Allowed {
		return Group{}, dec.Err()
	}
	return g, nil
}

// convert is Convert and its decision.
func (r Room) convert(d Store, by UserID) (Group, Decision) {
	rb, ok := lookup(d, by)
	if !ok {
		return Group{}, deny(ActConvert, R10, by, "", ReasonUnknownUser, by, "")
	}
	ms := r.r.list()
	recs := make([]rec, len(ms))
	for i, m := range ms {
		if recs[i], ok = lookup(d, m.id); !ok {
			return Group{}, deny(ActConvert, R10, by, "", ReasonUnknownUser, m.id, "")
		}
	}
	if r.gone {
		return Group{}, deny(ActConvert, R10, by, "", ReasonDissolved, "", "")
	}
	if !r.r.has(by) {
		return Group{}, deny(ActConvert, R10, by, "", ReasonNotMember, "", "")
	}
	if r.r.n < 3 {
		return Group{}, deny(ActConvert, R10, by, "", ReasonRoomTooSmall, "", "")
	}
	// idx[k] is the roster index of the k-th member to have joined.
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(ms[a].stamp, ms[b].stamp) })
	order := make([]UserID, len(ms))
	for k, i := range idx {
		order[k] = ms[i].id
	}
	external, dec := found(d, ActConvert, by, &rb, order, func(k int) *rec { return &recs[idx[k]] })
	if !dec.Allowed {
		return Group{}, dec
	}
	// The room's members and join order stay; by becomes the master.
	return Group{r: r.r, masters: idSet{by}, home: rb.tenant, external: external}, dec
}

// Leave returns the room without who (R8): anyone in a room may leave it
// themselves, whatever their tenant's policy (unlike a group, R18). When
// the last person leaves, the room is gone: it has no members and refuses
// every later operation with [ErrDissolved], like a dissolved group (D4,
// D7). Refusals, in the order of D7: who unknown, the room gone, who not
// in it. The old value is unchanged; it costs what [Group.Remove] does.
func (r Room) Leave(d Store, who UserID) (Room, error) {
	if dec := r.canLeave(d, who); !dec.Allowed {
		return r, dec.Err()
	}
	i, _ := r.r.find(who)
	if r.r.n == 1 {
		return Room{gone: true}, nil
	}
	return Room{r: r.r.without(i)}, nil
}

// canLeave decides Room.Leave (R8), as it does.
func (r Room) canLeave(d Store, who UserID) Decision {
	if _, ok := lookup(d, who); !ok {
		return deny(ActLeaveRoom, R8, who, "", ReasonUnknownUser, who, "")
	}
	if r.gone {
		return deny(ActLeaveRoom, R8, who, "", ReasonDissolved, "", "")
	}
	if !r.r.has(who) {
		return deny(ActLeaveRoom, R8, who, "", ReasonNotMember, "", "")
	}
	return allow(ActLeaveRoom, R8, who, "")
}

// Gone reports whether everyone has left the room (R8): it then has no
// members and refuses every operation with [ErrDissolved].
func (r Room) Gone() bool { return r.gone }

// Members returns the room's members, sorted by ID, as a new slice.
func (r Room) Members() []UserID { return r.r.ids() }

// Has reports whether u is in the room.
func (r Room) Has(u UserID) bool { return r.r.has(u) }

// Len returns the number of people in the room.
func (r Room) Len() int { return r.r.n }

// Equal reports whether r and o have the same members, joined in the same
// order, and are both gone or not.
func (r Room) Equal(o Room) bool { return r.gone == o.gone && r.r.equal(o.r) }

// String returns "room [a b me]", members sorted by ID, or "room gone"
// once everyone has left.
func (r Room) String() string {
	if r.gone {
		return "room gone"
	}
	return "room [" + joinIDs(r.r, nil) + "]"
}

// joinIDs returns the members' IDs in ID order, separated by spaces, each
// master's marked with a star.
