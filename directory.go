package extlink

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"sync"
)

// TenantID identifies a tenant: one organisation with its own members and
// admins. The empty TenantID is not a valid tenant; a LINE user has it.
type TenantID string

// UserID identifies a user. The empty UserID is not a valid user.
type UserID string

// Tenant is one organisation (company, school, club). It is a plain,
// comparable value: copy it freely.
type Tenant struct {
	ID     TenantID
	Name   string
	Policy Policy
}

// Policy is a tenant's admin settings. The zero Policy is closed to outsiders
// and otherwise the vendor's default: no external talk, calls on, only admins
// create groups, members cannot leave groups themselves (a master removes
// them).
type Policy struct {
	Works               Access // who may talk with outside LINE WORKS users (R2)
	LINE                Access // who may talk with LINE users (R2, R6)
	NoCalls             bool   // voice and video calls switched off (R1, R3)
	MembersCreateGroups bool   // members, not only admins, may create groups (R12)
	MembersLeaveGroups  bool   // members, not only admins, may leave groups themselves (R18, D5)
}

// Access says which of a tenant's members may talk with one kind of outsider
// (R2). The zero Access is [AccessOff].
type Access uint8

// The Access values.
const (
	AccessOff    Access = iota // nobody: the tenant's switch is off
	AccessAll                  // every member of the tenant
	AccessListed               // only the tenant's connected members (User.Connected)
)

var accessWords = [...]string{AccessOff: "off", AccessAll: "all", AccessListed: "listed"}

// String returns "off", "all" or "listed", or "Access(n)" for a value out of
// range.
func (a Access) String() string { return enumString("Access", accessWords[:], a) }

// MarshalText encodes a as "off", "all" or "listed". It fails for a value out
// of range.
func (a Access) MarshalText() ([]byte, error) { return enumMarshal("Access", accessWords[:], a) }

// UnmarshalText decodes "off", "all" or "listed". It leaves a unchanged on
// error.
func (a *Access) UnmarshalText(b []byte) error { return enumUnmarshal("Access", accessWords[:], a, b) }

// Kind is the kind of account a user has. The zero Kind is [WorksUser].
type Kind uint8

// The Kind values.
const (
	WorksUser Kind = iota // a LINE WORKS user: a member of exactly one tenant
	LINEUser              // a user of the LINE consumer app: no tenant (R6)
)

var kindWords = [...]string{WorksUser: "works", LINEUser: "line"}

// String returns "works" or "line", or "Kind(n)" for a value out of range.
func (k Kind) String() string { return enumString("Kind", kindWords[:], k) }

// MarshalText encodes k as "works" or "line". It fails for a value out of
// range.
func (k Kind) MarshalText() ([]byte, error) { return enumMarshal("Kind", kindWords[:], k) }

// UnmarshalText decodes "works" or "line". It leaves k unchanged on error.
func (k *Kind) UnmarshalText(b []byte) error { return enumUnmarshal("Kind", kindWords[:], k, b) }

// Role is a user's role in their tenant. The zero Role is [Member].
type Role uint8

// The Role values.
const (
	Member Role = iota // an ordinary member
	Admin              // a tenant administrator: may always create groups and leave them (R12, R18)
)

var roleWords = [...]string{Member: "member", Admin: "admin"}

// String returns "member" or "admin", or "Role(n)" for a value out of range.
func (r Role) String() string { return enumString("Role", roleWords[:], r) }

// MarshalText encodes r as "member" or "admin". It fails for a value out of
// range.
func (r Role) MarshalText() ([]byte, error) { return enumMarshal("Role", roleWords[:], r) }

// UnmarshalText decodes "member" or "admin". It leaves r unchanged on error.
func (r *Role) UnmarshalText(b []byte) error { return enumUnmarshal("Role", roleWords[:], r, b) }

func enumString[E ~uint8](name string, words []string, e E) string {
	if int(e) < len(words) {
		return words[e]
	}
	return fmt.Sprintf("%s(%d)", name, uint8(e))
}

