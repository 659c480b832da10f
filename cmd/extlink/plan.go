package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

var planCmd = &command{
	name:     "plan",
	synopsis: "-world FILE [-format text|json|mermaid|dot] [-json] [-no-groups] ME TARGET",
	summary:  "find the shortest way to a group of just ME and TARGET (R22)",
	run:      runPlan,
	help: `Plan finds, in the world FILE, a shortest plan that ends in a group of exactly
ME and TARGET with ME as its only master (R22): the post's trick, through
as many intermediaries as it takes, every step allowed by the rules. The
world file's groups count, as Reconcile leaves them (R20): a plan may
start from one of them (hand the master role on, invite, remove the
others) instead of creating a group, and is then often shorter; if one
already is such a group, the plan has no steps. Ties are broken by ID order, so the same world always gives the same
plan. Plan replays the plan through the group operations, as Plan.Apply
does, and shows the group it ends in. When no plan exists it says why and
what would help.

ME and TARGET are user IDs. Flags may come before or after them.

Flags:
  -world FILE    the world file (required)
  -format F      text (the default), json, mermaid or dot
  -json          same as -format json
  -no-groups     ignore the world file's groups: plan a new group only

Output: the text form's first line says how many steps the plan takes; the
numbered steps follow, each with the rule it is taken under; a step on one
of the world's groups names it ("group 1") and a line after the steps says
which group that is (its name, or groups[i] for an unnamed one, and its
state); a last line shows the group it ends in ("external group [b me*]",
masters starred). When
there is no plan, the first line is "unreachable: " and the reason, and the
lines after it give the rule, the reason, the blocker and the remedy, as
check does. mermaid writes a Mermaid sequence diagram and dot a Graphviz
digraph of the plan (render it with dot -Tsvg); when there is no plan they
write nothing and the reason goes to standard error. The json form is one
object whose keys are always present:

  {
    "me": "me",
    "target": "b",
    "found": true,
    "steps": 4,                  the plan's length; 0 when unreachable
    "plan": [                    [] when unreachable
      {"n": 1, "op": "create-group", "by": "a", "who": "b", "rule": "R10",
       "text": "a creates a group with b", "state": "external group [a* b]",
       "group": 0, "groupName": ""}
    ],                           "group": 0 the plan's own group, k the world's
                                 k-th; "groupName" its name or groups[k-1]
    "group": {"members": ["b", "me"], "masters": ["me"], "external": true,
              "text": "external group [b me*]"},
                                 the group the plan ends in, or the world's
                                 group that already is the goal (0 steps);
                                 null when unreachable
    "rule": "R22",               R22 when found; else the rule that blocks
    "reason": "none",            "none" when found; else see extlink.Reason
    "cause": "",                 the sentinel error besides ErrUnreachable; "" when found
    "party": "",                 the user the reason is about, or ""
    "tenant": "",                the tenant whose setting blocks, or ""
    "remedy": "",                what would help, or ""
    "text": "4 steps put me and b in a group of their own, me its only master"
  }

"op" is one of create-room, create-group, invite, convert, appoint, resign,
transfer, leave and remove; "who" is "" for the steps that name nobody else
(convert, resign, leave); "state" is the room or group after the step.

Exit status: 0 a plan was found, 1 no plan exists (unreachable), 2 usage or
bad input (an unreadable or invalid world, an unknown user, ME the same as
TARGET).

Examples:
  extlink plan -world examples/seed.json me b
  extlink plan -world examples/three-companies.json -format mermaid me u4
  extlink plan -world examples/seed.json -format dot me b | dot -Tsvg > plan.svg
`,
}

// planResult is the json form of plan's answer; see planCmd's help.
type planResult struct {
	Me     string     `json:"me"`
	Target string     `json:"target"`
	Found  bool       `json:"found"`
	Steps  int        `json:"steps"`
	Plan   []stepJSON `json:"plan"`
	Group  *groupJSON `json:"group"`
	Rule   string     `json:"rule"`
	Reason string     `json:"reason"`
	Cause  string     `json:"cause"`
	Party  string     `json:"party"`
	Tenant string     `json:"tenant"`
	Remedy string     `json:"remedy"`
	Text   string     `json:"text"`

	plan   extlink.Plan
	groups []world.Group // the world's groups, as planned with (reconciled)
	people string        // everyone the plan names, names beside IDs; see people
}

// worldGroups returns the groups of w, in file order (group k of a plan is
// w.Groups[k-1]), each as Reconcile leaves it in w's directory: the groups
// as they exist once members no longer allowed in are gone (R20).
func worldGroups(w *world.World) []extlink.Group {
	out := make([]extlink.Group, len(w.Groups))
	for i, g := range w.Groups {
		out[i] = extlink.Reconcile(w.Directory, g.Group)
	}
	return out
}

// stepJSON is one step of a plan in plan's json form.
type stepJSON struct {
	N     int    `json:"n"`
	Op    string `json:"op"`
	By    string `json:"by"`
	Who   string `json:"who"`
	Rule  string `json:"rule"`
	Text  string `json:"text"`
	State string `json:"state"`
	Group int    `json:"group"`
	Name  string `json:"groupName"`
}

// groupJSON is a group in the json forms of plan and whatif.
type groupJSON struct {
	Members  []string `json:"members"`
	Masters  []string `json:"masters"`
	External bool     `json:"external"`
	Text     string   `json:"text"`
}

func newGroupJSON(g extlink.Group) *groupJSON {
	return &groupJSON{Members: ids(g.Members()), Masters: ids(g.Masters()), External: g.External(), Text: g.String()}
}

// ids returns the user IDs as strings, never nil.
func ids(us []extlink.UserID) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		out = append(out, string(u))
	}
	return out
}

