package sqlstore

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/sqlstore/pgtest"
)

// The benchmarks run against SQLite (a temp file) and, when the tests have
// a server, PostgreSQL. EXTLINK_BENCH_SMOKE=1 or -short (CI's run) loads
// 10,000 users instead of a million; EXTLINK_BENCH_USERS=N picks another
// size. BENCHMARKS.md has the figures and the commands.

func smoke() bool { return os.Getenv("EXTLINK_BENCH_SMOKE") == "1" || testing.Short() }

// loadSizes returns the user counts of BenchmarkLoad.
func loadSizes() []int {
	if s := os.Getenv("EXTLINK_BENCH_USERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err == nil && n > 0 {
			return []int{n}
		}
	}
	if smoke() {
		return []int{10_000}
	}
	return []int{1_000_000}
}

// benchWorld is a deterministic directory of n users in n/1000 (at least
// 2) tenants, with exactly five links a user: user i is linked with users
// i+1, i+17, i+289, i+4913 and i+83521 (mod n), all in other tenants.
func benchWorld(n int) ([]extlink.Tenant, []extlink.User, []extlink.Link) {
	nt := max(n/1000, 2)
	open := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersCreateGroups: true}
	tenants := make([]extlink.Tenant, nt)
	for i := range tenants {
		tenants[i] = extlink.Tenant{ID: extlink.TenantID(fmt.Sprintf("t%05d", i)), Name: "Tenant " + strconv.Itoa(i), Policy: open}
	}
	users := make([]extlink.User, n)
	for i := range users {
		users[i] = extlink.User{ID: extlink.UserID(fmt.Sprintf("u%07d", i)), Name: "User " + strconv.Itoa(i),
			Tenant: tenants[i%nt].ID, Connected: i%3 == 0, Role: extlink.Role(min(i%50, 1) ^ 1)}
	}
	var links []extlink.Link
	for i := range n {
		for _, d := range []int{1, 17, 289, 4913, 83521} {
			j := (i + d) % n
			if d >= n || i%nt == j%nt || (d+d)%n == 0 {
				continue
			}
			links = append(links, extlink.Link{A: users[i].ID, B: users[j].ID})
		}
	}
	return tenants, users, links
}

// benchDB is a database for a benchmark.
type benchDB struct {
	name string
	dsn  func(b *testing.B) string
}

func benchDBs(b *testing.B) []benchDB {
	dbs := []benchDB{{"sqlite", func(b *testing.B) string { return "sqlite:" + b.TempDir() + "/bench.db" }}}
	if pg != nil {
		dbs = append(dbs, benchDB{"postgres", func(b *testing.B) string { return pg.NewDB(b, "") }})
	} else if pgtest.Required() {
		b.Fatal("PostgreSQL benchmarks required but no server: " + pgReason)
	}
	return dbs
}

// writeDBs are the databases of the write benchmarks: those of benchDBs,
// and PostgreSQL with synchronous_commit off (a commit returns before its
// WAL record is on disk: a crash may lose the last batches, never half of
// one), whose commit does not wait for the disk.
func writeDBs(b *testing.B) []benchDB {
	dbs := benchDBs(b)
	if pg != nil {
		dbs = append(dbs, benchDB{"postgres-async", func(b *testing.B) string { return pg.NewDB(b, "") + "&synchronous_commit=off" }})
	}
	return dbs
}

// toggle is the i-th change of the write benchmarks: b leaves or joins
// t2's connected members. The directory keeps its size, so that the
// figures are the store's and not Directory.With's, whose cost still
// grows with the directory (R28 asks for the cost of the change).
func toggle(i int) extlink.Change { return extlink.SetConnected("b", i%2 == 1) }

