package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// eachDB runs f against SQLite and against PostgreSQL; newDSN returns the
// DSN of a new, empty database each time it is called.
func eachDB(t *testing.T, f func(t *testing.T, newDSN func() string)) {
	t.Run("sqlite", func(t *testing.T) {
		f(t, func() string { return "sqlite:" + filepath.Join(t.TempDir(), "extlink.db") })
	})
	t.Run("postgres", func(t *testing.T) {
		s := needPG(t)
		f(t, func() string { return s.NewDB(t, "") })
	})
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func open(t testing.TB, dsn string) *DB {
	t.Helper()
	db, err := Open(ctxT(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var open2 = extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersCreateGroups: true}

// seed is the post's cast: a and me at t1, b at t2, a linked with b.
func seed() []extlink.Change {
	return []extlink.Change{
		extlink.AddTenant(extlink.Tenant{ID: "t1", Name: "our company", Policy: open2}),
		extlink.AddTenant(extlink.Tenant{ID: "t2", Name: "the partner", Policy: open2}),
		extlink.AddUser(extlink.User{ID: "a", Name: "A", Tenant: "t1"}),
		extlink.AddUser(extlink.User{ID: "me", Name: "me", Tenant: "t1", Role: extlink.Admin}),
		extlink.AddUser(extlink.User{ID: "b", Name: "B", Tenant: "t2", Connected: true}),
		extlink.AddLink("b", "a"),
	}
}

// same fails t unless got and want hold the same tenants, users and links.
func same(t fataler, what string, want, got *extlink.Directory) {
	t.Helper()
	if d := cmp.Diff(dump(want), dump(got)); d != "" {
		t.Fatalf("%s differs (-want +got):\n%s", what, d)
	}
}

// fataler is a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

type dumped struct {
	Tenants []extlink.Tenant
	Users   []extlink.User
	Links   []extlink.Link
}

func dump(d *extlink.Directory) dumped {
	return dumped{slices.Collect(d.Tenants()), slices.Collect(d.Users()), slices.Collect(d.AllLinks())}
}

func TestApplyAndRead(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		db := open(t, dsn)
		d, rev, err := db.Directory(ctx)
		if err != nil || rev != 0 {
			t.Fatalf("new database: rev %d, err %v; want 0, nil", rev, err)
		}
		if u, tn, l := d.Len(); u+tn+l != 0 {
			t.Fatalf("new database holds %d users, %d tenants, %d links", u, tn, l)
		}
		want, err := extlink.MustNewDirectory(nil, nil, nil).With(seed()...)
		if err != nil {
			t.Fatal(err)
		}
		rev, err = db.Apply(ctx, seed()...)
		if err != nil || rev != 1 {
			t.Fatalf("Apply(seed) = %d, %v; want 1, nil", rev, err)
		}
		got, rev, err := db.Directory(ctx)
		if err != nil || rev != 1 {
			t.Fatalf("Directory = rev %d, %v; want 1, nil", rev, err)
		}
		same(t, "the directory read back", want, got)

		// Every kind of change, then read through a second handle.
		more := []extlink.Change{
			extlink.SetPolicy("t2", extlink.Policy{Works: extlink.AccessListed, NoCalls: true, MembersLeaveGroups: true}),
			extlink.AddUser(extlink.User{ID: "l1", Name: "L", Kind: extlink.LINEUser}),
			extlink.AddLink("me", "l1"),
			extlink.SetConnected("a", true),
			extlink.SetUser(extlink.User{ID: "me", Name: "me too", Tenant: "t1", Connected: true}),
			extlink.AddTenant(extlink.Tenant{ID: "t3"}),
			extlink.AddUser(extlink.User{ID: "c", Tenant: "t3"}),
			extlink.AddLink("c", "me"),
			extlink.RemoveLink("a", "b"),
			extlink.RemoveUser("c"),
			extlink.RemoveTenant("t3"),
		}
		want, err = want.With(more...)
		if err != nil {
			t.Fatal(err)
		}
		if rev, err := db.Apply(ctx, more...); err != nil || rev != 2 {
			t.Fatalf("Apply(more) = %d, %v; want 2, nil", rev, err)
		}
		db2 := open(t, dsn)
		got, rev, err = db2.Directory(ctx)
		if err != nil || rev != 2 {
			t.Fatalf("Directory = rev %d, %v; want 2, nil", rev, err)
		}
		same(t, "the directory read by a second handle", want, got)

		// An empty batch writes nothing.
		if rev, err := db.Apply(ctx); err != nil || rev != 2 {
			t.Fatalf("Apply() = %d, %v; want 2, nil", rev, err)
		}
	})
}

func TestApplyInvalid(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		db := open(t, newDSN())
		if _, err := db.Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		base, _, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad := []extlink.Change{
			extlink.AddUser(extlink.User{ID: "c", Tenant: "t1"}), // fine alone
			extlink.AddLink("a", "me"),                           // colleagues
			extlink.AddUser(extlink.User{ID: "d", Tenant: "t9"}), // unknown tenant
			extlink.RemoveTenant("t1"),                           // has users
		}
		_, wantErr := base.With(bad...)
		if wantErr == nil {
			t.Fatal("With accepted the bad batch")
		}
		rev, err := db.Apply(ctx, bad...)
		var ce *extlink.ChangeError
		if !errors.As(err, &ce) || !errors.Is(err, extlink.ErrInvalid) || rev != 0 {
			t.Fatalf("Apply(bad) = %d, %v; want 0 and a ChangeError", rev, err)
		}
		if err.Error() != wantErr.Error() {
			t.Fatalf("Apply's error:\n%v\nWith's:\n%v", err, wantErr)
		}
		got, rev, err := db.Directory(ctx)
		if err != nil || rev != 1 {
			t.Fatalf("after a bad batch: rev %d, %v; want 1", rev, err)
		}
		same(t, "the directory after a bad batch", base, got)

		// A name the database cannot store.
		_, err = db.Apply(ctx, extlink.AddUser(extlink.User{ID: "x", Name: "bad\xff", Tenant: "t1"}))
		if !errors.Is(err, extlink.ErrInvalid) {
			t.Fatalf("Apply(name not UTF-8) = %v; want ErrInvalid", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := ctxT(t)
	for _, dsn := range []string{"", "mysql://x", "sqlite:", "sqlite::memory:", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), "postgres://u:secret@[::1/db"} {
		db, err := Open(ctx, dsn)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", dsn)
			continue
		}
		if containsSecret(err.Error()) {
			t.Errorf("Open(%q) = %v: shows the password", dsn, err)
		}
		t.Logf("Open(%q): %v", dsn, err)
	}
	// An unreachable server: a socket directory with no server.
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := Open(ctx2, "postgres://u:secret@/db?host="+t.TempDir())
	if err == nil || containsSecret(err.Error()) {
		t.Errorf("Open(no server) = %v; want an error without the password", err)
	}
	t.Logf("no server: %v", err)

	// A newer schema.
	path := filepath.Join(t.TempDir(), "x.db")
	db := open(t, "sqlite:"+path)
	if _, err := db.SQL().ExecContext(ctx, `UPDATE extlink_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, "sqlite:"+path); !errors.Is(err, ErrSchema) {
		t.Errorf("Open(newer schema) = %v; want ErrSchema", err)
	} else {
		t.Logf("newer schema: %v", err)
	}
}

func containsSecret(s string) bool { return strings.Contains(s, "secret") }

// TestLargeBatch writes one batch larger than an insert statement's run
// (users, links and log rows in several statements each) and then changes
// it: the tables and a replay of the log both equal With's directory.
func TestLargeBatch(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		db := open(t, dsn)
		tenants, users, links := benchWorld(3000)
		var batch []extlink.Change
		for _, x := range tenants {
			batch = append(batch, extlink.AddTenant(x))
		}
		for _, x := range users {
			batch = append(batch, extlink.AddUser(x))
		}
		for _, l := range links {
			batch = append(batch, extlink.AddLink(l.A, l.B))
		}
		if len(batch) <= 10000 {
			t.Fatalf("a batch of %d changes: want more than one run", len(batch))
		}
		more := []extlink.Change{extlink.RemoveUser(users[5].ID), extlink.RemoveLink(links[100].A, links[100].B),
			extlink.AddUser(extlink.User{ID: "new", Tenant: tenants[0].ID}), extlink.AddLink("new", users[1].ID)}
		want, err := (&extlink.Directory{}).With(batch...)
		if err == nil {
			want, err = want.With(more...)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]extlink.Change{batch, more} {
			if _, err := db.Apply(ctx, b...); err != nil {
				t.Fatal(err)
			}
		}
		got, rev, err := open(t, dsn).Directory(ctx)
		if err != nil || rev != 2 {
			t.Fatalf("Directory = revision %d, %v", rev, err)
		}
		same(t, "the tables", want, got)
		s, err := catchUp(ctx, db.sql, db.d, &snapshot{&extlink.Directory{}, 0}, 0, nil)
		if err != nil || s.rev != 2 {
			t.Fatalf("replaying the log: revision %d, %v", s.rev, err)
		}
		same(t, "the log replayed", want, s.dir)
	})
}

// TestLoadInOneTransaction: the load that reads everything in one
// transaction (Directory's last resort when writers keep committing
// between its two halves) gives what the two-connection load gives.
func TestLoadInOneTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		db := open(t, newDSN())
		tenants, users, links := benchWorld(2000)
		var batch []extlink.Change
		for _, x := range tenants {
			batch = append(batch, extlink.AddTenant(x))
		}
		for _, x := range users {
			batch = append(batch, extlink.AddUser(x))
		}
		for _, l := range links {
			batch = append(batch, extlink.AddLink(l.A, l.B))
		}
		if _, err := db.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		want := extlink.MustNewDirectory(tenants, users, links)
		d1, r1, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		db.testOneTxLoad = true
		d2, r2, err := db.Directory(ctx)
		if err != nil || r1 != 1 || r2 != 1 {
			t.Fatalf("revisions %d and %d (%v); want 1", r1, r2, err)
		}
		same(t, "the two-connection load", want, d1)
		same(t, "the one-transaction load", want, d2)
	})
}

// TestOpenConcurrently: processes starting at once on an empty database
// create the schema once, and all open it.
func TestOpenConcurrently(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		const n = 8
		errs := make(chan error, n)
		for range n {
			go func() {
				db, err := Open(ctx, dsn)
				if err == nil {
					err = db.Close()
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		db := open(t, dsn)
		var rows, version int
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*), max(version) FROM extlink_schema`).Scan(&rows, &version); err != nil || rows != 1 || version != schemaVersion {
			t.Fatalf("extlink_schema holds %d rows, version %d (%v); want 1 row, version %d", rows, version, err, schemaVersion)
		}
	})
}
