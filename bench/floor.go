package bench

import "github.com/extlink/extlink"

// Floor is the least work the talk rule (R1, R2, D8) needs, written by hand:
// a users map, a tenants map and a set of links keyed by the pair, and a
// function returning a bool. It names no rule, no party and no remedy, and
// checks no input: it is the benchmarks' lower bound, what any engine of
// these rules must at least do, as casbin's BenchmarkRaw is for casbin.
type Floor struct {
	users   map[extlink.UserID]floorUser
	tenants map[extlink.TenantID]extlink.Policy
	links   map[floorLink]struct{}
}

type floorUser struct {
	tenant    extlink.TenantID
	line      bool
	connected bool
}

// floorLink is a link with its ends in increasing order.
type floorLink struct{ a, b extlink.UserID }

func newFloorLink(a, b extlink.UserID) floorLink {
	if b < a {
		a, b = b, a
	}
	return floorLink{a, b}
}

// NewFloor builds a Floor from a directory's input, which it trusts to be
// valid (as [extlink.NewDirectory] would accept it).
func NewFloor(tenants []extlink.Tenant, users []extlink.User, links []extlink.Link) *Floor {
	f := &Floor{
		users:   make(map[extlink.UserID]floorUser, len(users)),
		tenants: make(map[extlink.TenantID]extlink.Policy, len(tenants)),
		links:   make(map[floorLink]struct{}, len(links)),
	}
	for _, t := range tenants {
		f.tenants[t.ID] = t.Policy
	}
	for _, u := range users {
		f.users[u.ID] = floorUser{tenant: u.Tenant, line: u.Kind == extlink.LINEUser, connected: u.Connected}
	}
	for _, l := range links {
		f.links[newFloorLink(l.A, l.B)] = struct{}{}
	}
	return f
}

// Talk reports whether from may talk 1:1 with to: the same answer as
// [extlink.CanTalk]'s Allowed, with nothing else.
func (f *Floor) Talk(from, to extlink.UserID) bool {
	a, ok := f.users[from]
	if !ok {
		return false
	}
	b, ok := f.users[to]
	if !ok || from == to {
		return false
	}
	if !a.line && !b.line && a.tenant == b.tenant {
		return true // R1
	}
	if !f.outward(a, b.line) || !f.outward(b, a.line) {
		return false // R2, D8
	}
	_, ok = f.links[newFloorLink(from, to)]
	return ok
}

// outward reports whether u's tenant lets u talk with an outsider, a LINE
// user if line is set; a LINE user has no tenant to ask.
func (f *Floor) outward(u floorUser, line bool) bool {
	if u.line {
		return true
	}
	p := f.tenants[u.tenant]
	a := p.Works
	if line {
		a = p.LINE
	}
	return a == extlink.AccessAll || a == extlink.AccessListed && u.connected
}
