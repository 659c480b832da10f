package extlink_test

// This file is the reference model: the SPEC's rules written out plainly and
// slowly, over plain slices, with no precomputation and nothing shared with
// the package's code. Property tests check the package against it.

import (
	"slices"

	"github.com/extlink/extlink"
)

// world is a directory as plain data.
type world struct {
	Tenants []extlink.Tenant
	Users   []extlink.User
	Links   []extlink.Link
}

func (w world) user(id extlink.UserID) (extlink.User, bool) {
	for _, u := range w.Users {
		if u.ID == id {
			return u, true
		}
	}
	return extlink.User{}, false
}

func (w world) tenant(id extlink.TenantID) extlink.Tenant {
	for _, t := range w.Tenants {
		if t.ID == id {
			return t
		}
	}
	return extlink.Tenant{}
}

func (w world) linked(a, b extlink.UserID) bool {
	for _, l := range w.Links {
		if l.A == a && l.B == b || l.A == b && l.B == a {
			return true
		}
	}
	return false
}

func (w world) dir() (*extlink.Directory, error) {
	return extlink.NewDirectory(w.Tenants, w.Users, w.Links)
}

// colleagues: two LINE WORKS users of one tenant (R1).
func colleagues(a, b extlink.User) bool {
	return a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant
}

// sideAllows: may u talk with an outsider of kind other, as u's tenant sees it?
// A LINE user has no tenant side (D8).
func (w world) sideAllows(u extlink.User, other extlink.Kind) bool {
	if u.Kind == extlink.LINEUser {
		return true
	}
	p := w.tenant(u.Tenant).Policy
	access := p.Works
	if other == extlink.LINEUser {
		access = p.LINE
	}
	switch access {
	case extlink.AccessAll:
		return true
	case extlink.AccessListed:
		return u.Connected
	}
	return false
}

// refTalk: R1, R2, D7, D8. It returns nil when allowed, else the cause.
func (w world) refTalk(a, b extlink.UserID) error {
	ua, ok := w.user(a)
	if !ok {
		return extlink.ErrUnknownUser
	}
	ub, ok := w.user(b)
	if !ok {
		return extlink.ErrUnknownUser
	}
	if a == b {
		return extlink.ErrNotPermitted
	}
	if colleagues(ua, ub) {
		return nil
	}
	if ua.Kind == extlink.LINEUser && ub.Kind == extlink.LINEUser {
		return extlink.ErrNotPermitted
	}
	if !w.sideAllows(ua, ub.Kind) || !w.sideAllows(ub, ua.Kind) {
		return extlink.ErrNotPermitted
	}
	if !w.linked(a, b) {
		return extlink.ErrNotLinked
	}
	return nil
}

// refCall: R1, R3, D8.
func (w world) refCall(a, b extlink.UserID) error {
	if err := w.refTalk(a, b); err != nil {
		return err
	}
	ua, _ := w.user(a)
	ub, _ := w.user(b)
	if ua.Kind == extlink.LINEUser || ub.Kind == extlink.LINEUser {
		return extlink.ErrCallsOff
	}
	if w.tenant(ua.Tenant).Policy.NoCalls || w.tenant(ub.Tenant).Policy.NoCalls {
		return extlink.ErrCallsOff
	}
	return nil
}

// allowedInExternal: a LINE WORKS user whose tenant lets them talk with
// outside LINE WORKS users (R6, R12).
func (w world) allowedInExternal(id extlink.UserID) bool {
	u, ok := w.user(id)
	return ok && u.Kind == extlink.WorksUser && w.sideAllows(u, extlink.WorksUser)
}

func (w world) mayCreateGroups(u extlink.User) bool {
	return u.Kind == extlink.WorksUser && (u.Role == extlink.Admin || w.tenant(u.Tenant).Policy.MembersCreateGroups)
}

func (w world) mayLeave(u extlink.User) bool {
	return u.Role == extlink.Admin || w.tenant(u.Tenant).Policy.MembersLeaveGroups
}

// refGroup is a group as plain data.
type refGroup struct {
	Members   []extlink.UserID // join order
	Masters   []extlink.UserID // sorted
	External  bool
	Home      extlink.TenantID
	Dissolved bool
}

func (g refGroup) has(u extlink.UserID) bool    { return slices.Contains(g.Members, u) }
func (g refGroup) master(u extlink.UserID) bool { return slices.Contains(g.Masters, u) }

func (g refGroup) clone() refGroup {
	g.Members = slices.Clone(g.Members)
	g.Masters = slices.Clone(g.Masters)
	return g
}

func (g refGroup) without(u extlink.UserID) refGroup {
	n := g.clone()
	n.Members = slices.DeleteFunc(n.Members, func(x extlink.UserID) bool { return x == u })
	n.Masters = slices.DeleteFunc(n.Masters, func(x extlink.UserID) bool { return x == u })
	if len(n.Members) == 0 {
		n.Dissolved = true
	}
	return n
}

