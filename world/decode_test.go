package world_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

// problems decodes in and returns its problems, one a line.
func problems(t *testing.T, in string) []string {
	t.Helper()
	w, err := world.Decode("w.json", strings.NewReader(in))
	if err == nil {
		t.Fatalf("Decode succeeded, want problems")
	}
	if w != nil {
		t.Errorf("Decode returned a world with its error")
	}
	var we *world.Error
	if !errors.As(err, &we) {
		t.Fatalf("error %T %v, want a *world.Error", err, err)
	}
	if errors.Is(err, extlink.ErrDenied) || !errors.Is(err, extlink.ErrInvalid) {
		t.Errorf("a world file's problem wraps ErrDenied or not ErrInvalid")
	}
	var out []string
	for _, p := range we.Problems {
		if p.File != "w.json" || p.Line < 1 || p.Col < 1 {
			t.Errorf("problem %q: file %q, line %d, col %d", p, p.File, p.Line, p.Col)
		}
		out = append(out, p.String())
	}
	return out
}

// The case: an unknown field, a bad enum word, a duplicate user and
// an unknown tenant make one message that lists all four, each naming the
// file, the record's index and ID, and the field.
func TestDecodeReportsEveryProblem(t *testing.T) {
	in := `{
  "tenants": [{"id": "t1", "policy": {"works": "all", "colour": "red"}}],
  "users": [
    {"id": "a", "tenant": "t1"},
    {"id": "me", "tenant": "t1", "kind": "robot"},
    {"id": "a", "tenant": "t1"},
    {"id": "u1", "tenant": "t9"}
  ]
}`
	_, err := world.Decode("w.json", strings.NewReader(in))
	want := `w.json: invalid world: 4 problems:
	w.json:2:65: tenants[0] "t1": policy.colour: unknown field (want works, line, noCalls, membersCreateGroups, membersLeaveGroups)
	w.json:5:42: users[1] "me": kind: unknown Kind "robot" (want works, line)
	w.json:6:12: users[2] "a": id: duplicate ID (also users[0])
	w.json:7:28: users[3] "u1": tenant: unknown tenant "t9"`
	if err == nil {
		t.Fatal("Decode succeeded")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	var we *world.Error
	if !errors.As(err, &we) || len(we.Problems) != 4 {
		t.Fatalf("error %#v, want a *world.Error with 4 problems", err)
	}
	wantProbs := []world.Problem{
		{File: "w.json", Line: 2, Col: 65, Record: "tenants", Index: 0, ID: "t1", Field: "policy.colour",
			Msg: "unknown field (want works, line, noCalls, membersCreateGroups, membersLeaveGroups)"},
		{File: "w.json", Line: 5, Col: 42, Record: "users", Index: 1, ID: "me", Field: "kind",
			Msg: `unknown Kind "robot" (want works, line)`},
		{File: "w.json", Line: 6, Col: 12, Record: "users", Index: 2, ID: "a", Field: "id",
			Msg: "duplicate ID (also users[0])"},
		{File: "w.json", Line: 7, Col: 28, Record: "users", Index: 3, ID: "u1", Field: "tenant",
			Msg: `unknown tenant "t9"`},
	}
	if diff := cmp.Diff(wantProbs, we.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestDecodeProblems(t *testing.T) {
	const users = `"users": [{"id": "a", "tenant": "t1"}, {"id": "me", "tenant": "t1"}, {"id": "b", "tenant": "t2"}, {"id": "l", "kind": "line"}]`
	const tenants = `"tenants": [{"id": "t1"}, {"id": "t2"}]`
	for _, tt := range []struct {
		name string
		in   string
		want []string
	}{
		{"empty", ``, []string{`w.json:1:1: no JSON document`}},
		{"blank", "  \n ", []string{`w.json:2:2: no JSON document`}},
		{"syntax", "{\n  \"tenants\": [,]\n}", []string{`w.json:2:15: invalid JSON: invalid character ',' looking for beginning of value`}},
		{"truncated", `{"tenants": [`, []string{`w.json:1:14: invalid JSON: unexpected EOF`}},
		{"trailing value", `{"tenants": [], "users": []} {}`, []string{`w.json:1:30: data after the world document`}},
		{"trailing garbage", "{\"tenants\": [], \"users\": []}\nx", []string{`w.json:2:1: data after the world document`}},
		{"not an object", `[]`, []string{`w.json:1:1: want a world object, got an array`}},
		{"null", `null`, []string{`w.json:1:1: want a world object, got null`}},
		{"missing sections", `{}`, []string{
			`w.json:1:1: tenants: missing field`,
			`w.json:1:1: users: missing field`,
		}},
		{"top-level types", `{"tenants": {}, "users": null, "links": "x", "extra": 1}`, []string{
			`w.json:1:13: tenants: want an array, got an object`,
			`w.json:1:26: users: want an array, got null`,
			`w.json:1:41: links: want an array, got a string`,
			`w.json:1:55: extra: unknown field (want tenants, users, links, contacts, groups)`,
		}},
		{"tenant fields", `{"tenants": [1, {"id": 2}, {"id": "t1", "policy": {"works": "some", "line": 1, "noCalls": "no"}}, {"name": "x"}, {"id": "t1", "policy": []}], "users": []}`, []string{
			`w.json:1:14: tenants[0]: want an object, got a number`,
			`w.json:1:24: tenants[1]: id: want a string, got a number`,
			`w.json:1:61: tenants[2] "t1": policy.works: unknown Access "some" (want off, all, listed)`,
			`w.json:1:77: tenants[2] "t1": policy.line: want a string, got a number`,
			`w.json:1:91: tenants[2] "t1": policy.noCalls: want a boolean, got a string`,
			`w.json:1:99: tenants[3]: id: missing field`,
			`w.json:1:121: tenants[4] "t1": id: duplicate ID (also tenants[2])`,
			`w.json:1:137: tenants[4] "t1": policy: want an object, got an array`,
		}},
		{"user fields", `{` + tenants + `, "users": [{"id": "a", "name": null, "tenant": "t1", "connected": "yes", "id": "b"}, {"id": "u1", "tenant": "t1", "role": "boss"}, {"id": "u2", "kind": "robot"}, {"id": ""}]}`, []string{
			`w.json:1:73: users[0] "a": name: want a string, got null`,
			`w.json:1:108: users[0] "a": connected: want a boolean, got a string`,
			`w.json:1:121: users[0] "a": id: repeated field`,
			`w.json:1:164: users[1] "u1": role: unknown Role "boss" (want member, admin)`,
			`w.json:1:194: users[2] "u2": kind: unknown Kind "robot" (want works, line)`,
			`w.json:1:204: users[3]: tenant: a LINE WORKS user needs a tenant (R6)`,
			`w.json:1:211: users[3]: id: empty ID (R26)`,
		}},
		{"LINE users", `{` + tenants + `, "users": [{"id": "l", "kind": "line", "tenant": "t1", "role": "admin", "connected": true}, {"id": "a"}]}`, []string{
			`w.json:1:91: users[0] "l": tenant: a LINE user has no tenant, got "t1" (R6)`,
			`w.json:1:105: users[0] "l": role: a LINE user has no tenant to administer (R6)`,
			`w.json:1:127: users[0] "l": connected: a LINE user has no tenant whose connected list to be on (R6)`,
			`w.json:1:134: users[1] "a": tenant: a LINE WORKS user needs a tenant (R6)`,
		}},
		{"links", `{` + tenants + `, ` + users + `, "links": [["a"], ["a", "me"], ["a", "a"], ["l", "l"], ["a", 3], ["a", "zz"], "x", ["b", "l"]]}`, []string{
			`w.json:1:181: links[0]: want a pair of user IDs, got 1`,
			`w.json:1:194: links[1] "a-me": [1]: both users are in tenant "t1"; links are across tenants (R5)`,
			`w.json:1:207: links[2] "a-a": [1]: a user cannot be linked with themselves (R5)`,
			`w.json:1:219: links[3] "l-l": [1]: a user cannot be linked with themselves (R5)`,
			`w.json:1:231: links[4] "a-": [1]: want a user ID (a string), got a number`,
			`w.json:1:241: links[5] "a-zz": [1]: unknown user "zz" (R5)`,
			`w.json:1:248: links[6]: want a pair of user IDs, got a string`,
		}},
		{"contacts", `{` + tenants + `, ` + users + `, "contacts": [
{"tenant": "t9", "owner": "a", "user": "b"},
{"tenant": "t1", "owner": "b", "user": "zz"},
{"tenant": "t1", "owner": "a", "user": "me", "name": "Me"},
{"tenant": "t1", "owner": "a"},
{"tenant": "t1", "owner": "a", "user": "b", "email": "nobody"},
{"tenant": "t1", "owner": "me", "user": "b", "email": "b@partner.example"},
{"owner": "a", "name": "N", "phone": "1"}]}`, []string{
			`w.json:2:12: contacts[0] "b": tenant: unknown tenant "t9"`,
			`w.json:3:27: contacts[1] "zz": owner: "b" is not a member of "t1", whose address book holds the contact`,
			`w.json:3:40: contacts[1] "zz": user: unknown user "zz"`,
			`w.json:4:40: contacts[2] "me": user: "me" is a member of "t1"; an address-book contact is an outsider`,
			`w.json:5:1: contacts[3]: a contact needs a user or a name`,
			`w.json:6:54: contacts[4] "b": email: "nobody" is not an e-mail address`,
			`w.json:7:41: contacts[5] "b": user: "b" is already in "t1"'s address book (contacts[4])`,
			`w.json:8:1: contacts[6] "N": tenant: missing field`,
			`w.json:8:38: contacts[6] "N": phone: unknown field (want tenant, owner, user, name, email)`,
		}},
		{"groups", `{` + tenants + `, ` + users + `, "groups": [
{"name": "g", "members": ["a", "b", "a", "zz", "l", ""], "masters": ["a", "a", "me"], "external": true, "home": "t1"},
{"name": "g", "members": ["a", "b"], "masters": ["a"], "home": "t1"},
{"members": ["a"], "masters": [], "home": "t9"},
{"members": [], "masters": [], "home": "t1"},
{"members": ["a", 1], "masters": "a"},
{"members": ["a"], "masters": ["a"], "home": "t1", "dissolved": true},
{"dissolved": true, "home": "t2", "external": true}]}`, []string{
			`w.json:2:37: groups[0] "g": members[2]: "a" is named twice`,
			`w.json:2:42: groups[0] "g": members[3]: unknown user "zz"`,
			`w.json:2:48: groups[0] "g": members[4]: "l" is a LINE user, and groups exclude LINE users (R6)`,
			`w.json:2:53: groups[0] "g": members[5]: empty user ID`,
			`w.json:2:75: groups[0] "g": masters[1]: "a" is named twice`,
			`w.json:2:80: groups[0] "g": masters[2]: "me" is not a member of the group`,
			`w.json:3:10: groups[1] "g": name: duplicate name (also groups[0])`,
			`w.json:3:32: groups[1] "g": members[1]: "b" is a member of "t2", an outsider to this internal group of "t1" (R11)`,
			`w.json:4:31: groups[2]: masters: a live group has a master (R15)`,
			`w.json:4:43: groups[2]: home: unknown tenant "t9"`,
			`w.json:5:13: groups[3]: members: a live group has a member; mark it dissolved instead (R19)`,
			`w.json:6:1: groups[4]: home: missing field`,
			`w.json:6:19: groups[4]: members[1]: want a user ID (a string), got a number`,
			`w.json:6:34: groups[4]: masters: want an array of user IDs, got a string`,
			`w.json:7:13: groups[5]: members: a dissolved group has no members (D4)`,
		}},
		{"bad IDs (R26)", `{"tenants": [{"id": "t1"}, {"id": "t\u0007"}], "users": [{"id": "a\nb", "tenant": "t1"}, {"id": "a", "tenant": "t1"}],
"groups": [{"home": "t\u0000", "members": ["a"], "masters": ["a"]}, {"home": "t1", "members": ["a", "a\u0085"], "masters": ["a", "\u0001"]}]}`, []string{
			`w.json:1:35: tenants[1] "t\a": id: ID holds the control character U+0007 (R26)`,
			`w.json:1:65: users[0] "a\nb": id: ID holds the control character U+000A (R26)`,
			`w.json:2:21: groups[0]: home: ID holds the control character U+0000 (R26)`,
			`w.json:2:101: groups[1]: members[1]: ID holds the control character U+0085 (R26)`,
			`w.json:2:130: groups[1]: masters[1]: ID holds the control character U+0001 (R26)`,
		}},
		{"invalid UTF-8 (R26)", "{\"tenants\": [{\"id\": \"t\xff\"}],\n\"users\": [{\"id\": \"a\xfe\"}]}", []string{
			`w.json:1:23: invalid UTF-8: a world file is UTF-8, and IDs are never normalized (R26)`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// A problem the decoder reports itself is not reported again as the
// directory sees it, and a record that is not an object hides nothing else.
func TestDecodeNoEchoes(t *testing.T) {
	got := problems(t, `{"tenants": [{"id": "t1"}], "users": [{"id": 7, "tenant": "t1"}, {"id": "u1", "kind": "robot"}, "x", {"id": "u2", "tenant": 1}]}`)
	want := []string{
		`w.json:1:46: users[0]: id: want a string, got a number`,
		`w.json:1:87: users[1] "u1": kind: unknown Kind "robot" (want works, line)`,
		`w.json:1:97: users[2]: want an object, got a string`,
		`w.json:1:125: users[3] "u2": tenant: want a string, got a number`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// One problem is one line: no header.
func TestErrorOneProblem(t *testing.T) {
	_, err := world.Decode("one.json", strings.NewReader(`{"tenants": [], "users": [], "x": 1}`))
	want := `one.json:1:35: x: unknown field (want tenants, users, links, contacts, groups)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestDecodeReadError(t *testing.T) {
	w, err := world.Decode("x.json", failReader{})
	if w != nil || err == nil || err.Error() != "x.json: disk on fire" {
		t.Errorf("Decode = %v, %v; want the read error with the file's name", w, err)
	}
	var we *world.Error
	if errors.As(err, &we) {
		t.Errorf("a read error is a *world.Error")
	}
	if _, err := world.ReadFile(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../examples/*.json")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v, %v", files, err)
	}
	for _, f := range files {
		w, err := world.ReadFile(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		users, tenants, links := w.Directory.Len()
		if users == 0 || tenants == 0 || links == 0 || len(w.Contacts) == 0 {
			t.Errorf("%s: %d users, %d tenants, %d links, %d contacts", f, users, tenants, links, len(w.Contacts))
		}
	}
}

// The seed world is the post's cast: A and me at t1, B at t2, A linked with
// B, and B a contact in t1's book that a shared.
func TestSeed(t *testing.T) {
	w, err := world.ReadFile("../examples/seed.json")
	if err != nil {
		t.Fatal(err)
	}
	d := w.Directory
	if got := extlink.CanTalk(d, "a", "b"); !got.Allowed {
		t.Errorf("%v", got)
	}
	if got := extlink.CanTalk(d, "me", "b"); got.Allowed || got.Reason != extlink.ReasonNotLinked {
		t.Errorf("%v", got)
	}
	want := []extlink.Contact{{Tenant: "t1", Owner: "a", User: "b", Name: "B", Email: "b@partner.example"}}
	if diff := cmp.Diff(want, w.Book("t1")); diff != "" {
		t.Errorf("t1's book (-want +got):\n%s", diff)
	}
	if len(w.Book("t2")) != 0 || len(w.Groups) != 0 {
		t.Errorf("t2's book %v, groups %v", w.Book("t2"), w.Groups)
	}
}

func TestThreeCompanies(t *testing.T) {
	w, err := world.ReadFile("../examples/three-companies.json")
	if err != nil {
		t.Fatal(err)
	}
	g, ok := w.Group("launch")
	if !ok || !g.External() || !g.IsMaster("a") || g.Len() != 4 {
		t.Errorf("launch: %v, %v", g, ok)
	}
	if _, ok := w.Group("nope"); ok {
		t.Errorf("found a group named nope")
	}
	if _, ok := w.Group(""); ok {
		t.Errorf("found an unnamed group")
	}
	if got := extlink.CanInvite(w.Directory, g, "a", "u3"); !got.Allowed {
		t.Errorf("%v", got)
	}
	team, _ := w.Group("team")
	if got := extlink.CanInvite(w.Directory, team, "u1", "b"); got.Reason != extlink.ReasonInternalGroup {
		t.Errorf("%v", got)
	}
	// The supplier's group holds u7, who is no longer a connected member:
	// Reconcile would remove u7 (R20).
	s, _ := w.Group("supply")
	if r := extlink.Reconcile(w.Directory, s); r.Has("u7") || r.Len() != 3 {
		t.Errorf("Reconcile(supply) = %v", r)
	}
}

func TestNilWorld(t *testing.T) {
	var w *world.World
	if _, ok := w.Group("g"); ok || w.Book("t1") != nil {
		t.Errorf("a nil World has groups or contacts")
	}
	if err := world.Encode(new(strings.Builder), w); err == nil {
		t.Errorf("Encode(nil) succeeded")
	}
}

// A world inside another JSON document decodes through encoding/json; its
// problems then name no file.
func TestUnmarshalJSON(t *testing.T) {
	var cfg struct {
		World world.World `json:"world"`
	}
	err := json.Unmarshal([]byte(`{"world": {"tenants": [], "users": [{"id": "l", "kind": "line", "role": "admin"}]}}`), &cfg)
	want := `1:63: users[0] "l": role: a LINE user has no tenant to administer (R6)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if err := json.Unmarshal([]byte(`{"world": {"tenants": [{"id": "t1"}], "users": [{"id": "a", "tenant": "t1"}]}}`), &cfg); err != nil {
		t.Fatal(err)
	}
	if u, ok := cfg.World.Directory.User("a"); !ok || u.Tenant != "t1" {
		t.Errorf("user a: %v, %v", u, ok)
	}
}

func BenchmarkDecode(b *testing.B) {
	g := extlinktest.Large(extlinktest.LargeConfig{Users: 10000, Seed: 1})
	w := &world.World{Directory: extlink.MustNewDirectory(g.Tenants, g.Users, g.Links)}
	var buf bytes.Buffer
	if err := world.Encode(&buf, w); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := world.Decode("gen.json", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// A problem is one line whatever the file holds: a key with a line break
// or a line separator is shown escaped.
func TestProblemIsOneLine(t *testing.T) {
	doc := `{"tenants": [{"id": "t1", "x\nINJECTED\u2028y": 1}], "users": [], "links": []}`
	_, err := world.Decode("hostile.json", strings.NewReader(doc))
	var we *world.Error
	if !errors.As(err, &we) || len(we.Problems) == 0 {
		t.Fatalf("Decode: %v, want problems", err)
	}
	for _, p := range we.Problems {
		s := p.String()
		if strings.ContainsAny(s, "\n\r\u2028") {
			t.Errorf("problem %q is not one line", s)
		}
		if !strings.Contains(s, `x\nINJECTED\u2028y`) {
			t.Errorf("problem %q does not show the key escaped", s)
		}
	}
}
