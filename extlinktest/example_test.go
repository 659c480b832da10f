package extlinktest_test

import (
	"iter"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

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
