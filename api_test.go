package extlink_test

import (
	"errors"
	"testing"

	"github.com/extlink/extlink"
)

// TestAPIContract compiles and runs every call as ../shared/API.md writes
// it, with a *Directory where the contract shows one: outside test suites
// rely on these names and shapes.
func TestAPIContract(t *testing.T) {
	var (
		tid extlink.TenantID = "t1"
		uid extlink.UserID   = "a"
	)
	tenant := extlink.Tenant{ID: tid, Name: "T", Policy: extlink.Policy{
		Works: extlink.AccessAll, LINE: extlink.AccessListed, NoCalls: false,
		MembersCreateGroups: true, MembersLeaveGroups: true,
	}}
	var access extlink.Access = extlink.AccessOff
	_ = access
	users := []extlink.User{
		{ID: uid, Name: "A", Tenant: tid, Kind: extlink.WorksUser, Role: extlink.Member, Connected: true},
		{ID: "me", Tenant: tid, Role: extlink.Admin},
		{ID: "b", Tenant: "t2"},
		{ID: "l", Kind: extlink.LINEUser},
	}
	var d *extlink.Directory
	d, err := extlink.NewDirectory([]extlink.Tenant{tenant, {ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}}},
		users, []extlink.Link{{A: "a", B: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	c := extlink.Contact{Tenant: tid, Owner: uid, User: "b", Name: "B", Email: "b@example.com"}

	var dec extlink.Decision = extlink.CanTalk(d, "a", "b")
	var allowed bool = dec.Allowed
	var rule extlink.Rule = dec.Rule
	_, _ = allowed, rule.String()
	var e error = dec.Err()
	_ = e
	_ = extlink.CanCall(d, "a", "b")
	_ = extlink.CanEmail(d, "me", c)

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var room extlink.Room
	room, err = extlink.NewRoom(d, "a", "b")
	must(err)
	room, err = room.Invite(d, "a", "me")
	must(err)
	var g extlink.Group
	g, err = room.Convert(d, "a")
	must(err)
	_ = extlink.CanInvite(d, g, "a", "me")
	var members []extlink.UserID = room.Members()
	var has bool = room.Has("a")
	var n int = room.Len()
	_, _, _ = members, has, n
	_ = room.Equal(room)
	var left extlink.Room
	left, err = room.Leave(d, "b")
	must(err)
	_ = left

	g, err = extlink.NewGroup(d, "a", "b")
	must(err)
	var ext bool = g.External()
	var masters []extlink.UserID = g.Masters()
	_, _ = ext, masters
	_, _, _, _, _ = g.IsMaster("a"), g.Dissolved(), g.Members(), g.Has("a"), g.Len()
	_ = g.Equal(g)
	g, err = g.Invite(d, "a", "me")
	must(err)
	g, err = g.Appoint(d, "a", "me")
	must(err)
	g, err = g.Resign(d, "me")
	must(err)
	g, err = g.Transfer(d, "a", "me")
	must(err)
	g, err = g.Leave(d, "a")
	must(err)
	g, err = g.Remove(d, "me", "b")
	must(err)
	if g = extlink.Reconcile(d, g); g.Len() != 1 {
		t.Fatalf("reconciled %v", g)
	}

	for _, s := range []error{extlink.ErrDenied, extlink.ErrNotLinked, extlink.ErrNotPermitted, extlink.ErrCallsOff,
		extlink.ErrNotMember, extlink.ErrNotMaster, extlink.ErrLastMaster, extlink.ErrAlreadyMember,
		extlink.ErrInternalGroup, extlink.ErrDissolved, extlink.ErrUnknownUser, extlink.ErrUnreachable} {
		if s == nil || !errors.Is(s, s) {
			t.Fatal("a sentinel is missing")
		}
	}

	var op extlink.Op
	for _, o := range []extlink.Op{extlink.OpCreateRoom, extlink.OpCreateGroup, extlink.OpInvite, extlink.OpConvert,
		extlink.OpAppoint, extlink.OpResign, extlink.OpTransfer, extlink.OpLeave, extlink.OpRemove} {
		op = o
	}
	_ = op
	step := extlink.Step{Op: extlink.OpCreateGroup, By: "a", Who: "b"}
	var p extlink.Plan = extlink.Plan{step}
	if _, err := p.Apply(d); err != nil {
		t.Fatal(err)
	}
	p, err = extlink.PlanGroup(d, "me", "b")
	if err != nil {
		t.Fatal(err)
	}
	if g, err = p.Apply(d); err != nil || !g.IsMaster("me") {
		t.Fatalf("%v %v", g, err)
	}
	var _ extlink.Kind = extlink.LINEUser
	var _ extlink.Role = extlink.Admin
}
