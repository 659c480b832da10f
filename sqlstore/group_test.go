package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

func TestGroups(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		db := open(t, newDSN())
		if _, err := db.Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		d, _, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The post's group: a creates it with b, invites me.
		g, err := extlink.NewGroup(d, "a", "b")
		if err != nil {
			t.Fatal(err)
		}
		if g, err = g.Invite(d, "a", "me"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Group(ctx, "g1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Group(missing) = %v; want ErrNotFound", err)
		}
		v, err := db.CreateGroup(ctx, "g1", g)
		if err != nil || v != 1 {
			t.Fatalf("CreateGroup = %d, %v; want 1, nil", v, err)
		}
		if _, err := db.CreateGroup(ctx, "g1", g); !errors.Is(err, ErrConflict) {
			t.Fatalf("CreateGroup(again) = %v; want ErrConflict", err)
		}
		for _, id := range []string{"", "nul\x00", "bad\xff"} {
			if _, err := db.CreateGroup(ctx, id, g); !errors.Is(err, extlink.ErrInvalid) {
				t.Errorf("CreateGroup(%q) = %v; want ErrInvalid", id, err)
			}
		}
		if _, err := db.CreateGroup(ctx, "zero", extlink.Group{}); !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("CreateGroup(zero Group) = %v; want ErrInvalid", err)
		}
		got, v, err := db.Group(ctx, "g1")
		if err != nil || v != 1 || !got.Equal(g) {
			t.Fatalf("Group = %v, %d, %v; want %v, 1", got, v, err, g)
		}
		// a hands over to me, and me removes a (members cannot leave
		// groups themselves by default: R18): saved at version 1.
		g2, err := g.Transfer(d, "a", "me")
		if err == nil {
			g2, err = g2.Remove(d, "me", "a")
		}
		if err != nil {
			t.Fatal(err)
		}
		if v, err = db.SaveGroup(ctx, "g1", g2, 1); err != nil || v != 2 {
			t.Fatalf("SaveGroup = %d, %v; want 2", v, err)
		}
		if _, err := db.SaveGroup(ctx, "g1", g, 1); !errors.Is(err, ErrConflict) {
			t.Fatalf("SaveGroup(stale version) = %v; want ErrConflict", err)
		}
		if _, err := db.SaveGroup(ctx, "nope", g, 1); !errors.Is(err, ErrNotFound) {
			t.Fatalf("SaveGroup(missing) = %v; want ErrNotFound", err)
		}
		if got, _, _ := db.Group(ctx, "g1"); !got.Equal(g2) {
			t.Fatalf("Group after save = %v; want %v", got, g2)
		}

		// t2 stops talking with outside LINE WORKS users: reconciling drops b
		// (R20), and LoadGroup says so.
		if _, err := db.Apply(ctx, extlink.SetPolicy("t2", extlink.Policy{})); err != nil {
			t.Fatal(err)
		}
		lg, err := db.LoadGroup(ctx, "g1")
		if err != nil {
			t.Fatal(err)
		}
		d2, rev, _ := db.Directory(ctx)
		if want := extlink.Reconcile(d2, g2); !lg.Group.Equal(want) || lg.Rev != rev || lg.Version != 2 || !lg.Stored.Equal(g2) {
			t.Fatalf("LoadGroup = %+v; want group %v at revision %d, version 2", lg, want, rev)
		}
		if d := cmp.Diff([]extlink.UserID{"b"}, lg.Removed); d != "" {
			t.Fatalf("Removed (-want +got):\n%s", d)
		}
		if err := db.DeleteGroup(ctx, "g1", 1); !errors.Is(err, ErrConflict) {
			t.Fatalf("DeleteGroup(stale) = %v; want ErrConflict", err)
		}
		if err := db.DeleteGroup(ctx, "g1", 2); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteGroup(ctx, "g1", 2); !errors.Is(err, ErrNotFound) {
			t.Fatalf("DeleteGroup(gone) = %v; want ErrNotFound", err)
		}
	})
}

// TestUpdateGroupNoLostUpdate has N goroutines, on two DB handles, each
// invite one colleague into one group through UpdateGroup: every
// invitation must be there, and the version must count them all.
func TestUpdateGroupNoLostUpdate(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		dbs := []*DB{open(t, dsn), open(t, dsn)}
		const n = 16
		batch := []extlink.Change{extlink.AddTenant(extlink.Tenant{ID: "t1", Policy: open2}), extlink.AddUser(extlink.User{ID: "a", Tenant: "t1"})}
		var who []extlink.UserID
		for i := range n {
			id := extlink.UserID(fmt.Sprintf("u%02d", i))
			who = append(who, id)
			batch = append(batch, extlink.AddUser(extlink.User{ID: id, Tenant: "t1"}))
		}
		if _, err := dbs[0].Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		d, _, err := dbs[0].Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g, err := extlink.NewGroup(d, "a")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dbs[0].CreateGroup(ctx, "g", g); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i, u := range who {
			wg.Go(func() {
				_, _, err := dbs[i%2].UpdateGroup(ctx, "g", func(g extlink.Group) (extlink.Group, error) {
					time.Sleep(time.Millisecond) // widen the window between load and save
					return g.Invite(d, "a", u)
				})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, v, err := dbs[1].Group(ctx, "g")
		if err != nil {
			t.Fatal(err)
		}
		want := append([]extlink.UserID{"a"}, who...)
		slices.Sort(want)
		if d := cmp.Diff(want, got.Members()); d != "" || v != n+1 {
			t.Fatalf("after %d updates: version %d (want %d), members (-want +got):\n%s", n, v, n+1, d)
		}
		// An error from f stops UpdateGroup and is returned.
		stop := errors.New("stop")
		if _, _, err := dbs[0].UpdateGroup(ctx, "g", func(extlink.Group) (extlink.Group, error) { return extlink.Group{}, stop }); !errors.Is(err, stop) {
			t.Fatalf("UpdateGroup(f fails) = %v; want f's error", err)
		}
		// A cancelled context ends it.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := dbs[0].UpdateGroup(cctx, "g", func(g extlink.Group) (extlink.Group, error) { return g, nil }); !errors.Is(err, context.Canceled) {
			t.Fatalf("UpdateGroup(cancelled) = %v; want context.Canceled", err)
		}
	})
}
