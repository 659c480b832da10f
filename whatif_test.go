package extlink_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// R25: switching t1 to listed members flips a's talk with b, makes
// Reconcile remove a from the trick's group, and ends me's exposure to b
// through a new group; the existing group, which b then masters, still
// exposes me (R23): in one step, b handing me the role.
func TestWhatIf(t *testing.T) {
	d := postDir(t, nil)
	p, err := extlink.PlanGroup(d, "me", "b")
	if err != nil {
		t.Fatal(err)
	}
	g, _ := p[:2].Apply(d) // a's group with b and me
	listed := extlink.Policy{Works: extlink.AccessListed, LINE: extlink.AccessAll, MembersCreateGroups: true}
	after, err := d.With(extlink.SetPolicy("t1", listed), extlink.SetConnected("me", true))
	if err != nil {
		t.Fatal(err)
	}
	q := extlink.WhatIfQuery{
		Users: []extlink.UserID{"a", "me", "b"}, Groups: []extlink.Group{g}, Tenant: "t1", MaxSteps: 7,
	}
	r, err := extlink.WhatIf(d, after, q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(r.Exposure, extlink.ExposureChange{Member: "me", Outsider: "b", Before: 2, After: 1}) {
		t.Errorf("with the group, me's exposure to b should go from 2 steps to 1: %+v", r.Exposure)
	}
	q.ExposureIgnoresGroups = true
	r, err = extlink.WhatIf(d, after, q)
	if err != nil {
		t.Fatal(err)
	}
	var flips []string
	for _, f := range r.Flips {
		flips = append(flips, f.String())
	}
	wantFlips := []string{
		"a can no longer talk with b: a is not one of t1's connected members (R2); add a to t1's connected members",
		"a can no longer call b: a is not one of t1's connected members (R3); add a to t1's connected members",
	}
	if diff := cmp.Diff(wantFlips, flips); diff != "" {
		t.Errorf("flips (-want +got):\n%s", diff)
	}
	if len(r.Removals) != 1 || !slices.Equal(r.Removals[0].Removed, []extlink.UserID{"a"}) ||
		!slices.Equal(r.Removals[0].Promoted, []extlink.UserID{"b"}) {
		t.Errorf("removals: %+v", r.Removals)
	}
	// me loses the exposure to b through a; c (t3, linked with a) too.
	for _, e := range r.Exposure {
		if e.Member == "me" && e.After != 0 {
			t.Errorf("me still exposed: %+v", e)
		}
	}
	if !slices.ContainsFunc(r.Exposure, func(e extlink.ExposureChange) bool {
		return e.Member == "me" && e.Outsider == "b" && e.Before == 4 && e.After == 0
	}) {
		t.Errorf("me's exposure to b should end: %+v", r.Exposure)
	}
	// Nothing was changed in place.
	if !extlink.CanTalk(d, "a", "b").Allowed || g.Len() != 3 {
		t.Error("WhatIf changed its inputs")
	}
	if r.Empty() {
		t.Error("report empty")
	}
	same, _ := extlink.WhatIf(d, d, extlink.WhatIfQuery{Users: []extlink.UserID{"a", "me", "b"}, Groups: []extlink.Group{g}, Tenant: "t1"})
	if !same.Empty() {
		t.Errorf("no change, yet %+v", same)
	}
}

func TestWithErrors(t *testing.T) {
	d := postDir(t, nil)
	for _, c := range []extlink.Change{
		extlink.SetPolicy("t9", extlink.Policy{}),
		extlink.SetConnected("zz", true),
		extlink.AddLink("a", "b"),
		extlink.RemoveLink("me", "b"),
		extlink.AddLink("a", "me"), // colleagues
		extlink.AddLink("a", "a"),
		extlink.AddLink("l", "zz"),
		extlink.RemoveLink("zz", "a"),
		{},
	} {
		if n, err := d.With(c); err == nil || n != d || errors.Is(err, extlink.ErrDenied) || !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("%v: %v", c, err)
		}
	}
	n, err := d.With(extlink.RemoveLink("b", "a"), extlink.AddLink("me", "b"))
	if err != nil || n.Linked("a", "b") || !n.Linked("me", "b") || !d.Linked("a", "b") {
		t.Errorf("relink: %v", err)
	}
	if _, err := extlink.WhatIf(d, n, extlink.WhatIfQuery{Tenant: "t9"}); err == nil {
		t.Error("unknown tenant accepted")
	}
	for _, c := range []extlink.Change{extlink.SetConnected("a", false), extlink.AddLink("a", "b"), extlink.RemoveLink("a", "b"), {Op: 9}} {
		if c.String() == "" || strings.Contains(c.String(), "%!") {
			t.Errorf("String: %q", c.String())
		}
	}
}

