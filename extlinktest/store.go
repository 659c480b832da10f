package extlinktest

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// newStoreFunc builds the store under test from a directory's input.
type newStoreFunc = func(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error)

// TestStore checks that the stores newStore builds keep every promise of
// the [extlink.Store] contract and that every function of package extlink
// answers on them exactly as on a [*extlink.Directory] built from the same
// input. It draws worlds with [Worlds] (the default [Config]), hands each
// to newStore (copies: the store may keep them), and runs one subtest per
// group of promises:
//   - Lookups: User and Tenant return the input's user and tenant, all
//     fields equal, and answer false for IDs not in the input (R6);
//   - Linked: symmetric (R5), false for a user and themselves, for two
//     users of one tenant and for two LINE users, and otherwise as the
//     input's links say;
//   - Links, Members: exactly the users linked with u, or of tenant t, each
//     once, in increasing ID order (bytes, as Go compares strings: R26);
//     nothing for an unknown user or tenant; and the sequence stops when
//     the loop breaks;
//   - Reentrant: calling the store again while ranging over Links or
//     Members (what the planner and the audit do) gives the same answers
//     and returns;
//   - Concurrent: decisions, plans and audits from several goroutines
//     agree (run the test with -race to catch a data race);
//   - Decisions: CanTalk, CanCall, CanEmail and ContactCard;
//   - Groups: NewGroup, NewRoom and the room's Invite and Convert,
//     CanInvite, every group operation and its decision (Group.Can,
//     Room.Can, CanCreate, R27), and CanTalkIn (R9), on groups drawn by
//     [Groups];
//   - PlanGroup: the plans and their refusals, and Plan.Apply;
//   - Audit: every tenant's exposure, limited and not;
//   - WhatIf: the report for a batch of changes drawn by [ValidChanges],
//     on a second store built from the changed input, and Reconcile on it.
//
// A failure names the promise broken, what the store answered and what it
// should have, and prints the input, shrunk by rapid to a small one. The
// store must accept every valid input: an error from newStore fails the
// test. It runs in a few seconds with rapid's default 100 cases a subtest
// (-rapid.checks).
func TestStore(t *testing.T, newStore func(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error)) {
	t.Helper()
	for _, p := range promises {
		t.Run(p.name, func(t *testing.T) {
			t.Helper()
			checkPromise(t, p, newStore)
		})
	}
}

// A promise is a group of the Store contract's promises, checked together
// on each drawn world.
type promise struct {
	name  string
	check func(c *checker)
}

// promises are TestStore's subtests, the contract's own first.
var promises = []promise{
	{"Lookups", checkLookups},
	{"Linked", checkLinked},
	{"Links", checkLinks},
	{"Members", checkMembers},
	{"Reentrant", checkReentrant},
	{"Concurrent", checkConcurrent},
	{"Decisions", checkDecisions},
	{"Groups", checkGroups},
	{"PlanGroup", checkPlans},
	{"Audit", checkAudit},
	{"WhatIf", checkWhatIf},
}

// storeConfig is the Config of the worlds TestStore draws.
var storeConfig = Config{}.withDefaults()

// checkPromise checks one group of promises with rapid, reporting to tb: a
// *testing.T in TestStore, a recorder in this package's own tests.
func checkPromise(tb rapid.TB, p promise, newStore newStoreFunc) {
	tb.Helper()
	rapid.Check(tb, func(t *rapid.T) {
		w := Worlds(storeConfig).Draw(t, "world")
		c := &checker{t: t, w: w, d: mustDirectory(t, w), newStore: newStore}
		c.s = c.build(w)
		p.check(c)
	})
}

// checker checks one drawn world's store against its directory.
type checker struct {
	t        *rapid.T
	w        World
	d        *extlink.Directory
	s        extlink.Store
	newStore newStoreFunc
	extra    string // more input, printed after the world
}

// fail reports a broken promise with the input, and stops the case.
func (c *checker) fail(promise, format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("extlinktest: the store breaks a promise: %s: %s\ninput:\n%s%s", promise, fmt.Sprintf(format, args...), c.w, c.extra)
}

