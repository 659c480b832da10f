package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

var checkCmd = &command{
	name:     "check",
	synopsis: "-world FILE [-format text|json] [-json] [-group NAME | -room MEMBERS] QUESTION\n       extlink check -world FILE -batch [-json] < QUESTIONS",
	summary:  "decide a question in a world file, with its rule, blocker and remedy",
	run:      runCheck,
	help: `Check decides one question in the world FILE and explains the answer: the
rule that decided, the user or tenant whose setting blocked it, and what
would make it allowed (R24). Every operation of the library can be asked;
an operation is decided by the library's own checks, so the answer is
allowed exactly when the operation would succeed (R27).

Questions:
  talk FROM TO               may FROM talk 1:1 with TO? (R1, R2)
  call FROM TO               may FROM call TO? (R1, R3)
  email VIEWER CONTACT       may VIEWER e-mail CONTACT, an entry of the address
                             book of VIEWER's tenant, named by its user ID or its
                             name? (R4) An entry found only in another tenant's
                             book is denied: VIEWER cannot see it.
  create-room BY WHO...      may BY create a room with WHO...? (R7)
  create-group BY [WHO...]   may BY create a group with WHO... (or alone)? (R10-R12)
  invite BY WHO              may BY add WHO to the group (-group, R13) or the
                             room (-room, R8)?
  convert BY                 may BY turn the room (-room) into a group? (R10-R12)
  appoint BY WHO             may BY make WHO a master of the group? (R14)
  resign WHO                 may WHO stop being a master of the group? (R15)
  transfer FROM TO           may FROM hand the master role to TO? (R17)
  leave WHO                  may WHO leave the group (R18, D5) or the room (R8)?
  remove BY WHO              may BY remove WHO from the group? (R16)

FROM, TO, BY, WHO and VIEWER are user IDs. The group is the world file's
(-group NAME: its "name", or its index in "groups"). World files hold no
rooms: -room MEMBERS names one by its members, comma-separated (an ID with
a comma, a quote or a space at an end as a Go string literal: -room
'"a,b",me'), and check forms it as people could (one creates it with
another, and those in it invite the rest, R7, R8); a room no such order
forms is bad input. A question that names one person twice (talk me me,
remove -group g a a) is a usage error, as plan's ME and TARGET are. Flags
may come before or after the question's words.

Flags:
  -world FILE    the world file (required); - for standard input
  -group NAME    the group, for invite, appoint, resign, transfer, leave, remove
  -room MEMBERS  the room, for invite, convert, leave
  -batch         answer the questions on standard input (below)
  -format F      text (the default) or json
  -json          same as -format json

Output: the text form's first line is "allowed: " or "denied: " and the
decision's sentence. The lines after it give the people involved with their
display names where these differ from the IDs ("people:"), a create's
people ("with:") and the room ("room:"), when there are any; then the rule,
and for a denial the reason, the blocker ("user U", "tenant T", both, or
"-" when no one setting blocks it, as for a missing link) and the remedy.
For a talk or call denied because the two are not linked, a last line
names the asker's colleagues who can talk with the other person (R24).

The json form is one object: the decision exactly as the library writes it
(extlink.Decision's MarshalJSON, the shape a service logs), then check's own
keys, which are always present:

  {
    "allowed": false,
    "action": "talk",            the library's action: talk, call, email,
                                 create-room, create-group, invite, invite-room,
                                 convert, appoint, resign, transfer, leave,
                                 leave-room or remove
    "by": "me",                  FROM, BY, WHO of resign and leave, or VIEWER
    "who": "b",                  TO or WHO (of a create's WHOs, the one that
                                 decided a denial, else the first); for email
                                 the contact's user, else its name
    "rule": "R2",                the rule that decided
    "reason": "not-linked",      see extlink.Reason
    "cause": "ErrNotLinked",     the sentinel error a denial wraps
    "party": "...",              the user whose state blocked it; for
                                 not-master, a master to ask
    "tenant": "...",             the tenant whose setting blocked it
    "remedy": "link me with b first",
    "text": "me cannot talk with b: not linked (R2); link me with b first",
    ...                          and whatever else the library writes
    "group": "",                 the group as given by -group
    "room": [],                  the room's members as given by -room
    "with": [],                  create-room, create-group: every WHO
    "contact": null,             email: {"tenant","owner","user","name","email"}
    "summary": "...",            what the rule says
    "linkedColleagues": ["a"]    for talk or call denied as not linked: colleagues
                                 of "by" who can talk with "who"; else []
  }

The library leaves out a decision's keys that are empty: "who" when there
is none, and "reason", "cause", "party", "tenant" and "remedy" when they
do not apply (an allowed decision has none of them); "go doc
extlink.Decision.MarshalJSON" documents its shape.

Batch: with -batch, check loads the world once and reads questions from
standard input, one JSON object a line (blank lines are skipped):

  {"id": 1, "q": "talk", "args": ["me", "b"]}
  {"id": "launch", "q": "invite", "group": "launch", "args": ["a", "u3"]}
  {"q": "convert", "room": ["a", "b", "me"], "args": ["a"]}

and writes one JSON answer a line, in order: "id" (the question's, or
null), the json form above, and "error" (""); for a question it cannot
answer, only "id" and "error", which says why. -format text is not for
-batch.

Exit status: 0 allowed, 1 denied, 2 usage or bad input (an unreadable or
invalid world, an unknown user, group or contact, a room that cannot
form). With -batch: 0 when every answer is allowed, 1 when one is denied,
2 when one could not be answered (every line is still answered).

Examples:
  extlink check -world examples/seed.json talk me b
  extlink check -world examples/three-companies.json -json invite -group launch a u3
  extlink check -world examples/seed.json email me B
  extlink check -world examples/three-companies.json leave -group launch me
  extlink check -world examples/seed.json convert -room a,b,me a
  echo '{"q": "talk", "args": ["me", "b"]}' | extlink check -world examples/seed.json -batch
`,
}

