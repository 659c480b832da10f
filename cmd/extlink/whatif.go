package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/extlink/extlink"
)

var whatifCmd = &command{
	name:     "whatif",
	synopsis: "-world FILE -change C [-change C ...] [-users U,U,...] [-tenant T] [-max-steps N] [-no-groups] [-progress] [-format text|json] [-json]",
	summary:  "preview what a directory change would flip, remove and expose (R25)",
	run:      runWhatif,
	help: `Whatif previews a change to the world FILE before it is made (R25): which
talk and call decisions between its users would flip, which members of its
groups Reconcile would remove for no longer being allowed in an external
group, and who would become master in their place (R20, D6), and, with
-tenant, how that tenant's exposure to the post's trick would change (R23).
Nothing is written: the file stays as it is.

Changes (-change, repeatable, applied in the order given; quote the ones
with spaces):
  T.works=off|all|listed    who in tenant T may talk with outside LINE WORKS users
  T.line=off|all|listed     who in T may talk with LINE users
  T.calls=on|off            T's calls switch
  T.create=members|admins   who in T may create groups
  T.leave=yes|no            whether T's members may leave groups themselves (by
                            default they cannot: a master removes them)
  connect U, disconnect U   put user U on or off its tenant's connected members;
                            also written U.connected=yes|no
  link A B, unlink A B      add or remove the link between users A and B
A tenant switch changes that one setting of the tenant's policy as it stands
by then, and leaves the others. yes and no, on and off, true and false are
interchangeable for calls, leave and connected. An ID may hold dots and
equals signs (taro.yamada.connected=no); one that holds a space or a
double quote is written as a Go string literal ('link "me one" b').

Flags:
  -world FILE     the world file (required)
  -change C       a change, as above (at least one)
  -users U,U,...  compare decisions between these users only (an ID with a
                  comma as a Go string literal, "a,b"; default: the
                  decisions of every user the changes touch, a member of a
                  tenant whose policy changes, a user connected or
                  disconnected, the ends of a link, with anyone: every
                  decision that can flip, at the cost of the change)
  -tenant T       also compare T's exposure (off without it)
  -max-steps N    the exposure's longest plan (default 4; 0 for no limit);
                  only with -tenant
  -no-groups      the exposure ignores the world file's groups (it counts
                  them by default, as each directory's Reconcile leaves them)
  -progress       show progress on standard error even when it is not a
                  terminal (on a terminal it is shown anyway)
  -format F       text (the default) or json
  -json           same as -format json

Output: the text form lists the changes, then the decisions that flip
("me may now talk with b (R2)", "a can no longer call b: ..."), talk before
call, pair by pair in the users' order; then, group by group in the file's
order, the members Reconcile would remove, the members it would make master
and the group as it would be; then, with -tenant, the exposures gained, lost
or changed, as "member -> outsider: steps before, steps after"; then a line
"People:" with the display names of everyone named above, where these
differ from the IDs (the first 100). Each section says "none" when nothing
in it changes (the groups section, that the file has none, if so), and a
last line says so when nothing does. Groups are compared as Reconcile
leaves them in the world as it is, so that a group the file lists with a
member the world already keeps out shows only what the change itself would
do. Groups without a name are shown as groups[INDEX]. The json form is one
object whose keys are always present:

  {
    "changes": [{"change": "t1.works=off", "text": "t1's policy becomes ..."}],
    "users": ["a", "b", "me"],   the users compared: with -users, the decisions among them;
                                 without, the users the changes touch
    "around": true,              true without -users: users' decisions with anyone
    "groups": ["launch"],        the groups compared, as shown in the text form
    "tenant": "",                -tenant, or ""
    "maxSteps": 0,               the exposure's limit; 0 for none or without -tenant
    "empty": false,              true when nothing below changes
    "flips": [
      {"action": "talk", "by": "a", "who": "b", "text": "a can no longer talk with b: ...",
       "before": DECISION, "after": DECISION}
    ],
    "removals": [
      {"group": "launch", "index": 0, "removed": ["a", "me"], "promoted": ["b"],
       "after": {"members": ["b", "u5"], "masters": ["b"], "external": true,
                 "text": "external group [b* u5]"}}
    ],
    "exposure": [{"member": "me", "outsider": "b", "before": 4, "after": 0}]
  }

where a DECISION is the decision as the library writes it (extlink.Decision's
MarshalJSON: "allowed", "action", "by", "who", "rule", "text", and for a
denial "reason", "cause", "remedy" and, where they apply, "party" and
"tenant"), as in check's json form, and an exposure's before or after is the
shortest plan's length, 0 for no exposure.

Exit status, like diff's: 0 when nothing asked about would change, 1 when
something would, 2 usage or bad input (an unreadable or invalid world, a
change that cannot be read or applied, an unknown user or tenant).

Examples:
  extlink whatif -world examples/three-companies.json -change t1.works=off
  extlink whatif -world examples/three-companies.json -change 'disconnect u1' -tenant t1 -users me,u1,u6
  extlink whatif -world examples/seed.json -change 'link me b' -tenant t1 -json
`,
}

