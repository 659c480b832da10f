package extlink

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// ChangeOp is the kind of a [Change]. The zero ChangeOp is invalid:
// [Directory.With] refuses it.
type ChangeOp uint8

// The ChangeOp values.
const (
	ChangePolicy       ChangeOp = iota + 1 // set a tenant's policy ([SetPolicy])
	ChangeConnected                        // put a user on or off the connected-members list ([SetConnected])
	ChangeAddLink                          // link two users ([AddLink])
	ChangeRemoveLink                       // unlink two users ([RemoveLink])
	ChangeAddTenant                        // add a tenant ([AddTenant])
	ChangeRemoveTenant                     // remove a tenant that has no users ([RemoveTenant])
	ChangeAddUser                          // add a user ([AddUser])
	ChangeSetUser                          // replace a user's fields ([SetUser])
	ChangeRemoveUser                       // remove a user and their links ([RemoveUser])
	changeOpEnd
)

var changeOpWords = [...]string{
	ChangePolicy:       "setPolicy",
	ChangeConnected:    "setConnected",
	ChangeAddLink:      "addLink",
	ChangeRemoveLink:   "removeLink",
	ChangeAddTenant:    "addTenant",
	ChangeRemoveTenant: "removeTenant",
	ChangeAddUser:      "addUser",
	ChangeSetUser:      "setUser",
	ChangeRemoveUser:   "removeUser",
}

// String returns the op's word, as its constructor is named ("setPolicy",
// "addUser", ...), or "ChangeOp(n)" for a value out of range.
func (o ChangeOp) String() string { return enumString("ChangeOp", changeOpWords[:], o) }

// MarshalText encodes o as its word. It fails for the zero value and for a
// value out of range.
func (o ChangeOp) MarshalText() ([]byte, error) { return enumMarshal("ChangeOp", changeOpWords[:], o) }

// UnmarshalText decodes an op's word. It leaves o unchanged on error.
func (o *ChangeOp) UnmarshalText(b []byte) error {
	return enumUnmarshal("ChangeOp", changeOpWords[:], o, b)
}

// Change is one change to a directory (R28): build it with [AddTenant],
// [RemoveTenant], [SetPolicy], [AddUser], [SetUser], [RemoveUser],
// [SetConnected], [AddLink] or [RemoveLink], and apply a batch of them with
// [Directory.With]. It is a plain, comparable value, and it marshals to
// JSON in a shape a person can read, so that a change log can be stored and
// replayed:
//
//	{"op":"addUser","user":{"id":"me","name":"me","tenant":"t1","kind":"works","role":"member"}}
//	{"op":"setPolicy","tenant":{"id":"t1","policy":{"works":"listed","line":"off"}}}
//	{"op":"setConnected","user":{"id":"me","connected":true}}
//	{"op":"addLink","link":{"a":"a","b":"b"}}
//
// json.Marshal and json.Unmarshal give back an equal Change.
type Change struct {
	Op ChangeOp
	// Tenant is the tenant added (ChangeAddTenant), the one removed (its ID,
	// ChangeRemoveTenant), or the one whose policy is set (its ID and the
	// whole new Policy, ChangePolicy).
	Tenant Tenant
	// User is the user added (ChangeAddUser) or the user's new fields
	// (ChangeSetUser), the one removed (its ID, ChangeRemoveUser), or the one
	// put on or off the connected list (its ID and Connected,
	// ChangeConnected).
	User User
	// Link is the link added or removed (ChangeAddLink, ChangeRemoveLink).
	Link Link
}

// AddTenant adds tenant t, with no users yet. It is refused if a tenant with
// t's ID exists.
func AddTenant(t Tenant) Change { return Change{Op: ChangeAddTenant, Tenant: t} }

// RemoveTenant removes the tenant with the given ID. It is refused while the
// tenant has users: remove or move them first.
func RemoveTenant(id TenantID) Change { return Change{Op: ChangeRemoveTenant, Tenant: Tenant{ID: id}} }

// SetPolicy sets tenant t's whole policy to p.
func SetPolicy(t TenantID, p Policy) Change {
	return Change{Op: ChangePolicy, Tenant: Tenant{ID: t, Policy: p}}
}

// AddUser adds user u. It is checked as [NewDirectory] checks a user: a
// LINE WORKS user needs a known tenant, a LINE user has none (R6), and the
// ID must be new.
func AddUser(u User) Change { return Change{Op: ChangeAddUser, User: u} }

