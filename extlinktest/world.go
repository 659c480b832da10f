package extlinktest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// World is the input of [extlink.NewDirectory]: tenants, users and links, in
// the order given. It is what [Worlds] draws and what [TestStore] hands to a
// store's constructor.
type World struct {
	Tenants []extlink.Tenant
	Users   []extlink.User
	Links   []extlink.Link
}

// Directory builds w's directory with [extlink.NewDirectory].
func (w World) Directory() (*extlink.Directory, error) {
	return extlink.NewDirectory(w.Tenants, w.Users, w.Links)
}

// Clone returns a deep copy of w: a store under test may keep or change the
// slices it is given without changing w.
func (w World) Clone() World {
	return World{Tenants: slices.Clone(w.Tenants), Users: slices.Clone(w.Users), Links: slices.Clone(w.Links)}
}

// WorldOf returns the input that builds a directory equal to d: its tenants
// and users in ID order and each link once.
func WorldOf(d *extlink.Directory) World {
	var w World
	for t := range d.Tenants() {
		w.Tenants = append(w.Tenants, t)
	}
	for u := range d.Users() {
		w.Users = append(w.Users, u)
	}
	for l := range d.AllLinks() {
		w.Links = append(w.Links, l)
	}
	return w
}

// String returns w in a few lines, one tenant or user a line and the links
// on one, for a failing test's message.
func (w World) String() string {
	var b strings.Builder
	b.WriteString("tenants:\n")
	for _, t := range w.Tenants {
		fmt.Fprintf(&b, "\t%q %+v\n", t.ID, t.Policy)
	}
	b.WriteString("users:\n")
	for _, u := range w.Users {
		switch {
		case u.Kind == extlink.LINEUser && u.Tenant == "" && u.Role == extlink.Member && !u.Connected:
			fmt.Fprintf(&b, "\t%q line", u.ID)
		default:
			fmt.Fprintf(&b, "\t%q %s %q %s", u.ID, u.Kind, u.Tenant, u.Role)
			if u.Connected {
				b.WriteString(" connected")
			}
		}
		if u.Name != "" {
			fmt.Fprintf(&b, " (name %q)", u.Name)
		}
		b.WriteByte('\n')
	}
	b.WriteString("links:")
	for _, l := range w.Links {
		fmt.Fprintf(&b, " %s-%s", l.A, l.B)
	}
	if len(w.Links) == 0 {
		b.WriteString(" none")
	}
	b.WriteByte('\n')
	return b.String()
}

// userIDs are the IDs of generated users, in the order they are handed
// out: out of byte order, upper case before lower case and a non-ASCII one,
// so that a store that keeps input order, or sorts some other way, is
// caught.
var userIDs = []extlink.UserID{"me", "a", "b", "u10", "u2", "B", "é", "u1", "c", "x", "Y", "z"}

// tenantIDs are the IDs of generated tenants, in the order handed out.
var tenantIDs = []extlink.TenantID{"t2", "t1", "t10", "T3", "t4"}

// unknownUser and unknownTenant are never in a generated world.
const (
	unknownUser   extlink.UserID   = "nobody"
	unknownTenant extlink.TenantID = "no-tenant"
)

func userID(i int) extlink.UserID {
	if i < len(userIDs) {
		return userIDs[i]
	}
	return extlink.UserID("u" + strconv.Itoa(i+1))
}

func tenantID(i int) extlink.TenantID {
	if i < len(tenantIDs) {
		return tenantIDs[i]
	}
	return extlink.TenantID("t" + strconv.Itoa(i+1))
}

// Worlds returns a generator of valid worlds: 2 to c.Tenants tenants (now
// and then just one) whose
// policies come from c.Policies, 2 to c.Users users (LINE users, admins and
// connected members in about the shares c asks for), and links between
// users who may be linked (not colleagues, not two LINE users), each pair
// with chance c.LinkDensity. Now and then a link is given twice, in either
// order, as NewDirectory allows. User and tenant IDs are short and given out
// of byte order ("me", "a", "b", "u10", "u2", "B", "é", ...; "t2", "t1",
// "t10", ...); "nobody" is never a user. Every world is accepted by
// [extlink.NewDirectory].
func Worlds(c Config) *rapid.Generator[World] {
	c = c.withDefaults()
	return rapid.Custom(func(t *rapid.T) World { return drawWorld(t, c) })
}

func drawWorld(t *rapid.T, c Config) World {
	var w World
	nt := 1 // a world of one tenant now and then, for its edge cases
	if c.Tenants > 1 && !chance(t, "one tenant", 0.1) {
		nt = between(t, "tenants", 2, c.Tenants)
	}
	for i := range nt {
		id := tenantID(i)
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: id, Name: "tenant " + string(id), Policy: drawPolicy(t, c.Policies)})
	}
	nu := between(t, "users", 2, c.Users)
	for i := range nu {
		u := extlink.User{ID: userID(i), Name: strings.ToUpper(string(userID(i)))}
		if chance(t, "line user", c.LINEShare) {
			u.Kind = extlink.LINEUser
		} else {
			u.Tenant = w.Tenants[rapid.IntRange(0, nt-1).Draw(t, "tenant")].ID
			if chance(t, "admin", c.AdminShare) {
				u.Role = extlink.Admin
			}
			u.Connected = chance(t, "connected", c.ConnectedShare)
		}
		w.Users = append(w.Users, u)
	}
	for i, a := range w.Users {
		for _, b := range w.Users[i+1:] {
			if !mayLink(a, b) || !chance(t, "link", c.LinkDensity) {
				continue
			}
			l := extlink.Link{A: a.ID, B: b.ID}
			if rapid.Bool().Draw(t, "swap") {
				l.A, l.B = l.B, l.A
			}
			w.Links = append(w.Links, l)
			if chance(t, "twice", 0.1) {
				w.Links = append(w.Links, extlink.Link{A: l.B, B: l.A})
			}
		}
	}
	return w
}

