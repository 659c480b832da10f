package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sample = `goos: linux
BenchmarkTalk/users=1000/engine=extlink-2   19501028    61.04 ns/op   0 B/op   0 allocs/op
BenchmarkTalk/users=1000/engine=extlink-2   19501028    63.00 ns/op   0 B/op   0 allocs/op
BenchmarkTalk/users=1000/engine=extlink-2   19501028    70.00 ns/op   0 B/op   0 allocs/op
BenchmarkTalk/users=1000/engine=cedar-2       333738    3213 ns/op   1263 B/op   17 allocs/op
BenchmarkTalk/users=1000000/engine=cedar-2    123712   10781 ns/op   1258 B/op   17 allocs/op
BenchmarkTalk/users=1000000/engine=extlink-2 3551037   335.7 ns/op   0 B/op   0 allocs/op
BenchmarkGroup/members=10/op=invite-2              1       882.0 ns/op
PASS
`

func TestSeries(t *testing.T) {
	pts, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	got := series(pts)
	want := []curve{
		{"cedar", []point{{"cedar", 1000, 3213}, {"cedar", 1000000, 10781}}},
		{"extlink", []point{{"extlink", 1000, 63}, {"extlink", 1000000, 335.7}}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(curve{}, point{})); diff != "" {
		t.Errorf("series (-want +got):\n%s", diff)
	}
}

func TestRun(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run(nil, strings.NewReader(sample), &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	svg := out.String()
	for _, want := range []string{"<svg", "extlink", "cedar", "1k", "1M", "63 ns", "3.2 µs", "11 µs", "100 ns", "</svg>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	out.Reset()
	if code := run(nil, strings.NewReader("PASS\n"), &out, &errs); code != 1 {
		t.Errorf("no results: exit %d, want 1", code)
	}
}

func TestDuration(t *testing.T) {
	for ns, want := range map[float64]string{63: "63 ns", 999: "999 ns", 3213: "3.2 µs", 9989: "10 µs", 10781: "11 µs", 1.5e6: "1.5 ms", 1e4: "10 µs", 1e5: "100 µs"} {
		if got := duration(ns); got != want {
			t.Errorf("duration(%v) = %q, want %q", ns, got, want)
		}
	}
}

func TestRunTwoRuns(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	if err := os.WriteFile(a, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(strings.ReplaceAll(sample, "335.7", "120")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "talk.svg")
	var errs bytes.Buffer
	if code := run([]string{"-o", out, "-note", "one run", "cold=" + a, "hot=" + b}, nil, io.Discard, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`stroke-dasharray="7 4"`, ">cold<", ">hot<", ">one run<", "336 ns", "11 µs"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}
