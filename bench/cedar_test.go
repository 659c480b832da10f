package bench

import (
	"testing"

	"github.com/cedar-policy/cedar-go"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
	"github.com/cedar-policy/cedar-go/x/exp/schema/validate"
	"github.com/google/go-cmp/cmp"

	"github.com/extlink/extlink"
)

// The post's cast: a and me at one company, b at a partner, a linked with b;
// l, a LINE user, linked with a.
func postCast(t testing.TB) *extlink.Directory {
	t.Helper()
	open := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll}
	d, err := extlink.NewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}},
		[]extlink.User{
			{ID: "a", Tenant: "t1"},
			{ID: "me", Tenant: "t1"},
			{ID: "b", Tenant: "t2", Connected: true},
			{ID: "l", Kind: extlink.LINEUser},
		},
		[]extlink.Link{{A: "a", B: "b"}, {A: "l", B: "a"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The policies and the entities follow the schema, checked by cedar-go's
// strict validator, and every policy is named.
func TestSchemaValidates(t *testing.T) {
	s, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Policies()
	if err != nil {
		t.Fatal(err)
	}
	v := validate.New(s, validate.WithStrict())
	n := 0
	for id, p := range ps.All() {
		n++
		if err := v.Policy(string(id), (*xast.Policy)(p.AST())); err != nil {
			t.Errorf("policy %s: %v", id, err)
		}
	}
	if n != 9 {
		t.Errorf("talk.cedar has %d policies, want 9", n)
	}
	c, err := NewCedar(postCast(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Entities(c.Entities); err != nil {
		t.Error(err)
	}
	for _, act := range []extlink.Action{extlink.ActTalk, extlink.ActCall} {
		if err := v.Request(Request(act, "a", "b")); err != nil {
			t.Error(err)
		}
	}
}

// The entities of the post's cast, spelt out: this is what NewCedar builds.
func TestEntities(t *testing.T) {
	c, err := NewCedar(postCast(t))
	if err != nil {
		t.Fatal(err)
	}
	access := func(a string) cedar.EntityUID { return cedar.NewEntityUID(TypeAccess, cedar.String(a)) }
	tenant := func(id string) cedar.Entity {
		uid := cedar.NewEntityUID(TypeTenant, cedar.String(id))
		return cedar.Entity{UID: uid, Attributes: cedar.NewRecord(cedar.RecordMap{
			"works": access("all"), "line": access("all"), "calls": cedar.True,
		})}
	}
	user := func(id, tenant string, connected bool, links ...extlink.UserID) cedar.Entity {
		var set []cedar.Value
		for _, l := range links {
			set = append(set, UserUID(l))
		}
		attrs := cedar.RecordMap{"connected": cedar.Boolean(connected), "links": cedar.NewSet(set...)}
		if tenant != "" {
			attrs["tenant"] = cedar.NewEntityUID(TypeTenant, cedar.String(tenant))
		}
		return cedar.Entity{UID: UserUID(extlink.UserID(id)), Attributes: cedar.NewRecord(attrs)}
	}
	want := cedar.EntityMap{}
	for _, e := range []cedar.Entity{
		tenant("t1"), tenant("t2"),
		user("a", "t1", false, "b", "l"),
		user("me", "t1", false),
		user("b", "t2", true, "a"),
		user("l", "", false, "a"),
	} {
		want[e.UID] = e
	}
	if diff := cmp.Diff(want, c.Entities); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

// Cedar decides the post's cast as extlink does, and names the policies
// that decided.
func TestPostCast(t *testing.T) {
	d := postCast(t)
	c, err := NewCedar(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		act      extlink.Action
		from, to extlink.UserID
		allowed  bool
		policies []cedar.PolicyID // the diagnostic's reasons
	}{
		{extlink.ActTalk, "a", "me", true, []cedar.PolicyID{"R1-colleagues"}},
		{extlink.ActTalk, "a", "b", true, []cedar.PolicyID{"R2-linked"}},
		{extlink.ActTalk, "b", "a", true, []cedar.PolicyID{"R2-linked"}},
		{extlink.ActTalk, "me", "b", false, nil},
		{extlink.ActCall, "me", "b", false, nil},
		{extlink.ActCall, "a", "b", true, []cedar.PolicyID{"R2-linked"}},
		{extlink.ActTalk, "l", "a", true, []cedar.PolicyID{"R2-linked"}},
		{extlink.ActCall, "a", "l", false, []cedar.PolicyID{"R3-line-call"}},
		{extlink.ActTalk, "me", "me", false, []cedar.PolicyID{"self"}},
	} {
		dec, diag := c.Decide(tc.act, tc.from, tc.to)
		var got []cedar.PolicyID
		for _, r := range diag.Reasons {
			got = append(got, r.PolicyID)
		}
		if len(diag.Errors) > 0 {
			t.Errorf("%v %s -> %s: cedar errors %v", tc.act, tc.from, tc.to, diag.Errors)
		}
		if bool(dec) != tc.allowed || !cmp.Equal(got, tc.policies) {
			t.Errorf("%v %s -> %s: cedar %v by %v, want allowed=%v by %v", tc.act, tc.from, tc.to, dec, got, tc.allowed, tc.policies)
		}
		if x := decide(d, tc.act, tc.from, tc.to); x.Allowed != tc.allowed {
			t.Errorf("%v %s -> %s: extlink says %v", tc.act, tc.from, tc.to, x)
		}
	}
}

// decide asks extlink about talk or call.
func decide(d *extlink.Directory, act extlink.Action, from, to extlink.UserID) extlink.Decision {
	if act == extlink.ActCall {
		return extlink.CanCall(d, from, to)
	}
	return extlink.CanTalk(d, from, to)
}
