package extlink_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"iter"
	"testing"

	"github.com/extlink/extlink"
)

// TestAPIContractServing compiles and runs the calls of API.md that came
// with the living directory, existing groups and per-operation decisions,
// as API.md writes them.
func TestAPIContractServing(t *testing.T) {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	var d *extlink.Directory = extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	// Changing a directory by value (R28).
	var changes = []extlink.Change{
		extlink.AddTenant(extlink.Tenant{ID: "t3"}), extlink.SetPolicy("t3", open),
		extlink.AddUser(extlink.User{ID: "c", Tenant: "t3"}), extlink.SetUser(extlink.User{ID: "c", Tenant: "t3", Connected: true}),
		extlink.SetConnected("c", false), extlink.AddLink("c", "a"), extlink.RemoveLink("c", "a"),
		extlink.RemoveUser("c"), extlink.RemoveTenant("t3"),
	}
	var next *extlink.Directory
	next, err := d.With(changes...)
	if err != nil || next == d {
		t.Fatalf("With: %v", err)
	}
	if _, err := d.With(extlink.RemoveTenant("t1")); !errors.Is(err, extlink.ErrInvalid) || errors.Is(err, extlink.ErrDenied) {
		t.Fatalf("a tenant with users removed: %v", err)
	}

	// Existing groups in plans and audits (R22, R23).
	g, err := extlink.NewGroup(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	var p extlink.Plan
	p, err = extlink.PlanGroup(d, "me", "b", g)
	if err != nil || len(p) == 0 || p[0].Group != 1 {
		t.Fatalf("a plan from the existing group: %v, %v", p, err)
	}
	var last extlink.Group
	if last, err = p.Apply(d, g); err != nil || !last.IsMaster("me") || last.Len() != 2 {
		t.Fatalf("%v %v", last, err)
	}
	var rows iter.Seq[extlink.Exposure]
	rows, err = extlink.Audit(d, "t1", 0, g)
	if err != nil {
		t.Fatal(err)
	}
	for e := range rows {
		var _ extlink.UserID = e.Member
		var _, _ int = e.Steps, len(e.Via)
		_ = e.Outsider
	}
	var s extlink.GroupState = g.State()
	if back, err := extlink.RestoreGroup(s); err != nil || !back.Equal(g) {
		t.Fatalf("RestoreGroup: %v", err)
	}
	_ = extlink.ContactCard(d, "me", extlink.Contact{Tenant: "t1", Owner: "a", User: "b"}).LinkedVia

	// A decision for every operation (R27) and for talking in a group (R9).
	var dec extlink.Decision = g.Can(d, extlink.Step{Op: extlink.OpTransfer, By: "a", Who: "me"})
	if !dec.Allowed {
		t.Fatal(dec)
	}
	r, err := extlink.NewRoom(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Can(d, extlink.Step{Op: extlink.OpLeave, By: "b"})
	_ = extlink.CanCreate(d, extlink.OpCreateGroup, "a", "b")
	_ = extlink.CanTalkIn(d, g, "b")

	// A remedy that suffices (R24), and the JSON of the values.
	var fix []extlink.Change = extlink.CanTalk(d, "me", "b").Fix()
	if len(fix) == 0 {
		t.Fatal("no fix for an unlinked pair")
	}
	var _ json.Marshaler = dec
	var _ json.Unmarshaler = &dec
	var _ json.Marshaler = g
	var _ encoding.TextMarshaler = dec.Rule
	var _ encoding.TextMarshaler = dec.Reason
	var _ encoding.TextMarshaler = dec.Action
}
