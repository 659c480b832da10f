package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

var checkCmd = &command{
	name:     "check",
	synopsis: "-world FILE [-format text|json] [-json] QUESTION",
	summary:  "decide one question in a world file, with its rule, blocker and remedy",
	run:      runCheck,
	help: `Check decides one question in the world FILE and explains the answer: the
rule that decided, the user or tenant whose setting blocked it, and what
would make it allowed (R24).

Questions:
  talk FROM TO               may FROM talk 1:1 with TO? (R1, R2)
  call FROM TO               may FROM call TO? (R1, R3)
  invite -group NAME BY WHO  may BY add WHO to the group NAME of the world
                             file (its "name", or its index in "groups")? (R13)
  email VIEWER CONTACT       may VIEWER e-mail CONTACT, an entry of the address
                             book of VIEWER's tenant, named by its user ID or its
                             name? (R4) An entry found only in another tenant's
                             book is denied: VIEWER cannot see it.

FROM, TO, BY, WHO and VIEWER are user IDs. Flags may come before or after the
question's words.

Flags:
  -world FILE    the world file (required)
  -group NAME    the group, for invite
  -format F      text (the default) or json
  -json          same as -format json

Output: the text form's first line is "allowed: " or "denied: " and the
decision's sentence; the lines after it give the rule, and for a denial the
reason, the blocker ("user U", "tenant T", both, or "-" when no one setting
blocks it, as for a missing link) and the remedy. For a talk or call denied
because the two are not linked, a last line names the asker's colleagues
who can talk with the other person (R24). The json form is one object whose
keys are always present:

  {
    "action": "talk",            talk, call, invite or email
    "by": "me",                  FROM, BY or VIEWER
    "who": "b",                  TO or WHO; for email the contact's user, else its name
    "group": "",                 invite: the group as given by -group
    "contact": null,             email: {"tenant","owner","user","name","email"}
    "allowed": false,
    "rule": "R2",                the rule that decided
    "summary": "...",            what that rule says
    "reason": "not-linked",      "none" when allowed; see extlink.Reason
    "cause": "ErrNotLinked",     the sentinel error a denial wraps; "" when allowed
    "party": "",                 the user whose state blocked it, or "";
                                 for not-master, a master to ask
    "tenant": "",                the tenant whose setting blocked it, or ""
    "remedy": "link me with b first",
    "text": "me cannot talk with b: not linked (R2); link me with b first",
    "linkedColleagues": ["a"]    for talk or call denied as not linked: colleagues
                                 of "by" who can talk with "who"; else []
  }

Exit status: 0 allowed, 1 denied, 2 usage or bad input (an unreadable or
invalid world, an unknown user, group or contact).

Examples:
  extlink check -world examples/seed.json talk me b
  extlink check -world examples/three-companies.json -json invite -group launch a u3
  extlink check -world examples/seed.json email me B
`,
}

// checkResult is the json form of check's answer; see checkCmd's help.
type checkResult struct {
	Action           string       `json:"action"`
	By               string       `json:"by"`
	Who              string       `json:"who"`
	Group            string       `json:"group"`
	Contact          *contactJSON `json:"contact"`
	Allowed          bool         `json:"allowed"`
	Rule             string       `json:"rule"`
	Summary          string       `json:"summary"`
	Reason           string       `json:"reason"`
	Cause            string       `json:"cause"`
	Party            string       `json:"party"`
	Tenant           string       `json:"tenant"`
	Remedy           string       `json:"remedy"`
	Text             string       `json:"text"`
	LinkedColleagues []string     `json:"linkedColleagues"`

	whoLINE bool // who is a LINE user, who can share a room but not a group (R6)
}

