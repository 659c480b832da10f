package extlink_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// directoryReason reports whether r is a refusal by the directory: a
// tenant's switch, a connected-members list, a link (R2, R3, R12, D5).
func directoryReason(r extlink.Reason) bool {
	switch r {
	case extlink.ReasonWorksOff, extlink.ReasonLINEOff, extlink.ReasonNotConnected, extlink.ReasonNoGroupRights,
		extlink.ReasonNoSelfLeave, extlink.ReasonNotLinked, extlink.ReasonCallsOff:
		return true
	}
	return false
}

// checkFix checks dec's remedy against the rules (R24): an allowed
// decision or a refusal by a group's own state has no fix; a refusal by the
// directory has one, unless it is a call with a LINE user, which no
// directory change allows; the fix applies to d as a valid batch after
// which ask, the same question, is allowed; the remedy's words name every
// change; the decision survives JSON. It returns the changed directory, or
// nil when dec has no fix.
func checkFix(t *rapid.T, d *extlink.Directory, what string, dec extlink.Decision, ask func(*extlink.Directory) extlink.Decision) *extlink.Directory {
	js, err := json.Marshal(dec)
	if dec.IsZero() {
		return nil
	}
	if err != nil {
		t.Fatalf("%s: %v: %v", what, dec, err)
	}
	var back extlink.Decision
	if err := json.Unmarshal(js, &back); err != nil || back != dec {
		t.Fatalf("%s: %s came back as %v, %v", what, js, back, err)
	}
	fix := dec.Fix()
	if dec.Allowed || !directoryReason(dec.Reason) {
		if fix != nil {
			t.Fatalf("%s: %v has a fix %v; want none", what, dec, fix)
		}
		return nil
	}
	if fix == nil {
		lineCall := false
		for _, u := range []extlink.UserID{dec.By, dec.Who} {
			if x, ok := d.User(u); ok && x.Kind == extlink.LINEUser {
				lineCall = dec.Action == extlink.ActCall
			}
		}
		if !lineCall {
			t.Fatalf("%s: %v is refused by the directory, yet has no fix", what, dec)
		}
		if !strings.Contains(dec.Remedy(), "none in the directory") {
			t.Fatalf("%s: %v: remedy %q does not say that no directory change helps", what, dec, dec.Remedy())
		}
		return nil
	}
	next, err := d.With(fix...)
	if err != nil {
		t.Fatalf("%s: %v: its fix %v does not apply: %v", what, dec, fix, err)
	}
	if again := ask(next); !again.Allowed {
		t.Fatalf("%s: %v\nafter its fix %v: %v", what, dec, fix, again)
	}
	remedy := dec.Remedy()
	for _, c := range fix {
		var word string
		switch c.Op {
		case extlink.ChangePolicy:
			word = "ask " + string(c.Tenant.ID) + "'s admin"
		case extlink.ChangeConnected:
			word = "add " + string(c.User.ID) + " to "
		case extlink.ChangeAddLink:
			word = "link " + string(c.Link.A) + " with " + string(c.Link.B)
		}
		if !strings.Contains(remedy, word) {
			t.Fatalf("%s: %v: remedy %q does not say %q (fix %v)", what, dec, remedy, word, fix)
		}
	}
	return next
}

// R24: on random worlds, over every policy knob, the fix of every refusal
// the directory causes suffices: talk, call, every group and room
// operation, talking in a group, creating a room or a group with one other
// person.
func TestFixSuffices(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := extlinktest.Config{Policies: extlinktest.PolicyMix{Open: 1, Closed: 2, Listed: 2, Any: 5}}
		d := extlinktest.Directories(c).Draw(t, "directory")
		ids := extlinktest.UserIDs(d)
		a, b := ids.Draw(t, "a"), ids.Draw(t, "b")
		checkFix(t, d, "talk", extlink.CanTalk(d, a, b), func(n *extlink.Directory) extlink.Decision { return extlink.CanTalk(n, a, b) })
		checkFix(t, d, "call", extlink.CanCall(d, a, b), func(n *extlink.Directory) extlink.Decision { return extlink.CanCall(n, a, b) })
		for _, op := range []extlink.Op{extlink.OpCreateRoom, extlink.OpCreateGroup} {
			if a == b {
				break
			}
			checkFix(t, d, op.String(), extlink.CanCreate(d, op, a, b), func(n *extlink.Directory) extlink.Decision { return extlink.CanCreate(n, op, a, b) })
		}
		if room, err := extlink.NewRoom(d, a, b); err == nil {
			w := ids.Draw(t, "room who")
			s := extlink.Step{Op: extlink.OpInvite, By: a, Who: w}
			checkFix(t, d, "room "+s.String(), room.Can(d, s), func(n *extlink.Directory) extlink.Decision { return room.Can(n, s) })
		}
		g := extlinktest.Groups(d, c).Draw(t, "group")
		for i := range 6 {
			s := extlinktest.Steps(d, g, extlinktest.Config{Refused: 0.6}).Draw(t, "step")
			if i%2 == 1 {
				s.By = ids.Draw(t, "by")
				if s.Who != "" {
					s.Who = ids.Draw(t, "who")
				}
			}
			checkFix(t, d, s.String(), g.Can(d, s), func(n *extlink.Directory) extlink.Decision { return g.Can(n, s) })
		}
		who := ids.Draw(t, "talker")
		checkFix(t, d, "talk in", extlink.CanTalkIn(d, g, who), func(n *extlink.Directory) extlink.Decision { return extlink.CanTalkIn(n, g, who) })
	})
}

