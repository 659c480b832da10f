package extlink_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// Each class of bad input gives one Problem naming the record, the field and
// the rule; NewDirectory returns them all at once.
func TestNewDirectoryProblems(t *testing.T) {
	tenants := []extlink.Tenant{{ID: "t1"}, {ID: "t2"}}
	users := []extlink.User{{ID: "a", Tenant: "t1"}, {ID: "b", Tenant: "t2"}, {ID: "l", Kind: extlink.LINEUser}, {ID: "l2", Kind: extlink.LINEUser}}
	type P = extlink.Problem
	tests := []struct {
		name    string
		tenants []extlink.Tenant
		users   []extlink.User
		links   []extlink.Link
		want    []P
	}{
		{"empty tenant ID", []extlink.Tenant{{ID: ""}}, nil, nil,
			[]P{{Record: "tenant", Index: 0, ID: "", Field: "ID", Rule: extlink.R26, Msg: "empty ID"}}},
		{"duplicate tenant ID", []extlink.Tenant{{ID: "t1"}, {ID: "t1"}}, nil, nil,
			[]P{{Record: "tenant", Index: 1, ID: "t1", Field: "ID", Msg: "duplicate ID (also tenant 0)"}}},
		{"Works access out of range", []extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: 3}}}, nil, nil,
			[]P{{Record: "tenant", Index: 0, ID: "t1", Field: "Policy.Works", Rule: extlink.R2, Msg: "access value 3 out of range"}}},
		{"LINE access out of range", []extlink.Tenant{{ID: "t1", Policy: extlink.Policy{LINE: 9}}}, nil, nil,
			[]P{{Record: "tenant", Index: 0, ID: "t1", Field: "Policy.LINE", Rule: extlink.R2, Msg: "access value 9 out of range"}}},
		{"empty user ID", tenants, []extlink.User{{Tenant: "t1"}}, nil,
			[]P{{Record: "user", Index: 0, Field: "ID", Rule: extlink.R26, Msg: "empty ID"}}},
		{"duplicate user ID", tenants, []extlink.User{{ID: "a", Tenant: "t1"}, {ID: "a", Tenant: "t2"}}, nil,
			[]P{{Record: "user", Index: 1, ID: "a", Field: "ID", Msg: "duplicate ID (also user 0)"}}},
		{"unknown tenant", tenants, []extlink.User{{ID: "a", Tenant: "t9"}}, nil,
			[]P{{Record: "user", Index: 0, ID: "a", Field: "Tenant", Msg: `unknown tenant "t9"`}}},
		{"Works user without a tenant", tenants, []extlink.User{{ID: "a"}}, nil,
			[]P{{Record: "user", Index: 0, ID: "a", Field: "Tenant", Rule: extlink.R6, Msg: "a LINE WORKS user needs a tenant"}}},
		{"LINE user with a tenant", tenants, []extlink.User{{ID: "l", Kind: extlink.LINEUser, Tenant: "t1"}}, nil,
			[]P{{Record: "user", Index: 0, ID: "l", Field: "Tenant", Rule: extlink.R6, Msg: `a LINE user has no tenant, got "t1"`}}},
		{"LINE admin", tenants, []extlink.User{{ID: "l", Kind: extlink.LINEUser, Role: extlink.Admin}}, nil,
			[]P{{Record: "user", Index: 0, ID: "l", Field: "Role", Rule: extlink.R6, Msg: "a LINE user has no tenant to administer"}}},
		{"LINE user connected", tenants, []extlink.User{{ID: "l", Kind: extlink.LINEUser, Connected: true}}, nil,
			[]P{{Record: "user", Index: 0, ID: "l", Field: "Connected", Rule: extlink.R6, Msg: "a LINE user has no tenant whose connected list to be on"}}},
		{"kind out of range", tenants, []extlink.User{{ID: "a", Tenant: "t1", Kind: 7}}, nil,
			[]P{{Record: "user", Index: 0, ID: "a", Field: "Kind", Msg: "kind value 7 out of range"}}},
		{"role out of range", tenants, []extlink.User{{ID: "a", Tenant: "t1", Role: 5}}, nil,
			[]P{{Record: "user", Index: 0, ID: "a", Field: "Role", Msg: "role value 5 out of range"}}},
		{"self link", tenants, users, []extlink.Link{{A: "a", B: "a"}},
			[]P{{Record: "link", Index: 0, ID: "a-a", Field: "B", Rule: extlink.R5, Msg: "a user cannot be linked with themselves"}}},
		{"link inside one tenant", tenants, append(slices.Clone(users), extlink.User{ID: "c", Tenant: "t1"}), []extlink.Link{{A: "a", B: "c"}},
			[]P{{Record: "link", Index: 0, ID: "a-c", Field: "B", Rule: extlink.R5, Msg: `both users are in tenant "t1"; links are across tenants`}}},
		{"two LINE users linked", tenants, users, []extlink.Link{{A: "l", B: "l2"}},
			[]P{{Record: "link", Index: 0, ID: "l-l2", Field: "B", Rule: extlink.R6, Msg: "two LINE users cannot be linked"}}},
		{"dangling link", tenants, users, []extlink.Link{{A: "a", B: "zz"}},
			[]P{{Record: "link", Index: 0, ID: "a-zz", Field: "B", Rule: extlink.R5, Msg: `unknown user "zz"`}}},
		{"link with an empty end", tenants, users, []extlink.Link{{A: "", B: "b"}},
			[]P{{Record: "link", Index: 0, ID: "-b", Field: "A", Rule: extlink.R5, Msg: "empty user ID"}}},
		{"everything at once", []extlink.Tenant{{ID: "t1"}, {ID: "t1"}},
			[]extlink.User{{ID: "a", Tenant: "t9"}, {ID: "a", Tenant: "t1"}}, []extlink.Link{{A: "a", B: "zz"}},
			[]P{
				{Record: "tenant", Index: 1, ID: "t1", Field: "ID", Msg: "duplicate ID (also tenant 0)"},
				{Record: "user", Index: 0, ID: "a", Field: "Tenant", Msg: `unknown tenant "t9"`},
				{Record: "user", Index: 1, ID: "a", Field: "ID", Msg: "duplicate ID (also user 0)"},
				{Record: "link", Index: 0, ID: "a-zz", Field: "B", Rule: extlink.R5, Msg: `unknown user "zz"`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := extlink.NewDirectory(tt.tenants, tt.users, tt.links)
			var de *extlink.DirectoryError
			if !errors.As(err, &de) || d != nil {
				t.Fatalf("got %v, %v; want a *DirectoryError", d, err)
			}
			if errors.Is(err, extlink.ErrDenied) {
				t.Error("bad input must not read as a refusal")
			}
			if diff := cmp.Diff(tt.want, de.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			for _, p := range tt.want {
				if !strings.Contains(err.Error(), p.String()) {
					t.Errorf("message lacks %q:\n%s", p, err)
				}
			}
		})
	}
}

