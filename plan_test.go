package extlink_test

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// bfsState is a room or a group reached by some sequence of operations.
type bfsState struct {
	room    extlink.Room
	group   extlink.Group
	inGroup bool
}

func (s bfsState) key() string {
	if !s.inGroup {
		return "room " + fmt.Sprint(s.room.Members(), s.room.Gone())
	}
	return fmt.Sprint("group ", s.group.Members(), s.group.Masters(), s.group.External(), s.group.Home(), s.group.Dissolved())
}

// oracle finds, by breadth-first search over every sequence of operations
// (rooms included, each step one operation with at most one other person),
// for every pair (me, target) the least number of steps to a group of
// exactly {me, target} with me its only master, exploring up to maxDepth
// steps. The sequences start by creating a room or a group, or from one of
// the existing groups given (0 steps if it already is such a group). Pairs
// it does not reach are absent.
func oracle(d *extlink.Directory, users []extlink.UserID, maxDepth int, groups ...extlink.Group) map[[2]extlink.UserID]int {
	found := map[[2]extlink.UserID]int{}
	note := func(s bfsState, depth int) {
		if !s.inGroup || s.group.Dissolved() || s.group.Len() != 2 {
			return
		}
		ms, ma := s.group.Members(), s.group.Masters()
		if len(ma) != 1 {
			return
		}
		me := ma[0]
		target := ms[0]
		if target == me {
			target = ms[1]
		}
		if _, ok := found[[2]extlink.UserID{me, target}]; !ok {
			found[[2]extlink.UserID{me, target}] = depth
		}
	}
	seen := map[string]bool{}
	var level []bfsState
	push := func(next *[]bfsState, s bfsState) {
		if k := s.key(); !seen[k] {
			seen[k] = true
			*next = append(*next, s)
		}
	}
	// expand returns the states one operation away from level's.
	expand := func(level []bfsState) []bfsState {
		var next []bfsState
		for _, s := range level {
			for _, by := range users {
				if !s.inGroup {
					if g, err := s.room.Convert(d, by); err == nil {
						push(&next, bfsState{group: g, inGroup: true})
					}
					if r, err := s.room.Leave(d, by); err == nil {
						push(&next, bfsState{room: r})
					}
					for _, who := range users {
						if r, err := s.room.Invite(d, by, who); err == nil {
							push(&next, bfsState{room: r})
						}
					}
					continue
				}
				g := s.group
				try := func(n extlink.Group, err error) {
					if err == nil {
						push(&next, bfsState{group: n, inGroup: true})
					}
				}
				try(g.Resign(d, by))
				try(g.Leave(d, by))
				for _, who := range users {
					try(g.Invite(d, by, who))
					try(g.Appoint(d, by, who))
					try(g.Transfer(d, by, who))
					try(g.Remove(d, by, who))
				}
			}
		}
		return next
	}
	// Depth 0: the existing groups.
	for _, g := range groups {
		note(bfsState{group: g, inGroup: true}, 0)
	}
	var start []bfsState
	for _, g := range groups {
		push(&start, bfsState{group: g, inGroup: true})
	}
	// Depth 1: every creation, and every step on an existing group.
	level = expand(start)
	for _, by := range users {
		if g, err := extlink.NewGroup(d, by); err == nil {
			push(&level, bfsState{group: g, inGroup: true})
		}
		for _, who := range users {
			if who == by {
				continue
			}
			if r, err := extlink.NewRoom(d, by, who); err == nil {
				push(&level, bfsState{room: r})
			}
			if g, err := extlink.NewGroup(d, by, who); err == nil {
				push(&level, bfsState{group: g, inGroup: true})
			}
		}
	}
	for depth := 1; depth <= maxDepth; depth++ {
		for _, s := range level {
			note(s, depth)
		}
		if depth < maxDepth {
			level = expand(level)
		}
	}
	return found
}

