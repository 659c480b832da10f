package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostileWorld is the post's cast with IDs that hold a comma, a double
// quote, a space, a line separator (U+2028) and a right-to-left override
// (U+202E), all of which R26 allows, and names, an e-mail address and a
// group name that hold what no ID may: line breaks, a carriage return and
// a terminal escape. Each of them tries to start a line of its own.
const hostileWorld = `{
  "tenants": [
    {"id": "t1", "name": "our\ncompany", "policy": {"works": "all", "membersCreateGroups": true}},
    {"id": "t2", "name": "partner\u001b[2J", "policy": {"works": "all", "membersCreateGroups": true}}
  ],
  "users": [
    {"id": "a,\"x", "name": "A\nINJECTED by a name", "tenant": "t1"},
    {"id": "me one", "name": "me\r\u202eINJECTED", "tenant": "t1"},
    {"id": "b\u2028INJECTED by an ID", "name": "B\u001b[31m", "tenant": "t2"},
    {"id": "c\u202e\"", "name": "C\u2029INJECTED", "tenant": "t2"}
  ],
  "links": [["a,\"x", "b\u2028INJECTED by an ID"], ["a,\"x", "c\u202e\""]],
  "contacts": [
    {"tenant": "t1", "owner": "a,\"x", "user": "b\u2028INJECTED by an ID", "name": "B\nINJECTED", "email": "b@x\nINJECTED"}
  ],
  "groups": [
    {"name": "g\nINJECTED by a group", "members": ["a,\"x", "c\u202e\""], "masters": ["a,\"x"], "external": true, "home": "t1"}
  ]
}
`

// The hostile IDs, as Go strings.
const (
	hostA  = "a,\"x"
	hostMe = "me one"
	hostB  = "b\u2028INJECTED by an ID"
	hostC  = "c\u202e\""
)

// mustSplitWords is splitWords, failing the test on an error.
func mustSplitWords(t *testing.T, s string) []string {
	t.Helper()
	ws, err := splitWords(s)
	if err != nil {
		t.Fatalf("splitWords(%q): %v", s, err)
	}
	return ws
}