// whatifResult is the json form of whatif's answer; see whatifCmd's help.
type whatifResult struct {
	Changes  []changeJSON   `json:"changes"`
	Users    []string       `json:"users"`
	Around   bool           `json:"around"`
	Groups   []string       `json:"groups"`
	Tenant   string         `json:"tenant"`
	MaxSteps int            `json:"maxSteps"`
	Empty    bool           `json:"empty"`
	Flips    []flipJSON     `json:"flips"`
	Removals []removalJSON  `json:"removals"`
	Exposure []exposureDiff `json:"exposure"`

	people string // for the text form: see whatifPeople
}

// changeJSON is one change as given and as understood.
type changeJSON struct {
	Change string `json:"change"`
	Text   string `json:"text"`
}

// flipJSON is a decision that would flip.
type flipJSON struct {
	Action string           `json:"action"`
	By     string           `json:"by"`
	Who    string           `json:"who"`
	Text   string           `json:"text"`
	Before extlink.Decision `json:"before"` // as the library writes it
	After  extlink.Decision `json:"after"`
}

// removalJSON is what Reconcile would do to one group.
type removalJSON struct {
	Group    string     `json:"group"`
	Index    int        `json:"index"`
	Removed  []string   `json:"removed"`
	Promoted []string   `json:"promoted"`
	After    *groupJSON `json:"after"`
}

// exposureDiff is an exposure gained, lost or changed.
type exposureDiff struct {
	Member   string `json:"member"`
	Outsider string `json:"outsider"`
	Before   int    `json:"before"`
	After    int    `json:"after"`
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ", ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// whatifUsers reads -users: known users, each once. A usage error or an
// unknown user gives its exit code.
func whatifUsers(c *command, o *options, d *extlink.Directory, users string, stderr io.Writer) ([]extlink.UserID, int) {
	list, err := splitList(users)
	if err != nil {
		return nil, c.usageError(stderr, "-users: %v", err)
	}
	if len(list) == 0 {
		list = []string{""}
	}
	var out []extlink.UserID
	for _, u := range list {
		switch _, known := d.User(extlink.UserID(u)); {
		case u == "":
			return nil, c.usageError(stderr, "-users %q: empty user ID", users)
		case !known:
			fmt.Fprintf(stderr, "extlink whatif: unknown user %q in %s%s\n", u, o.world, suggestUser(d, u))
			return nil, exitUsage
		case slices.Contains(out, extlink.UserID(u)):
			return nil, c.usageError(stderr, "-users %q: %s twice", users, u)
		}
		out = append(out, extlink.UserID(u))
	}
	return out, exitOK
}

// applyChangeFlags applies the -change flags one at a time, so that each
// is read against the world as the ones before it left it, and a failure
// names its -change; it records each in res. It reports every bad one on
// stderr and returns ok false if there is any.
func applyChangeFlags(before *extlink.Directory, changes []string, res *whatifResult, stderr io.Writer) (after *extlink.Directory, applied []extlink.Change, ok bool) {
	after, ok = before, true
	for _, text := range changes {
		ch, err := parseChange(after, text)
		if err == nil {
			var next *extlink.Directory
			if next, err = after.With(ch); err == nil {
				after = next
			}
		}
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "extlink: ")
			var ce *extlink.ChangeError
			if errors.As(err, &ce) && len(ce.Problems) == 1 {
				// The library's one rule for the change (R5, R6, R28), in its words.
				p := ce.Problems[0]
				msg = p.Msg
				if p.Rule != 0 {
					msg += " (" + p.Rule.String() + ")"
				}
			}
			fmt.Fprintf(stderr, "extlink whatif: -change %q: %s\n", text, msg)
			ok = false
			continue
		}
		res.Changes = append(res.Changes, changeJSON{text, ch.String()})
		applied = append(applied, ch)
	}
	return after, applied, ok
}

