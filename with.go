package extlink

import (
	"fmt"
	"slices"
)

// changeTarget is a directory being changed, as the checks of a batch see
// it: [applyChanges] asks it questions about the state so far and, for each
// change that passes, applies it. The in-memory directory's copy-on-write
// builder is one; the tests' plain reference model is another.
type changeTarget interface {
	tenant(id TenantID) (Tenant, bool)
	tenantSize(id TenantID) int // the number of users of tenant id
	user(id UserID) (User, bool)
	linked(a, b UserID) bool
	userLinks(id UserID, f func(other User)) // calls f for each user id is linked with, in ID order

	putTenant(t Tenant, isNew bool)
	removeTenant(id TenantID)
	putUser(u User, isNew bool)
	removeUser(id UserID) // and the user's links
	link(a, b UserID)
	unlink(a, b UserID)
}

// applyChanges checks each change against the state t has reached and
// applies the ones that pass, in order, so that a change sees the ones
// before it; a change with a problem is skipped, so that the problems of
// the rest are still found. It returns every problem; the caller discards t
// if there is any (R28: a batch is all or nothing).
func applyChanges(t changeTarget, changes []Change) []Problem {
	var probs []Problem
	knownTenant := func(id TenantID) bool { _, ok := t.tenant(id); return ok }
	for i, c := range changes {
		p := Problem{Record: "change", Index: i, ID: changeSubject(c)}
		n := len(probs)
		bad := func(field string, rule Rule, format string, args ...any) {
			p.Field, p.Rule, p.Msg = field, rule, fmt.Sprintf(format, args...)
			probs = append(probs, p)
		}
		in := func(prefix string) func(fault) {
			return func(f fault) { bad(prefix+f.field, f.rule, "%s", f.msg) }
		}
		switch c.Op {
		case ChangeAddTenant:
			if f := idFault(string(c.Tenant.ID)); f != "" {
				bad("Tenant.ID", R26, "%s", f)
			} else if knownTenant(c.Tenant.ID) {
				bad("Tenant.ID", 0, "tenant %q exists already", c.Tenant.ID)
			}
			policyFaults(c.Tenant.Policy, in("Tenant."))
			if len(probs) == n {
				t.putTenant(c.Tenant, true)
			}
		case ChangeRemoveTenant:
			if !knownTenant(c.Tenant.ID) {
				bad("Tenant.ID", 0, "unknown tenant %q", c.Tenant.ID)
			} else if k := t.tenantSize(c.Tenant.ID); k > 0 {
				bad("Tenant.ID", 0, "tenant %q still has %d users; remove them or move them to another tenant first", c.Tenant.ID, k)
			} else {
				t.removeTenant(c.Tenant.ID)
			}
		case ChangePolicy:
			old, ok := t.tenant(c.Tenant.ID)
			if !ok {
				bad("Tenant.ID", 0, "unknown tenant %q", c.Tenant.ID)
			}
			policyFaults(c.Tenant.Policy, in("Tenant."))
			if len(probs) == n {
				old.Policy = c.Tenant.Policy
				t.putTenant(old, false)
			}
		case ChangeAddUser:
			if _, ok := t.user(c.User.ID); ok {
				bad("User.ID", 0, "user %q exists already", c.User.ID)
			}
			userFaults(c.User, knownTenant, in("User."))
			if len(probs) == n {
				t.putUser(c.User, true)
			}
		case ChangeSetUser:
			if _, ok := t.user(c.User.ID); !ok {
				bad("User.ID", 0, "unknown user %q", c.User.ID)
				break
			}
			userFaults(c.User, knownTenant, in("User."))
			if len(probs) > n {
				break
			}
			u := c.User
			t.userLinks(u.ID, func(v User) {
				if f, ok := linkFault(u.ID, v.ID, u.Kind, v.Kind, u.Tenant == v.Tenant, func() TenantID { return u.Tenant }); !ok {
					field := "User.Tenant"
					if f.rule == R6 {
						field = "User.Kind"
					}
					bad(field, f.rule, "the link with %q would become invalid: %s; remove it first", v.ID, f.msg)
				}
			})
			if len(probs) == n {
				t.putUser(u, false)
			}
		case ChangeRemoveUser:
			if _, ok := t.user(c.User.ID); !ok {
				bad("User.ID", 0, "unknown user %q", c.User.ID)
			} else {
				t.removeUser(c.User.ID)
			}
		case ChangeConnected:
			u, ok := t.user(c.User.ID)
			switch {
			case !ok:
				bad("User.ID", 0, "unknown user %q", c.User.ID)
			case u.Kind == LINEUser && c.User.Connected:
				bad("User.Connected", R6, "%s is a LINE user, who has no tenant whose connected list to be on", u.ID)
			default:
				u.Connected = c.User.Connected
				t.putUser(u, false)
			}
		case ChangeAddLink, ChangeRemoveLink:
			l := c.Link
			a, oka := t.user(l.A)
			b, okb := t.user(l.B)
			if !oka {
				bad("Link.A", R5, "unknown user %q", l.A)
			}
			if !okb {
				bad("Link.B", R5, "unknown user %q", l.B)
			}
			if !oka || !okb {
				break
			}
			if c.Op == ChangeRemoveLink {
				if !t.linked(l.A, l.B) {
					bad("Link", R5, "%s and %s are not linked", l.A, l.B)
				} else {
					t.unlink(l.A, l.B)
				}
				break
			}
			if f, ok := linkFault(l.A, l.B, a.Kind, b.Kind, a.Tenant == b.Tenant, func() TenantID { return a.Tenant }); !ok {
				bad("Link."+f.field, f.rule, "%s", f.msg)
			} else if t.linked(l.A, l.B) {
				bad("Link", R5, "%s and %s are linked already", l.A, l.B)
			} else {
				t.link(l.A, l.B)
			}
		default:
			bad("Op", R28, "invalid op %d", uint8(c.Op))
		}
	}
	return probs
}

