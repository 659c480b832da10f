package extlink

import "fmt"

// Rule names a rule (R1-R28) or a decision (D1-D8) of the specification.
// Its String is the label, "R13"; [Rule.Summary] says what it rules. The zero
// Rule names no rule.
type Rule uint8

// The rules. Each constant is named and numbered as in the specification;
// only some of them decide: the others are listed so that every citation has
// a value.
const (
	R1  Rule = iota + 1 // colleagues may talk; calls need the calls switch
	R2                  // talk across tenants: switches, connected members, link
	R3                  // calls across tenants: R2 plus calls on; never LINE users
	R4                  // a shared contact allows e-mail only
	R5                  // links are symmetric
	R6                  // LINE users: no tenant, links with tenant users only, never in groups
	R7                  // creating a room
	R8                  // inviting into a room
	R9                  // talking inside a room or group
	R10                 // turning a room into a group, or creating one
	R11                 // the external flag is fixed at creation
	R12                 // who may create a group, and with whom
	R13                 // only masters add members, people they can talk with
	R14                 // appointing masters
	R15                 // resigning as master
	R16                 // removing members
	R17                 // transferring the master role
	R18                 // leaving a group
	R19                 // a group stays a group down to one member
	R20                 // reconciling a group with a changed directory
	R21                 // the post's six steps
	R22                 // the shortest plan
	R23                 // the exposure audit
	R24                 // structured denials
	R25                 // what-if
	R26                 // replay
	R27                 // a decision for every operation
	R28                 // a directory changes by value
	D1                  // symmetric decisions
	D2                  // no outsider into an internal group
	D3                  // the last master cannot leave while others remain
	D4                  // the last member leaving dissolves the group
	D5                  // a tenant may let its members leave groups
	D6                  // reconcile promotes the earliest member
	D7                  // the order refusals are checked in
	D8                  // LINE-user clarifications
	ruleEnd
)

var ruleSummaries = [ruleEnd]string{
	R1:  "colleagues may talk 1:1; calls need the tenant's calls switch",
	R2:  "talk across tenants needs both tenants' switch, both connected and a link",
	R3:  "a call across tenants needs R2 and calls on in both tenants; LINE users are never called",
	R4:  "a shared contact allows e-mail, if an address is recorded, and nothing 1:1",
	R5:  "links are mutual",
	R6:  "LINE users have no tenant and are never in groups",
	R7:  "a room's creator must be able to talk with each member",
	R8:  "a room member may invite anyone they can talk with; anyone may leave a room",
	R9:  "everyone in a room or group may talk there",
	R10: "a member of a room of three or more may turn it into a group; anyone may create one",
	R11: "a group is external iff its members spanned tenants at creation, for good",
	R12: "the creator needs group-creation rights and talk with every member; external groups need connected members",
	R13: "only masters add members, and only people they can talk with",
	R14: "a master may appoint members as masters",
	R15: "a master may resign while another master remains",
	R16: "a master may remove any other member",
	R17: "a master may hand the master role to a member",
	R18: "members leave only where their tenant allows it; the last master only when alone",
	R19: "a group stays a group down to one member",
	R20: "members no longer allowed in an external group are removed",
	R21: "the post's six steps replay",
	R22: "the shortest plan to a group of two",
	R23: "the exposure audit",
	R24: "every denial names its rule, party and remedy",
	R25: "what-if previews a directory change",
	R26: "decisions replay from directory and query",
	R27: "every operation has a decision that answers as the operation would",
	R28: "a directory changes by value, atomically, at the cost of the change",
	D1:  "talk and call decisions are symmetric",
	D2:  "no outsider is invited into an internal group",
	D3:  "the last master cannot leave while others remain",
	D4:  "the last member leaving dissolves the group",
	D5:  "a tenant may let its members leave groups themselves; by default a master removes them",
	D6:  "if reconciling removes every master, the earliest remaining member becomes master",
	D7:  "refusals are checked in a fixed order",
	D8:  "LINE users: own tenant for R11, only the tenant side checked for talk",
}

// String returns the rule's label, "R13" or "D4", or "Rule(n)" out of range.
func (r Rule) String() string {
	switch {
	case r >= R1 && r <= R28:
		return fmt.Sprintf("R%d", int(r-R1)+1)
	case r >= D1 && r < ruleEnd:
		return fmt.Sprintf("D%d", int(r-D1)+1)
	}
	return fmt.Sprintf("Rule(%d)", uint8(r))
}

// Summary returns what the rule rules, in one lowercase phrase, or "" for a
// value out of range.
func (r Rule) Summary() string {
	if r < ruleEnd {
		return ruleSummaries[r]
	}
	return ""
}

