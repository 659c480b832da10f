package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// The README's console sessions are what extlink prints. A line "..."
// abridges: the lines shown must then appear in order in the output. Its
// Mermaid diagrams are what a console line of it prints.
func TestREADMESession(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../..") // the session runs at the repository's root
	type session struct {
		args []string
		want []string
	}
	var sessions []session
	var diagrams []string // the ```mermaid blocks
	in, inMermaid := false, false
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "```console":
			in = true
		case in && line == "```":
			in = false
		case line == "```mermaid":
			inMermaid = true
			diagrams = append(diagrams, "")
		case inMermaid && line == "```":
			inMermaid = false
		case inMermaid:
			diagrams[len(diagrams)-1] += line + "\n"
		case in && strings.HasPrefix(line, "$ extlink "):
			sessions = append(sessions, session{args: strings.Fields(line)[2:]})
		case in && len(sessions) > 0:
			s := &sessions[len(sessions)-1]
			s.want = append(s.want, line)
		}
	}
	if len(sessions) < 3 {
		t.Fatalf("found %d extlink commands in the README's console blocks", len(sessions))
	}
	// A Mermaid block, which GitHub renders, is what a console line of the
	// README prints with -format mermaid.
	for _, d := range diagrams {
		found := false
		for _, s := range sessions {
			if slices.Contains(s.args, "mermaid") {
				_, out, _ := runArgs(s.args...)
				found = found || out == d
			}
		}
		if !found {
			t.Errorf("README: no extlink ... -format mermaid line prints the diagram\n%s", d)
		}
	}
	for _, s := range sessions {
		for len(s.want) > 0 && s.want[len(s.want)-1] == "" {
			s.want = s.want[:len(s.want)-1]
		}
		_, out, errs := runArgs(s.args...)
		got := strings.Split(strings.TrimRight(out+errs, "\n"), "\n")
		if !slices.Contains(s.want, "...") {
			if !slices.Equal(s.want, got) {
				t.Errorf("README: extlink %s prints\n%s\nnot\n%s", strings.Join(s.args, " "), strings.Join(got, "\n"), strings.Join(s.want, "\n"))
			}
			continue
		}
		rest := got
		for _, w := range s.want {
			if w == "..." {
				continue
			}
			i := slices.Index(rest, w)
			if i < 0 {
				t.Errorf("README: extlink %s does not print, in this order, %q; it prints\n%s", strings.Join(s.args, " "), w, strings.Join(got, "\n"))
				break
			}
			rest = rest[i+1:]
		}
	}
}
