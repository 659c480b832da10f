package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// extlink version and --version print the build's module version and VCS
// revision.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, errs := runArgs(args...)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "extlink ") || !strings.Contains(out, "revision: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/extlink/extlink/cmd/extlink", Version: "v1.2.3"},
		Deps:      []*debug.Module{{Path: "github.com/extlink/extlink", Version: "v1.2.0"}},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "64ecff4"}, {Key: "vcs.time", Value: "2026-12-01T00:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		},
	}
	want := `extlink v1.2.3
  module:   github.com/extlink/extlink/cmd/extlink v1.2.3
  library:  github.com/extlink/extlink v1.2.0
  revision: 64ecff4 (2026-12-01T00:00:00Z, modified)
  go:       go1.26.0
`
	if diff := cmp.Diff(want, versionText(bi, true)); diff != "" {
		t.Errorf("versionText (-want +got):\n%s", diff)
	}
	if got := versionText(nil, false); got != "extlink (unknown version)\n" {
		t.Errorf("versionText without build info = %q", got)
	}
}

// -world - reads the world from standard input.
func TestWorldStdin(t *testing.T) {
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runStdin(string(b), "check", "-world", "-", "talk", "a", "b")
	if code != 0 || !strings.HasPrefix(out, "allowed: a may talk with b") {
		t.Errorf("check -world -: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runStdin(string(b), "validate", "-world", "-")
	if code != 0 || out != "<stdin>: valid world: 2 tenants, 3 users, 1 link, 1 contact, 0 groups\n" {
		t.Errorf("validate -world -: exit %d, %q", code, out)
	}
	code, _, errs = runStdin(`{"tenants": [}`, "plan", "-world", "-", "me", "b")
	if code != 2 || !strings.HasPrefix(errs, "extlink plan: <stdin>:1:14: invalid JSON") {
		t.Errorf("plan -world - on bad JSON: exit %d, stderr %q", code, errs)
	}
}

// failWriter fails every write, as a full disk does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// A failed write to stdout (> /dev/full) exits 2 with a message, whatever
// the command.
func TestWriteError(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"check", "-h"}, {"demo"}, {"version"},
		{"check", "-world", seed, "talk", "me", "b"},
		{"check", "-world", seed, "-json", "talk", "a", "b"},
		{"plan", "-world", seed, "me", "b"},
		{"audit", "-world", seed, "t1"},
		{"whatif", "-world", seed, "-change", "unlink a b"},
		{"validate", "-world", seed},
		{"validate", "-world", bad, "-json"},
		{"test", "-world", three, "../../examples/assertions/three-companies.json"},
		{"help", "world"}, {"completion", "bash"}, {"init"},
	} {
		var errb strings.Builder
		code := run(args, strings.NewReader(""), failWriter{}, &errb)
		errs := errb.String()
		if code != exitUsage || !strings.Contains(errs, syscall.ENOSPC.Error()) {
			t.Errorf("%v > /dev/full: exit %d, stderr %q", args, code, errs)
		}
		if slices.Contains(args, "-json") {
			var e errorJSON
			if err := json.Unmarshal([]byte(errs), &e); err != nil || e.Error == "" {
				t.Errorf("%v > /dev/full: stderr is not a JSON error: %v\n%s", args, err, errs)
			}
		}
	}
}

// -users takes "me, b" as "me,b".
func TestUsersTrimSpaces(t *testing.T) {
	code1, out1, errs := runArgs("whatif", "-world", seed, "-change", "unlink a b", "-users", "me, b ,a")
	code2, out2, _ := runArgs("whatif", "-world", seed, "-change", "unlink a b", "-users", "me,b,a")
	if code1 != code2 || out1 != out2 || code1 != 1 {
		t.Errorf("-users with spaces: exit %d (want %d)\n%s%s\nwithout:\n%s", code1, code2, out1, errs, out2)
	}
}

