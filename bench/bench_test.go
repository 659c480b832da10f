package bench

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/cedar-policy/cedar-go"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// The directory sizes of BenchmarkTalk and BenchmarkNewDirectory.
var userCounts = []int{1_000, 100_000, 1_000_000}

// numQueries is how many distinct questions a talk benchmark cycles through,
// a power of two. The default, 65,536, makes the questions about a million
// users touch far more memory than the caches hold, as a service's stream
// of unrelated questions would; -talk.queries=4096 asks a set small enough
// to stay in the caches.
var numQueries = flag.Int("talk.queries", 1<<16, "distinct questions BenchmarkTalk cycles through (a power of two)")

// smoke reports whether EXTLINK_BENCH_SMOKE=1 or -short asks for a quick
// run that skips the million-user directories (CI's -benchtime=1x run).
func smoke() bool { return os.Getenv("EXTLINK_BENCH_SMOKE") == "1" || testing.Short() }

var worlds struct {
	sync.Mutex
	m map[int]*extlinktest.LargeWorld
}

// genWorld returns the generated world of n users, about five links each,
// building it once per process.
func genWorld(n int) *extlinktest.LargeWorld {
	worlds.Lock()
	defer worlds.Unlock()
	if w, ok := worlds.m[n]; ok {
		return w
	}
	if worlds.m == nil {
		worlds.m = map[int]*extlinktest.LargeWorld{}
	}
	w := extlinktest.Large(extlinktest.LargeConfig{Users: n, Seed: 1})
	worlds.m[n] = w
	return w
}

// query is one question, its IDs copied in query order so that reading them
// is a sequential scan, as a request's IDs arrive fresh in a service,
// rather than a random visit to the generator's storage.
type query struct{ from, to extlink.UserID }

func queries(b testing.TB, w *extlinktest.LargeWorld) []query {
	n := *numQueries
	if n <= 0 || n&(n-1) != 0 {
		b.Fatalf("-talk.queries=%d: want a power of two", n)
	}
	ps := w.Pairs(n, 2)
	qs := make([]query, len(ps))
	for i, p := range ps {
		qs[i] = query{extlink.UserID(strings.Clone(string(p.A))), extlink.UserID(strings.Clone(string(p.B)))}
	}
	return qs
}

// BenchmarkTalk decides 1:1 talk (R1, R2) on generated directories of a
// thousand to a million users with three engines: extlink.CanTalk, the
// same rules in Cedar (cedar-go, entities built before timing) and the
// hand-written floor. Each cycles through the same fixed pseudo-random mix
// of colleague, linked, unlinked and policy-refused pairs (extlinktest.LargeWorld.Pairs).
// Each size's world is generated once per process, and each engine's
// directory built once per run, outside the timing.
func BenchmarkTalk(b *testing.B) {
	for _, n := range userCounts {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && smoke() {
				b.Skip("EXTLINK_BENCH_SMOKE=1 or -short: no million-user directory")
			}
			w := genWorld(n)
			qs := queries(b, w)
			mask := len(qs) - 1
			b.Run("engine=extlink", func(b *testing.B) {
				d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
				if err != nil {
					b.Fatal(err)
				}
				decideTalk(b, d, qs)
			})
			b.Run("engine=cedar", func(b *testing.B) {
				d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
				if err != nil {
					b.Fatal(err)
				}
				c, err := NewCedar(d)
				if err != nil {
					b.Fatal(err)
				}
				d = nil // only the entities are needed: let the collector have it
				reqs := make([]cedar.Request, len(qs))
				for i, q := range qs {
					reqs[i] = Request(extlink.ActTalk, q.from, q.to)
				}
				runtime.GC()
				b.ReportAllocs()
				allowed := 0
				for i := 0; b.Loop(); i++ {
					if dec, _ := c.Authorize(reqs[i&mask]); dec == cedar.Allow {
						allowed++
					}
				}
				b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
			})
			b.Run("engine=floor", func(b *testing.B) {
				f := NewFloor(w.Tenants, w.Users, w.Links)
				runtime.GC()
				b.ReportAllocs()
				allowed := 0
				for i := 0; b.Loop(); i++ {
					q := &qs[i&mask]
					if f.Talk(q.from, q.to) {
						allowed++
					}
				}
				b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
			})
		})
	}
}

// decideTalk times extlink.CanTalk on d over the questions qs, in turn,
// after a collection, and reports the share allowed.
func decideTalk(b *testing.B, d *extlink.Directory, qs []query) {
	mask := len(qs) - 1
	runtime.GC()
	b.ReportAllocs()
	allowed := 0
	for i := 0; b.Loop(); i++ {
		q := &qs[i&mask]
		if extlink.CanTalk(d, q.from, q.to).Allowed {
			allowed++
		}
	}
	b.ReportMetric(float64(allowed)/float64(b.N), "allowed/op")
}