func enumMarshal[E ~uint8](name string, words []string, e E) ([]byte, error) {
	if int(e) < len(words) && words[e] != "" {
		return []byte(words[e]), nil
	}
	return nil, fmt.Errorf("extlink: %w", errInvalidf("%s(%d) is out of range", name, uint8(e)))
}

func enumUnmarshal[E ~uint8](name string, words []string, e *E, b []byte) error {
	if i := slices.Index(words, string(b)); i >= 0 && words[i] != "" {
		*e = E(i)
		return nil
	}
	want := slices.DeleteFunc(slices.Clone(words), func(w string) bool { return w == "" })
	return fmt.Errorf("extlink: %w", errInvalidf("unknown %s %q (want %s)", name, b, strings.Join(want, ", ")))
}

// User is one account. It is a plain, comparable value: copy it freely.
type User struct {
	ID        UserID
	Name      string
	Tenant    TenantID // empty for LINE users
	Kind      Kind     // WorksUser (zero) or LINEUser
	Role      Role     // Member (zero) or Admin
	Connected bool     // on the tenant's connected-members list (R2)
}

// Link is a mutual external link (外部連携) between a tenant user and an
// outsider (R5). The order of A and B does not matter.
type Link struct{ A, B UserID }

// Store is what the rules look up. [*Directory] implements it; a service that
// keeps users, tenants and links in its own store implements Store over it and
// passes that to every function of this package instead of a *Directory.
//
// An implementation must be safe for concurrent use if the caller decides
// concurrently, must answer the same way for the same question while a
// decision is being made, and must keep these promises, which NewDirectory
// checks for a *Directory and which the functions trust:
//   - User returns a user whose ID is the one asked for; a LINE user has no
//     tenant and a LINE WORKS user's tenant is known to Tenant (R6).
//   - Linked is symmetric (R5) and false for a user and themselves, for two
//     users of one tenant and for two LINE users.
//   - Links yields exactly the users u is linked with, each once, in
//     increasing ID order; Members yields a tenant's users, each once, in
//     increasing ID order. ID order is byte order, Go's string order (R26):
//     a database must compare IDs by their bytes (COLLATE "C"), or its
//     stores will break the planner's ties differently from a *Directory.
//   - The functions call the Store again while ranging over Links and
//     Members (a lookup of each user yielded, for instance), so an
//     implementation must allow that: a database cursor held open while
//     ranging deadlocks. Read the rows first, then yield.
//   - A Store answers from memory and cannot fail: an error (a database
//     gone away) would have to be answered as "unknown user", a confident
//     and wrong denial. A service over a database keeps a *Directory
//     current instead (see the sqlstore module, and [Directory.With]).
//
// What each function looks up: decisions (CanTalk, CanCall, CanEmail and the
// Can methods) call User for the users named and Tenant for their tenants,
// and Linked across tenants; group operations and Reconcile the same for
// each member concerned; PlanGroup, Audit and WhatIf also Links and Members,
// as far as their search reaches; ContactCard Links of the contact's user.
//
// The *Directory methods do no allocation per decision; the functions of this
// package take a faster path for a *Directory than for other stores.
// extlinktest.TestStore checks an implementation against these promises.
type Store interface {
	User(id UserID) (User, bool)
	Tenant(id TenantID) (Tenant, bool)
	Linked(a, b UserID) bool
	Links(u UserID) iter.Seq[UserID]
	Members(t TenantID) iter.Seq[UserID]
}

