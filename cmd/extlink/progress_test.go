package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// With -progress, whatif and audit say on stderr what they are doing, a
// line a phase, and write the same output as without; without it, and
// off a terminal, stderr stays empty.
func TestProgressFlag(t *testing.T) {
	for _, c := range []struct {
		args  []string
		lines []string // the phases, in order
	}{
		{[]string{"whatif", "-world", three, "-change", "t1.works=off", "-tenant", "t1"}, []string{
			"extlink whatif: reading " + three,
			"extlink whatif: comparing the decisions of 5 users with anyone",
			"extlink whatif: reconciling 3 groups and comparing t1's exposure, plans of at most 4 steps",
		}},
		{[]string{"whatif", "-world", three, "-change", "t1.calls=off", "-users", "a,me"}, []string{
			"extlink whatif: reading " + three,
			"extlink whatif: comparing the decisions among 2 users",
			"extlink whatif: reconciling 3 groups",
		}},
		{[]string{"audit", "-world", three, "t1"}, []string{
			"extlink audit: reading " + three,
			"extlink audit: auditing t1, plans of at most 4 steps",
		}},
	} {
		code, out, errs := runArgs(c.args...)
		if errs != "" {
			t.Errorf("%q: stderr without -progress:\n%s", c.args, errs)
		}
		pcode, pout, perrs := runArgs(append(c.args, "-progress")...)
		if pcode != code || pout != out {
			t.Errorf("%q -progress: exit %d and output\n%s\nwant exit %d and\n%s", c.args, pcode, pout, code, out)
		}
		var got []string
		for line := range strings.Lines(perrs) {
			what, _, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " (")
			if !ok || !strings.HasSuffix(line, "s)\n") {
				t.Errorf("%q -progress: line %q does not end in the time spent", c.args, line)
			}
			got = append(got, what)
		}
		if strings.Join(got, "\n") != strings.Join(c.lines, "\n") {
			t.Errorf("%q -progress: stderr\n%s\nwant the lines\n%s", c.args, perrs, strings.Join(c.lines, "\n"))
		}
	}
}

// An error after progress has started is a line of its own, and under
// -json still one JSON object, after the progress lines.
func TestProgressThenError(t *testing.T) {
	code, _, errs := runArgs("whatif", "-world", three, "-change", "t1.works=off", "-tenant", "t9", "-progress")
	lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if code != exitUsage || !strings.HasPrefix(lines[len(lines)-1], `extlink whatif: unknown tenant "t9"`) {
		t.Errorf("exit %d, stderr\n%s", code, errs)
	}
	code, _, errs = runArgs("whatif", "-world", three, "-change", "t1.works=off", "-tenant", "t9", "-progress", "-json")
	i := strings.Index(errs, "{")
	var e errorJSON
	if code != exitUsage || i < 0 || json.Unmarshal([]byte(errs[i:]), &e) != nil || !strings.Contains(e.Error, "unknown tenant") {
		t.Errorf("-json: exit %d, stderr\n%s", code, errs)
	}
	if !strings.HasPrefix(errs, "extlink whatif: reading") {
		t.Errorf("-json -progress: no progress before the error:\n%s", errs)
	}
}

// On a terminal, progress is one line rewritten in place, cleared at the
// end; a nil progress does nothing.
func TestProgressTerminal(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, cmd: "extlink x", tty: true, stop: make(chan struct{}), done: make(chan struct{}), start: time.Now()}
	go p.tick()
	p.set("reading w.json")
	p.set("reading w.json") // the same: nothing new
	p.update("at member \u2028x")
	p.end()
	p.end()
	got := b.String()
	if !strings.HasPrefix(got, "\rextlink x: reading w.json (0s)\033[K") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("terminal output %q", got)
	}
	if strings.Count(got, "reading") != 1 || strings.ContainsRune(got, '\u2028') || strings.Contains(got, "\n") {
		t.Errorf("terminal output %q: want one line, rewritten, nothing raw", got)
	}
	var nilp *progress
	nilp.set("x")
	nilp.update("x")
	nilp.end()
	if w := nilp.guard(&b); w != &b {
		t.Error("a nil progress's guard is not the writer itself")
	}
}

// Output written to the terminal that shows progress clears the progress
// line first; output elsewhere is left alone.
func TestProgressSharesTerminal(t *testing.T) {
	var errb, out bytes.Buffer
	p := &progress{w: &errb, cmd: "extlink x", tty: true, stop: make(chan struct{}), done: make(chan struct{}), start: time.Now()}
	go p.tick()
	p.set("auditing t1")
	clearingWriter{p, &out}.Write([]byte("me  b  4  a\n"))
	p.end()
	if got := errb.String(); got != "\rextlink x: auditing t1 (0s)\033[K\r\033[K" {
		t.Errorf("stderr %q", got)
	}
	if out.String() != "me  b  4  a\n" {
		t.Errorf("stdout %q", out.String())
	}
	if w := p.share(&out); w != &out {
		t.Error("share wraps a writer that is not a terminal")
	}
}
