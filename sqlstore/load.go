package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/extlink/extlink"
)

// Directory reads the whole directory, at the latest revision, from the
// tables in one read transaction, and returns it with its revision. It
// reads every row, so it costs time and memory in proportion to the
// directory (BENCHMARKS.md has the figures for a million users); to keep a
// current directory at the cost of the changes only, use [DB.Follow].
func (db *DB) Directory(ctx context.Context) (*extlink.Directory, Rev, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.d.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every table
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: read the directory from %s: %w", db.dsn, err)
	}
	defer tx.Rollback()
	d, rev, err := loadTables(ctx, tx)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: read the directory from %s: %w", db.dsn, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("sqlstore: read the directory from %s: %w", db.dsn, err)
	}
	db.offer(&snapshot{d, rev})
	return d, rev, nil
}

// loadTables reads the head revision, the tenants, the users and the links
// in tx and builds the directory.
func loadTables(ctx context.Context, tx *sql.Tx) (*extlink.Directory, Rev, error) {
	var rev Rev
	if err := tx.QueryRowContext(ctx, `SELECT rev FROM extlink_head WHERE id = 1`).Scan(&rev); err != nil {
		return nil, 0, fmt.Errorf("read the head revision: %w", err)
	}
	var tenants []extlink.Tenant
	var counts [3]int
	for _, c := range []struct {
		query string
		p     *int
	}{{`SELECT count(*) FROM extlink_tenants`, &counts[0]}, {`SELECT count(*) FROM extlink_users`, &counts[1]}, {`SELECT count(*) FROM extlink_links`, &counts[2]}} {
		if err := tx.QueryRowContext(ctx, c.query).Scan(c.p); err != nil {
			return nil, 0, fmt.Errorf("count the rows: %w", err)
		}
	}
	tenants = make([]extlink.Tenant, 0, counts[0])
	rows, err := tx.QueryContext(ctx, `SELECT id, name, works, line, no_calls, members_create_groups, no_self_leave FROM extlink_tenants`)
	if err != nil {
		return nil, 0, fmt.Errorf("read the tenants: %w", err)
	}
	for rows.Next() {
		var t extlink.Tenant
		var works, line sql.RawBytes
		if err := rows.Scan(&t.ID, &t.Name, &works, &line, &t.Policy.NoCalls, &t.Policy.MembersCreateGroups, &t.Policy.NoSelfLeave); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read the tenants: %w", err)
		}
		if err := t.Policy.Works.UnmarshalText(works); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read tenant %q: works: %w", t.ID, err)
		}
		if err := t.Policy.LINE.UnmarshalText(line); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read tenant %q: line: %w", t.ID, err)
		}
		tenants = append(tenants, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read the tenants: %w", err)
	}

	users := make([]extlink.User, 0, counts[1])
	keys := make([]int64, 0, counts[1]) // keys[i] is users[i]'s n, increasing
	rows, err = tx.QueryContext(ctx, `SELECT n, id, name, tenant, kind, role, connected FROM extlink_users ORDER BY n`)
	if err != nil {
		return nil, 0, fmt.Errorf("read the users: %w", err)
	}
	for rows.Next() {
		var u extlink.User
		var n int64
		var tenant sql.NullString
		var kind, role sql.RawBytes
		if err := rows.Scan(&n, &u.ID, &u.Name, &tenant, &kind, &role, &u.Connected); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read the users: %w", err)
		}
		u.Tenant = extlink.TenantID(tenant.String)
		switch string(kind) {
		case "works":
		case "line":
			u.Kind = extlink.LINEUser
		default:
			rows.Close()
			return nil, 0, fmt.Errorf("read user %q: unknown kind %q", u.ID, kind)
		}
		switch string(role) {
		case "member":
		case "admin":
			u.Role = extlink.Admin
		default:
			rows.Close()
			return nil, 0, fmt.Errorf("read user %q: unknown role %q", u.ID, role)
		}
		users = append(users, u)
		keys = append(keys, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read the users: %w", err)
	}

	// The links hold the users' surrogate keys: map them back to IDs,
	// through a dense table when the keys are dense (the usual case), else
	// by binary search.
	resolve := func(n int64) (extlink.UserID, bool) {
		i, ok := slices.BinarySearch(keys, n)
		if !ok {
			return "", false
		}
		return users[i].ID, true
	}
	if len(keys) > 0 {
		lo, hi := keys[0], keys[len(keys)-1]
		if span := hi - lo + 1; span <= 2*int64(len(keys))+1024 {
			dense := make([]int32, span)
			for i := range dense {
				dense[i] = -1
			}
			for i, n := range keys {
				dense[n-lo] = int32(i)
			}
			resolve = func(n int64) (extlink.UserID, bool) {
				if n < lo || n > hi || dense[n-lo] < 0 {
					return "", false
				}
				return users[dense[n-lo]].ID, true
			}
		}
	}
	links := make([]extlink.Link, 0, counts[2])
	rows, err = tx.QueryContext(ctx, `SELECT a, b FROM extlink_links`)
	if err != nil {
		return nil, 0, fmt.Errorf("read the links: %w", err)
	}
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("read the links: %w", err)
		}
		ida, oka := resolve(a)
		idb, okb := resolve(b)
		if !oka || !okb {
			rows.Close()
			return nil, 0, fmt.Errorf("read the links: link (%d, %d) names a user key not in extlink_users", a, b)
		}
		links = append(links, extlink.Link{A: ida, B: idb})
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read the links: %w", err)
	}
	d, err := extlink.NewDirectory(tenants, users, links)
	if err != nil {
		return nil, 0, fmt.Errorf("the tables hold an invalid directory: %w", err)
	}
	return d, rev, nil
}