// Directory is an in-memory [Store]: tenants, users and links, checked and
// laid out for fast decisions. It is immutable once built and safe for
// concurrent use. The zero Directory and a nil *Directory are empty.
//
// A Directory changes by value ([Directory.With], R28): a new directory
// shares all but what the change touches with the one it came from, which
// stays unchanged and usable. Users and tenants are numbered in the order
// they came (NewDirectory numbers its input in ID order); a removed one
// keeps its number, unused.
type Directory struct {
	tmap     tenantMap
	tens     pvec[tenantRec]  // by tenant number
	tinfo    pvec[tenantInfo] // by tenant number: what resolving a member's rec needs
	ntenants int              // live tenants

	// index holds each user's rec inline, so that a decision finds all it
	// needs about a user, link span included, in one cache line.
	index  userIndex
	users  pvec[User] // by node; a removed user's entry keeps its ID
	recs   pvec[urec] // by node, as in the index
	spans  arena      // the users' links
	dead   int        // arena entries this directory's changes left unused
	nusers int        // live users
	nlinks int

	// ordered says node order is ID order among every node ever numbered
	// (removed ones included), and tordered the same of tenants: then the
	// numbers compare as the IDs do, and nothing needs sorting.
	ordered, tordered bool
	sorted            *sortCache // built on first use when not ordered
}

// tenantRec is one tenant of a directory.
type tenantRec struct {
	t       Tenant
	members []int32 // its users' nodes, in ID order; never written in place
	dead    bool    // removed: t keeps only the ID
}

// sortCache holds a directory's live users and tenants in ID order, for
// directories whose numbering is not in ID order; each is computed once, on
// first use.
type sortCache struct {
	uonce, tonce sync.Once
	users        []int32
	tenants      []int32
}

// tenantInfo is what resolving a member's urec needs of its tenant, in a
// small table that stays in cache.
type tenantInfo struct {
	fl  [4]uint8 // the rec flags of a member, by the member's ubits&3 (admin, connected)
	pol uint8    // the policy, packed (packPolicy), for a refusal's fix
	id  TenantID
}

// newTenantInfo returns the tenantInfo of t.
func newTenantInfo(t Tenant) tenantInfo {
	return tenantInfo{fl: tenantFlags(t.Policy), pol: packPolicy(t.Policy), id: t.ID}
}

// tenantFlags returns the rec flags of a member of a tenant with policy p,
// indexed by the member's ubits (admin, connected).
func tenantFlags(p Policy) (fl [4]uint8) {
	for ub := range fl {
		u := User{Kind: WorksUser, Connected: ub&int(uConnected) != 0}
		if ub&int(uAdmin) != 0 {
			u.Role = Admin
		}
		fl[ub] = newRec(u, p, -1, -1).flags
	}
	return fl
}

// resolve returns the rec of u, one of d's urecs: its flags from its
// tenant's current policy and its tenant's ID.
func (d *Directory) resolve(u *urec) rec {
	r := rec{urec: *u}
	if u.tidx >= 0 {
		ti := d.tinfo.at(int(u.tidx))
		r.flags, r.pol, r.tenant = ti.fl[u.ubits&(uAdmin|uConnected)], ti.pol, ti.id
	}
	return r
}

// tenantMap maps tenant IDs to tenant numbers: a base map that is never
// written once a directory holds it, and a small map of what changed since,
// copied on write and folded into a new base when it grows past about the
// square root of the base, so that a change costs O(sqrt(T)) amortized.
type tenantMap struct {
	base  map[TenantID]int32
	delta map[TenantID]int32 // -1: removed
	own   *token
}

func (m *tenantMap) get(id TenantID) (int32, bool) {
	if v, ok := m.delta[id]; ok {
		return v, v >= 0
	}
	v, ok := m.base[id]
	return v, ok
}

func (m *tenantMap) set(id TenantID, v int32, tok *token) {
	if m.own != tok {
		m.delta = maps.Clone(m.delta)
		m.own = tok
	}
	if m.delta == nil {
		m.delta = map[TenantID]int32{}
	}
	m.delta[id] = v
	if n := len(m.delta); n*n > 4*len(m.base)+256 {
		base := make(map[TenantID]int32, len(m.base)+n)
		maps.Copy(base, m.base)
		for k, v := range m.delta {
			if v < 0 {
				delete(base, k)
			} else {
				base[k] = v
			}
		}
		m.base, m.delta = base, nil
	}
}

