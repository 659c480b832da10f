package extlink

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The renderings of a plan: numbered sentences (String), a Mermaid sequence
// diagram and a Graphviz digraph. IDs are written so that distinct IDs stay
// distinct (R26): each rendering escapes what its syntax must.

// String returns the plan as numbered sentences, one a line, each with the
// rule it is taken under:
//
//  1. a creates a group with b (R10)
//  2. a invites me (R13)
func (p Plan) String() string {
	var b strings.Builder
	for i, r := range p.rules() {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(p[i].sentence())
		if r != 0 {
			b.WriteString(" (" + r.String() + ")")
		}
	}
	return b.String()
}

// action returns the step's sentence without its actor: "invites me".
func (s Step) action() string {
	return strings.TrimPrefix(s.sentence(), string(s.By)+" ")
}

// Mermaid returns the plan as a Mermaid sequence diagram: one participant a
// person, in order of appearance, and one message a step, numbered and with
// its rule; steps that name nobody else (convert, resign, leave) are notes
// over their actor. IDs are shown as given, with Mermaid's special
// characters written as entity codes.
func (p Plan) Mermaid() string {
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	alias := map[UserID]string{}
	name := func(u UserID) string {
		if a, ok := alias[u]; ok {
			return a
		}
		a := "p" + strconv.Itoa(len(alias)+1)
		alias[u] = a
		b.WriteString("    participant " + a + " as " + mermaidText(string(u)) + "\n")
		return a
	}
	for _, s := range p {
		name(s.By)
		if s.Who != "" {
			name(s.Who)
		}
	}
	for i, r := range p.rules() {
		s := p[i]
		text := mermaidText(strconv.Itoa(i+1) + ". " + s.action() + " (" + r.String() + ")")
		if s.Who == "" {
			b.WriteString("    Note over " + alias[s.By] + ": " + text + "\n")
		} else {
			b.WriteString("    " + alias[s.By] + "->>" + alias[s.Who] + ": " + text + "\n")
		}
	}
	return b.String()
}

// dotQuote returns s as a DOT quoted string: a double quote and a
// backslash are escaped with a backslash (so a label shows them as they
// are), and a control character, which no valid ID holds (R26) but a plan
// built by hand may, is written as the text \uXXXX. The mapping is
// one-to-one, so distinct IDs stay distinct nodes.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// mermaidText writes Mermaid's special characters, and control
// characters, as entity codes; '#' is one of them, so the mapping is
// one-to-one.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '#' || r == ';' || r == ':' || r == '"' || r == '<' || r == '>' || unicode.IsControl(r):
			b.WriteString("#" + strconv.Itoa(int(r)) + ";")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DOT returns the plan as a Graphviz digraph: one node a person, one edge a
// step from its actor to the person it names (a loop for steps that name
// nobody else), labelled with the step's number, action and rule.
func (p Plan) DOT() string {
	var b strings.Builder
	b.WriteString("digraph plan {\n    rankdir=LR;\n    node [shape=box];\n")
	seen := map[UserID]bool{}
	for _, s := range p {
		for _, u := range [...]UserID{s.By, s.Who} {
			if u != "" && !seen[u] {
				seen[u] = true
				b.WriteString("    " + dotQuote(string(u)) + ";\n")
			}
		}
	}
	for i, r := range p.rules() {
		s := p[i]
		to := s.Who
		if to == "" {
			to = s.By
		}
		label := strconv.Itoa(i+1) + ". " + s.action() + " (" + r.String() + ")"
		b.WriteString("    " + dotQuote(string(s.By)) + " -> " + dotQuote(string(to)) + " [label=" + dotQuote(label) + "];\n")
	}
	b.WriteString("}\n")
	return b.String()
}