// checkPlan fails unless p applies step by step to the groups given and
// ends in exactly {me, target} with me the only master; the empty plan
// must find such a group among them.
func checkPlan(t interface {
	Helper()
	Fatalf(string, ...any)
}, d extlink.Store, p extlink.Plan, me, target extlink.UserID, groups ...extlink.Group) {
	t.Helper()
	g, err := p.Apply(d, groups...)
	if len(p) == 0 && err == nil {
		for _, h := range groups {
			if !h.Dissolved() && slices.Equal(h.Members(), sorted([]extlink.UserID{me, target})) && slices.Equal(h.Masters(), []extlink.UserID{me}) {
				return
			}
		}
		t.Fatalf("the empty plan, and no given group is the goal: %v", groups)
	}
	if err != nil {
		t.Fatalf("plan does not apply: %v\n%v", err, p)
	}
	if !slices.Equal(g.Members(), sorted([]extlink.UserID{me, target})) || !slices.Equal(g.Masters(), []extlink.UserID{me}) {
		t.Fatalf("plan ends in %v, want [%s %s] with %s the only master\n%v", g, me, target, me, p)
	}
}

// R22: on tiny worlds, for every pair of users, PlanGroup finds a plan
// exactly when a brute-force search over every sequence of operations does,
// of the same length, and the plan applies.
func TestPlanGroupMatchesOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genPlanWorld(t, 4, 6)
		d := mustDir(t, w)
		var ids []extlink.UserID
		for _, u := range w.Users {
			ids = append(ids, u.ID)
		}
		const depth = 8
		shortest := oracle(d, ids, depth)
		for _, me := range ids {
			for _, target := range ids {
				if me == target {
					continue
				}
				p, err := extlink.PlanGroup(d, me, target)
				want, ok := shortest[[2]extlink.UserID{me, target}]
				switch {
				case err != nil && !errors.Is(err, extlink.ErrUnreachable):
					t.Fatalf("PlanGroup(%s, %s): %v", me, target, err)
				case err != nil && ok:
					t.Fatalf("PlanGroup(%s, %s): %v; the oracle finds %d steps", me, target, err, want)
				case err == nil && len(p) <= depth && len(p) != want:
					t.Fatalf("PlanGroup(%s, %s) has %d steps, the oracle %d (0: none):\n%v", me, target, len(p), want, p)
				case err == nil && len(p) > depth && ok:
					t.Fatalf("PlanGroup(%s, %s) has %d steps, the oracle %d:\n%v", me, target, len(p), want, p)
				}
				if err == nil {
					checkPlan(t, d, p, me, target)
				}
			}
		}
	})
}

// genGroups draws up to n groups reached through real operations on d: a
// creation (directly or by converting a room) and a few random steps, each
// kept only if the rules allow it. Some may end dissolved.
func genGroups(t *rapid.T, d *extlink.Directory, ids []extlink.UserID, n int) []extlink.Group {
	var out []extlink.Group
	user := rapid.SampledFrom(ids)
	for i := range rapid.IntRange(0, n).Draw(t, "groups") {
		var g extlink.Group
		var err error
		for try := 0; try < 10; try++ {
			by := user.Draw(t, fmt.Sprintf("g%d.by", i))
			var with []extlink.UserID
			for _, u := range rapid.SliceOfNDistinct(user, 0, 3, func(u extlink.UserID) extlink.UserID { return u }).Draw(t, fmt.Sprintf("g%d.with", i)) {
				if u != by {
					with = append(with, u)
				}
			}
			if g, err = extlink.NewGroup(d, by, with...); err == nil {
				break
			}
		}
		if err != nil {
			continue
		}
		for range rapid.IntRange(0, 8).Draw(t, fmt.Sprintf("g%d.steps", i)) {
			by, who := user.Draw(t, "by"), user.Draw(t, "who")
			var n extlink.Group
			switch rapid.IntRange(0, 5).Draw(t, "op") {
			case 0:
				n, err = g.Invite(d, by, who)
			case 1:
				n, err = g.Appoint(d, by, who)
			case 2:
				n, err = g.Resign(d, by)
			case 3:
				n, err = g.Transfer(d, by, who)
			case 4:
				n, err = g.Leave(d, by)
			case 5:
				n, err = g.Remove(d, by, who)
			}
			if err == nil {
				g = n
			}
		}
		out = append(out, g)
	}
	return out
}