// changeSubject returns the ID a change is about: the tenant's, the user's,
// or "a-b" for a link.
func changeSubject(c Change) string {
	switch c.Op {
	case ChangeAddTenant, ChangeRemoveTenant, ChangePolicy:
		return string(c.Tenant.ID)
	case ChangeAddUser, ChangeSetUser, ChangeRemoveUser, ChangeConnected:
		return string(c.User.ID)
	case ChangeAddLink, ChangeRemoveLink:
		return string(c.Link.A) + "-" + string(c.Link.B)
	}
	return ""
}

// With returns a new directory: d with the changes applied in order, equal
// to [NewDirectory] on the changed input (R28): every [Store] method and
// every decision answers the same. The batch is atomic: if any change is
// bad (an unknown or duplicate user or tenant, a link to oneself, inside one
// tenant or between LINE users, a link already there or not there, a tenant
// that still has users, a field out of range), With returns d itself,
// unchanged, and a *[ChangeError] listing every problem with the change's
// position; it wraps [ErrInvalid].
//
// d never changes and stays usable, concurrently too, while newer
// directories are made from it. The new directory shares all but what the
// batch touches with d: a change costs a few kilobytes of copied pages and
// time in proportion to what it touches (a user's links, a tenant's
// member list), not to the directory's size; adding a user now and then
// rebuilds the user index at twice its size, which is linear but amortized.
// Decisions on the result are as fast and allocation-free as on a directory
// built from scratch.
func (d *Directory) With(changes ...Change) (*Directory, error) {
	if len(changes) == 0 {
		return d, nil
	}
	base := d
	if base == nil {
		base = &Directory{}
	}
	if len(changes) > bulkBatch && len(changes)*16 > base.nusers+2*base.nlinks {
		nd, err := base.rebuild(changes)
		if err != nil {
			return d, err
		}
		return nd, nil
	}
	b := &builder{Directory: *base, tok: &token{}, pend: map[int32][]int32{}, mine: map[int32]bool{}}
	b.sorted = &sortCache{}
	if probs := applyChanges(b, changes); len(probs) > 0 {
		return d, &ChangeError{Problems: probs}
	}
	b.flush()
	b.compact()
	nd := b.Directory
	return &nd, nil
}

// bulkBatch is the most changes With applies one by one to a directory of
// fewer than 16 times as many users and link ends: a batch larger than that
// (loading a directory into an empty one, say) is applied to plain maps
// and the result built anew, in time linear in directory and batch.
const bulkBatch = 4096

// rebuild applies changes the bulk way: to plain maps, through the same
// checks, then NewDirectory.
func (d *Directory) rebuild(changes []Change) (*Directory, error) {
	s := newRefState(d)
	if probs := applyChanges(s, changes); len(probs) > 0 {
		return nil, &ChangeError{Problems: probs}
	}
	return NewDirectory(s.input())
}

