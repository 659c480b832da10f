package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/extlink/extlink/world"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// The exit statuses, like grep's.
const (
	exitOK    = 0 // allowed, valid, found, nothing would change, done
	exitNo    = 1 // denied, invalid, unreachable, none found, something would change
	exitUsage = 2 // usage or bad input
)

// command is one subcommand of extlink. Adding a command is adding an entry
// to commands: run gets the arguments after the command's name.
type command struct {
	name     string
	synopsis string // the arguments, for the usage line
	summary  string // one line, for the command list
	help     string // the rest of the usage: what it does, flags, output, exit status, an example
	run      func(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands lists extlink's commands in the order help shows them.
func commands() []*command {
	return []*command{demoCmd, checkCmd, planCmd, auditCmd, whatifCmd, validateCmd, importCmd, exportCmd, testCmd, initCmd, versionCmd, completionCmd()}
}

func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usage returns the command's full usage text.
func (c *command) usage() string {
	return strings.TrimSpace("usage: extlink "+c.name+" "+c.synopsis) + "\n\n" + c.help
}

// usageError reports a usage problem of c and returns exitUsage.
func (c *command) usageError(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "extlink %s: %s\nRun 'extlink %s -h' for usage.\n", c.name, fmt.Sprintf(format, args...), c.name)
	return exitUsage
}

// mainUsage is extlink's own usage text.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`usage: extlink <command> [arguments]

extlink answers who may do what across company borders in a LINE WORKS-style
business messenger, and explains every answer: the rule that decided, who or
which tenant blocked it, and what would fix it.

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString(`  help       show this help, or a command's: extlink help <command>;
             extlink help world: the world file's keys and defaults

Run 'extlink <command> -h' for a command's usage. The commands that read a
world take it from a JSON world file (-world FILE, or -world - for standard
input); see examples/ for two. Each of them reads a database instead with
-db DSN, where DSN is sqlite:PATH (a SQLite file) or postgres://...
(PostgreSQL); import and export move a world between the two.

Exit status: 0 allowed, valid or found, 1 denied, invalid or not found, 2
usage or bad input; whatif, like diff, exits 1 when something would change.
A failed write (a full disk) exits 2. Under -json an error of status 2 is
one JSON object on standard error: {"error": "...", "problems": [...]}.
extlink version (or --version) prints the version and VCS revision.

Examples:
  extlink check -world examples/seed.json talk me b
  extlink plan -world examples/seed.json me b
  extlink import -world examples/seed.json -db sqlite:extlink.db
  extlink check -db sqlite:extlink.db talk me b
`)
	return b.String()
}

// run is the whole program: it parses args, reads stdin (for -world - and
// the batch modes), writes to stdout and stderr, and returns the exit
// status: 0 allowed, valid or found, 1 denied, invalid or not found (for
// whatif: something would change), 2 usage or bad input. A failed write to
// stdout, such as to a full disk, is reported on stderr with status 2.
// Under -json (or -format json) an error of status 2 is one JSON object on
// stderr: {"error": "...", "problems": [...]}, problems as validate's.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "extlink"
	if len(args) > 0 && lookupCommand(args[0]) != nil {
		name += " " + args[0]
	}
	out := &stickyWriter{w: stdout}
	if !wantsJSON(args) {
		code := dispatch(args, stdin, out, stderr)
		if out.err != nil {
			fmt.Fprintf(stderr, "%s: writing the output: %v\n", name, out.err)
			return exitUsage
		}
		return code
	}
	errs := &errorLog{real: stderr}
	code := dispatch(args, stdin, out, errs)
	if out.err != nil {
		fmt.Fprintf(errs, "%s: writing the output: %v\n", name, out.err)
		code = exitUsage
	}
	if code != exitUsage {
		stderr.Write(errs.buf.Bytes())
		return code
	}
	msg, _, _ := strings.Cut(errs.buf.String(), "\n")
	msg = strings.TrimSuffix(msg, ":") // "invalid world: 4 problems:", listed in problems
	if msg == "" {
		msg = name + ": failed"
	}
	if errs.problems == nil {
		errs.problems = []problemJSON{}
	}
	writeJSON(stderr, errorJSON{Error: msg, Problems: errs.problems})
	return exitUsage
}

// errorJSON is an error of status 2 under -json, on stderr.
type errorJSON struct {
	Error    string        `json:"error"`
	Problems []problemJSON `json:"problems"`
}

// errorLog collects a command's stderr under -json, and the problems of an
// invalid world (see reportProblems), for run to write as one errorJSON.
type errorLog struct {
	real     io.Writer // the standard error, for progress (see newProgress)
	buf      bytes.Buffer
	problems []problemJSON
}

func (l *errorLog) Write(p []byte) (int, error) { return l.buf.Write(p) }

// reportProblems hands the problems of an invalid world to run's JSON error
// when stderr is its errorLog; otherwise it does nothing.
func reportProblems(stderr io.Writer, ps []world.Problem) {
	if e, ok := stderr.(endingWriter); ok {
		stderr = e.w
	}
	if l, ok := stderr.(*errorLog); ok {
		l.problems = problemsJSON(ps)
	}
}

// wantsJSON reports whether args, before any "--", ask for the json format.
func wantsJSON(args []string) bool {
	for i, a := range args {
		switch strings.TrimPrefix(a, "-") {
		case "-":
			return false
		case "json", "-json", "json=true", "-json=true", "format=json", "-format=json":
			return true
		case "format", "-format":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		}
	}
	return false
}

// stickyWriter writes to w until a write fails, and then keeps the error
// and writes nothing more.
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

// dispatch runs the command args name.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return exitUsage
	}
	switch args[0] {
	case "-version", "--version":
		return runVersion(versionCmd, args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		switch {
		case len(args) == 1:
			fmt.Fprint(stdout, mainUsage())
			return exitOK
		case len(args) == 2 && lookupCommand(args[1]) != nil:
			fmt.Fprint(stdout, lookupCommand(args[1]).usage())
			return exitOK
		case len(args) == 2 && args[1] == "world":
			fmt.Fprint(stdout, worldHelp)
			return exitOK
		case len(args) == 2 && args[1] == "help":
			fmt.Fprint(stdout, mainUsage())
			return exitOK
		}
		fmt.Fprintf(stderr, "extlink help: unknown command %q\n\n%s", strings.Join(args[1:], " "), mainUsage())
		return exitUsage
	}
	c := lookupCommand(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "extlink: unknown command %q\n\n%s", args[0], mainUsage())
		return exitUsage
	}
	return c.run(c, args[1:], stdin, stdout, stderr)
}
