package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// oddIDs is a world whose IDs hold the characters Mermaid and DOT treat
// specially (quotes, colons, semicolons, angle brackets, #) and non-ASCII
// letters.
const oddIDs = "testdata/worlds/odd-ids.json"

// plannedPair is a pair of users of a world for whom plan finds a plan,
// with the plan as its json form gives it.
type plannedPair struct {
	file       string
	me, target string
	res        planResult
}

// plannedPairs returns every ordered pair of users of the worlds for whom
// plan finds a plan, and checks that plan's exit status agrees.
func plannedPairs(t *testing.T, files ...string) []plannedPair {
	t.Helper()
	var out []plannedPair
	for _, f := range files {
		w, err := world.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for a := range w.Directory.Users() {
			for b := range w.Directory.Users() {
				if a.ID == b.ID {
					continue
				}
				code, stdout, stderr := runArgs("plan", "-world", f, "-json", string(a.ID), string(b.ID))
				var res planResult
				if err := json.Unmarshal([]byte(stdout), &res); err != nil {
					t.Fatalf("plan %s %s in %s: %v\n%s%s", a.ID, b.ID, f, err, stdout, stderr)
				}
				if want := map[bool]int{true: exitOK, false: exitNo}[res.Found]; code != want {
					t.Errorf("plan %s %s in %s: exit %d with found %v", a.ID, b.ID, f, code, res.Found)
				}
				if res.Found {
					out = append(out, plannedPair{f, string(a.ID), string(b.ID), res})
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no plans found")
	}
	return out
}

var allWorlds = []string{seed, three, noLeave, unreach, oddIDs, "testdata/worlds/played.json"}

// plan's json form is the plan PlanGroup finds, given the world's groups,
// and replaying its steps through Plan.Apply on them gives the group it
// reports.
func TestPlanJSONReplays(t *testing.T) {
	for _, pp := range plannedPairs(t, allWorlds...) {
		w, err := world.ReadFile(pp.file)
		if err != nil {
			t.Fatal(err)
		}
		groups := worldGroups(w)
		want, err := extlink.PlanGroup(w.Directory, extlink.UserID(pp.me), extlink.UserID(pp.target), groups...)
		if err != nil {
			t.Fatal(err)
		}
		var p extlink.Plan
		for i, s := range pp.res.Plan {
			var op extlink.Op
			if err := op.UnmarshalText([]byte(s.Op)); err != nil {
				t.Fatalf("%s %s: step %d: %v", pp.me, pp.target, i+1, err)
			}
			if s.N != i+1 {
				t.Errorf("%s %s: step %d is numbered %d", pp.me, pp.target, i+1, s.N)
			}
			p = append(p, extlink.Step{Op: op, By: extlink.UserID(s.By), Who: extlink.UserID(s.Who), Group: s.Group})
		}
		if diff := cmp.Diff(want, p, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s %s in %s: plan (-PlanGroup +json):\n%s", pp.me, pp.target, pp.file, diff)
		}
		g, err := p.Apply(w.Directory, groups...)
		if err != nil {
			t.Fatalf("%s %s in %s: %v", pp.me, pp.target, pp.file, err)
		}
		if len(p) == 0 {
			if pp.res.Group == nil || pp.res.Steps != 0 || !slices.Equal(pp.res.Group.Members, sortedIDs(pp.me, pp.target)) {
				t.Errorf("%s %s in %s: the empty plan reports %d steps and group %v", pp.me, pp.target, pp.file, pp.res.Steps, pp.res.Group)
			}
			continue
		}
		if diff := cmp.Diff(newGroupJSON(g), pp.res.Group); diff != "" {
			t.Errorf("%s %s in %s: group (-Apply +json):\n%s", pp.me, pp.target, pp.file, diff)
		}
		if pp.res.Steps != len(p) || g.Len() != 2 || !g.Has(extlink.UserID(pp.me)) || !g.Has(extlink.UserID(pp.target)) ||
			!cmp.Equal(g.Masters(), []extlink.UserID{extlink.UserID(pp.me)}) {
			t.Errorf("%s %s in %s: %d steps end in %v", pp.me, pp.target, pp.file, pp.res.Steps, g)
		}
	}
}

var (
	mermaidParticipant = regexp.MustCompile(`^    participant (p[0-9]+) as (.+)$`)
	mermaidMessage     = regexp.MustCompile(`^    (p[0-9]+)->>(p[0-9]+): (.+)$`)
	mermaidNote        = regexp.MustCompile(`^    Note over (p[0-9]+): (.+)$`)
	mermaidEntity      = regexp.MustCompile(`#([0-9]+);`)
)

// mermaidSpecial are the characters Mermaid's text must not hold raw.
const mermaidSpecial = "#;:\"<>"

// mermaidUnescape undoes the entity codes Plan.Mermaid writes.
func mermaidUnescape(s string) string {
	return mermaidEntity.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		return string(rune(n))
	})
}

// checkMermaid parses a Mermaid sequence diagram line by line and checks it
// against the plan: the header, every participant declared once before any
// message, and one message a step, in order, from its actor to the person
// it names (a note over the actor for steps that name nobody else), numbered
// and with its rule. Text holds no raw character Mermaid treats specially.
func checkMermaid(src string, plan []stepJSON) error {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if !strings.HasSuffix(src, "\n") || lines[0] != "sequenceDiagram" {
		return fmt.Errorf("not a sequence diagram ending in a newline")
	}
	names := map[string]string{} // alias -> user
	declared := map[string]bool{}
	steps := 0
	for i, line := range lines[1:] {
		if m := mermaidParticipant.FindStringSubmatch(line); m != nil {
			if steps > 0 {
				return fmt.Errorf("line %d: participant after a message", i+2)
			}
			if strings.ContainsAny(mermaidEntity.ReplaceAllString(m[2], ""), mermaidSpecial) {
				return fmt.Errorf("line %d: raw special character in %q", i+2, m[2])
			}
			u := mermaidUnescape(m[2])
			if names[m[1]] != "" || declared[u] {
				return fmt.Errorf("line %d: participant %s declared twice", i+2, u)
			}
			names[m[1]], declared[u] = u, true
			continue
		}
		var from, to, text string
		if m := mermaidMessage.FindStringSubmatch(line); m != nil {
			from, to, text = m[1], m[2], m[3]
		} else if m := mermaidNote.FindStringSubmatch(line); m != nil {
			from, text = m[1], m[2]
		} else {
			return fmt.Errorf("line %d: cannot parse %q", i+2, line)
		}
		if strings.ContainsAny(mermaidEntity.ReplaceAllString(text, ""), mermaidSpecial) {
			return fmt.Errorf("line %d: raw special character in %q", i+2, text)
		}
		if steps >= len(plan) {
			return fmt.Errorf("line %d: more messages than the plan's %d steps", i+2, len(plan))
		}
		s := plan[steps]
		steps++
		if names[from] != s.By || (to == "") != (s.Who == "") || to != "" && names[to] != s.Who {
			return fmt.Errorf("line %d: step %d goes %q -> %q, want %q -> %q", i+2, steps, names[from], names[to], s.By, s.Who)
		}
		if want := strconv.Itoa(steps) + ". "; !strings.HasPrefix(text, want) || !strings.HasSuffix(text, " ("+s.Rule+")") {
			return fmt.Errorf("line %d: %q does not start %q and end with the rule %s", i+2, text, want, s.Rule)
		}
	}
	if steps != len(plan) {
		return fmt.Errorf("%d messages for %d steps", steps, len(plan))
	}
	return nil
}

const dotQuoted = `("(?:[^"\\]|\\.)*")`

var (
	dotNode = regexp.MustCompile(`^    ` + dotQuoted + `;$`)
	dotEdge = regexp.MustCompile(`^    ` + dotQuoted + ` -> ` + dotQuoted + ` \[label=` + dotQuoted + `\];$`)
)

// checkDOT parses a Graphviz digraph line by line and checks it against the
// plan: braces balanced outside quoted strings, every ID quoted, every node
// declared once before the edges, and one edge a step, in order, from its
// actor to the person it names (a loop for steps that name nobody else),
// labelled with its number and rule.
func checkDOT(src string, plan []stepJSON) error {
	depth := 0
	inQuote, esc := false, false
	for _, r := range src {
		switch {
		case esc:
			esc = false
		case inQuote && r == '\\':
			esc = true
		case r == '"':
			inQuote = !inQuote
		case !inQuote && r == '{':
			depth++
		case !inQuote && r == '}':
			depth--
			if depth < 0 {
				return fmt.Errorf("unbalanced }")
			}
		}
	}
	if depth != 0 || inQuote {
		return fmt.Errorf("unbalanced braces (%d) or quotes (%v)", depth, inQuote)
	}
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if !strings.HasSuffix(src, "\n") || len(lines) < 4 || lines[0] != "digraph plan {" || lines[len(lines)-1] != "}" ||
		lines[1] != "    rankdir=LR;" || lines[2] != "    node [shape=box];" {
		return fmt.Errorf("not a digraph plan with its attributes, ending in a newline")
	}
	unquote := func(s string) string { u, _ := strconv.Unquote(s); return u }
	nodes := map[string]bool{}
	edges := 0
	for i, line := range lines[3 : len(lines)-1] {
		if m := dotNode.FindStringSubmatch(line); m != nil {
			if edges > 0 || nodes[unquote(m[1])] {
				return fmt.Errorf("line %d: node %s after an edge or twice", i+4, m[1])
			}
			nodes[unquote(m[1])] = true
			continue
		}
		m := dotEdge.FindStringSubmatch(line)
		if m == nil {
			return fmt.Errorf("line %d: cannot parse %q", i+4, line)
		}
		from, to, label := unquote(m[1]), unquote(m[2]), unquote(m[3])
		if !nodes[from] || !nodes[to] {
			return fmt.Errorf("line %d: edge between undeclared nodes", i+4)
		}
		if edges >= len(plan) {
			return fmt.Errorf("line %d: more edges than the plan's %d steps", i+4, len(plan))
		}
		s := plan[edges]
		edges++
		want := s.Who
		if want == "" {
			want = s.By
		}
		if from != s.By || to != want {
			return fmt.Errorf("line %d: step %d goes %q -> %q, want %q -> %q", i+4, edges, from, to, s.By, want)
		}
		if p := strconv.Itoa(edges) + ". "; !strings.HasPrefix(label, p) || !strings.HasSuffix(label, " ("+s.Rule+")") {
			return fmt.Errorf("line %d: label %q does not start %q and end with the rule %s", i+4, label, p, s.Rule)
		}
	}
	if edges != len(plan) {
		return fmt.Errorf("%d edges for %d steps", edges, len(plan))
	}
	return nil
}

// Every plan's Mermaid and DOT forms are well formed and say what its json
// form says.
func TestPlanDiagramsWellFormed(t *testing.T) {
	for _, pp := range plannedPairs(t, allWorlds...) {
		for _, format := range []string{"mermaid", "dot"} {
			code, out, errs := runArgs("plan", "-world", pp.file, "-format", format, pp.me, pp.target)
			if code != exitOK || errs != "" {
				t.Errorf("plan -format %s %s %s: exit %d, stderr %q", format, pp.me, pp.target, code, errs)
				continue
			}
			check := checkMermaid
			if format == "dot" {
				check = checkDOT
			}
			if err := check(out, pp.res.Plan); err != nil {
				t.Errorf("plan -format %s %q %q in %s: %v\n%s", format, pp.me, pp.target, pp.file, err, out)
			}
		}
	}
}

// The checks above catch what they are meant to.
func TestPlanDiagramChecks(t *testing.T) {
	plan := []stepJSON{{N: 1, Op: "create-group", By: "a", Who: "b", Rule: "R10"}, {N: 2, Op: "leave", By: "a", Rule: "R18"}}
	mermaid := "sequenceDiagram\n    participant p1 as a\n    participant p2 as b\n" +
		"    p1->>p2: 1. creates a group with b (R10)\n    Note over p1: 2. leaves the group (R18)\n"
	dot := "digraph plan {\n    rankdir=LR;\n    node [shape=box];\n    \"a\";\n    \"b\";\n" +
		"    \"a\" -> \"b\" [label=\"1. creates a group with b (R10)\"];\n    \"a\" -> \"a\" [label=\"2. leaves the group (R18)\"];\n}\n"
	if err := checkMermaid(mermaid, plan); err != nil {
		t.Errorf("good Mermaid: %v", err)
	}
	if err := checkDOT(dot, plan); err != nil {
		t.Errorf("good DOT: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(mermaid, "    participant p2 as b\n", "", 1),                                       // undeclared
		strings.Replace(mermaid, "    Note over p1: 2. leaves the group (R18)\n", "", 1),                   // a step missing
		strings.Replace(mermaid, "p1->>p2", "p2->>p1", 1),                                                  // wrong way round
		strings.Replace(mermaid, "(R10)", "(R12)", 1),                                                      // wrong rule
		strings.Replace(mermaid, "with b", "with b: c", 1),                                                 // raw colon
		mermaid + "    participant p3 as c\n",                                                              // participant after use
		strings.Replace(mermaid, "sequenceDiagram", "graph", 1),                                            // not a sequence diagram
		strings.Replace(mermaid, "    participant p2 as b\n", "    participant p2 as b\n    p2 as b\n", 1), // junk
	} {
		if checkMermaid(bad, plan) == nil {
			t.Errorf("checkMermaid accepts\n%s", bad)
		}
	}
	for _, bad := range []string{
		strings.TrimSuffix(dot, "}\n") + "\n",                                                   // unbalanced
		strings.Replace(dot, `"b";`, `b;`, 1),                                                   // unquoted ID
		strings.Replace(dot, `    "a" -> "a" [label="2. leaves the group (R18)"];`+"\n", "", 1), // a step missing
		strings.Replace(dot, `"a" -> "a"`, `"a" -> "b"`, 1),                                     // not a loop
		strings.Replace(dot, `"1. creates`, `"one creates`, 1),                                  // unnumbered
		strings.Replace(dot, `    "b";`+"\n", "", 1),                                            // undeclared
		strings.Replace(dot, `label="1.`, `label="{1.`, 1) + "}",                                // brace inside a label is fine, extra one is not
	} {
		if checkDOT(bad, plan) == nil {
			t.Errorf("checkDOT accepts\n%s", bad)
		}
	}
}

// Graphviz renders every DOT plan: one edge a step in the SVG. The test
// needs dot on PATH (Debian's graphviz package; .ci/run installs it).
func TestPlanDOTRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz's dot is not on PATH, so the DOT plans are not rendered; install it (apt-get install graphviz) to run this test")
	}
	for _, c := range []struct{ file, me, target string }{
		{seed, "me", "b"},
		{three, "me", "u4"},
		{three, "u6", "b"},
		{noLeave, "me", "b"},
		{oddIDs, `me "x"`, "b;<c>#"},
		{oddIDs, `me "x"`, "山田"},
	} {
		code, src, errs := runArgs("plan", "-world", c.file, "-format", "dot", c.me, c.target)
		if code != exitOK {
			t.Fatalf("plan %s %s: exit %d: %s", c.me, c.target, code, errs)
		}
		cmd := exec.CommandContext(t.Context(), dot, "-Tsvg")
		cmd.Stdin = strings.NewReader(src)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("dot -Tsvg on the plan for %q and %q: %v\n%s\n%s", c.me, c.target, err, stderr.String(), src)
			continue
		}
		steps := strings.Count(src, " -> ")
		if got := strings.Count(out.String(), `class="edge"`); !strings.Contains(out.String(), "<svg") || got != steps {
			t.Errorf("dot -Tsvg on the plan for %q and %q: %d edges for %d steps", c.me, c.target, got, steps)
		}
	}
}

// sortedIDs returns the IDs sorted.
func sortedIDs(ids ...string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}
