package extlink

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ChangeOp is the kind of a [Change].
type ChangeOp uint8

// The ChangeOp values. The zero ChangeOp is invalid.
const (
	ChangePolicy     ChangeOp = iota + 1 // set a tenant's policy
	ChangeConnected                      // put a user on or off the connected-members list
	ChangeAddLink                        // link two users
	ChangeRemoveLink                     // unlink two users
)

// Change is one proposed change to a directory (R25). Build it with
// [SetPolicy], [SetConnected], [AddLink] or [RemoveLink]; apply it with
// [Directory.With]. It is a plain, comparable value.
type Change struct {
	Op        ChangeOp
	Tenant    TenantID // ChangePolicy
	Policy    Policy   // ChangePolicy: the whole new policy
	User      UserID   // ChangeConnected
	Connected bool     // ChangeConnected
	Link      Link     // ChangeAddLink, ChangeRemoveLink
}

// SetPolicy proposes policy p for tenant t.
func SetPolicy(t TenantID, p Policy) Change { return Change{Op: ChangePolicy, Tenant: t, Policy: p} }

// SetConnected proposes putting u on (true) or off its tenant's
// connected-members list.
func SetConnected(u UserID, on bool) Change {
	return Change{Op: ChangeConnected, User: u, Connected: on}
}

// AddLink proposes linking a and b.
func AddLink(a, b UserID) Change { return Change{Op: ChangeAddLink, Link: Link{a, b}} }

// RemoveLink proposes unlinking a and b.
func RemoveLink(a, b UserID) Change { return Change{Op: ChangeRemoveLink, Link: Link{a, b}} }

// String describes the change in a few words: "t1's policy becomes works
// listed, line off, ...", "u1 joins the connected members", "link a and b".
func (c Change) String() string {
	switch c.Op {
	case ChangePolicy:
		p := c.Policy
		onOff := func(b bool, yes, no string) string {
			if b {
				return yes
			}
			return no
		}
		return fmt.Sprintf("%s's policy becomes works %s, line %s, calls %s, %s create groups, members %s leave groups",
			c.Tenant, p.Works, p.LINE, onOff(p.NoCalls, "off", "on"),
			onOff(p.MembersCreateGroups, "members", "only admins"), onOff(p.NoSelfLeave, "cannot", "may"))
	case ChangeConnected:
		if c.Connected {
			return string(c.User) + " joins the connected members"
		}
		return string(c.User) + " leaves the connected members"
	case ChangeAddLink:
		return "link " + string(c.Link.A) + " and " + string(c.Link.B)
	case ChangeRemoveLink:
		return "unlink " + string(c.Link.A) + " and " + string(c.Link.B)
	}
	return fmt.Sprintf("Change(%d)", uint8(c.Op))
}

// With returns a new directory: d with the changes applied in order. d is
// unchanged. A change naming an unknown tenant or user, removing a link that
// is not there, or adding one that is, is an error, as is anything
// [NewDirectory] rejects in the result. It costs a NewDirectory.
func (d *Directory) With(changes ...Change) (*Directory, error) {
	if d == nil {
		d = &Directory{}
	}
	tenants := slices.Clone(d.tenants)
	users := slices.Clone(d.users)
	links := slices.Collect(d.AllLinks())
	key := func(l Link) Link {
		if l.B < l.A {
			l.A, l.B = l.B, l.A
		}
		return l
	}
	var errs []error
	for i, c := range changes {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("extlink: change %d (%s): %s", i+1, c, fmt.Sprintf(format, args...)))
		}
		switch c.Op {
		case ChangePolicy:
			k, ok := d.tindex[c.Tenant]
			if !ok {
				bad("unknown tenant %q", c.Tenant)
				continue
			}
			tenants[k].Policy = c.Policy
		case ChangeConnected:
			r := d.index.find(c.User)
			if r == nil {
				bad("unknown user %q", c.User)
				continue
			}
			users[r.idx].Connected = c.Connected
		case ChangeAddLink, ChangeRemoveLink:
			k := key(c.Link)
			j := slices.Index(links, k)
			ra, rb := d.index.find(c.Link.A), d.index.find(c.Link.B)
			switch {
			case ra == nil:
				bad("unknown user %q", c.Link.A)
			case rb == nil:
				bad("unknown user %q", c.Link.B)
			case c.Op == ChangeAddLink && c.Link.A == c.Link.B:
				bad("a user cannot be linked with themselves (R5)")
			case c.Op == ChangeAddLink && ra.kind == LINEUser && rb.kind == LINEUser:
				bad("two LINE users cannot be linked (R6)")
			case c.Op == ChangeAddLink && colleague(ra, rb):
				bad("%s and %s are colleagues in %s; links are across tenants (R5)", c.Link.A, c.Link.B, ra.tenant)
			case c.Op == ChangeAddLink && j >= 0:
				bad("%s and %s are already linked", c.Link.A, c.Link.B)
			case c.Op == ChangeAddLink:
				links = append(links, k)
			case j < 0:
				bad("%s and %s are not linked", c.Link.A, c.Link.B)
			default:
				links = slices.Delete(links, j, j+1)
			}
		default:
			bad("invalid op")
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewDirectory(tenants, users, links)
}

