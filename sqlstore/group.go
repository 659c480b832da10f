package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/extlink/extlink"
)

// Version is a group's version: 1 when created, one more at each save. A
// save names the version it read, and fails with [ErrConflict] if the
// group was saved since (optimistic concurrency).
type Version int64

// LoadedGroup is a group as [DB.LoadGroup] read it.
type LoadedGroup struct {
	// Group is the stored group reconciled with the directory at Rev
	// ([extlink.Reconcile], R20): what the rules see now.
	Group extlink.Group
	// Stored is the group as stored, before reconciling.
	Stored extlink.Group
	// Removed lists, in ID order, the members that reconciling removed:
	// users gone from the directory, or no longer allowed in the group.
	// Saving Group makes the removal permanent.
	Removed []extlink.UserID
	Version Version // the stored version, for SaveGroup
	Rev     Rev     // the directory revision Group was reconciled with
}

// CreateGroup stores g under id, at version 1. It fails with an error
// wrapping [ErrConflict] if a group with that id exists, and with one
// wrapping [extlink.ErrInvalid] for an empty or malformed id or a zero
// Group. id is any non-empty valid UTF-8 text without NUL bytes, at most
// 1,024 bytes, compared by its bytes.
func (db *DB) CreateGroup(ctx context.Context, id string, g extlink.Group) (Version, error) {
	state, err := groupText(id, g)
	if err != nil {
		return 0, err
	}
	res, err := db.sql.ExecContext(ctx, db.d.q(`INSERT INTO extlink_groups (id, state, version) VALUES (?, ?, 1) ON CONFLICT (id) DO NOTHING`), id, state)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: create group %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, fmt.Errorf("sqlstore: create group %q: %w", id, err)
	} else if n == 0 {
		return 0, fmt.Errorf("sqlstore: create group %q: %w: it exists already", id, ErrConflict)
	}
	return 1, nil
}

// Group returns the group stored under id, reconciled with the directory
// at the latest revision, and its version; [DB.LoadGroup] also says what
// reconciling removed. It fails with an error wrapping [ErrNotFound] if
// there is no such group.
func (db *DB) Group(ctx context.Context, id string) (extlink.Group, Version, error) {
	lg, err := db.LoadGroup(ctx, id)
	return lg.Group, lg.Version, err
}

// LoadGroup reads the group stored under id and reconciles it with the
// directory at the latest revision (which the DB brings up to date from
// the change log; the first call reads every table). It fails with an
// error wrapping [ErrNotFound] if there is no such group.
func (db *DB) LoadGroup(ctx context.Context, id string) (LoadedGroup, error) {
	s, err := db.latest(ctx)
	if err != nil {
		return LoadedGroup{}, fmt.Errorf("sqlstore: load group %q: %w", id, err)
	}
	stored, v, err := db.readGroup(ctx, id)
	if err != nil {
		return LoadedGroup{}, err
	}
	g := extlink.Reconcile(s.dir, stored)
	lg := LoadedGroup{Group: g, Stored: stored, Version: v, Rev: s.rev}
	if !g.Equal(stored) {
		for _, m := range stored.Members() {
			if !g.Has(m) {
				lg.Removed = append(lg.Removed, m)
			}
		}
	}
	return lg, nil
}

// readGroup reads and restores the group stored under id.
func (db *DB) readGroup(ctx context.Context, id string) (extlink.Group, Version, error) {
	var text string
	var v Version
	err := db.sql.QueryRowContext(ctx, db.d.q(`SELECT state, version FROM extlink_groups WHERE id = ?`), id).Scan(&text, &v)
	if errors.Is(err, sql.ErrNoRows) {
		return extlink.Group{}, 0, fmt.Errorf("sqlstore: load group %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return extlink.Group{}, 0, fmt.Errorf("sqlstore: load group %q: %w", id, err)
	}
	var st extlink.GroupState
	if err := json.Unmarshal([]byte(text), &st); err != nil {
		return extlink.Group{}, 0, fmt.Errorf("sqlstore: load group %q: bad state: %w", id, err)
	}
	g, err := extlink.RestoreGroup(st)
	if err != nil {
		return extlink.Group{}, 0, fmt.Errorf("sqlstore: load group %q: %w", id, err)
	}
	return g, v, nil
}

// latest returns the DB's directory brought up to the latest revision
// through the change log.
func (db *DB) latest(ctx context.Context) (*snapshot, error) {
	s, err := db.current(ctx)
	if err != nil {
		return nil, err
	}
	var head Rev
	if err := db.sql.QueryRowContext(ctx, `SELECT rev FROM extlink_head WHERE id = 1`).Scan(&head); err != nil {
		return nil, fmt.Errorf("read the head revision: %w", err)
	}
	if s.rev >= head {
		return s, nil
	}
	return db.reach(ctx, db.sql, s, head)
}

// SaveGroup stores g under id if the stored version is still prev, and
// returns the new version (prev+1). It fails with an error wrapping
// [ErrConflict] if the group was saved since prev was read, and with one
// wrapping [ErrNotFound] if there is no such group.
func (db *DB) SaveGroup(ctx context.Context, id string, g extlink.Group, prev Version) (Version, error) {
	state, err := groupText(id, g)
	if err != nil {
		return 0, err
	}
	res, err := db.sql.ExecContext(ctx, db.d.q(`UPDATE extlink_groups SET state = ?, version = version + 1 WHERE id = ? AND version = ?`), state, id, int64(prev))
	if err != nil {
		return 0, fmt.Errorf("sqlstore: save group %q: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlstore: save group %q: %w", id, err)
	}
	if n == 1 {
		return prev + 1, nil
	}
	var cur Version
	err = db.sql.QueryRowContext(ctx, db.d.q(`SELECT version FROM extlink_groups WHERE id = ?`), id).Scan(&cur)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("sqlstore: save group %q: %w", id, ErrNotFound)
	case err != nil:
		return 0, fmt.Errorf("sqlstore: save group %q: %w", id, err)
	}
	return 0, fmt.Errorf("sqlstore: save group %q at version %d: %w: it is at version %d", id, prev, ErrConflict, cur)
}

