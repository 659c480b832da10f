package extlinktest

import (
	"errors"
	"fmt"

	"github.com/extlink/extlink"
)

// CheckGroup checks the invariants that group g must keep in directory d,
// and returns an error listing every one broken, or nil. It checks the
// group's state as [extlink.Group.State] gives it; see [CheckGroupState].
//
// The external flag's own invariant, that it stays as it was at creation
// whatever happens (R11), cannot be seen in one value: check it across an
// operation with [CheckTransition].
func CheckGroup(d extlink.Store, g extlink.Group) error {
	return CheckGroupState(d, g.State())
}

// CheckGroupState checks the invariants that a group's state must keep in
// directory d, and returns an error listing every one broken, or nil:
//   - a dissolved group has no members and no masters (D4);
//   - a live group has a member (R19) and a master, every master is a
//     member, and nobody is named twice;
//   - the home tenant is named;
//   - every member is a user of d, and no member is a LINE user (R6);
//   - in an external group, every member may be there: a LINE WORKS user
//     whose tenant lets them talk with outside LINE WORKS users, to all
//     members or to the connected ones, and they are connected (R12, R13,
//     R14, R20);
//   - in an internal group, every member is a user of the home tenant (R11,
//     D2).
//
// The state is checked against d as it is now: after a directory change,
// reconcile the group ([extlink.Reconcile]) before checking it (R20).
func CheckGroupState(d extlink.Store, s extlink.GroupState) error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format, args...))
	}
	if s.Home == "" {
		bad("the home tenant is empty")
	}
	if s.Dissolved {
		if len(s.Members) > 0 || len(s.Masters) > 0 {
			bad("a dissolved group has members %v and masters %v, want none (D4)", s.Members, s.Masters)
		}
		return groupError(s, errs)
	}
	if len(s.Members) == 0 {
		bad("a live group has no member (R19)")
	}
	if len(s.Masters) == 0 {
		bad("a live group has no master (R10, R15)")
	}
	in := map[extlink.UserID]bool{}
	for _, m := range s.Members {
		if in[m] {
			bad("member %s is named twice", m)
		}
		in[m] = true
	}
	seen := map[extlink.UserID]bool{}
	for _, m := range s.Masters {
		if seen[m] {
			bad("master %s is named twice", m)
		}
		seen[m] = true
		if !in[m] {
			bad("master %s is not a member (R14)", m)
		}
	}
	for _, m := range s.Members {
		var u extlink.User
		ok := d != nil
		if ok {
			u, ok = d.User(m)
		}
		switch {
		case !ok || u.ID != m:
			bad("member %s is not in the directory", m)
		case u.Kind != extlink.WorksUser:
			bad("member %s is a LINE user: LINE users are never in groups (R6)", m)
		case s.External:
			if why := externalRefusal(d, u); why != "" {
				bad("member %s may not be in an external group: %s (R12, R13)", m, why)
			}
		case u.Tenant != s.Home:
			bad("member %s of tenant %s is in an internal group of tenant %s (R11)", m, u.Tenant, s.Home)
		}
	}
	return groupError(s, errs)
}

// externalRefusal says why LINE WORKS user u may not be in an external
// group, or returns "".
func externalRefusal(d extlink.Store, u extlink.User) string {
	t, ok := d.Tenant(u.Tenant)
	switch {
	case !ok:
		return fmt.Sprintf("tenant %s is not in the directory", u.Tenant)
	case t.Policy.Works == extlink.AccessOff:
		return fmt.Sprintf("tenant %s does not talk with outside LINE WORKS users", u.Tenant)
	case t.Policy.Works == extlink.AccessListed && !u.Connected:
		return fmt.Sprintf("not a connected member of tenant %s", u.Tenant)
	case t.Policy.Works != extlink.AccessAll && t.Policy.Works != extlink.AccessListed:
		return fmt.Sprintf("tenant %s has %v for outside LINE WORKS users", u.Tenant, t.Policy.Works)
	}
	return ""
}

func groupError(s extlink.GroupState, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return &GroupError{State: s, Err: errors.Join(errs...)}
}

// GroupError is the error of [CheckGroup], [CheckGroupState] and
// [CheckTransition]: the group's state and the invariants it breaks.
type GroupError struct {
	State extlink.GroupState
	Err   error // every invariant broken, joined with errors.Join
}

// Error names the group and lists every broken invariant, one a line.
func (e *GroupError) Error() string {
	kind := "internal"
	if e.State.External {
		kind = "external"
	}
	if e.State.Dissolved {
		kind = "dissolved " + kind
	}
	return fmt.Sprintf("extlinktest: %s group of %q, members %v, masters %v:\n%v", kind, e.State.Home, e.State.Members, e.State.Masters, e.Err)
}

// Unwrap returns the broken invariants.
func (e *GroupError) Unwrap() error { return e.Err }

// CheckTransition checks what must hold when a group moves from before to
// after, by one operation or by [extlink.Reconcile], in directory d: the
// external flag and the home tenant stay as at creation (R11), a dissolved
// group stays dissolved (D4), and after keeps every invariant of
// [CheckGroup]. It returns an error listing every one broken, or nil. It
// does not check that the operation was allowed: compare with what the
// operation itself answers.
func CheckTransition(d extlink.Store, before, after extlink.Group) error {
	s := after.State()
	var errs []error
	if before.External() != after.External() {
		errs = append(errs, fmt.Errorf("the external flag changed from %v to %v (R11)", before.External(), after.External()))
	}
	if before.Home() != after.Home() {
		errs = append(errs, fmt.Errorf("the home tenant changed from %s to %s (R11)", before.Home(), after.Home()))
	}
	if before.Dissolved() && !after.Dissolved() {
		errs = append(errs, errors.New("a dissolved group came back (D4)"))
	}
	if err := CheckGroup(d, after); err != nil {
		var ge *GroupError
		if errors.As(err, &ge) {
			err = ge.Err
		}
		errs = append(errs, err)
	}
	return groupError(s, errs)
}
