package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The PostgreSQL tests run against a throwaway server that TestMain starts:
// initdb into a temporary directory, a server on a unix socket only,
// stopped at the end. They need Debian's postgresql package (initdb and
// pg_ctl, looked for on PATH and in /usr/lib/postgresql/*/bin) or
// EXTLINK_PG_BIN naming the directory that holds them. As root, the server
// runs as the postgres user (initdb refuses root). EXTLINK_PG=0 skips
// them; EXTLINK_PG=1 or CI=true makes a server that cannot start a failure
// instead of a skip.

// pgServer is the test server.
type pgServer struct {
	bin     string // the directory of initdb, pg_ctl, postgres
	dir     string // the temporary directory: data/, sock/, log
	asUser  string // "postgres" when we are root, else ""
	counter atomic.Int64
}

var (
	pg       *pgServer
	pgReason string // why there is no server
)

func TestMain(m *testing.M) {
	reapPG()
	pg, pgReason = startPG()
	if pg != nil {
		// Interrupted (^C, a timeout's SIGQUIT aside), stop the server too.
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-sig
			pg.stop()
			os.RemoveAll(pg.dir)
			os.Exit(2)
		}()
	}
	code := m.Run()
	if pg != nil {
		pg.stop()
		os.RemoveAll(pg.dir)
	}
	os.Exit(code)
}

// reapPG stops the servers, and removes the directories, that earlier
// test processes started and could not stop because they were killed: a
// directory of ours records its process's ID in owner.pid.
func reapPG() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "extlink-pg-*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) == nil {
			continue // alive, or not ours to judge
		}
		s := &pgServer{bin: findPGBin(), dir: dir}
		if os.Geteuid() == 0 {
			s.asUser = "postgres"
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil && s.bin != "" {
			s.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		}
		os.RemoveAll(dir)
	}
}

// pgRequired reports whether the PostgreSQL tests must run.
func pgRequired() bool { return os.Getenv("EXTLINK_PG") == "1" || os.Getenv("CI") == "true" }

// needPG returns the test server, or skips t (fails it, when the tests are
// required) saying how to enable them.
func needPG(t testing.TB) *pgServer {
	t.Helper()
	if pg != nil {
		return pg
	}
	msg := "PostgreSQL tests not run: " + pgReason + ". Install Debian's postgresql package (apt-get install postgresql) or set EXTLINK_PG_BIN to the directory holding initdb and pg_ctl; EXTLINK_PG=1 makes this a failure"
	if pgRequired() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return nil
}

func findPGBin() string {
	if d := os.Getenv("EXTLINK_PG_BIN"); d != "" {
		return d
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { // the highest version
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d
		}
	}
	return ""
}

func startPG() (*pgServer, string) {
	if os.Getenv("EXTLINK_PG") == "0" {
		return nil, "EXTLINK_PG=0"
	}
	bin := findPGBin()
	if bin == "" {
		return nil, "no initdb or pg_ctl found"
	}
	s := &pgServer{bin: bin}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, "running as root and there is no postgres user to run the server as"
		}
		s.asUser = "postgres"
	}
	dir, err := os.MkdirTemp("", "extlink-pg-")
	if err != nil {
		return nil, err.Error()
	}
	s.dir = dir
	fail := func(format string, args ...any) (*pgServer, string) {
		os.RemoveAll(dir)
		return nil, fmt.Sprintf(format, args...)
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail("%v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sock"), 0o755); err != nil {
		return fail("%v", err)
	}
	if s.asUser != "" {
		if out, err := exec.Command("chown", "-R", s.asUser, dir).CombinedOutput(); err != nil {
			return fail("chown %s: %v: %s", dir, err, out)
		}
	}
	if out, err := s.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return fail("initdb failed: %v: %s", err, out)
	}
	if err := s.start(); err != nil {
		return fail("%v", err)
	}
	return s, ""
}

// run runs one of the server's programs, as the postgres user if we are
// root.
func (s *pgServer) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

// start starts the server and waits until it accepts connections.
func (s *pgServer) start() error {
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=200", filepath.Join(s.dir, "sock"))
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pg_ctl start failed: %v: %s\n%s", err, out, log)
	}
	return nil
}

// stop stops the server, disconnecting every session.
func (s *pgServer) stop() error {
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop failed: %v: %s", err, out)
	}
	return nil
}

// dsn returns the DSN of database name on the server.
func (s *pgServer) dsn(name string) string {
	return "postgres://postgres@/" + name + "?host=" + filepath.Join(s.dir, "sock") + "&sslmode=disable"
}

// admin runs statements in the postgres database.
func (s *pgServer) admin(stmts ...string) error {
	cfg, err := pgx.ParseConfig(s.dsn("postgres"))
	if err != nil {
		return err
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

// newDB creates a new database (extra is appended to CREATE DATABASE) and
// returns its DSN; it is dropped when t ends.
func (s *pgServer) newDB(t testing.TB, extra string) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.counter.Add(1))
	if err := s.admin(`CREATE DATABASE ` + name + ` ` + extra); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.admin(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return s.dsn(name)
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