// UpdateGroup loads the group stored under id (reconciled, as
// [DB.Group] returns it), calls f on it and saves what f returns; if
// another writer saved the group in between, it loads it again and calls
// f again, until a save succeeds or ctx is done. f may thus run more than
// once and should have no other effect. An error from f stops it and is
// returned as is. It returns the group saved and its version.
func (db *DB) UpdateGroup(ctx context.Context, id string, f func(extlink.Group) (extlink.Group, error)) (extlink.Group, Version, error) {
	wait := time.Millisecond
	for {
		g, v, err := db.Group(ctx, id)
		if err != nil {
			return extlink.Group{}, 0, err
		}
		ng, err := f(g)
		if err != nil {
			return extlink.Group{}, 0, err
		}
		nv, err := db.SaveGroup(ctx, id, ng, v)
		if err == nil {
			return ng, nv, nil
		}
		if !errors.Is(err, ErrConflict) {
			return extlink.Group{}, 0, err
		}
		t := time.NewTimer(rand.N(wait) + time.Microsecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return extlink.Group{}, 0, fmt.Errorf("sqlstore: update group %q: %w", id, ctx.Err())
		case <-t.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// DeleteGroup deletes the group stored under id if its version is still
// prev. It fails with an error wrapping [ErrConflict] or [ErrNotFound] as
// [DB.SaveGroup] does.
func (db *DB) DeleteGroup(ctx context.Context, id string, prev Version) error {
	res, err := db.sql.ExecContext(ctx, db.d.q(`DELETE FROM extlink_groups WHERE id = ? AND version = ?`), id, int64(prev))
	if err != nil {
		return fmt.Errorf("sqlstore: delete group %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlstore: delete group %q: %w", id, err)
	} else if n == 1 {
		return nil
	}
	if _, _, err := db.readGroup(ctx, id); err != nil {
		return fmt.Errorf("sqlstore: delete group %q: %w", id, ErrNotFound)
	}
	return fmt.Errorf("sqlstore: delete group %q at version %d: %w", id, prev, ErrConflict)
}

// GroupIDs returns the IDs of the stored groups, in increasing byte order.
func (db *DB) GroupIDs(ctx context.Context) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id FROM extlink_groups`)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list groups: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: list groups: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list groups: %w", err)
	}
	slices.Sort(ids) // Go's string order: bytes (R26), whatever the database's collation
	return ids, nil
}

// groupText checks id and g and returns g's state as the JSON stored.
func groupText(id string, g extlink.Group) (string, error) {
	switch {
	case id == "" || len(id) > 1024 || !utf8.ValidString(id) || strings.ContainsRune(id, 0):
		return "", fmt.Errorf("sqlstore: group ID %q: %w: want non-empty valid UTF-8 without NUL, at most 1,024 bytes", id, extlink.ErrInvalid)
	}
	if g.Equal(extlink.Group{}) { // RestoreGroup takes it back, but it is no group to store
		return "", fmt.Errorf("sqlstore: group %q: %w: the zero Group is no group", id, extlink.ErrInvalid)
	}
	st := g.State()
	if _, err := extlink.RestoreGroup(st); err != nil {
		return "", fmt.Errorf("sqlstore: group %q: %w: %w", id, extlink.ErrInvalid, err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("sqlstore: group %q: %w", id, err)
	}
	return string(b), nil
}
