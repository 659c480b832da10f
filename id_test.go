package extlink_test

import (
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/extlink/extlink"
)

// R26: an ID is non-empty valid UTF-8 without control characters, at most
// 1,024 bytes; CheckID, NewDirectory and RestoreGroup refuse anything else
// with ErrInvalid, so no ID can inject a line into a decision's text.
func TestIDRules(t *testing.T) {
	good := []string{"a", "a b", `a"b`, `a\b`, "日本", "é", strings.Repeat("x", 1024)}
	bad := []string{"", "a\nb", "a\rb", "a\x00", "a\u0085b", "a\xff", strings.Repeat("x", 1025)}
	for _, id := range good {
		if err := extlink.CheckID(id); err != nil {
			t.Errorf("CheckID(%q) = %v, want nil", id, err)
		}
	}
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	for _, id := range bad {
		if err := extlink.CheckID(id); !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("CheckID(%q) = %v, want ErrInvalid", id, err)
		}
		_, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1", Policy: open}},
			[]extlink.User{{ID: extlink.UserID(id), Tenant: "t1"}}, nil)
		if !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("NewDirectory with user %q: got %v, want ErrInvalid", id, err)
		}
		_, err = extlink.NewDirectory([]extlink.Tenant{{ID: extlink.TenantID(id), Policy: open}}, nil, nil)
		if !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("NewDirectory with tenant %q: got %v, want ErrInvalid", id, err)
		}
		for _, s := range []extlink.GroupState{
			{Home: "t1", Members: []extlink.UserID{"a", extlink.UserID(id)}, Masters: []extlink.UserID{"a"}},
			{Home: extlink.TenantID(id), Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a"}},
			{Home: extlink.TenantID(id), Dissolved: true},
		} {
			if s.Home == "" && len(s.Members) == 0 {
				continue // the zero Group's state, minus Dissolved, is tested apart
			}
			if _, err := extlink.RestoreGroup(s); !errors.Is(err, extlink.ErrInvalid) || errors.Is(err, extlink.ErrDenied) {
				t.Errorf("RestoreGroup(%#v): got %v, want ErrInvalid", s, err)
			}
		}
	}
}

// awkwardPlan names IDs that are valid but need quoting in a diagram.
func awkwardPlan() (extlink.Plan, []string) {
	ids := []string{"a b", `a"b`, "ab", `a\b`, "é", "e\u0301", "a;b", "a#59;b"}
	var p extlink.Plan
	for _, id := range ids[1:] {
		p = append(p, extlink.Step{Op: extlink.OpRemove, By: extlink.UserID(ids[0]), Who: extlink.UserID(id)})
	}
	return p, ids
}

// Plan.DOT writes one node a distinct ID, quoted so that Graphviz reads the
// ID back (a quote is the only escape DOT undoes in a name), and dot
// itself, where installed, parses the output into that many nodes.
func TestDOTQuotesIDs(t *testing.T) {
	p, ids := awkwardPlan()
	out := p.DOT()
	node := regexp.MustCompile(`(?m)^    ("(?:[^"\\]|\\.)*");$`)
	var names []string
	for _, m := range node.FindAllStringSubmatch(out, -1) {
		names = append(names, strings.ReplaceAll(m[1][1:len(m[1])-1], `\"`, `"`))
	}
	want := make([]string, len(ids))
	for i, id := range ids {
		want[i] = strings.ReplaceAll(id, `\`, `\\`) // DOT keeps the escaping backslash in a name
	}
	if strings.Join(names, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("DOT nodes %q, want %q:\n%s", names, want, out)
	}
	// A plan built by hand may hold control characters; they stay distinct.
	q := extlink.Plan{{Op: extlink.OpRemove, By: "a\nb", Who: "a b"}, {Op: extlink.OpRemove, By: "a\nb", Who: `a\u000Ab`}}
	if got := len(node.FindAllString(q.DOT(), -1)); got != 3 {
		t.Errorf("control characters: %d nodes, want 3:\n%s", got, q.DOT())
	}
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skip("no graphviz dot")
	}
	cmd := exec.Command("dot", "-Tplain")
	cmd.Stdin = strings.NewReader(out)
	plain, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot: %v\n%s", err, out)
	}
	n := 0
	for _, l := range strings.Split(string(plain), "\n") {
		if strings.HasPrefix(l, "node ") {
			n++
		}
	}
	if n != len(ids) {
		t.Errorf("dot read %d nodes, want %d:\n%s", n, len(ids), plain)
	}
}

// Plan.Mermaid gives each distinct ID a participant of its own and writes
// no special character raw.
func TestMermaidQuotesIDs(t *testing.T) {
	p, ids := awkwardPlan()
	out := p.Mermaid()
	part := regexp.MustCompile(`(?m)^    participant p\d+ as (.*)$`)
	ms := part.FindAllStringSubmatch(out, -1)
	if len(ms) != len(ids) {
		t.Fatalf("%d participants, want %d:\n%s", len(ms), len(ids), out)
	}
	entity := regexp.MustCompile(`#\d+;`)
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m[1]] || strings.ContainsAny(entity.ReplaceAllString(m[1], ""), `#";:<>`) {
			t.Errorf("participant text %q repeated or unescaped", m[1])
		}
		seen[m[1]] = true
	}
}
