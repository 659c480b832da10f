package extlink

import (
	"fmt"
)

// changeTarget is a directory being changed, as the checks of a batch see
// it: [applyChanges] asks it questions about the state so far and, for each
// change that passes, applies it. The in-memory directory's copy-on-write
// builder is one; the tests' plain reference model is another.
type changeTarget interface {
	tenant(id TenantID) (Tenant, bool)
	tenantSize(id TenantID) int // the number of users of tenant id
	user(id UserID) (User, bool)
	linked(a, b UserID) bool
	userLinks(id UserID, f func(other User)) // calls f for each user id is linked with

	putTenant(t Tenant, isNew bool)
	removeTenant(id TenantID)
	putUser(u User, isNew bool)
	removeUser(id UserID) // and the user's links
	link(a, b UserID)
	unlink(a, b UserID)
}

// applyChanges checks each change against the state t has reached and
// applies the ones that pass, in order, so that a change sees the ones
// before it; a change with a problem is skipped, so that the problems of
// the rest are still found. It returns every problem; the caller discards t
// if there is any (R28: a batch is all or nothing).
func applyChanges(t changeTarget, changes []Change) []Problem {
	var probs []Problem
	knownTenant := func(id TenantID) bool { _, ok := t.tenant(id); return ok }
	for i, c := range changes {
		p := Problem{Record: "change", Index: i, ID: changeSubject(c)}
		n := len(probs)
		bad := func(field string, rule Rule, format string, args ...any) {
			p.Field, p.Rule, p.Msg = field, rule, fmt.Sprintf(format, args...)
			probs = append(probs, p)
		}
		in := func(prefix string) func(fault) {
			return func(f fault) { bad(prefix+f.field, f.rule, "%s", f.msg) }
		}
		switch c.Op {
		case ChangeAddTenant:
			if f := idFault(string(c.Tenant.ID)); f != "" {
				bad("Tenant.ID", R26, "%s", f)
			} else if knownTenant(c.Tenant.ID) {
				bad("Tenant.ID", 0, "tenant %q exists already", c.Tenant.ID)
			}
			policyFaults(c.Tenant.Policy, in("Tenant."))
			if len(probs) == n {
				t.putTenant(c.Tenant, true)
			}
		case ChangeRemoveTenant:
			if !knownTenant(c.Tenant.ID) {
				bad("Tenant.ID", 0, "unknown tenant %q", c.Tenant.ID)
			} else if k := t.tenantSize(c.Tenant.ID); k > 0 {
				bad("Tenant.ID", 0, "tenant %q still has %d users; remove them or move them to another tenant first", c.Tenant.ID, k)
			} else {
				t.removeTenant(c.Tenant.ID)
			}
		case ChangePolicy:
			old, ok := t.tenant(c.Tenant.ID)
			if !ok {
				bad("Tenant.ID", 0, "unknown tenant %q", c.Tenant.ID)
			}
			policyFaults(c.Tenant.Policy, in("Tenant."))
			if len(probs) == n {
				old.Policy = c.Tenant.Policy
				t.putTenant(old, false)
			}
		case ChangeAddUser:
			if _, ok := t.user(c.User.ID); ok {
				bad("User.ID", 0, "user %q exists already", c.User.ID)
			}
			userFaults(c.User, knownTenant, in("User."))
			if len(probs) == n {
				t.putUser(c.User, true)
			}
		case ChangeSetUser:
			if _, ok := t.user(c.User.ID); !ok {
				bad("User.ID", 0, "unknown user %q", c.User.ID)
				break
			}
			userFaults(c.User, knownTenant, in("User."))
			if len(probs) > n {
				break
			}
			u := c.User
			t.userLinks(u.ID, func(v User) {
				if f, ok := linkFault(u.ID, v.ID, u.Kind, u.Tenant, v.Kind, v.Tenant); !ok {
					field := "User.Tenant"
					if f.rule == R6 {
						field = "User.Kind"
					}
					bad(field, f.rule, "the link with %q would become invalid: %s; remove it first", v.ID, f.msg)
				}
			})
			if len(probs) == n {
				t.putUser(u, false)
			}
		case ChangeRemoveUser:
			if _, ok := t.user(c.User.ID); !ok {
				bad("User.ID", 0, "unknown user %q", c.User.ID)
			} else {
				t.removeUser(c.User.ID)
			}
		case ChangeConnected:
			u, ok := t.user(c.User.ID)
			switch {
			case !ok:
				bad("User.ID", 0, "unknown user %q", c.User.ID)
			case u.Kind == LINEUser && c.User.Connected:
				bad("User.Connected", R6, "%s is a LINE user, who has no tenant whose connected list to be on", u.ID)
			default:
				u.Connected = c.User.Connected
				t.putUser(u, false)
			}
		case ChangeAddLink, ChangeRemoveLink:
			l := c.Link
			a, oka := t.user(l.A)
			b, okb := t.user(l.B)
			if !oka {
				bad("Link.A", R5, "unknown user %q", l.A)
			}
			if !okb {
				bad("Link.B", R5, "unknown user %q", l.B)
			}
			if !oka || !okb {
				break
			}
			if c.Op == ChangeRemoveLink {
				if !t.linked(l.A, l.B) {
					bad("Link", R5, "%s and %s are not linked", l.A, l.B)
				} else {
					t.unlink(l.A, l.B)
				}
				break
			}
			if f, ok := linkFault(l.A, l.B, a.Kind, a.Tenant, b.Kind, b.Tenant); !ok {
				bad("Link."+f.field, f.rule, "%s", f.msg)
			} else if t.linked(l.A, l.B) {
				bad("Link", R5, "%s and %s are linked already", l.A, l.B)
			} else {
				t.link(l.A, l.B)
			}
		default:
			bad("Op", R28, "invalid op %d", uint8(c.Op))
		}
	}
	return probs
}

// changeSubject returns the ID a change is about: the tenant's, the user's,
// or "a-b" for a link.
func changeSubject(c Change) string {
	switch c.Op {
	case ChangeAddTenant, ChangeRemoveTenant, ChangePolicy:
		return string(c.Tenant.ID)
	case ChangeAddUser, ChangeSetUser, ChangeRemoveUser, ChangeConnected:
		return string(c.User.ID)
	case ChangeAddLink, ChangeRemoveLink:
		return string(c.Link.A) + "-" + string(c.Link.B)
	}
	return ""
}

// With returns a new directory: d with the changes applied in order, equal
// to [NewDirectory] on the changed input (R28). The batch is atomic: if any
// change is bad (an unknown or duplicate user or tenant, a link to oneself,
// inside one tenant or between LINE users, a link already there or not
// there, a tenant that still has users, a field out of range), With returns
// d itself, unchanged, and a *[ChangeError] listing every problem with the
// change's position; it wraps [ErrInvalid]. d never changes, and stays
// usable while newer directories are made from it.
func (d *Directory) With(changes ...Change) (*Directory, error) {
	if d == nil {
		d = &Directory{}
	}
	s := newRefState(d)
	if probs := applyChanges(s, changes); len(probs) > 0 {
		return d, &ChangeError{Problems: probs}
	}
	return NewDirectory(s.input())
}