// flush moves the spans the batch changed into the arena, each once.
func (b *builder) flush() {
	for n, s := range b.pend {
		if b.recs.at(int(n)).ubits&uDead != 0 {
			continue
		}
		b.update(b.users.at(int(n)).ID, func(r *urec) {
			b.dead += int(r.deg) // the old span
			b.spans.put(r, s, 2*b.nlinks, b.tok)
		})
	}
}

// compact rewrites the link arena when the spans that this directory's
// changes replaced take more room than the live ones: every live span is
// copied into one new chunk, and every urec pointed at its copy. It costs
// time and memory in proportion to the directory, not the batch, but runs
// only after changes have replaced as many link entries as the directory
// holds, so that its cost spread over them is a few entries a change, and
// the memory a directory keeps stays within about twice what NewDirectory
// would keep for its links. (Room that other versions made from the same
// directory claimed in a shared chunk is theirs, and does not count.)
func (b *builder) compact() {
	live := 2 * b.nlinks
	if b.dead <= live+4*minSpanChunk {
		return
	}
	b.dead = 0
	c := &spanChunk{data: make([]int32, live)}
	c.used.Store(int64(live))
	off := 0
	for n := range b.recs.n {
		r := b.recs.at(n)
		if r.deg == 0 {
			continue
		}
		copy(c.data[off:], b.spans.get(r))
		w := b.recs.ptr(n, b.tok)
		w.chunk, w.off = 0, uint32(off)
		off += int(w.deg)
	}
	b.spans = arena{chunks: []*spanChunk{c}, own: b.tok}
	for p := range b.index.slots.n {
		if s := b.index.slots.at(p); s.tag != 0 && s.r.deg > 0 {
			b.index.slots.ptr(p, b.tok).r = *b.recs.at(int(s.r.idx))
		}
	}
}

// builder is a directory being changed by one batch: a copy of the
// directory's header whose persistent vectors it writes through tok,
// copying each shared page once. The spans it changes it keeps in pend,
// its own, until flush writes each into the arena once; the tenants' member
// lists it has copied, in mine, it changes in place.
type builder struct {
	Directory
	tok  *token
	pend map[int32][]int32 // by node: links changed in this batch, in ID order
	mine map[int32]bool    // by tenant: member lists this batch owns
}

func (b *builder) tenant(id TenantID) (Tenant, bool) { return b.Tenant(id) }

func (b *builder) tenantSize(id TenantID) int {
	if i, ok := b.tmap.get(id); ok {
		return len(b.tens.at(int(i)).members)
	}
	return 0
}

func (b *builder) user(id UserID) (User, bool) { return b.User(id) }

func (b *builder) linked(x, y UserID) bool {
	rx, ry := b.find(x), b.find(y)
	if rx == nil || ry == nil {
		return false
	}
	sx, sy := b.span(rx.idx), b.span(ry.idx)
	if len(sy) < len(sx) {
		return b.has(sy, rx.idx)
	}
	return b.has(sx, ry.idx)
}

func (b *builder) userLinks(id UserID, f func(User)) {
	if r := b.find(id); r != nil {
		for _, j := range b.span(r.idx) {
			f(*b.users.at(int(j)))
		}
	}
}

// span returns node n's links as the batch has them so far.
func (b *builder) span(n int32) []int32 {
	if s, ok := b.pend[n]; ok {
		return s
	}
	return b.spans.get(b.recs.at(int(n)))
}

// own returns node n's links as a slice the batch owns, to change in place.
func (b *builder) own(n int32) []int32 {
	s, ok := b.pend[n]
	if !ok {
		s = slices.Clone(b.spans.get(b.recs.at(int(n))))
		b.pend[n] = s
	}
	return s
}

func (b *builder) putTenant(t Tenant, isNew bool) {
	if !isNew {
		i, _ := b.tmap.get(t.ID)
		b.tens.ptr(int(i), b.tok).t = t
		*b.tinfo.ptr(int(i), b.tok) = newTenantInfo(t)
		return
	}
	if n := b.tens.n; n > 0 && t.ID <= b.tens.at(n-1).t.ID {
		b.tordered = false
	}
	b.tmap.set(t.ID, int32(b.tens.n), b.tok)
	b.tens.push(tenantRec{t: t}, b.tok)
	b.tinfo.push(newTenantInfo(t), b.tok)
	b.ntenants++
}