// build builds a store of w with newStore, from a copy of w.
func (c *checker) build(w World) extlink.Store {
	in := w.Clone()
	s, err := c.newStore(in.Tenants, in.Users, in.Links)
	switch {
	case err != nil:
		c.fail("the store accepts every valid input", "newStore: %v", err)
	case s == nil:
		c.fail("the store accepts every valid input", "newStore returned a nil Store")
	}
	return s
}

// ids returns the world's user IDs and, last, one unknown to it.
func (c *checker) ids() []extlink.UserID {
	ids := make([]extlink.UserID, 0, len(c.w.Users)+1)
	for _, u := range c.w.Users {
		ids = append(ids, u.ID)
	}
	return append(ids, unknownUser)
}

// collect ranges over seq, with a panic (an iterator that goes on after the
// loop broke) reported as the error.
func collect(seq iter.Seq[extlink.UserID], limit int) (ids []extlink.UserID, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if seq == nil {
		return nil, nil
	}
	for id := range seq {
		ids = append(ids, id)
		if limit > 0 && len(ids) == limit {
			break
		}
	}
	return ids, nil
}

func checkLookups(c *checker) {
	for _, tn := range c.w.Tenants {
		if got, ok := c.s.Tenant(tn.ID); !ok || got != tn {
			c.fail("Tenant returns the input's tenant", "Tenant(%q) = %+v, %v; want %+v, true", tn.ID, got, ok, tn)
		}
	}
	for _, u := range c.w.Users {
		if got, ok := c.s.User(u.ID); !ok || got != u {
			c.fail("User returns the input's user with the ID asked for", "User(%q) = %+v, %v; want %+v, true", u.ID, got, ok, u)
		}
	}
	// Near misses: IDs compare by bytes, never folded or trimmed (R26).
	unknown := []extlink.UserID{unknownUser, ""}
	for _, u := range c.w.Users {
		unknown = append(unknown, extlink.UserID(strings.ToUpper(string(u.ID))), u.ID+" ", u.ID[:len(u.ID)-1])
	}
	for _, tn := range c.w.Tenants {
		unknown = append(unknown, extlink.UserID(tn.ID))
	}
	for _, id := range unknown {
		if _, known := c.d.User(id); known {
			continue
		}
		if got, ok := c.s.User(id); ok {
			c.fail("User answers only for users of the input", "User(%q) = %+v, true; want false", id, got)
		}
	}
	for _, id := range []extlink.TenantID{unknownTenant, "", "T2", "t1 "} {
		if _, known := c.d.Tenant(id); known {
			continue
		}
		if got, ok := c.s.Tenant(id); ok {
			c.fail("Tenant answers only for tenants of the input", "Tenant(%q) = %+v, true; want false", id, got)
		}
	}
}

func checkLinked(c *checker) {
	ids := c.ids()
	for _, a := range ids {
		ua, _ := c.d.User(a)
		for _, b := range ids {
			ub, _ := c.d.User(b)
			got, back := c.s.Linked(a, b), c.s.Linked(b, a)
			switch {
			case got != back:
				c.fail("Linked is symmetric (R5)", "Linked(%q, %q) = %v but Linked(%q, %q) = %v", a, b, got, b, a, back)
			case got && a == b:
				c.fail("Linked is false for a user and themselves", "Linked(%q, %q) = true", a, b)
			case got && ua.Kind == extlink.WorksUser && ub.Kind == extlink.WorksUser && ua.Tenant == ub.Tenant && ua.ID != "":
				c.fail("Linked is false for two users of one tenant", "Linked(%q, %q) = true; both are of %s", a, b, ua.Tenant)
			case got && ua.Kind == extlink.LINEUser && ub.Kind == extlink.LINEUser && ua.ID != "" && ub.ID != "":
				c.fail("Linked is false for two LINE users (R6)", "Linked(%q, %q) = true", a, b)
			case got != c.d.Linked(a, b):
				c.fail("Linked agrees with the input's links", "Linked(%q, %q) = %v, want %v", a, b, got, !got)
			}
		}
	}
}