func TestDirectoryErrorMessage(t *testing.T) {
	_, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1"}}, []extlink.User{{ID: "a", Tenant: "t9"}}, nil)
	want := "extlink: invalid directory: 1 problem:\n\tuser 0 (\"a\"): Tenant: unknown tenant \"t9\""
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = extlink.NewDirectory(nil, []extlink.User{{ID: "l", Kind: extlink.LINEUser, Tenant: "t"}, {ID: "l", Kind: extlink.LINEUser}}, nil)
	if !strings.HasPrefix(err.Error(), "extlink: invalid directory: 2 problems:") || !strings.Contains(err.Error(), "(R6)") {
		t.Errorf("got %q", err)
	}
}

// The directory keeps its own copies: changing the caller's slices later
// changes nothing; its lookups answer from what it was given.
func TestDirectoryIsACopy(t *testing.T) {
	tenants := []extlink.Tenant{{ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}}, {ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}}}
	users := []extlink.User{{ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}, {ID: "a", Tenant: "t1"}, {ID: "l", Kind: extlink.LINEUser}}
	links := []extlink.Link{{A: "b", B: "a"}, {A: "a", B: "b"}, {A: "l", B: "a"}}
	d, err := extlink.NewDirectory(tenants, users, links)
	if err != nil {
		t.Fatal(err)
	}
	tenants[0].Policy.Works = extlink.AccessOff
	users[1].Tenant = "t1"
	links[0] = extlink.Link{A: "me", B: "b"}
	if !extlink.CanTalk(d, "a", "b").Allowed || extlink.CanTalk(d, "me", "b").Allowed {
		t.Fatal("the directory changed with its input")
	}
	if u, ok := d.User("b"); !ok || u.Tenant != "t2" {
		t.Errorf("User(b) = %v, %v", u, ok)
	}
	if _, ok := d.User("zz"); ok {
		t.Error("User(zz) found")
	}
	if tn, ok := d.Tenant("t1"); !ok || tn.ID != "t1" {
		t.Errorf("Tenant(t1) = %v, %v", tn, ok)
	}
	if _, ok := d.Tenant("t9"); ok {
		t.Error("Tenant(t9) found")
	}
	if got := slices.Collect(d.Links("a")); !slices.Equal(got, []extlink.UserID{"b", "l"}) {
		t.Errorf("Links(a) = %v", got)
	}
	if got := slices.Collect(d.Members("t1")); !slices.Equal(got, []extlink.UserID{"a", "me"}) {
		t.Errorf("Members(t1) = %v", got)
	}
	if got := slices.Collect(d.AllLinks()); !slices.Equal(got, []extlink.Link{{A: "a", B: "b"}, {A: "a", B: "l"}}) {
		t.Errorf("AllLinks = %v", got)
	}
	var ids []extlink.UserID
	for u := range d.Users() {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []extlink.UserID{"a", "b", "l", "me"}) {
		t.Errorf("Users = %v", ids)
	}
	var tids []extlink.TenantID
	for tn := range d.Tenants() {
		tids = append(tids, tn.ID)
	}
	if !slices.Equal(tids, []extlink.TenantID{"t1", "t2"}) {
		t.Errorf("Tenants = %v", tids)
	}
	if u, tn, l := d.Len(); u != 4 || tn != 2 || l != 2 {
		t.Errorf("Len = %d %d %d", u, tn, l)
	}
	// Iteration can stop early.
	for range d.Links("a") {
		break
	}
	for range d.Members("t1") {
		break
	}
	for range d.AllLinks() {
		break
	}
	for range d.Users() {
		break
	}
	for range d.Tenants() {
		break
	}
}

