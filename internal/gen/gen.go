// Package gen generates large, realistic directories for benchmarks and
// tests: deterministic for a seed, with heavy-tailed tenant sizes and link
// degrees (most users have a few links, a few have thousands).
package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/extlink/extlink"
)

// Config says what to generate. The zero values of the optional fields take
// the defaults noted.
type Config struct {
	Users        int     // number of users
	LinksPerUser float64 // links per user (default 5): the directory has about Users*LinksPerUser links
	BigTenant    int     // members of one extra-large tenant "t0000000" (default 0: none), run like an enterprise: see New
	LINEShare    float64 // share of LINE users (default 0.05)
	Seed         uint64
}

// World is a generated directory's input, plus an index for choosing
// queries.
type World struct {
	Tenants []extlink.Tenant
	Users   []extlink.User
	Links   []extlink.Link

	members [][]int32 // user indices of each tenant
	tindex  map[extlink.TenantID]int
	rng     *rand.Rand
}

// New generates a world. Tenant sizes follow a power law between 2 and 2,000
// members (plus BigTenant); a tenant's policy is drawn from a realistic mix:
// most allow outside talk to all members or to a connected list, some allow
// none; about 2% of users are admins. The big tenant is run the way large
// enterprises run LINE WORKS: outside talk for a connected list of about 5%
// of its members, no LINE, only admins create groups, members cannot leave
// groups themselves. Degrees follow a Pareto law (alpha
// 1.7) capped at 5,000, and links are drawn by pairing link ends at random,
// dropping pairs the directory would refuse (inside one tenant, two LINE
// users, a user with themselves).
func New(c Config) *World {
	if c.LinksPerUser == 0 {
		c.LinksPerUser = 5
	}
	if c.LINEShare == 0 {
		c.LINEShare = 0.05
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x6578746c696e6b))
	w := &World{tindex: map[extlink.TenantID]int{}, rng: rng}

	nLINE := int(float64(c.Users) * c.LINEShare)
	nWorks := c.Users - nLINE
	// Tenants: the big one first, then power-law sizes until everyone has one.
	var sizes []int
	left := nWorks
	if c.BigTenant > 0 && c.BigTenant <= left {
		sizes = append(sizes, c.BigTenant)
		left -= c.BigTenant
	}
	for left > 0 {
		s := int(2 / math.Pow(1-rng.Float64(), 1/1.2))
		s = min(max(s, 2), 2000, left)
		sizes = append(sizes, s)
		left -= s
	}
	w.members = make([][]int32, len(sizes))
	for i := range sizes {
		id := extlink.TenantID("t" + pad(i))
		w.tindex[id] = i
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: id, Name: "tenant " + strconv.Itoa(i), Policy: policy(rng)})
	}
	big := c.BigTenant > 0 && len(sizes) > 0 && sizes[0] == c.BigTenant
	if big {
		w.Tenants[0].Policy = extlink.Policy{Works: extlink.AccessListed} // members cannot leave groups (D5)
	}
	w.Users = make([]extlink.User, 0, c.Users)
	for t, s := range sizes {
		tid := w.Tenants[t].ID
		for range s {
			i := int32(len(w.Users))
			u := extlink.User{ID: extlink.UserID("u" + pad(int(i))), Tenant: tid, Connected: rng.IntN(2) == 0}
			if big && t == 0 {
				u.Connected = rng.IntN(20) == 0
			}
			if rng.IntN(50) == 0 {
				u.Role = extlink.Admin
			}
			w.Users = append(w.Users, u)
			w.members[t] = append(w.members[t], i)
		}
	}
	for range nLINE {
		w.Users = append(w.Users, extlink.User{ID: extlink.UserID("u" + pad(len(w.Users))), Kind: extlink.LINEUser})
	}

	// Link ends: each user appears deg times, deg heavy-tailed.
	n := len(w.Users)
	if n < 2 {
		return w
	}
	want := int(float64(n) * c.LinksPerUser * 2)
	ends := make([]int32, 0, want+5000)
	xmin := c.LinksPerUser * 2 * 0.7 / 1.7 // mean of Pareto(xmin, 1.7) is xmin*1.7/0.7
	for len(ends) < want {
		u := int32(rng.IntN(n))
		deg := int(xmin / math.Pow(1-rng.Float64(), 1/1.7))
		deg = min(max(deg, 1), 5000, want-len(ends))
		for range deg {
			ends = append(ends, u)
		}
	}
	rng.Shuffle(len(ends), func(i, j int) { ends[i], ends[j] = ends[j], ends[i] })
	w.Links = make([]extlink.Link, 0, len(ends)/2)
	for k := 0; k+1 < len(ends); k += 2 {
		a, b := &w.Users[ends[k]], &w.Users[ends[k+1]]
		if a.ID == b.ID || a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser ||
			a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant {
			continue
		}
		w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
	}
	return w
}