// R24: creating a group with several people is decided for the first
// person refused (D7), and Fix covers the creator and that person: applied
// round after round, it allows the creation within one round per person,
// or stops at a refusal no directory change removes.
func TestFixCreateRounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := extlinktest.Config{Policies: extlinktest.PolicyMix{Closed: 2, Listed: 2, Any: 5}, LINEShare: -1}
		d := extlinktest.Directories(c).Draw(t, "directory")
		ids := extlinktest.UserIDs(d)
		by := ids.Draw(t, "by")
		with := rapid.SliceOfNDistinct(ids, 1, 4, func(u extlink.UserID) extlink.UserID { return u }).Draw(t, "with")
		with = slices.DeleteFunc(with, func(u extlink.UserID) bool { return u == by })
		if len(with) == 0 {
			t.Skip("nobody to create with")
		}
		op := rapid.SampledFrom([]extlink.Op{extlink.OpCreateGroup, extlink.OpCreateRoom}).Draw(t, "op")
		for round := 0; ; round++ {
			dec := extlink.CanCreate(d, op, by, with...)
			if dec.Allowed {
				return
			}
			if round > len(with) {
				t.Fatalf("round %d: still %v", round, dec)
			}
			next := checkFix(t, d, op.String(), dec, func(*extlink.Directory) extlink.Decision {
				return extlink.Decision{Allowed: true} // checked by the next round
			})
			if next == nil {
				if directoryReason(dec.Reason) {
					t.Fatalf("round %d: %v has no fix", round, dec)
				}
				return
			}
			d = next
		}
	})
}

// R24: remedies in words, one example per kind of fix.
func TestFixWords(t *testing.T) {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}},
			{ID: "t2", Policy: extlink.Policy{Works: extlink.AccessOff, NoCalls: true}},
		},
		[]extlink.User{{ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}, {ID: "c", Tenant: "t2", Connected: true}},
		[]extlink.Link{{A: "me", B: "c"}},
	)
	for _, tt := range []struct {
		dec  extlink.Decision
		want string
		fix  []extlink.Change
	}{
		{extlink.CanTalk(d, "me", "b"),
			"ask t2's admin to allow talk with outside LINE WORKS users for its connected members, add b to the connected members, and link me with b",
			[]extlink.Change{
				extlink.SetPolicy("t2", extlink.Policy{Works: extlink.AccessListed, NoCalls: true}),
				extlink.SetConnected("b", true), extlink.AddLink("me", "b"),
			}},
		{extlink.CanCall(d, "me", "c"),
			"ask t2's admin to allow talk with outside LINE WORKS users for its connected members, and switch calls on",
			[]extlink.Change{extlink.SetPolicy("t2", extlink.Policy{Works: extlink.AccessListed})}},
		{extlink.CanCreate(d, extlink.OpCreateGroup, "me", "c"),
			"ask t1's admin to let members create groups, and ask t2's admin to allow talk with outside LINE WORKS users for its connected members",
			[]extlink.Change{
				extlink.SetPolicy("t1", extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}),
				extlink.SetPolicy("t2", extlink.Policy{Works: extlink.AccessListed, NoCalls: true}),
			}},
	} {
		if got := tt.dec.Remedy(); got != tt.want {
			t.Errorf("%v:\nremedy %q\nwant   %q", tt.dec, got, tt.want)
		}
		if got := tt.dec.Fix(); !slices.Equal(got, tt.fix) {
			t.Errorf("%v:\nfix  %v\nwant %v", tt.dec, got, tt.fix)
		}
	}
}

// Fix never allocates for an allowed decision, and deciding a refusal
// with a fix does not allocate either (the fix is comparable fields).
func TestFixAllocs(t *testing.T) {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}}, {ID: "t2"}},
		[]extlink.User{{ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		nil,
	)
	var dec extlink.Decision
	if n := testing.AllocsPerRun(100, func() { dec = extlink.CanCall(d, "me", "b") }); n != 0 || dec.Fix() == nil {
		t.Errorf("CanCall refusing with a fix: %v allocs, fix %v", n, dec.Fix())
	}
}
