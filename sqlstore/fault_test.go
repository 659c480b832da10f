package sqlstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/extlink/extlink"
)

// TestLiveSurvivesRestart stops the PostgreSQL server while a Live follows
// and starts it again: the Live serves its snapshot throughout, reports
// the failure, and catches up afterwards, each revision once, none lost.
func TestLiveSurvivesRestart(t *testing.T) {
	s := needPG(t)
	ctx := ctxT(t)
	dsn := s.NewDB(t, "")
	writer, reader := open(t, dsn), open(t, dsn)
	if _, err := writer.Apply(ctx, seed()...); err != nil {
		t.Fatal(err)
	}
	var rec revRecorder
	var pause sync.Mutex // held: the Live does not poll
	live, err := reader.Follow(ctx, FollowOptions{Poll: 50 * time.Millisecond, MaxBackoff: 400 * time.Millisecond, onRev: rec.add,
		beforePoll: func() {
			pause.Lock()
			defer pause.Unlock() // waits while the test holds the pause
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	for i := range 10 {
		if _, err := writer.Apply(ctx, addUser(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := live.Wait(ctx, 11); err != nil {
		t.Fatal(err)
	}
	// Five more that the Live does not read before the server stops.
	pause.Lock()
	time.Sleep(100 * time.Millisecond) // a poll under way ends
	_, before := live.Directory()
	for i := 10; i < 15; i++ {
		if _, err := writer.Apply(ctx, addUser(i)); err != nil {
			pause.Unlock()
			t.Fatal(err)
		}
	}
	err = s.Stop()
	pause.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	restarted := false
	defer func() {
		if !restarted {
			if err := s.Resume(); err != nil {
				t.Error(err)
			}
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for live.Status().Err == nil {
		if time.Now().After(deadline) {
			t.Fatalf("Status reports no error 20s after the server stopped: %+v", live.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	st := live.Status()
	d, rev := live.Directory()
	if d == nil || rev != before || st.Since.IsZero() || st.Polled.After(st.Since) {
		t.Fatalf("while the server is down: revision %d, status %+v", rev, st)
	}
	t.Logf("server down: serving revision %d; status: %v", rev, st.Err)
	if _, err := writer.Apply(ctx, addUser(100)); err == nil {
		t.Fatal("Apply succeeded with the server down")
	}
	time.Sleep(time.Second) // a few rounds of backoff
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	restarted = true
	// The pool's connections died with the server: the first use of each
	// may fail. A batch that fails here wrote nothing (its connection was
	// dead before it began), so it is retried until it goes through.
	applied := 0
	for i := 15; i < 20; i++ {
		for try := 0; ; try++ {
			_, err := writer.Apply(ctx, addUser(i))
			if err == nil {
				applied++
				break
			}
			var ce *extlink.ChangeError
			if errors.As(err, &ce) || try > 50 {
				t.Fatalf("Apply after the restart: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := live.Wait(wctx, 21); err != nil {
		t.Fatalf("%v; status %+v", err, live.Status())
	}
	rec.contiguous(t, 2, 21)
	want, _, err := writer.Directory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ld, _ := live.Directory()
	same(t, "the Live after the restart", want, ld)
	st = live.Status()
	if st.Err != nil || !st.Since.IsZero() {
		t.Fatalf("Status after catching up = %+v", st)
	}
	deadline = time.Now().Add(20 * time.Second)
	for !live.Status().Listening { // LISTEN is back too
		if time.Now().After(deadline) {
			t.Fatalf("no LISTEN connection 20s after the restart: %+v", live.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLocaleCollation: in a database whose default collation is a locale's
// (ICU en-US: "a" < "B"), the tables still compare IDs by bytes, and the
// directory, its order, and plans are those of the in-memory directory.
func TestLocaleCollation(t *testing.T) {
	s := needPG(t)
	ctx := ctxT(t)
	dsn := s.NewDB(t, `TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`)
	db := open(t, dsn)
	var localeOrder bool
	if err := db.sql.QueryRowContext(ctx, `SELECT 'a' < 'B'`).Scan(&localeOrder); err != nil {
		t.Fatal(err)
	}
	if !localeOrder {
		t.Fatal("the database compares text by bytes: the test needs a locale collation")
	}
	ids := []extlink.UserID{"B", "a", "Z", "ä", "a-b", "ab", "A", "me", "Ω", "b"}
	batch := []extlink.Change{
		extlink.AddTenant(extlink.Tenant{ID: "t1", Policy: open2}),
		extlink.AddTenant(extlink.Tenant{ID: "T2", Policy: open2}),
		extlink.AddTenant(extlink.Tenant{ID: "t3", Policy: open2}),
	}
	for i, id := range ids {
		tenant := []extlink.TenantID{"t1", "T2", "t3"}[i%3]
		batch = append(batch, extlink.AddUser(extlink.User{ID: id, Tenant: tenant, Connected: true, Role: extlink.Admin}))
	}
	mem, err := (&extlink.Directory{}).With(batch...)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			ua, _ := mem.User(a)
			ub, _ := mem.User(b)
			if ua.Tenant != ub.Tenant && (len(a)+len(b))%3 != 0 {
				batch = append(batch, extlink.AddLink(a, b))
			}
		}
	}
	if mem, err = (&extlink.Directory{}).With(batch...); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Apply(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	got, _, err := db.Directory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the directory", mem, got)
	// The columns are COLLATE "C": the database itself orders IDs by bytes.
	rows, err := db.sql.QueryContext(ctx, `SELECT id FROM extlink_users ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var dbOrder []extlink.UserID
	for rows.Next() {
		var id extlink.UserID
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		dbOrder = append(dbOrder, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(slices.Values(ids)); !slices.Equal(dbOrder, want) {
		t.Fatalf("ORDER BY id gives %q; want byte order %q", dbOrder, want)
	}
	for _, me := range ids {
		for _, target := range ids {
			if me == target {
				continue
			}
			pm, em := extlink.PlanGroup(mem, me, target)
			pd, ed := extlink.PlanGroup(got, me, target)
			if !slices.Equal(pm, pd) || (em == nil) != (ed == nil) || (em != nil && em.Error() != ed.Error()) {
				t.Fatalf("PlanGroup(%s, %s): in memory %v, %v; from the database %v, %v", me, target, pm, em, pd, ed)
			}
		}
	}
}
