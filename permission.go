package extlink

import "strings"

// Decision is the answer to one question: may By do Action (to Who)? It is a
// plain, comparable value holding no text: [Decision.String] and
// [Decision.Err] build the sentence when asked, so deciding allocates nothing.
// The zero Decision denies, for no stated reason.
//
// A denial names the rule that decided, why ([Reason], which maps to one
// sentinel), the user or tenant whose state blocked it (Party, Tenant) and,
// through [Decision.Remedy], what would make it allowed (R24).
type Decision struct {
	Allowed bool
	Rule    Rule     // the rule that decided
	Action  Action   // what was asked
	By      UserID   // who asked
	Who     UserID   // about whom: the other person, or empty (Resign, Leave, Convert)
	Reason  Reason   // why it was denied; ReasonNone when allowed
	fx      fixSet   // the changes Fix returns (fix.go)
	Party   UserID   // the user whose state blocked it, if one did (for ReasonTargetMissing: Who, when By may invite them; for ReasonSelf in a removal: By, when By may leave; for ReasonLastMaster: the first member, by ID, who may become a master)
	Tenant  TenantID // the tenant whose setting blocked it, if one did
	fixT    [2]TenantID
}

// IsZero reports whether d is the zero Decision.
func (d Decision) IsZero() bool { return d == Decision{} }

// Cause returns the sentinel error of d's reason, such as [ErrNotLinked], or
// nil when d allows or gives no reason. It does not allocate.
func (d Decision) Cause() error {
	if d.Allowed {
		return nil
	}
	return d.Reason.Cause()
}

// Err returns nil when d allows, and otherwise a *[DeniedError] that wraps
// [ErrDenied] and d's cause sentinel, and reads as one sentence:
//
//	extlink: me cannot talk with b: not linked (R2); link me with b first
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &DeniedError{Decision: d}
}

// String returns d as one sentence naming the users, the rule and, for a
// denial, the reason and the remedy:
//
//	a may talk with b (R2)
//	me cannot call b: not linked (R3); link me with b first
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(string(d.By))
	if d.Allowed {
		b.WriteString(" may ")
	} else {
		b.WriteString(" cannot ")
	}
	b.WriteString(d.Action.phrase(string(d.Who)))
	if why := d.why(); why != "" {
		b.WriteString(": ")
		b.WriteString(why)
	}
	if d.Rule != 0 {
		b.WriteString(" (")
		b.WriteString(d.Rule.String())
		b.WriteString(")")
	}
	if r := d.Remedy(); r != "" {
		b.WriteString("; ")
		b.WriteString(r)
	}
	return b.String()
}

// why returns the reason of a denial in words, or "".
func (d Decision) why() string {
	by, who, party, t := string(d.By), string(d.Who), string(d.Party), string(d.Tenant)
	if d.Allowed {
		return ""
	}
	if c := d.Reason.clause(party, t); c != "" {
		return c
	}
	switch d.Reason {
	case ReasonDissolved:
		if d.Action.inRoom() {
			return "everyone has left the room"
		}
		return "the group is dissolved"
	case ReasonNotMember:
		switch d.Action {
		case ActEmail:
			return by + " is not a member of " + t + ", whose address book holds the contact"
		case ActInviteRoom, ActConvert, ActLeaveRoom:
			return by + " is not a member of the room"
		}
		return by + " is not a member of the group"
	case ReasonNotMaster:
		return by + " is not a master of the group"
	case ReasonTargetMissing:
		return who + " is not a member of the group"
	case ReasonAlreadyMember:
		return who + " is already a member"
	case ReasonAlreadyMaster:
		return who + " is already a master"
	case ReasonLastMaster:
		return by + " is the group's only master"
	case ReasonInternalGroup:
		return "the group is internal and " + who + " is an outsider"
	case ReasonRoomTooSmall:
		return "only a room of three or more people becomes a group"
	case ReasonSelf:
		if d.Action == ActRemove {
			return "nobody removes themselves"
		}
		return by + " and " + who + " are the same person"
	case ReasonLINEPair:
		return "both are LINE users, who talk in LINE itself"
	case ReasonNoAddress:
		return "no e-mail address is recorded for the contact"
	case ReasonNotLinked:
		return "not linked"
	}
	return ""
}

