package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

// question is one question check decides, from its command line or from
// a line of -batch (where it is JSON, see checkCmd's help).
type question struct {
	ID    any      `json:"id,omitempty"` // -batch: echoed in the answer
	Q     string   `json:"q"`            // the question's word: talk, call, ..., remove
	Args  []string `json:"args"`         // its users (and email's contact)
	Group string   `json:"group,omitempty"`
	Room  []string `json:"room,omitempty"` // the room's members
}

// place says where a question happens: nowhere in particular, in a group
// of the world (-group), in a room (-room), or in either.
type place uint8

const (
	nowhere place = iota
	inGroup
	inRoom
	inEither
)

// questionSpec is the shape of one question.
type questionSpec struct {
	name  string
	args  string // the arguments' names, for messages
	min   int    // how many arguments
	max   int    // -1 for any number
	place place
}

// questionSpecs lists check's questions in the order help shows them.
var questionSpecs = []questionSpec{
	{"talk", "FROM TO", 2, 2, nowhere},
	{"call", "FROM TO", 2, 2, nowhere},
	{"email", "VIEWER CONTACT", 2, 2, nowhere},
	{"create-room", "BY WHO...", 2, -1, nowhere},
	{"create-group", "BY [WHO...]", 1, -1, nowhere},
	{"invite", "BY WHO", 2, 2, inEither},
	{"convert", "BY", 1, 1, inRoom},
	{"appoint", "BY WHO", 2, 2, inGroup},
	{"resign", "WHO", 1, 1, inGroup},
	{"transfer", "FROM TO", 2, 2, inGroup},
	{"leave", "WHO", 1, 1, inEither},
	{"remove", "BY WHO", 2, 2, inGroup},
}