// Problem is one defect found in the input to [NewDirectory].
type Problem struct {
	Record string // "tenant", "user" or "link"
	Index  int    // the record's position in its input slice
	ID     string // the record's ID ("a-b" for a link), possibly empty
	Field  string // the field at fault, e.g. "Tenant" or "Policy.Works"
	Rule   Rule   // the rule the problem breaks, or 0
	Msg    string // what is wrong, in lowercase words
}

// String formats p as one line naming the record, the field and the rule.
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d (%q): %s: %s", p.Record, p.Index, p.ID, p.Field, p.Msg)
	if p.Rule != 0 {
		fmt.Fprintf(&b, " (%s)", p.Rule)
	}
	return b.String()
}

// DirectoryError lists every problem [NewDirectory] found in its input. It
// wraps [ErrInvalid], never [ErrDenied].
type DirectoryError struct {
	Problems []Problem
}

// Unwrap returns [ErrInvalid].
func (e *DirectoryError) Unwrap() error { return ErrInvalid }

// Error lists every problem, one a line.
func (e *DirectoryError) Error() string {
	var b strings.Builder
	n := len(e.Problems)
	if n == 1 {
		b.WriteString("extlink: invalid directory: 1 problem:")
	} else {
		fmt.Fprintf(&b, "extlink: invalid directory: %d problems:", n)
	}
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// NewDirectory checks tenants, users and links and builds a [Directory] from
// them. It does not keep or change the slices passed in.
//
// It rejects bad input with a *[DirectoryError] listing every problem found,
// each naming the record (its kind, index and ID), the field and the rule:
// an empty or duplicate ID; an Access, Kind or Role out of range; a LINE WORKS
// user without a tenant or with an unknown one; a LINE user with a tenant,
// with the admin role or on a connected list (R6); a link with an empty or
// unknown end, to oneself, inside one tenant or between two LINE users
// (R5, R6). A link given twice, in either order, counts once.
//
// It runs in O(T log T + U log U + L log L) time for T tenants, U users and L
// links, and keeps 190 to 270 bytes per user, depending on how full its
// index's power-of-two table is, and 8 per link; the IDs and names are
// shared with the input. BENCHMARKS.md reports what a million users with
// five million links take.
func NewDirectory(tenants []Tenant, users []User, links []Link) (*Directory, error) {
	probs, order, firstOf := checkRecords(tenants, users)
	add := func(p Problem) { probs = append(probs, p) }
	if len(probs) > 0 {
		linkProblems(users, links, firstOf, add)
		return nil, &DirectoryError{Problems: probs}
	}

	// The tenants and users are valid: lay them out, index them, and check
	// the links against the index, which resolves a link's end in one cache
	// line, kind and tenant included.
	d := &Directory{ordered: true, tordered: true, sorted: &sortCache{},
		ntenants: len(tenants), nusers: len(users)}
	ts := d.layOut(tenants, users, order)
	var found [2 * linkBatch]*urec
	pairs := checkLinks(links, func(ids []UserID, ends []linkEnd) {
		d.findAll(ids, found[:len(ids)])
		for j, r := range found[:len(ids)] {
			if r != nil {
				ends[j] = linkEnd{idx: r.idx, kind: r.kind, tidx: r.tidx, ok: true}
			} else {
				ends[j] = linkEnd{}
			}
		}
	}, func(t int32) TenantID { return ts[t].ID }, add)
	if len(probs) > 0 {
		return nil, &DirectoryError{Problems: probs}
	}
	d.placeLinks(pairs)
	return d, nil
}

// checkRecords checks the tenants and users of NewDirectory's input, each
// on its own and for repeated IDs, and returns the problems found, the
// users' input indexes in ID order (input order among equal IDs) and, for
// each user, the input index of the first user with that ID. Sorting finds
// repeated IDs without a map, and is needed for the layout anyway.
func checkRecords(tenants []Tenant, users []User) (probs []Problem, order, firstOf []int32) {
	add := func(p Problem) { probs = append(probs, p) }
	tseen := make(map[TenantID]int, len(tenants))
	for i, t := range tenants {
		p := Problem{Record: "tenant", Index: i, ID: string(t.ID)}
		addf := func(f fault) { p.Field, p.Rule, p.Msg = f.field, f.rule, f.msg; add(p) }
		if f := idFault(string(t.ID)); f != "" {
			addf(fault{"ID", R26, f})
		} else if j, dup := tseen[t.ID]; dup {
			addf(fault{"ID", 0, fmt.Sprintf("duplicate ID (also tenant %d)", j)})
		} else {
			tseen[t.ID] = i
		}
		policyFaults(t.Policy, addf)
	}
	order = make([]int32, len(users))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(users[a].ID, users[b].ID), cmp.Compare(a, b))
	})
	firstOf = make([]int32, len(users))
	for k, i := range order {
		firstOf[i] = i
		if k > 0 && users[i].ID == users[order[k-1]].ID {
			firstOf[i] = firstOf[order[k-1]]
		}
	}
	known := func(t TenantID) bool { _, ok := tseen[t]; return ok }
	for i, u := range users {
		p := Problem{Record: "user", Index: i, ID: string(u.ID)}
		addf := func(f fault) { p.Field, p.Rule, p.Msg = f.field, f.rule, f.msg; add(p) }
		if j := firstOf[i]; u.ID != "" && j != int32(i) {
			addf(fault{"ID", 0, fmt.Sprintf("duplicate ID (also user %d)", j)})
		}
		userFaults(u, known, addf)
	}
	return probs, order, firstOf
}

