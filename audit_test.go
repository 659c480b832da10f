package extlink_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/extlink/extlink"
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