// Remedy returns what would make a denied d allowed, as an instruction a
// person can act on ("link me with b first"), or "" when d allows or nothing
// within the tenants' reach would help.
func (d Decision) Remedy() string {
	by, who, party, t := string(d.By), string(d.Who), string(d.Party), string(d.Tenant)
	if d.Allowed {
		return ""
	}
	switch d.Reason {
	case ReasonUnknownUser:
		return "check the ID, or add " + party + " to the directory"
	case ReasonDissolved:
		if d.Action.inRoom() {
			return "create a new room"
		}
		return "create a new group"
	case ReasonNotMember:
		switch d.Action {
		case ActEmail, ActLeaveRoom:
			return ""
		case ActInviteRoom, ActConvert:
			return "ask a member of the room to invite " + by
		}
		return "ask a master of the group to add " + by
	case ReasonNotMaster:
		if party != "" {
			return "ask " + party + ", a master of the group"
		}
		return "ask a master of the group"
	case ReasonTargetMissing:
		if d.Action == ActRemove || d.Party != d.Who {
			return "" // by may not invite who: nothing by can do
		}
		return "invite " + who + " first"
	case ReasonLastMaster:
		switch {
		case party == "":
			return "" // nobody in the group may become a master
		case d.Action == ActLeave:
			return "hand the master role to " + party + " first"
		}
		return "appoint " + party + " as master first"
	case ReasonInternalGroup:
		if d.Rule == R6 {
			return "talk with " + who + " in a room instead"
		}
		return "create an external group with " + who + " instead"
	}
	if fixable(d.Reason) {
		if w := d.fixWords(); w != "" {
			if d.Reason == ReasonNoSelfLeave && party != "" {
				return "ask a master of the group to remove " + by + ", or " + w
			}
			return w
		}
		if d.fx.bits&fixNone != 0 {
			if d.Action == ActCall {
				return "none in the directory: LINE users are never called (R3)"
			}
			return "none in the directory"
		}
	}
	// A decision made elsewhere, without its fix: the deciding reason's own remedy.
	switch d.Reason {
	case ReasonWorksOff:
		return "ask " + t + "'s admin to allow talk with outside LINE WORKS users"
	case ReasonLINEOff:
		return "ask " + t + "'s admin to allow talk with LINE users"
	case ReasonNotConnected:
		return "add " + party + " to " + t + "'s connected members"
	case ReasonLINEInGroup:
		return "talk with " + party + " in a room instead"
	case ReasonNoGroupRights:
		return "ask " + t + "'s admin to create it, or to let members create groups"
	case ReasonNoSelfLeave:
		return "ask a master of the group to remove " + by
	case ReasonRoomTooSmall:
		return "invite a third person first"
	case ReasonSelf:
		if d.Action == ActRemove && d.Party == d.By {
			return "leave the group instead"
		}
	case ReasonNoAddress:
		return "record an e-mail address for the contact"
	case ReasonNotLinked:
		return "link " + by + " with " + who + " first"
	case ReasonCallsOff:
		return "ask " + t + "'s admin to switch calls on"
	case ReasonLINECall:
		return "talk with " + party + " instead"
	}
	return ""
}

// allow returns an allowing decision.
func allow(act Action, rule Rule, by, who UserID) Decision {
	return Decision{Allowed: true, Rule: rule, Action: act, By: by, Who: who}
}

// deny returns a denying decision.
func deny(act Action, rule Rule, by, who UserID, why Reason, party UserID, t TenantID) Decision {
	return Decision{Rule: rule, Action: act, By: by, Who: who, Reason: why, Party: party, Tenant: t}
}

// rec is what the rules need to know about one user, resolved from a Store.
// A *Directory keeps a urec per user and resolves it, its flags from the
// tenant's current policy, when it is read (Directory.resolve); other
// stores build it per lookup with newRec. Both paths share every rule below.
type rec struct {
	urec
	tenant TenantID // empty for LINE users
	flags  uint8    // the f flags
	pol    uint8    // the tenant's policy, packed (packPolicy), for a refusal's fix
}

