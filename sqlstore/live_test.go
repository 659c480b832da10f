package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/extlink/extlink"
)

// revRecorder records the revisions a Live reaches.
type revRecorder struct {
	mu   sync.Mutex
	revs []Rev
}

func (r *revRecorder) add(rev Rev, _ bool) { r.mu.Lock(); r.revs = append(r.revs, rev); r.mu.Unlock() }

// contiguous fails t unless the revisions recorded run from first to last
// by one: none skipped, none repeated.
func (r *revRecorder) contiguous(t *testing.T, first, last Rev) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	want := make([]Rev, 0, last-first+1)
	for v := first; v <= last; v++ {
		want = append(want, v)
	}
	if !slices.Equal(r.revs, want) {
		t.Fatalf("the Live reached revisions %v; want %d to %d, each once", r.revs, first, last)
	}
}

func addUser(i int) extlink.Change {
	return extlink.AddUser(extlink.User{ID: extlink.UserID(fmt.Sprintf("u%04d", i)), Tenant: "t1"})
}

// TestLiveFollowsAnotherWriter: a Live on one handle follows batches that
// another handle (as another process would) writes, each revision once,
// woken by the poll (SQLite) or by NOTIFY (PostgreSQL; the poll is an hour).
func TestLiveFollowsAnotherWriter(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		writer, reader := open(t, dsn), open(t, dsn)
		if _, err := writer.Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		var rec revRecorder
		opts := FollowOptions{onRev: rec.add}
		if reader.d.name == "postgres" {
			opts.Poll = time.Hour
		}
		live, err := reader.Follow(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer live.Close()
		if _, rev := live.Directory(); rev != 1 {
			t.Fatalf("Follow starts at revision %d; want 1", rev)
		}
		const n = 30
		for i := range n {
			if _, err := writer.Apply(ctx, addUser(i)); err != nil {
				t.Fatal(err)
			}
		}
		// Not Wait, which would poke the Live: it must find them itself.
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, rev := live.Directory(); rev == n+1 {
				break
			}
			if time.Now().After(deadline) {
				_, rev := live.Directory()
				t.Fatalf("the Live is at revision %d, 20s after revision %d was written; status %+v", rev, n+1, live.Status())
			}
			time.Sleep(5 * time.Millisecond)
		}
		rec.contiguous(t, 2, n+1)
		want, _, err := writer.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ld, _ := live.Directory()
		same(t, "the Live's directory", want, ld)
		st := live.Status()
		if st.Err != nil || st.Rev != n+1 || time.Since(st.Polled) > time.Minute {
			t.Fatalf("Status = %+v", st)
		}
		if reader.d.name == "postgres" && !st.Listening {
			t.Fatalf("Status = %+v: not listening", st)
		}
		// Close: Wait ends with ErrClosed, Directory still serves.
		live.Close()
		if _, err := live.Wait(ctx, n+5); !errors.Is(err, ErrClosed) {
			t.Fatalf("Wait after Close = %v; want ErrClosed", err)
		}
		if d, rev := live.Directory(); d == nil || rev != n+1 {
			t.Fatalf("Directory after Close = revision %d", rev)
		}
		// Wait on a revision not yet written ends with ctx.
		live2, err := writer.Follow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := live2.Wait(wctx, n+5); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait(future) = %v; want DeadlineExceeded", err)
		}
		// DB.Close closes its Lives.
		writer.Close()
		if _, err := live2.Wait(ctx, n+5); !errors.Is(err, ErrClosed) {
			t.Fatalf("Wait after DB.Close = %v; want ErrClosed", err)
		}
		if _, err := writer.Apply(ctx, addUser(999)); !errors.Is(err, ErrClosed) {
			t.Fatalf("Apply after Close = %v; want ErrClosed", err)
		}
	})
}