// Action is what a [Decision] was asked about.
type Action uint8

// The Action values. The zero Action is unknown.
const (
	ActTalk        Action = iota + 1 // talk 1:1 (R1, R2)
	ActCall                          // call (R1, R3)
	ActEmail                         // e-mail a contact (R4)
	ActCreateRoom                    // create a room (R7)
	ActInviteRoom                    // invite into a room (R8)
	ActConvert                       // turn a room into a group (R10)
	ActCreateGroup                   // create a group (R10)
	ActInvite                        // add a member to a group (R13)
	ActAppoint                       // appoint a master (R14)
	ActResign                        // resign as master (R15)
	ActRemove                        // remove a member (R16)
	ActTransfer                      // hand the master role over (R17)
	ActLeave                         // leave a group (R18)
	ActLeaveRoom                     // leave a room (R8)
	ActTalkIn                        // talk in a group (R9)
	actEnd
)

var actionRules = [actEnd]Rule{
	ActTalk: R2, ActCall: R3, ActEmail: R4, ActCreateRoom: R7, ActInviteRoom: R8,
	ActConvert: R10, ActCreateGroup: R10, ActInvite: R13, ActAppoint: R14,
	ActResign: R15, ActRemove: R16, ActTransfer: R17, ActLeave: R18, ActLeaveRoom: R8, ActTalkIn: R9,
}

// Rule returns the rule that governs a; a decision about a names it unless a
// more specific rule decided (R1 between colleagues, for example).
func (a Action) Rule() Rule {
	if a < actEnd {
		return actionRules[a]
	}
	return 0
}