// checkResult is check's answer: the library's decision and what check
// adds around it. Its json form is the decision as the library writes it
// ([extlink.Decision.MarshalJSON]), passed through unchanged, followed by
// check's own keys (checkContext); see checkCmd's help.
type checkResult struct {
	dec extlink.Decision
	checkContext

	people  string // the users involved, names beside IDs, for the text form; see people
	whoLINE bool   // who is a LINE user, who can share a room but not a group (R6)
}

// checkContext holds the keys check's json form adds after the decision's.
type checkContext struct {
	Group            string       `json:"group"`
	Room             []string     `json:"room"`
	With             []string     `json:"with"`
	Contact          *contactJSON `json:"contact"`
	Summary          string       `json:"summary"`
	LinkedColleagues []string     `json:"linkedColleagues"`
}

// MarshalJSON writes the library's JSON for the decision, then check's own
// keys.
func (r checkResult) MarshalJSON() ([]byte, error) {
	return joinObjects(r.dec, r.checkContext)
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
	group := o.fs.String("group", "", "the group of the world file, by name or index")
	room := o.fs.String("room", "", "a room, as its members, comma-separated")
	batch := o.fs.Bool("batch", false, "read questions from standard input, one JSON object a line")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if *batch {
		if len(pos) > 0 || *group != "" || *room != "" {
			return c.usageError(stderr, "-batch reads its questions from standard input: no question, -group or -room on the command line")
		}
		if o.world == "-" {
			return c.usageError(stderr, "-batch reads its questions from standard input: the world cannot come from there too")
		}
		return runBatch(o, stdin, stdout, stderr)
	}
	if len(pos) == 0 {
		return c.usageError(stderr, "missing question: %s", questionNames())
	}
	roomList, err := splitList(*room)
	if err != nil {
		return c.usageError(stderr, "-room: %v", err)
	}
	q := question{Q: pos[0], Args: pos[1:], Group: *group, Room: roomList}
	if err := q.check(); err != nil {
		return c.usageError(stderr, "%v", err)
	}
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	res, err := (&asker{w: w, src: o.world, suggest: true}).decide(q)
	if err != nil {
		fmt.Fprintf(stderr, "extlink check: %v\n", err)
		return exitUsage
	}
	if o.format == "json" {
		writeJSON(stdout, res) // a failed write is run's to report
	} else {
		writeCheckText(stdout, res)
	}
	if !res.dec.Allowed {
		return exitNo
	}
	return exitOK
}

