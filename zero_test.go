package extlink_test

import (
	"errors"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// Every exported value type's zero value is safe to call its methods on
// (STYLE: no panics on user input): each call below must return, and the
// ones whose answer the docs fix are checked.
func TestZeroValues(t *testing.T) {
	d := postWorld()
	denied := func(err error) bool { return errors.Is(err, extlink.ErrDenied) }
	tests := []struct {
		name string
		call func() (ok bool)
	}{
		{"StepError.Error", func() bool { return (&extlink.StepError{}).Error() == "extlink: step 1 failed" }},
		{"StepError.Unwrap", func() bool { return (&extlink.StepError{}).Unwrap() == nil }},
		{"Step.String", func() bool { return extlink.Step{}.String() != "" }},
		{"Plan.String", func() bool { return extlink.Plan{}.String() == "" }},
		{"Plan.DOT", func() bool { return extlink.Plan{}.DOT() != "" }},
		{"Plan.Mermaid", func() bool { return extlink.Plan{}.Mermaid() != "" }},
		{"Plan.Apply", func() bool { g, err := extlink.Plan{}.Apply(d); return err == nil && g.Equal(extlink.Group{}) }},
		{"Plan.Replay", func() bool {
			for range (extlink.Plan{}).Replay(d) {
				return false
			}
			return true
		}},
		{"Outcome.String", func() bool { return extlink.Outcome{}.String() != "" }},
		{"Op.String", func() bool { return extlink.Op(0).String() != "" }},
		{"Exposure.String", func() bool { return extlink.Exposure{}.String() == " -> : 0 steps" }},
		{"Group.String", func() bool { return extlink.Group{}.String() != "" }},
		{"Group.Len", func() bool { return extlink.Group{}.Len() == 0 }},
		{"Group.Members", func() bool { return len(extlink.Group{}.Members()) == 0 }},
		{"Group.JoinOrder", func() bool { return len(extlink.Group{}.JoinOrder()) == 0 }},
		{"Group.Masters", func() bool { return len(extlink.Group{}.Masters()) == 0 }},
		{"Group.Has", func() bool { return !extlink.Group{}.Has("a") }},
		{"Group.IsMaster", func() bool { return !extlink.Group{}.IsMaster("a") }},
		{"Group.Equal", func() bool { return extlink.Group{}.Equal(extlink.Group{}) }},
		{"Group.Invite", func() bool { _, err := extlink.Group{}.Invite(d, "a", "me"); return denied(err) }},
		{"Group.Appoint", func() bool { _, err := extlink.Group{}.Appoint(d, "a", "me"); return denied(err) }},
		{"Group.Resign", func() bool { _, err := extlink.Group{}.Resign(d, "a"); return denied(err) }},
		{"Group.Transfer", func() bool { _, err := extlink.Group{}.Transfer(d, "a", "me"); return denied(err) }},
		{"Group.Leave", func() bool { _, err := extlink.Group{}.Leave(d, "a"); return denied(err) }},
		{"Group.Remove", func() bool { _, err := extlink.Group{}.Remove(d, "a", "me"); return denied(err) }},
		{"Reconcile", func() bool { return extlink.Reconcile(d, extlink.Group{}).Len() == 0 }},
		{"Room.String", func() bool { return extlink.Room{}.String() != "" }},
		{"Room.Len", func() bool { return extlink.Room{}.Len() == 0 }},
		{"Room.Members", func() bool { return len(extlink.Room{}.Members()) == 0 }},
		{"Room.Has", func() bool { return !extlink.Room{}.Has("a") }},
		{"Room.Gone", func() bool { return !extlink.Room{}.Gone() }},
		{"Room.Equal", func() bool { return extlink.Room{}.Equal(extlink.Room{}) }},
		{"Room.Invite", func() bool { _, err := extlink.Room{}.Invite(d, "a", "me"); return denied(err) }},
		{"Room.Convert", func() bool { _, err := extlink.Room{}.Convert(d, "a"); return denied(err) }},
		{"Room.Leave", func() bool { _, err := extlink.Room{}.Leave(d, "a"); return denied(err) }},
		{"Card.String", func() bool { return extlink.Card{}.String() != "" }},
		{"ContactCard", func() bool { _ = extlink.ContactCard(d, "", extlink.Contact{}); return true }},
		{"Decision.String", func() bool { return extlink.Decision{}.String() != "" }},
		{"Decision.Remedy", func() bool { _ = extlink.Decision{}.Remedy(); return true }},
		{"Decision.Err", func() bool { _ = extlink.Decision{}.Err(); return true }},
		{"Decision.IsZero", func() bool { return extlink.Decision{}.IsZero() }},
		{"DeniedError.Error", func() bool { return (&extlink.DeniedError{}).Error() != "" }},
		{"DeniedError.Unwrap", func() bool { return len((&extlink.DeniedError{}).Unwrap()) >= 1 }},
		{"Flip.String", func() bool { return extlink.Flip{}.String() != "" }},
		{"Report.Empty", func() bool { return extlink.Report{}.Empty() }},
		{"Change.String", func() bool { _ = extlink.Change{}.String(); return true }},
		{"ChangeError.Error", func() bool { return (&extlink.ChangeError{}).Error() != "" }},
		{"DirectoryError.Error", func() bool { return (&extlink.DirectoryError{}).Error() != "" }},
		{"Problem.String", func() bool { return extlink.Problem{}.String() != "" }},
		{"Rule.String", func() bool { return extlink.Rule(0).String() != "" }},
		{"Reason.String", func() bool { return extlink.Reason(0).String() != "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			if !tc.call() {
				t.Error("wrong answer for the zero value")
			}
		})
	}
}

// The zero Group (no group: no members, no home) round-trips through its
// state form, and so does a dissolved one.
func TestRestoreZeroGroup(t *testing.T) {
	for _, g := range []extlink.Group{{}} {
		got, err := extlink.RestoreGroup(g.State())
		if err != nil {
			t.Fatalf("RestoreGroup(%+v): %v", g.State(), err)
		}
		if !got.Equal(g) {
			t.Errorf("RestoreGroup(State()) = %v, want %v", got, g)
		}
		if diff := cmp.Diff(g.State(), got.State()); diff != "" {
			t.Errorf("state (-want +got):\n%s", diff)
		}
	}
}