func TestNilDirectory(t *testing.T) {
	var d *extlink.Directory
	if _, ok := d.User("a"); ok {
		t.Error("nil directory has a user")
	}
	if _, ok := d.Tenant("t"); ok {
		t.Error("nil directory has a tenant")
	}
	if d.Linked("a", "b") {
		t.Error("nil directory has a link")
	}
	n := 0
	for range d.Links("a") {
		n++
	}
	for range d.Members("t") {
		n++
	}
	for range d.Users() {
		n++
	}
	for range d.Tenants() {
		n++
	}
	for range d.AllLinks() {
		n++
	}
	if u, tn, l := d.Len(); n != 0 || u+tn+l != 0 {
		t.Error("nil directory yields something")
	}
	e := &extlink.Directory{}
	for range e.Links("zz") {
		n++
	}
	for range e.Members("zz") {
		n++
	}
	if n != 0 || e.Linked("a", "b") {
		t.Error("empty directory yields something")
	}
}

func TestMustNewDirectoryPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on bad input")
		}
	}()
	extlink.MustNewDirectory(nil, []extlink.User{{ID: "a"}}, nil)
}

// The enums marshal as words, and refuse unknown words and values.
func TestEnumText(t *testing.T) {
	type textEnum interface {
		MarshalText() ([]byte, error)
		String() string
	}
	for _, tt := range []struct {
		v    textEnum
		want string
	}{
		{extlink.AccessOff, "off"}, {extlink.AccessAll, "all"}, {extlink.AccessListed, "listed"},
		{extlink.WorksUser, "works"}, {extlink.LINEUser, "line"},
		{extlink.Member, "member"}, {extlink.Admin, "admin"},
		{extlink.OpCreateRoom, "create-room"}, {extlink.OpRemove, "remove"},
	} {
		b, err := tt.v.MarshalText()
		if err != nil || string(b) != tt.want || tt.v.String() != tt.want {
			t.Errorf("%v: %q, %v", tt.v, b, err)
		}
	}
	for _, v := range []textEnum{extlink.Access(3), extlink.Kind(2), extlink.Role(2), extlink.Op(0), extlink.Op(99)} {
		if _, err := v.MarshalText(); err == nil {
			t.Errorf("%v marshalled", v)
		}
	}
	var a extlink.Access
	if err := a.UnmarshalText([]byte("listed")); err != nil || a != extlink.AccessListed {
		t.Errorf("listed: %v %v", a, err)
	}
	if err := a.UnmarshalText([]byte("some")); err == nil || a != extlink.AccessListed {
		t.Errorf("unknown word: %v, value %v", err, a)
	} else if err.Error() != `extlink: unknown Access "some" (want off, all, listed)` {
		t.Errorf("message %q", err)
	}
	var k extlink.Kind
	var r extlink.Role
	var o extlink.Op
	if k.UnmarshalText([]byte("line")) != nil || k != extlink.LINEUser ||
		r.UnmarshalText([]byte("admin")) != nil || r != extlink.Admin ||
		o.UnmarshalText([]byte("transfer")) != nil || o != extlink.OpTransfer {
		t.Error("unmarshal failed")
	}
	if o.UnmarshalText([]byte("")) == nil || k.UnmarshalText([]byte("Line")) == nil || r.UnmarshalText(nil) == nil {
		t.Error("bad words accepted")
	}
	if extlink.Kind(9).String() != "Kind(9)" || extlink.Op(0).String() != "Op(0)" {
		t.Error("out of range String")
	}
}

