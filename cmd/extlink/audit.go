package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/extlink/extlink"
)

// defaultMaxSteps is the plan length audit and whatif look within unless
// told otherwise: the post's trick through one colleague takes 4 steps.
const defaultMaxSteps = 4

var auditCmd = &command{
	name:     "audit",
	synopsis: "-world FILE [-format text|json|csv] [-json] [-max-steps N] TENANT",
	summary:  "list who in TENANT can end up in a group with an unlinked outsider (R23)",
	run:      runAudit,
	help: `Audit lists the exposure of the tenant TENANT to the post's trick (R23): each
member who, though not linked with an outsider, can end up alone in a group
with them, as its only master, by a plan of at most N steps (R22). For each
it gives the member, the outsider, the shortest plan's length and the people
the plan goes through ("via": the chain from the member to the outsider, then
the group's creator if off the chain). Outsiders are LINE WORKS users of other
tenants; LINE users are never in groups (R6). 'extlink plan MEMBER OUTSIDER'
shows a plan step by step.

Flags:
  -world FILE     the world file (required)
  -max-steps N    only plans of at most N steps (default 4, the post's trick
                  through one colleague; 7 goes through two people); 0 means
                  no limit, which in a connected world lists most pairs
  -format F       text (the default), json or csv
  -json           same as -format json

Output: the text form is a table with the columns member, outsider, steps
and via (people separated by spaces), sorted by member and then outsider,
and a last line counting the exposures; or one line saying there are none.
The csv form has the header line "member,outsider,steps,via" and one record
an exposure, in the same order, via's people separated by spaces; with no
exposure it is the header alone. The json form is one object whose keys are
always present:

  {
    "tenant": "t1",
    "maxSteps": 4,               0 for no limit
    "exposures": [               [] when there is none
      {"member": "me", "outsider": "b", "steps": 4, "via": ["a"]}
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
	Member   string   `json:"member"`
	Outsider string   `json:"outsider"`
	Steps    int      `json:"steps"`
	Via      []string `json:"via"`
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

func runAudit(c *command, args []string, stdout, stderr io.Writer) int {
	o := newOptions(c, "text", "json", "csv")
	maxSteps := maxStepsFlag(o)
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
	w, ok := o.load(stderr)
	if !ok {
		return exitUsage
	}
	t := extlink.TenantID(pos[0])
	if _, known := w.Directory.Tenant(t); !known {
		fmt.Fprintf(stderr, "extlink audit: unknown tenant %q in %s\n", t, o.world)
		return exitUsage
	}
	seq, err := extlink.Audit(w.Directory, t, *maxSteps)
	if err != nil {
		fmt.Fprintf(stderr, "extlink audit: %v\n", err)
		return exitUsage
	}
	res := auditResult{Tenant: string(t), MaxSteps: *maxSteps, Exposures: []exposureJSON{}}
	for e := range seq {
		res.Exposures = append(res.Exposures, exposureJSON{string(e.Member), string(e.Outsider), e.Steps, ids(e.Via)})
	}

	switch o.format {
	case "json":
		err = writeJSON(stdout, res)
	case "csv":
		cw := csv.NewWriter(stdout)
		cw.Write([]string{"member", "outsider", "steps", "via"})
		for _, e := range res.Exposures {
			cw.Write([]string{e.Member, e.Outsider, strconv.Itoa(e.Steps), strings.Join(e.Via, " ")})
		}
		cw.Flush()
		err = cw.Error()
	default:
		err = writeAuditText(stdout, res)
	}
	if err != nil {
		fmt.Fprintf(stderr, "extlink audit: %v\n", err)
		return exitUsage
	}
	if len(res.Exposures) == 0 {
		return exitNo
	}
	return exitOK
}

// writeAuditText writes audit's text form; see auditCmd's help.
func writeAuditText(out io.Writer, r auditResult) error {
	if len(r.Exposures) == 0 {
		_, err := fmt.Fprintf(out, "%s: no exposure: no member can end up alone in a group with an unlinked outsider by %s (R23)\n", r.Tenant, within(r.MaxSteps))
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "member\toutsider\tsteps\tvia")
	members := map[string]bool{}
	for _, e := range r.Exposures {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", e.Member, e.Outsider, e.Steps, strings.Join(e.Via, " "))
		members[e.Member] = true
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "%s: %s of %s, %s (R23)\n",
		r.Tenant, count(len(r.Exposures), "exposure"), count(len(members), "member"), within(r.MaxSteps))
	return err
}
