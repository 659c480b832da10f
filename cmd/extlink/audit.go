package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/extlink/extlink"
)

// defaultMaxSteps is the plan length audit and whatif look within unless
// told otherwise: the post's trick through one colleague takes 4 steps.
const defaultMaxSteps = 4

var auditCmd = &command{
	name:     "audit",
	synopsis: "-world FILE [-format text|json|csv] [-json] [-max-steps N] [-no-groups] [-progress] TENANT",
	summary:  "list who in TENANT can end up in a group with an unlinked outsider (R23)",
	run:      runAudit,
	help: `Audit lists the exposure of the tenant TENANT to the post's trick (R23): each
member who, though not linked with an outsider, can end up alone in a group
with them, as its only master, by a plan of at most N steps (R22). For each
it gives the member, the outsider, the shortest plan's length and the people
the plan goes through ("via": the chain from the member to the outsider, then
the group's creator if off the chain). Outsiders are LINE WORKS users of other
tenants; LINE users are never in groups (R6). The world file's groups count,
as Reconcile leaves them (R20): a plan may start from one of them, and is
then often shorter; "via" then names everyone else the plan names, and the
group is given. 'extlink plan MEMBER OUTSIDER' shows a plan step by step.
Rows are written as the audit finds them, member by member, so a large
tenant's audit starts printing at once and is never held in memory whole;
when standard error is a terminal, it shows the progress there.

Flags:
  -world FILE     the world file (required)
  -max-steps N    only plans of at most N steps (default 4, the post's trick
                  through one colleague; 7 goes through two people); 0 means
                  no limit, which in a connected world lists most pairs;
                  a limited audit says so on its last line, "no exposure"
                  included
  -no-groups      ignore the world file's groups: plans of new groups only
  -progress       show progress on standard error even when it is not a
                  terminal (on a terminal it is shown anyway)
  -format F       text (the default), json or csv
  -json           same as -format json

Output: the text form is a table with the columns member, outsider, steps
and via (people separated by spaces, then "(in NAME)" for a plan on one of
the world's groups), member and outsider with their display names where
these differ from the IDs, "tanaka (田中太郎)", sorted by member and then outsider, and a last line
counting the exposures; or one line saying there are none. The csv form
(RFC 4180: a field with a comma, a double quote or a line break is quoted)
has the header line "member,outsider,steps,via,group" and one record an
exposure, in the same order, via's people separated by spaces, group the
world's group the plan starts from ("" for a new group); with no exposure it
is the header alone. In via, and in the text form's member and outsider, an
ID that holds a space or a double quote, or a character that is not
printable (such as U+2028), is written as a Go string literal, "a b";
names are written so too when they hold such characters. The json form is one object whose keys are always
present:

  {
    "tenant": "t1",
    "maxSteps": 4,               0 for no limit
    "exposures": [               [] when there is none
      {"member": "me", "outsider": "b", "steps": 4, "via": ["a"],
       "group": 0,               the world's group the plan starts from,
                                 1-based; 0 for a new group
       "groupName": ""}          its name, or groups[INDEX]; "" for a new group
    ]
  }

Exit status, like grep's: 0 when there is exposure to list, 1 when there is
none, 2 usage or bad input (an unreadable or invalid world, an unknown
tenant, a negative -max-steps).

Examples:
  extlink audit -world examples/seed.json t1
  extlink audit -world examples/three-companies.json -max-steps 0 -format csv t1
`,
}

// auditResult is the json form of audit's answer; see auditCmd's help.
type auditResult struct {
	Tenant    string         `json:"tenant"`
	MaxSteps  int            `json:"maxSteps"`
	Exposures []exposureJSON `json:"exposures"`
}

// exposureJSON is one exposure in audit's json form.
type exposureJSON struct {
	Member    string   `json:"member"`
	Outsider  string   `json:"outsider"`
	Steps     int      `json:"steps"`
	Via       []string `json:"via"`
	Group     int      `json:"group"`     // the world's group the plan starts from, 1-based; 0 a new group
	GroupName string   `json:"groupName"` // its name, or groups[i]; "" for a new group
}

// maxStepsFlag adds -max-steps to o's flags.
func maxStepsFlag(o *options) *int {
	return o.fs.Int("max-steps", defaultMaxSteps, "the longest plan to count; 0 for no limit")
}

// within describes a -max-steps value: "plans of at most 4 steps".
func within(maxSteps int) string {
	if maxSteps <= 0 {
		return "plans of any length"
	}
	return "plans of at most " + count(maxSteps, "step")
}