// R22: as above, with existing groups: PlanGroup's plan, which may start from
// one of them, is as short as the brute-force search's (started from them
// too, or from scratch), it applies to them, and it never changes them.
func TestPlanGroupFromGroupsMatchesOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genPlanWorld(t, 4, 6)
		d := mustDir(t, w)
		var ids []extlink.UserID
		for _, u := range w.Users {
			ids = append(ids, u.ID)
		}
		groups := genGroups(t, d, ids, 3)
		var before []string
		for _, g := range groups {
			before = append(before, fmt.Sprint(g.State()))
		}
		const depth = 7
		shortest := oracle(d, ids, depth, groups...)
		for _, me := range ids {
			for _, target := range ids {
				if me == target {
					continue
				}
				p, err := extlink.PlanGroup(d, me, target, groups...)
				want, ok := shortest[[2]extlink.UserID{me, target}]
				switch {
				case err != nil && !errors.Is(err, extlink.ErrUnreachable):
					t.Fatalf("PlanGroup(%s, %s): %v", me, target, err)
				case err != nil && ok:
					t.Fatalf("PlanGroup(%s, %s): %v; the oracle finds %d steps", me, target, err, want)
				case err == nil && len(p) <= depth && (!ok || len(p) != want):
					t.Fatalf("PlanGroup(%s, %s) has %d steps, the oracle %d (found %v):\n%v\ngroups: %v", me, target, len(p), want, ok, p, groups)
				case err == nil && len(p) > depth && ok:
					t.Fatalf("PlanGroup(%s, %s) has %d steps, the oracle %d:\n%v", me, target, len(p), want, p)
				}
				if err == nil {
					checkPlan(t, d, p, me, target, groups...)
					q, err := extlink.PlanGroupExhaustive(d, me, target, groups...)
					if err != nil || len(q) != len(p) {
						t.Fatalf("PlanGroup(%s, %s): exhaustive %d steps (%v), staged %d", me, target, len(q), err, len(p))
					}
					p2, _ := extlink.PlanGroup(storeOnly{d}, me, target, groups...)
					if diff := cmp.Diff(p, p2); diff != "" {
						t.Fatalf("generic store differs:\n%s", diff)
					}
				}
			}
		}
		for i, g := range groups {
			if got := fmt.Sprint(g.State()); got != before[i] {
				t.Fatalf("group %d changed: %s, was %s", i+1, got, before[i])
			}
		}
	})
}

// Every plan returned on random worlds of up to 50 users applies, is
// deterministic, and is the same through a generic Store.
func TestPlanGroupApplies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 6, 50)
		d := mustDir(t, w)
		for range 5 {
			me := rapid.SampledFrom(w.Users).Draw(t, "me").ID
			target := rapid.SampledFrom(w.Users).Draw(t, "target").ID
			if me == target {
				continue
			}
			p, err := extlink.PlanGroup(d, me, target)
			p2, err2 := extlink.PlanGroup(storeOnly{d}, me, target)
			if diff := cmp.Diff(p, p2); diff != "" || (err == nil) != (err2 == nil) {
				t.Fatalf("generic store differs: %v / %v\n%s", err, err2, diff)
			}
			if err != nil {
				if !errors.Is(err, extlink.ErrUnreachable) || err.Error() != err2.Error() {
					t.Fatalf("PlanGroup(%s, %s): %v", me, target, err)
				}
				continue
			}
			checkPlan(t, d, p, me, target)
		}
	})
}