// IDs of every length, short ones held inline in the index and long ones
// compared through the users, are found, and near misses are not.
func TestLongAndShortIDs(t *testing.T) {
	var users []extlink.User
	var links []extlink.Link
	for _, n := range []int{1, 2, 18, 19, 20, 36, 254, 255, 256, 1000} {
		a := extlink.UserID(strings.Repeat("a", n))
		b := extlink.UserID(strings.Repeat("b", n))
		users = append(users, extlink.User{ID: a, Tenant: "t1"}, extlink.User{ID: b, Tenant: "t2"})
		links = append(links, extlink.Link{A: a, B: b})
	}
	all := extlink.Policy{Works: extlink.AccessAll}
	d, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1", Policy: all}, {ID: "t2", Policy: all}}, users, links)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if !extlink.CanTalk(d, l.A, l.B).Allowed {
			t.Errorf("len %d: not allowed", len(l.A))
		}
		// A fresh copy of the ID, not the same pointer, is found too.
		if _, ok := d.User(extlink.UserID(strings.Clone(string(l.A)))); !ok {
			t.Errorf("len %d: copy not found", len(l.A))
		}
		for _, miss := range []extlink.UserID{l.A + "x", l.A[1:] + "x", "x" + l.A[1:]} {
			if _, ok := d.User(miss); ok {
				t.Errorf("found %q", miss)
			}
		}
	}
}
