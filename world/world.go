// Package world reads and writes world files: one JSON document that
// describes a whole extlink world (tenants, users, links, the tenants'
// address books and, optionally, groups), for the extlink command and for
// services that keep their directory as JSON.
//
// # The format
//
//	{
//	  "tenants": [{"id": "t1", "name": "our company",
//	               "policy": {"works": "all", "line": "off", "noCalls": false,
//	                          "membersCreateGroups": true, "membersLeaveGroups": false}}],
//	  "users":   [{"id": "a", "name": "A", "tenant": "t1",
//	               "kind": "works", "role": "member", "connected": false}],
//	  "links":   [["a", "b"]],
//	  "contacts": [{"tenant": "t1", "owner": "a", "user": "b",
//	                "name": "B", "email": "b@partner.example"}],
//	  "groups":  [{"name": "project", "members": ["a", "b", "me"], "masters": ["a"],
//	               "external": true, "home": "t1", "dissolved": false}]
//	}
//
// "tenants" and "users" must be present; "links", "contacts" and "groups"
// may be left out. Inside a record every field but the ones below may be
// left out and then takes its zero value: a missing policy is the zero
// [extlink.Policy] (closed to outsiders, only admins create groups, members
// cannot leave groups themselves), a missing kind is "works", a missing
// role "member". Required are a tenant's and a user's "id", a
// contact's "tenant" and "owner" (and a "user" or a "name"), and a group's
// "home" and, unless it is dissolved, its "members" and "masters".
//
// The enums are words, those of their MarshalText and UnmarshalText methods:
// a policy's "works" and "line" are [extlink.Access] words, "off", "all" or
// "listed"; a user's "kind" is "works" or "line" ([extlink.Kind]) and its
// "role" is "member" or "admin" ([extlink.Role]). A link is a pair
// of user IDs, in either order. A group's members are listed in the order
// they joined, the earliest first; its masters in any order ([extlink.GroupState]).
//
// # Strictness
//
// [Decode] is strict and reports every problem at once, in one [*Error]:
// malformed JSON, data after the document, unknown or repeated fields, a
// value of the wrong type (null included), an unknown enum word, and
// everything [extlink.NewDirectory] rejects (duplicate or empty IDs, unknown
// tenants, bad links), together with its own checks of contacts and groups
// (unknown users and tenants, a contact owned by someone outside its
// tenant's book, a group with a LINE user or an outsider in an internal
// group, masters who are not members). Each [Problem] names the file, its
// line and column, the record (its array, index and ID) and the field.
// Decode never panics.
//
// # Limits
//
// A file may come from untrusted hands: [Decode] refuses a document larger
// than 256 MiB, an ID longer than 1,024 bytes and a file that is not valid
// UTF-8 (IDs are never normalized, R26), and lists the first 100 problems
// in file order, then how many more ([Error.More]); its time and memory are
// near-linear in the document's size. [DecodeLimits] sets other [Limits].
package world

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/extlink/extlink"
)

// World is what a world file describes: the directory (tenants, users and
// links), the entries of the tenants' address books, and named groups. A
// World returned by [Decode] is consistent: every contact and group refers
// to users and tenants of the directory.
type World struct {
	Directory *extlink.Directory
	Contacts  []extlink.Contact // in file order
	Groups    []Group           // in file order
}

// Group is a group of a world file, with its optional name.
type Group struct {
	Name  string // unique within the world when not empty
	Group extlink.Group
}

// Group returns the group with the given name, if any. Unnamed groups are
// not found by name.
func (w *World) Group(name string) (extlink.Group, bool) {
	if w == nil || name == "" {
		return extlink.Group{}, false
	}
	for _, g := range w.Groups {
		if g.Name == name {
			return g.Group, true
		}
	}
	return extlink.Group{}, false
}

// Book returns the contacts in tenant t's address book, in file order, as a
// new slice.
func (w *World) Book(t extlink.TenantID) []extlink.Contact {
	if w == nil {
		return nil
	}
	var out []extlink.Contact
	for _, c := range w.Contacts {
		if c.Tenant == t {
			out = append(out, c)
		}
	}
	return out
}

// Decode reads one world document from r and checks it, within the default
// [Limits]. name is the file's name, used in error messages. On any problem
// it returns a nil World and a *[Error] listing the problems found (the
// first 100, and how many more); a read error is returned wrapped, prefixed
// with name. It keeps the whole document in memory while it works, and its
// time and memory are O(n log n) in the document's size n.
func Decode(name string, r io.Reader) (*World, error) {
	return DecodeLimits(name, r, Limits{})
}

// The default limits of [Decode].
const (
	DefaultMaxBytes    = 256 << 20 // 256 MiB: some million users
	DefaultMaxProblems = 100
)