// R22: the post's cast needs four steps, ending as the post does (me
// removes a); where a's tenant lets members leave, a leaves instead. The
// post's own six steps are longer.
func TestPlanGroupPost(t *testing.T) {
	d := postDir(t, nil)
	p, err := extlink.PlanGroup(d, "me", "b")
	if err != nil {
		t.Fatal(err)
	}
	want := extlink.Plan{
		{Op: extlink.OpCreateGroup, By: "a", Who: "b"},
		{Op: extlink.OpInvite, By: "a", Who: "me"},
		{Op: extlink.OpTransfer, By: "a", Who: "me"},
		{Op: extlink.OpRemove, By: "me", Who: "a"},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	checkPlan(t, d, p, "me", "b")
	leave := postDir(t, func(w *world) { policy(w, "t1", func(p *extlink.Policy) { p.MembersLeaveGroups = true }) })
	p, err = extlink.PlanGroup(leave, "me", "b")
	if err != nil {
		t.Fatal(err)
	}
	want[3] = extlink.Step{Op: extlink.OpLeave, By: "a"}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("members may leave: (-want +got):\n%s", diff)
	}
	// Linked: the direct plan.
	p, err = extlink.PlanGroup(d, "a", "b")
	if err != nil || len(p) != 1 || p[0] != (extlink.Step{Op: extlink.OpCreateGroup, By: "a", Who: "b"}) {
		t.Errorf("linked: %v %v", p, err)
	}
}