// fill records the report r in res.
func (res *whatifResult) fill(r extlink.Report) {
	res.Empty = r.Empty()
	for _, f := range r.Flips {
		res.Flips = append(res.Flips, flipJSON{f.After.Action.String(), string(f.After.By), string(f.After.Who), f.String(),
			f.Before, f.After})
	}
	for _, rm := range r.Removals {
		res.Removals = append(res.Removals, removalJSON{res.Groups[rm.Group], rm.Group, ids(rm.Removed), ids(rm.Promoted), newGroupJSON(rm.After)})
	}
	for _, e := range r.Exposure {
		res.Exposure = append(res.Exposure, exposureDiff{string(e.Member), string(e.Outsider), e.Before, e.After})
	}
}

func runWhatif(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin, "text", "json")
	var changes stringList
	o.fs.Var(&changes, "change", "a change; repeatable")
	users := o.fs.String("users", "", "the users whose decisions to compare, comma-separated")
	tenant := o.fs.String("tenant", "", "the tenant whose exposure to compare")
	maxSteps := maxStepsFlag(o)
	noGroups := o.fs.Bool("no-groups", false, "the exposure ignores the world file's groups")
	showProgress := o.fs.Bool("progress", false, "show progress on standard error even when it is not a terminal")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(stderr, "unexpected arguments %q", pos)
	}
	if len(changes) == 0 {
		return c.usageError(stderr, "need at least one -change")
	}
	set := map[string]bool{}
	o.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["max-steps"] && *tenant == "" {
		return c.usageError(stderr, "-max-steps is for the exposure of a -tenant")
	}
	if *maxSteps < 0 {
		return c.usageError(stderr, "-max-steps %d: want 0 (no limit) or more", *maxSteps)
	}
	p := newProgress(stderr, "extlink whatif", *showProgress)
	defer p.end()
	stderr = p.guard(stderr)
	p.set("reading %s", o.worldName())
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	before := w.Directory

	res := whatifResult{Users: []string{}, Groups: []string{}, Tenant: *tenant,
		Flips: []flipJSON{}, Removals: []removalJSON{}, Exposure: []exposureDiff{}}
	q := extlink.WhatIfQuery{Tenant: extlink.TenantID(*tenant), ExposureIgnoresGroups: *noGroups}
	if *tenant != "" {
		if _, known := before.Tenant(q.Tenant); !known {
			fmt.Fprintf(stderr, "extlink whatif: unknown tenant %q in %s%s\n", *tenant, o.world, suggestTenant(before, *tenant))
			return exitUsage
		}
		q.MaxSteps, res.MaxSteps = *maxSteps, *maxSteps
	}
	if set["users"] {
		if q.Users, code = whatifUsers(c, o, before, *users, stderr); code != exitOK {
			return code
		}
	}
	res.Users = ids(q.Users)
	for i, g := range w.Groups {
		// Reconcile with the world as it is first: a group the file lists
		// with members the world already keeps out would otherwise show
		// them removed whatever the change.
		q.Groups = append(q.Groups, extlink.Reconcile(before, g.Group))
		res.Groups = append(res.Groups, groupLabel(g.Name, i))
	}

	after, applied, ok := applyChangeFlags(before, changes, &res, stderr)
	if !ok {
		return exitUsage
	}
	if !set["users"] {
		// Every decision that can flip is one of a user the changes touch
		// with a colleague or a linked user: the cost follows the change
		// (R25), not the square of the world.
		q.Around = extlink.Touched(before, applied...)
		res.Users, res.Around = ids(q.Around), true
	}

	r, err := whatIf(p, before, after, q)
	if err != nil {
		fmt.Fprintf(stderr, "extlink whatif: %v\n", err)
		return exitUsage
	}
	p.end()
	res.fill(r)

	if o.format == "json" {
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "extlink whatif: %v\n", err)
			return exitUsage
		}
	} else {
		res.people = whatifPeople(after, res)
		writeWhatifText(stdout, res)
	}
	if !res.Empty {
		return exitNo
	}
	return exitOK
}

