package extlink_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// chainWorld is the chain c0-c1-...-cL, each user in an open tenant of its
// own: PlanGroup from c0 to cL once took quadratic time (L=4000: 34 s).
func chainWorld(tb testing.TB, l int) *extlink.Directory {
	tb.Helper()
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	var ts []extlink.Tenant
	var us []extlink.User
	var ls []extlink.Link
	for i := 0; i <= l; i++ {
		t := extlink.TenantID(fmt.Sprintf("t%d", i))
		ts = append(ts, extlink.Tenant{ID: t, Policy: open})
		us = append(us, extlink.User{ID: extlink.UserID(fmt.Sprintf("c%d", i)), Tenant: t})
		if i > 0 {
			ls = append(ls, extlink.Link{A: us[i-1].ID, B: us[i].ID})
		}
	}
	d, err := extlink.NewDirectory(ts, us, ls)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// R22: PlanGroupContext returns the context's error once it is done,
// within milliseconds of the cancellation even on a long search, and
// PlanGroup's answer otherwise.
func TestPlanGroupContext(t *testing.T) {
	d := postWorld()
	want, err := extlink.PlanGroup(d, "me", "b")
	if err != nil {
		t.Fatal(err)
	}
	got, err := extlink.PlanGroupContext(context.Background(), d, "me", "b")
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("PlanGroupContext(Background) = %v, %v; want %v", got, err, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p, err := extlink.PlanGroupContext(ctx, d, "me", "b"); !errors.Is(err, context.Canceled) || p != nil {
		t.Errorf("cancelled before: %v, %v; want context.Canceled", p, err)
	}

	const l = 3000
	chain := chainWorld(t, l)
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	p, err := extlink.PlanGroupContext(ctx, chain, "c0", extlink.UserID(fmt.Sprintf("c%d", l)))
	late := time.Since(start) - 20*time.Millisecond
	switch {
	case err == nil:
		t.Logf("the chain's plan came within the deadline: %d steps", len(p))
	case !errors.Is(err, context.DeadlineExceeded) || p != nil:
		t.Errorf("got %v, %v; want context.DeadlineExceeded", p, err)
	case late > 200*time.Millisecond:
		t.Errorf("returned %v after the deadline, want milliseconds", late)
	}
}

// bigTenant is t1 of n members where nobody may create a group, half of
// them linked with one outsider o of t2: no exposure at all, yet the audit
// once took n^3 time and more (n=200, no limit: 23 s).
func bigTenant(tb testing.TB, n int) *extlink.Directory {
	tb.Helper()
	closed := extlink.Policy{Works: extlink.AccessAll}
	us := []extlink.User{{ID: "o", Tenant: "t2"}}
	var ls []extlink.Link
	for i := range n {
		u := extlink.UserID(fmt.Sprintf("u%03d", i))
		us = append(us, extlink.User{ID: u, Tenant: "t1"})
		if i%2 == 0 {
			ls = append(ls, extlink.Link{A: u, B: "o"})
		}
	}
	d, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1", Policy: closed}, {ID: "t2", Policy: closed}}, us, ls)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// R25: WhatIfContext returns the context's error once it is done, within
// milliseconds even while the exposure's audit is searching, and WhatIf's
// report otherwise.
func TestWhatIfContext(t *testing.T) {
	d := postWorld()
	q := extlink.WhatIfQuery{Users: []extlink.UserID{"a", "b", "me"}, Tenant: "t1", MaxSteps: 4}
	want, err := extlink.WhatIf(d, d, q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := extlink.WhatIfContext(context.Background(), d, d, q)
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("WhatIfContext(Background) = %v, %v; want %v", got, err, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := extlink.WhatIfContext(ctx, d, d, q); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v; want context.Canceled", err)
	}

	big := bigTenant(t, 200)
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	r, err := extlink.WhatIfContext(ctx, big, big, extlink.WhatIfQuery{Tenant: "t1"})
	late := time.Since(start) - 20*time.Millisecond
	switch {
	case err == nil:
		t.Logf("the audit ended within the deadline: %v", r)
	case !errors.Is(err, context.DeadlineExceeded):
		t.Errorf("got %v; want context.DeadlineExceeded", err)
	case late > 200*time.Millisecond:
		t.Errorf("returned %v after the deadline, want milliseconds", late)
	}
}

// R22: an isolated target (an open tenant of its own, no links) costs
// what its own side reaches, not me's whole component: a handful of
// allocations, not one per user of a big open tenant. (1M users: 20 s.)
func TestPlanGroupIsolatedTargetIsCheap(t *testing.T) {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	us := []extlink.User{{ID: "b", Tenant: "t2"}}
	var ls []extlink.Link
	for i := range 20_000 {
		us = append(us, extlink.User{ID: extlink.UserID(fmt.Sprintf("u%05d", i)), Tenant: "t1"})
		if i > 0 && i%50 == 0 { // links to tenants of their own, as a big world has
			ts := extlink.TenantID(fmt.Sprintf("x%05d", i))
			us = append(us, extlink.User{ID: extlink.UserID(ts), Tenant: ts})
			ls = append(ls, extlink.Link{A: us[len(us)-2].ID, B: extlink.UserID(ts)})
		}
	}
	ts := []extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}}
	for _, u := range us {
		if u.Tenant != "t1" && u.Tenant != "t2" {
			ts = append(ts, extlink.Tenant{ID: u.Tenant, Policy: open})
		}
	}
	d, err := extlink.NewDirectory(ts, us, ls)
	if err != nil {
		t.Fatal(err)
	}
	var perr error
	allocs := testing.AllocsPerRun(3, func() { _, perr = extlink.PlanGroup(d, "u00000", "b") })
	if !errors.Is(perr, extlink.ErrUnreachable) || !errors.Is(perr, extlink.ErrNotLinked) {
		t.Fatalf("got %v, want unreachable: not linked", perr)
	}
	if allocs > 500 {
		t.Errorf("PlanGroup to an isolated target: %v allocations, want a few dozen", allocs)
	}
}

// R23: a tenant where nobody may create a group, and nobody it can reach
// either, is audited in time linear in its members: no exposure, and
// allocations that grow with n, not n^2 (n=200, no limit: 23 s before).
func TestAuditNoCreatorIsLinear(t *testing.T) {
	run := func(n, limit int) float64 {
		d := bigTenant(t, n)
		return testing.AllocsPerRun(2, func() {
			seq, err := extlink.Audit(d, "t1", limit)
			if err != nil {
				t.Fatal(err)
			}
			for e := range seq {
				t.Fatalf("n=%d: exposure %v, want none", n, e)
			}
		})
	}
	for _, limit := range []int{0, 4, 7} {
		small, big := run(200, limit), run(800, limit)
		if big > 8*small {
			t.Errorf("limit %d: %v allocations for 200 members, %v for 800: superlinear", limit, small, big)
		}
	}
}

// R22: whenever the context runs out, during the search or while the plan
// is built from it, PlanGroupContext returns either the whole plan or the
// context's error, never a plan or error of a search cut short. (Building
// walks neighbours too; a deadline that fell there gave "plan chain
// broken".)
func TestPlanGroupContextAnyDeadline(t *testing.T) {
	const l = 1000
	chain := chainWorld(t, l)
	target := extlink.UserID(fmt.Sprintf("c%d", l))
	want, err := extlink.PlanGroup(chain, "c0", target)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := extlink.PlanGroup(chain, "c0", target); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	for i := range 60 {
		ctx, cancel := context.WithTimeout(context.Background(), full*time.Duration(i)/40)
		p, err := extlink.PlanGroupContext(ctx, chain, "c0", target)
		cancel()
		switch {
		case err == nil && !cmp.Equal(p, want):
			t.Fatalf("deadline %d/40 of a search: a different plan of %d steps", i, len(p))
		case err != nil && !errors.Is(err, context.DeadlineExceeded):
			t.Fatalf("deadline %d/40 of a search: %v", i, err)
		}
	}
}

// creatorTenant is t1 of n members, closed to group creation, and t2 of n
// outsiders who may create groups, member i linked with outsider i when
// linked(i): each member not linked with an outsider is exposed to it in 5
// steps, through a colleague linked with it.
func creatorTenant(tb testing.TB, n int, linked func(i int) int) *extlink.Directory {
	tb.Helper()
	closed := extlink.Policy{Works: extlink.AccessAll}
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	var us []extlink.User
	var ls []extlink.Link
	outsiders := map[int]bool{}
	for i := range n {
		u := extlink.UserID(fmt.Sprintf("u%04d", i))
		us = append(us, extlink.User{ID: u, Tenant: "t1"})
		if j := linked(i); j >= 0 {
			o := extlink.UserID(fmt.Sprintf("o%04d", j))
			if !outsiders[j] {
				outsiders[j] = true
				us = append(us, extlink.User{ID: o, Tenant: "t2"})
			}
			ls = append(ls, extlink.Link{A: u, B: o})
		}
	}
	d, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1", Policy: closed}, {ID: "t2", Policy: open}}, us, ls)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// R23: with a group creator within reach (BenchmarkAuditOneCreator), the
// members who share their links (none, or the same outsider) share one
// search: the audit's work grows linearly with the tenant, not with its
// square, and every row is PlanGroup's.
func TestAuditOneCreatorIsLinear(t *testing.T) {
	half := func(i int) int {
		if i%2 == 0 {
			return 0
		}
		return -1
	}
	run := func(n, limit int) int {
		d := creatorTenant(t, n, half)
		units := 0
		seq, err := extlink.AuditUnits(d, "t1", limit, &units)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for e := range seq {
			rows++
			if p, err := extlink.PlanGroup(d, e.Member, e.Outsider); err != nil || len(p) != e.Steps || e.Steps != 5 {
				t.Fatalf("n=%d: %v; PlanGroup: %d steps, %v", n, e, len(p), err)
			}
		}
		if want := n / 2; limit != 4 && rows != want {
			t.Fatalf("n=%d, limit %d: %d rows, want %d", n, limit, rows, want)
		}
		return units
	}
	for _, limit := range []int{0, 4, 7} {
		small, big := run(200, limit), run(800, limit)
		if big > 6*small {
			t.Errorf("limit %d: %d units of work for 200 members, %d for 800: superlinear", limit, small, big)
		}
	}
}

// R23: breaking out of the audit's range stops the work at once: no unit of
// work is done after the consumer's break, and the first row comes after
// the first member's search (which finds the branches up to creators that
// later members reuse), not the tenant's: here a sixth of the work.
func TestAuditBreakStopsWork(t *testing.T) {
	d := creatorTenant(t, 100, func(i int) int { return i }) // every member its own link: no search shared
	total := 0
	seq, err := extlink.AuditUnits(d, "t1", 0, &total)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for range seq {
		rows++
	}
	for _, stopAt := range []int{1, 2, 150, rows / 2} {
		units := 0
		seq, err := extlink.AuditUnits(d, "t1", 0, &units)
		if err != nil {
			t.Fatal(err)
		}
		n, atBreak := 0, 0
		for range seq {
			if n++; n == stopAt {
				atBreak = units
				break
			}
		}
		if units != atBreak {
			t.Errorf("break at row %d: %d units of work at the break, %d after it", stopAt, atBreak, units)
		}
		if stopAt == 1 && atBreak*4 > total {
			t.Errorf("the first row came after %d of the audit's %d units of work: not streamed", atBreak, total)
		}
		t.Logf("break at row %d of %d: %d of %d units", stopAt, rows, atBreak, total)
	}
}

// R23: groups that cannot help (in a tenant of their own, out of reach of
// the audited one) cost one search from their members, not a search per
// member: the no-creator tenant with such groups is audited in work linear
// in its members (n=2000 with no limit: 423 ms before, 1 ms after).
func TestAuditFarGroupsIsLinear(t *testing.T) {
	run := func(n, limit int) int {
		d := bigTenant(t, n)
		open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
		d, err := d.With(extlink.AddTenant(extlink.Tenant{ID: "t3", Policy: open}),
			extlink.AddUser(extlink.User{ID: "x1", Tenant: "t3"}), extlink.AddUser(extlink.User{ID: "x2", Tenant: "t3"}))
		if err != nil {
			t.Fatal(err)
		}
		g, err := extlink.NewGroup(d, "x1", "x2")
		if err != nil {
			t.Fatal(err)
		}
		units := 0
		seq, err := extlink.AuditUnits(d, "t1", limit, &units, g)
		if err != nil {
			t.Fatal(err)
		}
		for e := range seq {
			t.Fatalf("n=%d: exposure %v, want none", n, e)
		}
		return units
	}
	for _, limit := range []int{0, 4, 7} {
		small, big := run(200, limit), run(800, limit)
		if big > 6*small {
			t.Errorf("limit %d: %d units of work for 200 members, %d for 800: superlinear", limit, small, big)
		}
	}
}