// R22: why a plan is impossible, with the sentinel of the reason.
func TestPlanGroupUnreachable(t *testing.T) {
	tests := []struct {
		name       string
		mod        func(*world)
		me, target extlink.UserID
		cause      error
		text       string
	}{
		{"unknown", nil, "me", "zz", extlink.ErrUnknownUser,
			"extlink: no plan puts me and zz in a group of their own: zz is not in the directory (R22); check the ID"},
		{"LINE user", nil, "me", "l", extlink.ErrNotPermitted,
			"extlink: no plan puts me and l in a group of their own: l is a LINE user, and groups exclude LINE users (R6); talk with l in a room instead"},
		{"not connected", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
		}, "me", "b", extlink.ErrNotPermitted,
			"extlink: no plan puts me and b in a group of their own: b is not one of t2's connected members, so cannot be in an external group (R12); add b to t2's connected members"},
		{"switch off", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, "me", "b", extlink.ErrNotPermitted,
			"extlink: no plan puts me and b in a group of their own: t1 does not allow talk with outside LINE WORKS users, so me cannot be in an external group (R12); ask t1's admin to allow it"},
		{"no chain", func(w *world) { w.Links = nil }, "me", "b", extlink.ErrNotLinked,
			"extlink: no plan puts me and b in a group of their own: no chain of people who can talk 1:1 connects them (R13); link me with b, or with someone linked with b"},
		{"colleagues, no creator", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { *p = extlink.Policy{} })
		}, "me", "a", extlink.ErrNotPermitted,
			"extlink: no plan puts me and a in a group of their own: nobody who may create groups is on a chain between them (R12); let t1's members create groups, or ask one of its admins to build the group"},
		{"no creator", func(w *world) {
			for i := range w.Tenants {
				w.Tenants[i].Policy.MembersCreateGroups = false
			}
		}, "me", "b", extlink.ErrNotPermitted,
			"extlink: no plan puts me and b in a group of their own: nobody who may create groups is on a chain between them (R12); let t1's members create groups, or ask one of its admins to build the group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extlink.PlanGroup(postDir(t, tt.mod), tt.me, tt.target)
			if !errors.Is(err, extlink.ErrUnreachable) || !errors.Is(err, tt.cause) {
				t.Fatalf("got %v, want ErrUnreachable and %v", err, tt.cause)
			}
			if diff := cmp.Diff(tt.text, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := extlink.PlanGroup(postDir(t, nil), "me", "me"); err == nil || errors.Is(err, extlink.ErrUnreachable) {
		t.Errorf("me twice: %v", err)
	}
}

// R22: the groups that exist count. a, the master of an external group
// with me and b, can hand me the role and I remove a, although nobody may
// create a group; when the group already is the goal, the plan is empty.
func TestPlanGroupExistingGroup(t *testing.T) {
	d := postDir(t, nil)
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	g, _ = g.Invite(d, "a", "me")
	closed := postDir(t, func(w *world) {
		for i := range w.Tenants {
			w.Tenants[i].Policy.MembersCreateGroups = false
		}
	})
	if _, err := extlink.PlanGroup(closed, "me", "b"); !errors.Is(err, extlink.ErrUnreachable) {
		t.Fatalf("without the group: %v", err)
	}
	other, _ := extlink.NewGroup(d, "me")
	p, err := extlink.PlanGroup(closed, "me", "b", other, g)
	want := extlink.Plan{
		{Op: extlink.OpTransfer, By: "a", Who: "me", Group: 2},
		{Op: extlink.OpRemove, By: "me", Who: "a", Group: 2},
	}
	if err != nil || !cmp.Equal(want, p) {
		t.Fatalf("got %v, %v; want\n%v", p, err, want)
	}
	checkPlan(t, closed, p, "me", "b", other, g)
	// Shorter than a new group, where one could be created.
	if p, err = extlink.PlanGroup(d, "me", "b", g); err != nil || len(p) != 2 {
		t.Errorf("with the group, creation allowed: %v, %v", p, err)
	}
	// The goal already: the empty plan.
	done, err := p.Apply(d, g)
	if err != nil {
		t.Fatal(err)
	}
	p, err = extlink.PlanGroup(d, "me", "b", other, done)
	if err != nil || p == nil || len(p) != 0 {
		t.Errorf("a given group is the goal: got %v, %v, want the empty plan", p, err)
	}
	// A dissolved group, or one the pair cannot use, changes nothing.
	gone, _ := extlink.RestoreGroup(extlink.GroupState{Home: "t1", External: true, Dissolved: true})
	if p, err = extlink.PlanGroup(d, "me", "b", gone, other); err != nil || len(p) != 4 || p[0].Group != 0 {
		t.Errorf("useless groups: %v, %v", p, err)
	}
}

func TestPlanString(t *testing.T) {
	p, _ := extlink.PlanGroup(postDir(t, nil), "me", "b")
	want := "1. a creates a group with b (R10)\n2. a invites me (R13)\n3. a hands the master role to me (R17)\n4. me removes a (R16)"
	if got := p.String(); got != want {
		t.Errorf("got\n%s", got)
	}
	_ = strings.TrimSpace
}

// genBigTenantWorld draws a world of up to 200 users in a few large tenants:
// the shape where tenant-level labels and the staged search's bounds matter.
func genBigTenantWorld(t *rapid.T) world {
	w := genPlanWorld(t, 5, 12)
	extra := rapid.IntRange(0, 180).Draw(t, "extra")
	for i := range extra {
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("v%03d", i)), Tenant: w.Tenants[rapid.IntRange(0, len(w.Tenants)-1).Draw(t, "tenant")].ID}
		u.Connected = rapid.IntRange(0, 9).Draw(t, "connected") != 5
		if rapid.IntRange(0, 19).Draw(t, "admin") == 10 {
			u.Role = extlink.Admin
		}
		w.Users = append(w.Users, u)
	}
	nl := rapid.IntRange(0, 2*len(w.Users)).Draw(t, "links")
	have := map[[2]extlink.UserID]bool{}
	for _, l := range w.Links {
		have[[2]extlink.UserID{l.A, l.B}] = true
	}
	for range nl {
		a := w.Users[rapid.IntRange(0, len(w.Users)-1).Draw(t, "a")]
		b := w.Users[rapid.IntRange(0, len(w.Users)-1).Draw(t, "b")]
		if a.ID == b.ID || colleagues(a, b) || a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser || have[[2]extlink.UserID{a.ID, b.ID}] || have[[2]extlink.UserID{b.ID, a.ID}] {
			continue
		}
		have[[2]extlink.UserID{a.ID, b.ID}] = true
		w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
	}
	return w
}

