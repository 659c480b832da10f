package extlink_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// R28 past the small cases: on a generated directory of 12,000 users with
// heavy-tailed link degrees, thousands of random changes in small batches
// (users added until the index doubles, hubs' spans rewritten, users removed,
// numbering out of ID order) leave a directory that answers as NewDirectory
// on the same content, checked every few hundred changes on every Store
// method's listing and on sampled decisions.
func TestWithLarge(t *testing.T) {
	n, changes := 12_000, 5_000
	if testing.Short() {
		n, changes = 3_000, 1_500
	}
	w := extlinktest.Large(extlinktest.LargeConfig{Users: n, Seed: 7})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	ids := make([]extlink.UserID, 0, n+changes)
	for _, u := range w.Users {
		ids = append(ids, u.ID)
	}
	links := slices.Clone(w.Links)
	user := func() extlink.UserID { return ids[rng.IntN(len(ids))] }
	tenant := func() extlink.TenantID { return w.Tenants[rng.IntN(len(w.Tenants))].ID }
	draw := func() extlink.Change {
		switch rng.IntN(10) {
		case 0, 1, 2:
			id := extlink.UserID(fmt.Sprintf("u%07dx%d", rng.IntN(n), rng.IntN(1000)))
			ids = append(ids, id)
			return extlink.AddUser(extlink.User{ID: id, Tenant: tenant(), Connected: rng.IntN(2) == 0})
		case 3:
			return extlink.RemoveUser(user())
		case 4:
			return extlink.SetConnected(user(), rng.IntN(2) == 0)
		case 5:
			return extlink.SetPolicy(tenant(), extlink.Policy{Works: extlink.Access(rng.IntN(3)), MembersCreateGroups: true})
		case 6:
			return extlink.SetUser(extlink.User{ID: user(), Tenant: tenant(), Role: extlink.Role(rng.IntN(2))})
		case 7:
			l := links[rng.IntN(len(links))]
			return extlink.RemoveLink(l.A, l.B)
		default:
			a, b := user(), user()
			links = append(links, extlink.Link{A: a, B: b})
			return extlink.AddLink(a, b)
		}
	}
	done, refused, compactions := 0, 0, 0
	arena, _ := extlink.ArenaStats(d)
	for done < changes {
		batch := make([]extlink.Change, 1+rng.IntN(3))
		for i := range batch {
			batch[i] = draw()
		}
		next, err := d.With(batch...)
		if err != nil {
			if next != d {
				t.Fatalf("a refused batch returned a new directory: %v", err)
			}
			refused++
			continue
		}
		done += len(batch)
		if total, live := extlink.ArenaStats(next); total < arena {
			compactions++
			if total != live {
				t.Fatalf("compacted arena of %d entries for %d live", total, live)
			}
			arena = total
		} else {
			arena = total
		}
		if done/500 != (done-len(batch))/500 {
			want, err := extlink.RefWith(d, batch...)
			if err != nil {
				t.Fatalf("the oracle refused what With accepted: %v", err)
			}
			sameLarge(t, next, want, rng)
		}
		d = next
	}
	if compactions == 0 {
		t.Error("the link arena was never compacted")
	}
	if refused == 0 || refused > changes {
		t.Errorf("%d batches refused of about %d: the mix is off", refused, changes/2)
	}
}

// sameLarge compares two large directories on every listing and on sampled
// lookups and decisions.
func sameLarge(t *testing.T, got, want *extlink.Directory, rng *rand.Rand) {
	t.Helper()
	users := slices.Collect(want.Users())
	if !slices.Equal(users, slices.Collect(got.Users())) {
		t.Fatal("Users differ")
	}
	if !slices.Equal(slices.Collect(want.Tenants()), slices.Collect(got.Tenants())) {
		t.Fatal("Tenants differ")
	}
	if !slices.Equal(slices.Collect(want.AllLinks()), slices.Collect(got.AllLinks())) {
		t.Fatal("AllLinks differ")
	}
	for tn := range want.Tenants() {
		if !slices.Equal(slices.Collect(want.Members(tn.ID)), slices.Collect(got.Members(tn.ID))) {
			t.Fatalf("Members of %s differ", tn.ID)
		}
	}
	// Pairs of hubs, linked or not, where spans too long to scan are
	// searched by ID once numbering is out of ID order.
	var hubs []extlink.UserID
	for _, u := range users {
		if k := len(slices.Collect(want.Links(u.ID))); k > 2*64 {
			hubs = append(hubs, u.ID)
		}
	}
	for _, a := range hubs {
		for _, b := range hubs {
			if want.Linked(a, b) != got.Linked(a, b) {
				t.Fatalf("hubs %s and %s: Linked differs", a, b)
			}
		}
	}
	for range 5_000 {
		a, b := users[rng.IntN(len(users))].ID, users[rng.IntN(len(users))].ID
		if rng.IntN(4) == 0 { // a linked pair, where the spans are searched
			if l := slices.Collect(want.Links(a)); len(l) > 0 {
				b = l[rng.IntN(len(l))]
			}
		}
		if want.Linked(a, b) != got.Linked(a, b) || extlink.CanTalk(want, a, b) != extlink.CanTalk(got, a, b) ||
			extlink.CanCall(want, a, b) != extlink.CanCall(got, a, b) {
			t.Fatalf("%s and %s: decisions differ", a, b)
		}
		if !slices.Equal(slices.Collect(want.Links(a)), slices.Collect(got.Links(a))) {
			t.Fatalf("Links of %s differ", a)
		}
	}
}

// A batch far larger than the directory (a whole directory loaded into an
// empty one) is applied in bulk, and answers as NewDirectory on its input;
// a bad change in it refuses the whole batch.
func TestWithBulk(t *testing.T) {
	w := extlinktest.Large(extlinktest.LargeConfig{Users: 3_000, Seed: 3})
	var batch []extlink.Change
	for _, tn := range w.Tenants {
		batch = append(batch, extlink.AddTenant(tn))
	}
	for _, u := range w.Users {
		batch = append(batch, extlink.AddUser(u))
	}
	want, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		t.Fatal(err)
	}
	for l := range want.AllLinks() { // the generator repeats some links, which AddLink refuses
		batch = append(batch, extlink.AddLink(l.A, l.B))
	}
	var empty *extlink.Directory
	got, err := empty.With(batch...)
	if err != nil {
		t.Fatal(err)
	}
	sameLarge(t, got, want, rand.New(rand.NewPCG(3, 4)))
	bad := append(slices.Clone(batch), batch[len(batch)-1])
	if same, err := empty.With(bad...); err == nil || same != nil || !strings.Contains(err.Error(), "linked already") {
		t.Fatalf("a bulk batch with a repeated link: %v", err)
	}
}