// One mistake, one exit status: naming the same user twice is a usage
// error for check as for plan.
func TestSameUserExitStatus(t *testing.T) {
	for _, args := range [][]string{
		{"check", "-world", seed, "talk", "me", "me"},
		{"check", "-world", seed, "call", "b", "b"},
		{"plan", "-world", seed, "me", "me"},
		{"check", "-world", three, "transfer", "-group", "launch", "a", "a"},
		{"check", "-world", three, "remove", "-group", "launch", "a", "a"},
		{"check", "-world", three, "invite", "-group", "launch", "a", "a"},
		{"check", "-world", three, "create-group", "a", "b", "a"},
	} {
		if code, _, errs := runArgs(args...); code != exitUsage || !strings.Contains(errs, `both "`) && !strings.Contains(errs, "named twice") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// extlink help world documents every key a world file may hold: the keys
// the world package names when it rejects an unknown one.
func TestHelpWorldKeys(t *testing.T) {
	code, help, _ := runArgs("help", "world")
	if code != 0 {
		t.Fatalf("help world: exit %d", code)
	}
	for _, doc := range []string{
		`{"tenants": [], "users": [], "x": 1}`,
		`{"tenants": [{"id": "t1", "x": 1}], "users": []}`,
		`{"tenants": [{"id": "t1", "policy": {"x": 1}}], "users": []}`,
		`{"tenants": [{"id": "t1"}], "users": [{"id": "a", "tenant": "t1", "x": 1}]}`,
		`{"tenants": [{"id": "t1"}], "users": [{"id": "a", "tenant": "t1"}], "contacts": [{"tenant": "t1", "owner": "a", "name": "n", "x": 1}]}`,
		`{"tenants": [{"id": "t1"}], "users": [{"id": "a", "tenant": "t1"}], "groups": [{"home": "t1", "members": ["a"], "masters": ["a"], "x": 1}]}`,
	} {
		_, out, _ := runStdin(doc, "validate", "-world", "-")
		_, want, ok := strings.Cut(out, "unknown field (want ")
		want, _, _ = strings.Cut(want, ")")
		if !ok || want == "" {
			t.Fatalf("%s: no list of keys in %q", doc, out)
		}
		for _, k := range strings.Split(want, ", ") {
			if !regexp.MustCompile(`(?m)^ *` + k + ` `).MatchString(help) {
				t.Errorf("help world does not document the key %q", k)
			}
		}
	}
}

// extlink init writes a valid world, never over a file, and explains it on
// stderr.
func TestInit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "world.json")
	code, out, errs := runArgs("init", file)
	if code != 0 || out != "wrote "+file+"\n" || !strings.Contains(errs, "extlink help world") {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, _ := runArgs("validate", "-world", file); code != 0 {
		t.Errorf("the starter world is invalid:\n%s", out)
	}
	if code, _, _ := runArgs("check", "-world", file, "talk", "me", "b"); code != exitNo {
		t.Errorf("check talk me b in the starter world: exit %d, want 1", code)
	}
	before, _ := os.ReadFile(file)
	os.WriteFile(file, []byte("mine"), 0o644)
	if code, _, errs := runArgs("init", file); code != exitUsage || !strings.Contains(errs, "exists") {
		t.Errorf("init over a file: exit %d, stderr %q", code, errs)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Errorf("init overwrote %s", file)
	}
	code, out, _ = runArgs("init")
	if code != 0 || out != string(before) {
		t.Errorf("init to stdout: exit %d, and not what it writes to a file", code)
	}
}

// The completion scripts name every command, and each command's flags
// there are the flags it takes and its help documents.
func TestCompletion(t *testing.T) {
	flags := commandFlags()
	for _, c := range commands() {
		fs, ok := flags[c.name]
		if !ok {
			t.Errorf("no completion flags for %s", c.name)
		}
		for _, f := range fs {
			// A flag the command does not define is a usage error that
			// names it; -h after it then never runs.
			_, _, errs := runArgs(c.name, f+"=x", "-h")
			if strings.Contains(errs, "flag provided but not defined") {
				t.Errorf("completion offers %s %s, which it does not take", c.name, f)
			}
		}
		_, flagsHelp, found := strings.Cut(c.help, "\nFlags:\n")
		flagsHelp, _, _ = strings.Cut(flagsHelp, "\n\n")
		for _, m := range regexp.MustCompile(`(?m)^  (-[a-z-]+)`).FindAllStringSubmatch(flagsHelp, -1) {
			if found && !slices.Contains(fs, m[1]) {
				t.Errorf("%s's help documents %s, which completion does not offer", c.name, m[1])
			}
		}
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, _ := runArgs("completion", sh)
		if code != 0 {
			t.Errorf("completion %s: exit %d", sh, code)
		}
		for _, c := range commands() {
			if !strings.Contains(out, c.name) {
				t.Errorf("completion %s does not name %s", sh, c.name)
			}
		}
		for _, q := range questionSpecs {
			if !regexp.MustCompile(`[ '"]` + q.name + `[ '"]`).MatchString(out) {
				t.Errorf("completion %s does not offer check %s", sh, q.name)
			}
		}
	}
}
