package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/extlink/extlink"
)

// Apply applies one batch of changes: it checks them exactly as
// [extlink.Directory.With] does, against the directory at the latest
// revision, and if they pass writes them, to the tables and as one entry
// of the change log, in one transaction, and returns the new revision. A
// bad batch writes nothing and returns With's *[extlink.ChangeError]
// (which wraps [extlink.ErrInvalid]); so does a name the database cannot
// store (not valid UTF-8, or holding a NUL byte). An empty batch writes
// nothing and returns the latest revision.
//
// Writers serialize, in one process or several: each holds the database's
// write lock (a lock on the head row on PostgreSQL, BEGIN IMMEDIATE on
// SQLite) while it brings its directory up to the latest revision from
// the change log, checks the batch and writes it, so revisions are
// contiguous. If Apply returns an error other than a ChangeError, the batch
// may or may not have been committed (the connection may have failed
// during the commit): read the log or the directory to know.
func (db *DB) Apply(ctx context.Context, changes ...extlink.Change) (Rev, error) {
	rev, err := db.apply(ctx, changes)
	var ce *extlink.ChangeError
	if err != nil && !errors.As(err, &ce) {
		err = fmt.Errorf("sqlstore: apply a batch of %d changes to %s: %w", len(changes), db.dsn, err)
	}
	return rev, err
}