func runAudit(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin, "text", "json", "csv")
	maxSteps := maxStepsFlag(o)
	noGroups := o.fs.Bool("no-groups", false, "ignore the world file's groups")
	showProgress := o.fs.Bool("progress", false, "show progress on standard error even when it is not a terminal")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return c.usageError(stderr, "need one TENANT, got %d arguments", len(pos))
	}
	if *maxSteps < 0 {
		return c.usageError(stderr, "-max-steps %d: want 0 (no limit) or more", *maxSteps)
	}
	p := newProgress(stderr, "extlink audit", *showProgress)
	defer p.end()
	stderr, stdout = p.guard(stderr), p.share(stdout)
	p.set("reading %s", o.worldName())
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	t := extlink.TenantID(pos[0])
	if _, known := w.Directory.Tenant(t); !known {
		fmt.Fprintf(stderr, "extlink audit: unknown tenant %q in %s%s\n", t, o.world, suggestTenant(w.Directory, string(t)))
		return exitUsage
	}
	var groups []extlink.Group
	if !*noGroups {
		groups = worldGroups(w)
	}
	seq, err := extlink.Audit(w.Directory, t, *maxSteps, groups...)
	if err != nil {
		fmt.Fprintf(stderr, "extlink audit: %v\n", err)
		return exitUsage
	}
	// The rows are written as the audit finds them, never all held at once.
	var out auditWriter
	switch o.format {
	case "json":
		out = &auditJSON{w: stdout, head: auditResult{Tenant: string(t), MaxSteps: *maxSteps}}
	case "csv":
		out = &auditCSV{w: csv.NewWriter(stdout)}
	default:
		out = newAuditText(stdout, w.Directory, t)
	}
	n, members, last := 0, 0, ""
	p.set("auditing %s, %s", t, within(*maxSteps))
	for e := range seq {
		name := ""
		if e.Group > 0 {
			name = groupLabel(w.Groups[e.Group-1].Name, e.Group-1)
		}
		if err = out.row(exposureJSON{string(e.Member), string(e.Outsider), e.Steps, ids(e.Via), e.Group, name}); err != nil {
			break
		}
		n++
		if m := string(e.Member); m != last {
			members, last = members+1, m
			p.update("auditing %s: %s so far, at member %s", t, count(n, "row"), m)
		}
	}
	p.end()
	if err == nil {
		err = out.end(auditResult{Tenant: string(t), MaxSteps: *maxSteps}, n, members)
	}
	if err != nil {
		fmt.Fprintf(stderr, "extlink audit: %v\n", err)
		return exitUsage
	}
	if n == 0 {
		return exitNo
	}
	return exitOK
}

// terminal reports whether w is a terminal, where audit shows its progress.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// auditWriter writes audit's rows as they come, then its end.
type auditWriter interface {
	row(e exposureJSON) error
	end(r auditResult, rows, members int) error
}

// auditText writes the text form: a table whose columns are as wide as the
// tenant's widest member and the directory's widest user, each with their
// name (see nameLabel), so that rows can be written as they come.
type auditText struct {
	w            io.Writer
	d            *extlink.Directory
	member, user int // the columns' widths
	started      bool
}

func newAuditText(w io.Writer, d *extlink.Directory, t extlink.TenantID) *auditText {
	a := &auditText{w: w, d: d, member: len("member"), user: len("outsider")}
	for id := range d.Members(t) {
		a.member = max(a.member, displayWidth(nameLabel(d, string(id))))
	}
	for u := range d.Users() {
		a.user = max(a.user, displayWidth(nameLabel(d, string(u.ID))))
	}
	return a
}

func (a *auditText) row(e exposureJSON) error {
	if !a.started {
		a.started = true
		if _, err := fmt.Fprintf(a.w, "%s  %s  steps  via\n", pad("member", a.member), pad("outsider", a.user)); err != nil {
			return err
		}
	}
	via := words(e.Via)
	if e.GroupName != "" {
		via += " (in " + safeText(e.GroupName) + ")"
	}
	line := fmt.Sprintf("%s  %s  %-5d  %s", pad(nameLabel(a.d, e.Member), a.member), pad(nameLabel(a.d, e.Outsider), a.user), e.Steps, strings.TrimSpace(via))
	_, err := fmt.Fprintln(a.w, strings.TrimRight(line, " "))
	return err
}

func (a *auditText) end(r auditResult, rows, members int) error {
	more := ""
	if r.MaxSteps > 0 {
		more = "; -max-steps 0 lists plans of any length"
	}
	if rows == 0 {
		_, err := fmt.Fprintf(a.w, "%s: no exposure: no member can end up alone in a group with an unlinked outsider by %s (R23)%s\n", safeText(r.Tenant), within(r.MaxSteps), more)
		return err
	}
	_, err := fmt.Fprintf(a.w, "%s: %s of %s, %s (R23)%s\n",
		safeText(r.Tenant), count(rows, "exposure"), count(members, "member"), within(r.MaxSteps), more)
	return err
}

// auditCSV writes the csv form, flushing as it goes.
type auditCSV struct {
	w       *csv.Writer
	started bool
	n       int
}

func (a *auditCSV) header() {
	if !a.started {
		a.started = true
		a.w.Write([]string{"member", "outsider", "steps", "via", "group"})
	}
}

func (a *auditCSV) row(e exposureJSON) error {
	a.header()
	// encoding/csv quotes a field that holds a comma, a quote or a line
	// break; via's IDs are words, so that an ID with a space stays one.
	a.w.Write([]string{e.Member, e.Outsider, strconv.Itoa(e.Steps), words(e.Via), e.GroupName})
	if a.n++; a.n%1000 == 0 {
		a.w.Flush()
	}
	return a.w.Error()
}

func (a *auditCSV) end(auditResult, int, int) error {
	a.header()
	a.w.Flush()
	return a.w.Error()
}

// auditJSON writes the json form, as writeJSON would write an auditResult,
// an exposure at a time.
type auditJSON struct {
	w       io.Writer
	started bool
	head    auditResult // tenant and maxSteps
}

func (a *auditJSON) open(r auditResult) error {
	if a.started {
		return nil
	}
	a.started = true
	t, _ := json.Marshal(r.Tenant)
	_, err := fmt.Fprintf(a.w, "{\n  \"tenant\": %s,\n  \"maxSteps\": %d,\n  \"exposures\": [", t, r.MaxSteps)
	return err
}

func (a *auditJSON) row(e exposureJSON) error {
	sep := ","
	if !a.started {
		sep = ""
		if err := a.open(a.head); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(e, "    ", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.w, "%s\n    %s", sep, b)
	return err
}

func (a *auditJSON) end(_ auditResult, rows, _ int) error {
	if err := a.open(a.head); err != nil {
		return err
	}
	if rows == 0 {
		_, err := fmt.Fprint(a.w, "]\n}\n")
		return err
	}
	_, err := fmt.Fprint(a.w, "\n  ]\n}\n")
	return err
}
