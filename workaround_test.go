package extlink_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// R21: the post's six steps replay through Plan.Apply, ending in an external
// group of exactly {me, b} with me its only master, though me and b still
// cannot talk 1:1 or call.
func TestPostSixSteps(t *testing.T) {
	d := postDir(t, nil)
	p := extlink.Plan{
		{Op: extlink.OpCreateRoom, By: "a", Who: "b"},
		{Op: extlink.OpInvite, By: "a", Who: "me"},
		{Op: extlink.OpConvert, By: "a"},
		{Op: extlink.OpAppoint, By: "a", Who: "me"},
		{Op: extlink.OpResign, By: "a"},
		{Op: extlink.OpRemove, By: "me", Who: "a"},
	}
	g, err := p.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	want := refGroup{Members: []extlink.UserID{"b", "me"}, Masters: []extlink.UserID{"me"}, External: true, Home: "t1"}
	if diff := cmp.Diff(want, snapshot(g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if extlink.CanTalk(d, "me", "b").Allowed || extlink.CanCall(d, "me", "b").Allowed {
		t.Error("sharing the group let me talk with b 1:1")
	}
	wantText := "1. a creates a room with b (R7)\n2. a invites me (R8)\n3. a turns the room into a group (R10)\n" +
		"4. a appoints me as master (R14)\n5. a resigns as master (R15)\n6. me removes a (R16)"
	if diff := cmp.Diff(wantText, p.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without the link the trick fails at the first step.
	unlinked := postDir(t, func(w *world) { w.Links = nil })
	_, err = p.Apply(unlinked)
	var se *extlink.StepError
	if !errors.As(err, &se) || se.Index != 0 || !errors.Is(err, extlink.ErrNotLinked) {
		t.Fatalf("unlinked: %v", err)
	}
	if got := err.Error(); got != "extlink: step 1: a cannot create a room with b: not linked (R7); link a with b first" {
		t.Errorf("message %q", got)
	}
}

// Malformed plans give ordinary errors naming the step.
func TestApplyMalformed(t *testing.T) {
	d := postDir(t, nil)
	tests := []struct {
		name string
		p    extlink.Plan
		want string
	}{
		{"group out of range", extlink.Plan{{Op: extlink.OpLeave, By: "a", Group: 1}}, "extlink: step 1: the step acts on group 1, but 0 existing groups were given"},
		{"negative group", extlink.Plan{{Op: extlink.OpLeave, By: "a", Group: -1}}, "extlink: step 1: the step acts on group -1, but 0 existing groups were given"},
		{"zero op", extlink.Plan{{By: "a"}}, "extlink: step 1: invalid op Op(0)"},
		{"op out of range", extlink.Plan{{Op: 77, By: "a"}}, "extlink: step 1: invalid op Op(77)"},
		{"missing who", extlink.Plan{{Op: extlink.OpCreateRoom, By: "a"}}, "extlink: step 1: create-room needs a second person (Who)"},
		{"extra who", extlink.Plan{{Op: extlink.OpCreateGroup, By: "a", Who: "b"}, {Op: extlink.OpLeave, By: "a", Who: "b"}}, `extlink: step 2: leave names nobody else, got Who "b"`},
		{"no creation first", extlink.Plan{{Op: extlink.OpInvite, By: "a", Who: "b"}}, "extlink: step 1: a plan starts by creating a room or a group, not with invite"},
		{"two creations", extlink.Plan{{Op: extlink.OpCreateGroup, By: "a"}, {Op: extlink.OpCreateGroup, By: "a"}}, "extlink: step 2: a plan creates one room or group, at its first step"},
		{"group op on a room", extlink.Plan{{Op: extlink.OpCreateRoom, By: "a", Who: "b"}, {Op: extlink.OpAppoint, By: "a", Who: "b"}}, "extlink: step 2: appoint needs a group; convert the room first"},
		{"convert a group", extlink.Plan{{Op: extlink.OpCreateGroup, By: "a"}, {Op: extlink.OpConvert, By: "a"}}, "extlink: step 2: convert: the room is already a group"},
		{"ends in a room", extlink.Plan{{Op: extlink.OpCreateRoom, By: "a", Who: "b"}}, "extlink: the plan ends with a room, not a group: convert it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := tt.p.Apply(d)
			if err == nil || errors.Is(err, extlink.ErrDenied) {
				t.Fatalf("got %v, want an ordinary error", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if !g.Equal(extlink.Group{}) {
				t.Errorf("a failed plan returned %v", g)
			}
		})
	}
}

// Every op applies and reads as a sentence.
func TestApplyEveryOp(t *testing.T) {
	d := postDir(t, func(w *world) {
		w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"})
		policy(w, "t1", func(p *extlink.Policy) { p.MembersLeaveGroups = true })
	})
	p := extlink.Plan{
		{Op: extlink.OpCreateGroup, By: "a"},
		{Op: extlink.OpInvite, By: "a", Who: "me"},
		{Op: extlink.OpInvite, By: "a", Who: "n"},
		{Op: extlink.OpTransfer, By: "a", Who: "me"},
		{Op: extlink.OpAppoint, By: "me", Who: "n"},
		{Op: extlink.OpResign, By: "n"},
		{Op: extlink.OpRemove, By: "me", Who: "n"},
		{Op: extlink.OpLeave, By: "a"},
	}
	g, err := p.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.String(); got != "internal group [me*]" {
		t.Errorf("got %s", got)
	}
	text := p.String()
	for _, s := range []string{"1. a creates a group alone (R10)", "2. a invites me (R13)", "5. me appoints n as master (R14)",
		"6. n resigns as master (R15)", "7. me removes n (R16)", "8. a leaves the group (R18)"} {
		if !strings.Contains(text, s) {
			t.Errorf("plan text lacks %q:\n%s", s, text)
		}
	}
	if got := (extlink.Step{Op: 42, By: "a", Who: "b"}).String(); got != "a does Op(42) to b" {
		t.Errorf("bad op step: %q", got)
	}
}

// R22: a plan may work on existing groups (Step.Group k: groups[k-1]); Apply
// returns the group the last step acted on and never changes the values
// given; the empty plan applies to nothing and returns the zero Group.
func TestApplyExistingGroups(t *testing.T) {
	d := postDir(t, nil)
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	g, _ = g.Invite(d, "a", "me")
	before := snapshot(g)
	other, _ := extlink.NewGroup(d, "me")
	p := extlink.Plan{
		{Op: extlink.OpTransfer, By: "a", Who: "me", Group: 2},
		{Op: extlink.OpRemove, By: "me", Who: "a", Group: 2},
	}
	got, err := p.Apply(d, other, g)
	if err != nil || got.String() != "external group [b me*]" {
		t.Fatalf("got %v, %v", got, err)
	}
	if diff := cmp.Diff(before, snapshot(g)); diff != "" {
		t.Errorf("Apply changed a given group:\n%s", diff)
	}
	want := "1. a hands the master role of group 2 to me (R17)\n2. me removes a from group 2 (R16)"
	if diff := cmp.Diff(want, p.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(p.Mermaid(), "p2->>p1: 2. removes a from group 2 (R16)") {
		t.Errorf("Mermaid does not name the group:\n%s", p.Mermaid())
	}
	got, err = extlink.Plan{}.Apply(d, g)
	if err != nil || !got.Equal(extlink.Group{}) {
		t.Errorf("the empty plan: %v, %v", got, err)
	}
	for _, tt := range []struct {
		p    extlink.Plan
		want string
	}{
		{extlink.Plan{{Op: extlink.OpCreateGroup, By: "a", Group: 1}}, "extlink: step 1: create-group makes the plan's own room or group (Group 0), not group 1"},
		{extlink.Plan{{Op: extlink.OpConvert, By: "a", Group: 1}}, "extlink: step 1: convert: group 1 is already a group"},
		{extlink.Plan{{Op: extlink.OpLeave, By: "a", Group: 2}}, "extlink: step 1: the step acts on group 2, but 1 existing groups were given"},
	} {
		if _, err := tt.p.Apply(d, g); err == nil || errors.Is(err, extlink.ErrDenied) || err.Error() != tt.want {
			t.Errorf("%v: got %v, want %s", tt.p, err, tt.want)
		}
	}
	// A refusal on an existing group names the step.
	_, err = extlink.Plan{{Op: extlink.OpLeave, By: "me", Group: 1}}.Apply(d, g)
	if !errors.Is(err, extlink.ErrNotPermitted) {
		t.Errorf("leave by default: %v", err)
	}
}
