// Command extlink answers questions about who may do what across company
// borders in a LINE WORKS-style messenger, using the extlink library.
//
// Usage:
//
//	extlink demo    replay the post's trick on its built-in cast
//	extlink help    show this help
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: extlink <command> [arguments]

Commands:
  demo    replay the post's trick on its built-in cast:
          me's contact card for B, the six steps, the final group
  help    show this help

Example:
  extlink demo
`

// run is the whole program: it parses args, writes to stdout and stderr, and
// returns the exit status: 0 done, 1 denied or unreachable, 2 usage or bad
// input.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "demo":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "extlink demo: unexpected arguments %q\n", args[1:])
			return 2
		}
		return demo(stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "extlink: unknown command %q\n\n%s", args[0], usage)
	return 2
}
