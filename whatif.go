package extlink

import (
	"context"
	"slices"
	"strings"
)

// WhatIfQuery says what [WhatIf] compares.
type WhatIfQuery struct {
	Users    []UserID // talk and call decisions between every two of these
	Groups   []Group  // groups to reconcile with the new directory (R20); the exposure counts them (R23)
	Tenant   TenantID // whose exposure (R23) to compare; empty for none
	MaxSteps int      // the exposure's limit, as for [Audit]

	ExposureIgnoresGroups bool // the exposure counts only groups built from scratch, not Groups
}

// Flip is a decision that a change turns around.
type Flip struct {
	Before, After Decision
}

// String returns the flip in a line: "me may now talk with b (R2)" or "me
// can no longer call b: not linked (R3)".
func (f Flip) String() string {
	if f.After.Allowed {
		s := f.After.String()
		return strings.Replace(s, " may ", " may now ", 1)
	}
	return strings.Replace(f.After.String(), " cannot ", " can no longer ", 1)
}

// Removal is what the change would make [Reconcile] do to one of the
// query's groups, beyond what Reconcile already does under the old
// directory.
type Removal struct {
	Group    int      // its index in the query's Groups
	Removed  []UserID // members who would be removed, sorted
	Promoted []UserID // members who would become masters (D6), sorted
	After    Group    // the group reconciled with the new directory
}

// ExposureChange is an exposure that a change creates, ends or shortens.
type ExposureChange struct {
	Member, Outsider UserID
	Before, After    int // steps before and after; 0 for none (an exposure already played, of 0 steps, counts as none here)
}

// Report is what [WhatIf] finds.
type Report struct {
	Flips    []Flip           // decisions that turn around, talk before call, in the order of the users given
	Removals []Removal        // groups that Reconcile would change, in the order given
	Exposure []ExposureChange // exposure gained, lost or changed, by member and outsider
}

// Empty reports whether the change would change nothing asked about.
func (r Report) Empty() bool {
	return len(r.Flips) == 0 && len(r.Removals) == 0 && len(r.Exposure) == 0
}

// WhatIf compares two directories, typically d and d.With(change) (R25),
// and reports which talk and call decisions between the query's users flip,
// which members of the query's groups [Reconcile] would remove under the new
// directory that it would keep under the old one (and who would become
// master), and how the tenant's exposure to the post's trick changes,
// counting the query's groups as each directory's Reconcile leaves them
// (R23). It is pure: it changes neither store nor any group. An unknown
// tenant is an error. It is [WhatIfContext] with [context.Background].
func WhatIf(before, after Store, q WhatIfQuery) (Report, error) {
	return WhatIfContext(context.Background(), before, after, q)
}

// WhatIfContext is [WhatIf] that stops when ctx is done: it then returns
// ctx's error (unwrapped) and no report. It asks ctx every thousand or so
// decisions, links or members it looks at, in the exposure's searches too,
// so that a cancelled comparison returns within milliseconds (R25).
func WhatIfContext(ctx context.Context, before, after Store, q WhatIfQuery) (Report, error) {
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	cx := newCanceller(ctx)
	var r Report
	for i, a := range q.Users {
		for _, b := range q.Users[i+1:] {
			if cx.stop() {
				return Report{}, cx.err
			}
			if a == b {
				continue
			}
			for _, decide := range [...]func(Store, UserID, UserID) Decision{CanTalk, CanCall} {
				x, y := decide(before, a, b), decide(after, a, b)
				if x.Allowed != y.Allowed {
					r.Flips = append(r.Flips, Flip{Before: x, After: y})
				}
			}
		}
	}
	for i, g := range q.Groups {
		if cx.stopped() {
			return Report{}, cx.err
		}
		// What the change itself causes: a member the old directory already
		// keeps out is not the change's doing.
		base, n := Reconcile(before, g), Reconcile(after, g)
		if n.Equal(base) {
			continue
		}
		rm := Removal{Group: i, After: n}
		for _, m := range base.Members() {
			if !n.Has(m) {
				rm.Removed = append(rm.Removed, m)
			}
		}
		for _, m := range n.Masters() {
			if !base.IsMaster(m) {
				rm.Promoted = append(rm.Promoted, m)
			}
		}
		r.Removals = append(r.Removals, rm)
	}
	if q.Tenant != "" {
		groups := q.Groups
		if q.ExposureIgnoresGroups {
			groups = nil
		}
		ex, err := exposureChanges(ctx, before, after, q.Tenant, q.MaxSteps, groups)
		if err != nil {
			return Report{}, err
		}
		r.Exposure = ex
	}
	return r, nil
}

// exposureChanges merges the two audits, both sorted by member and outsider.
func exposureChanges(ctx context.Context, before, after Store, t TenantID, maxSteps int, groups []Group) ([]ExposureChange, error) {
	collect := func(s Store) (map[[2]UserID]int, error) {
		gs := make([]Group, len(groups))
		for i, g := range groups {
			gs[i] = Reconcile(s, g)
		}
		seq, err := audit(ctx, s, t, maxSteps, gs)
		if err != nil {
			return nil, err
		}
		m := map[[2]UserID]int{}
		for e := range seq {
			if e.Steps > 0 {
				m[[2]UserID{e.Member, e.Outsider}] = e.Steps
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err // the audit ended early
		}
		return m, nil
	}
	b, err := collect(before)
	if err != nil {
		return nil, err
	}
	a, err := collect(after)
	if err != nil {
		return nil, err
	}
	var out []ExposureChange
	for k, x := range b {
		if y := a[k]; y != x {
			out = append(out, ExposureChange{Member: k[0], Outsider: k[1], Before: x, After: y})
		}
	}
	for k, y := range a {
		if _, ok := b[k]; !ok {
			out = append(out, ExposureChange{Member: k[0], Outsider: k[1], After: y})
		}
	}
	slices.SortFunc(out, func(x, y ExposureChange) int {
		if c := strings.Compare(string(x.Member), string(y.Member)); c != 0 {
			return c
		}
		return strings.Compare(string(x.Outsider), string(y.Outsider))
	})
	return out, nil
}