// WhatIfQuery says what [WhatIf] compares.
type WhatIfQuery struct {
	Users    []UserID // talk and call decisions between every two of these
	Groups   []Group  // groups to reconcile with the new directory (R20)
	Tenant   TenantID // whose exposure (R23) to compare; empty for none
	MaxSteps int      // the exposure's limit, as for [Audit]
}

// Flip is a decision that a change turns around.
type Flip struct {
	Before, After Decision
}

// String returns the flip in a line: "me may now talk with b (R2)" or "me
// can no longer call b: not linked (R3)".
func (f Flip) String() string {
	if f.After.Allowed {
		s := f.After.String()
		return strings.Replace(s, " may ", " may now ", 1)
	}
	return strings.Replace(f.After.String(), " cannot ", " can no longer ", 1)
}

// Removal is what the change would make [Reconcile] do to one of the
// query's groups, beyond what Reconcile already does under the old
// directory.
type Removal struct {
	Group    int      // its index in the query's Groups
	Removed  []UserID // members who would be removed, sorted
	Promoted []UserID // members who would become masters (D6), sorted
	After    Group    // the group reconciled with the new directory
}

// ExposureChange is an exposure that a change creates, ends or shortens.
type ExposureChange struct {
	Member, Outsider UserID
	Before, After    int // steps before and after; 0 for none
}

// Report is what [WhatIf] finds.
type Report struct {
	Flips    []Flip           // decisions that turn around, talk before call, in the order of the users given
	Removals []Removal        // groups that Reconcile would change, in the order given
	Exposure []ExposureChange // exposure gained, lost or changed, by member and outsider
}

// Empty reports whether the change would change nothing asked about.
func (r Report) Empty() bool {
	return len(r.Flips) == 0 && len(r.Removals) == 0 && len(r.Exposure) == 0
}

// WhatIf compares two directories, typically d and d.With(change) (R25),
// and reports which talk and call decisions between the query's users flip,
// which members of the query's groups [Reconcile] would remove under the new
// directory that it would keep under the old one (and who would become
// master), and how the tenant's exposure to the post's trick changes. It is
// pure: it changes neither store nor any group. An unknown tenant is an
// error.
func WhatIf(before, after Store, q WhatIfQuery) (Report, error) {
	var r Report
	for i, a := range q.Users {
		for _, b := range q.Users[i+1:] {
			if a == b {
				continue
			}
			for _, decide := range [...]func(Store, UserID, UserID) Decision{CanTalk, CanCall} {
				x, y := decide(before, a, b), decide(after, a, b)
				if x.Allowed != y.Allowed {
					r.Flips = append(r.Flips, Flip{Before: x, After: y})
				}
			}
		}
	}
	for i, g := range q.Groups {
		// What the change itself causes: a member the old directory already
		// keeps out is not the change's doing.
		base, n := Reconcile(before, g), Reconcile(after, g)
		if n.Equal(base) {
			continue
		}
		rm := Removal{Group: i, After: n}
		for _, m := range base.Members() {
			if !n.Has(m) {
				rm.Removed = append(rm.Removed, m)
			}
		}
		for _, m := range n.Masters() {
			if !base.IsMaster(m) {
				rm.Promoted = append(rm.Promoted, m)
			}
		}
		r.Removals = append(r.Removals, rm)
	}
	if q.Tenant != "" {
		ex, err := exposureChanges(before, after, q.Tenant, q.MaxSteps)
		if err != nil {
			return Report{}, err
		}
		r.Exposure = ex
	}
	return r, nil
}

// exposureChanges merges the two audits, both sorted by member and outsider.
func exposureChanges(before, after Store, t TenantID, maxSteps int) ([]ExposureChange, error) {
	collect := func(s Store) (map[[2]UserID]int, error) {
		seq, err := Audit(s, t, maxSteps)
		if err != nil {
			return nil, err
		}
		m := map[[2]UserID]int{}
		for e := range seq {
			m[[2]UserID{e.Member, e.Outsider}] = e.Steps
		}
		return m, nil
	}
	b, err := collect(before)
	if err != nil {
		return nil, err
	}
	a, err := collect(after)
	if err != nil {
		return nil, err
	}
	var out []ExposureChange
	for k, x := range b {
		if y := a[k]; y != x {
			out = append(out, ExposureChange{Member: k[0], Outsider: k[1], Before: x, After: y})
		}
	}
	for k, y := range a {
		if _, ok := b[k]; !ok {
			out = append(out, ExposureChange{Member: k[0], Outsider: k[1], After: y})
		}
	}
	slices.SortFunc(out, func(x, y ExposureChange) int {
		if c := strings.Compare(string(x.Member), string(y.Member)); c != 0 {
			return c
		}
		return strings.Compare(string(x.Outsider), string(y.Outsider))
	})
	return out, nil
}
