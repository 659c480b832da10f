package sqlstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/sqlstore"
)

// TestAPIContract makes every call of sqlstore as API.md writes it, on
// SQLite, and checks what each returns.
func TestAPIContract(t *testing.T) {
	ctx := context.Background()
	var db *sqlstore.DB
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	var rev sqlstore.Rev
	rev, err = db.Apply(ctx,
		extlink.AddTenant(extlink.Tenant{ID: "t1", Policy: open}),
		extlink.AddTenant(extlink.Tenant{ID: "t2", Policy: open}),
		extlink.AddUser(extlink.User{ID: "a", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "b", Tenant: "t2"}),
		extlink.AddLink("a", "b"))
	if err != nil || rev != 1 {
		t.Fatalf("Apply = %d, %v", rev, err)
	}
	var d *extlink.Directory
	d, rev, err = db.Directory(ctx)
	if err != nil || rev != 1 || !d.Linked("a", "b") {
		t.Fatalf("Directory = revision %d, %v", rev, err)
	}
	var live *sqlstore.Live
	live, err = db.Follow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, rev = live.Directory()
	if rev != 1 || !d.Linked("a", "b") {
		t.Fatalf("Live.Directory = revision %d", rev)
	}
	rev, err = db.Apply(ctx, extlink.RemoveLink("a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	d, err = live.Wait(ctx, rev)
	if err != nil || d.Linked("a", "b") {
		t.Fatalf("Wait(%d) = %v: the unlink is not there", rev, err)
	}
	if err = live.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := extlink.NewGroup(d, "a")
	if err != nil {
		t.Fatal(err)
	}
	var v sqlstore.Version
	v, err = db.CreateGroup(ctx, "g", g)
	if err != nil || v != 1 {
		t.Fatalf("CreateGroup = %d, %v", v, err)
	}
	g, v, err = db.Group(ctx, "g")
	if err != nil || v != 1 || !g.Has("a") {
		t.Fatalf("Group = %v, %d, %v", g, v, err)
	}
	v, err = db.SaveGroup(ctx, "g", g, v)
	if err != nil || v != 2 {
		t.Fatalf("SaveGroup = %d, %v", v, err)
	}
	g, v, err = db.UpdateGroup(ctx, "g", func(g extlink.Group) (extlink.Group, error) { return g, nil })
	if err != nil || v != 3 || !g.Has("a") {
		t.Fatalf("UpdateGroup = %v, %d, %v", g, v, err)
	}
	if _, err = db.SaveGroup(ctx, "g", g, 1); !errors.Is(err, sqlstore.ErrConflict) {
		t.Fatalf("SaveGroup(stale) = %v; want ErrConflict", err)
	}
	if _, _, err = db.Group(ctx, "none"); !errors.Is(err, sqlstore.ErrNotFound) {
		t.Fatalf("Group(none) = %v; want ErrNotFound", err)
	}
	if err = db.Close(); err != nil {
		t.Fatal(err)
	}
}
