package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

var testCmd = &command{
	name:     "test",
	synopsis: "-world FILE ASSERTIONS.json...",
	summary:  "check a world against expected answers, for CI",
	run:      runTest,
	help: `Test reads the world FILE once and checks it against the expected answers
in each ASSERTIONS file: check's decisions, plan lengths and audit rows. It
prints every assertion that fails and a summary line, and exits 1 if any
fails: a policy review a team can keep in its repository and run in CI.

An assertions file is one JSON object; each of its lists may be left out:

  {
    "checks": [
      {"q": "talk", "args": ["me", "b"], "allowed": false, "reason": "not-linked"},
      {"q": "invite", "group": "launch", "args": ["a", "u3"], "allowed": true},
      {"q": "leave", "group": "launch", "args": ["me"], "allowed": false, "rule": "D5"}
    ],
    "plans": [
      {"me": "me", "target": "b", "steps": 4},
      {"me": "me", "target": "u8", "found": false, "reason": "line-in-group"}
    ],
    "audits": [
      {"tenant": "t1", "maxSteps": 4,
       "exposures": [{"member": "me", "outsider": "b", "steps": 4}]}
    ]
  }

A check is a question as check -batch reads it ("q", "args", "group",
"room") with "allowed" (required) and, to pin the explanation, any of
"rule", "reason", "cause", "party" and "tenant" as check's json form writes
them. A plan names "me" and "target" and expects "steps" (the shortest
plan's length, 0 when a group of the world already is the goal) or "found":
false, optionally with "reason"; "noGroups": true ignores the world's
groups. An audit expects exactly the rows given for "tenant" (member and
outsider; "steps" and "via" when given), "maxSteps" defaulting to 4 as
audit's -max-steps and 0 for no limit; "noGroups" as for plans.

Flags:
  -world FILE    the world file (required); - for standard input

Output: one line per failed assertion, as a compiler's message for editors
and CI annotations: FILE:LINE:COL: checks[I] (QUESTION): what happened,
want what was expected; then "ok: N assertions hold" or "FAIL: N of M
assertions failed".

Exit status: 0 every assertion holds, 1 one fails, 2 usage or bad input (an
unreadable world or assertions file, an unknown field, user, tenant or
group).

Example, as a CI step:
  extlink test -world examples/three-companies.json examples/assertions/three-companies.json
`,
}

// assertions is an assertions file; see testCmd's help.
type assertions struct {
	Checks []checkAssertion `json:"checks"`
	Plans  []planAssertion  `json:"plans"`
	Audits []auditAssertion `json:"audits"`

	// where holds "LINE:COL" of each assertion, by list and index, for
	// messages.
	where map[string][]string
}

// at returns where list[i] is in the file, as "LINE:COL: ", or " " when
// that is not known.
func (a assertions) at(list string, i int) string {
	if i < len(a.where[list]) {
		return a.where[list][i] + ": "
	}
	return " "
}

type checkAssertion struct {
	question
	Allowed *bool  `json:"allowed"`
	Rule    string `json:"rule"`
	Reason  string `json:"reason"`
	Cause   string `json:"cause"`
	Party   string `json:"party"`
	Tenant  string `json:"tenant"`
}

type planAssertion struct {
	Me       string `json:"me"`
	Target   string `json:"target"`
	NoGroups bool   `json:"noGroups"`
	Steps    *int   `json:"steps"`
	Found    *bool  `json:"found"`
	Reason   string `json:"reason"`
}

type auditAssertion struct {
	Tenant    string     `json:"tenant"`
	MaxSteps  *int       `json:"maxSteps"`
	NoGroups  bool       `json:"noGroups"`
	Exposures []auditRow `json:"exposures"`
}

type auditRow struct {
	Member   string   `json:"member"`
	Outsider string   `json:"outsider"`
	Steps    *int     `json:"steps"`
	Via      []string `json:"via"`
}