// urec is what a *Directory keeps of a user, in its index slot and by
// node: 32 bytes without pointers, so that the collector never scans the
// index. Other stores' recs use only idx (-1), tidx, kind and ubits.
type urec struct {
	filt  uint64 // in a *Directory: a filter of the nodes the user is linked with (linkMask)
	idx   int32  // the user's node in a *Directory, or -1
	tidx  int32  // tenant index in a *Directory or a graph; -1 for LINE users or other stores
	deg   int32  // number of links, in a *Directory
	off   uint32 // in a *Directory: the links are spans chunk chunk, from off
	chunk uint32
	kind  Kind
	ubits uint8 // uAdmin, uConnected, uDead
}

// rec ubits: what a *Directory keeps of the user beside the tenant's policy.
const (
	uAdmin     uint8 = 1 << iota // the user is an admin
	uConnected                   // the user is on the connected list
	uDead                        // the node's user was removed
)

// rec flags: the tenant's policy, applied to this user.
const (
	fWorksOn uint8 = 1 << iota // tenant's Works switch is not off
	fWorksOK                   // may talk with outside LINE WORKS users (R2)
	fLINEOn                    // tenant's LINE switch is not off
	fLINEOK                    // may talk with LINE users (R2)
	fCalls                     // tenant has calls on (R1, R3)
	fCreate                    // may create groups (R12)
	fLeave                     // may leave groups (R18, D5)
)

func newRec(u User, pol Policy, idx, tidx int32) rec {
	r := rec{urec: urec{idx: idx, tidx: tidx, kind: u.Kind}, tenant: u.Tenant}
	if u.Role == Admin {
		r.ubits |= uAdmin
	}
	if u.Connected {
		r.ubits |= uConnected
	}
	if u.Kind != WorksUser {
		r.tenant = ""
		return r
	}
	r.pol = packPolicy(pol)
	grant := func(a Access, on, ok uint8) {
		if a != AccessOff {
			r.flags |= on
		}
		if a == AccessAll || a == AccessListed && u.Connected {
			r.flags |= ok
		}
	}
	grant(pol.Works, fWorksOn, fWorksOK)
	grant(pol.LINE, fLINEOn, fLINEOK)
	if !pol.NoCalls {
		r.flags |= fCalls
	}
	if u.Role == Admin || pol.MembersCreateGroups {
		r.flags |= fCreate
	}
	if u.Role == Admin || pol.MembersLeaveGroups {
		r.flags |= fLeave
	}
	return r
}

func (r rec) has(f uint8) bool { return r.flags&f != 0 }

// colleague reports whether a and b are LINE WORKS users of one tenant (R1).
func colleague(a, b rec) bool {
	if a.kind != WorksUser || b.kind != WorksUser {
		return false
	}
	if a.tidx >= 0 && b.tidx >= 0 {
		return a.tidx == b.tidx
	}
	return a.tenant == b.tenant
}

// same reports whether a and b, named from and to, are one user.
func same(a, b *rec, from, to UserID) bool {
	if a.idx >= 0 && b.idx >= 0 {
		return a.idx == b.idx
	}
	return from == to
}

// lookup resolves id in s. It does not allocate for a *Directory.
func lookup(s Store, id UserID) (rec, bool) {
	if d, ok := s.(*Directory); ok {
		if d == nil {
			return rec{}, false
		}
		if r := d.find(id); r != nil {
			return d.resolve(r), true
		}
		return rec{}, false
	}
	if s == nil {
		return rec{}, false
	}
	u, ok := s.User(id)
	if !ok || u.ID != id {
		return rec{}, false
	}
	t, _ := s.Tenant(u.Tenant)
	return newRec(u, t.Policy, -1, -1), true
}

// linked reports whether the users behind a and b are linked.
func linked(s Store, a, b *rec, aid, bid UserID) bool {
	if d, ok := s.(*Directory); ok && a.idx >= 0 && b.idx >= 0 {
		return d.linked(&a.urec, &b.urec)
	}
	return s.Linked(aid, bid)
}

// outward checks that a may talk with an outsider of kind other, as far as
// a's own tenant is concerned (R2). A LINE user has no tenant to check (D8).
func outward(a *rec, other Kind) Reason {
	if a.kind != WorksUser {
		return ReasonNone
	}
	on, ok, off := fWorksOn, fWorksOK, ReasonWorksOff
	if other == LINEUser {
		on, ok, off = fLINEOn, fLINEOK, ReasonLINEOff
	}
	switch {
	case !a.has(on):
		return off
	case !a.has(ok):
		return ReasonNotConnected
	}
	return ReasonNone
}

