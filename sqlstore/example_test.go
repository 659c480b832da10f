package sqlstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/sqlstore"
)

var open = extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}

// The post's cast, written to a SQLite file and read back as a Live
// directory that decides in memory.
func Example() {
	dir, err := os.MkdirTemp("", "sqlstore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "extlink.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rev, err := db.Apply(ctx,
		extlink.AddTenant(extlink.Tenant{ID: "t1", Name: "our company", Policy: open}),
		extlink.AddTenant(extlink.Tenant{ID: "t2", Name: "the partner", Policy: open}),
		extlink.AddUser(extlink.User{ID: "a", Name: "A", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "me", Name: "me", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "b", Name: "B", Tenant: "t2"}),
		extlink.AddLink("a", "b"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("revision", rev)

	live, err := db.Follow(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer live.Close()
	d, _ := live.Directory()
	fmt.Println(extlink.CanTalk(d, "me", "b"))

	// Link me with b, and read the write back.
	rev, err = db.Apply(ctx, extlink.AddLink("me", "b"))
	if err != nil {
		log.Fatal(err)
	}
	d, err = live.Wait(ctx, rev)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("revision", rev)
	fmt.Println(extlink.CanTalk(d, "me", "b"))

	// A bad batch is refused whole, as Directory.With refuses it.
	_, err = db.Apply(ctx, extlink.AddUser(extlink.User{ID: "c", Tenant: "t1"}), extlink.AddLink("a", "me"))
	fmt.Println(err)
	// Output:
	// revision 1
	// me cannot talk with b: not linked (R2); link me with b first
	// revision 2
	// me may talk with b (R2)
	// extlink: invalid change: change 1 ("a-me"): Link.B: both users are in tenant "t1"; links are across tenants (R5)
}

// Groups are saved with a version; UpdateGroup loads, changes and saves
// one, again if another writer saved it in between.
func ExampleDB_UpdateGroup() {
	dir, err := os.MkdirTemp("", "sqlstore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(dir, "extlink.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Apply(ctx,
		extlink.AddTenant(extlink.Tenant{ID: "t1", Policy: open}),
		extlink.AddTenant(extlink.Tenant{ID: "t2", Policy: open}),
		extlink.AddUser(extlink.User{ID: "a", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "me", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "b", Tenant: "t2"}),
		extlink.AddLink("a", "b"),
	); err != nil {
		log.Fatal(err)
	}
	d, _, err := db.Directory(ctx)
	if err != nil {
		log.Fatal(err)
	}
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		log.Fatal(err)
	}
	v, err := db.CreateGroup(ctx, "project", g)
	fmt.Println("created at version", v, err)

	g, v, err = db.UpdateGroup(ctx, "project", func(g extlink.Group) (extlink.Group, error) {
		return g.Invite(d, "a", "me")
	})
	fmt.Println(g, "at version", v, err)

	// t2 closes itself to outsiders: loading the group reconciles it (R20).
	if _, err := db.Apply(ctx, extlink.SetPolicy("t2", extlink.Policy{})); err != nil {
		log.Fatal(err)
	}
	lg, err := db.LoadGroup(ctx, "project")
	fmt.Println(lg.Group, "removed:", lg.Removed, err)
	// Output:
	// created at version 1 <nil>
	// external group [a* b me] at version 2 <nil>
	// external group [a* me] removed: [b] <nil>
}
