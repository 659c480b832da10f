package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/extlink/extlink"
)

var demoCmd = &command{
	name:     "demo",
	synopsis: "",
	summary:  "replay the post's trick on its built-in cast",
	run:      runDemo,
	help: `Demo needs no world file: it builds the post's cast (A and me at t1, B at
t2, A linked with B) and shows me's contact card for B, the post's six
steps with the rule that allowed each, the final group of B and me, and the
shortest plan to the same group, which PlanGroup finds (R22).

Exit status: 0, or 2 for arguments.

Example:
  extlink demo
`,
}

func runDemo(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, c.usage())
		return exitOK
	}
	if len(args) > 0 {
		return c.usageError(stderr, "unexpected arguments %q", args)
	}
	return demo(stdout, stderr)
}

// postWorld is the post's cast [P9]: A and me at our company, B at a
// partner company, A linked with B. Both companies let every member talk
// with outside LINE WORKS users; ours lets members create groups.
func postWorld() (*extlink.Directory, error) {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	return extlink.NewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Name: "our company", Policy: open},
			{ID: "t2", Name: "the partner", Policy: open},
		},
		[]extlink.User{
			{ID: "a", Name: "A", Tenant: "t1"},
			{ID: "me", Name: "me", Tenant: "t1"},
			{ID: "b", Name: "B", Tenant: "t2"},
		},
		[]extlink.Link{{A: "a", B: "b"}},
	)
}

// demoContact is B in t1's shared address book, added by A [P1-P3].
var demoContact = extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Name: "B", Email: "b@partner.example"}

// sixSteps is the post's trick [P10].
var sixSteps = extlink.Plan{
	{Op: extlink.OpCreateRoom, By: "a", Who: "b"},
	{Op: extlink.OpInvite, By: "a", Who: "me"},
	{Op: extlink.OpConvert, By: "a"},
	{Op: extlink.OpAppoint, By: "a", Who: "me"},
	{Op: extlink.OpResign, By: "a"},
	{Op: extlink.OpRemove, By: "me", Who: "a"},
}

// demo prints me's contact card for B, replays the six steps with the rule
// that allowed each, shows the final group, and prints the shortest plan.
func demo(stdout, stderr io.Writer) int {
	d, err := postWorld()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintln(stdout, "The post's cast: A and me at t1, B at t2; A is linked with B, me is not.")
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "me opens B in the shared address book:")
	fmt.Fprint(stdout, extlink.ContactCard(d, "me", demoContact))
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "A builds a group of B and me, six steps, each checked by the rules (R21):")
	var last extlink.Outcome
	for o, err := range sixSteps.Replay(d) {
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintln(stdout, o)
		last = o
	}
	g := last.Group
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "The final group: members %v, masters %v, external %v.\n", g.Members(), g.Masters(), g.External())
	fmt.Fprintf(stdout, "me and B share it, yet still: %v\n", extlink.CanTalk(d, "me", "b"))
	p, err := extlink.PlanGroup(d, "me", "b")
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "The shortest plan (R22), %s steps instead of %s:\n", number(len(p)), number(len(sixSteps)))
	fmt.Fprintln(stdout, p)
	return 0
}

// number spells n in words up to ten, and in digits beyond.
func number(n int) string {
	words := [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}