func (db *DB) apply(ctx context.Context, changes []extlink.Change) (Rev, error) {
	if db.isClosed() {
		return 0, ErrClosed
	}
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	s, err := db.current(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var head Rev
	if err := tx.QueryRowContext(ctx, `SELECT rev FROM extlink_head WHERE id = 1`+db.d.forUpdate).Scan(&head); err != nil {
		return 0, fmt.Errorf("read the head revision: %w", err)
	}
	if s, err = db.reach(ctx, tx, s, head); err != nil {
		return 0, err
	}
	if len(changes) == 0 {
		return head, nil
	}
	next, err := s.dir.With(changes...)
	if err != nil {
		return 0, err
	}
	texts, err := encodeChanges(changes)
	if err != nil {
		return 0, err
	}
	rev := head + 1
	w := &writer{ctx: ctx, tx: tx, d: db.d}
	for _, c := range changes {
		if err := w.change(c); err != nil {
			return 0, err
		}
	}
	if err := w.flush(); err != nil {
		return 0, err
	}
	if err := w.log(rev, texts); err != nil {
		return 0, err
	}
	users, tenants, links := next.Len()
	if _, err := tx.ExecContext(ctx, db.d.q(`UPDATE extlink_head SET rev = ?, users = ?, tenants = ?, links = ? WHERE id = 1`), int64(rev), users, tenants, links); err != nil {
		return 0, fmt.Errorf("advance the head to revision %d: %w", rev, err)
	}
	if db.d.name == "postgres" {
		// Sent at commit, to every session listening (Live).
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify('extlink_log', $1)`, strconv.FormatInt(int64(rev), 10)); err != nil {
			return 0, fmt.Errorf("notify: %w", err)
		}
	}
	if h := db.testHookBeforeCommit; h != nil {
		if err := h(ctx, tx); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit revision %d: %w", rev, err)
	}
	db.offer(&snapshot{next, rev})
	db.pokeLives()
	return rev, nil
}

// current returns the DB's cached snapshot, reading the tables for it the
// first time.
func (db *DB) current(ctx context.Context) (*snapshot, error) {
	if s := db.snap.Load(); s != nil {
		return s, nil
	}
	if _, _, err := db.Directory(ctx); err != nil {
		return nil, err
	}
	return db.snap.Load(), nil
}

// reach brings s to revision head by reading the change log in q, and
// offers the result to db.
func (db *DB) reach(ctx context.Context, q querier, s *snapshot, head Rev) (*snapshot, error) {
	switch {
	case s.rev > head:
		return nil, fmt.Errorf("the database is at revision %d, behind revision %d, which this DB has seen: was it restored from an older copy? Open it anew", head, s.rev)
	case s.rev == head:
		return s, nil
	}
	s, err := catchUp(ctx, q, db.d, s, head, nil)
	if err != nil {
		return nil, err
	}
	if s.rev != head {
		return nil, fmt.Errorf("the change log ends at revision %d, before the head's %d", s.rev, head)
	}
	db.offer(s)
	return s, nil
}

// encodeChanges returns each change as the JSON the log stores. It refuses,
// with a ChangeError, a name the database cannot store or JSON cannot carry
// unchanged: not valid UTF-8, or holding a NUL byte.
func encodeChanges(changes []extlink.Change) ([]string, error) {
	texts := make([]string, len(changes))
	var probs []extlink.Problem
	for i, c := range changes {
		for _, n := range []struct{ field, name, id string }{
			{"Tenant.Name", c.Tenant.Name, string(c.Tenant.ID)},
			{"User.Name", c.User.Name, string(c.User.ID)},
		} {
			if !utf8.ValidString(n.name) || strings.ContainsRune(n.name, 0) {
				probs = append(probs, extlink.Problem{Record: "change", Index: i, ID: n.id, Field: n.field,
					Msg: "a name the database cannot store: not valid UTF-8, or holding a NUL byte"})
			}
		}
		b, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("encode change %d: %w", i, err)
		}
		texts[i] = string(b)
	}
	if len(probs) > 0 {
		return nil, &extlink.ChangeError{Problems: probs}
	}
	return texts, nil
}

// writer writes a batch's changes to the tables, in order, gathering runs
// of added tenants, users and links into multi-row inserts. It gives each
// new user the next surrogate key itself (writers are serialized), and
// keeps the keys it has given or looked up, so that a link is written as
// two keys without a join.
type writer struct {
	ctx     context.Context
	tx      *sql.Tx
	d       *dialect
	op      extlink.ChangeOp // of the pending rows, or 0
	pending []extlink.Change
	last    int64 // the last user key given, once read
	hasLast bool
	keys    map[extlink.UserID]int64
}

// width is the number of parameters a row of an insert run takes.
func width(op extlink.ChangeOp) int {
	switch op {
	case extlink.ChangeAddTenant:
		return 7
	case extlink.ChangeAddUser:
		return 7
	}
	return 2
}

// runRows is the most rows one insert statement of op writes: on
// PostgreSQL users and links go as arrays, one parameter a column.
func (d *dialect) runRows(op extlink.ChangeOp) int {
	if d.arrays && op != extlink.ChangeAddTenant {
		return 10000
	}
	return min(1000, d.maxParams/width(op))
}

func (w *writer) change(c extlink.Change) error {
	switch c.Op {
	case extlink.ChangeAddTenant, extlink.ChangeAddUser, extlink.ChangeAddLink:
		if w.op != c.Op || len(w.pending) >= w.d.runRows(c.Op) {
			if err := w.flush(); err != nil {
				return err
			}
		}
		w.op = c.Op
		w.pending = append(w.pending, c)
		return nil
	}
	if err := w.flush(); err != nil {
		return err
	}
	switch c.Op {
	case extlink.ChangeRemoveTenant:
		return w.exec1(c, `DELETE FROM extlink_tenants WHERE id = ?`, string(c.Tenant.ID))
	case extlink.ChangePolicy:
		p := c.Tenant.Policy
		return w.exec1(c, `UPDATE extlink_tenants SET works = ?, line = ?, no_calls = ?, members_create_groups = ?, members_leave_groups = ? WHERE id = ?`,
			p.Works.String(), p.LINE.String(), p.NoCalls, p.MembersCreateGroups, p.MembersLeaveGroups, string(c.Tenant.ID))
	case extlink.ChangeSetUser:
		u := c.User
		return w.exec1(c, `UPDATE extlink_users SET name = ?, tenant = ?, kind = ?, role = ?, connected = ? WHERE id = ?`,
			u.Name, tenantArg(u.Tenant), u.Kind.String(), u.Role.String(), u.Connected, string(u.ID))
	case extlink.ChangeRemoveUser:
		if err := w.resolve(c.User.ID); err != nil {
			return fmt.Errorf("%s: %w", c, err)
		}
		k := w.keys[c.User.ID]
		for _, q := range []string{`DELETE FROM extlink_links WHERE a = ?`, `DELETE FROM extlink_links WHERE b = ?`} {
			if _, err := w.tx.ExecContext(w.ctx, w.d.q(q), k); err != nil {
				return fmt.Errorf("%s: %w", c, err)
			}
		}
		delete(w.keys, c.User.ID)
		return w.exec1(c, `DELETE FROM extlink_users WHERE n = ?`, k)
	case extlink.ChangeConnected:
		return w.exec1(c, `UPDATE extlink_users SET connected = ? WHERE id = ?`, c.User.Connected, string(c.User.ID))
	case extlink.ChangeRemoveLink:
		a, b := ordered(c.Link)
		if err := w.resolve(a, b); err != nil {
			return fmt.Errorf("%s: %w", c, err)
		}
		return w.exec1(c, `DELETE FROM extlink_links WHERE a = ? AND b = ?`, w.keys[a], w.keys[b])
	}
	return fmt.Errorf("%s: unknown op", c)
}

// resolve looks up the keys of the users not yet in w.keys, in one query
// per few hundred.
func (w *writer) resolve(ids ...extlink.UserID) error {
	if w.keys == nil {
		w.keys = map[extlink.UserID]int64{}
	}
	var missing []any
	seen := map[extlink.UserID]bool{}
	for _, id := range ids {
		if _, ok := w.keys[id]; !ok && !seen[id] {
			seen[id] = true
			missing = append(missing, string(id))
		}
	}
	for start := 0; start < len(missing); start += 500 {
		part := missing[start:min(start+500, len(missing))]
		query := `SELECT id, n FROM extlink_users WHERE id IN (?` + strings.Repeat(", ?", len(part)-1) + `)`
		rows, err := w.tx.QueryContext(w.ctx, w.d.q(query), part...)
		if err != nil {
			return fmt.Errorf("look up %d users' keys: %w", len(part), err)
		}
		for rows.Next() {
			var id extlink.UserID
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return fmt.Errorf("look up %d users' keys: %w", len(part), err)
			}
			w.keys[id] = n
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("look up %d users' keys: %w", len(part), err)
		}
	}
	for _, id := range ids {
		if _, ok := w.keys[id]; !ok {
			return fmt.Errorf("user %q is not in extlink_users: the tables disagree with the change log", id)
		}
	}
	return nil
}

// newKey returns the next user key.
func (w *writer) newKey() (int64, error) {
	if !w.hasLast {
		if err := w.tx.QueryRowContext(w.ctx, `SELECT coalesce(max(n), 0) FROM extlink_users`).Scan(&w.last); err != nil {
			return 0, fmt.Errorf("read the last user key: %w", err)
		}
		w.hasLast = true
	}
	w.last++
	return w.last, nil
}

// exec1 runs a statement that must change exactly one row: any other count
// means the tables and the change log disagree, and the batch is refused.
func (w *writer) exec1(c extlink.Change, query string, args ...any) error {
	res, err := w.tx.ExecContext(w.ctx, w.d.q(query), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", c, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", c, err)
	} else if n != 1 {
		return fmt.Errorf("%s: changed %d rows, not 1: the tables disagree with the change log", c, n)
	}
	return nil
}

// flush writes the pending run of inserts.
func (w *writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	cs, op := w.pending, w.op
	w.pending, w.op = w.pending[:0], 0
	var b strings.Builder
	args := make([]any, 0, len(cs)*width(op))
	row := func(i int, tuple string) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	switch op {
	case extlink.ChangeAddTenant:
		b.WriteString(`INSERT INTO extlink_tenants (id, name, works, line, no_calls, members_create_groups, members_leave_groups) VALUES `)
		for i, c := range cs {
			row(i, "(?, ?, ?, ?, ?, ?, ?)")
			t := c.Tenant
			args = append(args, string(t.ID), t.Name, t.Policy.Works.String(), t.Policy.LINE.String(), t.Policy.NoCalls, t.Policy.MembersCreateGroups, t.Policy.MembersLeaveGroups)
		}
	case extlink.ChangeAddUser:
		if w.keys == nil {
			w.keys = map[extlink.UserID]int64{}
		}
		if w.d.arrays {
			return w.flushUserArrays(cs)
		}
		b.WriteString(`INSERT INTO extlink_users (n, id, name, tenant, kind, role, connected) VALUES `)
		for i, c := range cs {
			k, err := w.newKey()
			if err != nil {
				return err
			}
			row(i, "(?, ?, ?, ?, ?, ?, ?)")
			u := c.User
			w.keys[u.ID] = k
			args = append(args, k, string(u.ID), u.Name, tenantArg(u.Tenant), u.Kind.String(), u.Role.String(), u.Connected)
		}
	case extlink.ChangeAddLink:
		ends := make([]extlink.UserID, 0, 2*len(cs))
		for _, c := range cs {
			ends = append(ends, c.Link.A, c.Link.B)
		}
		if err := w.resolve(ends...); err != nil {
			return fmt.Errorf("%s and %d more: %w", cs[0], len(cs)-1, err)
		}
		if w.d.arrays {
			as, bs := make([]int64, len(cs)), make([]int64, len(cs))
			for i, c := range cs {
				a, b := ordered(c.Link)
				as[i], bs[i] = w.keys[a], w.keys[b]
			}
			return w.execRows(cs, len(cs), `INSERT INTO extlink_links (a, b) SELECT * FROM unnest($1::bigint[], $2::bigint[])`, as, bs)
		}
		b.WriteString(`INSERT INTO extlink_links (a, b) VALUES `)
		for i, c := range cs {
			row(i, "(?, ?)")
			a, bb := ordered(c.Link)
			args = append(args, w.keys[a], w.keys[bb])
		}
	}
	return w.execRows(cs, len(cs), w.d.q(b.String()), args...)
}

// flushUserArrays inserts a run of users on PostgreSQL, as arrays.
func (w *writer) flushUserArrays(cs []extlink.Change) error {
	n := len(cs)
	keys, ids, names, kinds, roles := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	tenants, connected := make([]*string, n), make([]bool, n)
	for i, c := range cs {
		k, err := w.newKey()
		if err != nil {
			return err
		}
		u := c.User
		w.keys[u.ID] = k
		keys[i], ids[i], names[i], kinds[i], roles[i], connected[i] = k, string(u.ID), u.Name, u.Kind.String(), u.Role.String(), u.Connected
		if u.Tenant != "" {
			t := string(u.Tenant)
			tenants[i] = &t
		}
	}
	return w.execRows(cs, n, `INSERT INTO extlink_users (n, id, name, tenant, kind, role, connected)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])`,
		keys, ids, names, tenants, kinds, roles, connected)
}

// execRows runs an insert of the changes cs that must write want rows.
func (w *writer) execRows(cs []extlink.Change, want int, query string, args ...any) error {
	res, err := w.tx.ExecContext(w.ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s and %d more: %w", cs[0], len(cs)-1, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s and %d more: %w", cs[0], len(cs)-1, err)
	} else if n != int64(want) {
		return fmt.Errorf("%s and %d more: inserted %d rows, not %d: the tables disagree with the change log", cs[0], len(cs)-1, n, want)
	}
	return nil
}

// log writes the batch's entry of the change log: one row per change.
func (w *writer) log(rev Rev, texts []string) error {
	if w.d.arrays {
		for start := 0; start < len(texts); start += 10000 {
			end := min(start+10000, len(texts))
			if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO extlink_log (rev, seq, change) SELECT $1, $3::bigint + s - 1, c FROM unnest($2::text[]) WITH ORDINALITY AS u (c, s)`,
				int64(rev), texts[start:end], int64(start)); err != nil {
				return fmt.Errorf("write revision %d to the change log: %w", rev, err)
			}
		}
		return nil
	}
	const per = 500
	for start := 0; start < len(texts); start += per {
		end := min(start+per, len(texts))
		var b strings.Builder
		b.WriteString(`INSERT INTO extlink_log (rev, seq, change) VALUES `)
		args := make([]any, 0, 3*(end-start))
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, int64(rev), i, texts[i])
		}
		if _, err := w.tx.ExecContext(w.ctx, w.d.q(b.String()), args...); err != nil {
			return fmt.Errorf("write revision %d to the change log: %w", rev, err)
		}
	}
	return nil
}

// ordered returns l's ends in increasing ID order, as the links table
// holds them.
func ordered(l extlink.Link) (extlink.UserID, extlink.UserID) {
	if l.B < l.A {
		return l.B, l.A
	}
	return l.A, l.B
}

// tenantArg is a user's tenant as a column value: NULL for a LINE user.
func tenantArg(t extlink.TenantID) any {
	if t == "" {
		return nil
	}
	return string(t)
}