// R25 is pure and consistent: on random worlds and random changes, the
// flips are exactly the talk and call decisions that differ between the two
// directories, and the removals are Reconcile's.
func TestWhatIfProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genPlanWorld(t, 3, 8)
		d := mustDir(t, w)
		var changes []extlink.Change
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			tn := rapid.SampledFrom(w.Tenants).Draw(t, "tenant")
			changes = append(changes, extlink.SetPolicy(tn.ID, genPolicy(t, "policy")))
		case 1:
			u := rapid.SampledFrom(w.Users).Draw(t, "user")
			if u.Kind == extlink.LINEUser {
				t.Skip("LINE users are on no list")
			}
			changes = append(changes, extlink.SetConnected(u.ID, !u.Connected))
		case 2:
			if len(w.Links) == 0 {
				t.Skip("no link")
			}
			l := rapid.SampledFrom(w.Links).Draw(t, "link")
			changes = append(changes, extlink.RemoveLink(l.A, l.B))
		}
		after, err := d.With(changes...)
		if err != nil {
			t.Fatal(err)
		}
		var ids []extlink.UserID
		for _, u := range w.Users {
			ids = append(ids, u.ID)
		}
		var groups []extlink.Group
		for _, u := range w.Users {
			if g, err := extlink.NewGroup(d, u.ID, ids[0]); err == nil {
				groups = append(groups, g)
			}
		}
		r, err := extlink.WhatIf(d, after, extlink.WhatIfQuery{Users: ids, Groups: groups})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i, a := range ids {
			for _, b := range ids[i+1:] {
				for _, f := range [...]func(extlink.Store, extlink.UserID, extlink.UserID) extlink.Decision{extlink.CanTalk, extlink.CanCall} {
					if f(d, a, b).Allowed != f(after, a, b).Allowed {
						if n >= len(r.Flips) || r.Flips[n].Before != f(d, a, b) || r.Flips[n].After != f(after, a, b) {
							t.Fatalf("flip %d missing or wrong: %v", n, r.Flips)
						}
						n++
					}
				}
			}
		}
		if n != len(r.Flips) {
			t.Fatalf("%d flips, want %d", len(r.Flips), n)
		}
		k := 0
		for i, g := range groups {
			if rg := extlink.Reconcile(after, g); !rg.Equal(g) {
				if k >= len(r.Removals) || r.Removals[k].Group != i || !r.Removals[k].After.Equal(rg) {
					t.Fatalf("removal %d wrong: %+v", k, r.Removals)
				}
				k++
			}
		}
		if k != len(r.Removals) {
			t.Fatalf("%d removals, want %d", len(r.Removals), k)
		}
	})
}

// R25: a member the old directory already keeps out of a group is not the
// change's doing; only what the change adds is reported.
func TestWhatIfCountsOnlyTheChange(t *testing.T) {
	d := postDir(t, func(w *world) { w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"}) })
	g, _ := extlink.NewGroup(d, "a", "b")
	g, _ = g.Invite(d, "a", "n")
	g, _ = g.Invite(d, "a", "me")
	// Already: t2 keeps b out (off); the change: t1 drops n from its list.
	before, _ := d.With(extlink.SetPolicy("t2", extlink.Policy{}))
	after, err := before.With(extlink.SetPolicy("t1", extlink.Policy{Works: extlink.AccessListed, MembersCreateGroups: true}),
		extlink.SetConnected("a", true), extlink.SetConnected("me", true))
	if err != nil {
		t.Fatal(err)
	}
	r, err := extlink.WhatIf(before, after, extlink.WhatIfQuery{Groups: []extlink.Group{g}})
	if err != nil || len(r.Removals) != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	if got := r.Removals[0].Removed; !slices.Equal(got, []extlink.UserID{"n"}) {
		t.Errorf("removed %v, want only n", got)
	}
}

// R25: the decisions around the users a change touches are every decision
// that flips: WhatIf with Around set to Touched finds exactly the flips
// that comparing every pair of users finds, in the same order.
func TestWhatIfAroundTouched(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, after, batch, all := drawChanged(t)
		every, err := extlink.WhatIf(d, after, extlink.WhatIfQuery{Users: all})
		if err != nil {
			t.Fatal(err)
		}
		around, err := extlink.WhatIf(d, after, extlink.WhatIfQuery{Around: extlink.Touched(d, batch...)})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(every.Flips, around.Flips); diff != "" {
			t.Fatalf("%v: flips (-every pair +around the touched):\n%s", batch, diff)
		}
	})
}

// R25: Around any users, not only the touched ones, WhatIf finds exactly
// the flips of comparing every pair that includes one of them, though it
// skips colleagues whose tenant and calls switch did not change.
func TestWhatIfAroundAnyUsers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, after, batch, all := drawChanged(t)
		around := rapid.SliceOfDistinct(rapid.SampledFrom(all), func(u extlink.UserID) extlink.UserID { return u }).Draw(t, "around")
		every, err := extlink.WhatIf(d, after, extlink.WhatIfQuery{Users: all})
		if err != nil {
			t.Fatal(err)
		}
		var want []extlink.Flip
		for _, f := range every.Flips {
			if slices.Contains(around, f.Before.By) || slices.Contains(around, f.Before.Who) {
				want = append(want, f)
			}
		}
		got, err := extlink.WhatIf(d, after, extlink.WhatIfQuery{Around: around})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.Flips); diff != "" {
			t.Fatalf("%v around %v: flips (-every pair +around):\n%s", batch, around, diff)
		}
	})
}

// drawChanged draws a directory, a valid batch of changes and the
// directory they make, and returns the users of either, in ID order.
func drawChanged(t *rapid.T) (d, after *extlink.Directory, batch []extlink.Change, all []extlink.UserID) {
	d = extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
	batch = extlinktest.ValidChanges(d, extlinktest.Config{}).Draw(t, "changes")
	after, err := d.With(batch...)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*extlink.Directory{d, after} {
		for u := range s.Users() {
			if !slices.Contains(all, u.ID) {
				all = append(all, u.ID)
			}
		}
	}
	slices.Sort(all)
	return d, after, batch, all
}