// linkProblems lists the links' problems when the records already have
// some, so that one error names them all: each link end resolves through
// the input, an ID to its first user.
func linkProblems(users []User, links []Link, firstOf []int32, add func(Problem)) {
	useen := make(map[UserID]int, len(users))
	for i, u := range users {
		if u.ID != "" && firstOf[i] == int32(i) {
			useen[u.ID] = i
		}
	}
	checkLinks(links, func(ids []UserID, ends []linkEnd) {
		for j, id := range ids {
			if i, ok := useen[id]; ok {
				ends[j] = linkEnd{idx: int32(i), kind: users[i].Kind, tenant: users[i].Tenant, ok: true}
			} else {
				ends[j] = linkEnd{}
			}
		}
	}, nil, add)
}

// layOut fills d's tenants, users, records and index from valid input,
// users numbered in ID order (order), and returns the tenants in ID order.
func (d *Directory) layOut(tenants []Tenant, users []User, order []int32) []Tenant {
	ts := slices.Clone(tenants)
	slices.SortFunc(ts, func(a, b Tenant) int { return cmp.Compare(a.ID, b.ID) })
	d.tmap.base = make(map[TenantID]int32, len(ts))
	d.tens, d.tinfo = newPvec[tenantRec](len(ts), nil), newPvec[tenantInfo](len(ts), nil)
	for i, t := range ts {
		d.tmap.base[t.ID] = int32(i)
		*d.tens.at(i) = tenantRec{t: t}
		*d.tinfo.at(i) = newTenantInfo(t)
	}
	d.users, d.recs = newPvec[User](len(users), nil), newPvec[urec](len(users), nil)
	count := make([]int32, len(ts)+1)
	for k, i := range order {
		u := users[i]
		*d.users.at(k) = u
		t := int32(-1)
		if u.Kind == WorksUser {
			t = d.tmap.base[u.Tenant]
			count[t+1]++
		}
		*d.recs.at(k) = newRec(u, Policy{}, int32(k), t).urec
	}
	for t := range ts {
		count[t+1] += count[t]
	}
	mem := make([]int32, count[len(ts)])
	fill := slices.Clone(count[:len(ts)])
	for k := range len(users) {
		if t := d.recs.at(k).tidx; t >= 0 {
			mem[fill[t]] = int32(k)
			fill[t]++
		}
	}
	for t := range ts {
		d.tens.at(t).members = mem[count[t]:count[t+1]:count[t+1]]
	}
	d.index = newUserIndex(len(users), nil)
	for k := range len(users) {
		d.index.place(d.users.at(k).ID, *d.recs.at(k), nil)
	}
	return ts
}