// checkSeq checks one Links or Members sequence against want, sorted.
func (c *checker) checkSeq(call string, seq iter.Seq[extlink.UserID], want []extlink.UserID) {
	c.t.Helper()
	got, err := collect(seq, 0)
	if err != nil {
		c.fail(call+" is an iterator", "ranging over %s panicked: %v", call, err)
	}
	for i := 1; i < len(got); i++ {
		switch {
		case got[i] == got[i-1]:
			c.fail(call+" yields each user once", "%s yielded %v: %s twice", call, got, got[i])
		case got[i] < got[i-1]:
			c.fail(call+" yields users in increasing ID order (bytes, as Go compares strings: R26)", "%s yielded %v, want %v", call, got, sorted(got))
		}
	}
	if !slices.Equal(got, want) {
		c.fail(call+" yields exactly the input's users", "%s yielded %v, want %v", call, got, want)
	}
	if len(want) >= 2 {
		first, err := collect(seq, 1)
		if err != nil {
			c.fail(call+" stops when the loop breaks", "breaking out of the loop over %s after one user: %v", call, err)
		}
		if len(first) != 1 || first[0] != want[0] {
			c.fail(call+" yields exactly the input's users", "%s yielded %v first, want %v", call, first, want[0])
		}
	}
}

func sorted(ids []extlink.UserID) []extlink.UserID {
	s := slices.Clone(ids)
	slices.Sort(s)
	return slices.Compact(s)
}

// links returns the users u is linked with, in d, sorted.
func (c *checker) links(u extlink.UserID) []extlink.UserID {
	var ids []extlink.UserID
	for v := range c.d.Links(u) {
		ids = append(ids, v)
	}
	return ids
}

// members returns the users of tenant t, in d, sorted.
func (c *checker) members(t extlink.TenantID) []extlink.UserID {
	var ids []extlink.UserID
	for v := range c.d.Members(t) {
		ids = append(ids, v)
	}
	return ids
}

func checkLinks(c *checker) {
	for _, u := range c.ids() {
		c.checkSeq(fmt.Sprintf("Links(%q)", u), c.s.Links(u), c.links(u))
	}
	c.checkSeq(`Links("")`, c.s.Links(""), nil)
}

// tenantIDsOf returns the world's tenant IDs and some unknown to it: the
// empty one, which LINE users have, among them.
func (c *checker) tenantIDs() []extlink.TenantID {
	var ids []extlink.TenantID
	for _, tn := range c.w.Tenants {
		ids = append(ids, tn.ID)
	}
	return append(ids, unknownTenant, "")
}

func checkMembers(c *checker) {
	for _, tn := range c.tenantIDs() {
		c.checkSeq(fmt.Sprintf("Members(%q)", tn), c.s.Members(tn), c.members(tn))
	}
}

// reentryTimeout is how long a call made while ranging may take before the
// store is taken to hold a lock across yield.
const reentryTimeout = 5 * time.Second

func checkReentrant(c *checker) {
	done := make(chan string, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Sprintf("the store panicked: %v", r)
			}
		}()
		done <- c.reenter()
	}()
	select {
	case msg := <-done:
		if msg != "" {
			c.fail("calling the store again while ranging over Links or Members gives the same answers", "%s", msg)
		}
	case <-time.After(reentryTimeout):
		c.fail("calling the store again while ranging over Links or Members returns", "a call made inside a loop over Links or Members did not return in %v: is a lock held across yield?", reentryTimeout)
	}
}

