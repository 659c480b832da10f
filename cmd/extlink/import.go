package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

var importCmd = &command{
	name:     "import",
	synopsis: "-world FILE -db DSN",
	summary:  "write a world file's directory and groups into a database",
	run:      runImport,
	help: `Import reads the world FILE, checks it as every command does, and writes
its tenants, users and links into the database DSN as one batch (one
revision of its change log), then stores each of its groups under its name
("group-N" for the N-th group if it has none). A database created by
import, or by a service using package sqlstore, is read by every command
that reads a world: give -db DSN instead of -world FILE.

The batch is checked against what the database holds already, as
Directory.With checks it: a tenant or user that exists, for one, refuses the
whole batch, and nothing is written. A group whose name is taken is an
error; the directory is then imported already. Address books (contacts) are
not stored in a database: import says how many it left out.

DSN is sqlite:PATH (a SQLite file, created if missing; nothing to install)
or postgres://user:password@host:port/database?... (PostgreSQL).

Flags:
  -world FILE    the world file (required)
  -db DSN        the database (required)

Exit status: 0 imported, 1 refused (every problem is listed), 2 usage, an
unreadable or invalid file, or a database error.

Example:
  extlink import -world examples/seed.json -db sqlite:extlink.db
  extlink check -db sqlite:extlink.db talk me b
`,
}

var exportCmd = &command{
	name:     "export",
	synopsis: "-db DSN",
	summary:  "write a database's directory and groups as a world file",
	run:      runExport,
	help: `Export reads the database DSN (the directory at its latest revision and
every group, reconciled with it) and writes it to standard output as a
world file, which every command reads with -world and import writes back.
Groups are named by their IDs; there are no contacts.

Flags:
  -db DSN        the database (required): sqlite:PATH or postgres://...

Exit status: 0 written, 2 usage or a database error.

Example:
  extlink export -db sqlite:extlink.db > world.json
`,
}

// parseDBFlags parses the flags of import and export, which check -world
// and -db themselves (import takes both) and take no other arguments; see
// options.parse for code and ok.
func parseDBFlags(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) (o *options, code int, ok bool) {
	o = newOptions(c, stdin, "text")
	o.both = true
	pos, code, ok := o.parse(args, stdout, stderr)
	if ok && len(pos) > 0 {
		return nil, c.usageError(stderr, "unexpected arguments %q", pos), false
	}
	return o, code, ok
}

// fail writes err as c's error and returns exitUsage, the status of bad
// input and of database errors.
func (c *command) fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "extlink %s: %v\n", c.name, err)
	return exitUsage
}

// directoryBatch returns the changes that add d's tenants, users and links
// to an empty directory, in that order: one batch, one revision.
func directoryBatch(d *extlink.Directory) []extlink.Change {
	users, tenants, links := d.Len()
	batch := make([]extlink.Change, 0, users+tenants+links)
	for t := range d.Tenants() {
		batch = append(batch, extlink.AddTenant(t))
	}
	for u := range d.Users() {
		batch = append(batch, extlink.AddUser(u))
	}
	for l := range d.AllLinks() {
		batch = append(batch, extlink.AddLink(l.A, l.B))
	}
	return batch
}

func runImport(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code, ok := parseDBFlags(c, args, stdin, stdout, stderr)
	if !ok {
		return code
	}
	if o.world == "" || o.db == "" {
		return c.usageError(stderr, "-world FILE and -db DSN are both required")
	}
	w, err := o.readFile()
	if err != nil {
		return c.fail(stderr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dbTimeout)
	defer cancel()
	db, err := openDB(ctx, o.db)
	if err != nil {
		return c.fail(stderr, err)
	}
	defer db.Close()
	rev, err := db.Apply(ctx, directoryBatch(w.Directory)...)
	var ce *extlink.ChangeError
	switch {
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "extlink import: %s refuses %s:\n%v\n", db, o.world, err)
		return exitNo
	case err != nil:
		return c.fail(stderr, err)
	}
	for i, g := range w.Groups {
		if _, err := db.CreateGroup(ctx, groupID(g, i), g.Group); err != nil {
			return c.fail(stderr, fmt.Errorf("the directory is in %s at revision %d, but: %w", db, rev, err))
		}
	}
	users, tenants, links := w.Directory.Len()
	fmt.Fprintf(stdout, "imported %s into %s at revision %d: %s, %s, %s, %s\n", o.world, db, rev,
		count(tenants, "tenant"), count(users, "user"), count(links, "link"), count(len(w.Groups), "group"))
	if n := len(w.Contacts); n > 0 {
		fmt.Fprintf(stderr, "extlink import: left out %s: a database keeps no address books\n", count(n, "contact"))
	}
	return exitOK
}

func runExport(c *command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, code, ok := parseDBFlags(c, args, stdin, stdout, stderr)
	if !ok {
		return code
	}
	switch {
	case o.db == "":
		return c.usageError(stderr, "-db DSN is required")
	case o.world != "":
		return c.usageError(stderr, "export takes no -world: it writes the world to standard output")
	}
	w, err := o.readDB(stderr)
	if err != nil {
		return c.fail(stderr, err)
	}
	if err := world.Encode(stdout, w); err != nil {
		return c.fail(stderr, err)
	}
	return exitOK
}