// contactJSON is an address-book entry in check's json form.
type contactJSON struct {
	Tenant string `json:"tenant"`
	Owner  string `json:"owner"`
	User   string `json:"user"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

func runCheck(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin, "text", "json")
	group := o.fs.String("group", "", "the group, for invite")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return c.usageError(stderr, "missing question: talk, call, invite or email")
	}
	q, rest := pos[0], pos[1:]
	names := map[string]string{"talk": "FROM TO", "call": "FROM TO", "invite": "BY WHO", "email": "VIEWER CONTACT"}
	if names[q] == "" {
		return c.usageError(stderr, "unknown question %q (want talk, call, invite or email)", q)
	}
	if len(rest) != 2 {
		return c.usageError(stderr, "%s needs %s, got %d arguments", q, names[q], len(rest))
	}
	if (q == "talk" || q == "call") && rest[0] == rest[1] {
		// As plan's ME and TARGET: asking about oneself is a mistake in
		// the question, not a denial.
		return c.usageError(stderr, "FROM and TO are both %q", rest[0])
	}
	if q == "invite" && *group == "" {
		return c.usageError(stderr, "invite needs -group NAME")
	}
	if q != "invite" && *group != "" {
		return c.usageError(stderr, "-group is for invite, not %s", q)
	}
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	d := w.Directory
	by, who := extlink.UserID(rest[0]), extlink.UserID(rest[1])
	users := rest // every argument names a user but email's contact
	if q == "email" {
		users = rest[:1]
	}
	for _, u := range users {
		if _, known := d.User(extlink.UserID(u)); !known {
			fmt.Fprintf(stderr, "extlink check: unknown user %q in %s\n", u, o.world)
			return exitUsage
		}
	}

	res := checkResult{Group: *group, LinkedColleagues: []string{}}
	var dec extlink.Decision
	switch q {
	case "talk":
		dec = extlink.CanTalk(d, by, who)
	case "call":
		dec = extlink.CanCall(d, by, who)
	case "invite":
		g, ok := findGroup(w, *group)
		if !ok {
			fmt.Fprintf(stderr, "extlink check: no group %q in %s\n", *group, o.world)
			return exitUsage
		}
		dec = extlink.CanInvite(d, g, by, who)
	case "email":
		ct, err := findContact(w, by, rest[1])
		if err != nil {
			fmt.Fprintf(stderr, "extlink check: %v in %s\n", err, o.world)
			return exitUsage
		}
		res.Contact = &contactJSON{string(ct.Tenant), string(ct.Owner), string(ct.User), ct.Name, ct.Email}
		dec = extlink.CanEmail(d, by, ct)
	}
	if dec.Reason == extlink.ReasonNotLinked && (q == "talk" || q == "call") {
		for _, u := range linkedColleagues(d, by, who) {
			res.LinkedColleagues = append(res.LinkedColleagues, string(u))
		}
		u, _ := d.User(who)
		res.whoLINE = u.Kind == extlink.LINEUser
	}
	res.Action, res.By, res.Who = dec.Action.String(), string(dec.By), string(dec.Who)
	res.Allowed, res.Rule, res.Summary = dec.Allowed, dec.Rule.String(), dec.Rule.Summary()
	res.Reason, res.Cause = dec.Reason.String(), causeName(dec.Cause())
	res.Party, res.Tenant, res.Remedy, res.Text = string(dec.Party), string(dec.Tenant), dec.Remedy(), dec.String()

	if o.format == "json" {
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "extlink check: %v\n", err)
			return exitUsage
		}
	} else {
		writeCheckText(stdout, res)
	}
	if !dec.Allowed {
		return exitNo
	}
	return exitOK
}

// writeWhy writes the lines that explain a refusal: the reason and its
// sentinel, who or which tenant blocked it (blocker, when given, else named
// from party and tenant), and the remedy.
func writeWhy(out io.Writer, reason, cause, blocker, party, tenant, remedy string) {
	if blocker == "" {
		switch {
		case party != "" && tenant != "":
			blocker = "user " + party + " of tenant " + tenant
		case party != "":
			blocker = "user " + party
		case tenant != "":
			blocker = "tenant " + tenant
		default:
			blocker = "-"
		}
	}
	if remedy == "" {
		remedy = "-"
	}
	fmt.Fprintf(out, "  reason:     %s (%s)\n", reason, cause)
	fmt.Fprintf(out, "  blocked by: %s\n", blocker)
	fmt.Fprintf(out, "  remedy:     %s\n", remedy)
}

// writeCheckText writes check's text form; see checkCmd's help.
func writeCheckText(out io.Writer, r checkResult) {
	verdict := "denied: "
	if r.Allowed {
		verdict = "allowed: "
	}
	fmt.Fprintln(out, verdict+r.Text)
	if r.Contact != nil {
		ct := r.Contact
		fmt.Fprintf(out, "  contact:    %s's address book, added by %s: %s\n", ct.Tenant, ct.Owner, contactLine(ct))
	}
	fmt.Fprintf(out, "  rule:       %s, %s\n", r.Rule, r.Summary)
	if r.Allowed {
		return
	}
	blocker := ""
	if r.Reason == extlink.ReasonNotMaster.String() {
		blocker = "user " + r.By + ", not a master"
	}
	writeWhy(out, r.Reason, r.Cause, blocker, r.Party, r.Tenant, r.Remedy)
	if len(r.LinkedColleagues) > 0 {
		where := "a room or a group: R7, R21"
		if r.whoLINE {
			where = "a room: R7, R9"
		}
		fmt.Fprintf(out, "  linked colleagues: %s (they can talk with %s, and can bring %s and %s together in %s)\n",
			strings.Join(r.LinkedColleagues, ", "), r.Who, r.By, r.Who, where)
	}
}

// contactLine describes an address-book entry in a few words.
func contactLine(c *contactJSON) string {
	var parts []string
	if c.User != "" {
		parts = append(parts, "user "+c.User)
	} else {
		parts = append(parts, "no account")
	}
	if c.Name != "" {
		parts = append(parts, "name "+strconv.Quote(c.Name))
	}
	if c.Email != "" {
		parts = append(parts, "e-mail "+c.Email)
	} else {
		parts = append(parts, "no e-mail address")
	}
	return strings.Join(parts, ", ")
}

// findGroup returns the world's group with the given name or, failing
// that, at the given index.
func findGroup(w *world.World, name string) (extlink.Group, bool) {
	if g, ok := w.Group(name); ok {
		return g, true
	}
	if i, err := strconv.Atoi(name); err == nil && i >= 0 && i < len(w.Groups) && strconv.Itoa(i) == name {
		return w.Groups[i].Group, true
	}
	return extlink.Group{}, false
}

// findContact returns the address-book entry key names for viewer: in the
// book of viewer's tenant, the entry whose user is key, else the one entry
// whose name is key. Failing that, it returns the first such entry of any
// other book, which viewer cannot see, so that the decision says why.
func findContact(w *world.World, viewer extlink.UserID, key string) (extlink.Contact, error) {
	u, _ := w.Directory.User(viewer)
	var books [][]extlink.Contact
	if u.Tenant != "" {
		books = append(books, w.Book(u.Tenant))
	}
	books = append(books, w.Contacts)
	for i, book := range books {
		var byName []extlink.Contact
		for _, c := range book {
			if string(c.User) == key {
				return c, nil
			}
			if c.Name == key {
				byName = append(byName, c)
			}
		}
		switch {
		case len(byName) == 1 || len(byName) > 1 && i > 0:
			return byName[0], nil
		case len(byName) > 1:
			var users []string
			for _, c := range byName {
				users = append(users, strconv.Quote(string(c.User)))
			}
			return extlink.Contact{}, fmt.Errorf("%d contacts named %q in %s's address book (users %s); name one by its user ID", len(byName), key, u.Tenant, strings.Join(users, ", "))
		}
	}
	return extlink.Contact{}, fmt.Errorf("no contact %q in any address book", key)
}

// linkedColleagues returns by's colleagues who are linked with who and may
// talk with who, sorted by ID: extlink.LinkedColleagues, the same list as a
// contact card's (R24).
func linkedColleagues(d *extlink.Directory, by, who extlink.UserID) []extlink.UserID {
	return extlink.LinkedColleagues(d, by, who)
}

// causeName returns the name of a sentinel error, such as "ErrNotLinked",
// or "" for nil.
func causeName(err error) string {
	for _, s := range []struct {
		err  error
		name string
	}{
		{extlink.ErrUnknownUser, "ErrUnknownUser"},
		{extlink.ErrDissolved, "ErrDissolved"},
		{extlink.ErrNotMember, "ErrNotMember"},
		{extlink.ErrNotMaster, "ErrNotMaster"},
		{extlink.ErrAlreadyMember, "ErrAlreadyMember"},
		{extlink.ErrLastMaster, "ErrLastMaster"},
		{extlink.ErrInternalGroup, "ErrInternalGroup"},
		{extlink.ErrNotPermitted, "ErrNotPermitted"},
		{extlink.ErrNotLinked, "ErrNotLinked"},
		{extlink.ErrCallsOff, "ErrCallsOff"},
		{extlink.ErrUnreachable, "ErrUnreachable"},
	} {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	return ""
}