// SetUser replaces the fields of the user with u's ID: name, tenant, kind,
// role and connected. The new fields are checked as a new user's, and the
// user's links must stay valid (no link inside one tenant, none between two
// LINE users: R5, R6).
func SetUser(u User) Change { return Change{Op: ChangeSetUser, User: u} }

// RemoveUser removes the user with the given ID and every link of theirs.
func RemoveUser(id UserID) Change { return Change{Op: ChangeRemoveUser, User: User{ID: id}} }

// SetConnected puts user u on (true) or off its tenant's connected-members
// list (R2). A LINE user is on no list (R6).
func SetConnected(u UserID, on bool) Change {
	return Change{Op: ChangeConnected, User: User{ID: u, Connected: on}}
}

// AddLink links a and b (R5). It is refused if they are linked already, are
// one user, are colleagues, or are both LINE users (R6).
func AddLink(a, b UserID) Change { return Change{Op: ChangeAddLink, Link: Link{a, b}} }

// RemoveLink unlinks a and b. It is refused if they are not linked.
func RemoveLink(a, b UserID) Change { return Change{Op: ChangeRemoveLink, Link: Link{a, b}} }

// String describes the change in a few words: "t1's policy becomes works
// listed, line off, ...", "u1 joins the connected members", "link a and b",
// "add user me to t1".
func (c Change) String() string {
	switch c.Op {
	case ChangePolicy:
		return fmt.Sprintf("%s's policy becomes %s", c.Tenant.ID, policyWords(c.Tenant.Policy))
	case ChangeConnected:
		if c.User.Connected {
			return string(c.User.ID) + " joins the connected members"
		}
		return string(c.User.ID) + " leaves the connected members"
	case ChangeAddLink:
		return "link " + string(c.Link.A) + " and " + string(c.Link.B)
	case ChangeRemoveLink:
		return "unlink " + string(c.Link.A) + " and " + string(c.Link.B)
	case ChangeAddTenant:
		return fmt.Sprintf("add tenant %s (%s)", c.Tenant.ID, policyWords(c.Tenant.Policy))
	case ChangeRemoveTenant:
		return "remove tenant " + string(c.Tenant.ID)
	case ChangeAddUser, ChangeSetUser:
		verb := "add user "
		if c.Op == ChangeSetUser {
			verb = "set user "
		}
		return verb + string(c.User.ID) + " (" + userWords(c.User) + ")"
	case ChangeRemoveUser:
		return "remove user " + string(c.User.ID)
	}
	return c.Op.String()
}

// policyWords describes p: "works listed, line off, calls on, only admins
// create groups, members cannot leave groups".
func policyWords(p Policy) string {
	onOff := func(b bool, yes, no string) string {
		if b {
			return yes
		}
		return no
	}
	return fmt.Sprintf("works %s, line %s, calls %s, %s create groups, members %s leave groups",
		p.Works, p.LINE, onOff(p.NoCalls, "off", "on"),
		onOff(p.MembersCreateGroups, "members", "only admins"), onOff(p.MembersLeaveGroups, "may", "cannot"))
}

// userWords describes u's fields: "works member of t1, connected".
func userWords(u User) string {
	var b strings.Builder
	if u.Kind == LINEUser {
		b.WriteString("LINE user")
	} else {
		fmt.Fprintf(&b, "%s %s of %s", u.Kind, u.Role, u.Tenant)
	}
	if u.Connected {
		b.WriteString(", connected")
	}
	if u.Name != "" {
		fmt.Fprintf(&b, ", named %q", u.Name)
	}
	return b.String()
}

// The JSON shapes of a Change. Every field is left out when zero, so that
// any Change, however built, round-trips to an equal value; the enums are
// their words.
type (
	changeJSON struct {
		Op     ChangeOp    `json:"op"`
		Tenant *tenantJSON `json:"tenant,omitempty"`
		User   *userJSON   `json:"user,omitempty"`
		Link   *linkJSON   `json:"link,omitempty"`
	}
	tenantJSON struct {
		ID     TenantID    `json:"id,omitempty"`
		Name   string      `json:"name,omitempty"`
		Policy *policyJSON `json:"policy,omitempty"`
	}
	policyJSON struct {
		Works               *Access `json:"works,omitempty"`
		LINE                *Access `json:"line,omitempty"`
		NoCalls             bool    `json:"noCalls,omitempty"`
		MembersCreateGroups bool    `json:"membersCreateGroups,omitempty"`
		MembersLeaveGroups  bool    `json:"membersLeaveGroups,omitempty"`
	}
	userJSON struct {
		ID        UserID   `json:"id,omitempty"`
		Name      string   `json:"name,omitempty"`
		Tenant    TenantID `json:"tenant,omitempty"`
		Kind      *Kind    `json:"kind,omitempty"`
		Role      *Role    `json:"role,omitempty"`
		Connected bool     `json:"connected,omitempty"`
	}
	linkJSON struct {
		A UserID `json:"a"`
		B UserID `json:"b"`
	}
)

