package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

var initCmd = &command{
	name:     "init",
	synopsis: "[FILE]",
	summary:  "write a starter world file to edit",
	run:      runInit,
	help: `Init writes a small, valid world file to FILE, or to standard output when
FILE is left out or "-": two tenants, a LINE user, a link, an address-book
entry and a group, each key set so that it shows what it does. JSON has no
comments, so the explanation goes to standard error: which key to edit for
what, and extlink help world documents every key and its default. Init
never overwrites a file.

Exit status: 0 written, 2 usage, an existing FILE or a write error.

Example:
  extlink init world.json && extlink validate -world world.json
`,
}

// starterWorld is what init writes. Its keys show the policy switches in
// use; TestInit checks it is valid.
const starterWorld = `{
  "tenants": [
    {"id": "t1", "name": "our company",
     "policy": {"works": "listed", "line": "listed", "noCalls": false,
                "membersCreateGroups": true, "membersLeaveGroups": false}},
    {"id": "t2", "name": "the partner",
     "policy": {"works": "all", "line": "off", "noCalls": false,
                "membersCreateGroups": false, "membersLeaveGroups": true}}
  ],
  "users": [
    {"id": "a", "name": "A", "tenant": "t1", "kind": "works", "role": "admin", "connected": true},
    {"id": "me", "name": "me", "tenant": "t1", "kind": "works", "role": "member", "connected": true},
    {"id": "b", "name": "B", "tenant": "t2", "kind": "works", "role": "member", "connected": false},
    {"id": "l1", "name": "L1", "kind": "line"}
  ],
  "links": [["a", "b"], ["me", "l1"]],
  "contacts": [
    {"tenant": "t1", "owner": "a", "user": "b", "name": "B", "email": "b@partner.example"}
  ],
  "groups": [
    {"name": "project", "members": ["a", "b"], "masters": ["a"], "external": true, "home": "t1", "dissolved": false}
  ]
}
`

// starterGuide is the explanation init writes to stderr.
const starterGuide = `# The starter world: edit it, then run extlink validate -world FILE.
# - tenants[].policy: "works"/"line" say who may talk with outside LINE WORKS
#   users and with LINE users: "off", "all", or "listed" (users with
#   "connected": true); "noCalls", "membersCreateGroups" and
#   "membersLeaveGroups" are the other admin switches.
# - users[]: "kind" is "works" or "line" (a LINE user has no tenant), "role"
#   "member" or "admin".
# - links[]: pairs of users of different tenants who accepted each other.
# - contacts[]: a tenant's shared address book; groups[]: groups as they are.
# Every key and its default: extlink help world.
# Try: extlink check -world FILE talk me b; extlink plan -world FILE me b
`

func runInit(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, c.usage())
		return exitOK
	}
	if len(args) > 1 {
		return c.usageError(stderr, "unexpected arguments %q", args[1:])
	}
	if len(args) == 0 || args[0] == "-" {
		io.WriteString(stdout, starterWorld) // a failed write is run's to report
		io.WriteString(stderr, starterGuide)
		return exitOK
	}
	name := args[0]
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "extlink init: %s exists; init never overwrites a file\n", name)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "extlink init: %v\n", err)
		return exitUsage
	}
	_, err = io.WriteString(f, starterWorld)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "extlink init: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s\n", name)
	io.WriteString(stderr, starterGuide)
	return exitOK
}
