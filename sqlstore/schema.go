package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// schemaVersion is the version of the schema this package writes and
// reads. Open creates the schema in an empty database, migrates an older
// one, and refuses a newer one ([ErrSchema]).
const schemaVersion = 1

// dialect holds what differs between SQLite and PostgreSQL.
type dialect struct {
	name string // "sqlite" or "postgres"
	// ddl creates the schema of version 1, in order.
	ddl []string
	// forUpdate follows the SELECT of the head row inside a write
	// transaction: PostgreSQL locks the row; SQLite's BEGIN IMMEDIATE has
	// taken the write lock already.
	forUpdate string
	// maxParams bounds the parameters of one statement.
	maxParams int
	// arrays: insert runs of rows as one array a column (PostgreSQL).
	arrays bool
	// linksQuery reads the links: for each user with links, the keys of
	// those with a greater ID, joined by commas.
	linksQuery string
}

// The tables, all prefixed with extlink_ so that they can share a database
// with others:
//
//	extlink_schema    one row: the schema version
//	extlink_head      one row: the latest revision, and how many users, tenants and links it has
//	extlink_log       one row per change: (rev, seq) -> the change as JSON
//	extlink_tenants   one row per tenant, the policy in columns
//	extlink_users     one row per user, with a surrogate key n, given by Apply
//	extlink_links     one row per link: the surrogate keys of its two users
//	extlink_groups    one row per group: its GroupState as JSON and a version
//
// IDs are compared by their bytes (R26): COLLATE "C" on PostgreSQL, SQLite's
// default BINARY collation.
func ddl(idType, key, boolType string) []string {
	return []string{
		`CREATE TABLE extlink_head (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			rev BIGINT NOT NULL CHECK (rev >= 0),
			users BIGINT NOT NULL,
			tenants BIGINT NOT NULL,
			links BIGINT NOT NULL)`,
		`INSERT INTO extlink_head (id, rev, users, tenants, links) VALUES (1, 0, 0, 0, 0)`,
		`CREATE TABLE extlink_log (
			rev BIGINT NOT NULL CHECK (rev > 0),
			seq INTEGER NOT NULL CHECK (seq >= 0),
			change TEXT NOT NULL,
			PRIMARY KEY (rev, seq))`,
		`CREATE TABLE extlink_tenants (
			id ` + idType + ` PRIMARY KEY,
			name TEXT NOT NULL,
			works TEXT NOT NULL CHECK (works IN ('off', 'all', 'listed')),
			line TEXT NOT NULL CHECK (line IN ('off', 'all', 'listed')),
			no_calls ` + boolType + ` NOT NULL,
			members_create_groups ` + boolType + ` NOT NULL,
			members_leave_groups ` + boolType + ` NOT NULL)`,
		`CREATE TABLE extlink_users (
			n ` + key + `,
			id ` + idType + ` NOT NULL UNIQUE,
			name TEXT NOT NULL,
			tenant ` + idType + ` REFERENCES extlink_tenants (id),
			kind TEXT NOT NULL CHECK (kind IN ('works', 'line')),
			role TEXT NOT NULL CHECK (role IN ('member', 'admin')),
			connected ` + boolType + ` NOT NULL,
			CHECK ((kind = 'works') = (tenant IS NOT NULL)))`,
		`CREATE INDEX extlink_users_tenant ON extlink_users (tenant)`,
		`CREATE TABLE extlink_links (
			a BIGINT NOT NULL REFERENCES extlink_users (n),
			b BIGINT NOT NULL REFERENCES extlink_users (n),
			PRIMARY KEY (a, b))`,
		`CREATE INDEX extlink_links_b ON extlink_links (b)`,
		`CREATE TABLE extlink_groups (
			id ` + idType + ` PRIMARY KEY,
			state TEXT NOT NULL,
			version BIGINT NOT NULL CHECK (version > 0))`,
	}
}

var (
	sqliteDialect = &dialect{
		name:       "sqlite",
		ddl:        ddl("TEXT", "INTEGER PRIMARY KEY", "BOOLEAN"),
		maxParams:  30000,
		linksQuery: `SELECT a, group_concat(b) FROM extlink_links GROUP BY a`,
	}
	postgresDialect = &dialect{
		name:       "postgres",
		ddl:        ddl(`TEXT COLLATE "C"`, "BIGINT PRIMARY KEY", "BOOLEAN"),
		forUpdate:  " FOR UPDATE",
		maxParams:  60000,
		arrays:     true,
		linksQuery: `SELECT a, string_agg(b::text, ',') FROM extlink_links GROUP BY a`,
	}
)

// q rewrites a query written with ? placeholders for the dialect:
// PostgreSQL numbers them ($1, $2, ...).
func (d *dialect) q(query string) string {
	if d.name != "postgres" || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrate creates the schema in an empty database, or checks the version of
// an existing one. It runs in one transaction; on PostgreSQL an advisory
// lock keeps two processes opening one new database from racing.
func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.name == "postgres" {
		// 0x65786c6e: "exln".
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(1702390894)`); err != nil {
			return fmt.Errorf("lock the schema: %w", err)
		}
	}
	exists, err := tableExists(ctx, tx, d, "extlink_schema")
	if err != nil {
		return fmt.Errorf("look for the schema: %w", err)
	}
	if exists {
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM extlink_schema`).Scan(&v); err != nil {
			return fmt.Errorf("%w: read extlink_schema: %w", ErrSchema, err)
		}
		switch {
		case v > schemaVersion:
			return fmt.Errorf("%w: the database has schema version %d, newer than this sqlstore's (%d): upgrade github.com/extlink/extlink/sqlstore", ErrSchema, v, schemaVersion)
		case v < 1:
			return fmt.Errorf("%w: the database has schema version %d", ErrSchema, v)
		}
		// v == schemaVersion: nothing to migrate yet. A later version
		// adds its steps here, from v up.
		return nil
	}
	if clash, err := tableExists(ctx, tx, d, "extlink_head"); err != nil {
		return fmt.Errorf("look for the schema: %w", err)
	} else if clash {
		return fmt.Errorf("%w: extlink_head exists without extlink_schema", ErrSchema)
	}
	stmts := append([]string{`CREATE TABLE extlink_schema (version INTEGER NOT NULL)`}, d.ddl...)
	stmts = append(stmts, fmt.Sprintf(`INSERT INTO extlink_schema (version) VALUES (%d)`, schemaVersion))
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("create the schema: %w", err)
		}
	}
	return tx.Commit()
}

func tableExists(ctx context.Context, tx *sql.Tx, d *dialect, name string) (bool, error) {
	var n int
	query := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if d.name == "postgres" {
		query = `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	err := tx.QueryRowContext(ctx, d.q(query), name).Scan(&n)
	return n > 0, err
}
