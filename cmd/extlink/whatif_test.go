package main

import (
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

// parseChange reads every documented form, and a tenant switch changes one
// setting of the tenant's policy and keeps the others. A change names any
// ID R26 allows: one with dots or an equals sign in the T.KEY=VALUE form,
// one with a space or a quote as a Go string literal.
func TestParseChange(t *testing.T) {
	w, err := world.ReadFile(three)
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.Directory.With(extlink.AddTenant(extlink.Tenant{ID: "example.com"}), extlink.AddTenant(extlink.Tenant{ID: "t=2"}),
		extlink.AddUser(extlink.User{ID: "taro.yamada", Tenant: "example.com"}), extlink.AddUser(extlink.User{ID: "me one", Tenant: "example.com"}),
		extlink.AddUser(extlink.User{ID: `b"q`, Tenant: "t=2"}))
	if err != nil {
		t.Fatal(err)
	}
	t1, _ := d.Tenant("t1") // works listed, line listed, members create groups
	t2, _ := d.Tenant("t2") // works all, calls off, members create and leave groups
	t3, _ := d.Tenant("t3") // works listed, only admins create or leave groups
	with := func(p extlink.Policy, f func(*extlink.Policy)) extlink.Policy { f(&p); return p }
	for _, c := range []struct {
		text string
		want extlink.Change
	}{
		{"t1.works=off", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.Works = extlink.AccessOff }))},
		{"t1.works=all", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.Works = extlink.AccessAll }))},
		{"t1.line=off", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.LINE = extlink.AccessOff }))},
		{"t3.line=listed", extlink.SetPolicy("t3", with(t3.Policy, func(p *extlink.Policy) { p.LINE = extlink.AccessListed }))},
		{"t1.calls=off", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.NoCalls = true }))},
		{"t1.calls=false", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.NoCalls = true }))},
		{"t1.calls=on", extlink.SetPolicy("t1", t1.Policy)},
		{"t1.create=admins", extlink.SetPolicy("t1", with(t1.Policy, func(p *extlink.Policy) { p.MembersCreateGroups = false }))},
		{"t3.create=members", extlink.SetPolicy("t3", with(t3.Policy, func(p *extlink.Policy) { p.MembersCreateGroups = true }))},
		{"t3.leave=yes", extlink.SetPolicy("t3", with(t3.Policy, func(p *extlink.Policy) { p.MembersLeaveGroups = true }))},
		{"t2.leave=no", extlink.SetPolicy("t2", with(t2.Policy, func(p *extlink.Policy) { p.MembersLeaveGroups = false }))},
		{"connect u2", extlink.SetConnected("u2", true)},
		{"disconnect u1", extlink.SetConnected("u1", false)},
		{"u2.connected=yes", extlink.SetConnected("u2", true)},
		{"u1.connected=false", extlink.SetConnected("u1", false)},
		{"link me b", extlink.AddLink("me", "b")},
		{"  link   me  b ", extlink.AddLink("me", "b")},
		{"unlink a b", extlink.RemoveLink("a", "b")},
		{"taro.yamada.connected=yes", extlink.SetConnected("taro.yamada", true)},
		{"example.com.works=all", extlink.SetPolicy("example.com", extlink.Policy{Works: extlink.AccessAll})},
		{"t=2.calls=off", extlink.SetPolicy("t=2", extlink.Policy{NoCalls: true})},
		{`"me one".connected=yes`, extlink.SetConnected("me one", true)},
		{`connect "me one"`, extlink.SetConnected("me one", true)},
		{`link "me one" "b\"q"`, extlink.AddLink("me one", `b"q`)},
		{`link taro.yamada b"q`, extlink.AddLink("taro.yamada", `b"q`)},
	} {
		got, err := parseChange(d, c.text)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", c.text, diff)
		}
	}
	for _, c := range []struct{ text, err string }{
		{"", "cannot read"},
		{"t1.works", `unknown change "t1.works"`},
		{"works=off", "cannot read"},
		{"t1.works=maybe", "wants off, all or listed"},
		{"t1.calls=maybe", "wants yes or no"},
		{"t1.create=all", "wants members or admins"},
		{"t1.colour=red", `unknown key "colour"`},
		{"t9.works=off", `unknown tenant "t9"`},
		{"zz.connected=yes", `unknown user "zz"`},
		{"u1.works=off", `unknown tenant "u1"`},
		{"connect", "needs 1 user ID, got 0"},
		{"link a", "needs 2 user IDs, got 1"},
		{"unlink a b c", "needs 2 user IDs, got 3"},
		{"link a zz", `unknown user "zz"`},
		{"hug a b", `unknown change "hug"`},
		{`link "me one b`, "unterminated"},
		{`link "me"one b`, "runs into"},
		{`"me one.connected=yes`, "cannot read"},
	} {
		_, err := parseChange(d, c.text)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%q: error %v, want one containing %q", c.text, err, c.err)
		}
	}
}

// whatif reads each change against the world as the changes before it
// left it: two switches of one tenant both hold.
func TestWhatifChangesAccumulate(t *testing.T) {
	code, out, errs := runArgs("whatif", "-world", three, "-change", "t1.works=off", "-change", "t1.calls=off", "-users", "a,me")
	if code != exitNo || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := "t1's policy becomes works off, line listed, calls off, members create groups, members cannot leave groups"
	if lines := strings.Split(out, "\n"); len(lines) < 3 || strings.TrimSpace(lines[2]) != want {
		t.Errorf("second change reads\n%s\nwant %q", out, want)
	}
}
