package bench

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// changeKinds are the changes BenchmarkWith times one at a time.
var changeKinds = []string{"connected", "policy", "adduser", "removeuser", "addlink", "removelink"}

// changeModel is a plain model of a directory's content that draws valid
// changes and follows them, so that a stream of changes can be drawn before
// the timing starts.
type changeModel struct {
	rng     *rand.Rand
	tenants []extlink.TenantID
	users   []extlink.User // live users, in no order
	at      map[extlink.UserID]int
	links   []extlink.Link // live links, in no order
	linkAt  map[extlink.Link]int
	adj     map[extlink.UserID][]extlink.UserID // with repeats of removed links: check linkAt
	fresh   int
}

func newChangeModel(w *extlinktest.LargeWorld, seed uint64) *changeModel {
	m := &changeModel{rng: rand.New(rand.NewPCG(seed, 0x77697468)),
		at: make(map[extlink.UserID]int, len(w.Users)), linkAt: make(map[extlink.Link]int, len(w.Links)),
		adj: make(map[extlink.UserID][]extlink.UserID, len(w.Users))}
	for _, t := range w.Tenants {
		m.tenants = append(m.tenants, t.ID)
	}
	m.users = slices.Clone(w.Users)
	for i, u := range m.users {
		m.at[u.ID] = i
	}
	for _, l := range w.Links {
		m.addLink(l)
	}
	return m
}

func key(l extlink.Link) extlink.Link {
	if l.B < l.A {
		l.A, l.B = l.B, l.A
	}
	return l
}

func (m *changeModel) addLink(l extlink.Link) {
	l = key(l)
	if _, ok := m.linkAt[l]; ok {
		return
	}
	m.linkAt[l] = len(m.links)
	m.links = append(m.links, l)
	m.adj[l.A] = append(m.adj[l.A], l.B)
	m.adj[l.B] = append(m.adj[l.B], l.A)
}

func (m *changeModel) removeLink(l extlink.Link) {
	l = key(l)
	i := m.linkAt[l]
	last := m.links[len(m.links)-1]
	m.links[i], m.linkAt[last] = last, i
	m.links = m.links[:len(m.links)-1]
	delete(m.linkAt, l)
}

func (m *changeModel) user() extlink.User { return m.users[m.rng.IntN(len(m.users))] }

// draw returns a valid change of the given kind and, if follow, applies it
// to the model.
func (m *changeModel) draw(kind string, follow bool) extlink.Change {
	switch kind {
	case "connected":
		for {
			u := m.user()
			if u.Kind == extlink.WorksUser {
				if follow {
					m.users[m.at[u.ID]].Connected = !u.Connected
				}
				return extlink.SetConnected(u.ID, !u.Connected)
			}
		}
	case "policy":
		t := m.tenants[m.rng.IntN(len(m.tenants))]
		return extlink.SetPolicy(t, extlink.Policy{Works: extlink.Access(m.rng.IntN(3)), LINE: extlink.Access(m.rng.IntN(3)),
			MembersCreateGroups: m.rng.IntN(2) == 0})
	case "adduser":
		m.fresh++
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("u%07dn%d", m.rng.IntN(10_000_000), m.fresh)),
			Tenant: m.tenants[m.rng.IntN(len(m.tenants))], Connected: m.rng.IntN(2) == 0}
		if follow {
			m.at[u.ID] = len(m.users)
			m.users = append(m.users, u)
		}
		return extlink.AddUser(u)
	case "removeuser":
		if len(m.users) < 3 {
			return m.draw("adduser", follow)
		}
		u := m.user()
		if follow {
			i := m.at[u.ID]
			last := m.users[len(m.users)-1]
			m.users[i], m.at[last.ID] = last, i
			m.users = m.users[:len(m.users)-1]
			delete(m.at, u.ID)
			for _, v := range m.adj[u.ID] {
				if _, ok := m.linkAt[key(extlink.Link{A: u.ID, B: v})]; ok {
					m.removeLink(extlink.Link{A: u.ID, B: v})
				}
			}
			delete(m.adj, u.ID)
		}
		return extlink.RemoveUser(u.ID)
	case "addlink":
		for {
			a, b := m.user(), m.user()
			if a.ID == b.ID || a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser ||
				a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant {
				continue
			}
			if _, ok := m.linkAt[key(extlink.Link{A: a.ID, B: b.ID})]; ok {
				continue
			}
			if follow {
				m.addLink(extlink.Link{A: a.ID, B: b.ID})
			}
			return extlink.AddLink(a.ID, b.ID)
		}
	case "removelink":
		if len(m.links) == 0 {
			return m.draw("addlink", follow)
		}
		l := m.links[m.rng.IntN(len(m.links))]
		if follow {
			m.removeLink(l)
		}
		return extlink.RemoveLink(l.A, l.B)
	}
	panic("unknown change kind " + kind)
}