// placeLinks lays out the checked links of pairs: both directions counted,
// placed, each span sorted and its repeats dropped, in one arena chunk;
// then each record's span, degree and link filter, copied into the index.
func (d *Directory) placeLinks(pairs []linkPair) {
	n := d.nusers
	off := make([]int32, n+1)
	for _, p := range pairs {
		off[p.a+1]++
		off[p.b+1]++
	}
	for k := range n {
		off[k+1] += off[k]
	}
	adj := make([]int32, off[n])
	next := slices.Clone(off[:n])
	for _, p := range pairs {
		adj[next[p.a]] = p.b
		next[p.a]++
		adj[next[p.b]] = p.a
		next[p.b]++
	}
	w := int32(0)
	starts := make([]int32, n)
	for k := range n {
		span := adj[off[k]:off[k+1]]
		slices.Sort(span)
		starts[k] = w
		for j, v := range span {
			if j > 0 && v == span[j-1] {
				continue
			}
			adj[w] = v
			w++
		}
		r := d.recs.at(k)
		r.deg = w - starts[k]
	}
	adj = slices.Clip(adj[:w])
	c := &spanChunk{data: adj}
	c.used.Store(int64(len(adj)))
	d.spans.chunks = []*spanChunk{c}
	for k := range n {
		r := d.recs.at(k)
		r.off = uint32(starts[k])
		r.filt = linkFilter(d.spans.get(r))
	}
	for p := range d.index.slots.n {
		if s := d.index.slots.at(p); s.tag != 0 {
			s.r = *d.recs.at(int(s.r.idx))
		}
	}
	d.nlinks = int(w) / 2
}

// linkEnd is what checking a link needs to know about one of its users.
type linkEnd struct {
	idx    int32 // the user's index, in the input or in ID order
	kind   Kind
	tenant TenantID // the tenant's ID, or empty when tidx says it
	tidx   int32    // the tenant's number in the directory being built
	ok     bool     // the user is known
}

// linkPair is a valid link as its users' indices, the smaller first.
type linkPair struct{ a, b int32 }

// linkBatch is how many links checkLinks resolves at a time: two ends each,
// as many as userIndex.findAll takes.
const linkBatch = findBatch / 2

// checkLinks checks each link (R5, R6), adds a problem for each defect and
// returns the valid links' pairs, in input order, repeats included. It
// resolves the users of up to linkBatch links at a time with resolve, which
// fills ends[j] for ids[j], so that a resolver can overlap their lookups'
// cache misses. name returns the ID of a tenant an end gives by number.
func checkLinks(links []Link, resolve func(ids []UserID, ends []linkEnd), name func(tidx int32) TenantID, add func(Problem)) []linkPair {
	pairs := make([]linkPair, 0, len(links))
	var ids [2 * linkBatch]UserID
	var ends [2 * linkBatch]linkEnd
	for start := 0; start < len(links); start += linkBatch {
		batch := links[start:min(start+linkBatch, len(links))]
		for j, l := range batch {
			ids[2*j], ids[2*j+1] = l.A, l.B
		}
		resolve(ids[:2*len(batch)], ends[:2*len(batch)])
		for j, l := range batch {
			i, a, b := start+j, ends[2*j], ends[2*j+1]
			for _, end := range [...]struct {
				field string
				id    UserID
				ok    bool
			}{{"A", l.A, a.ok}, {"B", l.B, b.ok}} {
				switch {
				case end.id == "":
					add(linkProblem(i, l, end.field, R5, "empty user ID"))
				case !end.ok:
					add(linkProblem(i, l, end.field, R5, fmt.Sprintf("unknown user %q", end.id)))
				}
			}
			if !a.ok || !b.ok {
				continue
			}
			same := a.tidx == b.tidx && a.tenant == b.tenant
			tenant := func() TenantID {
				if a.tenant != "" || name == nil {
					return a.tenant
				}
				return name(a.tidx)
			}
			if f, ok := linkFault(l.A, l.B, a.kind, b.kind, same, tenant); !ok {
				add(linkProblem(i, l, f.field, f.rule, f.msg))
				continue
			}
			if a.idx > b.idx {
				a, b = b, a
			}
			pairs = append(pairs, linkPair{a.idx, b.idx})
		}
	}
	return pairs
}