func runPlan(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin, "text", "json", "mermaid", "dot")
	noGroups := o.fs.Bool("no-groups", false, "ignore the world file's groups")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return c.usageError(stderr, "need ME and TARGET, got %d arguments", len(pos))
	}
	if pos[0] == pos[1] {
		return c.usageError(stderr, "ME and TARGET are both %q", pos[0])
	}
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	d := w.Directory
	for _, u := range pos {
		if _, known := d.User(extlink.UserID(u)); !known {
			fmt.Fprintf(stderr, "extlink plan: unknown user %q in %s%s\n", u, o.world, suggestUser(d, u))
			return exitUsage
		}
	}
	me, target := extlink.UserID(pos[0]), extlink.UserID(pos[1])

	res := planResult{Me: pos[0], Target: pos[1], Plan: []stepJSON{}}
	var groups []extlink.Group
	if !*noGroups {
		groups = worldGroups(w)
	}
	p, err := extlink.PlanGroup(d, me, target, groups...)
	var ue *extlink.UnreachableError
	switch {
	case errors.As(err, &ue):
		res.Rule, res.Reason, res.Cause = ue.Rule().String(), ue.Reason.String(), causeName(ue)
		res.Party, res.Tenant, res.Remedy = string(ue.Party), string(ue.Tenant), ue.Remedy()
		res.Text = strings.TrimPrefix(ue.Error(), "extlink: ")
	case err != nil:
		fmt.Fprintf(stderr, "extlink plan: %v\n", err)
		return exitUsage
	default:
		res.Found, res.Steps, res.Rule, res.Reason = true, len(p), extlink.R22.String(), extlink.ReasonNone.String()
		sme, starget := safeText(string(me)), safeText(string(target))
		res.Text = fmt.Sprintf("%s %s %s and %s in a group of their own, %s its only master", count(len(p), "step"), put(len(p)), sme, starget, sme)
		if len(p) == 0 {
			res.Text = fmt.Sprintf("%s and %s already are in a group of their own, %s its only master", sme, starget, sme)
			for i, g := range groups {
				if !g.Dissolved() && g.Len() == 2 && g.Has(me) && g.Has(target) && g.IsMaster(me) && len(g.Masters()) == 1 {
					res.Text += ": " + safeText(groupLabel(w.Groups[i].Name, i))
					res.Group = newGroupJSON(g)
					break
				}
			}
		}
		res.plan = p
		named := []string{pos[0], pos[1]}
		for _, s := range p {
			named = append(named, string(s.By), string(s.Who))
		}
		res.people = people(d, named...)
		for i, g := range groups {
			res.groups = append(res.groups, world.Group{Name: w.Groups[i].Name, Group: g})
		}
		for o, err := range p.Replay(d, groups...) {
			if err != nil {
				// PlanGroup promises plans that apply; say so if one did not.
				fmt.Fprintf(stderr, "extlink plan: internal error: the plan does not replay: %v\n", err)
				return exitUsage
			}
			state := o.Room.String()
			if o.InGroup {
				state = o.Group.String()
				res.Group = newGroupJSON(o.Group)
			}
			name := ""
			if k := o.Step.Group; k > 0 {
				name = groupLabel(w.Groups[k-1].Name, k-1)
			}
			res.Plan = append(res.Plan, stepJSON{o.Index + 1, o.Step.Op.String(), string(o.Step.By), string(o.Step.Who), o.Rule.String(), o.Step.String(), state, o.Step.Group, name})
		}
	}

	switch o.format {
	case "json":
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "extlink plan: %v\n", err)
			return exitUsage
		}
	case "mermaid", "dot":
		if !res.Found {
			fmt.Fprintf(stderr, "extlink plan: unreachable: %s\n", escapeText(res.Text))
			break
		}
		if o.format == "mermaid" {
			fmt.Fprint(stdout, p.Mermaid())
		} else {
			fmt.Fprint(stdout, p.DOT())
		}
	default:
		writePlanText(stdout, res)
	}
	if !res.Found {
		return exitNo
	}
	return exitOK
}

// put returns the verb "put" agreeing with n steps.
func put(n int) string {
	if n == 1 {
		return "puts"
	}
	return "put"
}

// writePlanText writes plan's text form; see planCmd's help.
func writePlanText(out io.Writer, r planResult) {
	if r.Found {
		if len(r.plan) == 0 {
			fmt.Fprintf(out, "%s (%s)\n", r.Text, r.Rule)
			return
		}
		fmt.Fprintf(out, "%s (%s):\n", r.Text, r.Rule)
		fmt.Fprintln(out, escapeText(r.plan.String()))
		seen := map[int]bool{}
		for _, s := range r.plan {
			if k := s.Group; k > 0 && !seen[k] {
				seen[k] = true
				g := r.groups[k-1]
				fmt.Fprintf(out, "Group %d is %s: %s\n", k, safeText(groupLabel(g.Name, k-1)), escapeText(g.Group.String()))
			}
		}
		fmt.Fprintf(out, "Replayed, it ends in: %s\n", escapeText(r.Group.Text))
		if r.people != "" {
			fmt.Fprintf(out, "People: %s\n", r.people)
		}
		return
	}
	fmt.Fprintln(out, "unreachable: "+escapeText(r.Text))
	if rule, ok := ruleByLabel(r.Rule); ok {
		fmt.Fprintf(out, "  rule:       %s, %s\n", r.Rule, rule.Summary())
	}
	writeWhy(out, r.Reason, r.Cause, "", r.Party, r.Tenant, r.Remedy)
}

// ruleByLabel returns the rule whose label is s, such as "R12".
func ruleByLabel(s string) (extlink.Rule, bool) {
	for r := extlink.Rule(1); r.Summary() != ""; r++ {
		if r.String() == s {
			return r, true
		}
	}
	return 0, false
}
