package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// The command's -db tests against PostgreSQL run on a throwaway server, as
// sqlstore's do (sqlstore/pg_test.go): initdb into a temporary directory, a
// server on a unix socket only, run as the postgres user when we are root
// (initdb refuses root), stopped when the tests end. They need initdb and
// pg_ctl (Debian's postgresql package: on PATH, in /usr/lib/postgresql/*/bin,
// or in the directory EXTLINK_PG_BIN names) and run only when asked:
// EXTLINK_PG=1 (or CI=true, as in .ci/run) runs them and makes a server
// that cannot start a failure; unset, they skip saying so.

// pgServer is the test server.
type pgServer struct {
	bin    string // the directory of initdb, pg_ctl, createdb
	dir    string // the temporary directory: data/, sock/, log
	asUser string // "postgres" when we are root, else ""
	n      atomic.Int64
}

var (
	pgOnce   sync.Once
	pg       *pgServer
	pgReason string // why there is no server
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pg != nil {
		pg.stop()
	}
	os.Exit(code)
}

// needPG returns the test server, started on first use, or skips t (fails
// it, when EXTLINK_PG=1 or CI=true) saying how to run the test.
func needPG(t *testing.T) *pgServer {
	t.Helper()
	required := os.Getenv("EXTLINK_PG") == "1" || os.Getenv("CI") == "true"
	if !required {
		t.Skip("PostgreSQL tests not run: set EXTLINK_PG=1 to run them on a throwaway server " +
			"(needs initdb and pg_ctl: apt-get install postgresql, or EXTLINK_PG_BIN=DIR)")
	}
	pgOnce.Do(func() {
		pg, pgReason = startPG()
		if pg != nil {
			// Interrupted (^C), stop the server too.
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
			go func() {
				<-sig
				pg.stop()
				os.Exit(2)
			}()
		}
	})
	if pg == nil {
		t.Fatalf("PostgreSQL tests: no server: %s. Install Debian's postgresql package "+
			"(apt-get install postgresql) or set EXTLINK_PG_BIN to the directory holding initdb and pg_ctl", pgReason)
	}
	return pg
}

// findPGBin returns the directory of the server's programs, or "".
func findPGBin() string {
	if d := os.Getenv("EXTLINK_PG_BIN"); d != "" {
		return d
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		// Often a link into the version's directory, which also holds
		// createdb and dropdb.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
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

// startPG initializes and starts a server, or says why it cannot.
func startPG() (*pgServer, string) {
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
	dir, err := os.MkdirTemp("", "extlink-cmd-pg-")
	if err != nil {
		return nil, err.Error()
	}
	s.dir = dir
	fail := func(format string, args ...any) (*pgServer, string) {
		os.RemoveAll(dir)
		return nil, fmt.Sprintf(format, args...)
	}
	if err := os.MkdirAll(filepath.Join(dir, "sock"), 0o755); err != nil {
		return fail("%v", err)
	}
	if s.asUser != "" {
		if out, err := exec.Command("chown", "-R", s.asUser, dir).CombinedOutput(); err != nil {
			return fail("chown %s: %v: %s", dir, err, out)
		}
	}
	if out, err := s.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return fail("initdb failed: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-k %s -c listen_addresses=''", filepath.Join(dir, "sock"))
	if out, err := s.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-l", filepath.Join(dir, "log"),
		"-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fail("pg_ctl start failed: %v: %s\n%s", err, out, log)
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

// stop stops the server, disconnecting every session, and removes its
// directory.
func (s *pgServer) stop() {
	s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop")
	os.RemoveAll(s.dir)
}

// newDB creates an empty database, with createdb's extra flags, and
// returns its DSN; it is dropped when t ends.
func (s *pgServer) newDB(t *testing.T, extra ...string) string {
	t.Helper()
	name := fmt.Sprintf("cmd%d_%d", os.Getpid(), s.n.Add(1))
	sock := filepath.Join(s.dir, "sock")
	args := append([]string{"-h", sock, "-U", "postgres"}, extra...)
	if out, err := s.run("createdb", append(args, name)...); err != nil {
		t.Fatalf("createdb %s: %v: %s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := s.run("dropdb", "-h", sock, "-U", "postgres", "--force", name); err != nil {
			t.Logf("dropdb %s: %v: %s", name, err, out)
		}
	})
	return "postgres://postgres@/" + name + "?host=" + sock + "&sslmode=disable"
}