// linkProblem returns the problem of links[i], l, built only when there is
// one: its ID is a new string.
func linkProblem(i int, l Link, field string, rule Rule, msg string) Problem {
	return Problem{Record: "link", Index: i, ID: string(l.A) + "-" + string(l.B), Field: field, Rule: rule, Msg: msg}
}

// MustNewDirectory is like [NewDirectory] but panics on bad input. It is for
// tests and examples whose input is a constant; services should call
// NewDirectory and handle the error.
func MustNewDirectory(tenants []Tenant, users []User, links []Link) *Directory {
	d, err := NewDirectory(tenants, users, links)
	if err != nil {
		panic(err)
	}
	return d
}

// User returns the user with the given ID, if any.
func (d *Directory) User(id UserID) (User, bool) {
	if d == nil {
		return User{}, false
	}
	r := d.find(id)
	if r == nil {
		return User{}, false
	}
	return *d.users.at(int(r.idx)), true
}

// Tenant returns the tenant with the given ID, if any.
func (d *Directory) Tenant(id TenantID) (Tenant, bool) {
	if d == nil {
		return Tenant{}, false
	}
	i, ok := d.tmap.get(id)
	if !ok {
		return Tenant{}, false
	}
	return d.tens.at(int(i)).t, true
}

// Linked reports whether a and b are linked (R5). It is symmetric, and false
// when either is unknown. It costs two index lookups and a search over the
// shorter of the two users' links.
func (d *Directory) Linked(a, b UserID) bool {
	if d == nil {
		return false
	}
	ra, rb := d.find(a), d.find(b)
	return ra != nil && rb != nil && d.linked(ra, rb)
}

// linked reports whether the users of two urecs of d are linked. Most
// pairs that are not are told by the filters in the urecs, with no further
// memory access; the others by a search over the shorter of the two link
// spans: a binary search on node numbers when they are in ID order, else a
// scan of a short span or a binary search on IDs.
func (d *Directory) linked(a, b *urec) bool {
	if !mayLink(a, b.idx) || !mayLink(b, a.idx) {
		return false
	}
	if b.deg < a.deg {
		a, b = b, a
	}
	return d.has(d.spans.get(a), b.idx)
}

// has reports whether span s, nodes in ID order, holds node n: a binary
// search on node numbers when they are in ID order, else a scan of a short
// span or a binary search on IDs.
func (d *Directory) has(s []int32, n int32) bool {
	if !d.ordered && len(s) <= scanSpan {
		return slices.Contains(s, n)
	}
	_, found := d.search(s, n)
	return found
}

// search returns where node n is or would be in s, nodes in ID order, and
// whether it is there: a binary search on node numbers when they are in ID
// order, else on IDs.
func (d *Directory) search(s []int32, n int32) (int, bool) {
	if d.ordered {
		return slices.BinarySearch(s, n)
	}
	return slices.BinarySearchFunc(s, d.users.at(int(n)).ID, d.cmpNode)
}

// scanSpan is the longest span linked scans rather than searches.
const scanSpan = 64

// cmpNode compares node n's ID with id.
func (d *Directory) cmpNode(n int32, id UserID) int { return cmp.Compare(d.users.at(int(n)).ID, id) }

// Links yields the users u is linked with, in increasing ID order. It yields
// nothing for an unknown user.
func (d *Directory) Links(u UserID) iter.Seq[UserID] {
	return func(yield func(UserID) bool) {
		if d == nil {
			return
		}
		r := d.find(u)
		if r == nil {
			return
		}
		for _, j := range d.spans.get(r) {
			if !yield(d.users.at(int(j)).ID) {
				return
			}
		}
	}
}