// String returns a short name for a: "talk", "call", "create-group" and so on.
func (a Action) String() string {
	switch a {
	case ActTalk:
		return "talk"
	case ActCall:
		return "call"
	case ActEmail:
		return "email"
	case ActCreateRoom:
		return "create-room"
	case ActInviteRoom:
		return "invite-room"
	case ActConvert:
		return "convert"
	case ActCreateGroup:
		return "create-group"
	case ActInvite:
		return "invite"
	case ActAppoint:
		return "appoint"
	case ActResign:
		return "resign"
	case ActRemove:
		return "remove"
	case ActTransfer:
		return "transfer"
	case ActLeave:
		return "leave"
	case ActLeaveRoom:
		return "leave-room"
	case ActTalkIn:
		return "talk-in"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// inRoom reports whether a acts on a room rather than a group.
func (a Action) inRoom() bool {
	return a == ActInviteRoom || a == ActConvert || a == ActLeaveRoom
}

// phrase returns the verb phrase "talk with b" for a decision's sentence.
func (a Action) phrase(who string) string {
	switch a {
	case ActTalk:
		return "talk with " + who
	case ActCall:
		return "call " + who
	case ActEmail:
		return "e-mail " + who
	case ActCreateRoom:
		return "create a room with " + who
	case ActInviteRoom, ActInvite:
		return "invite " + who
	case ActConvert:
		return "turn the room into a group"
	case ActCreateGroup:
		if who == "" {
			return "create a group"
		}
		return "create a group with " + who
	case ActAppoint:
		return "appoint " + who + " as master"
	case ActResign:
		return "resign as master"
	case ActRemove:
		return "remove " + who
	case ActTransfer:
		return "hand the master role to " + who
	case ActLeave:
		return "leave the group"
	case ActLeaveRoom:
		return "leave the room"
	case ActTalkIn:
		return "talk in the group"
	}
	return "do " + a.String()
}

// Reason is why a [Decision] denied. Each Reason has one cause sentinel
// ([Reason.Cause]) and one place in the order refusals are checked in (D7).
// The zero Reason is [ReasonNone], for allowed decisions.
type Reason uint8

// The Reason values, grouped by the sentinel they map to.
const (
	ReasonNone Reason = iota // allowed

	ReasonUnknownUser   // ErrUnknownUser: Party is not in the directory (D7)
	ReasonDissolved     // ErrDissolved: the group was dissolved (D4), or everyone left the room (R8)
	ReasonNotMember     // ErrNotMember: By is not a member of the room, group or address book's tenant
	ReasonNotMaster     // ErrNotMaster: By is not a master of the group (R13-R17); Party is one who is
	ReasonTargetMissing // ErrNotMember: Who is not a member of the group
	ReasonAlreadyMember // ErrAlreadyMember: Who is already a member
	ReasonAlreadyMaster // ErrAlreadyMember: Who is already a master (R14, R17)
	ReasonLastMaster    // ErrLastMaster: By is the group's only master (R15, D3)
	ReasonInternalGroup // ErrInternalGroup: Who is an outsider and the group is internal (R11, D2)

	ReasonWorksOff      // ErrNotPermitted: Tenant does not allow talk with outside LINE WORKS users (R2, R12)
	ReasonLINEOff       // ErrNotPermitted: Tenant does not allow talk with LINE users (R2)
	ReasonNotConnected  // ErrNotPermitted: Party is not on Tenant's connected-members list (R2)
	ReasonLINEInGroup   // ErrNotPermitted: Party is a LINE user, and groups exclude them (R6)
	ReasonNoGroupRights // ErrNotPermitted: Tenant lets only admins create groups (R12)
	ReasonNoSelfLeave   // ErrNotPermitted: Tenant does not let members leave groups (D5)
	ReasonRoomTooSmall  // ErrNotPermitted: only a room of three or more becomes a group (R10)
	ReasonSelf          // ErrNotPermitted: By and Who are the same person
	ReasonLINEPair      // ErrNotPermitted: both are LINE users, which extlink does not decide for (R6)
	ReasonNoAddress     // ErrNotPermitted: the contact has no e-mail address (R4)

	ReasonNotLinked // ErrNotLinked: By and Who are not linked (R2)

	ReasonCallsOff // ErrCallsOff: Tenant has calls switched off (R1, R3)
	ReasonLINECall // ErrCallsOff: Party is a LINE user, who cannot be called (R3)
	reasonEnd
)

var reasonNames = [reasonEnd]string{
	"none", "unknown-user", "dissolved", "not-member", "not-master", "target-not-member",
	"already-member", "already-master", "last-master", "internal-group", "works-off", "line-off",
	"not-connected", "line-in-group", "no-group-rights", "no-self-leave", "room-too-small",
	"self", "line-pair", "no-address", "not-linked", "calls-off", "line-call",
}

// String returns a short name for r, such as "not-linked".
func (r Reason) String() string {
	if r < reasonEnd {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Cause returns the sentinel error r maps to, such as [ErrNotLinked], or nil
// for [ReasonNone].
func (r Reason) Cause() error {
	switch {
	case r == ReasonNone || r >= reasonEnd:
		return nil
	case r == ReasonUnknownUser:
		return ErrUnknownUser
	case r == ReasonDissolved:
		return ErrDissolved
	case r == ReasonNotMember || r == ReasonTargetMissing:
		return ErrNotMember
	case r == ReasonNotMaster:
		return ErrNotMaster
	case r == ReasonAlreadyMember || r == ReasonAlreadyMaster:
		return ErrAlreadyMember
	case r == ReasonLastMaster:
		return ErrLastMaster
	case r == ReasonInternalGroup:
		return ErrInternalGroup
	case r < ReasonNotLinked:
		return ErrNotPermitted
	case r == ReasonNotLinked:
		return ErrNotLinked
	}
	return ErrCallsOff
}

// Order returns r's row in the order refusals are checked in (D7): 1 for an
// unknown user up to 10 for calls switched off, and 0 for [ReasonNone]. When
// several people are refused at once, the lowest row wins.
func (r Reason) Order() int {
	switch {
	case r == ReasonNone || r >= reasonEnd:
		return 0
	case r == ReasonUnknownUser:
		return 1
	case r == ReasonDissolved:
		return 2
	case r == ReasonNotMember:
		return 3
	case r == ReasonNotMaster:
		return 4
	case r <= ReasonAlreadyMaster:
		return 5
	case r == ReasonLastMaster:
		return 6
	case r == ReasonInternalGroup:
		return 7
	case r < ReasonNotLinked:
		return 8
	case r == ReasonNotLinked:
		return 9
	}
	return 10
}

// clause returns the sentence that says why r refuses, for the reasons
// that name only a party p and a tenant t, or "" for the others: the one
// wording that a Decision's text and an UnreachableError's share.
func (r Reason) clause(p, t string) string {
	switch r {
	case ReasonUnknownUser:
		return p + " is not in the directory"
	case ReasonWorksOff:
		return t + " does not allow talk with outside LINE WORKS users"
	case ReasonLINEOff:
		return t + " does not allow talk with LINE users"
	case ReasonNotConnected:
		return p + " is not one of " + t + "'s connected members"
	case ReasonLINEInGroup:
		return p + " is a LINE user, and groups exclude LINE users"
	case ReasonNoGroupRights:
		return t + " lets only admins create groups"
	case ReasonNoSelfLeave:
		return t + " does not let its members leave groups"
	case ReasonCallsOff:
		return t + " has calls switched off"
	case ReasonLINECall:
		return p + " is a LINE user, and LINE users cannot be called"
	}
	return ""
}
