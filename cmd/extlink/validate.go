package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/extlink/extlink/world"
)

var validateCmd = &command{
	name:     "validate",
	synopsis: "-world FILE [-format text|json] [-json]",
	summary:  "check a world file and list every problem in it",
	run:      runValidate,
	help: `Validate reads the world FILE and checks it as every other command does
before using it: JSON syntax, unknown fields, types, enum words, duplicate
and dangling IDs, links, contacts and groups. It lists every problem at
once, each as FILE:LINE:COL: RECORD[INDEX] "ID": FIELD: what is wrong (RULE).

Flags:
  -world FILE    the world file (required)
  -format F      text (the default) or json
  -json          same as -format json

Output: the text form is "FILE: valid world: N tenants, N users, N links,
N contacts, N groups", or the problems, one a line. The json form is one
object whose keys are always present (the counts are 0 for an invalid world):

  {
    "file": "examples/seed.json",
    "valid": true,
    "tenants": 2, "users": 3, "links": 1, "contacts": 1, "groups": 0,
    "problems": [
      {"line": 5, "col": 42, "record": "users", "index": 1, "id": "me",
       "field": "kind", "rule": "", "message": "unknown Kind \"robot\" (want works, line)",
       "text": "bad.json:5:42: users[1] \"me\": kind: unknown Kind ..."}
    ]
  }

"record" is "" and "index" -1 for a problem of the document as a whole;
"rule" is the rule broken, such as "R6", or "".

Exit status: 0 valid, 1 invalid, 2 usage or an unreadable file.

Example:
  extlink validate -world examples/three-companies.json
`,
}

// validateResult is the json form of validate's answer; see validateCmd's
// help.
type validateResult struct {
	File     string        `json:"file"`
	Valid    bool          `json:"valid"`
	Tenants  int           `json:"tenants"`
	Users    int           `json:"users"`
	Links    int           `json:"links"`
	Contacts int           `json:"contacts"`
	Groups   int           `json:"groups"`
	Problems []problemJSON `json:"problems"`
}

// problemJSON is one problem of a world file in validate's json form.
type problemJSON struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Record  string `json:"record"`
	Index   int    `json:"index"`
	ID      string `json:"id"`
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Text    string `json:"text"`
}

func runValidate(c *command, args []string, stdout, stderr io.Writer) int {
	o := newOptions(c, "text", "json")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(stderr, "unexpected arguments %q", pos)
	}
	w, err := o.read(stderr)
	res := validateResult{File: o.world, Problems: []problemJSON{}}
	var we *world.Error
	switch {
	case errors.As(err, &we):
		for _, p := range we.Problems {
			rule := ""
			if p.Rule != 0 {
				rule = p.Rule.String()
			}
			res.Problems = append(res.Problems, problemJSON{p.Line, p.Col, p.Record, p.Index, p.ID, p.Field, rule, p.Msg, p.String()})
		}
	case err != nil:
		fmt.Fprintf(stderr, "extlink validate: %v\n", err)
		return exitUsage
	default:
		res.Valid = true
		res.Users, res.Tenants, res.Links = w.Directory.Len()
		res.Contacts, res.Groups = len(w.Contacts), len(w.Groups)
	}

	if o.format == "json" {
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "extlink validate: %v\n", err)
			return exitUsage
		}
	} else if res.Valid {
		fmt.Fprintf(stdout, "%s: valid world: %s, %s, %s, %s, %s\n", res.File,
			count(res.Tenants, "tenant"), count(res.Users, "user"), count(res.Links, "link"),
			count(res.Contacts, "contact"), count(res.Groups, "group"))
	} else {
		fmt.Fprintln(stdout, we)
	}
	if !res.Valid {
		return exitNo
	}
	return exitOK
}

// count returns "1 user" or "3 users".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
