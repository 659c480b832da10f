package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/extlink/extlink"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Directory reads the whole directory, at the latest revision, from the
// tables, and returns it with its revision. It reads every row, so it
// costs time and memory in proportion to the directory (BENCHMARKS.md has
// the figures for a million users); to keep a current directory at the
// cost of the changes only, use [DB.Follow].
//
// It reads the users and the links at once, on two connections, each in a
// read transaction that also reads the head revision; if a writer
// committed in between, so that the two disagree, it reads again, and in
// the end reads everything in one transaction.
func (db *DB) Directory(ctx context.Context) (*extlink.Directory, Rev, error) {
	d, rev, err := db.load(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: read the directory from %s: %w", db.dsn, err)
	}
	db.offer(&snapshot{d, rev})
	return d, rev, nil
}

// people is what the first half of a load reads: the head, the tenants
// and the users, with their surrogate keys.
type people struct {
	rev     Rev
	nlinks  int // the head's count, a capacity hint
	tenants []extlink.Tenant
	users   []extlink.User
	keys    []int64 // keys[i] is users[i]'s n, increasing

	tenantIDs map[string]extlink.TenantID
}

func (db *DB) readTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.d.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every statement
	}
	tx, err := db.sql.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) load(ctx context.Context) (*extlink.Directory, Rev, error) {
	tries := 3
	if db.testOneTxLoad {
		tries = 0
	}
	for range tries {
		type half struct {
			rev   Rev
			pairs []int64
			err   error
		}
		ch := make(chan half, 1)
		go func() {
			var h half
			if db.d.name == "postgres" {
				h.rev, h.pairs, h.err = db.readLinksPG(ctx)
				ch <- h
				return
			}
			h.err = db.readTx(ctx, func(tx *sql.Tx) error {
				var nlinks int
				if err := tx.QueryRowContext(ctx, `SELECT rev, links FROM extlink_head WHERE id = 1`).Scan(&h.rev, &nlinks); err != nil {
					return fmt.Errorf("read the head revision: %w", err)
				}
				var err error
				h.pairs, err = readLinks(ctx, tx, db.d, nlinks)
				return err
			})
			ch <- h
		}()
		var p *people
		var err error
		if db.d.name == "postgres" {
			p, err = db.readPeoplePG(ctx)
		} else {
			err = db.readTx(ctx, func(tx *sql.Tx) error {
				var err error
				p, err = readPeople(ctx, tx, db.d)
				return err
			})
		}
		h := <-ch
		switch {
		case err != nil:
			return nil, 0, err
		case h.err != nil:
			return nil, 0, h.err
		case h.rev == p.rev:
			return build(p, h.pairs)
		}
		db.loadRetries.Add(1)
	}
	var p *people
	var pairs []int64
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = readPeople(ctx, tx, db.d); err != nil {
			return err
		}
		pairs, err = readLinks(ctx, tx, db.d, p.nlinks)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return build(p, pairs)
}

// index prepares addUser: it maps each tenant's ID to itself, so that
// users share their tenant's ID string.
func (p *people) index() {
	p.tenantIDs = make(map[string]extlink.TenantID, len(p.tenants))
	for _, t := range p.tenants {
		p.tenantIDs[string(t.ID)] = t.ID
	}
}

// addUser adds the user of one row, given as raw bytes (tenant nil for
// NULL): its ID and name are copied, one allocation each.
func (p *people) addUser(n int64, id, name, tenant []byte, kind extlink.Kind, role extlink.Role, connected bool) error {
	u := extlink.User{ID: extlink.UserID(id), Name: string(name), Kind: kind, Role: role, Connected: connected}
	if tenant != nil {
		t, ok := p.tenantIDs[string(tenant)]
		if !ok {
			return fmt.Errorf("read user %q: unknown tenant %q", u.ID, tenant)
		}
		u.Tenant = t
	}
	p.users = append(p.users, u)
	p.keys = append(p.keys, n)
	return nil
}

