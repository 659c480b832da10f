package main

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/sqlstore"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

// TestDatabase imports the example worlds into SQLite databases, and
// checks that every command that reads a world answers the same from the
// database (-db) as from the file (-world), and that export gives the
// world back.
func TestDatabase(t *testing.T) {
	dir := t.TempDir()
	testDatabase(t, func(file string) string {
		return "sqlite:" + filepath.Join(dir, filepath.Base(file)+".db")
	})
}

// TestDatabasePostgres is TestDatabase on PostgreSQL: a throwaway server
// (see needPG), one new database a world, so that -db reads through pgx,
// COLLATE "C" and the same queries a deployment uses (issue 12).
func TestDatabasePostgres(t *testing.T) {
	s := needPG(t)
	testDatabase(t, func(string) string { return s.NewDB(t, "") })
}

// TestDatabasePostgresCollation is TestDatabasePostgres in databases whose
// default collation is not C (ICU's en-US, where "B" sorts between "a" and
// "c"): the command's answers, plans' tie-breaks included, are still the
// file's, as IDs are compared by their bytes (R26).
func TestDatabasePostgresCollation(t *testing.T) {
	s := needPG(t)
	testDatabase(t, func(string) string {
		dsn := s.NewDB(t, `TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`)
		// The premise: this database's own order is not the bytes'.
		db, err := sqlstore.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var localeOrder bool
		if err := db.SQL().QueryRowContext(t.Context(), `SELECT 'a' < 'B'`).Scan(&localeOrder); err != nil || !localeOrder {
			t.Fatalf("the database sorts 'a' < 'B': %v (%v), want true, as en-US does", localeOrder, err)
		}
		return dsn
	})
}

// collation is a world whose IDs sort one way by their bytes and another
// in a locale's collation: "B" < "a" and "Y" < "x" by bytes, so the plan
// from me to x goes through B (the tie-break of R22) and audit lists Y
// before x; en-US would say a and x.
const collation = "testdata/worlds/collation.json"

// collationQuestions are the questions testDatabase asks of collation.
var collationQuestions = [][]string{
	{"plan", "me", "x"},
	{"plan", "-json", "me", "Y"},
	{"audit", "t1"},
	{"audit", "-format", "csv", "-max-steps", "0", "t1"},
	{"whatif", "-change", "unlink a x", "-tenant", "t1"},
}

