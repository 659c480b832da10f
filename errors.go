package extlink

import (
	"errors"
	"fmt"
)

// The sentinel errors. Every refusal wraps [ErrDenied] and exactly one of the
// others, its cause, chosen in the order of the specification's "Errors and
// precedence" table (D7); test for them with [errors.Is]. Input that is not a
// refusal (a malformed directory, a plan with a zero [Op]) gives an ordinary
// error that wraps none of them.
var (
	// ErrDenied is wrapped by every refusal.
	ErrDenied = errors.New("denied")
	// ErrUnknownUser: a user named is not in the directory (order 1).
	ErrUnknownUser = errors.New("unknown user")
	// ErrDissolved: the group is dissolved (order 2, D4).
	ErrDissolved = errors.New("group dissolved")
	// ErrNotMember: the actor is not a member (order 3), or the person acted
	// on is not (order 5).
	ErrNotMember = errors.New("not a member")
	// ErrNotMaster: the actor is not a master of the group (order 4).
	ErrNotMaster = errors.New("not a master")
	// ErrAlreadyMember: the person invited is already a member, or the person
	// appointed already a master (order 5).
	ErrAlreadyMember = errors.New("already a member")
	// ErrLastMaster: the group's only master would be gone (order 6, R15, D3).
	ErrLastMaster = errors.New("last master")
	// ErrInternalGroup: an outsider into an internal group (order 7, R11, D2).
	ErrInternalGroup = errors.New("internal group")
	// ErrNotPermitted: a tenant's policy, the connected-members list,
	// group-creation rights, a LINE user in a group, self-leave forbidden
	// (order 8).
	ErrNotPermitted = errors.New("not permitted")
	// ErrNotLinked: the pair is not linked (order 9, R2).
	ErrNotLinked = errors.New("not linked")
	// ErrCallsOff: calls are off in a tenant, or a LINE user would be called
	// (order 10, R1, R3).
	ErrCallsOff = errors.New("calls off")
	// ErrUnreachable: no plan exists (R22); the error also wraps the reason.
	ErrUnreachable = errors.New("unreachable")
	// ErrInvalid is wrapped by every error for bad input, which is not a
	// refusal: a malformed directory ([DirectoryError]), a bad batch of
	// changes ([ChangeError]), a change that does not decode. It never comes
	// with [ErrDenied], so a service can tell a bad request from a denial.
	ErrInvalid = errors.New("invalid input")
)

// errInvalidf returns an error wrapping [ErrInvalid] whose message is the
// formatted text.
func errInvalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}

type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }
func (e *invalidError) Unwrap() error { return ErrInvalid }

// DeniedError is the error a refusal returns: [Decision.Err] and every
// refused transition. Its message is one sentence naming the users, the rule
// and the remedy; it wraps [ErrDenied] and the cause's sentinel.
type DeniedError struct {
	Decision Decision
}

// Error returns "extlink: " followed by the decision's sentence.
func (e *DeniedError) Error() string { return "extlink: " + e.Decision.String() }

// Unwrap returns [ErrDenied] and the cause's sentinel.
func (e *DeniedError) Unwrap() []error {
	if c := e.Decision.Cause(); c != nil {
		return []error{ErrDenied, c}
	}
	return []error{ErrDenied}
}
