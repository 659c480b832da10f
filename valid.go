package extlink

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The checks every record of a directory must pass, in one place: NewDirectory
// runs them on its input and Directory.With on every change, so that a
// directory reached by changes is exactly one NewDirectory would accept.

// maxIDLen is the longest user or tenant ID, in bytes (R26).
const maxIDLen = 1024

// idFault returns what is wrong with a user or tenant ID, or "" for a good
// one: non-empty, valid UTF-8, no control characters, at most 1,024 bytes
// (R26). IDs are compared by their bytes and never normalized.
func idFault(id string) string {
	switch {
	case id == "":
		return "empty ID"
	case len(id) > maxIDLen:
		return fmt.Sprintf("ID of %d bytes, longer than %d", len(id), maxIDLen)
	case !utf8.ValidString(id):
		return "ID is not valid UTF-8"
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Sprintf("ID holds the control character %U", r)
		}
	}
	return ""
}

// fault is one defect of a record: the field at fault, the rule it breaks
// (or 0) and what is wrong.
type fault struct {
	field string
	rule  Rule
	msg   string
}

// policyFaults reports a policy's values out of range.
func policyFaults(p Policy, add func(fault)) {
	if p.Works > AccessListed {
		add(fault{"Policy.Works", R2, fmt.Sprintf("access value %d out of range", p.Works)})
	}
	if p.LINE > AccessListed {
		add(fault{"Policy.LINE", R2, fmt.Sprintf("access value %d out of range", p.LINE)})
	}
}

// userFaults reports what is wrong with u's fields other than whether its ID
// is taken: the ID, the role's and kind's range, and the tenant: a LINE
// WORKS user needs a tenant that known reports, a LINE user has none, is no
// admin and is on no connected list (R6).
func userFaults(u User, known func(TenantID) bool, add func(fault)) {
	if f := idFault(string(u.ID)); f != "" {
		add(fault{"ID", R26, f})
	}
	if u.Role > Admin {
		add(fault{"Role", 0, fmt.Sprintf("role value %d out of range", u.Role)})
	}
	switch u.Kind {
	case WorksUser:
		if u.Tenant == "" {
			add(fault{"Tenant", R6, "a LINE WORKS user needs a tenant"})
		} else if !known(u.Tenant) {
			add(fault{"Tenant", 0, fmt.Sprintf("unknown tenant %q", u.Tenant)})
		}
	case LINEUser:
		if u.Tenant != "" {
			add(fault{"Tenant", R6, fmt.Sprintf("a LINE user has no tenant, got %q", u.Tenant)})
		}
		if u.Role == Admin {
			add(fault{"Role", R6, "a LINE user has no tenant to administer"})
		}
		if u.Connected {
			add(fault{"Connected", R6, "a LINE user has no tenant whose connected list to be on"})
		}
	default:
		add(fault{"Kind", 0, fmt.Sprintf("kind value %d out of range", u.Kind)})
	}
}

// linkFault reports why two known users, a of kind ak and b of kind bk,
// cannot be linked (R5, R6): a user with themselves, two LINE users, two
// colleagues (LINE WORKS users whose tenants are the same: sameTenant; tenant
// names it, for the message). ok is true for a valid link.
func linkFault(a, b UserID, ak, bk Kind, sameTenant bool, tenant func() TenantID) (f fault, ok bool) {
	switch {
	case a == b:
		return fault{"B", R5, "a user cannot be linked with themselves"}, false
	case ak == LINEUser && bk == LINEUser:
		return fault{"B", R6, "two LINE users cannot be linked"}, false
	case ak == WorksUser && bk == WorksUser && sameTenant:
		return fault{"B", R5, fmt.Sprintf("both users are in tenant %q; links are across tenants", tenant())}, false
	}
	return fault{}, true
}
