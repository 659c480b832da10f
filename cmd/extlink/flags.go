package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/extlink/extlink/world"
)

// options are the flags a command that reads a world shares: -world (or
// -db), and -format with its shorthand -json. A command adds its own flags
// to fs before parse.
type options struct {
	cmd *command
	fs  *flag.FlagSet
	// world is the world file; once load has read a database (-db), it
	// names that database (its DSN, password hidden), for messages.
	world   string
	db      string // the database's DSN (-db), read instead of a world file
	both    bool   // the command takes -world and -db together (import): parse leaves them to it
	format  string
	json    bool
	formats []string // the formats the command writes; the first is the default
}

// newOptions returns the shared flags of c, which writes the given formats
// (the first is the default; "json" among them enables -json).
func newOptions(c *command, formats ...string) *options {
	o := &options{cmd: c, fs: flag.NewFlagSet(c.name, flag.ContinueOnError), formats: formats}
	o.fs.SetOutput(io.Discard)
	o.fs.Usage = func() {}
	o.fs.StringVar(&o.world, "world", "", "the world file")
	o.fs.StringVar(&o.db, "db", "", "the database: sqlite:PATH or postgres://... (instead of -world)")
	if len(formats) > 1 {
		o.fs.StringVar(&o.format, "format", formats[0], "the output format: "+strings.Join(formats, ", "))
	}
	if slices.Contains(formats, "json") {
		o.fs.BoolVar(&o.json, "json", false, "same as -format json")
	}
	return o
}

// parse parses args, which may mix flags and positional arguments ("--"
// ends the flags), checks the shared flags and returns the positional
// arguments. When it returns ok false the command is done and code is its
// exit status: 0 after -h (usage on stdout), 2 after a usage error (on
// stderr).
func (o *options) parse(args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	for {
		if err := o.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, o.cmd.usage())
				return nil, exitOK, false
			}
			return nil, o.cmd.usageError(stderr, "%v", err), false
		}
		rest := o.fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if o.json {
		set := false
		o.fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
		if set && o.format != "json" {
			return nil, o.cmd.usageError(stderr, "-json and -format %s disagree", o.format), false
		}
		o.format = "json"
	}
	if len(o.formats) > 1 && !slices.Contains(o.formats, o.format) {
		return nil, o.cmd.usageError(stderr, "unknown format %q (want %s)", o.format, strings.Join(o.formats, ", ")), false
	}
	switch {
	case o.both:
	case o.world == "" && o.db == "":
		return nil, o.cmd.usageError(stderr, "-world FILE or -db DSN is required"), false
	case o.world != "" && o.db != "":
		return nil, o.cmd.usageError(stderr, "-world FILE and -db DSN: give one of them"), false
	}
	return pos, exitOK, true
}

// load reads and checks the world file, or reads the database. On failure
// it writes the error, every problem of an invalid world included, to
// stderr and returns false.
func (o *options) load(stderr io.Writer) (*world.World, bool) {
	w, err := o.read(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "extlink %s: %v\n", o.cmd.name, err)
		return nil, false
	}
	return w, true
}

// read reads the world file (-world) or the database (-db).
func (o *options) read(stderr io.Writer) (*world.World, error) {
	if o.db != "" {
		return o.readDB(stderr)
	}
	return world.ReadFile(o.world)
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(out io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = out.Write(append(b, '\n'))
	return err
}