// reenter calls the store inside loops over its Links and Members, and
// returns what differed, or "". It runs on its own goroutine: it must not
// call c.fail.
func (c *checker) reenter() string {
	inner := func(outer string, v extlink.UserID) string {
		want, _ := c.d.User(v)
		if got, ok := c.s.User(v); !ok || got != want {
			return fmt.Sprintf("inside %s: User(%q) = %+v, %v; want %+v, true", outer, v, got, ok, want)
		}
		if got, _ := collect(c.s.Links(v), 0); !slices.Equal(got, c.links(v)) {
			return fmt.Sprintf("inside %s: Links(%q) yielded %v, want %v", outer, v, got, c.links(v))
		}
		if got, _ := collect(c.s.Members(want.Tenant), 0); !slices.Equal(got, c.members(want.Tenant)) {
			return fmt.Sprintf("inside %s: Members(%q) yielded %v, want %v", outer, want.Tenant, got, c.members(want.Tenant))
		}
		return ""
	}
	for _, u := range c.w.Users {
		outer := fmt.Sprintf("the loop over Links(%q)", u.ID)
		var got []extlink.UserID
		for v := range c.s.Links(u.ID) {
			got = append(got, v)
			if !c.s.Linked(u.ID, v) {
				return fmt.Sprintf("inside %s: Linked(%q, %q) = false", outer, u.ID, v)
			}
			if msg := inner(outer, v); msg != "" {
				return msg
			}
		}
		if !slices.Equal(got, c.links(u.ID)) {
			return fmt.Sprintf("%s yielded %v, want %v", outer, got, c.links(u.ID))
		}
	}
	for _, tn := range c.w.Tenants {
		outer := fmt.Sprintf("the loop over Members(%q)", tn.ID)
		var got []extlink.UserID
		for v := range c.s.Members(tn.ID) {
			got = append(got, v)
			if msg := inner(outer, v); msg != "" {
				return msg
			}
		}
		if !slices.Equal(got, c.members(tn.ID)) {
			return fmt.Sprintf("%s yielded %v, want %v", outer, got, c.members(tn.ID))
		}
	}
	return ""
}

// battery is a set of questions asked of a store, with the answers as text
// for comparing: every field of a Decision, plans, errors and exposures.
func battery(s extlink.Store, ids []extlink.UserID, tenant extlink.TenantID) []string {
	var out []string
	for _, a := range ids {
		for _, b := range ids {
			out = append(out, fmt.Sprintf("%+v", extlink.CanTalk(s, a, b)), fmt.Sprintf("%+v", extlink.CanCall(s, a, b)))
		}
	}
	for i := 1; i < len(ids) && i < 4; i++ {
		p, err := extlink.PlanGroup(s, ids[0], ids[i])
		out = append(out, fmt.Sprint(p, errText(err)))
	}
	if seq, err := extlink.Audit(s, tenant, 4); err == nil {
		for e := range seq {
			out = append(out, e.String())
		}
	}
	return out
}

