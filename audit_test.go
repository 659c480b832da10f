package extlink_test

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// R23: on random worlds of up to 30 users, with random existing groups, the
// audit of every tenant lists exactly the pairs (member, outsider) that
// PlanGroup, given the same groups, can join without a link, with
// PlanGroup's length; a limit keeps the shorter ones.
func TestAuditMatchesPlanGroup(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genPlanWorld(t, 5, 30)
		checkAuditMatchesPlanGroup(t, w)
	})
}

// R23 where members share their links: as above, on random worlds where a
// few users have clones, colleagues with the same links and rights (the
// members whose searches the audit shares), so that one's plans could pass
// through another.
func TestAuditClassmatesMatchPlanGroup(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genPlanWorld(t, 4, 14)
		for i, n := 0, len(w.Users); i < n; i++ {
			u := w.Users[i]
			if u.Kind != extlink.WorksUser || rapid.IntRange(0, 2).Draw(t, "clone") == 0 {
				continue
			}
			for k := range rapid.IntRange(1, 3).Draw(t, "clones") {
				c := u
				c.ID = extlink.UserID(fmt.Sprintf("%s.%d", u.ID, k))
				if rapid.IntRange(0, 4).Draw(t, "role") == 0 {
					c.Role = extlink.Admin - c.Role // a different right: another class
				}
				w.Users = append(w.Users, c)
				for _, l := range w.Links {
					switch u.ID {
					case l.A:
						w.Links = append(w.Links, extlink.Link{A: c.ID, B: l.B})
					case l.B:
						w.Links = append(w.Links, extlink.Link{A: l.A, B: c.ID})
					}
				}
			}
		}
		checkAuditMatchesPlanGroup(t, w)
	})
}

// checkAuditMatchesPlanGroup audits every tenant of w, under a drawn limit
// and with drawn groups, against PlanGroup for every pair.
func checkAuditMatchesPlanGroup(t *rapid.T, w world) {
	d := mustDir(t, w)
	limit := rapid.SampledFrom([]int{0, 0, 4, 5, 7}).Draw(t, "limit")
	var ids []extlink.UserID
	for _, u := range w.Users {
		ids = append(ids, u.ID)
	}
	groups := genGroups(t, d, ids, 3)
	for _, tn := range w.Tenants {
		want := map[string]int{}
		for _, m := range w.Users {
			if m.Tenant != tn.ID || m.Kind != extlink.WorksUser {
				continue
			}
			for _, o := range w.Users {
				if o.Kind != extlink.WorksUser || o.Tenant == tn.ID || w.linked(m.ID, o.ID) {
					continue
				}
				if p, err := extlink.PlanGroup(d, m.ID, o.ID, groups...); err == nil && (limit <= 0 || len(p) <= limit) {
					want[string(m.ID)+">"+string(o.ID)] = len(p)
				} else if err != nil && !errors.Is(err, extlink.ErrUnreachable) {
					t.Fatal(err)
				}
			}
		}
		seq, err := extlink.Audit(d, tn.ID, limit, groups...)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		var order []string
		for e := range seq {
			k := string(e.Member) + ">" + string(e.Outsider)
			got[k] = e.Steps
			order = append(order, fmt.Sprintf("%s\x00%s", e.Member, e.Outsider))
			for _, v := range e.Via {
				if v == e.Member || v == e.Outsider {
					t.Fatalf("%v: Via names an end", e)
				}
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("tenant %s, limit %d: audit (-PlanGroup +Audit):\n%s", tn.ID, limit, diff)
		}
		if !slices.IsSorted(order) {
			t.Fatalf("not sorted: %q", order)
		}
	}
}

func TestAuditUnknownTenant(t *testing.T) {
	if _, err := extlink.Audit(postDir(t, nil), "t9", 4); err == nil {
		t.Error("unknown tenant accepted")
	}
	if _, err := extlink.Audit(nil, "t1", 4); err == nil {
		t.Error("nil store accepted")
	}
}

// countingStore counts the users whose links a search reads: the users it
// expands.
type countingStore struct {
	extlink.Store
	links int
}

func (s *countingStore) Links(u extlink.UserID) iter.Seq[extlink.UserID] {
	s.links++
	return s.Store.Links(u)
}

// R23: the audit streams. On a large generated world the first row comes
// after a small part of the work the whole audit does (counted as users
// expanded, not as time), and breaking out of the range stops the work.
func TestAuditStreams(t *testing.T) {
	w := extlinktest.Large(extlinktest.LargeConfig{Users: 20_000, BigTenant: 2_000, Seed: 7})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		t.Fatal(err)
	}
	for _, tn := range []extlink.TenantID{"t0000000"} { // 2,000 members
		s := &countingStore{Store: d}
		seq, err := extlink.Audit(s, tn, 4)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for range seq {
			rows++
			break
		}
		first := s.links
		if rows == 0 {
			t.Fatalf("%s: no exposure to stream", tn)
		}
		s.links = 0
		rows = 0
		for range seq {
			rows++
		}
		total := s.links
		t.Logf("%s: %d rows; users expanded before the first row %d, for all %d", tn, rows, first, total)
		if first*20 > total {
			t.Errorf("%s: the first row came after %d of %d expansions: not streamed", tn, first, total)
		}
	}
}