// whatIf is extlink.WhatIf in two calls, so that p can say which part of
// the work is under way: the decisions of q.Users and q.Around, then the
// groups and the tenant's exposure. The parts are independent (flips
// depend on the users only, removals on the groups, the exposure on the
// tenant and the groups), so the report is the one call's.
func whatIf(p *progress, before, after *extlink.Directory, q extlink.WhatIfQuery) (extlink.Report, error) {
	if len(q.Users) > 0 || len(q.Around) > 0 {
		if len(q.Around) > 0 {
			p.set("comparing the decisions of %s with anyone", count(len(q.Around), "user"))
		} else {
			p.set("comparing the decisions among %s", count(len(q.Users), "user"))
		}
	}
	users := extlink.WhatIfQuery{Users: q.Users, Around: q.Around}
	r, err := extlink.WhatIf(before, after, users)
	if err != nil || len(q.Groups) == 0 && q.Tenant == "" {
		return r, err
	}
	switch {
	case q.Tenant != "" && len(q.Groups) == 0:
		p.set("comparing %s's exposure, %s", q.Tenant, within(q.MaxSteps))
	case q.Tenant != "":
		p.set("reconciling %s and comparing %s's exposure, %s", count(len(q.Groups), "group"), q.Tenant, within(q.MaxSteps))
	default:
		p.set("reconciling %s", count(len(q.Groups), "group"))
	}
	rest := q
	rest.Users, rest.Around = nil, nil
	g, err := extlink.WhatIf(before, after, rest)
	r.Removals, r.Exposure = g.Removals, g.Exposure
	return r, err
}

// groupLabel names the world's group i: its name, or groups[i].
func groupLabel(name string, i int) string {
	if name != "" {
		return name
	}
	return "groups[" + strconv.Itoa(i) + "]"
}

// writeWhatifText writes whatif's text form; see whatifCmd's help.
func writeWhatifText(out io.Writer, r whatifResult) {
	fmt.Fprintln(out, "Changes:")
	for _, c := range r.Changes {
		fmt.Fprintf(out, "  %s\n", escapeText(c.Text))
	}
	section := func(title string, n int) {
		fmt.Fprintln(out, title)
		if n == 0 {
			fmt.Fprintln(out, "  none")
		}
	}
	among := fmt.Sprintf("among %s", count(len(r.Users), "user"))
	if r.Around {
		among = fmt.Sprintf("of the %s the changes touch, with anyone", count(len(r.Users), "user"))
	}
	section(fmt.Sprintf("Decisions that would flip, %s (R25):", among), len(r.Flips))
	for _, f := range r.Flips {
		fmt.Fprintf(out, "  %s\n", escapeText(f.Text))
	}
	if len(r.Groups) == 0 {
		fmt.Fprintln(out, "Groups Reconcile would change (R20): the world file has none")
	} else {
		section(fmt.Sprintf("Groups Reconcile would change, of %d (R20):", len(r.Groups)), len(r.Removals))
	}
	for _, rm := range r.Removals {
		var parts []string
		if len(rm.Removed) > 0 {
			parts = append(parts, "removes "+safeList(rm.Removed))
		}
		if len(rm.Promoted) > 0 {
			parts = append(parts, "makes "+safeList(rm.Promoted)+" master")
		}
		parts = append(parts, "leaving "+escapeText(rm.After.Text))
		fmt.Fprintf(out, "  %s: %s\n", safeText(rm.Group), strings.Join(parts, "; "))
	}
	if r.Tenant != "" {
		section(fmt.Sprintf("Exposure of %s, %s (R23):", safeText(r.Tenant), within(r.MaxSteps)), len(r.Exposure))
		for _, e := range r.Exposure {
			fmt.Fprintf(out, "  %s -> %s: %s before, %s after\n", safeText(e.Member), safeText(e.Outsider), stepsOrNone(e.Before), stepsOrNone(e.After))
		}
	}
	if r.people != "" {
		fmt.Fprintf(out, "People: %s\n", r.people)
	}
	if r.Empty {
		fmt.Fprintln(out, "Nothing asked about would change.")
	}
}

// maxPeople is how many people whatif's text form names on its People line.
const maxPeople = 100

// whatifPeople returns the People line of whatif's text form: everyone its
// flips, removals and exposure name, in that order, names beside IDs; ""
// when no one's name differs from their ID (see people).
func whatifPeople(d *extlink.Directory, r whatifResult) string {
	var named []string
	for _, f := range r.Flips {
		named = append(named, f.By, f.Who)
	}
	for _, rm := range r.Removals {
		named = append(named, rm.Removed...)
		named = append(named, rm.Promoted...)
	}
	for _, e := range r.Exposure {
		named = append(named, e.Member, e.Outsider)
	}
	return peopleUpTo(d, maxPeople, named...)
}

// stepsOrNone returns "4 steps", or "none" for 0.
func stepsOrNone(n int) string {
	if n == 0 {
		return "none"
	}
	return count(n, "step")
}

