package extlink

import (
	"cmp"
	"maps"
	"slices"
)

// refState is a plain, obviously correct changeTarget: maps of tenants,
// users and links, turned into a directory by NewDirectory. With applies
// large batches through it (rebuild), and the tests take it as the oracle
// for the one-change-at-a-time builder.
type refState struct {
	tenants map[TenantID]Tenant
	users   map[UserID]User
	adj     map[UserID]map[UserID]bool
	size    map[TenantID]int
}

func newRefState(d *Directory) *refState {
	s := &refState{tenants: map[TenantID]Tenant{}, users: map[UserID]User{}, adj: map[UserID]map[UserID]bool{}, size: map[TenantID]int{}}
	for t := range d.Tenants() {
		s.tenants[t.ID] = t
	}
	for u := range d.Users() {
		s.users[u.ID] = u
		if u.Kind == WorksUser {
			s.size[u.Tenant]++
		}
	}
	for l := range d.AllLinks() {
		s.link(l.A, l.B)
	}
	return s
}

func (s *refState) tenant(id TenantID) (Tenant, bool) { t, ok := s.tenants[id]; return t, ok }
func (s *refState) tenantSize(id TenantID) int        { return s.size[id] }
func (s *refState) user(id UserID) (User, bool)       { u, ok := s.users[id]; return u, ok }
func (s *refState) linked(a, b UserID) bool           { return s.adj[a][b] }
func (s *refState) userLinks(id UserID, f func(User)) {
	for _, v := range slices.Sorted(maps.Keys(s.adj[id])) {
		f(s.users[v])
	}
}
func (s *refState) putTenant(t Tenant, _ bool) { s.tenants[t.ID] = t }
func (s *refState) removeTenant(id TenantID)   { delete(s.tenants, id) }
func (s *refState) putUser(u User, _ bool) {
	if old, ok := s.users[u.ID]; ok && old.Kind == WorksUser {
		s.size[old.Tenant]--
	}
	if u.Kind == WorksUser {
		s.size[u.Tenant]++
	}
	s.users[u.ID] = u
}
func (s *refState) removeUser(id UserID) {
	for v := range s.adj[id] {
		delete(s.adj[v], id)
	}
	delete(s.adj, id)
	if old := s.users[id]; old.Kind == WorksUser {
		s.size[old.Tenant]--
	}
	delete(s.users, id)
}
func (s *refState) link(a, b UserID) {
	for _, p := range [2][2]UserID{{a, b}, {b, a}} {
		if s.adj[p[0]] == nil {
			s.adj[p[0]] = map[UserID]bool{}
		}
		s.adj[p[0]][p[1]] = true
	}
}
func (s *refState) unlink(a, b UserID) { delete(s.adj[a], b); delete(s.adj[b], a) }

// input returns the state as NewDirectory's input, sorted.
func (s *refState) input() ([]Tenant, []User, []Link) {
	ts := slices.SortedFunc(maps.Values(s.tenants), func(a, b Tenant) int { return cmp.Compare(a.ID, b.ID) })
	us := slices.SortedFunc(maps.Values(s.users), func(a, b User) int { return cmp.Compare(a.ID, b.ID) })
	var ls []Link
	for a, m := range s.adj {
		for b := range m {
			if a < b {
				ls = append(ls, Link{a, b})
			}
		}
	}
	slices.SortFunc(ls, func(x, y Link) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	return ts, us, ls
}