// querier is a *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readLog reads the change log after revision after, up to and including
// upto (all of it if upto is 0), and calls f with each revision's batch,
// in order. It checks that the revisions are contiguous from after+1 and
// that each batch's rows are numbered from 0 without a gap, so that no
// revision is skipped or read twice.
func readLog(ctx context.Context, q querier, d *dialect, after, upto Rev, f func(rev Rev, changes []extlink.Change) error) error {
	query, args := `SELECT rev, seq, change FROM extlink_log WHERE rev > ? ORDER BY rev, seq`, []any{int64(after)}
	if upto > 0 {
		query, args = `SELECT rev, seq, change FROM extlink_log WHERE rev > ? AND rev <= ? ORDER BY rev, seq`, []any{int64(after), int64(upto)}
	}
	rows, err := q.QueryContext(ctx, d.q(query), args...)
	if err != nil {
		return fmt.Errorf("read the change log after revision %d: %w", after, err)
	}
	defer rows.Close()
	var batch []extlink.Change
	cur := Rev(0)
	flush := func() error {
		if cur == 0 {
			return nil
		}
		err := f(cur, batch)
		batch = nil
		return err
	}
	for rows.Next() {
		var rev Rev
		var seq int
		var text sql.RawBytes
		if err := rows.Scan(&rev, &seq, &text); err != nil {
			return fmt.Errorf("read the change log after revision %d: %w", after, err)
		}
		if rev != cur {
			if err := flush(); err != nil {
				return err
			}
			want := after + 1
			if cur != 0 {
				want = cur + 1
			}
			if rev != want {
				return fmt.Errorf("the change log skips from revision %d to %d", want-1, rev)
			}
			cur = rev
		}
		if seq != len(batch) {
			return fmt.Errorf("the change log's revision %d has change %d where %d was due", rev, seq, len(batch))
		}
		var c extlink.Change
		if err := json.Unmarshal(text, &c); err != nil {
			return fmt.Errorf("the change log's revision %d, change %d: %w", rev, seq, err)
		}
		batch = append(batch, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the change log after revision %d: %w", after, err)
	}
	return flush()
}

// catchUp applies the change log after s's revision, up to upto (all of it
// if 0), to s's directory, and returns the snapshot reached. onRev, if not
// nil, sees each revision reached.
func catchUp(ctx context.Context, q querier, d *dialect, s *snapshot, upto Rev, onRev func(*snapshot)) (*snapshot, error) {
	err := readLog(ctx, q, d, s.rev, upto, func(rev Rev, changes []extlink.Change) error {
		nd, err := s.dir.With(changes...)
		if err != nil {
			return fmt.Errorf("the change log's revision %d does not apply to revision %d: %w", rev, s.rev, err)
		}
		s = &snapshot{nd, rev}
		if onRev != nil {
			onRev(s)
		}
		return nil
	})
	return s, err
}