func pad(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 7 {
		s = "0000000"[len(s):] + s
	}
	return s
}

func policy(rng *rand.Rand) extlink.Policy {
	access := func() extlink.Access {
		switch r := rng.IntN(10); {
		case r < 5:
			return extlink.AccessAll
		case r < 8:
			return extlink.AccessListed
		}
		return extlink.AccessOff
	}
	return extlink.Policy{
		Works:               access(),
		LINE:                access(),
		NoCalls:             rng.IntN(10) == 0,
		MembersCreateGroups: rng.IntN(2) == 0,
		MembersLeaveGroups:  rng.IntN(3) != 0,
	}
}

// Pair is one query: may A talk with (or call) B?
type Pair struct {
	A, B extlink.UserID
	Kind string // "colleague", "linked", "unlinked" or "policy"
}

// Pairs returns n queries, a fixed pseudo-random mix for the seed: a quarter
// each of colleagues, linked pairs whose tenants allow them, unlinked
// outsiders, and linked pairs a tenant's policy refuses. Kinds the world
// cannot supply are replaced by unlinked pairs.
func (w *World) Pairs(n int, seed uint64) []Pair {
	rng := rand.New(rand.NewPCG(seed, 0x7061697273))
	allowed, refused := w.splitLinks()
	out := make([]Pair, 0, n)
	for i := 0; len(out) < n; i++ {
		switch i % 4 {
		case 0:
			t := w.members[rng.IntN(len(w.members))]
			if len(t) >= 2 {
				a, b := t[rng.IntN(len(t))], t[rng.IntN(len(t))]
				if a != b {
					out = append(out, Pair{w.Users[a].ID, w.Users[b].ID, "colleague"})
				}
			}
		case 1:
			if len(allowed) > 0 {
				l := allowed[rng.IntN(len(allowed))]
				out = append(out, Pair{l.A, l.B, "linked"})
			}
		case 2:
			a, b := w.Users[rng.IntN(len(w.Users))], w.Users[rng.IntN(len(w.Users))]
			if a.Tenant != b.Tenant || a.Kind != b.Kind {
				out = append(out, Pair{a.ID, b.ID, "unlinked"})
			}
		case 3:
			if len(refused) > 0 {
				l := refused[rng.IntN(len(refused))]
				out = append(out, Pair{l.A, l.B, "policy"})
			}
		}
	}
	return out
}

// splitLinks sorts links into those both tenants allow for talk and those a
// policy refuses, by the plain reading of R2.
func (w *World) splitLinks() (allowed, refused []extlink.Link) {
	uindex := make(map[extlink.UserID]int, len(w.Users))
	for i, u := range w.Users {
		uindex[u.ID] = i
	}
	side := func(u, other extlink.User) bool {
		if u.Kind == extlink.LINEUser {
			return true
		}
		p := w.Tenants[w.tindex[u.Tenant]].Policy
		a := p.Works
		if other.Kind == extlink.LINEUser {
			a = p.LINE
		}
		return a == extlink.AccessAll || a == extlink.AccessListed && u.Connected
	}
	for _, l := range w.Links {
		a, b := w.Users[uindex[l.A]], w.Users[uindex[l.B]]
		if side(a, b) && side(b, a) {
			allowed = append(allowed, l)
		} else {
			refused = append(refused, l)
		}
	}
	return allowed, refused
}

// Members returns the IDs of tenant t's users, sorted.
func (w *World) Members(t extlink.TenantID) []extlink.UserID {
	i, ok := w.tindex[t]
	if !ok {
		return nil
	}
	out := make([]extlink.UserID, len(w.members[i]))
	for k, u := range w.members[i] {
		out[k] = w.Users[u].ID
	}
	slices.Sort(out)
	return out
}
