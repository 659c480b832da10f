package extlink_test

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/internal/gen"
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
	})
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
	w := gen.New(gen.Config{Users: 20_000, BigTenant: 2_000, Seed: 7})
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