// externalOK checks that a, named aid, may be in an external group: a LINE
// WORKS user whose tenant lets them talk with outside LINE WORKS users (R6,
// R12). It returns the reason and the blocking party and tenant.
func externalOK(a *rec, aid UserID) (Reason, UserID, TenantID) {
	if a.kind != WorksUser {
		return ReasonLINEInGroup, aid, ""
	}
	switch why := outward(a, WorksUser); why {
	case ReasonNone:
		return why, "", ""
	case ReasonNotConnected:
		return why, aid, a.tenant
	default:
		return why, "", a.tenant
	}
}

// verdict is a talk or call decision before it names anyone: small enough
// to travel in registers. decision turns it into a Decision.
type verdict struct {
	why   Reason
	side  uint8 // whose state blocked it: 1 the asker (a), 2 the other (b), 0 neither
	peers bool  // one user, or colleagues: R1 decides talk and calls
}

// talkVerdict decides whether a (from) may talk 1:1 with b (to): R1, R2,
// R6, D8, checked in the order of D7. Both users are known.
func talkVerdict(s Store, a, b *rec, from, to UserID) verdict {
	if same(a, b, from, to) {
		return verdict{why: ReasonSelf, peers: true}
	}
	if colleague(*a, *b) {
		return verdict{peers: true}
	}
	if a.kind == LINEUser && b.kind == LINEUser {
		return verdict{why: ReasonLINEPair}
	}
	if why := outward(a, b.kind); why != ReasonNone {
		return verdict{why: why, side: 1}
	}
	if why := outward(b, a.kind); why != ReasonNone {
		return verdict{why: why, side: 2}
	}
	if !linked(s, a, b, from, to) {
		return verdict{why: ReasonNotLinked}
	}
	return verdict{}
}

// decision names the users of v: the asker from (a), the other to (b). The
// rule is R1 for colleagues' talk and calls, R6 for two LINE users, else
// rule.
func (v verdict) decision(act Action, rule Rule, from, to UserID, a, b *rec) Decision {
	if v.why != ReasonNone {
		return v.denial(act, rule, from, to, a, b)
	}
	return Decision{Allowed: true, Rule: v.rule(act, rule), Action: act, By: from, Who: to}
}

// rule returns the rule that decides v for act: R1 for colleagues' talk and
// calls, R6 for two LINE users, else rule.
func (v verdict) rule(act Action, rule Rule) Rule {
	if v.peers && act <= ActCall {
		return R1
	}
	if v.why == ReasonLINEPair {
		return R6
	}
	return rule
}

// denial is decision for a verdict that denies, kept apart so that decision
// inlines.
func (v verdict) denial(act Action, rule Rule, from, to UserID, a, b *rec) Decision {
	d := Decision{Rule: v.rule(act, rule), Action: act, By: from, Who: to, Reason: v.why}
	u, r := from, a
	if v.side == 2 {
		u, r = to, b
	}
	if v.side != 0 {
		switch v.why {
		case ReasonNotConnected:
			d.Party, d.Tenant = u, r.tenant
		case ReasonWorksOff, ReasonLINEOff, ReasonCallsOff:
			d.Tenant = r.tenant
		case ReasonLINECall:
			d.Party = u
		}
	}
	return d
}

// talk decides whether a (from) may talk 1:1 with b (to), as act under rule,
// for the callers that check talk on the way to something else (R7, R8,
// R12, R13).
func talk(s Store, a, b *rec, from, to UserID, act Action, rule Rule) Decision {
	return talkVerdict(s, a, b, from, to).decision(act, rule, from, to, a, b)
}

// callVerdict decides whether a (from) may call b (to): talk first, then
// R1's calls switch between colleagues, or R3 across tenants.
func callVerdict(s Store, a, b *rec, from, to UserID) verdict {
	v := talkVerdict(s, a, b, from, to)
	switch {
	case v.why != ReasonNone:
		return v
	case v.peers:
		if !a.has(fCalls) {
			v.why, v.side = ReasonCallsOff, 1
		}
	case a.kind == LINEUser:
		v.why, v.side = ReasonLINECall, 1
	case b.kind == LINEUser:
		v.why, v.side = ReasonLINECall, 2
	case !a.has(fCalls):
		v.why, v.side = ReasonCallsOff, 1
	case !b.has(fCalls):
		v.why, v.side = ReasonCallsOff, 2
	}
	return v
}