// freshWorld returns the generated world of n users, built anew and not
// kept: the change benchmarks drop it, and the process's cache of worlds,
// before timing, so that the collector's work during the timing is what a
// service holding only its directory would see, not the cost of scanning
// the generator's millions of link records.
func freshWorld(n int) *extlinktest.LargeWorld {
	worlds.Lock()
	worlds.m = nil
	worlds.Unlock()
	runtime.GC()
	return extlinktest.Large(extlinktest.LargeConfig{Users: n, Seed: 1})
}

// BenchmarkWith times one change (R28) on generated directories of a
// thousand to a million users: each op applies one change, drawn at random
// before the timing, to the same directory (values are immutable), so the
// figure is the cost of a single change: time and bytes allocated.
func BenchmarkWith(b *testing.B) {
	for _, n := range userCounts {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && smoke() {
				b.Skip("EXTLINK_BENCH_SMOKE=1 or -short: no million-user directory")
			}
			w := freshWorld(n)
			d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
			if err != nil {
				b.Fatal(err)
			}
			m := newChangeModel(w, 1)
			drawn := map[string][]extlink.Change{}
			for _, kind := range changeKinds {
				for range 1024 {
					drawn[kind] = append(drawn[kind], m.draw(kind, false))
				}
			}
			w, m = nil, nil
			for _, kind := range changeKinds {
				b.Run("change="+kind, func(b *testing.B) {
					cs := drawn[kind]
					runtime.GC()
					b.ReportAllocs()
					for i := 0; b.Loop(); i++ {
						if _, err := d.With(cs[i%len(cs)]); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// streamLen is how many changes BenchmarkWithStream applies.
const streamLen = 100_000

// stream draws streamLen valid changes, each following the ones before it:
// a mix of every kind.
func stream(w *extlinktest.LargeWorld, seed uint64, n int) []extlink.Change {
	m := newChangeModel(w, seed)
	mix := []string{"connected", "connected", "policy", "adduser", "adduser", "removeuser",
		"addlink", "addlink", "addlink", "removelink", "removelink", "removelink"}
	out := make([]extlink.Change, n)
	for i := range out {
		out[i] = m.draw(mix[m.rng.IntN(len(mix))], true)
	}
	return out
}

// BenchmarkWithStream applies 100,000 random changes one at a time, each on
// the previous result, to a generated directory (every kind of change, a
// third of them links added or removed). It reports the time per change
// (ns/change) and, once after the timing, the bytes the final directory
// retains against NewDirectory on the same content (retained-ratio).
func BenchmarkWithStream(b *testing.B) {
	for _, n := range userCounts {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && smoke() {
				b.Skip("EXTLINK_BENCH_SMOKE=1 or -short: no million-user directory")
			}
			w := freshWorld(n)
			cs := stream(w, 2, streamLen)
			start, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
			if err != nil {
				b.Fatal(err)
			}
			w = nil
			var d *extlink.Directory
			runtime.GC()
			b.ReportAllocs()
			for b.Loop() {
				d = start
				for _, c := range cs {
					if d, err = d.With(c); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			// What d keeps beyond NewDirectory on the same content, and what
			// that fresh directory keeps beyond d: strings shared with the
			// input count for neither.
			perChange := float64(b.Elapsed().Nanoseconds()) / float64(b.N*len(cs))
			start, cs = nil, nil
			withD := heap()
			fresh := rebuild(b, d)
			both := heap()
			runtime.KeepAlive(d)
			d = nil
			withFresh := heap()
			runtime.KeepAlive(fresh)
			changed, built := both-withFresh, both-withD
			b.ReportMetric(perChange, "ns/change")
			b.ReportMetric(float64(changed)/float64(built), "retained-ratio")
			b.ReportMetric(float64(changed)/float64(n), "B/user")
		})
	}
}

// rebuild returns NewDirectory on d's content.
func rebuild(b *testing.B, d *extlink.Directory) *extlink.Directory {
	f, err := extlink.NewDirectory(slices.Collect(d.Tenants()), slices.Collect(d.Users()), slices.Collect(d.AllLinks()))
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// heap returns the bytes of live heap objects after a collection.
func heap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkTalkAfterChanges decides talk on the directory that 100,000
// changes made (dir=changed) and on NewDirectory of the same content
// (dir=fresh), with the same questions: the cost of deciding on a directory
// that has lived. At a million users.
func BenchmarkTalkAfterChanges(b *testing.B) {
	n := userCounts[len(userCounts)-1]
	if smoke() {
		n = userCounts[1]
	}
	w := freshWorld(n)
	cs := stream(w, 2, streamLen)
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range cs { // one at a time, as a service follows a log
		if d, err = d.With(c); err != nil {
			b.Fatal(err)
		}
	}
	qs := queries(b, w)
	w, cs = nil, nil
	for _, dir := range []struct {
		name string
		d    func() *extlink.Directory
	}{{"changed", func() *extlink.Directory { return d }}, {"fresh", func() *extlink.Directory { return rebuild(b, d) }}} {
		b.Run(fmt.Sprintf("users=%d/dir=%s", n, dir.name), func(b *testing.B) {
			decideTalk(b, dir.d(), qs)
		})
	}
}
