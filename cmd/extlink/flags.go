package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/extlink/extlink/world"
)

// options are the flags a command that reads a world shares: -world (or
// -db), and -format with its shorthand -json. A command adds its own flags
// to fs before parse.
type options struct {
	cmd   *command
	fs    *flag.FlagSet
	stdin io.Reader // what -world - reads
	// world is the world file; once load has read a database (-db), it
	// names that database (its DSN, password hidden), for messages.
	world   string
	db      string // the database's DSN (-db), read instead of a world file
	both    bool   // the command takes -world and -db together (import): parse leaves them to it
	format  string
	json    bool
	formats []string // the formats the command writes; the first is the default
}

// newOptions returns the shared flags of c, which reads -world - from stdin
// and writes the given formats (the first is the default; "json" among them
// enables -json).
func newOptions(c *command, stdin io.Reader, formats ...string) *options {
	o := &options{cmd: c, fs: flag.NewFlagSet(c.name, flag.ContinueOnError), stdin: stdin, formats: formats}
	o.fs.SetOutput(io.Discard)
	o.fs.Usage = func() {}
	o.fs.StringVar(&o.world, "world", "", "the world file; - for standard input")
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
		var we *world.Error
		if errors.As(err, &we) {
			reportProblems(stderr, we.Problems)
		}
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
	return o.readFile()
}

// readFile reads the world file -world names, standard input for "-", and
// decodes it. A UTF-8 byte order mark is read as a space (so that columns
// stay right); a UTF-16 or UTF-32 file is refused by name, as JSON is UTF-8.
func (o *options) readFile() (*world.World, error) {
	data, err := o.readBytes()
	if err != nil {
		return nil, err
	}
	return world.Decode(o.world, bytes.NewReader(data))
}

// readBytes returns the bytes of the world file, checked and cleaned by
// utf8Input. For -world - it reads standard input and sets o.world to
// "<stdin>", for messages.
func (o *options) readBytes() ([]byte, error) {
	var data []byte
	var err error
	if o.world == "-" {
		o.world = "<stdin>"
		data, err = io.ReadAll(o.stdin)
	} else {
		data, err = os.ReadFile(o.world)
	}
	if err != nil {
		return nil, err
	}
	return utf8Input(o.world, data)
}

// utf8Input returns data with a UTF-8 byte order mark blanked out, or a
// *world.Error whose one problem, at 1:1, names the encoding of a UTF-16
// or UTF-32 document (a byte order mark, or NUL bytes among the first two
// bytes of a document that starts with ASCII), so that validate lists it
// like any other problem.
func utf8Input(name string, data []byte) ([]byte, error) {
	enc := ""
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		out := slices.Clone(data)
		copy(out, "   ")
		return out, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		enc = "UTF-32"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}),
		len(data) >= 2 && (data[0] == 0) != (data[1] == 0):
		enc = "UTF-16"
	default:
		return data, nil
	}
	return nil, &world.Error{File: name, Problems: []world.Problem{{File: name, Line: 1, Col: 1, Index: -1,
		Msg: fmt.Sprintf("the file is %s text, and a world file is UTF-8: convert it (iconv -f %s -t UTF-8)", enc, enc)}}}
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

// worldName names what load reads, for progress: the world file, standard
// input, or "the database" (a DSN may hold a password).
func (o *options) worldName() string {
	switch {
	case o.db != "":
		return "the database"
	case o.world == "-":
		return "standard input"
	}
	return o.world
}
