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
