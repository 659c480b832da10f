package bench

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/extlink/extlink"
)

// TestBigGroups runs random transitions on groups of up to a few hundred
// members, the sizes BenchmarkGroup times, and checks each against a plain
// model: members, join order and masters. The root package's property tests
// use groups of a few members; a group's roster is kept in chunks of a few
// dozen, which only groups this large split and merge.
func TestBigGroups(t *testing.T) {
	const n = 400
	open := extlink.Policy{MembersCreateGroups: true, MembersLeaveGroups: true}
	var users []extlink.User
	for i := range n {
		users = append(users, extlink.User{ID: extlink.UserID(fmt.Sprintf("u%03d", i)), Tenant: "t1"})
	}
	d := extlink.MustNewDirectory([]extlink.Tenant{{ID: "t1", Policy: open}}, users, nil)
	rapid.Check(t, func(t *rapid.T) {
		// The model: join order, and the masters.
		var order []extlink.UserID
		masters := map[extlink.UserID]bool{}
		size := rapid.SampledFrom([]int{1, 2, 30, 100, 200}).Draw(t, "size")
		// Bursts of changes among neighbouring IDs fill and drain one
		// chunk, so that it splits or merges.
		lo := rapid.IntRange(0, n-40).Draw(t, "window")
		window := users[lo : lo+40]
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 0))
		for _, k := range rng.Perm(n)[:size] {
			order = append(order, users[k].ID)
		}
		g, err := extlink.NewGroup(d, order[0], order[1:]...)
		if err != nil {
			t.Fatal(err)
		}
		masters[order[0]] = true
		member := func(t *rapid.T, label string) extlink.UserID {
			if len(order) == 0 {
				t.Skip("dissolved")
			}
			return rapid.SampledFrom(order).Draw(t, label)
		}
		master := func(t *rapid.T) extlink.UserID {
			if len(masters) == 0 {
				t.Skip("dissolved")
			}
			var ms []extlink.UserID
			for m := range masters {
				ms = append(ms, m)
			}
			slices.Sort(ms)
			return rapid.SampledFrom(ms).Draw(t, "master")
		}
		drop := func(u extlink.UserID) {
			order = slices.DeleteFunc(order, func(v extlink.UserID) bool { return v == u })
			delete(masters, u)
		}
		inWindow := func() []extlink.UserID {
			var in []extlink.UserID
			for _, u := range window {
				if slices.Contains(order, u.ID) {
					in = append(in, u.ID)
				}
			}
			return in
		}
		t.Repeat(map[string]func(*rapid.T){
			"invite-burst": func(t *rapid.T) {
				by := master(t)
				for range rapid.IntRange(1, 20).Draw(t, "burst") {
					who := rapid.SampledFrom(window).Draw(t, "who").ID
					if !slices.Contains(order, who) {
						g = must(t)(g.Invite(d, by, who))
						order = append(order, who)
					}
				}
			},
			"remove-burst": func(t *rapid.T) {
				by := master(t)
				for range rapid.IntRange(1, 20).Draw(t, "burst") {
					in := slices.DeleteFunc(inWindow(), func(u extlink.UserID) bool { return u == by })
					if len(in) == 0 {
						return
					}
					who := rapid.SampledFrom(in).Draw(t, "who")
					g = must(t)(g.Remove(d, by, who))
					drop(who)
				}
			},
			"invite": func(t *rapid.T) {
				who := rapid.SampledFrom(users).Draw(t, "who").ID
				if slices.Contains(order, who) {
					t.Skip("already a member")
				}
				g = must(t)(g.Invite(d, master(t), who))
				order = append(order, who)
			},
			"remove": func(t *rapid.T) {
				by, who := master(t), member(t, "who")
				if by == who {
					t.Skip("nobody removes themselves")
				}
				g = must(t)(g.Remove(d, by, who))
				drop(who)
			},
			"leave": func(t *rapid.T) {
				who := member(t, "who")
				if masters[who] && len(masters) == 1 && len(order) > 1 {
					t.Skip("the last master stays")
				}
				g = must(t)(g.Leave(d, who))
				drop(who)
				if len(order) == 0 && !g.Dissolved() {
					t.Fatal("the last member left, and the group lives")
				}
			},
			"transfer": func(t *rapid.T) {
				from, to := master(t), member(t, "to")
				if masters[to] {
					t.Skip("already a master")
				}
				g = must(t)(g.Transfer(d, from, to))
				delete(masters, from)
				masters[to] = true
			},
			"appoint": func(t *rapid.T) {
				by, who := master(t), member(t, "who")
				if masters[who] {
					t.Skip("already a master")
				}
				g = must(t)(g.Appoint(d, by, who))
				masters[who] = true
			},
			"resign": func(t *rapid.T) {
				if len(masters) < 2 {
					t.Skip("the last master stays")
				}
				who := master(t)
				g = must(t)(g.Resign(d, who))
				delete(masters, who)
			},
			"": func(t *rapid.T) {
				if g.Dissolved() {
					return
				}
				want := snapshot{Members: slices.Sorted(slices.Values(order)), JoinOrder: order}
				for m := range masters {
					want.Masters = append(want.Masters, m)
				}
				slices.Sort(want.Masters)
				got := snapshot{Members: g.Members(), JoinOrder: g.JoinOrder(), Masters: g.Masters()}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("group differs from the model (-want +got):\n%s", diff)
				}
				if g.Len() != len(order) {
					t.Fatalf("Len %d, want %d", g.Len(), len(order))
				}
				r, err := extlink.RestoreGroup(g.State())
				if err != nil || !r.Equal(g) {
					t.Fatalf("restored %v (%v), want %v", r, err, g)
				}
			},
		})
	})
}

// snapshot is what TestBigGroups compares.
type snapshot struct {
	Members, JoinOrder, Masters []extlink.UserID
}

// must returns a function that returns g, failing t on err.
func must(t *rapid.T) func(g extlink.Group, err error) extlink.Group {
	return func(g extlink.Group, err error) extlink.Group {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
}