// splitList splits a comma-separated list flag (-room, -users), trimming
// spaces around each item; an empty flag gives nil. An item that starts
// with a double quote is a Go string literal, so that an ID with a comma
// or a space can be named: -users '"a,b", c'.
func splitList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		item := s
		if strings.HasPrefix(s, `"`) {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("unterminated or invalid quoted item %s", safeText(s))
			}
			item, _ = strconv.Unquote(q)
			s = strings.TrimLeftFunc(s[len(q):], unicode.IsSpace)
			if s != "" && s[0] != ',' {
				return nil, fmt.Errorf("quoted item %s runs into %s", q, safeText(s))
			}
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			item, s = strings.TrimSpace(s[:i]), s[i:]
		}
		out = append(out, item)
		if s == "" {
			return out, nil
		}
		s = s[1:] // the comma
	}
}

// writeWhy writes the lines that explain a refusal: the reason and its
// sentinel, who or which tenant blocked it (blocker, when given, else named
// from party and tenant), and the remedy.
func writeWhy(out io.Writer, reason, cause, blocker, party, tenant, remedy string) {
	if blocker == "" {
		switch {
		case party != "" && tenant != "":
			blocker = "user " + safeText(party) + " of tenant " + safeText(tenant)
		case party != "":
			blocker = "user " + safeText(party)
		case tenant != "":
			blocker = "tenant " + safeText(tenant)
		default:
			blocker = "-"
		}
	}
	if remedy == "" {
		remedy = "-"
	}
	fmt.Fprintf(out, "  reason:     %s (%s)\n", reason, cause)
	fmt.Fprintf(out, "  blocked by: %s\n", blocker)
	fmt.Fprintf(out, "  remedy:     %s\n", escapeText(remedy))
}

// writeCheckText writes check's text form; see checkCmd's help.
func writeCheckText(out io.Writer, r checkResult) {
	d := r.dec
	verdict := "denied: "
	if d.Allowed {
		verdict = "allowed: "
	}
	fmt.Fprintln(out, verdict+escapeText(d.String()))
	if r.people != "" {
		fmt.Fprintf(out, "  people:     %s\n", r.people)
	}
	if len(r.With) > 1 {
		fmt.Fprintf(out, "  with:       %s\n", safeList(r.With))
	}
	if len(r.Room) > 0 {
		fmt.Fprintf(out, "  room:       %s\n", safeList(r.Room))
	}
	if r.Contact != nil {
		ct := r.Contact
		fmt.Fprintf(out, "  contact:    %s's address book, added by %s: %s\n", safeText(ct.Tenant), safeText(ct.Owner), contactLine(ct))
	}
	fmt.Fprintf(out, "  rule:       %s, %s\n", d.Rule, r.Summary)
	if d.Allowed {
		return
	}
	blocker := ""
	if d.Reason == extlink.ReasonNotMaster {
		blocker = "user " + safeText(string(d.By)) + ", not a master"
	}
	writeWhy(out, d.Reason.String(), causeName(d.Cause()), blocker, string(d.Party), string(d.Tenant), d.Remedy())
	if len(r.LinkedColleagues) > 0 {
		where := "a room or a group: R7, R21"
		if r.whoLINE {
			where = "a room: R7, R9"
		}
		fmt.Fprintf(out, "  linked colleagues: %s (they can talk with %s, and can bring %s and %s together in %s)\n",
			safeList(r.LinkedColleagues), safeText(string(d.Who)), safeText(string(d.By)), safeText(string(d.Who)), where)
	}
}

// contactLine describes an address-book entry in a few words.
func contactLine(c *contactJSON) string {
	var parts []string
	if c.User != "" {
		parts = append(parts, "user "+safeText(c.User))
	} else {
		parts = append(parts, "no account")
	}
	if c.Name != "" {
		parts = append(parts, "name "+strconv.Quote(c.Name))
	}
	if c.Email != "" {
		parts = append(parts, "e-mail "+safeText(c.Email))
	} else {
		parts = append(parts, "no e-mail address")
	}
	return strings.Join(parts, ", ")
}

// findContact returns the address-book entry key names for viewer: in the
// book of viewer's tenant (which book returns, as w.Book does), the entry whose user is key, else the one entry
// whose name is key. Failing that, it returns the first such entry of any
// other book, which viewer cannot see, so that the decision says why.
func findContact(w *world.World, book func(extlink.TenantID) []extlink.Contact, viewer extlink.UserID, key string) (extlink.Contact, error) {
	u, _ := w.Directory.User(viewer)
	var books [][]extlink.Contact
	if u.Tenant != "" {
		books = append(books, book(u.Tenant))
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
