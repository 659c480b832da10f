package extlink

import "strings"

// Remedies that suffice (R24): a denial caused by the directory (a tenant's
// switch, a connected-members list, a missing link) carries, besides the
// reason that decided, every directory change after which the same
// question is allowed. They are worked out when the decision is made, by
// checking every condition of the question and not only the first that
// failed (fixer), and held in the Decision as comparable fields, so that
// deciding stays allocation-free; Decision.Fix turns them into Changes.

// fixSet is the part of a Decision that says which changes fix it; the
// tenants whose policy changes are in Decision.fixT.
type fixSet struct {
	bits uint8    // fixPolicy0 ... fixNone
	pol  [2]uint8 // the new policies of fixT[0] and fixT[1], packed (packPolicy)
	was  [2]uint8 // their policies when decided, packed, for the remedy's words
}

// fixSet bits.
const (
	fixPolicy0    uint8 = 1 << iota // SetPolicy(fixT[0], pol[0])
	fixPolicy1                      // SetPolicy(fixT[1], pol[1])
	fixConnectBy                    // SetConnected(By, true)
	fixConnectWho                   // SetConnected(Who, true)
	fixLink                         // AddLink(By, Who)
	fixChanges    = fixPolicy0 | fixPolicy1 | fixConnectBy | fixConnectWho | fixLink
	fixNone       = 1 << 5 // the fix was sought and no directory change helps
)

// packPolicy packs p into a byte; unpackPolicy reverses it.
func packPolicy(p Policy) uint8 {
	b := uint8(p.Works)&3 | (uint8(p.LINE)&3)<<2
	if p.NoCalls {
		b |= 1 << 4
	}
	if p.MembersCreateGroups {
		b |= 1 << 5
	}
	if p.MembersLeaveGroups {
		b |= 1 << 6
	}
	return b
}

func unpackPolicy(b uint8) Policy {
	return Policy{Works: Access(b & 3), LINE: Access(b >> 2 & 3), NoCalls: b&(1<<4) != 0,
		MembersCreateGroups: b&(1<<5) != 0, MembersLeaveGroups: b&(1<<6) != 0}
}

// Fix returns every directory change after which the same question is
// allowed (R24): for d.Allowed false, applying them with [Directory.With]
// to the directory d was decided on makes the same call allowed. All of
// the question's failing conditions are covered, not only the one that
// decided: both tenants' switches, both users' places on the
// connected-members lists, the link. A switch that was off becomes
// [AccessListed], the narrowest setting that allows, with the user added
// to the connected members; calls are switched on; members are let to
// create or leave groups.
//
// It returns nil when d allows, and when no directory change helps: a
// refusal by the group's own state (not a member, not a master, the last
// master, an internal group, a dissolved one), an unknown user, a LINE user
// where LINE users cannot be (a group, a call, talk between two of them),
// one person on both sides, a contact without an e-mail address.
//
// Creating a room or group with several people, or turning a room into a
// group, is decided for the first person refused (D7): Fix covers the
// creator and that person ([Decision.Who]). Ask again after applying it;
// each round fixes at least one more person.
//
// Fix allocates the slice it returns; the decision itself holds the
// changes as comparable fields, so deciding does not allocate.
func (d Decision) Fix() []Change {
	bits := d.fx.bits & fixChanges
	if d.Allowed || bits == 0 {
		return nil
	}
	var cs []Change
	for i, b := range [2]uint8{fixPolicy0, fixPolicy1} {
		if bits&b != 0 {
			cs = append(cs, SetPolicy(d.fixT[i], unpackPolicy(d.fx.pol[i])))
		}
	}
	if bits&fixConnectBy != 0 {
		cs = append(cs, SetConnected(d.By, true))
	}
	if bits&fixConnectWho != 0 {
		cs = append(cs, SetConnected(d.Who, true))
	}
	if bits&fixLink != 0 {
		cs = append(cs, AddLink(d.By, d.Who))
	}
	return cs
}

