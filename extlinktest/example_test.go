package extlinktest_test

import (
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// groupService is a user's own service, as small as it gets: it keeps
// groups by ID, lets people act on them through extlink's operations, and
// reconciles them when the directory changes (R20).
type groupService struct {
	dir    *extlink.Directory
	groups map[string]extlink.Group
}

// Act applies one step to a group, if extlink allows it.
func (s *groupService) Act(id string, step extlink.Step) error {
	g, err := extlinktest.ApplyStep(s.dir, s.groups[id], step)
	if err != nil {
		return err
	}
	s.groups[id] = g
	return nil
}

// Change changes the directory and brings every group in line with it.
func (s *groupService) Change(changes ...extlink.Change) error {
	d, err := s.dir.With(changes...)
	if err != nil {
		return err
	}
	s.dir = d
	for id, g := range s.groups {
		s.groups[id] = extlink.Reconcile(d, g)
	}
	return nil
}

// groupsKeepTheirFlag is the service's property: whatever the service
// allows, and whatever the directory goes through, every group keeps its
// external flag (R11) and the invariants of a group.
func groupsKeepTheirFlag(t *rapid.T) {
	var c extlinktest.Config
	d := extlinktest.Directories(c).Draw(t, "directory")
	s := &groupService{dir: d, groups: map[string]extlink.Group{
		"g": extlinktest.Groups(d, c).Draw(t, "group"),
	}}
	for range rapid.IntRange(1, 20).Draw(t, "actions") {
		before := s.groups["g"]
		if rapid.IntRange(0, 4).Draw(t, "change the directory") == 0 {
			s.Change(extlinktest.Changes(s.dir, c).Draw(t, "changes")...) // refused batches change nothing
		} else {
			s.Act("g", extlinktest.Steps(s.dir, before, c).Draw(t, "step")) // refused steps change nothing
		}
		if err := extlinktest.CheckTransition(s.dir, before, s.groups["g"]); err != nil {
			t.Fatal(err)
		}
	}
}

// A property of a service of your own, with extlink's generators: here,
// that whatever the service allows, groups keep their external flag. In a
// test, rapid.Check runs it on a hundred drawn directories, groups and
// sequences of steps and directory changes, and shrinks a failure to a
// small case.
func Example_propertyOfYourService() {
	var t *testing.T // the test's *testing.T
	rapid.Check(t, groupsKeepTheirFlag)
}

func TestGroupServiceKeepsExternalFlag(t *testing.T) {
	rapid.Check(t, groupsKeepTheirFlag)
}

// CheckGroupState names every invariant a stored group breaks: here, a
// LINE user in a group (R6) and a member whose tenant does not let them talk
// with outsiders in an external group (R12).
func ExampleCheckGroupState() {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll}},
			{ID: "t2"},
		},
		[]extlink.User{
			{ID: "a", Tenant: "t1", Role: extlink.Admin},
			{ID: "b", Tenant: "t2"},
			{ID: "l", Kind: extlink.LINEUser},
		},
		nil,
	)
	err := extlinktest.CheckGroupState(d, extlink.GroupState{
		Members:  []extlink.UserID{"a", "b", "l"},
		Masters:  []extlink.UserID{"a"},
		External: true,
		Home:     "t1",
	})
	fmt.Println(err)
	// Output:
	// extlinktest: external group of "t1", members [a b l], masters [a]:
	// member b may not be in an external group: tenant t2 does not talk with outside LINE WORKS users (R12, R13)
	// member l is a LINE user: LINE users are never in groups (R6)
}

// Large builds the same large world for the same seed, for load tests.
func ExampleLarge() {
	w := extlinktest.Large(extlinktest.LargeConfig{Users: 10_000, Seed: 1})
	d, err := w.Directory()
	if err != nil {
		panic(err)
	}
	users, tenants, links := d.Len()
	fmt.Println(users, "users,", tenants, "tenants,", links, "links")
	for _, p := range w.Pairs(4, 2) {
		fmt.Println(p.Kind, extlink.CanTalk(d, p.A, p.B).Allowed)
	}
	// Output:
	// 10000 users, 1284 tenants, 48230 links
	// colleague true
	// linked true
	// unlinked false
	// policy false
}

// mapStore is a service's own store, the plainest there is: maps, built
// once and only read afterwards, so it is safe for concurrent use. A real
// one would read a database.
type mapStore struct {
	users   map[extlink.UserID]extlink.User
	tenants map[extlink.TenantID]extlink.Tenant
	links   map[extlink.UserID][]extlink.UserID // sorted, each once
	members map[extlink.TenantID][]extlink.UserID
}

func newMapStore(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) (extlink.Store, error) {
	// Let the library check the input; a service would have checked it
	// when it was written.
	if _, err := extlink.NewDirectory(tenants, users, links); err != nil {
		return nil, err
	}
	s := &mapStore{
		users:   map[extlink.UserID]extlink.User{},
		tenants: map[extlink.TenantID]extlink.Tenant{},
		links:   map[extlink.UserID][]extlink.UserID{},
		members: map[extlink.TenantID][]extlink.UserID{},
	}
	for _, t := range tenants {
		s.tenants[t.ID] = t
	}
	for _, u := range users {
		s.users[u.ID] = u
		if u.Kind == extlink.WorksUser {
			s.members[u.Tenant] = append(s.members[u.Tenant], u.ID)
		}
	}
	for _, l := range links {
		s.links[l.A] = append(s.links[l.A], l.B)
		s.links[l.B] = append(s.links[l.B], l.A)
	}
	// IDs in byte order, each once: the contract's promise (R26).
	for u, l := range s.links {
		slices.Sort(l)
		s.links[u] = slices.Compact(l)
	}
	for _, m := range s.members {
		slices.Sort(m)
	}
	return s, nil
}

func (s *mapStore) User(id extlink.UserID) (extlink.User, bool) {
	u, ok := s.users[id]
	return u, ok
}

func (s *mapStore) Tenant(id extlink.TenantID) (extlink.Tenant, bool) {
	t, ok := s.tenants[id]
	return t, ok
}

func (s *mapStore) Linked(a, b extlink.UserID) bool {
	_, ok := slices.BinarySearch(s.links[a], b)
	return ok
}

func (s *mapStore) Links(u extlink.UserID) iter.Seq[extlink.UserID] {
	return slices.Values(s.links[u])
}

func (s *mapStore) Members(t extlink.TenantID) iter.Seq[extlink.UserID] {
	return slices.Values(s.members[t])
}

// The map-backed store keeps the Store contract, and every function
// answers on it as on a Directory.
func TestMapStore(t *testing.T) {
	extlinktest.TestStore(t, newMapStore)
}

// A Store of a service's own passes the conformance suite: in a test,
// call TestStore with the store's constructor (newMapStore, above, keeps
// users, tenants and links in maps).
func ExampleTestStore() {
	var t *testing.T // the test's *testing.T
	extlinktest.TestStore(t, newMapStore)
}
