package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/extlink/extlink/sqlstore"
	"github.com/extlink/extlink/world"
)

// dbTimeout bounds a command's work with a database.
const dbTimeout = 5 * time.Minute

// openDB opens the database that dsn names.
func openDB(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	return sqlstore.Open(ctx, dsn)
}

// readDB reads the world that the -db database holds: the directory at the
// latest revision and every group, reconciled with it (R20) and named by
// its ID. A database keeps no address books: the world has no contacts.
// It sets o.world to the database's name, for messages.
func (o *options) readDB(stderr io.Writer) (*world.World, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dbTimeout)
	defer cancel()
	db, err := openDB(ctx, o.db)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	o.world = db.String()
	return readWorld(ctx, db, o.cmd.name, stderr)
}

// readWorld reads db's directory and groups, and notes on stderr the
// members that reconciling a group with the directory leaves out.
func readWorld(ctx context.Context, db *sqlstore.DB, cmd string, stderr io.Writer) (*world.World, error) {
	d, _, err := db.Directory(ctx)
	if err != nil {
		return nil, err
	}
	names, err := db.GroupIDs(ctx)
	if err != nil {
		return nil, err
	}
	w := &world.World{Directory: d}
	for _, id := range names {
		lg, err := db.LoadGroup(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(lg.Removed) > 0 && stderr != nil {
			fmt.Fprintf(stderr, "extlink %s: group %q in %s: %s no longer allowed in it, left out (R20)\n", cmd, id, db, safeList(ids(lg.Removed)))
		}
		w.Groups = append(w.Groups, world.Group{Name: id, Group: lg.Group})
	}
	return w, nil
}

// groupID is the ID a world's group is stored under: its name, or
// "group-N" (N its 1-based position) for an unnamed one.
func groupID(g world.Group, i int) string {
	if g.Name != "" {
		return g.Name
	}
	return fmt.Sprintf("group-%d", i+1)
}