// The staged search stops early; run to the end of the graph it must find
// plans of the same length, for every pair drawn.
// With existing groups too; and a plan with groups is never longer than
// one without.
func TestPlanGroupStagedMatchesExhaustive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genBigTenantWorld(t)
		d := mustDir(t, w)
		var ids []extlink.UserID
		for _, u := range w.Users {
			ids = append(ids, u.ID)
		}
		groups := genGroups(t, d, ids, 4)
		for range 10 {
			me := rapid.SampledFrom(w.Users).Draw(t, "me").ID
			target := rapid.SampledFrom(w.Users).Draw(t, "target").ID
			if me == target {
				continue
			}
			for _, gs := range [][]extlink.Group{nil, groups} {
				p, err := extlink.PlanGroup(d, me, target, gs...)
				q, errq := extlink.PlanGroupExhaustive(d, me, target, gs...)
				if (err == nil) != (errq == nil) || len(p) != len(q) {
					t.Fatalf("PlanGroup(%s, %s): staged %d steps (%v), exhaustive %d (%v)\n%v\n--\n%v", me, target, len(p), err, len(q), errq, p, q)
				}
				if err == nil {
					checkPlan(t, d, p, me, target, gs...)
					checkPlan(t, d, q, me, target, gs...)
				} else if err.Error() != errq.Error() {
					t.Fatalf("reasons differ: %v / %v", err, errq)
				}
			}
			p, err := extlink.PlanGroup(d, me, target)
			q, errq := extlink.PlanGroup(d, me, target, groups...)
			if err == nil && (errq != nil || len(q) > len(p)) {
				t.Fatalf("PlanGroup(%s, %s): %d steps without groups, %d (%v) with", me, target, len(p), len(q), errq)
			}
		}
	})
}

// The Mermaid and DOT renderings are well formed: every participant or node
// is declared before use, every step appears once, in order, and special
// characters in IDs are escaped.
func TestPlanRenderings(t *testing.T) {
	p := extlink.Plan{
		{Op: extlink.OpCreateGroup, By: `a "x"; #1`, Who: "b:c"},
		{Op: extlink.OpInvite, By: `a "x"; #1`, Who: "me"},
		{Op: extlink.OpTransfer, By: `a "x"; #1`, Who: "me"},
		{Op: extlink.OpLeave, By: `a "x"; #1`},
	}
	m := p.Mermaid()
	entity := regexp.MustCompile(`#[0-9]+;`)
	raw := func(text string) bool { return strings.ContainsAny(entity.ReplaceAllString(text, ""), ";:\"#") }
	lines := strings.Split(strings.TrimSpace(m), "\n")
	if lines[0] != "sequenceDiagram" {
		t.Fatalf("first line %q", lines[0])
	}
	declared := map[string]bool{}
	steps := 0
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "participant "):
			f := strings.Fields(l)
			if len(f) < 4 || f[2] != "as" || declared[f[1]] {
				t.Fatalf("bad participant line %q", l)
			}
			declared[f[1]] = true
		case strings.HasPrefix(l, "Note over "):
			who, text, ok := strings.Cut(strings.TrimPrefix(l, "Note over "), ": ")
			if !ok || !declared[who] || raw(text) {
				t.Fatalf("bad note %q", l)
			}
			steps++
		default:
			arrow, text, ok := strings.Cut(l, ": ")
			from, to, ok2 := strings.Cut(arrow, "->>")
			if !ok || !ok2 || !declared[from] || !declared[to] || !strings.HasPrefix(text, fmt.Sprint(steps+1)+". ") || raw(text) {
				t.Fatalf("bad message %q", l)
			}
			steps++
		}
	}
	if steps != len(p) || len(declared) != 3 {
		t.Fatalf("%d steps, %d participants:\n%s", steps, len(declared), m)
	}
	if !strings.Contains(m, "participant p1 as a #34;x#34;#59; #35;1") {
		t.Errorf("IDs not escaped:\n%s", m)
	}

	dot := p.DOT()
	if !strings.HasPrefix(dot, "digraph plan {\n") || !strings.HasSuffix(dot, "}\n") {
		t.Fatalf("not a digraph:\n%s", dot)
	}
	if n := strings.Count(dot, " -> "); n != len(p) {
		t.Errorf("%d edges for %d steps", n, len(p))
	}
	for _, want := range []string{`"a \"x\"; #1" -> "b:c" [label="1. creates a group with b:c (R10)"];`, `"a \"x\"; #1" -> "a \"x\"; #1" [label="4. leaves the group (R18)"];`} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
	if strings.Count(dot, "{") != strings.Count(dot, "}") {
		t.Error("unbalanced braces")
	}
}