// setFix records the changes cs as d's fix, for a decision read back from
// JSON, with before the policies of the tenants cs sets a policy of, as
// they were when d was decided. cs must be what Fix returns for such a
// decision: at most two policy changes, d.By and d.Who put on the
// connected list, and their link, in that order; anything else is refused
// with ok false.
func (d *Decision) setFix(cs, before []Change) (ok bool) {
	var fx fixSet
	var ft [2]TenantID
	n, last := 0, uint8(0)
	for _, c := range cs {
		var b uint8
		switch {
		case c == SetPolicy(c.Tenant.ID, c.Tenant.Policy) && n < 2 && validPolicy(c.Tenant.Policy):
			if len(before) <= n || before[n] != SetPolicy(c.Tenant.ID, before[n].Tenant.Policy) || !validPolicy(before[n].Tenant.Policy) {
				return false
			}
			b = fixPolicy0 << n
			ft[n], fx.pol[n], fx.was[n] = c.Tenant.ID, packPolicy(c.Tenant.Policy), packPolicy(before[n].Tenant.Policy)
			n++
		case c == SetConnected(d.By, true):
			b = fixConnectBy
		case c == SetConnected(d.Who, true) && d.Who != d.By:
			b = fixConnectWho
		case c == AddLink(d.By, d.Who):
			b = fixLink
		default:
			return false
		}
		if b <= last {
			return false
		}
		fx.bits |= b
		last = b
	}
	if len(before) != n || d.Allowed && fx.bits != 0 {
		return false
	}
	d.fx, d.fixT = fx, ft
	return true
}

// validPolicy reports whether p's enums are in range, so that it packs.
func validPolicy(p Policy) bool { return p.Works <= AccessListed && p.LINE <= AccessListed }

// before returns the policies d's fix changes, as they were: SetPolicy
// changes that would undo the fix's, for a decision's JSON.
func (d Decision) before() []Change {
	var cs []Change
	for i, b := range [2]uint8{fixPolicy0, fixPolicy1} {
		if d.fx.bits&b != 0 {
			cs = append(cs, SetPolicy(d.fixT[i], unpackPolicy(d.fx.was[i])))
		}
	}
	return cs
}

// What a question needs of the directory, for fixer.
const (
	needTalk   uint8 = 1 << iota // By may talk 1:1 with Who (R1, R2)
	needCall                     // By may call Who (R1, R3); implies needTalk
	needExtBy                    // By may be in an external group (R6, R12)
	needExtWho                   // Who may be in an external group
	needCreate                   // By may create groups (R12)
	needLeave                    // By may leave groups (R18, D5)
)

// fixable reports whether r is a reason a directory change can remove.
func fixable(r Reason) bool { return r < reasonEnd && fixableReasons&(1<<r) != 0 }

// fixableReasons has bit r set for each Reason r that fixable accepts.
const fixableReasons = 1<<ReasonWorksOff | 1<<ReasonLINEOff | 1<<ReasonNotConnected | 1<<ReasonNoGroupRights |
	1<<ReasonNoSelfLeave | 1<<ReasonNotLinked | 1<<ReasonCallsOff

// withFix returns dec with its fix: every change that makes the
// directory meet need for by (a) and who (b). It leaves dec unchanged when
// dec allows or was decided by a reason no directory change removes, and
// records no fix when some need cannot be met by a change (a LINE user
// where LINE users cannot be). b is nil when the question names nobody
// else. It runs on denials only, and does not allocate.
func withFix(s Store, dec Decision, need uint8, a, b *rec) Decision {
	if !dec.Allowed && fixable(dec.Reason) {
		dec.addFix(s, need, a, b)
	}
	return dec
}

// addFix is withFix in place, for a refusal by a reason a change removes.
func (dec *Decision) addFix(s Store, need uint8, a, b *rec) {
	if need == needTalk && dec.Reason == ReasonNotLinked {
		// Talk is refused for want of a link only once both sides' own
		// conditions hold (D7): the link is all it needs.
		dec.fx.bits |= fixLink
		return
	}
	// A refusal for want of a link has already searched for it.
	f := fixer{unlinked: dec.Reason == ReasonNotLinked}
	f.need(s, need, a, b, dec.By, dec.Who)
	if f.impossible || f.bits == 0 {
		dec.fx.bits |= fixNone
		return
	}
	dec.fx.bits |= f.bits
	dec.fx.pol, dec.fx.was = f.pol, f.cur
	for i := range f.n {
		if f.bits&(fixPolicy0<<i) != 0 {
			dec.fixT[i] = f.ten[i]
		}
	}
}