// testDatabase imports each example world into the empty database newDSN
// returns for it, and compares the command's answers from -db and -world.
func testDatabase(t *testing.T, newDSN func(file string) string) {
	dbs := map[string]string{}
	for _, file := range []string{seed, three, collation} {
		dsn := newDSN(file)
		dbs[file] = dsn
		code, out, errs := runArgs("import", "-world", file, "-db", dsn)
		if code != 0 || !strings.Contains(out, "at revision 1:") {
			t.Fatalf("import %s: exit %d\n%s%s", file, code, out, errs)
		}
		// Again: every tenant exists already, and nothing is written.
		code, _, errs = runArgs("import", "-world", file, "-db", dsn)
		if code != 1 || !strings.Contains(errs, "exists already") {
			t.Fatalf("import %s again: exit %d, stderr\n%s", file, code, errs)
		}
	}
	questions := [][]string{
		{"check", "talk", "me", "b"},
		{"check", "-json", "call", "a", "b"},
		{"check", "talk", "a", "u8"},
		{"check", "invite", "-group", "launch", "a", "u3"},
		{"check", "-group", "team", "invite", "u1", "b"},
		{"plan", "me", "b"},
		{"plan", "-format", "mermaid", "me", "b"},
		{"audit", "t1"},
		{"whatif", "-change", "t2.works=off", "-tenant", "t1"},
	}
	for file, dsn := range dbs {
		qs := questions
		if file == collation {
			qs = collationQuestions
		}
		for _, q := range qs {
			wargs := append([]string{q[0], "-world", file}, q[1:]...)
			dargs := append([]string{q[0], "-db", dsn}, q[1:]...)
			wc, wout, werr := runArgs(wargs...)
			dc, dout, derr := runArgs(dargs...)
			// An error names its source: the file, or the database; and a group
			// loaded from a database is reconciled (the note on stderr says so).
			derr = strings.ReplaceAll(derr, dsn, file)
			var kept []string
			for line := range strings.Lines(derr) {
				if !strings.Contains(line, "left out (R20)") {
					kept = append(kept, line)
				}
			}
			derr = strings.Join(kept, "")
			if wc != dc || wout != dout || werr != derr {
				t.Errorf("extlink %s: -world gives exit %d\n%s%s-db gives exit %d\n%s%s", strings.Join(q, " "), wc, wout, werr, dc, dout, derr)
			}
		}
		if file == three {
			// One load, many answers: -batch and test read the database as
			// they read the file.
			batch := `{"id": 1, "q": "talk", "args": ["me", "b"]}
{"id": 2, "q": "invite", "group": "launch", "args": ["a", "u3"]}
{"id": 3, "q": "convert", "room": ["a", "b", "u5"], "args": ["a"]}
{"id": 4, "q": "leave", "group": "launch", "args": ["me"]}
`
			wc, wout, _ := runStdin(batch, "check", "-world", file, "-batch")
			dc, dout, derr := runStdin(batch, "check", "-db", dsn, "-batch")
			if wc != dc || wout != dout {
				t.Errorf("check -batch: -world gives exit %d\n%s-db gives exit %d\n%s%s", wc, wout, dc, dout, derr)
			}
			assertions := "../../examples/assertions/three-companies.json"
			if code, out, errs := runArgs("test", "-db", dsn, assertions); code != exitOK {
				t.Errorf("test -db %s %s: exit %d\n%s%s", dsn, assertions, code, out, errs)
			}
		}
		code, out, errs := runArgs("validate", "-db", dsn)
		if code != 0 || !strings.HasPrefix(out, dsn+": valid world:") {
			t.Errorf("validate -db %s: exit %d\n%s%s", dsn, code, out, errs)
		}
		code, out, errs = runArgs("export", "-db", dsn)
		if code != 0 {
			t.Fatalf("export -db %s: exit %d\n%s", dsn, code, errs)
		}
		got, err := world.Decode("export", strings.NewReader(out))
		if err != nil {
			t.Fatalf("export -db %s wrote a world that does not read back: %v", dsn, err)
		}
		want, err := world.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(slices.Collect(want.Directory.Users()), slices.Collect(got.Directory.Users())); d != "" {
			t.Errorf("export of %s: users (-want +got):\n%s", file, d)
		}
		if d := cmp.Diff(slices.Collect(want.Directory.Tenants()), slices.Collect(got.Directory.Tenants())); d != "" {
			t.Errorf("export of %s: tenants (-want +got):\n%s", file, d)
		}
		if d := cmp.Diff(slices.Collect(want.Directory.AllLinks()), slices.Collect(got.Directory.AllLinks())); d != "" {
			t.Errorf("export of %s: links (-want +got):\n%s", file, d)
		}
		if len(got.Groups) != len(want.Groups) {
			t.Errorf("export of %s: %d groups; want %d", file, len(got.Groups), len(want.Groups))
		}
		for i, g := range want.Groups {
			// Loaded from a database, a group is reconciled with its directory.
			rg := extlink.Reconcile(want.Directory, g.Group)
			if h, ok := got.Group(groupID(g, i)); !ok || !h.Equal(rg) {
				t.Errorf("export of %s: group %q = %v; want %v", file, groupID(g, i), h, rg)
			}
			if !rg.Equal(g.Group) && !strings.Contains(errs, "group "+strconv.Quote(groupID(g, i))) {
				t.Errorf("export of %s: reconciling group %q removes members, and stderr does not say so:\n%s", file, groupID(g, i), errs)
			}
		}
	}
}

func TestDatabaseUsage(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"check", "-world", seed, "-db", dsn, "talk", "me", "b"}, 2, "give one of them"},
		{[]string{"import", "-world", seed}, 2, "both required"},
		{[]string{"import", "-db", dsn}, 2, "both required"},
		{[]string{"export"}, 2, "-db DSN is required"},
		{[]string{"export", "-db", "nosuch:x"}, 2, `unknown scheme "nosuch"`},
		{[]string{"import", "-world", seed, "-db", "sqlite:" + filepath.Join(t.TempDir(), "no", "dir", "x.db")}, 2, "no directory"},
		{[]string{"import", "-world", "testdata/worlds/four-problems.json", "-db", dsn}, 2, "four-problems.json"},
		{[]string{"plan", "-db", "postgres://u:secret@/db?host=" + t.TempDir(), "me", "b"}, 2, "cannot reach the database"},
	} {
		code, out, errs := runArgs(c.args...)
		if code != c.code || !strings.Contains(errs, c.want) || strings.Contains(out+errs, "secret") {
			t.Errorf("extlink %s: exit %d (want %d), stderr\n%s(want it to say %q, without the password)", strings.Join(c.args, " "), code, c.code, errs, c.want)
		}
	}
}