// R23 on larger worlds with groups: for sampled (member, outsider) pairs,
// the audit's row agrees with PlanGroup given the same groups; the bounds
// that spare the audit most PlanGroup calls must never drop a row.
func TestAuditGroupsAgreeOnBigWorlds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genBigTenantWorld(t)
		d := mustDir(t, w)
		var ids []extlink.UserID
		for _, u := range w.Users {
			ids = append(ids, u.ID)
		}
		groups := genGroups(t, d, ids, 6)
		limit := rapid.SampledFrom([]int{4, 5, 6}).Draw(t, "limit")
		tn := rapid.SampledFrom(w.Tenants).Draw(t, "tenant").ID
		seq, err := extlink.Audit(d, tn, limit, groups...)
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]extlink.UserID]int{}
		for e := range seq {
			got[[2]extlink.UserID{e.Member, e.Outsider}] = e.Steps
		}
		var members, outsiders []extlink.UserID
		for _, u := range w.Users {
			switch {
			case u.Tenant == tn:
				members = append(members, u.ID)
			case u.Kind == extlink.WorksUser:
				outsiders = append(outsiders, u.ID)
			}
		}
		if len(members) == 0 || len(outsiders) == 0 {
			return
		}
		for range 30 {
			m := rapid.SampledFrom(members).Draw(t, "member")
			o := rapid.SampledFrom(outsiders).Draw(t, "outsider")
			if w.linked(m, o) {
				continue
			}
			p, err := extlink.PlanGroup(d, m, o, groups...)
			want, ok := len(p), err == nil && len(p) <= limit
			if g, in := got[[2]extlink.UserID{m, o}]; in != ok || ok && g != want {
				t.Fatalf("%s -> %s: audit %d (listed %v), PlanGroup %d (%v)\n%v", m, o, g, in, want, err, p)
			}
		}
	})
}

// R23: a limit above what any plan can need is no limit, never a 32-bit
// truncation that would hide the post's exposure; a negative limit is bad
// input.
func TestAuditMaxStepsRange(t *testing.T) {
	d := postWorld()
	for _, limit := range []int{0, 4, 1 << 30, 1 << 31, 1<<32 + 3, 1<<32 + 4, math.MaxInt64} {
		seq, err := extlink.Audit(d, "t1", limit)
		if err != nil {
			t.Fatalf("maxSteps %d: %v", limit, err)
		}
		var got []string
		for e := range seq {
			got = append(got, e.String())
		}
		if want := []string{"me -> b: 4 steps via a"}; !slices.Equal(got, want) {
			t.Errorf("maxSteps %d: got %q, want %q", limit, got, want)
		}
	}
	for _, limit := range []int{-1, math.MinInt64} {
		if _, err := extlink.Audit(d, "t1", limit); !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("maxSteps %d: got %v, want an error wrapping ErrInvalid", limit, err)
		}
	}
}