// parseChange reads one -change text against the directory d; see
// whatifCmd's help for the forms. A tenant switch starts from the tenant's
// policy in d.
func parseChange(d *extlink.Directory, text string) (extlink.Change, error) {
	verbs := map[string]int{"connect": 2, "disconnect": 2, "link": 3, "unlink": 3}
	if f := strings.Fields(text); len(f) > 0 && (verbs[f[0]] > 0 || !strings.Contains(text, "=")) {
		want := verbs[f[0]]
		if want > 0 {
			var err error
			if f, err = splitWords(strings.TrimSpace(text)); err != nil {
				return extlink.Change{}, fmt.Errorf("cannot read %q: %v", text, err)
			}
		}
		switch {
		case want == 0:
			return extlink.Change{}, fmt.Errorf("unknown change %q (want T.KEY=VALUE, connect U, disconnect U, link A B or unlink A B)", f[0])
		case len(f) != want:
			return extlink.Change{}, fmt.Errorf("%s needs %s, got %d", f[0], count(want-1, "user ID"), len(f)-1)
		}
		var us []extlink.User
		for _, id := range f[1:] {
			u, ok := d.User(extlink.UserID(id))
			if !ok {
				return extlink.Change{}, fmt.Errorf("unknown user %q%s", id, suggestUser(d, id))
			}
			us = append(us, u)
		}
		switch f[0] {
		case "connect", "disconnect":
			return extlink.SetConnected(us[0].ID, f[0] == "connect"), nil
		case "unlink":
			return extlink.RemoveLink(us[0].ID, us[1].ID), nil
		}
		// Whether the link may be is the library's one rule (R5, R6):
		// With refuses it, naming the rule.
		return extlink.AddLink(us[0].ID, us[1].ID), nil
	}

	// IDs may hold dots and equals signs (taro.yamada, example.com), and
	// keys and values do not: the last of each separates.
	trimmed := strings.TrimSpace(text)
	eq := strings.LastIndex(trimmed, "=")
	lhs, value := trimmed[:max(eq, 0)], trimmed[eq+1:]
	dot := strings.LastIndex(lhs, ".")
	name, key := lhs[:max(dot, 0)], lhs[dot+1:]
	if strings.HasPrefix(name, `"`) {
		// A quoted ID, as a -change's words may be: "me one".connected=no.
		if uq, err := strconv.Unquote(name); err == nil {
			name = uq
		} else {
			dot = -1
		}
	}
	if eq < 0 || dot < 0 || name == "" {
		return extlink.Change{}, fmt.Errorf("cannot read %q (want T.KEY=VALUE, connect U, disconnect U, link A B or unlink A B)", text)
	}
	yesNo := func() (bool, error) {
		switch value {
		case "yes", "on", "true":
			return true, nil
		case "no", "off", "false":
			return false, nil
		}
		return false, fmt.Errorf("%s wants yes or no (on or off, true or false), not %q", lhs, value)
	}
	if key == "connected" {
		if _, ok := d.User(extlink.UserID(name)); !ok {
			return extlink.Change{}, fmt.Errorf("unknown user %q%s", name, suggestUser(d, name))
		}
		on, err := yesNo()
		return extlink.SetConnected(extlink.UserID(name), on), err
	}
	t, known := d.Tenant(extlink.TenantID(name))
	p := t.Policy
	var err error
	switch key {
	case "works", "line":
		a := &p.Works
		if key == "line" {
			a = &p.LINE
		}
		if a.UnmarshalText([]byte(value)) != nil {
			err = fmt.Errorf("%s wants off, all or listed, not %q", lhs, value)
		}
	case "calls":
		var on bool
		on, err = yesNo()
		p.NoCalls = !on
	case "leave":
		var on bool
		on, err = yesNo()
		p.MembersLeaveGroups = on
	case "create":
		switch value {
		case "members":
			p.MembersCreateGroups = true
		case "admins":
			p.MembersCreateGroups = false
		default:
			err = fmt.Errorf("%s wants members or admins, not %q", lhs, value)
		}
	default:
		return extlink.Change{}, fmt.Errorf("unknown key %q (want works, line, calls, create or leave for a tenant, connected for a user)", key)
	}
	if !known {
		return extlink.Change{}, fmt.Errorf("unknown tenant %q%s", name, suggestTenant(d, name))
	}
	return extlink.SetPolicy(t.ID, p), err
}