// fixer gathers the changes that meet a question's needs.
type fixer struct {
	ten        [2]TenantID // the tenants whose policies are read, in order
	tidx       [2]int32    // their numbers in a *Directory, or -1
	cur, pol   [2]uint8    // their policies before and after, packed
	n          int
	bits       uint8
	impossible bool
	unlinked   bool // By and Who are known not to be linked
}

// need adds the changes that meet need.
func (f *fixer) need(s Store, need uint8, a, b *rec, by, who UserID) {
	if need&needCreate != 0 {
		if a.kind != WorksUser {
			f.impossible = true
		} else if !a.has(fCreate) {
			f.policy(a, knobCreate)
		}
	}
	if need&needLeave != 0 && a.kind == WorksUser && !a.has(fLeave) {
		f.policy(a, knobLeave)
	}
	if need&needExtBy != 0 {
		f.external(a, fixConnectBy)
	}
	if need&needExtWho != 0 && b != nil {
		f.external(b, fixConnectWho)
	}
	if need&(needTalk|needCall) != 0 && b != nil {
		f.talk(s, a, b, by, who)
	}
	if need&needCall != 0 && b != nil {
		f.call(a, b)
	}
	for i := range f.n {
		if f.pol[i] != f.cur[i] {
			f.bits |= fixPolicy0 << i
		}
	}
	// Keep the changed policies first, so that the slots read as Fix lists them.
	if f.bits&(fixPolicy0|fixPolicy1) == fixPolicy1 {
		f.bits = f.bits&^fixPolicy1 | fixPolicy0
		f.ten[0], f.tidx[0], f.pol[0], f.cur[0] = f.ten[1], f.tidx[1], f.pol[1], f.cur[1]
		f.pol[1], f.cur[1] = 0, 0
	} else if f.bits&fixPolicy1 == 0 {
		f.pol[1], f.cur[1] = 0, 0
	}
	if f.bits&fixPolicy0 == 0 {
		f.pol[0], f.cur[0] = 0, 0
	}
}

// Policy knobs a fix may turn on, for fixer.policy: the bits of a packed
// policy (packPolicy) they set or clear.
const (
	knobWorks  = iota // Works: off becomes listed
	knobLINE          // LINE: off becomes listed
	knobCalls         // calls switched on
	knobCreate        // members create groups
	knobLeave         // members leave groups
)

// policy turns knob on in the policy of r's tenant, as the fix leaves it,
// and returns that policy, packed.
func (f *fixer) policy(r *rec, knob int) uint8 {
	i := 0
	for i < f.n && !(r.tidx >= 0 && f.tidx[i] == r.tidx || r.tidx < 0 && f.ten[i] == r.tenant) {
		i++
	}
	if i == f.n {
		if i == len(f.ten) {
			f.impossible = true // cannot happen: a question names two users
			return 0
		}
		f.ten[i], f.tidx[i], f.cur[i], f.pol[i] = r.tenant, r.tidx, r.pol, r.pol
		f.n++
	}
	p := f.pol[i]
	switch knob {
	case knobWorks:
		if p&3 == uint8(AccessOff) {
			p |= uint8(AccessListed)
		}
	case knobLINE:
		if p>>2&3 == uint8(AccessOff) {
			p |= uint8(AccessListed) << 2
		}
	case knobCalls:
		p &^= 1 << 4
	case knobCreate:
		p |= 1 << 5
	case knobLeave:
		p |= 1 << 6
	}
	f.pol[i] = p
	return p
}

// outward adds what lets r talk with outsiders of kind other (R2): a switch
// that is off becomes listed, and r joins the connected members (bit) if
// the switch lists them.
func (f *fixer) outward(r *rec, other Kind, bit uint8) {
	if r.kind != WorksUser {
		return // D8: a LINE user has no tenant side
	}
	ok, knob, shift := fWorksOK, knobWorks, 0
	if other == LINEUser {
		ok, knob, shift = fLINEOK, knobLINE, 2
	}
	if r.has(ok) {
		return
	}
	if f.policy(r, knob)>>shift&3 == uint8(AccessListed) && r.ubits&uConnected == 0 {
		f.bits |= bit
	}
}

