package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

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
once, one a line, each as FILE:LINE:COL: RECORD[INDEX] "ID": FIELD: what is
wrong (RULE), as compilers do, for editors and grep. It also refuses a link
given twice, which the library and the other commands accept.

Flags:
  -world FILE    the world file (required); - for standard input
  -format F      text (the default) or json
  -json          same as -format json

Output: the text form is "FILE: valid world: N tenants, N users, N links,
N contacts, N groups", or the problems, one a line, in the file's order.
The json form is one object whose keys are always present (the counts are
0 for an invalid world):

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

func runValidate(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o := newOptions(c, stdin, "text", "json")
	pos, code, ok := o.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return c.usageError(stderr, "unexpected arguments %q", pos)
	}
	var w *world.World
	var err error
	var dups []world.Problem
	if o.db != "" {
		w, err = o.read(stderr)
	} else {
		var data []byte
		if data, err = o.readBytes(); err == nil {
			w, err = world.Decode(o.world, bytes.NewReader(data))
			dups = duplicateLinks(o.world, data)
		}
	}
	if len(dups) > 0 && (err == nil || errors.As(err, new(*world.Error))) {
		// The library accepts a link given twice; a world file that
		// repeats one is most likely wrong, so validate refuses it.
		var ps []world.Problem
		var we *world.Error
		if errors.As(err, &we) {
			ps = we.Problems
		}
		ps = append(ps, dups...)
		slices.SortStableFunc(ps, func(a, b world.Problem) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
		})
		err, w = &world.Error{File: o.world, Problems: ps}, nil
	}
	res := validateResult{File: o.world, Problems: []problemJSON{}}
	var we *world.Error
	switch {
	case errors.As(err, &we):
		res.Problems = problemsJSON(we.Problems)
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
		for _, p := range we.Problems {
			fmt.Fprintln(stdout, p)
		}
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

// problemsJSON returns ps in validate's json form.
func problemsJSON(ps []world.Problem) []problemJSON {
	out := []problemJSON{}
	for _, p := range ps {
		rule := ""
		if p.Rule != 0 {
			rule = p.Rule.String()
		}
		out = append(out, problemJSON{p.Line, p.Col, p.Record, p.Index, p.ID, p.Field, rule, p.Msg, p.String()})
	}
	return out
}

// duplicateLinks returns a problem for each link of the world file data
// that repeats an earlier one, in either order. It returns nil for data
// that is not a JSON object with a "links" array of pairs of strings:
// world.Decode reports that.
func duplicateLinks(name string, data []byte) []world.Problem {
	var out []world.Problem
	seen := map[[2]string]int{}
	ok := arrayElements(data, "links", func(i, off int, raw json.RawMessage) bool {
		var pair []string
		if json.Unmarshal(raw, &pair) != nil {
			return false
		}
		if len(pair) != 2 {
			return true
		}
		k := [2]string{min(pair[0], pair[1]), max(pair[0], pair[1])}
		if j, dup := seen[k]; dup {
			line, col := lineCol(data, off)
			out = append(out, world.Problem{File: name, Line: line, Col: col, Record: "links", Index: i,
				ID: pair[0] + "-" + pair[1], Msg: fmt.Sprintf("duplicate link (also links[%d])", j)})
			return true
		}
		seen[k] = i
		return true
	})
	if !ok {
		return nil
	}
	return out
}

// arrayElements calls f with the index, byte offset and text of each
// element of the array under key in the JSON object data, until f returns
// false. It reports false if data is not such an object or f stopped it;
// a missing key is no elements.
func arrayElements(data []byte, key string, f func(i, off int, raw json.RawMessage) bool) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		if k != key {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return false
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return false
		}
		for i := 0; dec.More(); i++ {
			off := int(dec.InputOffset())
			for off < len(data) && (data[off] == ',' || data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n') {
				off++
			}
			var raw json.RawMessage
			if dec.Decode(&raw) != nil || !f(i, off, raw) {
				return false
			}
		}
		return true
	}
	return true
}

// lineCol returns the 1-based line and byte column of offset off in data.
func lineCol(data []byte, off int) (line, col int) {
	return 1 + bytes.Count(data[:off], []byte("\n")), off - bytes.LastIndexByte(data[:off], '\n')
}