// BenchmarkLoad reads a directory of a million users and five million
// links from each database (DB.Directory), against NewDirectory from
// slices in the same run (db=memory). The database is filled once, by
// one Apply of the whole world; the time that takes is reported as
// import-s.
func BenchmarkLoad(b *testing.B) {
	for _, n := range loadSizes() {
		tenants, users, links := benchWorld(n)
		b.Run(fmt.Sprintf("users=%d/db=memory", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extlink.NewDirectory(tenants, users, links); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, bd := range benchDBs(b) {
			b.Run(fmt.Sprintf("users=%d/db=%s", n, bd.name), func(b *testing.B) {
				ctx := context.Background()
				dsn := bd.dsn(b)
				db, err := Open(ctx, dsn)
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				batch := make([]extlink.Change, 0, len(tenants)+len(users)+len(links))
				for _, t := range tenants {
					batch = append(batch, extlink.AddTenant(t))
				}
				for _, u := range users {
					batch = append(batch, extlink.AddUser(u))
				}
				for _, l := range links {
					batch = append(batch, extlink.AddLink(l.A, l.B))
				}
				start := time.Now()
				if _, err := db.Apply(ctx, batch...); err != nil {
					b.Fatal(err)
				}
				imported := time.Since(start)
				batch = nil
				// A fresh handle, so that nothing is cached.
				db2, err := Open(ctx, dsn)
				if err != nil {
					b.Fatal(err)
				}
				defer db2.Close()
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					d, _, err := db2.Directory(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if u, _, l := d.Len(); u != len(users) || l != len(links) {
						b.Fatalf("loaded %d users, %d links; want %d, %d", u, l, len(users), len(links))
					}
				}
				b.ReportMetric(imported.Seconds(), "import-s")
			})
		}
	}
}

// smallWorld is the directory of the write benchmarks: the post's cast.
func smallDB(b *testing.B, dsn string) *DB {
	db, err := Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Apply(context.Background(), seed()...); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkApply measures single-change batches (toggle), one writer:
// each op is one Apply, so batches/s is the throughput.
func BenchmarkApply(b *testing.B) {
	for _, bd := range writeDBs(b) {
		b.Run("db="+bd.name, func(b *testing.B) {
			db := smallDB(b, bd.dsn(b))
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.Apply(ctx, toggle(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "batches/s")
		})
	}
}

// BenchmarkFollowLag writes single-change batches (toggle), at most one a
// millisecond (about 1,000 a second where commits are that fast: the
// achieved rate is reported), through one handle and follows them with a
// Live on another (as another process would: no in-process wake-up), and
// reports the lag from Apply's return (the commit) to the revision's
// publication in the Live: p50 and p99 in ms. Run it with -benchtime=3000x
// or more.
func BenchmarkFollowLag(b *testing.B) {
	for _, bd := range writeDBs(b) {
		b.Run("db="+bd.name, func(b *testing.B) {
			dsn := bd.dsn(b)
			writer := smallDB(b, dsn)
			reader, err := Open(context.Background(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer reader.Close()
			var mu sync.Mutex
			seen := map[Rev]time.Time{}
			live, err := reader.Follow(context.Background(), FollowOptions{onRev: func(r Rev, _ bool) {
				now := time.Now()
				mu.Lock()
				seen[r] = now
				mu.Unlock()
			}})
			if err != nil {
				b.Fatal(err)
			}
			defer live.Close()
			ctx := context.Background()
			committed := map[Rev]time.Time{}
			tick := time.NewTicker(time.Millisecond)
			defer tick.Stop()
			var last Rev
			i := 0
			start := time.Now()
			for b.Loop() {
				<-tick.C
				rev, err := writer.Apply(ctx, toggle(i))
				if err != nil {
					b.Fatal(err)
				}
				committed[rev] = time.Now()
				last = rev
				i++
			}
			rate := float64(b.N) / time.Since(start).Seconds()
			wctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			// Wait would wake the Live early; poll its Directory instead.
			for wctx.Err() == nil {
				if _, r := live.Directory(); r >= last {
					break
				}
				time.Sleep(time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			var lags []time.Duration
			for rev, c := range committed {
				s, ok := seen[rev]
				if !ok {
					b.Fatalf("revision %d never reached the Live", rev)
				}
				lags = append(lags, max(s.Sub(c), 0))
			}
			sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
			pct := func(p float64) float64 {
				return float64(lags[min(int(p*float64(len(lags))), len(lags)-1)]) / float64(time.Millisecond)
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(slices.Max(lags).Seconds()*1000, "max-ms")
			b.ReportMetric(rate, "batches/s")
		})
	}
}

// BenchmarkUpdateGroup measures one UpdateGroup round trip without
// contention: load (reconciled), invite or remove one member, save.
func BenchmarkUpdateGroup(b *testing.B) {
	for _, bd := range benchDBs(b) {
		b.Run("db="+bd.name, func(b *testing.B) {
			db := smallDB(b, bd.dsn(b))
			ctx := context.Background()
			d, _, err := db.Directory(ctx)
			if err != nil {
				b.Fatal(err)
			}
			g, err := extlink.NewGroup(d, "a", "b")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := db.CreateGroup(ctx, "g", g); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				_, _, err := db.UpdateGroup(ctx, "g", func(g extlink.Group) (extlink.Group, error) {
					if g.Has("me") {
						return g.Remove(d, "a", "me")
					}
					return g.Invite(d, "a", "me")
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