// mayLink reports whether a and b may be linked (R5, R6).
func mayLink(a, b extlink.User) bool {
	switch {
	case a.ID == b.ID:
		return false
	case a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser:
		return false
	case a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant:
		return false
	}
	return true
}

// Directories returns a generator of directories built from [Worlds](c).
func Directories(c Config) *rapid.Generator[*extlink.Directory] {
	c = c.withDefaults()
	return rapid.Custom(func(t *rapid.T) *extlink.Directory {
		return mustDirectory(t, drawWorld(t, c))
	})
}

func mustDirectory(t *rapid.T, w World) *extlink.Directory {
	d, err := w.Directory()
	if err != nil {
		t.Fatalf("extlinktest: NewDirectory refused a generated world: %v\ninput:\n%s", err, w)
	}
	return d
}

// UserIDs returns a generator of user IDs for queries on d: mostly d's
// users, now and then "nobody", who is unknown to it.
func UserIDs(d *extlink.Directory) *rapid.Generator[extlink.UserID] {
	ids := idsOf(d)
	return rapid.Custom(func(t *rapid.T) extlink.UserID {
		if len(ids) == 0 || chance(t, "unknown user", 0.05) {
			return unknownUser
		}
		return rapid.SampledFrom(ids).Draw(t, "user")
	})
}

// idsOf returns d's user IDs in ID order.
func idsOf(d *extlink.Directory) []extlink.UserID {
	var ids []extlink.UserID
	for u := range d.Users() {
		ids = append(ids, u.ID)
	}
	return ids
}

// Contacts returns a generator of address-book entries for d (R4): in the
// book of one of d's tenants, added by one of its members (or now and then
// by someone else), for one of d's users, mostly an outsider to the tenant,
// or for nobody's account (a name and an address only); the address is
// sometimes missing.
func Contacts(d *extlink.Directory) *rapid.Generator[extlink.Contact] {
	var tenants []extlink.TenantID
	for t := range d.Tenants() {
		tenants = append(tenants, t.ID)
	}
	ids := idsOf(d)
	return rapid.Custom(func(t *rapid.T) extlink.Contact {
		var c extlink.Contact
		if len(tenants) == 0 || chance(t, "unknown tenant", 0.05) {
			c.Tenant = unknownTenant
		} else {
			c.Tenant = rapid.SampledFrom(tenants).Draw(t, "book")
		}
		var members, outsiders []extlink.UserID
		for _, id := range ids {
			if u, _ := d.User(id); u.Kind == extlink.WorksUser && u.Tenant == c.Tenant {
				members = append(members, id)
			} else {
				outsiders = append(outsiders, id)
			}
		}
		switch {
		case len(members) > 0 && !chance(t, "owner elsewhere", 0.1):
			c.Owner = rapid.SampledFrom(members).Draw(t, "owner")
		case len(ids) > 0:
			c.Owner = rapid.SampledFrom(ids).Draw(t, "owner")
		}
		switch {
		case chance(t, "no account", 0.15):
		case len(outsiders) > 0 && !chance(t, "colleague", 0.1):
			c.User = rapid.SampledFrom(outsiders).Draw(t, "account")
		case len(ids) > 0:
			c.User = rapid.SampledFrom(ids).Draw(t, "account")
		}
		c.Name = "contact"
		if c.User != "" {
			c.Name = strings.ToUpper(string(c.User))
		}
		if !chance(t, "no address", 0.2) {
			c.Email = strings.ToLower(c.Name) + "@example.com"
		}
		return c
	})
}

// GoString returns w as a Go composite literal, one record a line, so that
// a failing case's input (rapid logs each draw with %#v) can be pasted into
// a regression test.
func (w World) GoString() string {
	var b strings.Builder
	b.WriteString("extlinktest.World{\n\tTenants: []extlink.Tenant{\n")
	for _, t := range w.Tenants {
		fmt.Fprintf(&b, "\t\t%s,\n", strings.TrimPrefix(fmt.Sprintf("%#v", t), "extlink.Tenant"))
	}
	b.WriteString("\t},\n\tUsers: []extlink.User{\n")
	for _, u := range w.Users {
		fmt.Fprintf(&b, "\t\t%s,\n", strings.TrimPrefix(fmt.Sprintf("%#v", u), "extlink.User"))
	}
	b.WriteString("\t},\n\tLinks: []extlink.Link{")
	for i, l := range w.Links {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{A: %q, B: %q}", l.A, l.B)
	}
	b.WriteString("},\n}")
	return b.String()
}