// BenchmarkNewDirectory builds a directory of a thousand to a million users
// with about five links each. Besides the time and the bytes allocated per
// build, it reports the bytes a built directory keeps per user (B/user,
// measured once after the timing; user IDs and names are shared with the
// input, not counted) and the links per user.
func BenchmarkNewDirectory(b *testing.B) {
	for _, n := range userCounts {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && smoke() {
				b.Skip("EXTLINK_BENCH_SMOKE=1 or -short: no million-user directory")
			}
			w := genWorld(n)
			runtime.GC()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			d, _ := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
			runtime.GC()
			runtime.ReadMemStats(&after)
			_, _, links := d.Len()
			runtime.KeepAlive(d)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/user")
			b.ReportMetric(float64(links)/float64(n), "links/user")
		})
	}
}

// The group sizes of BenchmarkGroup: 500 is the vendor's cap for rooms with
// outsiders.
var memberCounts = []int{10, 500, 10_000, 100_000}

// groupDirectory is one tenant, t1, of 100,010 colleagues and an outsider x
// in t2 linked with the master-to-be u0000000, an admin; both tenants let
// everyone talk with outsiders and leave groups.
var groupDirectory = sync.OnceValue(func() *extlink.Directory {
	open := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersLeaveGroups: true}
	users := []extlink.User{{ID: "x", Tenant: "t2"}}
	for i := range memberCounts[len(memberCounts)-1] + 10 {
		u := extlink.User{ID: memberID(i), Tenant: "t1"}
		if i == 0 {
			u.Role = extlink.Admin
		}
		users = append(users, u)
	}
	return extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}},
		users, []extlink.Link{{A: "u0000000", B: "x"}})
})

func memberID(i int) extlink.UserID { return extlink.UserID(fmt.Sprintf("u%07d", i)) }

// BenchmarkGroup times one transition on an external group of 10 to
// 100,000 members: the master u0000000, the outsider x and colleagues.
// Every op starts from the same group (values are immutable): invite adds a
// colleague who is not a member, remove and transfer act on the member in
// the middle of the roster, and that member leaves. Each group is built by
// one NewGroup call.
func BenchmarkGroup(b *testing.B) {
	d := groupDirectory()
	for _, n := range memberCounts {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			with := []extlink.UserID{"x"}
			for i := 1; i < n-1; i++ {
				with = append(with, memberID(i))
			}
			g, err := extlink.NewGroup(d, "u0000000", with...)
			if err != nil {
				b.Fatal(err)
			}
			if g.Len() != n || !g.External() {
				b.Fatalf("group of %d, external %v", g.Len(), g.External())
			}
			master, mid, outside := extlink.UserID("u0000000"), memberID(n/2), memberID(n)
			for _, op := range []struct {
				name string
				do   func() (extlink.Group, error)
			}{
				{"invite", func() (extlink.Group, error) { return g.Invite(d, master, outside) }},
				{"remove", func() (extlink.Group, error) { return g.Remove(d, master, mid) }},
				{"transfer", func() (extlink.Group, error) { return g.Transfer(d, master, mid) }},
				{"leave", func() (extlink.Group, error) { return g.Leave(d, mid) }},
			} {
				b.Run("op="+op.name, func(b *testing.B) {
					if _, err := op.do(); err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						op.do() // checked above: the same op on the same value
					}
				})
			}
		})
	}
}

// sink keeps BenchmarkMemoryLatency's loads from being optimized away.
var sink int32

// BenchmarkMemoryLatency follows a random cycle of pointers through 1 MB to
// 512 MB of memory, one dependent load after another: the latency of a
// cache or memory access at that working-set size on the machine running
// the benchmarks, the cost a decision pays for each record it must fetch
// from far away. It skips sizes from 128 MB up in a smoke run.
func BenchmarkMemoryLatency(b *testing.B) {
	for _, mb := range []int{1, 16, 128, 512} {
		b.Run(fmt.Sprintf("size=%dMB", mb), func(b *testing.B) {
			if mb >= 128 && smoke() {
				b.Skip("EXTLINK_BENCH_SMOKE=1 or -short")
			}
			type line struct {
				next int32
				_    [60]byte // one 64-byte cache line each
			}
			ls := make([]line, mb<<20/64)
			perm := rand.New(rand.NewPCG(1, 2)).Perm(len(ls))
			for i, p := range perm {
				ls[p].next = int32(perm[(i+1)%len(perm)])
			}
			p := int32(0)
			for b.Loop() {
				p = ls[p].next
			}
			sink = p
		})
	}
}