// Members yields the users of tenant t, in increasing ID order. It yields
// nothing for an unknown tenant.
func (d *Directory) Members(t TenantID) iter.Seq[UserID] {
	return func(yield func(UserID) bool) {
		if d == nil {
			return
		}
		ti, ok := d.tmap.get(t)
		if !ok {
			return
		}
		for _, k := range d.tens.at(int(ti)).members {
			if !yield(d.users.at(int(k)).ID) {
				return
			}
		}
	}
}

// userOrder returns d's live users' nodes in ID order, or nil when node
// order is ID order (then every node not removed is live, in order).
func (d *Directory) userOrder() []int32 {
	if d.ordered || d.sorted == nil {
		return nil
	}
	d.sorted.uonce.Do(func() {
		out := make([]int32, 0, d.nusers)
		for n := range d.users.n {
			if d.recs.at(n).ubits&uDead == 0 {
				out = append(out, int32(n))
			}
		}
		slices.SortFunc(out, d.cmpNodes)
		d.sorted.users = out
	})
	return d.sorted.users
}

// cmpNodes compares two nodes by ID.
func (d *Directory) cmpNodes(a, b int32) int {
	return cmp.Compare(d.users.at(int(a)).ID, d.users.at(int(b)).ID)
}

// eachUser calls f with each live user's node in ID order until f returns
// false.
func (d *Directory) eachUser(f func(n int32) bool) {
	if d == nil {
		return
	}
	if order := d.userOrder(); order != nil || !d.ordered {
		for _, n := range order {
			if !f(n) {
				return
			}
		}
		return
	}
	for n := range d.users.n {
		if d.recs.at(n).ubits&uDead == 0 && !f(int32(n)) {
			return
		}
	}
}

// Users yields every user in increasing ID order.
func (d *Directory) Users() iter.Seq[User] {
	return func(yield func(User) bool) {
		d.eachUser(func(n int32) bool { return yield(*d.users.at(int(n))) })
	}
}

// Tenants yields every tenant in increasing ID order.
func (d *Directory) Tenants() iter.Seq[Tenant] {
	return func(yield func(Tenant) bool) {
		if d == nil {
			return
		}
		if d.tordered || d.sorted == nil {
			for i := range d.tens.n {
				if t := d.tens.at(i); !t.dead && !yield(t.t) {
					return
				}
			}
			return
		}
		d.sorted.tonce.Do(func() {
			out := make([]int32, 0, d.ntenants)
			for i := range d.tens.n {
				if !d.tens.at(i).dead {
					out = append(out, int32(i))
				}
			}
			slices.SortFunc(out, func(a, b int32) int {
				return cmp.Compare(d.tens.at(int(a)).t.ID, d.tens.at(int(b)).t.ID)
			})
			d.sorted.tenants = out
		})
		for _, i := range d.sorted.tenants {
			if !yield(d.tens.at(int(i)).t) {
				return
			}
		}
	}
}

// AllLinks yields every link once, as Link{A, B} with A < B, in increasing
// order of A and then B.
func (d *Directory) AllLinks() iter.Seq[Link] {
	return func(yield func(Link) bool) {
		d.eachUser(func(i int32) bool {
			a := d.users.at(int(i)).ID
			for _, j := range d.spans.get(d.recs.at(int(i))) {
				if b := d.users.at(int(j)).ID; a < b && !yield(Link{a, b}) {
					return false
				}
			}
			return true
		})
	}
}

// GoString describes d by its size, "extlink.Directory{users: 3, tenants:
// 2, links: 1}", for test failures and debuggers that would otherwise
// print its internals.
func (d *Directory) GoString() string {
	u, t, l := d.Len()
	return fmt.Sprintf("extlink.Directory{users: %d, tenants: %d, links: %d}", u, t, l)
}

// Len returns the number of users, tenants and distinct links.
func (d *Directory) Len() (users, tenants, links int) {
	if d == nil {
		return 0, 0, 0
	}
	return d.nusers, d.ntenants, d.nlinks
}