func (g refGroup) withMaster(u extlink.UserID) refGroup {
	n := g.clone()
	n.Masters = append(n.Masters, u)
	slices.Sort(n.Masters)
	return n
}

// worst returns the cause that comes first in D7's table among errs.
func worst(errs ...error) error {
	order := []error{
		extlink.ErrUnknownUser, extlink.ErrDissolved, extlink.ErrNotMember, extlink.ErrNotMaster,
		extlink.ErrAlreadyMember, extlink.ErrLastMaster, extlink.ErrInternalGroup,
		extlink.ErrNotPermitted, extlink.ErrNotLinked, extlink.ErrCallsOff,
	}
	best := -1
	for _, e := range errs {
		if e == nil {
			continue
		}
		i := slices.Index(order, e)
		if best < 0 || i < best {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return order[best]
}

// refFound: R6, R10, R11, R12 for a group founded by by with members (by
// first, then the others in join order).
func (w world) refFound(by extlink.UserID, members []extlink.UserID) (refGroup, error) {
	var errs []error
	for _, m := range members {
		if _, ok := w.user(m); !ok {
			return refGroup{}, extlink.ErrUnknownUser
		}
	}
	ub, _ := w.user(by)
	external := false
	for _, m := range members {
		u, _ := w.user(m)
		if u.Kind == extlink.LINEUser {
			errs = append(errs, extlink.ErrNotPermitted)
		}
		if !colleagues(u, ub) {
			external = true
		}
	}
	if !w.mayCreateGroups(ub) {
		errs = append(errs, extlink.ErrNotPermitted)
	}
	for _, m := range members {
		if external && !w.allowedInExternal(m) {
			errs = append(errs, extlink.ErrNotPermitted)
		}
		if m != by {
			errs = append(errs, w.refTalk(by, m))
		}
	}
	if err := worst(errs...); err != nil {
		return refGroup{}, err
	}
	return refGroup{Members: slices.Clone(members), Masters: []extlink.UserID{by}, External: external, Home: ub.Tenant}, nil
}

func (w world) refNewGroup(by extlink.UserID, with []extlink.UserID) (refGroup, error) {
	if _, ok := w.user(by); !ok {
		return refGroup{}, extlink.ErrUnknownUser
	}
	return w.refFound(by, append([]extlink.UserID{by}, with...))
}

// refRoom is a room as plain data: its members in join order, and whether
// everyone has left it (R8).
type refRoom struct {
	Members []extlink.UserID
	Gone    bool
}

// refNewRoom: R7.
func (w world) refNewRoom(by extlink.UserID, with []extlink.UserID) (refRoom, error) {
	all := append([]extlink.UserID{by}, with...)
	for _, m := range all {
		if _, ok := w.user(m); !ok {
			return refRoom{}, extlink.ErrUnknownUser
		}
	}
	var errs []error
	for _, m := range with {
		errs = append(errs, w.refTalk(by, m))
	}
	if err := worst(errs...); err != nil {
		return refRoom{}, err
	}
	return refRoom{Members: all}, nil
}

// refRoomInvite: R8.
func (w world) refRoomInvite(room refRoom, by, who extlink.UserID) (refRoom, error) {
	for _, u := range []extlink.UserID{by, who} {
		if _, ok := w.user(u); !ok {
			return room, extlink.ErrUnknownUser
		}
	}
	switch {
	case room.Gone:
		return room, extlink.ErrDissolved
	case !slices.Contains(room.Members, by):
		return room, extlink.ErrNotMember
	case slices.Contains(room.Members, who):
		return room, extlink.ErrAlreadyMember
	}
	if err := w.refTalk(by, who); err != nil {
		return room, err
	}
	return refRoom{Members: append(slices.Clone(room.Members), who)}, nil
}

// refRoomLeave: R8. Anyone may leave a room; once everyone has, it is gone.
func (w world) refRoomLeave(room refRoom, who extlink.UserID) (refRoom, error) {
	if _, ok := w.user(who); !ok {
		return room, extlink.ErrUnknownUser
	}
	switch {
	case room.Gone:
		return room, extlink.ErrDissolved
	case !slices.Contains(room.Members, who):
		return room, extlink.ErrNotMember
	}
	n := refRoom{Members: slices.DeleteFunc(slices.Clone(room.Members), func(x extlink.UserID) bool { return x == who })}
	n.Gone = len(n.Members) == 0
	return n, nil
}

// refConvert: R10, R12.
func (w world) refConvert(room refRoom, by extlink.UserID) (refGroup, error) {
	if _, ok := w.user(by); !ok {
		return refGroup{}, extlink.ErrUnknownUser
	}
	for _, m := range room.Members {
		if _, ok := w.user(m); !ok {
			return refGroup{}, extlink.ErrUnknownUser
		}
	}
	switch {
	case room.Gone:
		return refGroup{}, extlink.ErrDissolved
	case !slices.Contains(room.Members, by):
		return refGroup{}, extlink.ErrNotMember
	case len(room.Members) < 3:
		return refGroup{}, extlink.ErrNotPermitted
	}
	return w.refFound(by, room.Members)
}

// refAct: the first rows of D7 for a group operation.
func (w world) refAct(g refGroup, by, who extlink.UserID, needMaster bool) error {
	if _, ok := w.user(by); !ok {
		return extlink.ErrUnknownUser
	}
	if who != "" {
		if _, ok := w.user(who); !ok {
			return extlink.ErrUnknownUser
		}
	}
	switch {
	case g.Dissolved:
		return extlink.ErrDissolved
	case !g.has(by):
		return extlink.ErrNotMember
	case needMaster && !g.master(by):
		return extlink.ErrNotMaster
	}
	return nil
}

func (w world) refInvite(g refGroup, by, who extlink.UserID) (refGroup, error) {
	if err := w.refAct(g, by, who, true); err != nil {
		return g, err
	}
	if g.has(who) {
		return g, extlink.ErrAlreadyMember
	}
	u, _ := w.user(who)
	if !g.External && (u.Kind == extlink.LINEUser || u.Tenant != g.Home) {
		return g, extlink.ErrInternalGroup
	}
	if g.External && !w.allowedInExternal(who) {
		return g, extlink.ErrNotPermitted
	}
	if err := w.refTalk(by, who); err != nil {
		return g, err
	}
	n := g.clone()
	n.Members = append(n.Members, who)
	return n, nil
}

func (w world) refAppoint(g refGroup, by, who extlink.UserID) (refGroup, error) {
	if err := w.refAct(g, by, who, true); err != nil {
		return g, err
	}
	switch {
	case !g.has(who):
		return g, extlink.ErrNotMember
	case g.master(who):
		return g, extlink.ErrAlreadyMember
	case g.External && !w.allowedInExternal(who):
		return g, extlink.ErrNotPermitted
	}
	return g.withMaster(who), nil
}

func (w world) refResign(g refGroup, who extlink.UserID) (refGroup, error) {
	if err := w.refAct(g, who, "", true); err != nil {
		return g, err
	}
	if len(g.Masters) == 1 {
		return g, extlink.ErrLastMaster
	}
	n := g.clone()
	n.Masters = slices.DeleteFunc(n.Masters, func(x extlink.UserID) bool { return x == who })
	return n, nil
}

func (w world) refTransfer(g refGroup, from, to extlink.UserID) (refGroup, error) {
	n, err := w.refAppoint(g, from, to)
	if err != nil {
		return g, err
	}
	n.Masters = slices.DeleteFunc(n.Masters, func(x extlink.UserID) bool { return x == from })
	return n, nil
}

func (w world) refLeave(g refGroup, who extlink.UserID) (refGroup, error) {
	if err := w.refAct(g, who, "", false); err != nil {
		return g, err
	}
	if g.master(who) && len(g.Masters) == 1 && len(g.Members) > 1 {
		return g, extlink.ErrLastMaster
	}
	if u, _ := w.user(who); !w.mayLeave(u) {
		return g, extlink.ErrNotPermitted
	}
	return g.without(who), nil
}

func (w world) refRemove(g refGroup, by, who extlink.UserID) (refGroup, error) {
	if err := w.refAct(g, by, who, true); err != nil {
		return g, err
	}
	switch {
	case !g.has(who):
		return g, extlink.ErrNotMember
	case by == who:
		return g, extlink.ErrNotPermitted
	}
	return g.without(who), nil
}

// refReconcile: R20, D6.
func (w world) refReconcile(g refGroup) refGroup {
	if g.Dissolved {
		return g
	}
	n := g.clone()
	n.Members = slices.DeleteFunc(n.Members, func(m extlink.UserID) bool {
		u, ok := w.user(m)
		if !ok {
			return true
		}
		if g.External {
			return !w.allowedInExternal(m)
		}
		return u.Kind != extlink.WorksUser || u.Tenant != g.Home
	})
	n.Masters = slices.DeleteFunc(n.Masters, func(m extlink.UserID) bool { return !slices.Contains(n.Members, m) })
	if len(n.Members) == 0 {
		n.Dissolved = true
		return n
	}
	if len(n.Masters) == 0 {
		n.Masters = []extlink.UserID{n.Members[0]}
	}
	return n
}

// snapshot reads a Group into plain data.
func snapshot(g extlink.Group) refGroup {
	return refGroup{Members: g.JoinOrder(), Masters: g.Masters(), External: g.External(), Home: g.Home(), Dissolved: g.Dissolved()}
}
