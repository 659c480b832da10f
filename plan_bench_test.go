package extlink_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// bigWorld is the 1,000,000-user generated directory, built once per
// process; 20,000 users under -short, for smoke runs.
var bigWorld = sync.OnceValues(func() (*extlinktest.LargeWorld, *extlink.Directory) {
	n, big := 1_000_000, 10_000
	if testing.Short() {
		n, big = 20_000, 2_000
	}
	w := extlinktest.Large(extlinktest.LargeConfig{Users: n, BigTenant: big, Seed: 1})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		panic(err)
	}
	return w, d
})

// planPairs picks n (me, target) pairs of a given shape whose shortest
// plan has exactly steps steps. Shapes: around a link x-y, "colleague"
// takes me among x's colleagues and target y (one intermediary, 4 steps);
// "colleagues" takes target among y's colleagues too (two, 7 steps); "link"
// takes me among x's other links and target among y's colleagues (two, 7).
func planPairs(w *extlinktest.LargeWorld, d *extlink.Directory, shape string, steps, n int) [][2]extlink.UserID {
	rng := rand.New(rand.NewPCG(uint64(steps), uint64(len(shape))))
	var out [][2]extlink.UserID
	for tries := 0; len(out) < n && tries < 200_000; tries++ {
		l := w.Links[rng.IntN(len(w.Links))]
		x, _ := d.User(l.A)
		y, _ := d.User(l.B)
		if x.Kind != extlink.WorksUser || y.Kind != extlink.WorksUser {
			continue
		}
		xs, ys := w.Members(x.Tenant), w.Members(y.Tenant)
		me, target := xs[rng.IntN(len(xs))], l.B
		switch shape {
		case "colleagues":
			target = ys[rng.IntN(len(ys))]
		case "link":
			var others []extlink.UserID
			for u := range d.Links(l.A) {
				if u != l.B {
					others = append(others, u)
				}
			}
			if len(others) == 0 {
				continue
			}
			me, target = others[rng.IntN(len(others))], ys[rng.IntN(len(ys))]
		}
		if me == l.A || target == me {
			continue
		}
		if p, err := extlink.PlanGroup(d, me, target); err == nil && len(p) == steps {
			out = append(out, [2]extlink.UserID{me, target})
		}
	}
	return out
}

// BenchmarkPlanGroup plans on the 1,000,000-user directory (R22): pairs
// linked directly, and pairs whose shortest plan goes through one or two
// intermediaries.
func BenchmarkPlanGroup(b *testing.B) {
	w, d := bigWorld()
	direct := func() [][2]extlink.UserID {
		var out [][2]extlink.UserID
		for _, p := range w.Pairs(400, 5) {
			if p.Kind == "linked" {
				if q, err := extlink.PlanGroup(d, p.A, p.B); err == nil && len(q) <= 2 {
					out = append(out, [2]extlink.UserID{p.A, p.B})
				}
			}
		}
		return out
	}()
	for _, bc := range []struct {
		name  string
		pairs [][2]extlink.UserID
	}{
		{"users=1M/chain=direct", direct},
		{"users=1M/chain=1", planPairs(w, d, "colleague", 4, 16)},
		{"users=1M/chain=2", planPairs(w, d, "colleagues", 7, 16)},
		{"users=1M/chain=2/via=link", planPairs(w, d, "link", 7, 16)},
	} {
		if len(bc.pairs) == 0 {
			b.Fatalf("%s: no pairs", bc.name)
		}
		if testing.Short() {
			bc.name = strings.Replace(bc.name, "users=1M", "users=20k", 1)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p := bc.pairs[i%len(bc.pairs)]
				if _, err := extlink.PlanGroup(d, p[0], p[1]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAudit lists the exposure (R23) of the generated directory's
// 10,000-member tenant to the post's trick (4 steps). Seven steps (chains of
// two) is left out: that tenant's exposure then runs to some 77 million rows
// (measured once: 147 s), a size no listing makes fast.
func BenchmarkAudit(b *testing.B) {
	w, d := bigWorld()
	t := w.Tenants[0].ID // the big tenant
	users := "users=1M"
	if testing.Short() {
		users = "users=20k"
	}
	for _, steps := range []int{4} {
		b.Run(fmt.Sprintf("%s/members=%d/steps=%d", users, len(w.Members(t)), steps), func(b *testing.B) {
			b.ReportAllocs()
			rows := 0
			for b.Loop() {
				seq, err := extlink.Audit(d, t, steps)
				if err != nil {
					b.Fatal(err)
				}
				rows = 0
				for range seq {
					rows++
				}
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}