func runTest(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin)
	files, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return c.usageError(stderr, "need an ASSERTIONS file")
	}
	var all []assertions
	for _, f := range files {
		a, err := readAssertions(f)
		if err != nil {
			fmt.Fprintf(stderr, "extlink test: %v\n", err)
			return exitUsage
		}
		all = append(all, a)
	}
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	n, failed := 0, 0
	for i, a := range all {
		fails, total, err := runAssertions(w, o.world, a)
		if err != nil {
			fmt.Fprintf(stderr, "extlink test: %s:%v\n", files[i], err)
			return exitUsage
		}
		for _, f := range fails {
			fmt.Fprintf(stdout, "%s:%s\n", files[i], f)
		}
		n, failed = n+total, failed+len(fails)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "FAIL: %d of %s failed\n", failed, count(n, "assertion"))
		return exitNo
	}
	fmt.Fprintf(stdout, "ok: %s hold\n", count(n, "assertion"))
	return exitOK
}

// readAssertions reads an assertions file strictly: an unknown field is an
// error.
func readAssertions(name string) (assertions, error) {
	var a assertions
	b, err := os.ReadFile(name)
	if err != nil {
		return a, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, fmt.Errorf("%s: %v", name, err)
	}
	if dec.More() {
		return a, fmt.Errorf("%s: data after the object", name)
	}
	a.where = map[string][]string{}
	for _, list := range []string{"checks", "plans", "audits"} {
		arrayElements(b, list, func(i, off int, _ json.RawMessage) bool {
			line, col := lineCol(b, off)
			a.where[list] = append(a.where[list], fmt.Sprintf("%d:%d", line, col))
			return true
		})
	}
	return a, nil
}

