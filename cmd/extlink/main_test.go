package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

const (
	seed  = "../../examples/seed.json"
	three = "../../examples/three-companies.json"
	bad   = "testdata/worlds/four-problems.json"
)

// goldens are the command lines whose whole output, exit status included,
// is kept under testdata/golden. Refresh them with go test -update.
var goldens = []struct {
	name string
	args []string
	code int
}{
	{"help", []string{"help"}, 0},
	{"no-args", nil, 2},
	{"unknown-command", []string{"nope"}, 2},
	{"help-unknown", []string{"help", "nope"}, 2},
	{"demo", []string{"demo"}, 0},
	{"demo-h", []string{"demo", "-h"}, 0},
	{"demo-args", []string{"demo", "x"}, 2},

	{"check-h", []string{"check", "-h"}, 0},
	{"check-talk-denied", []string{"check", "-world", seed, "talk", "me", "b"}, 1},
	{"check-talk-denied-json", []string{"check", "-world", seed, "-json", "talk", "me", "b"}, 1},
	{"check-talk-allowed", []string{"check", "-world", seed, "talk", "a", "b"}, 0},
	{"check-talk-allowed-json", []string{"check", "-world", seed, "-format", "json", "talk", "a", "b"}, 0},
	{"check-talk-colleague", []string{"check", "-world", seed, "talk", "me", "a"}, 0},
	{"check-talk-not-connected", []string{"check", "-world", three, "talk", "u2", "b"}, 1},
	{"check-talk-line", []string{"check", "-world", three, "talk", "a", "u8"}, 1},
	{"check-call-denied", []string{"check", "-world", seed, "call", "me", "b"}, 1},
	{"check-call-calls-off", []string{"check", "-world", three, "call", "a", "b"}, 1},
	{"check-call-calls-off-json", []string{"check", "-world", three, "-json", "call", "a", "b"}, 1},
	{"check-call-line", []string{"check", "-world", three, "call", "me", "u8"}, 1},
	{"check-call-allowed", []string{"check", "-world", three, "call", "a", "u5"}, 0},
	{"check-invite-allowed", []string{"check", "-world", three, "invite", "-group", "launch", "a", "u3"}, 0},
	{"check-invite-allowed-json", []string{"check", "-world", three, "-json", "invite", "-group", "launch", "a", "u3"}, 0},
	{"check-invite-not-master", []string{"check", "-world", three, "invite", "-group", "launch", "me", "u3"}, 1},
	{"check-invite-not-linked", []string{"check", "-world", three, "invite", "-group", "launch", "a", "u6"}, 1},
	{"check-invite-internal", []string{"check", "-world", three, "-group", "team", "invite", "u1", "b"}, 1},
	{"check-invite-internal-json", []string{"check", "-world", three, "-json", "-group", "team", "invite", "u1", "b"}, 1},
	{"check-invite-by-index", []string{"check", "-world", "testdata/worlds/dissolved.json", "invite", "-group", "0", "a", "me"}, 1},
	{"check-email-allowed", []string{"check", "-world", seed, "email", "me", "b"}, 0},
	{"check-email-by-name", []string{"check", "-world", three, "email", "u2", "U9"}, 0},
	{"check-email-by-name-json", []string{"check", "-world", three, "-json", "email", "u2", "U9"}, 0},
	{"check-email-no-address", []string{"check", "-world", three, "email", "me", "u8"}, 1},
	{"check-email-other-book", []string{"check", "-world", three, "email", "b", "U9"}, 1},
	{"check-flags-last", []string{"check", "talk", "me", "b", "-world", seed, "-json"}, 1},

	{"check-no-world", []string{"check", "talk", "me", "b"}, 2},
	{"check-no-question", []string{"check", "-world", seed}, 2},
	{"check-unknown-question", []string{"check", "-world", seed, "hug", "me", "b"}, 2},
	{"check-too-few", []string{"check", "-world", seed, "talk", "me"}, 2},
	{"check-unknown-flag", []string{"check", "-world", seed, "-x", "talk", "me", "b"}, 2},
	{"check-unknown-format", []string{"check", "-world", seed, "-format", "xml", "talk", "me", "b"}, 2},
	{"check-format-conflict", []string{"check", "-world", seed, "-format", "text", "-json", "talk", "me", "b"}, 2},
	{"check-invite-no-group", []string{"check", "-world", three, "invite", "a", "u3"}, 2},
	{"check-group-not-invite", []string{"check", "-world", three, "-group", "launch", "talk", "a", "b"}, 2},
	{"check-unknown-group", []string{"check", "-world", three, "invite", "-group", "nope", "a", "u3"}, 2},
	{"check-unknown-user", []string{"check", "-world", seed, "talk", "me", "zz"}, 2},
	{"check-unknown-contact", []string{"check", "-world", seed, "email", "me", "zz"}, 2},
	{"check-missing-file", []string{"check", "-world", "testdata/worlds/none.json", "talk", "me", "b"}, 2},
	{"check-invalid-world", []string{"check", "-world", bad, "talk", "a", "me"}, 2},
	{"check-dash-dash", []string{"check", "-world", seed, "--", "talk", "me", "-b"}, 2},

	{"validate-h", []string{"validate", "-h"}, 0},
	{"validate-seed", []string{"validate", "-world", seed}, 0},
	{"validate-seed-json", []string{"validate", "-world", seed, "-json"}, 0},
	{"validate-three", []string{"validate", "-world", three}, 0},
	{"validate-four-problems", []string{"validate", "-world", bad}, 1},
	{"validate-four-problems-json", []string{"validate", "-world", bad, "-format", "json"}, 1},
	{"validate-broken", []string{"validate", "-world", "testdata/worlds/broken.json"}, 1},
	{"validate-missing-file", []string{"validate", "-world", "testdata/worlds/none.json"}, 2},
	{"validate-args", []string{"validate", "-world", seed, "extra"}, 2},
}

func TestGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range goldens {
		if seen[g.name] {
			t.Fatalf("two goldens named %s", g.name)
		}
		seen[g.name] = true
		t.Run(g.name, func(t *testing.T) {
			code, out, errs := runArgs(g.args...)
			if code != g.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, g.code, errs)
			}
			got := "$ extlink " + strings.Join(g.args, " ") + "\n" +
				"exit " + strconv.Itoa(code) + "\n" +
				"-- stdout --\n" + out +
				"-- stderr --\n" + errs
			path := filepath.Join("testdata", "golden", g.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
	if *update {
		return
	}
	// No stale golden files.
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.txt"))
	for _, f := range files {
		if !seen[strings.TrimSuffix(filepath.Base(f), ".txt")] {
			t.Errorf("%s belongs to no test case", f)
		}
	}
}

// The json forms keep the keys their help documents, always all of them.
func TestJSONKeys(t *testing.T) {
	checkKeys := []string{"action", "by", "who", "group", "contact", "allowed", "rule", "summary",
		"reason", "cause", "party", "tenant", "remedy", "text", "linkedColleagues"}
	validateKeys := []string{"file", "valid", "tenants", "users", "links", "contacts", "groups", "problems"}
	problemKeys := []string{"line", "col", "record", "index", "id", "field", "rule", "message", "text"}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	for _, args := range [][]string{
		{"check", "-world", seed, "-json", "talk", "a", "b"},
		{"check", "-world", seed, "-json", "call", "me", "b"},
		{"check", "-world", three, "-json", "email", "me", "u8"},
		{"check", "-world", three, "-json", "invite", "-group", "team", "u1", "b"},
		{"validate", "-world", seed, "-json"},
		{"validate", "-world", bad, "-json"},
	} {
		_, out, _ := runArgs(args...)
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
			continue
		}
		want := checkKeys
		if args[0] == "validate" {
			want = validateKeys
			probs, _ := m["problems"].([]any)
			for _, p := range probs {
				if diff := cmp.Diff(sorted(problemKeys), keys(p.(map[string]any))); diff != "" {
					t.Errorf("%v: problem keys (-want +got):\n%s", args, diff)
				}
			}
		}
		if diff := cmp.Diff(sorted(want), keys(m)); diff != "" {
			t.Errorf("%v: keys (-want +got):\n%s", args, diff)
		}
	}
}

// Every command has a usage with an example, from -h and from help.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{c.name, "-h"}, {"help", c.name}} {
			code, out, errs := runArgs(args...)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "usage: extlink "+c.name) ||
				!strings.Contains(out, "Example") || !strings.Contains(out, "extlink "+c.name) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
			}
		}
		if _, out, _ := runArgs("help"); !strings.Contains(out, "  "+c.name+" ") {
			t.Errorf("help does not list %s", c.name)
		}
	}
}

// examples/seed.json is the demo's built-in world, and its contact the
// demo's.
func TestSeedIsDemoWorld(t *testing.T) {
	d, err := postWorld()
	if err != nil {
		t.Fatal(err)
	}
	w, err := world.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(slices.Collect(d.Users()), slices.Collect(w.Directory.Users())); diff != "" {
		t.Errorf("users (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff(slices.Collect(d.AllLinks()), slices.Collect(w.Directory.AllLinks())); diff != "" {
		t.Errorf("links (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff(slices.Collect(d.Tenants()), slices.Collect(w.Directory.Tenants())); diff != "" {
		t.Errorf("tenants (-demo +seed.json):\n%s", diff)
	}
	if diff := cmp.Diff([]extlink.Contact{demoContact}, w.Contacts); diff != "" {
		t.Errorf("contacts (-demo +seed.json):\n%s", diff)
	}
}

// Every world under examples/ and testdata/worlds is read the same way by
// validate and by the world package, and the examples are valid.
func TestValidateAgreesWithDecode(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.json")
	more, _ := filepath.Glob("testdata/worlds/*.json")
	for _, f := range append(files, more...) {
		_, err := world.ReadFile(f)
		code, out, _ := runArgs("validate", "-world", f)
		switch {
		case err == nil && code != 0, err != nil && code != 1:
			t.Errorf("%s: validate exit %d, Decode error %v", f, code, err)
		case err != nil && strings.TrimSpace(out) != err.Error():
			t.Errorf("%s: validate says\n%s\nDecode says\n%s", f, out, err)
		case strings.HasPrefix(f, "../../examples/") && err != nil:
			t.Errorf("%s: %v", f, err)
		}
	}
}