// pair resolves from and to, or returns the unknown-user denial.
func pair(s Store, from, to UserID, act Action) (a, b rec, d Decision, ok bool) {
	a, oka := lookup(s, from)
	if !oka {
		return a, b, deny(act, act.Rule(), from, to, ReasonUnknownUser, from, ""), false
	}
	b, okb := lookup(s, to)
	if !okb {
		return a, b, deny(act, act.Rule(), from, to, ReasonUnknownUser, to, ""), false
	}
	return a, b, Decision{}, true
}

// CanTalk decides whether from may talk 1:1 with to. Colleagues may (R1).
// Across tenants, both tenants must allow talk with that kind of outsider,
// each side must be a connected member of its tenant, and the two must be
// linked (R2); a LINE user has no tenant side to check (D8). The first
// failing condition, in the order of D7, decides, and the decision names it.
// The answer is symmetric in from and to (R5, D1), though a denial may name
// a different blocking party when both sides block.
//
// CanTalk does not allocate. On a *Directory it costs two map lookups and,
// across tenants, a binary search over the shorter list of links.
func CanTalk(d Store, from, to UserID) Decision {
	if dir, ok := d.(*Directory); ok && dir != nil {
		if a, b := dir.find2(from, to); a != nil && b != nil {
			ra, rb := dir.resolve(a), dir.resolve(b)
			dec := talkVerdict(d, &ra, &rb, from, to).decision(ActTalk, R2, from, to, &ra, &rb)
			switch {
			case dec.Allowed:
			case dec.Reason == ReasonNotLinked:
				dec.fx.bits |= fixLink // both sides' own conditions hold (D7): the link is all it needs
			case fixable(dec.Reason):
				dec.addFix(d, needTalk, &ra, &rb)
			}
			return dec
		}
	}
	return canTalkStore(d, from, to)
}

// canTalkStore is CanTalk for stores other than *Directory, and for unknown
// users; it is kept out of line so that CanTalk's fast path stays small.
//
//go:noinline
func canTalkStore(d Store, from, to UserID) Decision {
	a, b, dec, ok := pair(d, from, to, ActTalk)
	if !ok {
		return dec
	}
	return withFix(d, talk(d, &a, &b, from, to, ActTalk, R2), needTalk, &a, &b)
}

// CanCall decides whether from may call to (voice or video). Colleagues may
// when their tenant has calls on (R1). Across tenants, the pair must be able
// to talk (R2), both tenants must have calls on, and neither may be a LINE
// user (R3); talk is checked first (D7, D8), so an unlinked LINE user is
// refused as not linked. It is symmetric (R5, D1) and does not allocate.
func CanCall(d Store, from, to UserID) Decision {
	if dir, ok := d.(*Directory); ok && dir != nil {
		if a, b := dir.find2(from, to); a != nil && b != nil {
			ra, rb := dir.resolve(a), dir.resolve(b)
			dec := callVerdict(d, &ra, &rb, from, to).decision(ActCall, R3, from, to, &ra, &rb)
			if !dec.Allowed && fixable(dec.Reason) {
				dec.addFix(d, needCall, &ra, &rb)
			}
			return dec
		}
	}
	return canCallStore(d, from, to)
}

// canCallStore is CanCall for other stores and unknown users.
//
//go:noinline
func canCallStore(d Store, from, to UserID) Decision {
	a, b, dec, ok := pair(d, from, to, ActCall)
	if !ok {
		return dec
	}
	return withFix(d, callVerdict(d, &a, &b, from, to).decision(ActCall, R3, from, to, &a, &b), needCall, &a, &b)
}

// CanInvite decides whether by may add who to the group g (R13): by must be
// a master of g, who not yet a member; into an internal group no outsider
// (R11, D2), into an external group only LINE WORKS users allowed to talk
// with outside LINE WORKS users (R6, R12); and by must be able to talk 1:1
// with who (R1, R2). Refusals follow D7. It does not allocate.
func CanInvite(d Store, g Group, by, who UserID) Decision {
	return g.canInvite(d, by, who)
}