// TestConcurrentWriters: two handles, four goroutines each, write batches
// at once: every batch is there, and the revisions run from 1 without a
// gap or a repeat.
func TestConcurrentWriters(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		dbs := []*DB{open(t, dsn), open(t, dsn)}
		if _, err := dbs[0].Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		const goroutines, each = 8, 10
		var mu sync.Mutex
		var revs []Rev
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		for g := range goroutines {
			wg.Go(func() {
				for i := range each {
					k := g*each + i
					// A user and a link to b: the link needs the user, so a batch
					// seen half would be refused by whoever reads it.
					rev, err := dbs[g%2].Apply(ctx, addUser(k), extlink.AddLink(extlink.UserID(fmt.Sprintf("u%04d", k)), "b"))
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					revs = append(revs, rev)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
		for i, r := range revs {
			if r != Rev(i+2) {
				t.Fatalf("revisions returned: %v; want 2 to %d, each once", revs, goroutines*each+1)
			}
		}
		d, rev, err := dbs[1].Directory(ctx)
		if err != nil || rev != goroutines*each+1 {
			t.Fatalf("Directory = revision %d, %v", rev, err)
		}
		if u, _, l := d.Len(); u != 3+goroutines*each || l != 1+goroutines*each {
			t.Fatalf("Directory holds %d users and %d links; want %d and %d", u, l, 3+goroutines*each, 1+goroutines*each)
		}
		// The log replays to the same directory.
		var empty extlink.Directory
		s, err := catchUp(ctx, dbs[0].sql, dbs[0].d, &snapshot{&empty, 0}, 0, nil)
		if err != nil || s.rev != rev {
			t.Fatalf("replaying the log: revision %d, %v", s.rev, err)
		}
		same(t, "the log replayed", d, s.dir)
	})
}

// TestKilledMidTransaction: the connection of an Apply dies after every
// row is written and before the commit (pg_terminate_backend on
// PostgreSQL; an error on SQLite): nothing of the batch is visible, and
// the next batch takes the revision.
func TestKilledMidTransaction(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		db := open(t, dsn)
		if _, err := db.Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		before, _, err := db.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		killed := errors.New("killed")
		db.testHookBeforeCommit = func(ctx context.Context, tx *sql.Tx) error {
			if db.d.name != "postgres" {
				return killed
			}
			var pid int
			if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
				return err
			}
			var ok bool
			if err := sqlOf(t, dsn).QueryRowContext(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
				return fmt.Errorf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
			}
			return nil
		}
		batch := []extlink.Change{addUser(1), extlink.AddLink("u0001", "b"), extlink.SetConnected("a", true)}
		rev, err := db.Apply(ctx, batch...)
		db.testHookBeforeCommit = nil
		var ce *extlink.ChangeError
		if err == nil || errors.As(err, &ce) || rev != 0 {
			t.Fatalf("Apply with its connection killed = %d, %v; want a database error", rev, err)
		}
		t.Logf("killed: %v", err)
		other := open(t, dsn)
		after, rev, err := other.Directory(ctx)
		if err != nil || rev != 1 {
			t.Fatalf("after the kill: revision %d, %v; want 1", rev, err)
		}
		same(t, "the directory after the kill", before, after)
		var rows int
		if err := other.sql.QueryRowContext(ctx, `SELECT count(*) FROM extlink_log WHERE rev > 1`).Scan(&rows); err != nil || rows != 0 {
			t.Fatalf("the log holds %d rows past revision 1 (%v)", rows, err)
		}
		// The same handle goes on: the batch applies now, at revision 2.
		if rev, err := db.Apply(ctx, batch...); err != nil || rev != 2 {
			t.Fatalf("Apply again = %d, %v; want 2", rev, err)
		}
		want, _ := before.With(batch...)
		got, _, err := other.Directory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "the directory after the retry", want, got)
	})
}

// TestDirectoryWhileWriting reads the directory again and again while
// another handle writes: each read is the directory of one revision
// exactly (its users and its links from the same snapshot), as With built
// it.
func TestDirectoryWhileWriting(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		ctx := ctxT(t)
		dsn := newDSN()
		writer, reader := open(t, dsn), open(t, dsn)
		model, err := (&extlink.Directory{}).With(seed()...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := writer.Apply(ctx, seed()...); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		models := map[Rev]*extlink.Directory{1: model}
		done := make(chan error, 1)
		stop := make(chan struct{})
		go func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					done <- nil
					return
				default:
				}
				// A user and a link to them: a load that took the users of one
				// revision and the links of another would miss one or the other.
				u := extlink.UserID(fmt.Sprintf("u%04d", i))
				batch := []extlink.Change{addUser(i), extlink.AddLink(u, "b")}
				if i%3 == 2 {
					batch = []extlink.Change{extlink.RemoveUser(extlink.UserID(fmt.Sprintf("u%04d", i-1)))}
				}
				next, err := model.With(batch...)
				if err != nil {
					done <- err
					return
				}
				// Recorded before the commit, which a reader may see before
				// Apply returns.
				mu.Lock()
				models[Rev(i+2)] = next
				mu.Unlock()
				rev, err := writer.Apply(ctx, batch...)
				if err != nil {
					done <- err
					return
				}
				if rev != Rev(i+2) {
					done <- fmt.Errorf("Apply = revision %d; want %d", rev, i+2)
					return
				}
				model = next
			}
		}()
		revs := map[Rev]bool{}
		for range 30 {
			d, rev, err := reader.Directory(ctx)
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			want := models[rev]
			mu.Unlock()
			if want == nil {
				t.Fatalf("Directory returned revision %d, never written", rev)
			}
			same(t, fmt.Sprintf("the directory at revision %d", rev), want, d)
			revs[rev] = true
		}
		close(stop)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		t.Logf("read %d distinct revisions while writing; %d reads were read again", len(revs), reader.loadRetries.Load())
	})
}
