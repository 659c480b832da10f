package extlinktest

import (
	"fmt"
	"slices"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// ApplyStep applies one step to an existing group through the group's own
// operation: [extlink.Group.Invite], Appoint, Resign, Transfer, Leave or
// Remove (R13-R18). It returns the new group, or the refusal (wrapping
// [extlink.ErrDenied]) and g unchanged. A step that does not act on an
// existing group (creating a room or a group, converting a room, the zero
// Op) or that names Who where the op takes nobody is an error wrapping
// [extlink.ErrInvalid]. It is how [Steps] tries a step, on a copy: values
// are immutable, so trying costs nothing but the operation.
func ApplyStep(d extlink.Store, g extlink.Group, s extlink.Step) (extlink.Group, error) {
	switch s.Op {
	case extlink.OpInvite:
		return g.Invite(d, s.By, s.Who)
	case extlink.OpAppoint:
		return g.Appoint(d, s.By, s.Who)
	case extlink.OpTransfer:
		return g.Transfer(d, s.By, s.Who)
	case extlink.OpRemove:
		return g.Remove(d, s.By, s.Who)
	case extlink.OpResign, extlink.OpLeave:
		if s.Who != "" {
			return g, fmt.Errorf("extlinktest: %s names nobody else, got Who %q: %w", s.Op, s.Who, extlink.ErrInvalid)
		}
		if s.Op == extlink.OpResign {
			return g.Resign(d, s.By)
		}
		return g.Leave(d, s.By)
	}
	return g, fmt.Errorf("extlinktest: %s does not act on an existing group: %w", s.Op, extlink.ErrInvalid)
}

// Groups returns a generator of groups in d reached through real
// operations, so that every group it draws is one the rules allow: a
// creator who may create groups makes one with people they may talk with
// ([extlink.NewGroup]), or now and then makes a room, invites people and
// turns it into a group ([extlink.Room.Convert]). About c.External of the
// groups are external (R11), if anyone in d may create one; then the group goes
// through up to c.GroupSteps operations that succeed, drawn as [Steps] draws
// them (inviting, appointing, resigning, transferring, leaving, removing),
// which may leave it with one member or, now and then, dissolved (D4).
//
// It skips the test case (rapid's t.Skip) when nobody in d may create a
// group: no admin and no tenant that lets members create groups; about one
// default world in ten is such, which rapid tolerates. It costs a few
// operations per user of d for each group drawn: it is meant for small
// directories.
func Groups(d *extlink.Directory, c Config) *rapid.Generator[extlink.Group] {
	c = c.withDefaults()
	ids := idsOf(d)
	creators := creatorsOf(d, ids)
	// partners[by] are the people by may create an external group with.
	partners := map[extlink.UserID][]extlink.UserID{}
	var external []extlink.UserID // the creators with partners
	for _, by := range creators {
		for _, id := range ids {
			if g, err := extlink.NewGroup(d, by, id); id != by && err == nil && g.External() {
				partners[by] = append(partners[by], id)
			}
		}
		if len(partners[by]) > 0 {
			external = append(external, by)
		}
	}
	return rapid.Custom(func(t *rapid.T) extlink.Group {
		if len(creators) == 0 {
			t.Skip("extlinktest: nobody in the directory may create a group")
		}
		var by extlink.UserID
		var with []extlink.UserID
		if len(external) > 0 && chance(t, "external", c.External) {
			by = rapid.SampledFrom(external).Draw(t, "creator")
			with = []extlink.UserID{rapid.SampledFrom(partners[by]).Draw(t, "outsider")}
		} else {
			by = rapid.SampledFrom(creators).Draw(t, "creator")
		}
		g, ok := drawConverted(t, d, by, with, ids)
		if !ok {
			g = drawCreated(t, d, by, with, ids)
		}
		n := rapid.IntRange(0, c.GroupSteps).Draw(t, "operations")
		for range n {
			ok, _ := candidates(d, g, ids)
			if len(ok) == 0 {
				break
			}
			s := rapid.SampledFrom(ok).Draw(t, "operation")
			next, err := ApplyStep(d, g, s)
			if err != nil {
				t.Fatalf("extlinktest: a step that succeeded on a copy failed: %v (%v on %v)", err, s, g)
			}
			if next.Dissolved() && !chance(t, "dissolve", 0.1) {
				continue // keep most groups alive: a dissolved one refuses everything
			}
			g = next
		}
		return g
	})
}

// drawCreated creates a group of by with the people in with and others by
// may talk with, each added while the group can still be created.
func drawCreated(t *rapid.T, d *extlink.Directory, by extlink.UserID, with, ids []extlink.UserID) extlink.Group {
	with = slices.Clone(with)
	for _, id := range ids {
		if id == by || slices.Contains(with, id) || !extlink.CanTalk(d, by, id).Allowed || !chance(t, "with", 0.5) {
			continue
		}
		if _, err := extlink.NewGroup(d, by, append(with, id)...); err == nil {
			with = append(with, id)
		}
	}
	g, err := extlink.NewGroup(d, by, with...)
	if err != nil {
		t.Fatalf("extlinktest: NewGroup(%s, %v) failed after each member passed: %v", by, with, err)
	}
	return g
}

// drawConverted now and then creates a room of by with someone (the first
// of with, if any), has its
// members invite others, and has a member turn it into a group. It reports
// false when it did not try, or no member could convert the room.
func drawConverted(t *rapid.T, d *extlink.Directory, by extlink.UserID, with, ids []extlink.UserID) (extlink.Group, bool) {
	if !chance(t, "via a room", 0.25) {
		return extlink.Group{}, false
	}
	talk := with
	if len(talk) == 0 {
		for _, id := range ids {
			if id != by && extlink.CanTalk(d, by, id).Allowed {
				talk = append(talk, id)
			}
		}
	}
	if len(talk) == 0 {
		return extlink.Group{}, false
	}
	r, err := extlink.NewRoom(d, by, rapid.SampledFrom(talk).Draw(t, "room with"))
	if err != nil {
		t.Fatalf("extlinktest: NewRoom failed with someone the creator may talk with: %v", err)
	}
	for range rapid.IntRange(1, 3).Draw(t, "room invitations") {
		var ok []extlink.Step
		for _, m := range r.Members() {
			for _, id := range ids {
				if next, err := r.Invite(d, m, id); err == nil && next.Len() > r.Len() {
					ok = append(ok, extlink.Step{Op: extlink.OpInvite, By: m, Who: id})
				}
			}
		}
		if len(ok) == 0 {
			break
		}
		s := rapid.SampledFrom(ok).Draw(t, "room invitation")
		if r, err = r.Invite(d, s.By, s.Who); err != nil {
			t.Fatalf("extlinktest: a room invitation that succeeded on a copy failed: %v", err)
		}
	}
	for _, m := range r.Members() {
		if g, err := r.Convert(d, m); err == nil {
			return g, true
		}
	}
	return extlink.Group{}, false
}

// Steps returns a generator of plausible steps for group g in d: an
// operation on the group (invite, appoint, resign, transfer, leave, remove)
// by one of its members, or now and then by an outsider to it, on a user of
// d. About 1-c.Refused of them would succeed and the rest are refused; it
// knows which by trying each candidate on g with [ApplyStep]. When every
// candidate is refused (a dissolved group) it draws a refused one. The Step
// names no group (its Group field, where there is one, stays zero).
func Steps(d *extlink.Directory, g extlink.Group, c Config) *rapid.Generator[extlink.Step] {
	c = c.withDefaults()
	ok, refused := candidates(d, g, idsOf(d))
	return rapid.Custom(func(t *rapid.T) extlink.Step {
		from := ok
		if len(ok) == 0 || len(refused) > 0 && chance(t, "refused", c.Refused) {
			from = refused
		}
		if len(from) == 0 {
			t.Skip("extlinktest: the directory has no users to act")
		}
		return rapid.SampledFrom(from).Draw(t, "step")
	})
}

// candidates lists the group operations by g's members (and, as actors, one
// user who is not a member, or everyone for a group with no members) on the
// users of d, split into those that succeed and those refused. Who is
// drawn from all of d's users for invitations and from the members plus
// one non-member otherwise.
func candidates(d *extlink.Directory, g extlink.Group, ids []extlink.UserID) (ok, refused []extlink.Step) {
	members := g.Members()
	var outsider []extlink.UserID
	for _, id := range ids {
		if !g.Has(id) {
			outsider = append(outsider, id)
			break
		}
	}
	actors := append(members, outsider...)
	if len(members) == 0 {
		actors = ids
	}
	targets := append(append([]extlink.UserID(nil), members...), outsider...)
	try := func(s extlink.Step) {
		if _, err := ApplyStep(d, g, s); err == nil {
			ok = append(ok, s)
		} else {
			refused = append(refused, s)
		}
	}
	for _, by := range actors {
		for _, who := range ids {
			try(extlink.Step{Op: extlink.OpInvite, By: by, Who: who})
		}
		for _, op := range []extlink.Op{extlink.OpAppoint, extlink.OpTransfer, extlink.OpRemove} {
			for _, who := range targets {
				try(extlink.Step{Op: op, By: by, Who: who})
			}
		}
		try(extlink.Step{Op: extlink.OpResign, By: by})
		try(extlink.Step{Op: extlink.OpLeave, By: by})
	}
	return ok, refused
}

// creatorsOf returns the users of d, among ids, who may create a group
// (R12).
func creatorsOf(d *extlink.Directory, ids []extlink.UserID) []extlink.UserID {
	var out []extlink.UserID
	for _, id := range ids {
		if _, err := extlink.NewGroup(d, id); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// anyCreator reports whether anyone in d may create a group, so that
// [Groups] draws without skipping.
func anyCreator(d *extlink.Directory) bool { return len(creatorsOf(d, idsOf(d))) > 0 }