// MarshalJSON encodes c as one object: its op's word and, left out when
// zero, its tenant, user and link. A policy is written whole for the ops
// that set one, and a user's kind and role for the ops that add or set a
// user, so that the log reads plainly. It fails for an op or enum value out
// of range.
func (c Change) MarshalJSON() ([]byte, error) {
	if c.Op == 0 || c.Op >= changeOpEnd {
		return nil, fmt.Errorf("extlink: cannot marshal change: %w", errInvalidf("op %d out of range", uint8(c.Op)))
	}
	j := changeJSON{Op: c.Op}
	whole := c.Op == ChangePolicy || c.Op == ChangeAddTenant
	if c.Tenant != (Tenant{}) || whole {
		t := &tenantJSON{ID: c.Tenant.ID, Name: c.Tenant.Name}
		if p := c.Tenant.Policy; p != (Policy{}) || whole {
			works, line := p.Works, p.LINE
			t.Policy = &policyJSON{Works: &works, LINE: &line, NoCalls: p.NoCalls,
				MembersCreateGroups: p.MembersCreateGroups, MembersLeaveGroups: p.MembersLeaveGroups}
		}
		j.Tenant = t
	}
	full := c.Op == ChangeAddUser || c.Op == ChangeSetUser
	if c.User != (User{}) || full {
		u := &userJSON{ID: c.User.ID, Name: c.User.Name, Tenant: c.User.Tenant, Connected: c.User.Connected}
		if c.User.Kind != WorksUser || full {
			k := c.User.Kind
			u.Kind = &k
		}
		if c.User.Role != Member || full {
			r := c.User.Role
			u.Role = &r
		}
		j.User = u
	}
	if c.Link != (Link{}) {
		j.Link = &linkJSON{A: c.Link.A, B: c.Link.B}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what [Change.MarshalJSON] writes. It is strict: an
// unknown field, an unknown op or enum word, or a missing op is an error
// wrapping [ErrInvalid], and c is then unchanged.
func (c *Change) UnmarshalJSON(b []byte) error {
	var j changeJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("extlink: cannot unmarshal change: %w: %w", ErrInvalid, err)
	}
	if j.Op == 0 {
		return fmt.Errorf("extlink: cannot unmarshal change: %w", errInvalidf(`missing "op"`))
	}
	n := Change{Op: j.Op}
	if t := j.Tenant; t != nil {
		n.Tenant = Tenant{ID: t.ID, Name: t.Name}
		if p := t.Policy; p != nil {
			n.Tenant.Policy = Policy{NoCalls: p.NoCalls, MembersCreateGroups: p.MembersCreateGroups, MembersLeaveGroups: p.MembersLeaveGroups}
			if p.Works != nil {
				n.Tenant.Policy.Works = *p.Works
			}
			if p.LINE != nil {
				n.Tenant.Policy.LINE = *p.LINE
			}
		}
	}
	if u := j.User; u != nil {
		n.User = User{ID: u.ID, Name: u.Name, Tenant: u.Tenant, Connected: u.Connected}
		if u.Kind != nil {
			n.User.Kind = *u.Kind
		}
		if u.Role != nil {
			n.User.Role = *u.Role
		}
	}
	if l := j.Link; l != nil {
		n.Link = Link{A: l.A, B: l.B}
	}
	*c = n
	return nil
}

// ChangeError lists every problem [Directory.With] found in a batch of
// changes. It wraps [ErrInvalid], never [ErrDenied].
type ChangeError struct {
	Problems []Problem // Record "change", Index the change's position in the batch (0-based)
}

// Error lists every problem, one a line.
func (e *ChangeError) Error() string {
	if len(e.Problems) == 1 {
		return "extlink: invalid change: " + e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "extlink: invalid changes: %d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns [ErrInvalid].
func (e *ChangeError) Unwrap() error { return ErrInvalid }
