package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
)

// audit's csv and text forms hold what its json form holds, and every
// exposure it lists is a plan that plan finds, of that length.
func TestAuditFormsAgree(t *testing.T) {
	for _, f := range allWorlds {
		w, err := world.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for tn := range w.Directory.Tenants() {
			for _, max := range []string{"4", "0"} {
				args := []string{"audit", "-world", f, "-max-steps", max, string(tn.ID)}
				code, out, errs := runArgs(append(args, "-json")...)
				var res auditResult
				if err := json.Unmarshal([]byte(out), &res); err != nil {
					t.Fatalf("%v: %v\n%s%s", args, err, out, errs)
				}
				if want := map[bool]int{true: exitOK, false: exitNo}[len(res.Exposures) > 0]; code != want {
					t.Errorf("%v: exit %d for %d exposures", args, code, len(res.Exposures))
				}

				_, out, _ = runArgs(append(args, "-format", "csv")...)
				records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatalf("%v: csv: %v\n%s", args, err, out)
				}
				want := [][]string{{"member", "outsider", "steps", "via", "group"}}
				for _, e := range res.Exposures {
					want = append(want, []string{e.Member, e.Outsider, strconv.Itoa(e.Steps), strings.Join(e.Via, " "), e.GroupName})
				}
				if diff := cmp.Diff(want, records); diff != "" {
					t.Errorf("%v: csv (-json +csv):\n%s", args, diff)
				}

				_, out, _ = runArgs(args...)
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if len(res.Exposures) == 0 {
					if len(lines) != 1 || !strings.Contains(lines[0], "no exposure") {
						t.Errorf("%v: text for no exposure:\n%s", args, out)
					}
					continue
				}
				if len(lines) != len(res.Exposures)+2 || strings.Fields(lines[0])[0] != "member" {
					t.Errorf("%v: text has %d lines for %d exposures:\n%s", args, len(lines), len(res.Exposures), out)
					continue
				}
				for i, e := range res.Exposures {
					want := append([]string{e.Member, e.Outsider, strconv.Itoa(e.Steps)}, e.Via...)
					if e.GroupName != "" {
						want = append(want, "(in", e.GroupName+")")
					}
					if got := strings.Fields(lines[i+1]); !slices.Equal(got, want) && !strings.Contains(strings.Join(want, ""), " ") {
						t.Errorf("%v: text row %q, want %q", args, got, want)
					}
					_, out, _ := runArgs("plan", "-world", f, "-json", e.Member, e.Outsider)
					var p planResult
					if err := json.Unmarshal([]byte(out), &p); err != nil || !p.Found || p.Steps != e.Steps {
						t.Errorf("%v: exposure %v, but plan says found %v in %d steps (%v)", args, e, p.Found, p.Steps, err)
					}
				}
			}
		}
	}
}
