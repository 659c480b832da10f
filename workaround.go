package extlink

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// Op is one kind of step in a [Plan]. The zero Op is invalid: Apply refuses
// it with an ordinary error.
type Op uint8

// The Op values.
const (
	OpCreateRoom  Op = iota + 1 // By creates a room with Who (R7)
	OpCreateGroup               // By creates a group with Who, or alone when Who is empty (R10)
	OpInvite                    // By invites Who into the room (R8) or group (R13)
	OpConvert                   // By turns the room into a group (R10)
	OpAppoint                   // By appoints Who as master (R14)
	OpResign                    // By resigns as master (R15)
	OpTransfer                  // By hands the master role to Who (R17)
	OpLeave                     // By leaves the group (R18)
	OpRemove                    // By removes Who from the group (R16)
	opEnd
)

var opWords = [...]string{"", "create-room", "create-group", "invite", "convert", "appoint", "resign", "transfer", "leave", "remove"}

// String returns the op's word, such as "create-group", or "Op(n)" for the
// zero Op or a value out of range.
func (o Op) String() string {
	if o > 0 && o < opEnd {
		return opWords[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// MarshalText encodes o as its word. It fails for the zero Op and values out
// of range.
func (o Op) MarshalText() ([]byte, error) { return enumMarshal("Op", opWords[:], o) }

// UnmarshalText decodes an op's word. It leaves o unchanged on error.
func (o *Op) UnmarshalText(b []byte) error { return enumUnmarshal("Op", opWords[:], o, b) }

// needsWho reports whether the op names a second person: 1 must, 0 must not,
// -1 may (a group created alone).
func (o Op) needsWho() int {
	switch o {
	case OpConvert, OpResign, OpLeave:
		return 0
	case OpCreateGroup:
		return -1
	}
	return 1
}

// Step is one operation of a [Plan]: By does Op, to Who, in the room or
// group Group names. Who is empty for OpConvert, OpResign and OpLeave, and
// for OpCreateGroup of a group of one. Group 0 is the room or group the plan
// itself creates; Group k > 0 is the k-th of the existing groups given to
// [Plan.Apply] and [PlanGroup] (groups[k-1]), which a plan may start from
// instead of creating one (R22).
type Step struct {
	Op      Op
	By, Who UserID
	Group   int
}

// String returns the step as a sentence without its rule: "a invites me",
// or "a invites me into group 1" for a step on an existing group.
func (s Step) String() string { return s.sentence() }

func (s Step) sentence() string {
	by, who := string(s.By), string(s.Who)
	if s.Group > 0 {
		g := "group " + strconv.Itoa(s.Group)
		switch s.Op {
		case OpInvite:
			return by + " invites " + who + " into " + g
		case OpAppoint:
			return by + " appoints " + who + " as master of " + g
		case OpResign:
			return by + " resigns as master of " + g
		case OpTransfer:
			return by + " hands the master role of " + g + " to " + who
		case OpLeave:
			return by + " leaves " + g
		case OpRemove:
			return by + " removes " + who + " from " + g
		}
	}
	switch s.Op {
	case OpCreateRoom:
		return by + " creates a room with " + who
	case OpCreateGroup:
		if who == "" {
			return by + " creates a group alone"
		}
		return by + " creates a group with " + who
	case OpInvite:
		return by + " invites " + who
	case OpConvert:
		return by + " turns the room into a group"
	case OpAppoint:
		return by + " appoints " + who + " as master"
	case OpResign:
		return by + " resigns as master"
	case OpTransfer:
		return by + " hands the master role to " + who
	case OpLeave:
		return by + " leaves the group"
	case OpRemove:
		return by + " removes " + who
	}
	return fmt.Sprintf("%s does %s to %s", by, s.Op, who)
}

// rule returns the rule a step is taken under, its action's (R7-R18): an
// invitation is R8 into a room and R13 into a group.
func (s Step) rule(inGroup bool) Rule { return s.Op.action(inGroup).Rule() }

// action returns the Action a Decision on o names, in a room or, when
// inGroup, a group: the one vocabulary Step and Decision share.
func (o Op) action(inGroup bool) Action {
	switch o {
	case OpCreateRoom:
		return ActCreateRoom
	case OpCreateGroup:
		return ActCreateGroup
	case OpConvert:
		return ActConvert
	case OpInvite:
		if inGroup {
			return ActInvite
		}
		return ActInviteRoom
	case OpAppoint:
		return ActAppoint
	case OpResign:
		return ActResign
	case OpTransfer:
		return ActTransfer
	case OpLeave:
		if inGroup {
			return ActLeave
		}
		return ActLeaveRoom
	case OpRemove:
		return ActRemove
	}
	return 0
}

// Plan is a sequence of steps that ends with a group (R21, R22). A plan
// either builds its own group, starting by creating a room or a group
// (Group 0), or works on existing groups (Group k > 0); the empty plan does
// nothing, for when a given group already is the goal.
type Plan []Step

// rules returns the rule each step is taken under: an invitation is R8
// into the plan's room before it is converted and R13 into a group.
func (p Plan) rules() []Rule {
	out := make([]Rule, len(p))
	inGroup := false
	for i, s := range p {
		if s.Group > 0 {
			out[i] = s.rule(true)
			continue
		}
		switch s.Op {
		case OpCreateGroup:
			inGroup = true
		case OpCreateRoom:
			inGroup = false
		}
		out[i] = s.rule(inGroup)
		if s.Op == OpConvert {
			inGroup = true
		}
	}
	return out
}

// StepError reports the step of a plan that failed. It wraps the step's
// error, so errors.Is finds [ErrDenied] and the cause's sentinel when the
// step was refused.
type StepError struct {
	Index int // the step's position in the plan, from 0
	Step  Step
	Err   error
}

// Error returns "extlink: step N: " and the step's error; the zero
// StepError, which holds no error, reads "extlink: step 1 failed".
func (e *StepError) Error() string {
	if e.Err == nil {
		return "extlink: step " + strconv.Itoa(e.Index+1) + " failed"
	}
	return "extlink: step " + strconv.Itoa(e.Index+1) + ": " + strings.TrimPrefix(e.Err.Error(), "extlink: ")
}

// Unwrap returns the step's error.
func (e *StepError) Unwrap() error { return e.Err }

// Outcome is the state after one step of a [Plan], as [Plan.Replay] yields
// it: the step, the rule it was taken under, and the room or group it left
// (the one the step acted on: Step.Group).
type Outcome struct {
	Index   int // the step's position in the plan, from 0
	Step    Step
	Rule    Rule  // the rule the step was taken under
	InGroup bool  // the step acted on a group; else on the plan's room, which Room holds
	Room    Room  // the plan's room, until it is converted
	Group   Group // the group the step acted on
}

// String returns the step as a numbered sentence with its rule and the state
// it left: "3. a turns the room into a group (R10): external group [a* b me]".
func (o Outcome) String() string {
	state := o.Room.String()
	if o.InGroup {
		state = o.Group.String()
	}
	return strconv.Itoa(o.Index+1) + ". " + o.Step.sentence() + " (" + o.Rule.String() + "): " + state
}

// Replay applies the plan's steps one by one through the operations of
// [Room] and [Group], each checked by the rules, and yields the outcome of
// each (R21, R26). A step on Group k > 0 acts on groups[k-1] as the plan's
// earlier steps left it; the values in groups are never changed. On the
// first failing step it yields that step's *[StepError] with the outcome so
// far and stops; the empty plan yields nothing. See [Plan.Apply] for what a
// plan must look like.
func (p Plan) Replay(d Store, groups ...Group) iter.Seq2[Outcome, error] {
	return func(yield func(Outcome, error) bool) {
		var (
			o       Outcome
			room    Room  // the plan's own room, until converted
			own     Group // the plan's own group
			created bool  // the plan has created its room or group
			inGroup bool  // the plan's own room is a group by now
		)
		state := make([]Group, len(groups)) // the given groups as the plan leaves them
		copy(state, groups)
		fail := func(i int, err error) {
			yield(o, &StepError{Index: i, Step: p[i], Err: err})
		}
		for i, s := range p {
			if err := p.wellFormed(i, created, inGroup, len(groups)); err != nil {
				fail(i, err)
				return
			}
			g := &own
			if s.Group > 0 {
				g = &state[s.Group-1]
			}
			var err error
			switch s.Op {
			case OpCreateRoom:
				room, err = NewRoom(d, s.By, s.Who)
			case OpCreateGroup:
				if s.Who == "" {
					own, err = NewGroup(d, s.By)
				} else {
					own, err = NewGroup(d, s.By, s.Who)
				}
			case OpInvite:
				if s.Group == 0 && !inGroup {
					room, err = room.Invite(d, s.By, s.Who)
				} else {
					*g, err = g.Invite(d, s.By, s.Who)
				}
			case OpConvert:
				own, err = room.Convert(d, s.By)
			case OpAppoint:
				*g, err = g.Appoint(d, s.By, s.Who)
			case OpResign:
				*g, err = g.Resign(d, s.By)
			case OpTransfer:
				*g, err = g.Transfer(d, s.By, s.Who)
			case OpLeave:
				*g, err = g.Leave(d, s.By)
			case OpRemove:
				*g, err = g.Remove(d, s.By, s.Who)
			}
			if err != nil {
				fail(i, err)
				return
			}
			o.Index, o.Step = i, s
			if s.Group > 0 {
				o.Rule, o.InGroup, o.Group = s.rule(true), true, *g
			} else {
				created = true
				o.Rule = s.rule(inGroup)
				inGroup = inGroup || s.Op == OpCreateGroup || s.Op == OpConvert
				o.InGroup, o.Room, o.Group = inGroup, room, own
				if !inGroup {
					o.Group = Group{}
				}
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// wellFormed checks step i's shape, before the rules are asked: created
// and inGroup say whether the plan's own room or group exists by then and
// is a group, and n is the number of existing groups given.
func (p Plan) wellFormed(i int, created, inGroup bool, n int) error {
	s := p[i]
	if s.Op == 0 || s.Op >= opEnd {
		return fmt.Errorf("extlink: %w", errInvalidf("invalid op %s", s.Op))
	}
	switch k := s.Op.needsWho(); {
	case k == 1 && s.Who == "":
		return fmt.Errorf("extlink: %w", errInvalidf("%s needs a second person (Who)", s.Op))
	case k == 0 && s.Who != "":
		return fmt.Errorf("extlink: %w", errInvalidf("%s names nobody else, got Who %q", s.Op, s.Who))
	}
	create := s.Op == OpCreateRoom || s.Op == OpCreateGroup
	if s.Group < 0 || s.Group > n {
		return fmt.Errorf("extlink: %w", errInvalidf("the step acts on group %d, but %d existing groups were given", s.Group, n))
	}
	if s.Group > 0 {
		switch {
		case create:
			return fmt.Errorf("extlink: %w", errInvalidf("%s makes the plan's own room or group (Group 0), not group %d", s.Op, s.Group))
		case s.Op == OpConvert:
			return fmt.Errorf("extlink: %w", errInvalidf("convert: group %d is already a group", s.Group))
		}
		return nil
	}
	switch {
	case !created && !create:
		return fmt.Errorf("extlink: %w", errInvalidf("a plan starts by creating a room or a group, not with %s", s.Op))
	case created && create:
		return fmt.Errorf("extlink: %w", errInvalidf("a plan creates one room or group, at its first step"))
	case create:
		return nil
	case !inGroup && s.Op != OpInvite && s.Op != OpConvert:
		return fmt.Errorf("extlink: %w", errInvalidf("%s needs a group; convert the room first", s.Op))
	case inGroup && s.Op == OpConvert:
		return fmt.Errorf("extlink: %w", errInvalidf("convert: the room is already a group"))
	}
	return nil
}

// Apply replays every step through the operations of [Room] and [Group],
// each checked by the rules, and returns the group the last step acted on
// (R21, R22). A plan's own room or group (Group 0) is created by its first
// step on it, and a room must be converted before group operations; a step
// on Group k > 0 acts on groups[k-1], as the earlier steps left it, and the
// values in groups are never changed. The empty plan returns the zero Group
// and no error: it is what [PlanGroup] returns when a given group already is
// the goal. On the first failing step Apply returns the zero Group and a
// *[StepError]; a refused step's error wraps [ErrDenied] and its cause,
// while a malformed step (a zero Op, a missing or extra Who, a group
// operation on a room, a group number out of range) gives an error that
// wraps [ErrInvalid].
func (p Plan) Apply(d Store, groups ...Group) (Group, error) {
	var last Outcome
	for o, err := range p.Replay(d, groups...) {
		if err != nil {
			return Group{}, err
		}
		last = o
	}
	if len(p) > 0 && !last.InGroup {
		return Group{}, fmt.Errorf("extlink: %w", errInvalidf("the plan ends with a room, not a group: convert it"))
	}
	return last.Group, nil
}
