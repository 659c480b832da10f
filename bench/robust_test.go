package bench

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/extlink/extlink"
	worldfile "github.com/extlink/extlink/world"
)

// Adversarial inputs of issue 14: ordinary-looking data that once cost
// seconds and gigabytes.

// BenchmarkRestoreGroup restores a group whose members are all masters,
// the state that cost O(m^2) while each master was inserted into a copy of
// the set (40,000: 25 s and 15 GiB). Target: 40,000 within 50 ms.
func BenchmarkRestoreGroup(b *testing.B) {
	for _, m := range []int{1_000, 40_000} {
		ids := make([]extlink.UserID, m)
		for i := range ids {
			ids[i] = extlink.UserID(fmt.Sprintf("u%06d", m-i))
		}
		s := extlink.GroupState{Home: "t1", Members: ids, Masters: ids}
		b.Run(fmt.Sprintf("masters=%d", m), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extlink.RestoreGroup(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigGroupWorld returns a world file of n members of t1, all of them
// members and masters of one group: 1.6 MB for n = 20,000.
func bigGroupWorld(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"tenants": [{"id": "t1"}], "users": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id": "u%06d", "name": "user %06d", "tenant": "t1"}`, i, i)
	}
	b.WriteString("],\n\"groups\": [{\"home\": \"t1\", \"members\": [")
	for k := range 2 {
		if k == 1 {
			b.WriteString("], \"masters\": [")
		}
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"u%06d"`, i)
		}
	}
	b.WriteString("]}]}\n")
	return b.Bytes()
}

// BenchmarkDecodeBigGroup decodes a 1.5 MB world whose one group has every
// user as member and master: 6-9 s and 8.9 GB while RestoreGroup was
// quadratic. Target: within 200 ms.
func BenchmarkDecodeBigGroup(b *testing.B) {
	data := bigGroupWorld(20_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := worldfile.Decode("big.json", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanGroupIsolated plans from a user of the generated
// million-user world (20,000 under smoke) to a user alone in an open
// tenant of their own, with no links: unreachable. It cost 20.3 s and
// 1.27 GB while me's side grew over the whole world before the target's
// exhausted side stopped it. Target: within 1 ms.
func BenchmarkPlanGroupIsolated(b *testing.B) {
	n := 1_000_000
	if smoke() {
		n = 20_000
	}
	w := genWorld(n)
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		b.Fatal(err)
	}
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	d, err = d.With(extlink.AddTenant(extlink.Tenant{ID: "isolated", Policy: open}),
		extlink.AddUser(extlink.User{ID: "isolated", Tenant: "isolated"}))
	if err != nil {
		b.Fatal(err)
	}
	// me: the first user whose tenant lets them into external groups.
	var me extlink.UserID
	for _, u := range w.Users {
		if _, err := extlink.PlanGroup(d, u.ID, "isolated"); errors.Is(err, extlink.ErrNotLinked) {
			me = u.ID
			break
		}
	}
	if me == "" {
		b.Fatal("no user of an open tenant")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := extlink.PlanGroup(d, me, "isolated"); !errors.Is(err, extlink.ErrUnreachable) {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditNoCreator audits t1 of n members where nobody may create a
// group, half of them linked with one outsider of a tenant just as closed:
// there is no exposure at all. It cost about n^3 (n=800, 4 steps: 6.7 s)
// and more without a limit (n=200: 23 s). Target: within 50 ms.
func BenchmarkAuditNoCreator(b *testing.B) {
	benchAuditBigTenant(b, extlink.Policy{Works: extlink.AccessAll}, false)
}

// BenchmarkAuditOneCreator is BenchmarkAuditNoCreator with o's tenant
// letting its members create groups: every member not linked with o is
// exposed to o in 5 steps (o creates a group with a linked colleague, who
// brings the member in), so the limits of 0 and 7 list n/2 rows, and 4
// none. Each member's search walked the whole tenant: n searches of n.
func BenchmarkAuditOneCreator(b *testing.B) {
	benchAuditBigTenant(b, extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}, true)
}

func benchAuditBigTenant(b *testing.B, t2 extlink.Policy, exposed bool) {
	for _, c := range []struct{ n, steps int }{{800, 4}, {200, 7}, {200, 0}, {100_000, 0}} {
		closed := extlink.Policy{Works: extlink.AccessAll}
		us := []extlink.User{{ID: "o", Tenant: "t2"}}
		var ls []extlink.Link
		for i := range c.n {
			u := extlink.UserID(fmt.Sprintf("u%06d", i))
			us = append(us, extlink.User{ID: u, Tenant: "t1"})
			if i%2 == 0 {
				ls = append(ls, extlink.Link{A: u, B: "o"})
			}
		}
		d := extlink.MustNewDirectory([]extlink.Tenant{{ID: "t1", Policy: closed}, {ID: "t2", Policy: t2}}, us, ls)
		want := 0
		if exposed && c.steps != 4 {
			want = c.n / 2
		}
		b.Run(fmt.Sprintf("n=%d/steps=%d", c.n, c.steps), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				seq, err := extlink.Audit(d, "t1", c.steps)
				if err != nil {
					b.Fatal(err)
				}
				rows := 0
				for e := range seq {
					if rows++; e.Outsider != "o" || e.Steps != 5 {
						b.Fatalf("exposure %v, want 5 steps to o", e)
					}
				}
				if rows != want {
					b.Fatalf("%d rows, want %d", rows, want)
				}
			}
		})
	}
}

// BenchmarkPlanGroupChain plans along the chain c0-c1-...-cL, each user in
// an open tenant of their own, from c0 to cL: L=4000 took 34.5 s and
// L=8000 125 s (quadratic). Target: L=8000 within 50 ms.
func BenchmarkPlanGroupChain(b *testing.B) { benchChain(b, func(int) bool { return true }) }

// BenchmarkPlanGroupChainOneCreator is BenchmarkPlanGroupChain with only
// c0's tenant letting its members create groups: the plan is rooted at me,
// not where the two searches meet, so they grow over the whole chain
// before it is known to be shortest.
func BenchmarkPlanGroupChainOneCreator(b *testing.B) {
	benchChain(b, func(i int) bool { return i == 0 })
}

func benchChain(b *testing.B, creates func(i int) bool) {
	for _, l := range []int{500, 2000, 8000} {
		var ts []extlink.Tenant
		var us []extlink.User
		var ls []extlink.Link
		for i := 0; i <= l; i++ {
			t := extlink.TenantID(fmt.Sprintf("t%d", i))
			open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: creates(i)}
			ts = append(ts, extlink.Tenant{ID: t, Policy: open})
			us = append(us, extlink.User{ID: extlink.UserID(fmt.Sprintf("c%d", i)), Tenant: t})
			if i > 0 {
				ls = append(ls, extlink.Link{A: us[i-1].ID, B: us[i].ID})
			}
		}
		d := extlink.MustNewDirectory(ts, us, ls)
		b.Run(fmt.Sprintf("L=%d", l), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extlink.PlanGroup(d, "c0", us[l].ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuditFarGroups is BenchmarkAuditNoCreator given two groups in a
// tenant of their own, out of t1's reach: no group can help, and no
// member has an exposure. Each member once searched the region it reaches
// for groups near it: n searches of n without a limit.
func BenchmarkAuditFarGroups(b *testing.B) {
	for _, c := range []struct{ n, steps int }{{800, 4}, {2000, 0}, {100_000, 0}} {
		closed := extlink.Policy{Works: extlink.AccessAll}
		open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
		us := []extlink.User{{ID: "o", Tenant: "t2"}, {ID: "x1", Tenant: "t3"}, {ID: "x2", Tenant: "t3"}}
		var ls []extlink.Link
		for i := range c.n {
			u := extlink.UserID(fmt.Sprintf("u%06d", i))
			us = append(us, extlink.User{ID: u, Tenant: "t1"})
			if i%2 == 0 {
				ls = append(ls, extlink.Link{A: u, B: "o"})
			}
		}
		d := extlink.MustNewDirectory([]extlink.Tenant{{ID: "t1", Policy: closed}, {ID: "t2", Policy: closed}, {ID: "t3", Policy: open}}, us, ls)
		g1, err := extlink.NewGroup(d, "x1", "x2")
		if err != nil {
			b.Fatal(err)
		}
		g2, err := extlink.NewGroup(d, "x2")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("n=%d/steps=%d", c.n, c.steps), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				seq, err := extlink.Audit(d, "t1", c.steps, g1, g2)
				if err != nil {
					b.Fatal(err)
				}
				for e := range seq {
					b.Fatalf("exposure %v, want none", e)
				}
			}
		})
	}
}
