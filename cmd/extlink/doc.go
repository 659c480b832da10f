// Command extlink answers who may do what across company borders in a LINE
// WORKS-style business messenger, using the extlink library, and explains
// every answer: the rule that decided, the user or tenant that blocked it,
// and what would fix it (R24).
//
// It is a module of its own (github.com/extlink/extlink/cmd/extlink), so
// that the library's users never download the database drivers it needs.
// Install it from a checkout with go install ./cmd/extlink, or run it with
// go run ./cmd/extlink.
//
// # Commands
//
//	extlink demo                                       the post's trick, on its built-in cast
//	extlink check -world F talk|call FROM TO           may FROM talk with (call) TO?
//	extlink check -world F email VIEWER CONTACT        may VIEWER e-mail an entry of their tenant's book?
//	extlink check -world F create-room BY WHO...       may BY create a room (create-group: a group) with WHO...?
//	extlink check -world F -group G invite BY WHO      and appoint, remove BY WHO, transfer FROM TO, resign, leave WHO
//	extlink check -world F -room a,b,c invite BY WHO   and convert BY, leave WHO, in a room of a, b and c
//	extlink check -world F -batch < QUESTIONS          one JSON question a line in, one JSON answer a line out
//	extlink plan -world F [-no-groups] ME TARGET       the shortest way to a group of ME and TARGET (R22)
//	extlink audit -world F [-max-steps N] TENANT       who in TENANT can end up in a group with an unlinked outsider (R23)
//	extlink whatif -world F -change C [-change C ...]  what a directory change would flip, remove and expose (R25)
//	extlink validate -world F                          list every problem of a world file
//	extlink test -world F ASSERTIONS.json...           check expected answers (decisions, plans, audit rows), for CI
//	extlink import -world F -db DSN                    write a world file into a database (package sqlstore)
//	extlink export -db DSN                             write a database as a world file
//	extlink init [FILE]                                write a starter world file
//	extlink version                                    the module version and VCS revision; also --version
//	extlink completion bash|zsh|fish                   a shell completion script
//	extlink help [COMMAND]                             usage; also extlink COMMAND -h
//	extlink help world                                 the world file's keys, defaults and whatif changes
//
// Every command that reads -world F reads a database instead with -db DSN:
// sqlite:PATH (a SQLite file) or postgres://... (PostgreSQL), as package
// [github.com/extlink/extlink/sqlstore] keeps it; a group loaded from a
// database is reconciled with its directory (R20), and a database holds no
// address books.
//
// Flags may come before or after a command's other words; "--" ends them.
// -format chooses the output: text or json, and also mermaid or dot for
// plan and csv for audit; -json is short for -format json. A world file is the JSON document that package
// [github.com/extlink/extlink/world] reads; examples/seed.json (the post's
// cast) and examples/three-companies.json are two. plan, audit and whatif
// count the world file's groups, as Reconcile leaves them: a plan may start
// from one of them (R22, R23); -no-groups ignores them. audit and whatif,
// which can run for minutes on a large world, show what they are doing on
// standard error when it is a terminal, or with -progress.
//
// Text output quotes what could break it: an ID or name with a line break,
// a line or paragraph separator, a bidirectional control or another
// character that is not printable is written as a Go string literal
// ("a\u2028b"; within the library's sentences, such as a decision's
// text, the character is escaped in place), and so is an ID in a list where
// its comma, quote or space would be ambiguous; -room, -users and whatif's
// -change read such literals back. csv is RFC 4180 (encoding/csv).
//
// # Exit status
//
// Like grep's: 0 when the answer is yes (allowed, valid, a plan found,
// exposure found), 1 when it is no (denied, invalid, unreachable, no
// exposure), 2 for a usage error or bad input (an unreadable or, outside
// validate, invalid world; an unknown user, tenant, group or contact; a
// change whatif cannot read or apply). whatif, like diff, exits 0 when
// nothing asked about would change and 1 when something would.
// Errors go to standard error as text; under -json (or -format json) an
// error of status 2 is instead one object on standard error,
//
//	{"error": "extlink check: unknown user \"zz\" in seed.json", "problems": []}
//
// with, for an invalid world, its problems as validate writes them. A failed
// write to standard output (a full disk) exits 2 with a message.
//
// -world - reads the world from standard input. A world file is UTF-8; a
// UTF-8 byte order mark is accepted, and a UTF-16 file is refused by name.
//
// # JSON output
//
// The json forms are stable: each is one object. A decision is written
// exactly as the library writes it ([extlink.Decision.MarshalJSON]), which
// leaves out its keys that are empty; every other key is always present,
// empty values written as "", 0, null or [] rather than left out.
//
// check writes the decision, then its own keys:
//
//	{"allowed": false, "action": "talk", "by": "me", "who": "b", "rule": "R2",
//	 "reason": "not-linked", "cause": "ErrNotLinked", "remedy": "link me with b first",
//	 "text": "me cannot talk with b: not linked (R2); link me with b first",
//	 "group": "", "room": [], "with": [], "contact": null,
//	 "summary": "talk across tenants needs ...", "linkedColleagues": ["a"]}
//
// where action is the library's [extlink.Action] (talk, call, email,
// create-room, create-group, invite, invite-room, convert, appoint, resign,
// transfer, leave, leave-room or remove); by and who are the users asked
// about (for email, who is the contact's user or else its name); rule is
// the rule that decided; reason is the [extlink.Reason], cause the name of
// the sentinel error a denial wraps, party and tenant the user and tenant
// that blocked it (for not-master, party is a master to ask) and remedy what
// would make it allowed, each left out when it does not apply; text is the
// decision's sentence. Then group is the -group argument, room the -room
// members, with a create's people; contact is, for email, the address-book
// entry {"tenant", "owner", "user", "name", "email"}; summary is what the
// rule says; linkedColleagues, for a talk or call denied because the two
// are not linked, lists by's colleagues who can talk with who.
//
// validate writes
//
//	{"file": "bad.json", "valid": false,
//	 "tenants": 0, "users": 0, "links": 0, "contacts": 0, "groups": 0,
//	 "problems": [{"line": 5, "col": 42, "record": "users", "index": 1,
//	   "id": "me", "field": "kind", "rule": "",
//	   "message": "unknown Kind \"robot\" (want works, line)",
//	   "text": "bad.json:5:42: users[1] \"me\": kind: unknown Kind ..."}]}
//
// with the counts of a valid world, and for an invalid one every problem
// (record "" and index -1 for the document as a whole; rule such as "R6", or
// "").
//
// plan writes
//
//	{"me": "me", "target": "b", "found": true, "steps": 4,
//	 "plan": [{"n": 1, "op": "create-group", "by": "a", "who": "b", "rule": "R10",
//	   "text": "a creates a group with b", "state": "external group [a* b]",
//	   "group": 0, "groupName": ""}, ...],
//	 "group": {"members": ["b", "me"], "masters": ["me"], "external": true,
//	   "text": "external group [b me*]"},
//	 "rule": "R22", "reason": "none", "cause": "", "party": "", "tenant": "",
//	 "remedy": "", "text": "4 steps put me and b in a group of their own, me its only master"}
//
// where op is the step's [extlink.Op] word, state the room or group after
// it, and group the world's group it acts on (1-based; 0 for the plan's
// own) with its name, or groups[INDEX]; when a world's group already is
// the goal, steps is 0, plan [] and group that group; when there is no plan, found is false, steps 0, plan [] and group null,
// and rule, reason, cause (the sentinel besides ErrUnreachable), party,
// tenant, remedy and text say why, as in [extlink.UnreachableError].
//
// audit writes
//
//	{"tenant": "t1", "maxSteps": 4,
//	 "exposures": [{"member": "me", "outsider": "b", "steps": 4, "via": ["a"],
//	   "group": 0, "groupName": ""}]}
//
// (maxSteps 0 for no limit; group, as plan's, the world's group the plan
// starts from), and its csv form has the header member,outsider,steps,via,group,
// with via's people separated by spaces and group the group's name.
//
// whatif writes
//
//	{"changes": [{"change": "link me b", "text": "link me and b"}],
//	 "users": ["a", "b", "me"], "groups": ["launch"], "tenant": "t1", "maxSteps": 4,
//	 "empty": false,
//	 "flips": [{"action": "talk", "by": "b", "who": "me", "text": "b may now talk with me (R2)",
//	   "before": DECISION, "after": DECISION}],
//	 "removals": [{"group": "launch", "index": 0, "removed": ["a", "me"], "promoted": ["b"],
//	   "after": GROUP}],
//	 "exposure": [{"member": "me", "outsider": "b", "before": 4, "after": 0}]}
//
// where a DECISION is a decision as the library writes it, as in check's
// form, a GROUP is plan's group object, and an
// exposure's before and after are plan lengths, 0 for none.
package main
