package extlink_test

import (
	"errors"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// sameRefusal fails t unless dec and err tell the same story: allowed
// exactly when err is nil, and otherwise err is dec's own refusal, the same
// sentinel, rule and party.
func sameRefusal(t *rapid.T, what string, dec extlink.Decision, err error) {
	if dec.Allowed != (err == nil) {
		t.Fatalf("%s: Can says %v, the operation %v", what, dec, err)
	}
	if err == nil {
		return
	}
	var de *extlink.DeniedError
	if !errors.As(err, &de) {
		t.Fatalf("%s: the operation failed with %v, not a refusal, yet Can says %v", what, err, dec)
	}
	if de.Decision != dec {
		t.Fatalf("%s: Can says %+v, the operation refused with %+v", what, dec, de.Decision)
	}
	if !errors.Is(err, dec.Cause()) {
		t.Fatalf("%s: the refusal %v does not wrap %v", what, err, dec.Cause())
	}
}

// R27: on random worlds, groups reached through real operations and steps
// plausible or not, Group.Can allows exactly when the operation succeeds,
// and refuses with the operation's own decision; so do Room.Can and
// CanCreate.
func TestCanIsTheOperation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
		ids := extlinktest.UserIDs(d)
		g := extlinktest.Groups(d, extlinktest.Config{}).Draw(t, "group")
		for i := range 8 {
			s := extlinktest.Steps(d, g, extlinktest.Config{}).Draw(t, "step")
			if i%3 == 2 { // now and then anyone, on anyone
				s.By = ids.Draw(t, "by")
				if s.Who != "" {
					s.Who = ids.Draw(t, "who")
				}
			}
			dec := g.Can(d, s)
			next, err := extlinktest.ApplyStep(d, g, s)
			sameRefusal(t, s.String(), dec, err)
			if err == nil {
				g = next
			}
		}
		// Rooms: created, invited into, left, converted.
		by, who := ids.Draw(t, "room by"), ids.Draw(t, "room who")
		dec := extlink.CanCreate(d, extlink.OpCreateRoom, by, who)
		r, err := extlink.NewRoom(d, by, who)
		if by != who {
			sameRefusal(t, "create room", dec, err)
		}
		if err != nil {
			return
		}
		for range 6 {
			s := extlink.Step{Op: rapid.SampledFrom([]extlink.Op{extlink.OpInvite, extlink.OpLeave, extlink.OpConvert}).Draw(t, "room op"),
				By: ids.Draw(t, "room step by"), Who: ids.Draw(t, "room step who")}
			dec := r.Can(d, s)
			switch s.Op {
			case extlink.OpInvite:
				var next extlink.Room
				next, err = r.Invite(d, s.By, s.Who)
				sameRefusal(t, s.String(), dec, err)
				if err == nil {
					r = next
				}
			case extlink.OpLeave:
				var next extlink.Room
				next, err = r.Leave(d, s.By)
				sameRefusal(t, s.String(), dec, err)
				if err == nil {
					r = next
				}
			case extlink.OpConvert:
				_, err = r.Convert(d, s.By)
				sameRefusal(t, s.String(), dec, err)
			}
		}
		with := []extlink.UserID{ids.Draw(t, "group with")}
		if with[0] != by {
			dec := extlink.CanCreate(d, extlink.OpCreateGroup, by, with...)
			_, err := extlink.NewGroup(d, by, with...)
			sameRefusal(t, "create group", dec, err)
		}
	})
}

// R9: a member may talk in the group exactly while Reconcile would keep
// them; nobody else may.
func TestCanTalkIn(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
		g := extlinktest.Groups(d, extlinktest.Config{}).Draw(t, "group")
		batch := extlinktest.ValidChanges(d, extlinktest.Config{}).Draw(t, "changes")
		after, err := d.With(batch...)
		if err != nil {
			t.Fatal(err)
		}
		kept := extlink.Reconcile(after, g)
		for u := range after.Users() {
			dec := extlink.CanTalkIn(after, g, u.ID)
			if dec.Allowed != (g.Has(u.ID) && kept.Has(u.ID)) {
				t.Fatalf("%s in %v after %v: CanTalkIn says %v, Reconcile keeps %v", u.ID, g, batch, dec, kept)
			}
		}
		if extlink.CanTalkIn(after, g, "nobody-here").Cause() != extlink.ErrUnknownUser {
			t.Fatal("an unknown user may talk in the group")
		}
	})
}

// Decisions for operations allocate nothing, like CanTalk.
func TestCanAllocs(t *testing.T) {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	r, err := extlink.NewRoom(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []extlink.Step{
		{Op: extlink.OpInvite, By: "a", Who: "me"}, {Op: extlink.OpAppoint, By: "a", Who: "b"},
		{Op: extlink.OpResign, By: "a"}, {Op: extlink.OpTransfer, By: "a", Who: "b"},
		{Op: extlink.OpLeave, By: "b"}, {Op: extlink.OpRemove, By: "a", Who: "b"},
	} {
		if n := testing.AllocsPerRun(100, func() { g.Can(d, s) }); n != 0 {
			t.Errorf("Group.Can %v: %v allocs", s, n)
		}
	}
	for _, s := range []extlink.Step{{Op: extlink.OpInvite, By: "a", Who: "me"}, {Op: extlink.OpLeave, By: "b"}} {
		if n := testing.AllocsPerRun(100, func() { r.Can(d, s) }); n != 0 {
			t.Errorf("Room.Can %v: %v allocs", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { extlink.CanTalkIn(d, g, "b") }); n != 0 {
		t.Errorf("CanTalkIn: %v allocs", n)
	}
}
