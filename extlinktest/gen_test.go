package extlinktest_test

import (
	"errors"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// Every generated group keeps the invariants, and so does every step drawn
// for it that succeeds; a refused step leaves the group as it was. With
// rapid's default 100 cases of up to 6 operations and 10 to 40 steps each, this is
// a few thousand checks.
func TestGeneratedGroupsKeepInvariants(t *testing.T) {
	checks, live, refusals := 0, 0, 0
	rapid.Check(t, func(t *rapid.T) {
		var c extlinktest.Config
		d := extlinktest.Directories(c).Draw(t, "directory")
		g := extlinktest.Groups(d, c).Draw(t, "group")
		if err := extlinktest.CheckGroup(d, g); err != nil {
			t.Fatalf("generated group: %v\ninput:\n%s", err, extlinktest.WorldOf(d))
		}
		checks++
		for range rapid.IntRange(10, 40).Draw(t, "steps") {
			s := extlinktest.Steps(d, g, c).Draw(t, "step")
			if !g.Dissolved() {
				live++
			}
			next, err := extlinktest.ApplyStep(d, g, s)
			switch {
			case err != nil && !errors.Is(err, extlink.ErrDenied):
				t.Fatalf("%v: %v, want a refusal", s, err)
			case err != nil:
				if !g.Dissolved() {
					refusals++
				}
				if !next.Equal(g) {
					t.Fatalf("%v refused (%v) but changed the group: %v, was %v", s, err, next, g)
				}
			default:
				if err := extlinktest.CheckTransition(d, g, next); err != nil {
					t.Fatalf("%v on %v: %v\ninput:\n%s", s, g, err, extlinktest.WorldOf(d))
				}
			}
			checks++
			g = next
			if g.Dissolved() {
				g = extlinktest.Groups(d, c).Draw(t, "group")
				if err := extlinktest.CheckGroup(d, g); err != nil {
					t.Fatalf("generated group: %v\ninput:\n%s", err, extlinktest.WorldOf(d))
				}
				checks++
			}
		}
	})
	if refusals == 0 || refusals*2 > live {
		t.Errorf("%d refusals among %d steps on live groups: want some, but fewer than half", refusals, live)
	}
	t.Logf("%d checks; %d steps on live groups, %d refused", checks, live, refusals)
}

// Generated worlds are valid, and their shares are about as asked.
func TestWorldsShares(t *testing.T) {
	var users, line, links, pairs int
	rapid.Check(t, func(t *rapid.T) {
		w := extlinktest.Worlds(extlinktest.Config{Users: 12, LINEShare: 0.25, LinkDensity: 0.5}).Draw(t, "world")
		d, err := w.Directory()
		if err != nil {
			t.Fatalf("%v\n%s", err, w)
		}
		for u := range d.Users() {
			users++
			if u.Kind == extlink.LINEUser {
				line++
			}
		}
		n, _, l := d.Len()
		links += l
		_ = n
		for i, a := range w.Users {
			for _, b := range w.Users[i+1:] {
				if a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser || a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant {
					continue
				}
				pairs++
			}
		}
	})
	if s := float64(line) / float64(users); s < 0.15 || s > 0.35 {
		t.Errorf("LINE share %.2f, want about 0.25", s)
	}
	if s := float64(links) / float64(pairs); s < 0.4 || s > 0.6 {
		t.Errorf("link density %.2f, want about 0.5", s)
	}
}

// Changes draws valid and invalid batches, and With agrees with it (the
// generator checks each batch itself).
func TestChangesMix(t *testing.T) {
	valid, invalid := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		d := extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
		batch := extlinktest.Changes(d, extlinktest.Config{}).Draw(t, "batch")
		if _, err := d.With(batch...); err != nil {
			invalid++
		} else {
			valid++
		}
		ok := extlinktest.ValidChanges(d, extlinktest.Config{}).Draw(t, "valid batch")
		if _, err := d.With(ok...); err != nil {
			t.Fatalf("ValidChanges drew %v, refused: %v", ok, err)
		}
	})
	if valid == 0 || invalid == 0 || invalid > valid {
		t.Errorf("%d valid and %d invalid batches: want both, most valid", valid, invalid)
	}
}

// After any valid batch of directory changes, Reconcile brings a generated
// group back within the invariants, keeping its flag and home (R11, R20).
func TestReconcileRestoresInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c extlinktest.Config
		d := extlinktest.Directories(c).Draw(t, "directory")
		g := extlinktest.Groups(d, c).Draw(t, "group")
		batch := extlinktest.ValidChanges(d, c).Draw(t, "changes")
		d2, err := d.With(batch...)
		if err != nil {
			t.Fatalf("ValidChanges drew %v, refused: %v", batch, err)
		}
		if err := extlinktest.CheckTransition(d2, g, extlink.Reconcile(d2, g)); err != nil {
			t.Fatalf("%v after %v: %v\ninput:\n%s", g, batch, err, extlinktest.WorldOf(d))
		}
	})
}