// runAssertions checks a against w and returns a line for each that fails
// and how many there were; its error is bad input.
func runAssertions(w *world.World, src string, a assertions) (fails []string, total int, err error) {
	ask := &asker{w: w, src: src, suggest: true} // the first error ends the run
	for i, c := range a.Checks {
		what := fmt.Sprintf("%schecks[%d] (%s)", a.at("checks", i), i, c.describe())
		if c.Allowed == nil {
			return nil, 0, fmt.Errorf("%s: \"allowed\" is missing", what)
		}
		if err := c.check(); err != nil {
			return nil, 0, fmt.Errorf("%s: %v", what, err)
		}
		res, err := ask.decide(c.question)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", what, err)
		}
		var diffs []string
		dec := res.dec
		if dec.Allowed != *c.Allowed {
			diffs = append(diffs, fmt.Sprintf("%s, want %s", verdict(dec.Allowed), verdict(*c.Allowed)))
		}
		for _, f := range []struct{ name, got, want string }{
			{"rule", dec.Rule.String(), c.Rule}, {"reason", dec.Reason.String(), c.Reason}, {"cause", causeName(dec.Cause()), c.Cause},
			{"party", string(dec.Party), c.Party}, {"tenant", string(dec.Tenant), c.Tenant},
		} {
			if f.want != "" && f.got != f.want {
				diffs = append(diffs, fmt.Sprintf("%s %q, want %q", f.name, f.got, f.want))
			}
		}
		total++
		if len(diffs) > 0 {
			fails = append(fails, what+": "+strings.Join(diffs, "; ")+": "+dec.String())
		}
	}
	d := w.Directory
	known := func(u string) error {
		if _, ok := d.User(extlink.UserID(u)); !ok {
			return fmt.Errorf("unknown user %q in %s%s", u, src, suggestUser(d, u))
		}
		return nil
	}
	for i, p := range a.Plans {
		what := fmt.Sprintf("%splans[%d] (%s -> %s)", a.at("plans", i), i, p.Me, p.Target)
		if err := cmpOr(known(p.Me), known(p.Target)); err != nil {
			return nil, 0, fmt.Errorf("%s: %v", what, err)
		}
		if p.Steps == nil && p.Found == nil {
			return nil, 0, fmt.Errorf("%s: neither \"steps\" nor \"found\" expected", what)
		}
		var groups []extlink.Group
		if !p.NoGroups {
			groups = worldGroups(w)
		}
		plan, err := extlink.PlanGroup(d, extlink.UserID(p.Me), extlink.UserID(p.Target), groups...)
		var ue *extlink.UnreachableError
		found := err == nil
		if err != nil && !errors.As(err, &ue) {
			return nil, 0, fmt.Errorf("%s: %v", what, err)
		}
		wantFound := p.Found == nil || *p.Found
		total++
		switch {
		case found != wantFound && found:
			fails = append(fails, fmt.Sprintf("%s: %s found, want none", what, count(len(plan), "step")))
		case found != wantFound:
			fails = append(fails, fmt.Sprintf("%s: none found, want one: %s", what, strings.TrimPrefix(ue.Error(), "extlink: ")))
		case found && p.Steps != nil && len(plan) != *p.Steps:
			fails = append(fails, fmt.Sprintf("%s: %s, want %d", what, count(len(plan), "step"), *p.Steps))
		case !found && p.Reason != "" && ue.Reason.String() != p.Reason:
			fails = append(fails, fmt.Sprintf("%s: reason %q, want %q: %s", what, ue.Reason.String(), p.Reason, strings.TrimPrefix(ue.Error(), "extlink: ")))
		}
	}
	for i, au := range a.Audits {
		what := fmt.Sprintf("%saudits[%d] (%s)", a.at("audits", i), i, au.Tenant)
		t := extlink.TenantID(au.Tenant)
		if _, ok := d.Tenant(t); !ok {
			return nil, 0, fmt.Errorf("%s: unknown tenant %q in %s%s", what, au.Tenant, src, suggestTenant(d, au.Tenant))
		}
		maxSteps := defaultMaxSteps
		if au.MaxSteps != nil {
			maxSteps = *au.MaxSteps
		}
		var groups []extlink.Group
		if !au.NoGroups {
			groups = worldGroups(w)
		}
		seq, err := extlink.Audit(d, t, maxSteps, groups...)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", what, err)
		}
		got := map[[2]string]extlink.Exposure{}
		for e := range seq {
			got[[2]string{string(e.Member), string(e.Outsider)}] = e
		}
		total++
		var diffs []string
		want := map[[2]string]bool{}
		for _, r := range au.Exposures {
			k := [2]string{r.Member, r.Outsider}
			want[k] = true
			e, ok := got[k]
			switch {
			case !ok:
				diffs = append(diffs, fmt.Sprintf("no row %s -> %s", r.Member, r.Outsider))
			case r.Steps != nil && e.Steps != *r.Steps:
				diffs = append(diffs, fmt.Sprintf("%s -> %s in %s, want %d", r.Member, r.Outsider, count(e.Steps, "step"), *r.Steps))
			case r.Via != nil && !slices.Equal(ids(e.Via), r.Via):
				diffs = append(diffs, fmt.Sprintf("%s -> %s via %v, want %v", r.Member, r.Outsider, ids(e.Via), r.Via))
			}
		}
		var extra []string
		for k, e := range got {
			if !want[k] {
				extra = append(extra, fmt.Sprintf("unexpected row %s -> %s (%s)", k[0], k[1], count(e.Steps, "step")))
			}
		}
		slices.Sort(extra)
		diffs = append(diffs, extra...)
		if len(diffs) > 0 {
			fails = append(fails, what+": "+strings.Join(diffs, "; "))
		}
	}
	return fails, total, nil
}

// cmpOr returns the first non-nil error.
func cmpOr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// verdict returns "allowed" or "denied".
func verdict(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "denied"
}

// describe writes q as its command line would: "invite -group launch a u3".
func (q question) describe() string {
	parts := []string{q.Q}
	if q.Group != "" {
		parts = append(parts, "-group", q.Group)
	}
	if len(q.Room) > 0 {
		parts = append(parts, "-room", strings.Join(q.Room, ","))
	}
	return strings.Join(append(parts, q.Args...), " ")
}