func checkConcurrent(c *checker) {
	ids := c.ids()
	tenant := c.w.Tenants[0].ID
	want := battery(c.d, ids, tenant)
	const goroutines = 4
	var wg sync.WaitGroup
	errs := make([]string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[g] = fmt.Sprintf("goroutine %d panicked: %v", g, r)
				}
			}()
			for range 3 {
				if got := battery(c.s, ids, tenant); !slices.Equal(got, want) {
					errs[g] = fmt.Sprintf("goroutine %d: %s", g, cmp.Diff(want, got))
					return
				}
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			c.fail("the store is safe for concurrent use: decisions from several goroutines agree with the Directory's", "%s", e)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// same fails the case if what a function answered on the store differs
// from what it answered on the directory.
func (c *checker) same(call string, onDir, onStore any) {
	c.t.Helper()
	if diff := cmp.Diff(onDir, onStore); diff != "" {
		c.fail(call+" answers on the store as on a Directory", "%s: (-Directory +store)\n%s", call, diff)
	}
}

func (c *checker) sameErr(call string, onDir, onStore error) {
	c.t.Helper()
	if errText(onDir) != errText(onStore) {
		c.fail(call+" answers on the store as on a Directory", "%s: error %q on the store, %q on a Directory", call, errText(onStore), errText(onDir))
	}
}

func checkDecisions(c *checker) {
	ids := c.ids()
	for _, a := range ids {
		for _, b := range ids {
			c.same(fmt.Sprintf("CanTalk(%q, %q)", a, b), extlink.CanTalk(c.d, a, b), extlink.CanTalk(c.s, a, b))
			c.same(fmt.Sprintf("CanCall(%q, %q)", a, b), extlink.CanCall(c.d, a, b), extlink.CanCall(c.s, a, b))
		}
	}
	contacts := rapid.SliceOfN(Contacts(c.d), 1, 4).Draw(c.t, "contacts")
	for _, ct := range contacts {
		for _, v := range ids {
			c.same(fmt.Sprintf("CanEmail(%q, %+v)", v, ct), extlink.CanEmail(c.d, v, ct), extlink.CanEmail(c.s, v, ct))
			c.same(fmt.Sprintf("ContactCard(%q, %+v)", v, ct), extlink.ContactCard(c.d, v, ct), extlink.ContactCard(c.s, v, ct))
		}
	}
}

func checkGroups(c *checker) {
	ids := c.ids()
	for _, by := range ids {
		for _, w := range ids {
			var with []extlink.UserID
			if w != by {
				with = []extlink.UserID{w}
			}
			c.same(fmt.Sprintf("CanCreate(group, %q, %q)", by, with), extlink.CanCreate(c.d, extlink.OpCreateGroup, by, with...), extlink.CanCreate(c.s, extlink.OpCreateGroup, by, with...))
			g1, e1 := extlink.NewGroup(c.d, by, with...)
			g2, e2 := extlink.NewGroup(c.s, by, with...)
			call := fmt.Sprintf("NewGroup(%q, %q)", by, with)
			c.sameErr(call, e1, e2)
			c.same(call, g1, g2)
			if w == by {
				continue
			}
			r1, e1 := extlink.NewRoom(c.d, by, w)
			r2, e2 := extlink.NewRoom(c.s, by, w)
			call = fmt.Sprintf("NewRoom(%q, %q)", by, w)
			c.sameErr(call, e1, e2)
			c.same(call, r1, r2)
			if e1 != nil {
				continue
			}
			for _, x := range ids {
				for _, st := range []extlink.Step{{Op: extlink.OpInvite, By: w, Who: x}, {Op: extlink.OpLeave, By: x}, {Op: extlink.OpConvert, By: x}} {
					c.same(fmt.Sprintf("%v.Can(%v)", r1, st), r1.Can(c.d, st), r1.Can(c.s, st))
				}
				r3, e1 := r1.Invite(c.d, w, x)
				r4, e2 := r1.Invite(c.s, w, x)
				call := fmt.Sprintf("%v.Invite(%q, %q)", r1, w, x)
				c.sameErr(call, e1, e2)
				c.same(call, r3, r4)
				for _, m := range append(r3.Members(), unknownUser) {
					g1, e1 := r3.Convert(c.d, m)
					g2, e2 := r3.Convert(c.s, m)
					call := fmt.Sprintf("%v.Convert(%q)", r3, m)
					c.sameErr(call, e1, e2)
					c.same(call, g1, g2)
				}
			}
		}
	}
	if !anyCreator(c.d) {
		// Groups skips directories where nobody creates groups; the
		// operations on the zero Group are still compared.
		c.sameSteps(extlink.Group{}, ids)
		return
	}
	for range rapid.IntRange(1, 3).Draw(c.t, "groups") {
		c.sameSteps(Groups(c.d, storeConfig).Draw(c.t, "group"), ids)
	}
}

// sameSteps compares CanInvite and every group operation on g.
func (c *checker) sameSteps(g extlink.Group, ids []extlink.UserID) {
	c.t.Helper()
	for _, by := range ids {
		for _, who := range ids {
			c.same(fmt.Sprintf("CanInvite(%v, %q, %q)", g, by, who), extlink.CanInvite(c.d, g, by, who), extlink.CanInvite(c.s, g, by, who))
			for _, op := range []extlink.Op{extlink.OpInvite, extlink.OpAppoint, extlink.OpTransfer, extlink.OpRemove} {
				c.sameStep(g, extlink.Step{Op: op, By: by, Who: who})
			}
		}
		c.sameStep(g, extlink.Step{Op: extlink.OpResign, By: by})
		c.sameStep(g, extlink.Step{Op: extlink.OpLeave, By: by})
	}
	for _, who := range ids {
		c.same(fmt.Sprintf("CanTalkIn(%v, %q)", g, who), extlink.CanTalkIn(c.d, g, who), extlink.CanTalkIn(c.s, g, who))
	}
	c.same(fmt.Sprintf("Reconcile(%v)", g), extlink.Reconcile(c.d, g), extlink.Reconcile(c.s, g))
}

func (c *checker) sameStep(g extlink.Group, s extlink.Step) {
	c.t.Helper()
	c.same(fmt.Sprintf("%v.Can(%v)", g, s), g.Can(c.d, s), g.Can(c.s, s))
	g1, e1 := ApplyStep(c.d, g, s)
	g2, e2 := ApplyStep(c.s, g, s)
	call := fmt.Sprintf("%v: %v", g, s)
	c.sameErr(call, e1, e2)
	c.same(call, g1, g2)
}

func checkPlans(c *checker) {
	ids := c.ids()
	for _, me := range ids {
		for _, target := range ids {
			p1, e1 := extlink.PlanGroup(c.d, me, target)
			p2, e2 := extlink.PlanGroup(c.s, me, target)
			call := fmt.Sprintf("PlanGroup(%q, %q)", me, target)
			c.sameErr(call, e1, e2)
			c.same(call, p1, p2)
			if e1 != nil {
				continue
			}
			g1, e1 := p1.Apply(c.d)
			g2, e2 := p1.Apply(c.s)
			call = fmt.Sprintf("Plan{%v}.Apply", p1)
			c.sameErr(call, e1, e2)
			c.same(call, g1, g2)
		}
	}
}

// exposures collects an audit.
func exposures(d extlink.Store, t extlink.TenantID, maxSteps int) ([]extlink.Exposure, error) {
	seq, err := extlink.Audit(d, t, maxSteps)
	if err != nil {
		return nil, err
	}
	var out []extlink.Exposure
	for e := range seq {
		out = append(out, e)
	}
	return out, nil
}

func checkAudit(c *checker) {
	for _, tn := range c.tenantIDs() {
		for _, max := range []int{4, 7, 0} {
			x1, e1 := exposures(c.d, tn, max)
			x2, e2 := exposures(c.s, tn, max)
			call := fmt.Sprintf("Audit(%q, %d)", tn, max)
			c.sameErr(call, e1, e2)
			c.same(call, x1, x2)
		}
	}
}

func checkWhatIf(c *checker) {
	batch := ValidChanges(c.d, storeConfig).Draw(c.t, "changes")
	c.extra = fmt.Sprintf("changes: %v\n", batch)
	d2, err := c.d.With(batch...)
	if err != nil {
		c.t.Fatalf("extlinktest: With refused a valid batch: %v", err)
	}
	w2 := WorldOf(d2)
	s2 := c.build(w2)
	var groups []extlink.Group
	if anyCreator(c.d) {
		groups = rapid.SliceOfN(Groups(c.d, storeConfig), 0, 2).Draw(c.t, "groups")
	}
	ids := c.ids()
	for u := range d2.Users() {
		if _, ok := c.d.User(u.ID); !ok {
			ids = append(ids, u.ID)
		}
	}
	tenants := c.tenantIDs()
	q := extlink.WhatIfQuery{
		Users:    ids,
		Groups:   groups,
		Tenant:   rapid.SampledFrom(tenants).Draw(c.t, "tenant"),
		MaxSteps: rapid.SampledFrom([]int{4, 7, 0}).Draw(c.t, "max steps"),
	}
	r1, e1 := extlink.WhatIf(c.d, d2, q)
	r2, e2 := extlink.WhatIf(c.s, s2, q)
	call := fmt.Sprintf("WhatIf(%+v)", q)
	c.sameErr(call, e1, e2)
	c.same(call, r1, r2)
	for _, g := range groups {
		c.same(fmt.Sprintf("Reconcile(%v) after the changes", g), extlink.Reconcile(d2, g), extlink.Reconcile(s2, g))
	}
}