// No ID, name, e-mail address or group name can break a CSV record or a
// line of text output, or reach the terminal as a control sequence (R26,
// issue 14).
func TestHostileNamesAndIDs(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hostile.json")
	if err := os.WriteFile(file, []byte(hostileWorld), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runArgs("validate", "-world", file); code != exitOK {
		t.Fatalf("validate: exit %d\n%s%s", code, out, errs)
	}

	// The csv form reads back as the records written: five fields each,
	// the IDs exact, via's words splitting into IDs.
	code, out, errs := runArgs("audit", "-world", file, "-format", "csv", "-max-steps", "0", "t1")
	if code != exitOK {
		t.Fatalf("audit csv: exit %d\n%s%s", code, out, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("audit csv does not parse: %v\n%s", err, out)
	}
	var _, jout, _ = runArgs("audit", "-world", file, "-json", "-max-steps", "0", "t1")
	var j auditResult
	if err := json.Unmarshal([]byte(jout), &j); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"member", "outsider", "steps", "via", "group"}}
	for _, e := range j.Exposures {
		want = append(want, []string{e.Member, e.Outsider, strconv.Itoa(e.Steps), "", e.GroupName})
	}
	if len(recs) != len(want) || len(recs) < 3 {
		t.Fatalf("audit csv: %d records, json %d exposures (want at least 2):\n%s", len(recs)-1, len(j.Exposures), out)
	}
	sawQuotedVia := false
	for i, r := range recs[1:] {
		if diff := cmp.Diff(j.Exposures[i].Via, mustSplitWords(t, r[3])); diff != "" {
			t.Errorf("record %d: via %q splits wrong (-json +csv):\n%s", i+1, r[3], diff)
		}
		sawQuotedVia = sawQuotedVia || strings.HasPrefix(r[3], `"`)
		r[3] = ""
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("audit csv records (-json +csv):\n%s", diff)
	}
	if !sawQuotedVia {
		t.Errorf("no via with a hostile ID: the world does not test what it should:\n%s", out)
	}
	for _, id := range []string{hostMe, hostB, hostC} {
		if !strings.Contains(jout, strings.Trim(strconv.Quote(id), `"`)) && !slices.ContainsFunc(j.Exposures, func(e exposureJSON) bool {
			return e.Member == id || e.Outsider == id || slices.Contains(e.Via, id)
		}) {
			t.Errorf("no exposure names %q", id)
		}
	}

	// Text output: every hostile character escaped, so that no line starts
	// with what a name or an ID smuggled in.
	for _, args := range [][]string{
		{"audit", "-world", file, "-max-steps", "0", "t1"},
		{"audit", "-world", file, "t2"},
		{"check", "-world", file, "talk", hostMe, hostB},
		{"check", "-world", file, "call", hostA, hostB},
		{"check", "-world", file, "email", hostMe, hostB},
		{"check", "-world", file, "email", hostMe, "B\nINJECTED"},
		{"check", "-world", file, "invite", "-group", "g\nINJECTED by a group", hostA, hostB},
		{"check", "-world", file, "remove", "-group", "0", hostMe, hostC},
		{"check", "-world", file, "create-group", hostA, hostB, hostC},
		{"check", "-world", file, "invite", "-room", hostC + "," + hostB, hostB, hostMe},
		{"check", "-world", file, "convert", "-room", hostC + "," + hostB + "," + hostMe, hostMe},
		{"check", "-world", file, "convert", "-room", strconv.Quote(hostA) + "," + strconv.Quote(hostB) + ", " + strconv.Quote(hostMe), hostA},
		{"whatif", "-world", file, "-change", "t2.works=off", "-users", strconv.Quote(hostA) + "," + strconv.Quote(hostB) + "," + strconv.Quote(hostC)},
		{"check", "-world", file, "talk", hostMe, "B\u001b[31m"}, // by name: did you mean
		{"plan", "-world", file, hostMe, hostB},
		{"plan", "-world", file, hostMe, hostC},
		{"plan", "-world", file, "-no-groups", hostA, hostC},
		{"whatif", "-world", file, "-change", strconv.Quote(hostMe) + ".connected=no", "-tenant", "t1"},
		{"whatif", "-world", file, "-change", "t2.works=off", "-tenant", "t1"},
		{"whatif", "-world", file, "-change", "unlink " + words([]string{hostA, hostB}), "-tenant", "t1"},
		{"whatif", "-world", file, "-change", "t1.create=admins", "-tenant", "t1", "-max-steps", "0"},
	} {
		code, out, errs := runArgs(args...)
		if code == exitUsage && !strings.Contains(errs, "did you mean") && !strings.Contains(errs, "no such room") {
			t.Errorf("%q: exit 2: %s", args, errs)
		}
		for _, s := range []string{out, errs} {
			if i := strings.IndexAny(s, "\r\x1b\u2028\u2029\u202e"); i >= 0 {
				t.Errorf("%q: a raw %q in the output:\n%s", args, []rune(s[i:])[0], s)
			}
			for line := range strings.Lines(s) {
				if strings.HasPrefix(strings.TrimSpace(line), "INJECTED") {
					t.Errorf("%q: a line starts with what a name or ID holds:\n%s", args, s)
				}
			}
		}
	}
}

func TestWords(t *testing.T) {
	ids := []string{"a", "", "a b", `"`, `x"y`, "\u3000", "田中", `a\b`, "x\u2028y", "\u202e", "a,b"}
	if diff := cmp.Diff(ids, mustSplitWords(t, words(ids))); diff != "" {
		t.Errorf("words %q does not split back (-want +got):\n%s", words(ids), diff)
	}
	for in, want := range map[string]string{
		"田中 太郎": "田中 太郎", "田中\u3000太郎": "田中\u3000太郎", "a\nb": `"a\nb"`, "x\u2028y": `"x\u2028y"`,
		"\u202eevil": `"\u202eevil"`, "bad\xff": `"bad\xff"`, "tab\tx": `"tab\tx"`,
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSplitList(t *testing.T) {
	ids := []string{"a", "a,b", ` x`, `q"`, "x\u2028y", "田中", "me one"}
	if got, err := splitList(safeList(ids)); err != nil || !slices.Equal(got, ids) {
		t.Errorf("splitList(safeList(%q)) = %q, %v", ids, got, err)
	}
	for in, want := range map[string][]string{
		"":                   nil,
		"  ":                 nil,
		"a,b":                {"a", "b"},
		" a , b ,":           {"a", "b", ""},
		`"a,b", c`:           {"a,b", "c"},
		`"x\u2028y","q\"",z`: {"x\u2028y", `q"`, "z"},
	} {
		got, err := splitList(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("splitList(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`"a`, `"a"b`, `a,"b`} {
		if got, err := splitList(in); err == nil {
			t.Errorf("splitList(%q) = %q, want an error", in, got)
		}
	}
}