// external adds what lets r be in an external group (R6, R12).
func (f *fixer) external(r *rec, bit uint8) {
	if r.kind != WorksUser {
		f.impossible = true
		return
	}
	f.outward(r, WorksUser, bit)
}

// talk adds what lets a (by) talk 1:1 with b (who): R1, R2.
func (f *fixer) talk(s Store, a, b *rec, by, who UserID) {
	switch {
	case same(a, b, by, who), a.kind == LINEUser && b.kind == LINEUser:
		f.impossible = true
		return
	case colleague(*a, *b):
		return
	}
	f.outward(a, b.kind, fixConnectBy)
	f.outward(b, a.kind, fixConnectWho)
	if f.unlinked || !linked(s, a, b, by, who) {
		f.bits |= fixLink
	}
}

// call adds what lets a call b once they may talk (R1, R3).
func (f *fixer) call(a, b *rec) {
	if a.kind != WorksUser || b.kind != WorksUser {
		f.impossible = true // LINE users are never called
		return
	}
	for _, r := range [2]*rec{a, b} {
		if !r.has(fCalls) {
			f.policy(r, knobCalls)
		}
	}
}

// fixWords returns the remedy for d's fix in words, or "" when it has none:
// "add watanabe to gamma's connected members, and link watanabe with
// suzuki". A lone link keeps the old words, "link me with b first".
func (d Decision) fixWords() string {
	bits := d.fx.bits & fixChanges
	if bits == 0 {
		return ""
	}
	if bits == fixLink {
		return "link " + string(d.By) + " with " + string(d.Who) + " first"
	}
	var ws []string
	for i, b := range [2]uint8{fixPolicy0, fixPolicy1} {
		if bits&b != 0 {
			ws = append(ws, policyAsk(d.fixT[i], unpackPolicy(d.fx.was[i]), unpackPolicy(d.fx.pol[i])))
		}
	}
	if bits&fixConnectBy != 0 {
		ws = append(ws, d.connectWords(d.By))
	}
	if bits&fixConnectWho != 0 {
		ws = append(ws, d.connectWords(d.Who))
	}
	if bits&fixLink != 0 {
		ws = append(ws, "link "+string(d.By)+" with "+string(d.Who))
	}
	return joinAnd(ws)
}

// policyAsk words a policy change of tenant t from was to now: what to
// ask t's admin for.
func policyAsk(t TenantID, was, now Policy) string {
	var ws []string
	access := func(a, b Access, whom string) {
		if a != b {
			ws = append(ws, "allow talk with "+whom+" for "+map[Access]string{AccessAll: "every member", AccessListed: "its connected members"}[b])
		}
	}
	access(was.Works, now.Works, "outside LINE WORKS users")
	access(was.LINE, now.LINE, "LINE users")
	if was.NoCalls && !now.NoCalls {
		ws = append(ws, "switch calls on")
	}
	if !was.MembersCreateGroups && now.MembersCreateGroups {
		ws = append(ws, "let members create groups")
	}
	if !was.MembersLeaveGroups && now.MembersLeaveGroups {
		ws = append(ws, "let members leave groups")
	}
	return "ask " + string(t) + "'s admin to " + joinAnd(ws)
}

// connectWords words putting u on their tenant's connected list, naming
// the tenant when the decision does.
func (d Decision) connectWords(u UserID) string {
	if d.Party == u && d.Tenant != "" {
		return "add " + string(u) + " to " + string(d.Tenant) + "'s connected members"
	}
	return "add " + string(u) + " to the connected members"
}

// joinAnd joins phrases as "a", "a, and b", "a, b, and c".
func joinAnd(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + ", and " + ws[len(ws)-1]
}

// Equal reports whether d and o are the same decision, fix included: d ==
// o. It lets go-cmp compare Decisions, whose fix is held in unexported
// fields.
func (d Decision) Equal(o Decision) bool { return d == o }