// readPeople reads the head, the tenants and the users in tx.
func readPeople(ctx context.Context, tx *sql.Tx, d *dialect) (*people, error) {
	p := &people{}
	var nusers, ntenants int
	if err := tx.QueryRowContext(ctx, `SELECT rev, users, tenants, links FROM extlink_head WHERE id = 1`).Scan(&p.rev, &nusers, &ntenants, &p.nlinks); err != nil {
		return nil, fmt.Errorf("read the head revision: %w", err)
	}
	p.tenants = make([]extlink.Tenant, 0, ntenants)
	rows, err := tx.QueryContext(ctx, `SELECT id, name, works, line, no_calls, members_create_groups, members_leave_groups FROM extlink_tenants`)
	if err != nil {
		return nil, fmt.Errorf("read the tenants: %w", err)
	}
	for rows.Next() {
		var t extlink.Tenant
		var works, line sql.RawBytes
		if err := rows.Scan(&t.ID, &t.Name, &works, &line, &t.Policy.NoCalls, &t.Policy.MembersCreateGroups, &t.Policy.MembersLeaveGroups); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the tenants: %w", err)
		}
		if err := t.Policy.Works.UnmarshalText(works); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read tenant %q: works: %w", t.ID, err)
		}
		if err := t.Policy.LINE.UnmarshalText(line); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read tenant %q: line: %w", t.ID, err)
		}
		p.tenants = append(p.tenants, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the tenants: %w", err)
	}

	p.users = make([]extlink.User, 0, nusers)
	p.keys = make([]int64, 0, nusers)
	// Kind, role and connected in one column (SQLite's cost is a column's):
	// the CHECK constraints allow no other words.
	flagsCol := `(kind = 'line') + 2 * (role = 'admin') + 4 * connected`
	if d.name == "postgres" {
		flagsCol = `(kind = 'line')::int + 2 * (role = 'admin')::int + 4 * connected::int`
	}
	rows, err = tx.QueryContext(ctx, `SELECT n, id, name, tenant, `+flagsCol+` FROM extlink_users ORDER BY n`)
	if err != nil {
		return nil, fmt.Errorf("read the users: %w", err)
	}
	p.index()
	var n, flags int64
	var id, name, tenant sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&n, &id, &name, &tenant, &flags); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the users: %w", err)
		}
		if err := p.addUser(n, id, name, tenant, extlink.Kind(flags&1), extlink.Role(flags>>1&1), flags&4 != 0); err != nil {
			rows.Close()
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the users: %w", err)
	}
	return p, nil
}

