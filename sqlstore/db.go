package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/extlink/extlink"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Rev is a position in the change log: the number of batches applied. It
// is 0 before the first change, and each batch [DB.Apply] accepts takes the
// next one, so revisions are contiguous.
type Rev int64

// DB is an extlink store in a database: the directory (tenants, users,
// links) and its change log, and the groups. It is safe for concurrent use,
// and any number of DBs, in one process or several, may use one database.
//
// A DB keeps the directory at the latest revision it has seen in memory,
// to check batches against it ([DB.Apply]) and to reconcile groups with it
// ([DB.LoadGroup]); it brings it up to date by reading the change log.
type DB struct {
	sql     *sql.DB
	d       *dialect
	dsn     string          // redacted, for errors
	pgcfg   *pgx.ConnConfig // PostgreSQL only, for the LISTEN connection
	writeMu sync.Mutex      // one writer at a time in this process
	snap    atomic.Pointer[snapshot]

	mu     sync.Mutex
	lives  map[*Live]struct{}
	closed bool

	// loadRetries counts the loads read again because a commit landed
	// between their two halves (for tests).
	loadRetries atomic.Int64
	// testOneTxLoad makes Directory read everything in one transaction, as
	// it does after three tries at once disagree (for tests).
	testOneTxLoad bool

	// testHookBeforeCommit, if set, runs inside Apply's transaction after
	// every row is written and before the commit.
	testHookBeforeCommit func(ctx context.Context, tx *sql.Tx) error
}

// snapshot is a directory and the revision it is at.
type snapshot struct {
	dir *extlink.Directory
	rev Rev
}

// Open opens the database that dsn names, creating the schema in an empty
// database and checking the version of an existing one:
//
//	sqlite:PATH                             a SQLite file, created if missing (pure Go, nothing to install)
//	postgres://user:pass@host:port/db?...   a PostgreSQL database (postgresql:// too), as pgx parses it
//
// It fails with an error naming the DSN (its password left out) for an
// unknown scheme, a malformed DSN, a server it cannot reach, or a schema
// that a newer version of this package made ([ErrSchema]). Close the DB
// when done.
func Open(ctx context.Context, dsn string) (*DB, error) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	if !ok {
		return nil, fmt.Errorf("sqlstore: open %q: want sqlite:PATH or postgres://URL", redact(dsn))
	}
	db := &DB{dsn: redact(dsn), lives: map[*Live]struct{}{}}
	switch scheme {
	case "sqlite":
		if err := db.openSQLite(rest); err != nil {
			return nil, err
		}
	case "postgres", "postgresql":
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open %s: bad DSN: %w", db.dsn, err)
		}
		db.d, db.pgcfg = postgresDialect, cfg
		db.sql = stdlib.OpenDB(*cfg)
	default:
		return nil, fmt.Errorf("sqlstore: open %q: unknown scheme %q: want sqlite:PATH or postgres://URL", redact(dsn), scheme)
	}
	if err := db.ping(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("sqlstore: open %s: cannot reach the database: %w", db.dsn, err)
	}
	if err := migrate(ctx, db.sql, db.d); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("sqlstore: open %s: %w", db.dsn, err)
	}
	return db, nil
}

// openSQLite opens the SQLite file at path: WAL mode, so that readers and
// one writer do not block each other, write transactions that take the
// write lock when they begin (so that concurrent writers queue instead of
// failing), a busy timeout, and foreign keys checked.
func (db *DB) openSQLite(path string) error {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return fmt.Errorf("sqlstore: open %q: want sqlite:PATH with the path of a file (no URI, no :memory:)", "sqlite:"+path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return fmt.Errorf("sqlstore: open %q: no directory %s", "sqlite:"+path, filepath.Dir(path))
	}
	v := url.Values{}
	v.Set("_txlock", "immediate")
	v.Add("_pragma", "busy_timeout(30000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "foreign_keys(1)")
	u := url.URL{Scheme: "file", Path: path, RawQuery: v.Encode()}
	if !filepath.IsAbs(path) {
		u = url.URL{Scheme: "file", Opaque: path, RawQuery: v.Encode()}
	}
	s, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("sqlstore: open %q: %w", "sqlite:"+path, err)
	}
	db.sql, db.d = s, sqliteDialect
	return nil
}

// ping connects once. SQLite may refuse a new connection with SQLITE_BUSY
// without waiting for its busy timeout: switching a new file to WAL mode,
// or recovering its WAL index, takes a lock that concurrent openers of the
// same file race for. ping retries those refusals, backing off, for as
// long as the busy timeout (30 s) or until ctx is done.
func (db *DB) ping(ctx context.Context) error {
	const patience = 30 * time.Second
	start, wait := time.Now(), time.Millisecond
	for {
		err := db.sql.PingContext(ctx)
		if err == nil || db.d != sqliteDialect || !sqliteBusy(err) || time.Since(start) > patience {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// sqliteBusy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED,
// extended codes included.
func sqliteBusy(err error) bool {
	var c interface{ Code() int }
	if !errors.As(err, &c) {
		return false
	}
	switch c.Code() & 0xff {
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return true
	}
	return false
}

// redact returns dsn with any password replaced by "xxxxx", for errors.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		// Unparsable: hide whatever sits between "user:" and "@".
		_, rest, ok := strings.Cut(dsn, "://")
		if at := strings.LastIndex(rest, "@"); ok && at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 {
				return dsn[:len(dsn)-len(rest)] + rest[:colon+1] + "xxxxx" + rest[at:]
			}
		}
		return dsn
	}
	if u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// String returns the DSN the DB was opened with, its password left out.
func (db *DB) String() string { return db.dsn }

// SQL returns the database handle, for a service's own tables and queries.
// Do not change extlink's tables (extlink_*) through it: the change log and
// the tables must stay in step.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes every [Live] that follows db, then the database handle.
func (db *DB) Close() error {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil
	}
	db.closed = true
	lives := make([]*Live, 0, len(db.lives))
	for l := range db.lives {
		lives = append(lives, l)
	}
	db.mu.Unlock()
	for _, l := range lives {
		l.Close()
	}
	return db.sql.Close()
}

// offer makes s the DB's cached snapshot if it is newer than the one held.
func (db *DB) offer(s *snapshot) {
	for {
		cur := db.snap.Load()
		if cur != nil && cur.rev >= s.rev {
			return
		}
		if db.snap.CompareAndSwap(cur, s) {
			return
		}
	}
}
