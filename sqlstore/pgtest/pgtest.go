// Package pgtest starts a throwaway PostgreSQL server for tests: initdb
// into a temporary directory, a server listening on a unix socket only,
// run as the postgres user when the tests run as root (initdb refuses
// root), stopped and removed at the end. It needs the server's programs,
// initdb and pg_ctl (Debian's postgresql package), found on PATH, in
// /usr/lib/postgresql/*/bin, or in the directory EXTLINK_PG_BIN names.
//
// sqlstore's tests and the command's use it, and so may a service's own
// tests of code over [github.com/extlink/extlink/sqlstore]: one server per
// test binary (start it in TestMain), a fresh database per test
// ([Server.NewDB]). Whether a test without a server skips or fails is the
// caller's choice; [Required] reports the convention of this repository:
// EXTLINK_PG=1 or CI=true make it a failure.
package pgtest

import (
	"context"
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

// Server is a throwaway PostgreSQL server.
type Server struct {
	bin    string // the directory of initdb and pg_ctl
	dir    string // the temporary directory: data/, sock/, log, owner.pid
	asUser string // "postgres" when we are root, else ""
	n      atomic.Int64
}

// Required reports whether tests that need PostgreSQL must run, and fail
// without a server: EXTLINK_PG=1 or CI=true.
func Required() bool { return os.Getenv("EXTLINK_PG") == "1" || os.Getenv("CI") == "true" }

// Hint says how to make the PostgreSQL tests run, for a skip's message.
const Hint = "install Debian's postgresql package (apt-get install postgresql) or set EXTLINK_PG_BIN to the directory holding initdb and pg_ctl; EXTLINK_PG=1 makes a missing server a failure"

// Bin returns the directory of the server's programs, or "" when there is
// none: EXTLINK_PG_BIN, else the directory of pg_ctl on PATH, else the
// highest version under /usr/lib/postgresql.
func Bin() string {
	if d := os.Getenv("EXTLINK_PG_BIN"); d != "" {
		return d
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // often a link into the version's directory
		}
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { // the highest version first
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

// Start initializes a cluster in a new temporary directory, named after
// prefix, and starts a server on it; the error says why it cannot. Close
// stops it and removes the directory.
func Start(prefix string) (*Server, error) {
	bin := Bin()
	if bin == "" {
		return nil, errors.New("no initdb or pg_ctl found")
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, errors.New("running as root and there is no postgres user to run the server as")
		}
		s.asUser = "postgres"
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	s.dir = dir
	fail := func(err error) (*Server, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sock"), 0o755); err != nil {
		return fail(err)
	}
	if s.asUser != "" {
		if out, err := exec.Command("chown", "-R", s.asUser, dir).CombinedOutput(); err != nil {
			return fail(fmt.Errorf("chown %s: %v: %s", dir, err, out))
		}
	}
	if out, err := s.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return fail(fmt.Errorf("initdb failed: %v: %s", err, out))
	}
	if err := s.Resume(); err != nil {
		return fail(err)
	}
	return s, nil
}

// Reap stops the servers, and removes the directories, that earlier test
// processes started with prefix and could not stop because they were
// killed: a directory of a live process is left alone.
func Reap(prefix string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) == nil {
			continue // alive, or not ours to judge
		}
		s := &Server{bin: Bin(), dir: dir}
		if os.Geteuid() == 0 {
			s.asUser = "postgres"
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil && s.bin != "" {
			s.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		}
		os.RemoveAll(dir)
	}
}

// run runs one of the server's programs, as the postgres user if we are
// root.
func (s *Server) run(prog string, args ...string) ([]byte, error) {
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

// Resume starts the server on its cluster and waits until it accepts
// connections: after Stop, to test what a restart does to clients.
func (s *Server) Resume() error {
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=200", filepath.Join(s.dir, "sock"))
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pg_ctl start failed: %v: %s\n%s", err, out, log)
	}
	return nil
}

// Stop stops the server, disconnecting every session, and keeps its
// cluster for Resume.
func (s *Server) Stop() error {
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop failed: %v: %s", err, out)
	}
	return nil
}

// CloseOnInterrupt closes the server and exits with status 2 if the test
// process is interrupted (^C) or terminated, so that no server outlives
// it; a timeout's SIGQUIT aside, which Reap deals with in the next run.
func (s *Server) CloseOnInterrupt() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		s.Close()
		os.Exit(2)
	}()
}

// Close stops the server and removes its directory.
func (s *Server) Close() error {
	err := s.Stop()
	if rmErr := os.RemoveAll(s.dir); err == nil {
		err = rmErr
	}
	return err
}

// DSN returns the DSN of database name on the server, for
// [github.com/extlink/extlink/sqlstore.Open] or pgx.
func (s *Server) DSN(name string) string {
	return "postgres://postgres@/" + name + "?host=" + filepath.Join(s.dir, "sock") + "&sslmode=disable"
}

// Exec runs statements, one by one, in the server's postgres database.
func (s *Server) Exec(stmts ...string) error {
	cfg, err := pgx.ParseConfig(s.DSN("postgres"))
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

// NewDB creates a database with CREATE DATABASE, extra appended to the
// statement (say `TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE
// 'en-US' LOCALE 'C.UTF-8'`), and returns its DSN; it is dropped when t
// ends.
func (s *Server) NewDB(t testing.TB, extra string) string {
	t.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.n.Add(1))
	if err := s.Exec(`CREATE DATABASE ` + name + ` ` + extra); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil && !errors.Is(err, context.Canceled) {
			t.Logf("drop %s: %v", name, err)
		}
	})
	return s.DSN(name)
}