// readLinks reads every link as the pair of its users' keys, flattened:
// a1, b1, a2, b2, ... On SQLite it reads one row per user, its partners'
// keys joined by commas, a fifth of the rows of one per link (the rows are
// what costs); on PostgreSQL one row per link, which the server sends
// faster than it joins them. capacity is a hint.
func readLinks(ctx context.Context, tx *sql.Tx, d *dialect, capacity int) ([]int64, error) {
	pairs := make([]int64, 0, 2*capacity)
	if d.name == "postgres" {
		rows, err := tx.QueryContext(ctx, `SELECT a, b FROM extlink_links`)
		if err != nil {
			return nil, fmt.Errorf("read the links: %w", err)
		}
		for rows.Next() {
			var a, b int64
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read the links: %w", err)
			}
			pairs = append(pairs, a, b)
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read the links: %w", err)
		}
		return pairs, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT a, group_concat(b) FROM extlink_links GROUP BY a`)
	if err != nil {
		return nil, fmt.Errorf("read the links: %w", err)
	}
	for rows.Next() {
		var a int64
		var bs sql.RawBytes
		if err := rows.Scan(&a, &bs); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the links: %w", err)
		}
		for len(bs) > 0 {
			var b int64
			i := 0
			for ; i < len(bs) && bs[i] != ','; i++ {
				c := bs[i]
				if c < '0' || c > '9' {
					rows.Close()
					return nil, fmt.Errorf("read the links: user key %d: bad list %q", a, bs)
				}
				b = b*10 + int64(c-'0')
			}
			if i == 0 {
				rows.Close()
				return nil, fmt.Errorf("read the links: user key %d: bad list %q", a, bs)
			}
			bs = bs[min(i+1, len(bs)):]
			pairs = append(pairs, a, b)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the links: %w", err)
	}
	return pairs, nil
}

// rawPG runs f on a pgx connection of db's pool, in a read-only
// repeatable-read transaction.
func (db *DB) rawPG(ctx context.Context, f func(c *pgx.Conn, tx pgx.Tx) error) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		c := sc.Conn()
		tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if err := f(c, tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// readPeoplePG reads what readPeople does through pgx itself, the users'
// columns as raw bytes.
func (db *DB) readPeoplePG(ctx context.Context) (*people, error) {
	p := &people{}
	err := db.rawPG(ctx, func(c *pgx.Conn, tx pgx.Tx) error {
		var nusers, ntenants int
		if err := tx.QueryRow(ctx, `SELECT rev, users, tenants, links FROM extlink_head WHERE id = 1`).Scan(&p.rev, &nusers, &ntenants, &p.nlinks); err != nil {
			return fmt.Errorf("read the head revision: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT id, name, works, line, no_calls, members_create_groups, members_leave_groups FROM extlink_tenants`)
		if err != nil {
			return fmt.Errorf("read the tenants: %w", err)
		}
		p.tenants = make([]extlink.Tenant, 0, ntenants)
		for rows.Next() {
			var t extlink.Tenant
			var id, works, line string
			if err := rows.Scan(&id, &t.Name, &works, &line, &t.Policy.NoCalls, &t.Policy.MembersCreateGroups, &t.Policy.MembersLeaveGroups); err != nil {
				rows.Close()
				return fmt.Errorf("read the tenants: %w", err)
			}
			t.ID = extlink.TenantID(id)
			if err := t.Policy.Works.UnmarshalText([]byte(works)); err != nil {
				rows.Close()
				return fmt.Errorf("read tenant %q: works: %w", t.ID, err)
			}
			if err := t.Policy.LINE.UnmarshalText([]byte(line)); err != nil {
				rows.Close()
				return fmt.Errorf("read tenant %q: line: %w", t.ID, err)
			}
			p.tenants = append(p.tenants, t)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read the tenants: %w", err)
		}
		p.index()
		p.users = make([]extlink.User, 0, nusers)
		p.keys = make([]int64, 0, nusers)
		// n and connected in binary, the text columns as text.
		rr := c.PgConn().ExecParams(ctx, `SELECT n, id, name, tenant, kind, role, connected FROM extlink_users ORDER BY n`,
			nil, nil, nil, []int16{1, 0, 0, 0, 0, 0, 1})
		for rr.NextRow() {
			v := rr.Values()
			if len(v) != 7 || len(v[0]) != 8 || len(v[6]) != 1 {
				rr.Close()
				return fmt.Errorf("read the users: unexpected row %q", v)
			}
			var kind extlink.Kind
			var role extlink.Role
			if err := kind.UnmarshalText(v[4]); err != nil {
				rr.Close()
				return fmt.Errorf("read user %q: %w", v[1], err)
			}
			if err := role.UnmarshalText(v[5]); err != nil {
				rr.Close()
				return fmt.Errorf("read user %q: %w", v[1], err)
			}
			if err := p.addUser(int64(binary.BigEndian.Uint64(v[0])), v[1], v[2], v[3], kind, role, v[6][0] != 0); err != nil {
				rr.Close()
				return err
			}
		}
		if _, err := rr.Close(); err != nil {
			return fmt.Errorf("read the users: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// readLinksPG reads the head revision and every link as readLinks does,
// in one transaction, through pgx itself: the keys arrive in binary and are
// decoded without an allocation a row, which database/sql's row values
// would cost.
func (db *DB) readLinksPG(ctx context.Context) (Rev, []int64, error) {
	var rev Rev
	var pairs []int64
	err := db.rawPG(ctx, func(c *pgx.Conn, tx pgx.Tx) error {
		var nlinks int
		if err := tx.QueryRow(ctx, `SELECT rev, links FROM extlink_head WHERE id = 1`).Scan(&rev, &nlinks); err != nil {
			return fmt.Errorf("read the head revision: %w", err)
		}
		pairs = make([]int64, 0, 2*nlinks)
		rr := c.PgConn().ExecParams(ctx, `SELECT a, b FROM extlink_links`, nil, nil, nil, []int16{1})
		for rr.NextRow() {
			v := rr.Values()
			if len(v) != 2 || len(v[0]) != 8 || len(v[1]) != 8 {
				rr.Close()
				return fmt.Errorf("read the links: unexpected row %x", v)
			}
			pairs = append(pairs, int64(binary.BigEndian.Uint64(v[0])), int64(binary.BigEndian.Uint64(v[1])))
		}
		if _, err := rr.Close(); err != nil {
			return fmt.Errorf("read the links: %w", err)
		}
		return nil
	})
	return rev, pairs, err
}

// build turns the links' keys into IDs and builds the directory.
func build(p *people, pairs []int64) (*extlink.Directory, Rev, error) {
	users, keys := p.users, p.keys
	// Through a dense table when the keys are dense (the usual case), else
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
	links := make([]extlink.Link, len(pairs)/2)
	for i := range links {
		a, b := pairs[2*i], pairs[2*i+1]
		ida, oka := resolve(a)
		idb, okb := resolve(b)
		if !oka || !okb {
			return nil, 0, fmt.Errorf("read the links: link (%d, %d) names a user key not in extlink_users", a, b)
		}
		links[i] = extlink.Link{A: ida, B: idb}
	}
	d, err := extlink.NewDirectory(p.tenants, users, links)
	if err != nil {
		return nil, 0, fmt.Errorf("the tables hold an invalid directory: %w", err)
	}
	return d, p.rev, nil
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