// genChainWorld draws long chains: a path of 4 to 40 users, each in one of
// a few tenants with random policies, plus a few random links across the
// path, so that me and target may be many hops apart (the stages that skip
// their evaluation, issue 14).
func genChainWorld(t *rapid.T) world {
	var w world
	nt := rapid.IntRange(2, 8).Draw(t, "tenants")
	for i := range nt {
		p := genPolicy(t, "policy")
		if rapid.IntRange(0, 3).Draw(t, "open") > 0 {
			p.Works = extlink.AccessAll
		}
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: extlink.TenantID(fmt.Sprintf("t%d", i+1)), Policy: p})
	}
	n := rapid.IntRange(4, 40).Draw(t, "path")
	have := map[[2]extlink.UserID]bool{}
	link := func(a, b extlink.User) {
		if a.ID == b.ID || colleagues(a, b) || have[[2]extlink.UserID{a.ID, b.ID}] || have[[2]extlink.UserID{b.ID, a.ID}] {
			return
		}
		have[[2]extlink.UserID{a.ID, b.ID}] = true
		w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
	}
	for i := range n {
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("c%02d", i)), Tenant: w.Tenants[rapid.IntRange(0, nt-1).Draw(t, "tenant")].ID}
		u.Connected = rapid.IntRange(0, 9).Draw(t, "connected") != 5
		if rapid.IntRange(0, 9).Draw(t, "admin") == 3 {
			u.Role = extlink.Admin
		}
		w.Users = append(w.Users, u)
		if i > 0 {
			link(w.Users[i-1], u)
		}
	}
	for range rapid.IntRange(0, 4).Draw(t, "extra") {
		link(w.Users[rapid.IntRange(0, n-1).Draw(t, "a")], w.Users[rapid.IntRange(0, n-1).Draw(t, "b")])
	}
	return w
}

// On long chains the staged search, which skips the stages that cannot
// stop it, finds plans as short as the exhaustive one (R22), with the same
// reasons when there is none.
func TestPlanGroupChainsStagedMatchesExhaustive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genChainWorld(t)
		d := mustDir(t, w)
		for range 6 {
			me := rapid.SampledFrom(w.Users).Draw(t, "me").ID
			target := rapid.SampledFrom(w.Users).Draw(t, "target").ID
			if me == target {
				continue
			}
			p, err := extlink.PlanGroup(d, me, target)
			q, errq := extlink.PlanGroupExhaustive(d, me, target)
			if (err == nil) != (errq == nil) || len(p) != len(q) {
				t.Fatalf("PlanGroup(%s, %s): staged %d steps (%v), exhaustive %d (%v)\n%v\n--\n%v", me, target, len(p), err, len(q), errq, p, q)
			}
			if err == nil {
				checkPlan(t, d, p, me, target)
			} else if err.Error() != errq.Error() {
				t.Fatalf("reasons differ: %v / %v", err, errq)
			}
		}
	})
}

