package extlink

// A decision for every operation (R27): each answers, without changing
// anything, exactly what the operation would do, allowed or the same
// refusal with the same sentinel, rule and party, because each operation
// is its decision followed by the change. A user interface can grey out
// what is refused and say why.

// Can decides step s on the group g as the operation would (R27): s.Op is
// [OpInvite], [OpAppoint], [OpResign], [OpTransfer], [OpLeave] or
// [OpRemove], by s.By on s.Who (Who is empty for Resign and Leave);
// s.Group is ignored. For any other Op, the zero Op included, it returns the
// zero Decision, which denies without a reason: that step is not an
// operation on a group. It does not allocate.
func (g Group) Can(d Store, s Step) Decision {
	switch s.Op {
	case OpInvite:
		return g.canInvite(d, s.By, s.Who)
	case OpAppoint:
		return g.canAppoint(d, s.By, s.Who)
	case OpResign:
		return g.canResign(d, s.By)
	case OpTransfer:
		return g.canTransfer(d, s.By, s.Who)
	case OpLeave:
		return g.canLeave(d, s.By)
	case OpRemove:
		return g.canRemove(d, s.By, s.Who)
	}
	return Decision{}
}

// Can decides step s on the room r as the operation would (R27): s.Op is
// [OpInvite] (s.By invites s.Who, R8), [OpLeave] (s.By leaves, R8) or
// [OpConvert] (s.By turns the room into a group, R10-R12); s.Group is
// ignored. For any other Op it returns the zero Decision, which denies
// without a reason. Invite and Leave do not allocate; Convert costs what
// the conversion's checks do (the members' records), without building the
// group.
func (r Room) Can(d Store, s Step) Decision {
	switch s.Op {
	case OpInvite:
		return r.canInvite(d, s.By, s.Who)
	case OpLeave:
		return r.canLeave(d, s.By)
	case OpConvert:
		_, dec := r.convert(d, s.By)
		return dec
	}
	return Decision{}
}

// CanCreate decides whether by may create a room ([OpCreateRoom], R7) or
// a group ([OpCreateGroup], R10-R12) with the people in with, as [NewRoom]
// and [NewGroup] would. Input those refuse as bad (nobody to make a room
// with, a user named twice) and any other Op give the zero Decision, which
// denies without a reason. It allocates the members' records, as the
// operations do.
func CanCreate(d Store, op Op, by UserID, with ...UserID) Decision {
	var dec Decision
	switch op {
	case OpCreateRoom:
		_, dec, _ = newRoom(d, by, with)
	case OpCreateGroup:
		_, dec, _ = newGroup(d, by, with)
	}
	return dec
}

// CanTalkIn decides whether who may talk in the group g now (R9): who must
// be a member of a group that lives, and in an external group still be
// allowed there, a LINE WORKS user whose tenant lets them talk with outside
// LINE WORKS users ([P4]; [Reconcile] removes those who no longer are,
// R20). In an internal group every member may talk. Refusals follow D7. It
// does not allocate.
func CanTalkIn(d Store, g Group, who UserID) Decision {
	r, ok := lookup(d, who)
	switch {
	case !ok:
		return deny(ActTalkIn, R9, who, "", ReasonUnknownUser, who, "")
	case g.dissolved:
		return deny(ActTalkIn, R9, who, "", ReasonDissolved, "", "")
	case !g.r.has(who):
		return deny(ActTalkIn, R9, who, "", ReasonNotMember, "", "")
	}
	if why, p, t := g.admits(&r, who); why != ReasonNone {
		return withFix(d, deny(ActTalkIn, R9, who, "", why, p, t), needExtBy, &r, nil)
	}
	return allow(ActTalkIn, R9, who, "")
}
