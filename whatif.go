package extlink

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// WhatIfQuery says what [WhatIf] compares.
type WhatIfQuery struct {
	Users []UserID // talk and call decisions between every two of these
	// Around asks for the talk and call decisions between each of these
	// users and everyone who is their colleague or linked with them, in
	// either directory: every decision of theirs that can flip, since only
	// colleagues and linked users are ever allowed to talk or call (R1,
	// R2). Give the users a change touches (see [Touched]) and the cost
	// follows the change, not the square of the directory (R25). Pairs
	// also among Users are compared once.
	Around   []UserID
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
	compare := func(a, b UserID) {
		for _, decide := range [...]func(Store, UserID, UserID) Decision{CanTalk, CanCall} {
			x, y := decide(before, a, b), decide(after, a, b)
			if x.Allowed != y.Allowed {
				r.Flips = append(r.Flips, Flip{Before: x, After: y})
			}
		}
	}
	for i, a := range q.Users {
		for _, b := range q.Users[i+1:] {
			if cx.stop() {
				return Report{}, cx.err
			}
			if a != b {
				compare(a, b)
			}
		}
	}
	pairs, err := aroundPairs(&cx, before, after, q)
	if err != nil {
		return Report{}, err
	}
	for _, p := range pairs {
		if cx.stop() {
			return Report{}, cx.err
		}
		compare(p[0], p[1])
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

// aroundPairs returns the pairs of q.Around's users with their colleagues
// and linked users, in either directory, each once and not among q.Users,
// ordered by the two IDs.
func aroundPairs(cx *canceller, before, after Store, q WhatIfQuery) ([][2]UserID, error) {
	if len(q.Around) == 0 {
		return nil, nil
	}
	users := map[UserID]bool{}
	for _, u := range q.Users {
		users[u] = true
	}
	seen := map[[2]UserID]bool{}
	var out [][2]UserID
	add := func(a, b UserID) {
		if a == b || users[a] && users[b] {
			return
		}
		if b < a {
			a, b = b, a
		}
		if p := [2]UserID{a, b}; !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	moved := map[TenantID][]UserID{} // by tenant: who is a member in one directory only
	for _, a := range q.Around {
		// Colleagues in both directories can flip only a call, and only if
		// their tenant's calls switch changed (R1): where it did not, a's
		// colleagues to compare are those who joined or left the tenant.
		ub, okb := before.User(a)
		ua, oka := after.User(a)
		steady := okb && oka && ub.Kind == WorksUser && ua.Kind == WorksUser && ub.Tenant == ua.Tenant &&
			sameCalls(before, after, ub.Tenant)
		if steady {
			ms, ok := moved[ub.Tenant]
			if !ok {
				var err error
				if ms, err = membersMoved(cx, before, after, ub.Tenant); err != nil {
					return nil, err
				}
				moved[ub.Tenant] = ms
			}
			for _, b := range ms {
				add(a, b)
			}
		}
		for _, s := range [...]Store{before, after} {
			u, ok := s.User(a)
			if !ok {
				continue
			}
			for b := range s.Links(a) {
				if cx.stop() {
					return nil, cx.err
				}
				add(a, b)
			}
			if u.Kind == WorksUser && !steady {
				for b := range s.Members(u.Tenant) {
					if cx.stop() {
						return nil, cx.err
					}
					add(a, b)
				}
			}
		}
	}
	slices.SortFunc(out, func(x, y [2]UserID) int {
		if c := strings.Compare(string(x[0]), string(y[0])); c != 0 {
			return c
		}
		return strings.Compare(string(x[1]), string(y[1]))
	})
	return out, nil
}

// sameCalls reports whether tenant t is in both directories with the same
// calls switch (R1).
func sameCalls(before, after Store, t TenantID) bool {
	tb, okb := before.Tenant(t)
	ta, oka := after.Tenant(t)
	return okb && oka && tb.Policy.NoCalls == ta.Policy.NoCalls
}

// membersMoved returns the users who are members of t in one of the
// directories only, in ID order.
func membersMoved(cx *canceller, before, after Store, t TenantID) ([]UserID, error) {
	in := map[UserID]int{}
	for i, s := range [...]Store{before, after} {
		for u := range s.Members(t) {
			if cx.stop() {
				return nil, cx.err
			}
			in[u] |= 1 << i
		}
	}
	var out []UserID
	for u, sides := range in {
		if sides != 3 {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Touched returns the users whose talk and call decisions the changes can
// change, in d, the directory they apply to, in ID order: the users a change
// names, both ends of a link added or removed, and every member of a
// tenant whose policy is set. It is what [WhatIfQuery].Around wants.
func Touched(d Store, changes ...Change) []UserID {
	set := map[UserID]bool{}
	for _, c := range changes {
		switch c.Op {
		case ChangePolicy:
			if d != nil {
				for u := range d.Members(c.Tenant.ID) {
					set[u] = true
				}
			}
		case ChangeConnected, ChangeAddUser, ChangeSetUser, ChangeRemoveUser:
			set[c.User.ID] = true
		case ChangeAddLink, ChangeRemoveLink:
			set[c.Link.A], set[c.Link.B] = true, true
		}
	}
	return slices.Sorted(maps.Keys(set))
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