// Limits bound what [DecodeLimits] accepts and reports, so that a service
// can read files from untrusted hands. The zero Limits are Decode's.
type Limits struct {
	// MaxBytes is the largest document read: a larger one is refused
	// with an [Error] saying so, after reading MaxBytes+1 bytes. 0 means
	// DefaultMaxBytes; negative, no limit.
	MaxBytes int64
	// MaxProblems is how many problems an [Error] lists, the first ones
	// in file order; Error.More counts the rest. 0 means
	// DefaultMaxProblems; negative, all of them.
	MaxProblems int
	// MaxIDLen is the longest user or tenant ID, in bytes. 0, or anything
	// above 1,024, means 1,024: no directory holds a longer ID (R26).
	MaxIDLen int
}

func (l Limits) bytes() int64 {
	if l.MaxBytes == 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

func (l Limits) problems() int {
	if l.MaxProblems == 0 {
		return DefaultMaxProblems
	}
	return l.MaxProblems
}

func (l Limits) idLen() int {
	if l.MaxIDLen <= 0 || l.MaxIDLen > 1024 {
		return 1024
	}
	return l.MaxIDLen
}

// DecodeLimits is [Decode] within the limits lim.
func DecodeLimits(name string, r io.Reader, lim Limits) (*World, error) {
	if max := lim.bytes(); max >= 0 {
		r = io.LimitReader(r, max+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if max := lim.bytes(); max >= 0 && int64(len(data)) > max {
		return nil, &Error{File: name, Problems: []Problem{{File: name, Index: -1,
			Msg: fmt.Sprintf("the document is larger than %d bytes, the decoder's MaxBytes", max)}}}
	}
	return decode(name, data, lim)
}

// ReadFile opens the named file and decodes it with [Decode].
func ReadFile(path string) (*World, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Decode(path, f)
}

// Problem is one defect of a world file.
type Problem struct {
	File   string
	Line   int          // 1-based line of the value at fault (or its record), 0 if unknown
	Col    int          // 1-based column, in bytes
	Record string       // "tenants", "users", "links", "contacts" or "groups"; "" for the document itself
	Index  int          // the record's position in its array; -1 for the document
	ID     string       // the record's ID: a link's "a-b", a contact's user or name, a group's name; may be empty
	Field  string       // the field at fault within the record, e.g. "kind", "policy.works", "[1]", "members[2]"; "" for the whole record
	Rule   extlink.Rule // the rule the problem breaks, or 0
	Msg    string       // what is wrong, in lowercase words
}

// String formats p as one line, like a compiler's message (a field name
// or message that holds a line break or another character that is not
// printable, from a key of the file, shows it escaped, as \n or \u2028):
//
//	bad.json:9:37: users[1] "me": kind: unknown Kind "robot" (want works, line)
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(":")
	}
	if p.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", p.Line, p.Col)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if p.Record != "" {
		fmt.Fprintf(&b, "%s[%d]", p.Record, p.Index)
		if p.ID != "" {
			fmt.Fprintf(&b, " %q", p.ID)
		}
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(oneLine(p.Field))
		b.WriteString(": ")
	}
	b.WriteString(oneLine(p.Msg))
	if p.Rule != 0 {
		fmt.Fprintf(&b, " (%s)", p.Rule)
	}
	return b.String()
}

// Error is a world file's list of problems, in the order they appear in the
// file. It is what [Decode] returns for input it rejects.
type Error struct {
	File     string
	Problems []Problem // the first ones, in file order: at most Limits.MaxProblems
	More     int       // the problems found beyond those listed
}

// Unwrap returns [extlink.ErrInvalid]: a world file's problems are bad
// input, never a refusal.
func (e *Error) Unwrap() error { return extlink.ErrInvalid }

// Error returns the one problem as a line, or a header line followed by
// every problem, one a line, indented by a tab.
func (e *Error) Error() string {
	if len(e.Problems) == 1 && e.More == 0 {
		return e.Problems[0].String()
	}
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	fmt.Fprintf(&b, "invalid world: %d problems:", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n\tand %d more", e.More)
	}
	return b.String()
}

// sortProblems orders problems by their place in the file, keeping the
// order found for problems at one place.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

// oneLine returns s with every rune that is not graphic, and every byte of
// invalid UTF-8, replaced by its Go escape (\n, \u2028), so that it cannot
// break the line it is written on.
func oneLine(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) }) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if unicode.IsGraphic(r) && (r != utf8.RuneError || n == 3) {
			b.WriteString(s[:n])
		} else {
			q := strconv.QuoteToGraphic(s[:n])
			b.WriteString(q[1 : len(q)-1])
		}
		s = s[n:]
	}
	return b.String()
}