// questionNames returns the questions' words, "talk, call, ... or remove".
func questionNames() string {
	var names []string
	for _, s := range questionSpecs {
		names = append(names, s.name)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// check reports a mistake in the question itself (a usage error): an
// unknown word, the wrong number of arguments, a missing or unwanted
// -group or -room, a user named twice where two are needed.
func (q question) check() error {
	i := slices.IndexFunc(questionSpecs, func(s questionSpec) bool { return s.name == q.Q })
	if i < 0 {
		return fmt.Errorf("unknown question %q (want %s)", q.Q, questionNames())
	}
	s := questionSpecs[i]
	switch n := len(q.Args); {
	case n < s.min || s.max >= 0 && n > s.max:
		return fmt.Errorf("%s needs %s, got %d arguments", q.Q, s.args, n)
	}
	hasGroup, hasRoom := q.Group != "", len(q.Room) > 0
	switch {
	case hasGroup && hasRoom:
		return errors.New("-group and -room: give one of them")
	case s.place == nowhere && hasGroup:
		return fmt.Errorf("-group is not for %s", q.Q)
	case s.place == nowhere && hasRoom:
		return fmt.Errorf("-room is not for %s", q.Q)
	case s.place == inGroup && hasRoom:
		return fmt.Errorf("%s is a group's: it needs -group NAME, not -room", q.Q)
	case s.place == inRoom && hasGroup:
		return fmt.Errorf("%s is a room's: it needs -room MEMBERS, not -group", q.Q)
	case s.place == inGroup && !hasGroup:
		return fmt.Errorf("%s needs -group NAME", q.Q)
	case s.place == inRoom && !hasRoom:
		return fmt.Errorf("%s needs -room MEMBERS", q.Q)
	case s.place == inEither && !hasGroup && !hasRoom:
		return fmt.Errorf("%s needs -group NAME or -room MEMBERS", q.Q)
	}
	// As plan's ME and TARGET: one person in two roles is a mistake in the
	// question, not a denial, whichever question it is.
	users := q.Args
	if q.Q == "email" {
		users = nil // the contact is an address-book entry, not a user
	}
	for i, u := range users {
		if j := slices.Index(users[:i], u); j >= 0 {
			names := strings.Fields(strings.Trim(s.args, "[].")) // "BY WHO" or "FROM TO"
			if len(names) == 2 && s.max == 2 {
				return fmt.Errorf("%s and %s are both %q", names[0], names[1], u)
			}
			return fmt.Errorf("%s is named twice", u)
		}
	}
	return nil
}

// asker answers questions in one world, indexing its groups by name and
// its contacts by tenant on first use, so that -batch and test pay for a
// scan once rather than per question.
type asker struct {
	w       *world.World
	src     string // the world's name, for messages
	suggest bool   // errors say "did you mean", which scans the directory

	groups map[string]int                         // name to index in w.Groups, the first of a name
	books  map[extlink.TenantID][]extlink.Contact // w.Book of each tenant
}

// group returns the world's group with the given name or, failing that,
// at the given index.
func (a *asker) group(name string) (extlink.Group, bool) {
	if a.groups == nil {
		a.groups = map[string]int{}
		for i, g := range a.w.Groups {
			if _, dup := a.groups[g.Name]; !dup && g.Name != "" {
				a.groups[g.Name] = i
			}
		}
	}
	if i, ok := a.groups[name]; ok {
		return a.w.Groups[i].Group, true
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(a.w.Groups) && strconv.Itoa(i) == name {
		return a.w.Groups[i].Group, true
	}
	return extlink.Group{}, false
}

// book returns tenant t's address book.
func (a *asker) book(t extlink.TenantID) []extlink.Contact {
	if a.books == nil {
		a.books = map[extlink.TenantID][]extlink.Contact{}
		for _, c := range a.w.Contacts {
			a.books[c.Tenant] = append(a.books[c.Tenant], c)
		}
	}
	return a.books[t]
}

// decide answers q, which check has accepted. Its error is bad input: an
// unknown user, group or contact, a room that cannot exist, or an
// operation's ordinary error (a user named twice); a denial is not an
// error.
func (a *asker) decide(q question) (checkResult, error) {
	w, src, suggest := a.w, a.src, a.suggest
	d := w.Directory
	res := checkResult{checkContext: checkContext{Group: q.Group, Room: []string{}, With: []string{}, LinkedColleagues: []string{}}}
	users := q.Args // every argument names a user but email's contact
	if q.Q == "email" {
		users = q.Args[:1]
	}
	for _, u := range slices.Concat(users, q.Room) {
		if _, known := d.User(extlink.UserID(u)); !known {
			hint := ""
			if suggest {
				hint = suggestUser(d, u)
			}
			return res, fmt.Errorf("unknown user %q in %s%s", u, src, hint)
		}
	}
	ids := make([]extlink.UserID, len(q.Args))
	for i, a := range q.Args {
		ids[i] = extlink.UserID(a)
	}
	var by, who extlink.UserID
	by = ids[0]
	if len(ids) > 1 {
		who = ids[1]
	}
	var g extlink.Group
	if q.Group != "" {
		var ok bool
		if g, ok = a.group(q.Group); !ok {
			hint := ""
			if suggest {
				hint = suggestGroup(w, q.Group)
			}
			return res, fmt.Errorf("no group %q in %s%s", q.Group, src, hint)
		}
	}
	var room extlink.Room
	if len(q.Room) > 0 {
		var err error
		if room, err = buildRoom(d, q.Room); err != nil {
			return res, err
		}
		res.Room = slices.Clone(q.Room)
	}

	var dec extlink.Decision
	var err error // an operation's error
	act := extlink.Action(0)
	switch q.Q {
	case "talk":
		dec = extlink.CanTalk(d, by, who)
	case "call":
		dec = extlink.CanCall(d, by, who)
	case "email":
		ct, err := findContact(w, a.book, by, q.Args[1])
		if err != nil {
			return res, fmt.Errorf("%v in %s", err, src)
		}
		res.Contact = &contactJSON{string(ct.Tenant), string(ct.Owner), string(ct.User), ct.Name, ct.Email}
		dec = extlink.CanEmail(d, by, ct)
	case "invite":
		if q.Group != "" {
			dec = extlink.CanInvite(d, g, by, who)
		} else {
			act = extlink.ActInviteRoom
			_, err = room.Invite(d, by, who)
		}
	case "create-room":
		act, res.With = extlink.ActCreateRoom, q.Args[1:]
		_, err = extlink.NewRoom(d, by, ids[1:]...)
	case "create-group":
		act, res.With = extlink.ActCreateGroup, q.Args[1:]
		_, err = extlink.NewGroup(d, by, ids[1:]...)
	case "convert":
		act = extlink.ActConvert
		_, err = room.Convert(d, by)
	case "appoint":
		act = extlink.ActAppoint
		_, err = g.Appoint(d, by, who)
	case "resign":
		act = extlink.ActResign
		_, err = g.Resign(d, by)
	case "transfer":
		act = extlink.ActTransfer
		_, err = g.Transfer(d, by, who)
	case "leave":
		if q.Group != "" {
			act = extlink.ActLeave
			_, err = g.Leave(d, by)
		} else {
			act = extlink.ActLeaveRoom
			_, err = room.Leave(d, by)
		}
	case "remove":
		act = extlink.ActRemove
		_, err = g.Remove(d, by, who)
	}
	if act != 0 {
		// The library decides these by the operation itself: a value
		// does not change, so attempting it is asking (R27).
		var de *extlink.DeniedError
		switch {
		case errors.As(err, &de):
			dec = de.Decision
		case err != nil:
			return res, errors.New(strings.TrimPrefix(err.Error(), "extlink: "))
		default:
			dec = extlink.Decision{Allowed: true, Rule: act.Rule(), Action: act, By: by, Who: who}
		}
	}
	if dec.Reason == extlink.ReasonNotLinked && (q.Q == "talk" || q.Q == "call") {
		for _, u := range linkedColleagues(d, by, who) {
			res.LinkedColleagues = append(res.LinkedColleagues, string(u))
		}
		u, _ := d.User(who)
		res.whoLINE = u.Kind == extlink.LINEUser
	}
	res.dec, res.Summary = dec, dec.Rule.Summary()
	named := slices.Concat([]string{string(dec.By), string(dec.Who)}, res.With, res.Room, []string{string(dec.Party)}, res.LinkedColleagues)
	if res.Contact != nil {
		named = append(named, res.Contact.Owner)
	}
	res.people = people(d, named...)
	return res, nil
}

// buildRoom returns a room of members as people can come to share one:
// someone creates it with another, and the others are invited one by one,
// each by someone already in it (R7, R8). It tries each member as the
// creator, and fails when no order brings everyone in. (A room its bridge
// has left since cannot be given this way.)
func buildRoom(d *extlink.Directory, members []string) (extlink.Room, error) {
	ids := make([]extlink.UserID, len(members))
	for i, m := range members {
		ids[i] = extlink.UserID(m)
	}
	if len(ids) < 2 {
		return extlink.Room{}, fmt.Errorf("-room %s: a room has two or more people", safeText(strings.Join(members, ",")))
	}
	for i, u := range ids {
		if slices.Contains(ids[:i], u) {
			return extlink.Room{}, fmt.Errorf("-room %s: %s twice", safeText(strings.Join(members, ",")), safeText(string(u)))
		}
	}
	for _, creator := range ids {
		in := []extlink.UserID{creator}
		var room extlink.Room
		for grew := true; grew && len(in) < len(ids); {
			grew = false
			for _, p := range ids {
				if slices.Contains(in, p) {
					continue
				}
				for _, m := range in {
					var r extlink.Room
					var err error
					if len(in) == 1 {
						r, err = extlink.NewRoom(d, m, p)
					} else {
						r, err = room.Invite(d, m, p)
					}
					if err == nil {
						room, in, grew = r, append(in, p), true
						break
					}
				}
			}
		}
		if len(in) == len(ids) {
			return room, nil
		}
	}
	return extlink.Room{}, fmt.Errorf("-room %s: no such room can be formed: someone in it must be able to talk with each other person (R7, R8)", safeText(strings.Join(members, ",")))
}
