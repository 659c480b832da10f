package main

import (
	"os"
	"sync"
	"testing"

	"github.com/extlink/extlink/sqlstore/pgtest"
)

// The command's -db tests against PostgreSQL run on a throwaway server
// that package pgtest starts, as sqlstore's tests do: initdb into a
// temporary directory, a server on a unix socket only, stopped when the
// tests end. They run only when asked: EXTLINK_PG=1 (or CI=true, as in
// .ci/run) runs them and makes a server that cannot start a failure;
// unset, they skip saying so.

var (
	pgOnce   sync.Once
	pg       *pgtest.Server
	pgReason string // why there is no server
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pg != nil {
		pg.Close()
	}
	os.Exit(code)
}

// needPG returns the test server, started on first use, or skips t (fails
// it, when EXTLINK_PG=1 or CI=true) saying how to run the test.
func needPG(t *testing.T) *pgtest.Server {
	t.Helper()
	if !pgtest.Required() {
		t.Skip("PostgreSQL tests not run: set EXTLINK_PG=1 to run them on a throwaway server; " + pgtest.Hint)
	}
	pgOnce.Do(func() {
		s, err := pgtest.Start("extlink-cmd-pg-")
		if err != nil {
			pgReason = err.Error()
			return
		}
		pg = s
		pg.CloseOnInterrupt()
	})
	if pg == nil {
		t.Fatalf("PostgreSQL tests: no server: %s; %s", pgReason, pgtest.Hint)
	}
	return pg
}