// R23: a plan from an existing group in which me joins, takes the master
// role and then invites target's chain itself. The audit's lower bound
// counted target's chain from the group only (9 steps, from a new group),
// and so missed PlanGroup's 8: u1 invites u5, hands it the master role, u5
// invites u3 and appoints it, u3 invites its colleague u4, u1 (an admin)
// leaves, u5 removes u2 and u3.
func TestAuditGroupChainFromMe(t *testing.T) {
	closed := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll}
	var ts []extlink.Tenant
	for _, id := range []extlink.TenantID{"t1", "t2", "t5"} {
		ts = append(ts, extlink.Tenant{ID: id, Policy: closed})
	}
	d := extlink.MustNewDirectory(ts, []extlink.User{
		{ID: "u1", Tenant: "t2", Role: extlink.Admin, Connected: true},
		{ID: "u2", Tenant: "t5", Connected: true},
		{ID: "u3", Tenant: "t1", Connected: true},
		{ID: "u4", Tenant: "t1", Connected: true},
		{ID: "u5", Tenant: "t2", Connected: true},
		{ID: "u6", Tenant: "t5", Connected: true},
	}, []extlink.Link{{A: "u1", B: "u2"}, {A: "u1", B: "u6"}, {A: "u2", B: "u3"}, {A: "u2", B: "u5"}, {A: "u3", B: "u5"}, {A: "u3", B: "u6"}, {A: "u5", B: "u6"}})
	g, err := extlink.NewGroup(d, "u1", "u2")
	if err != nil {
		t.Fatal(err)
	}
	p, err := extlink.PlanGroup(d, "u5", "u4", g)
	if err != nil || len(p) != 8 {
		t.Fatalf("PlanGroup = %d steps, %v; want 8\n%v", len(p), err, p)
	}
	seq, err := extlink.Audit(d, "t2", 0, g)
	if err != nil {
		t.Fatal(err)
	}
	for e := range seq {
		if e.Member == "u5" && e.Outsider == "u4" {
			if e.Steps != 8 || e.Group != 1 {
				t.Errorf("audit: %v from group %d, want 8 steps from group 1", e, e.Group)
			}
			return
		}
	}
	t.Error("audit: no exposure of u5 to u4")
}

// R23 with an existing group, where me is reached through target itself:
// u1 (a member) invites u5, the target, who invites u2, who invites u6,
// me. The audit's bound counted u5 as a full intermediary of me's chain
// and kept the plan from scratch, one step longer (found by CI's longer
// property run).
func TestAuditTargetOnMesChain(t *testing.T) {
	all := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll}
	creators := all
	creators.MembersCreateGroups = true
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{LINE: extlink.AccessAll}}, {ID: "t2", Policy: all}, {ID: "t3", Policy: all}, {ID: "t4", Policy: creators}},
		[]extlink.User{{ID: "u1", Tenant: "t2", Connected: true}, {ID: "u2", Tenant: "t3", Connected: true}, {ID: "u3", Tenant: "t4", Connected: true},
			{ID: "u4", Tenant: "t1", Connected: true}, {ID: "u5", Tenant: "t2", Connected: true}, {ID: "u6", Tenant: "t3", Connected: true}},
		[]extlink.Link{{A: "u1", B: "u3"}, {A: "u1", B: "u4"}, {A: "u2", B: "u4"}, {A: "u2", B: "u5"}, {A: "u3", B: "u4"}, {A: "u4", B: "u5"}, {A: "u4", B: "u6"}},
	)
	g, err := extlink.NewGroup(d, "u3", "u1")
	if err != nil {
		t.Fatal(err)
	}
	p, err := extlink.PlanGroup(d, "u6", "u5", g)
	if err != nil {
		t.Fatal(err)
	}
	seq, err := extlink.Audit(d, "t3", 0, g)
	if err != nil {
		t.Fatal(err)
	}
	for e := range seq {
		if e.Member == "u6" && e.Outsider == "u5" && e.Steps != len(p) {
			t.Fatalf("audit: %d steps, PlanGroup: %d (%v)", e.Steps, len(p), p)
		}
	}
}