// On long chains of creators the sides of the staged search meet halfway,
// where a tree rooted on the chain may cost the least any tree can and stop
// the search (issue 14): its plans are as short as the exhaustive search's,
// from the chain's ends and from anywhere on it.
func TestPlanGroupCreatorChainsStagedMatchesExhaustive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genCreatorChainWorld(t)
		d := mustDir(t, w)
		first, last := w.Users[0].ID, w.Users[len(w.Users)-1].ID
		pairs := [][2]extlink.UserID{{first, last}, {last, first}}
		for range 4 {
			pairs = append(pairs, [2]extlink.UserID{rapid.SampledFrom(w.Users).Draw(t, "me").ID, rapid.SampledFrom(w.Users).Draw(t, "target").ID})
		}
		for _, pr := range pairs {
			me, target := pr[0], pr[1]
			if me == target {
				continue
			}
			p, err := extlink.PlanGroup(d, me, target)
			q, errq := extlink.PlanGroupExhaustive(d, me, target)
			if (err == nil) != (errq == nil) || len(p) != len(q) {
				t.Fatalf("PlanGroup(%s, %s): staged %d steps (%v), exhaustive %d (%v)\n%v\n--\n%v", me, target, len(p), err, len(q), errq, p, q)
			}
			if err == nil {
				checkPlan(t, d, p, me, target)
			} else if err.Error() != errq.Error() {
				t.Fatalf("reasons differ: %v / %v", err, errq)
			}
		}
	})
}

// genCreatorChainWorld draws a chain of 6 to 80 users, most of them in
// blocks of one to three consecutive colleagues, in tenants that mostly talk
// outside and let their members create groups in a drawn proportion (none
// to most), plus a few shortcuts: me and target many hops apart, with
// creators all along or only here and there (issue 14).
func genCreatorChainWorld(t *rapid.T) world {
	var w world
	n := rapid.IntRange(6, 80).Draw(t, "path")
	block := rapid.IntRange(1, 3).Draw(t, "block")
	nt := (n+block-1)/block + 1
	// How many tenants in four let their members create groups: none (only
	// admins create; the plan is rooted at me, or at an admin, or is not
	// there) to most.
	odds := rapid.IntRange(0, 3).Draw(t, "odds")
	for i := range nt {
		p := genPolicy(t, "policy")
		if rapid.IntRange(0, 5).Draw(t, "open") > 0 {
			p.Works = extlink.AccessAll
		}
		p.MembersCreateGroups = rapid.IntRange(0, 3).Draw(t, "creators") < odds
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: extlink.TenantID(fmt.Sprintf("t%02d", i)), Policy: p})
	}
	have := map[[2]extlink.UserID]bool{}
	link := func(a, b extlink.User) {
		if a.ID == b.ID || colleagues(a, b) || have[[2]extlink.UserID{a.ID, b.ID}] || have[[2]extlink.UserID{b.ID, a.ID}] {
			return
		}
		have[[2]extlink.UserID{a.ID, b.ID}] = true
		w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
	}
	for i := range n {
		ti := i / block
		if rapid.IntRange(0, 9).Draw(t, "stray") == 0 {
			ti = rapid.IntRange(0, nt-1).Draw(t, "tenant")
		}
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("c%02d", i)), Tenant: w.Tenants[ti].ID}
		u.Connected = rapid.IntRange(0, 19).Draw(t, "connected") != 5
		if rapid.IntRange(0, 9).Draw(t, "admin") == 3 {
			u.Role = extlink.Admin
		}
		w.Users = append(w.Users, u)
		if i > 0 {
			link(w.Users[i-1], u)
		}
	}
	for range rapid.IntRange(0, 3).Draw(t, "extra") {
		link(w.Users[rapid.IntRange(0, n-1).Draw(t, "a")], w.Users[rapid.IntRange(0, n-1).Draw(t, "b")])
	}
	return w
}
