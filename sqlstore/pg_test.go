package sqlstore

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/extlink/extlink/sqlstore/pgtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL tests run against a throwaway server that TestMain starts
// with package pgtest: initdb into a temporary directory, a server on a
// unix socket only, stopped at the end. They need Debian's postgresql
// package (initdb and pg_ctl) or EXTLINK_PG_BIN naming the directory that
// holds them. EXTLINK_PG=0 skips them; EXTLINK_PG=1 or CI=true makes a
// server that cannot start a failure instead of a skip.

// pgPrefix names the servers' directories, so that Reap finds those of
// killed test processes.
const pgPrefix = "extlink-pg-"

var (
	pg       *pgtest.Server
	pgReason string // why there is no server
)

func TestMain(m *testing.M) {
	pgtest.Reap(pgPrefix)
	if os.Getenv("EXTLINK_PG") == "0" {
		pgReason = "EXTLINK_PG=0"
	} else if s, err := pgtest.Start(pgPrefix); err != nil {
		pgReason = err.Error()
	} else {
		pg = s
		pg.CloseOnInterrupt()
	}
	code := m.Run()
	if pg != nil {
		pg.Close()
	}
	os.Exit(code)
}

// needPG returns the test server, or skips t (fails it, when the tests are
// required) saying how to enable them.
func needPG(t testing.TB) *pgtest.Server {
	t.Helper()
	if pg != nil {
		return pg
	}
	msg := "PostgreSQL tests not run: " + pgReason + "; " + pgtest.Hint
	if pgtest.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return nil
}

// sqlOf returns a plain connection pool to dsn, closed when t ends.
func sqlOf(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	if strings.HasPrefix(dsn, "sqlite:") {
		t.Fatal("sqlOf: PostgreSQL only")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	return db
}