func (b *builder) removeTenant(id TenantID) {
	i, _ := b.tmap.get(id)
	*b.tens.ptr(int(i), b.tok) = tenantRec{t: Tenant{ID: id}, dead: true}
	*b.tinfo.ptr(int(i), b.tok) = tenantInfo{id: id}
	b.tmap.set(id, -1, b.tok)
	b.ntenants--
}

// urecOf returns the urec of u at node n, without links.
func (b *builder) urecOf(u User, n int32) urec {
	t := int32(-1)
	if u.Kind == WorksUser {
		t, _ = b.tmap.get(u.Tenant)
	}
	return newRec(u, Policy{}, n, t).urec
}

func (b *builder) putUser(u User, isNew bool) {
	if isNew {
		n := int32(b.users.n)
		if n > 0 && u.ID <= b.users.at(int(n-1)).ID {
			b.ordered = false
		}
		r := b.urecOf(u, n)
		b.users.push(u, b.tok)
		b.recs.push(r, b.tok)
		b.index.grow(b.tok, b.idOf)
		b.index.place(u.ID, r, b.tok)
		b.join(r.tidx, n)
		b.nusers++
		return
	}
	b.update(u.ID, func(r *urec) {
		old := *r
		*r = b.urecOf(u, old.idx)
		r.filt, r.deg, r.off, r.chunk = old.filt, old.deg, old.off, old.chunk
		*b.users.ptr(int(old.idx), b.tok) = u
		if old.tidx != r.tidx {
			b.leave(old.tidx, old.idx)
			b.join(r.tidx, old.idx)
		}
	})
}

func (b *builder) removeUser(id UserID) {
	r := *b.find(id)
	b.dead += int(r.deg) // its span in the arena, whatever the batch did to it since
	for _, j := range b.span(r.idx) {
		b.pend[j] = b.remove(b.own(j), r.idx)
		b.nlinks--
	}
	delete(b.pend, r.idx)
	p, _ := b.probe(id)
	b.index.remove(p, b.tok, b.idOf)
	*b.recs.ptr(int(r.idx), b.tok) = urec{idx: r.idx, tidx: -1, ubits: uDead}
	b.leave(r.tidx, r.idx)
	b.nusers--
}

func (b *builder) link(x, y UserID) {
	nx, ny := b.find(x).idx, b.find(y).idx
	b.pend[nx] = b.insert(b.own(nx), ny)
	b.pend[ny] = b.insert(b.own(ny), nx)
	b.nlinks++
}

func (b *builder) unlink(x, y UserID) {
	nx, ny := b.find(x).idx, b.find(y).idx
	b.pend[nx] = b.remove(b.own(nx), ny)
	b.pend[ny] = b.remove(b.own(ny), nx)
	b.nlinks--
}

// idOf returns the ID of a urec's user.
func (b *builder) idOf(r *urec) UserID { return b.users.at(int(r.idx)).ID }

// update changes the urec of user id, in the index and by node alike.
func (b *builder) update(id UserID, f func(r *urec)) {
	p, _ := b.probe(id)
	r := &b.index.slots.ptr(int(p), b.tok).r
	f(r)
	*b.recs.ptr(int(r.idx), b.tok) = *r
}

// join adds node n to tenant t's members, if t is a tenant.
func (b *builder) join(t, n int32) {
	if t >= 0 {
		m := b.tens.ptr(int(t), b.tok)
		m.members = b.insert(b.members(t, m.members), n)
	}
}

// leave removes node n from tenant t's members, if t is a tenant.
func (b *builder) leave(t, n int32) {
	if t >= 0 {
		m := b.tens.ptr(int(t), b.tok)
		m.members = b.remove(b.members(t, m.members), n)
	}
}

// members returns tenant t's member list s as a slice the batch owns.
func (b *builder) members(t int32, s []int32) []int32 {
	if !b.mine[t] {
		b.mine[t] = true
		return slices.Clone(s)
	}
	return s
}

// insert puts node n into s, nodes in ID order, in place; s must be the
// batch's own.
func (b *builder) insert(s []int32, n int32) []int32 {
	i, _ := b.search(s, n)
	return slices.Insert(s, i, n)
}

// remove takes node n out of s in place; s must be the batch's own.
func (b *builder) remove(s []int32, n int32) []int32 {
	if i := slices.Index(s, n); i >= 0 {
		return slices.Delete(s, i, i+1)
	}
	return s
}
