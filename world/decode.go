package world

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/extlink/extlink"
)

// value is one JSON value of the document and where it starts. The
// document has been checked to be valid JSON before values are taken
// apart; the scanning below still checks its bounds, so that it cannot
// panic on any input.
type value struct {
	raw []byte // the value's text, a slice of the document
	off int    // byte offset of raw in the document
}

// typ names the JSON type of v for messages: "a string", "null" and so on.
func (v value) typ() string {
	if len(v.raw) == 0 {
		return "nothing"
	}
	switch v.raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// member is one field of a JSON object.
type member struct {
	key string
	val value
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// skipSpace returns the index of the first byte at or after i in b that is
// not white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && !isSpace(b[i]) {
		i++
	}
	return i
}

// items calls f with each element of the array or each field of the object
// v (open is '[' or '{'), and returns false if v is not one.
func (v value) items(open byte, f func(key string, val value)) bool {
	b := v.raw
	if len(b) == 0 || b[0] != open {
		return false
	}
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != ']' && b[i] != '}' {
		var k string
		if open == '{' {
			end := skipString(b, i)
			k, _ = value{raw: b[i:end]}.str()
			i = skipSpace(b, end)
			if i < len(b) && b[i] == ':' {
				i = skipSpace(b, i+1)
			}
		}
		end := skipValue(b, i)
		if end <= i {
			break // not valid JSON: cannot happen after the check
		}
		f(k, value{raw: b[i:end], off: v.off + i})
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return true
}

// object returns v's fields in order, or false if v is not an object.
func (v value) object() ([]member, bool) {
	var ms []member
	ok := v.items('{', func(k string, val value) { ms = append(ms, member{k, val}) })
	return ms, ok
}

// array returns v's elements, or false if v is not an array.
func (v value) array() ([]value, bool) {
	var vs []value
	ok := v.items('[', func(_ string, val value) { vs = append(vs, val) })
	return vs, ok
}

// str returns v as a string, or false if it is not one.
func (v value) str() (string, bool) {
	b := v.raw
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	if inner := b[1 : len(b)-1]; !bytes.ContainsRune(inner, '\\') && utf8.Valid(inner) {
		return string(inner), true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// fields are the known fields of one object, each with its first value.
type fields []member

// get returns the value of field k, if present.
func (fs fields) get(k string) (value, bool) {
	for _, m := range fs {
		if m.key == k {
			return m.val, true
		}
	}
	return value{}, false
}

// off returns the offset of field k's value, or 0.
func (fs fields) off(k string) int {
	v, _ := fs.get(k)
	return v.off
}

// key names one field of one record.
type key struct {
	section string
	index   int
	field   string
}

// checker collects the problems of one document.
type checker struct {
	file  string
	data  []byte
	probs []Problem
	// reported marks the fields and records already reported, so that the
	// directory's view of the same defect is not reported twice; bad marks
	// records that are not objects at all.
	reported map[key]bool
	bad      map[key]bool
	// recs holds each section's records, for placing the directory's
	// problems.
	recs  map[string][]value
	lines []int // the offset of each line's start, once a problem needs it
	// total counts the problems found; probs keeps the first maxProbs of
	// them in file order (all if maxProbs <= 0).
	total    int
	maxProbs int
	maxID    int // the longest ID accepted, in bytes
}

func (c *checker) add(p Problem, off int) {
	off = min(max(off, 0), len(c.data))
	if c.lines == nil {
		c.lines = lineStarts(c.data)
	}
	l, _ := slices.BinarySearch(c.lines, off+1)
	p.File, p.Line, p.Col = c.file, l, off-c.lines[l-1]+1
	c.probs = append(c.probs, p)
	c.total++
	c.reported[key{p.Record, p.Index, p.Field}] = true
	if c.maxProbs > 0 && len(c.probs) >= 2*c.maxProbs {
		// Keep the first maxProbs in file order: a stable sort keeps the
		// order found among problems at one place, so truncating now and
		// at the end is truncating once at the end.
		sortProblems(c.probs)
		c.probs = c.probs[:c.maxProbs]
	}
}

// doc reports a problem with the document itself.
func (c *checker) doc(off int, format string, args ...any) {
	c.add(Problem{Index: -1, Msg: fmt.Sprintf(format, args...)}, off)
}

// record is the record being checked.
type record struct {
	c       *checker
	section string
	index   int
	id      string
	off     int
}

func (c *checker) record(section string, index int, v value) *record {
	return &record{c: c, section: section, index: index, off: v.off}
}

func (r *record) add(off int, field string, rule extlink.Rule, format string, args ...any) {
	r.c.add(Problem{Record: r.section, Index: r.index, ID: r.id, Field: field, Rule: rule, Msg: fmt.Sprintf(format, args...)}, off)
}

// members returns the record's fields, or reports that it is not an object.
func (r *record) members(v value) ([]member, bool) {
	ms, ok := v.object()
	if !ok {
		r.add(v.off, "", 0, "want an object, got %s", v.typ())
		r.c.bad[key{r.section, r.index, ""}] = true
	}
	return ms, ok
}

// peek returns the string value of the field named k, or "".
func peek(ms []member, k string) string {
	for _, m := range ms {
		if m.key == k {
			s, _ := m.val.str()
			return s
		}
	}
	return ""
}

// fields checks the names of an object's fields (prefix is the object's
// path within the record, "" or "policy."), reporting unknown and repeated
// ones, and returns the known fields.
func (r *record) fields(ms []member, prefix string, known ...string) fields {
	out := make(fields, 0, len(ms))
	for _, m := range ms {
		path := prefix + m.key
		if !slices.Contains(known, m.key) {
			r.add(m.val.off, path, 0, "unknown field (want %s)", strings.Join(known, ", "))
			continue
		}
		if _, dup := out.get(m.key); dup {
			r.add(m.val.off, path, 0, "repeated field")
			continue
		}
		out = append(out, m)
	}
	return out
}

// missing reports a required field that is absent.
func (r *record) missing(path string) {
	r.add(r.off, path, 0, "missing field")
}

// str reads the string field k; it reports a missing field if required, or
// a value of another type. ok is false unless a string was read.
func (r *record) str(fs fields, prefix, k string, required bool) (s string, ok bool) {
	v, there := fs.get(k)
	if !there {
		if required {
			r.missing(prefix + k)
		}
		return "", false
	}
	if s, ok = v.str(); !ok {
		r.add(v.off, prefix+k, 0, "want a string, got %s", v.typ())
	} else if idFields[k] {
		r.idLen(v.off, prefix+k, s)
	}
	return s, ok
}

// idFields are the fields of records that hold a user or tenant ID.
var idFields = map[string]bool{"id": true, "tenant": true, "owner": true, "user": true, "home": true}

// idLen reports an ID longer than the limit (Limits.MaxIDLen) and says
// whether it was.
func (r *record) idLen(off int, field, s string) bool {
	if len(s) <= r.c.maxID {
		return false
	}
	r.add(off, field, extlink.R26, "ID of %d bytes, longer than %d (the decoder's MaxIDLen)", len(s), r.c.maxID)
	return true
}

// boolean reads the boolean field k into *dst, if present.
func (r *record) boolean(fs fields, prefix, k string, dst *bool) {
	v, there := fs.get(k)
	if !there {
		return
	}
	switch string(v.raw) {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		r.add(v.off, prefix+k, 0, "want a boolean, got %s", v.typ())
	}
}

// enum reads the enum word of field k into dst, if present. ok is false if
// the field is present and wrong.
func (r *record) enum(fs fields, prefix, k string, dst encoding.TextUnmarshaler) (ok bool) {
	v, there := fs.get(k)
	if !there {
		return true
	}
	s, isStr := v.str()
	if !isStr {
		r.add(v.off, prefix+k, 0, "want a string, got %s", v.typ())
		return false
	}
	if err := dst.UnmarshalText([]byte(s)); err != nil {
		r.add(v.off, prefix+k, 0, "%s", strings.TrimPrefix(err.Error(), "extlink: "))
		return false
	}
	return true
}

// ids reads the field k as an array of strings; there is true if the field
// is present and an array. Elements of another type are reported and left
// out.
func (r *record) ids(fs fields, k string, required bool) (out []string, offs []int, there bool) {
	v, there := fs.get(k)
	if !there {
		if required {
			r.missing(k)
		}
		return nil, nil, false
	}
	vs, ok := v.array()
	if !ok {
		r.add(v.off, k, 0, "want an array of user IDs, got %s", v.typ())
		return nil, nil, false
	}
	for i, e := range vs {
		s, ok := e.str()
		if !ok {
			r.add(e.off, k+"["+strconv.Itoa(i)+"]", 0, "want a user ID (a string), got %s", e.typ())
			continue
		}
		r.idLen(e.off, k+"["+strconv.Itoa(i)+"]", s) // kept, so that nothing else follows from it
		out = append(out, s)
		offs = append(offs, e.off)
	}
	return out, offs, true
}

// idMsg says what is wrong with a bad ID (R26), without the package
// prefix.
func idMsg(id string) string {
	return strings.TrimPrefix(extlink.CheckID(id).Error(), "extlink: ")
}

// decode parses and checks a world document.
func decode(name string, data []byte, lim Limits) (*World, error) {
	c := &checker{file: name, data: data, reported: map[key]bool{}, bad: map[key]bool{}, recs: map[string][]value{},
		maxProbs: lim.problems(), maxID: lim.idLen()}
	w := c.world()
	if c.total > 0 {
		sortProblems(c.probs)
		if c.maxProbs > 0 && len(c.probs) > c.maxProbs {
			c.probs = c.probs[:c.maxProbs]
		}
		return nil, &Error{File: name, Problems: slices.Clip(c.probs), More: c.total - len(c.probs)}
	}
	return w, nil
}

// lineStarts returns the offset of the start of each line.
func lineStarts(data []byte) []int {
	ls := []int{0}
	for i, b := range data {
		if b == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// world checks the whole document and returns the world if it found no
// problem.
func (c *checker) world() *World {
	// JSON decoding would turn invalid UTF-8 into U+FFFD, making two
	// distinct IDs one: refuse the file instead (R26).
	if !utf8.Valid(c.data) {
		off := 0
		for off < len(c.data) {
			r, n := utf8.DecodeRune(c.data[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		c.doc(off, "invalid UTF-8: a world file is UTF-8, and IDs are never normalized (R26)")
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(c.data))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		switch {
		case errors.As(err, &syn):
			c.doc(int(syn.Offset)-1, "invalid JSON: %v", err)
		case errors.Is(err, io.EOF):
			c.doc(len(c.data), "no JSON document")
		default: // io.ErrUnexpectedEOF and the like
			c.doc(len(c.data), "invalid JSON: %v", err)
		}
		return nil
	}
	off := int(dec.InputOffset()) - len(raw)
	top := value{c.data[off : off+len(raw)], off}
	if _, err := dec.Token(); err != io.EOF {
		c.doc(skipSpace(c.data, off+len(raw)), "data after the world document")
	}
	ms, ok := top.object()
	if !ok {
		c.doc(top.off, "want a world object, got %s", top.typ())
		return nil
	}
	root := &record{c: c, index: -1, off: top.off}
	fs := root.fields(ms, "", "tenants", "users", "links", "contacts", "groups")
	for _, k := range []string{"tenants", "users"} {
		if _, ok := fs.get(k); !ok {
			root.missing(k)
		}
	}

	tenants := c.tenants(c.section(root, fs, "tenants"))
	users := c.users(c.section(root, fs, "users"))
	links := c.links(c.section(root, fs, "links"))
	tset := make(map[extlink.TenantID]bool, len(tenants))
	for _, t := range tenants {
		tset[t.ID] = true
	}
	uset := make(map[extlink.UserID]extlink.User, len(users))
	for _, u := range users {
		if _, dup := uset[u.ID]; !dup {
			uset[u.ID] = u
		}
	}
	contacts := c.contacts(c.section(root, fs, "contacts"), tset, uset)
	groups := c.groups(c.section(root, fs, "groups"), tset, uset)

	d, err := extlink.NewDirectory(tenants, users, links)
	var de *extlink.DirectoryError
	switch {
	case errors.As(err, &de):
		c.directory(de)
	case err != nil:
		c.doc(top.off, "%s", strings.TrimPrefix(err.Error(), "extlink: "))
	}
	if c.total > 0 {
		return nil
	}
	w := &World{Directory: d}
	if len(contacts) > 0 {
		w.Contacts = contacts
	}
	if len(groups) > 0 {
		w.Groups = groups
	}
	return w
}

// section returns the records of the top-level array name, reporting a
// value of another type. A missing section is empty.
func (c *checker) section(root *record, fs fields, name string) []value {
	v, ok := fs.get(name)
	if !ok {
		return nil
	}
	vs, ok := v.array()
	if !ok {
		root.add(v.off, name, 0, "want an array, got %s", v.typ())
	}
	c.recs[name] = vs
	return vs
}

func (c *checker) tenants(vs []value) []extlink.Tenant {
	out := make([]extlink.Tenant, len(vs))
	seen := map[extlink.TenantID]int{}
	for i, e := range vs {
		r := c.record("tenants", i, e)
		ms, ok := r.members(e)
		if !ok {
			continue
		}
		r.id = peek(ms, "id")
		fs := r.fields(ms, "", "id", "name", "policy")
		t := &out[i]
		id, _ := r.str(fs, "", "id", true)
		t.ID = extlink.TenantID(id)
		t.Name, _ = r.str(fs, "", "name", false)
		if pv, ok := fs.get("policy"); ok {
			pms, ok := pv.object()
			if !ok {
				r.add(pv.off, "policy", 0, "want an object, got %s", pv.typ())
			} else {
				pf := r.fields(pms, "policy.", "works", "line", "noCalls", "membersCreateGroups", "membersLeaveGroups")
				r.enum(pf, "policy.", "works", &t.Policy.Works)
				r.enum(pf, "policy.", "line", &t.Policy.LINE)
				r.boolean(pf, "policy.", "noCalls", &t.Policy.NoCalls)
				r.boolean(pf, "policy.", "membersCreateGroups", &t.Policy.MembersCreateGroups)
				r.boolean(pf, "policy.", "membersLeaveGroups", &t.Policy.MembersLeaveGroups)
			}
		}
		if t.ID != "" {
			if j, dup := seen[t.ID]; dup {
				r.add(fs.off("id"), "id", 0, "duplicate ID (also tenants[%d])", j)
			} else {
				seen[t.ID] = i
			}
		}
	}
	return out
}

func (c *checker) users(vs []value) []extlink.User {
	out := make([]extlink.User, len(vs))
	seen := map[extlink.UserID]int{}
	for i, e := range vs {
		r := c.record("users", i, e)
		u := &out[i]
		ms, ok := r.members(e)
		if !ok {
			u.Kind = extlink.LINEUser // a placeholder the directory finds no fault with but its empty ID
			continue
		}
		r.id = peek(ms, "id")
		fs := r.fields(ms, "", "id", "name", "tenant", "kind", "role", "connected")
		id, _ := r.str(fs, "", "id", true)
		u.ID = extlink.UserID(id)
		u.Name, _ = r.str(fs, "", "name", false)
		tenant, _ := r.str(fs, "", "tenant", false)
		u.Tenant = extlink.TenantID(tenant)
		if !r.enum(fs, "", "kind", &u.Kind) && u.Tenant == "" {
			// Guess the kind from the tenant, so that the directory does
			// not report what follows from the bad word.
			u.Kind = extlink.LINEUser
		}
		r.enum(fs, "", "role", &u.Role)
		r.boolean(fs, "", "connected", &u.Connected)
		if u.ID != "" {
			if j, dup := seen[u.ID]; dup {
				r.add(fs.off("id"), "id", 0, "duplicate ID (also users[%d])", j)
			} else {
				seen[u.ID] = i
			}
		}
	}
	return out
}

func (c *checker) links(vs []value) []extlink.Link {
	out := make([]extlink.Link, len(vs))
	for i, e := range vs {
		ends, ok := e.array()
		if !ok || len(ends) != 2 {
			r := c.record("links", i, e)
			if ok {
				r.add(e.off, "", 0, "want a pair of user IDs, got %d", len(ends))
			} else {
				r.add(e.off, "", 0, "want a pair of user IDs, got %s", e.typ())
			}
			c.bad[key{"links", i, ""}] = true
			continue
		}
		a, aok := ends[0].str()
		b, bok := ends[1].str()
		for k, ok := range []bool{aok, bok} {
			if !ok {
				r := c.record("links", i, e)
				r.id = a + "-" + b
				r.add(ends[k].off, "["+strconv.Itoa(k)+"]", 0, "want a user ID (a string), got %s", ends[k].typ())
			}
		}
		for k, id := range []string{a, b} {
			if len(id) > c.maxID {
				r := c.record("links", i, e)
				r.idLen(ends[k].off, "["+strconv.Itoa(k)+"]", id)
			}
		}
		out[i] = extlink.Link{A: extlink.UserID(a), B: extlink.UserID(b)}
	}
	return out
}

func (c *checker) contacts(vs []value, tset map[extlink.TenantID]bool, uset map[extlink.UserID]extlink.User) []extlink.Contact {
	out := make([]extlink.Contact, len(vs))
	type entry struct {
		t extlink.TenantID
		u extlink.UserID
	}
	seen := map[entry]int{}
	for i, e := range vs {
		r := c.record("contacts", i, e)
		ms, ok := r.members(e)
		if !ok {
			continue
		}
		if r.id = peek(ms, "user"); r.id == "" {
			r.id = peek(ms, "name")
		}
		fs := r.fields(ms, "", "tenant", "owner", "user", "name", "email")
		ct := &out[i]
		t, tok := r.str(fs, "", "tenant", true)
		owner, ook := r.str(fs, "", "owner", true)
		user, uok := r.str(fs, "", "user", false)
		ct.Tenant, ct.Owner, ct.User = extlink.TenantID(t), extlink.UserID(owner), extlink.UserID(user)
		ct.Name, _ = r.str(fs, "", "name", false)
		ct.Email, _ = r.str(fs, "", "email", false)
		if tok && !tset[ct.Tenant] {
			r.add(fs.off("tenant"), "tenant", 0, "unknown tenant %q", t)
			tok = false
		}
		if ook {
			switch o, known := uset[ct.Owner]; {
			case !known:
				r.add(fs.off("owner"), "owner", 0, "unknown user %q", owner)
			case tok && (o.Kind != extlink.WorksUser || o.Tenant != ct.Tenant):
				r.add(fs.off("owner"), "owner", 0, "%q is not a member of %q, whose address book holds the contact", owner, t)
			}
		}
		if uok {
			switch u, known := uset[ct.User]; {
			case user == "":
				// A name-and-e-mail entry may leave the account empty.
			case !known:
				r.add(fs.off("user"), "user", 0, "unknown user %q", user)
			case tok && u.Kind == extlink.WorksUser && u.Tenant == ct.Tenant:
				r.add(fs.off("user"), "user", 0, "%q is a member of %q; an address-book contact is an outsider", user, t)
			case tok:
				if j, dup := seen[entry{ct.Tenant, ct.User}]; dup {
					r.add(fs.off("user"), "user", 0, "%q is already in %q's address book (contacts[%d])", user, t, j)
				} else {
					seen[entry{ct.Tenant, ct.User}] = i
				}
			}
		}
		if ct.User == "" && ct.Name == "" {
			r.add(r.off, "", 0, "a contact needs a user or a name")
		}
		if ev, ok := fs.get("email"); ok && ct.Email != "" {
			if at := strings.IndexByte(ct.Email, '@'); at <= 0 || at == len(ct.Email)-1 {
				r.add(ev.off, "email", 0, "%q is not an e-mail address", ct.Email)
			}
		}
	}
	return out
}

func (c *checker) groups(vs []value, tset map[extlink.TenantID]bool, uset map[extlink.UserID]extlink.User) []Group {
	out := make([]Group, len(vs))
	names := map[string]int{}
	for i, e := range vs {
		r := c.record("groups", i, e)
		ms, ok := r.members(e)
		if !ok {
			continue
		}
		r.id = peek(ms, "name")
		before := c.total
		fs := r.fields(ms, "", "name", "members", "masters", "external", "home", "dissolved")
		var s extlink.GroupState
		name, nok := r.str(fs, "", "name", false)
		if nok && name != "" {
			if j, dup := names[name]; dup {
				r.add(fs.off("name"), "name", 0, "duplicate name (also groups[%d])", j)
			} else {
				names[name] = i
			}
		}
		r.boolean(fs, "", "dissolved", &s.Dissolved)
		r.boolean(fs, "", "external", &s.External)
		home, hok := r.str(fs, "", "home", true)
		s.Home = extlink.TenantID(home)
		switch {
		case hok && home == "":
			r.add(fs.off("home"), "home", 0, "empty tenant ID")
			hok = false
		case hok && extlink.CheckID(home) != nil:
			r.add(fs.off("home"), "home", extlink.R26, "%s", idMsg(home))
			hok = false
		case hok && !tset[s.Home]:
			r.add(fs.off("home"), "home", 0, "unknown tenant %q", home)
			hok = false
		}
		members, moffs, mthere := r.ids(fs, "members", !s.Dissolved)
		masters, soffs, sthere := r.ids(fs, "masters", !s.Dissolved)
		in := map[string]bool{}
		for k, m := range members {
			field := "members[" + strconv.Itoa(k) + "]"
			u, known := uset[extlink.UserID(m)]
			switch {
			case m == "":
				r.add(moffs[k], field, 0, "empty user ID")
			case len(m) > r.c.maxID:
				// reported by ids
			case extlink.CheckID(m) != nil:
				r.add(moffs[k], field, extlink.R26, "%s", idMsg(m))
			case in[m]:
				r.add(moffs[k], field, 0, "%q is named twice", m)
			case !known:
				r.add(moffs[k], field, 0, "unknown user %q", m)
			case u.Kind == extlink.LINEUser:
				r.add(moffs[k], field, extlink.R6, "%q is a LINE user, and groups exclude LINE users", m)
			case !s.External && hok && u.Tenant != s.Home:
				r.add(moffs[k], field, extlink.R11, "%q is a member of %q, an outsider to this internal group of %q", m, u.Tenant, home)
			}
			in[m] = true
			s.Members = append(s.Members, extlink.UserID(m))
		}
		master := map[string]bool{}
		for k, m := range masters {
			field := "masters[" + strconv.Itoa(k) + "]"
			switch {
			case len(m) > r.c.maxID:
				// reported by ids
			case extlink.CheckID(m) != nil:
				r.add(soffs[k], field, extlink.R26, "%s", idMsg(m))
			case master[m]:
				r.add(soffs[k], field, 0, "%q is named twice", m)
			case !in[m]:
				r.add(soffs[k], field, 0, "%q is not a member of the group", m)
			}
			master[m] = true
			s.Masters = append(s.Masters, extlink.UserID(m))
		}
		switch {
		case s.Dissolved && len(s.Members) > 0:
			r.add(fs.off("members"), "members", extlink.D4, "a dissolved group has no members")
		case s.Dissolved && len(s.Masters) > 0:
			r.add(fs.off("masters"), "masters", extlink.D4, "a dissolved group has no masters")
		case !s.Dissolved && mthere && len(s.Members) == 0:
			r.add(fs.off("members"), "members", extlink.R19, "a live group has a member; mark it dissolved instead")
		case !s.Dissolved && sthere && len(s.Masters) == 0 && len(s.Members) > 0:
			r.add(fs.off("masters"), "masters", extlink.R15, "a live group has a master")
		}
		if c.total > before {
			continue
		}
		g, err := extlink.RestoreGroup(s)
		if err != nil {
			r.add(r.off, "", 0, "%s", strings.TrimPrefix(err.Error(), "extlink: group state: "))
			continue
		}
		out[i] = Group{Name: name, Group: g}
	}
	return out
}

// dirFields maps the directory's field names to the world file's.
var dirFields = map[string]string{
	"ID": "id", "Name": "name", "Tenant": "tenant", "Kind": "kind", "Role": "role", "Connected": "connected",
	"Policy.Works": "policy.works", "Policy.LINE": "policy.line", "A": "[0]", "B": "[1]",
}

// dirSections maps the directory's record names to the world file's arrays.
var dirSections = map[string]string{"tenant": "tenants", "user": "users", "link": "links"}

// directory merges the problems extlink.NewDirectory found, leaving out
// those of records and fields already reported.
func (c *checker) directory(de *extlink.DirectoryError) {
	for _, p := range de.Problems {
		sec, ok := dirSections[p.Record]
		if !ok {
			sec = p.Record
		}
		field, ok := dirFields[p.Field]
		if !ok {
			field = strings.ToLower(p.Field)
		}
		if c.bad[key{sec, p.Index, ""}] || c.reported[key{sec, p.Index, field}] {
			continue
		}
		off := 0
		if recs := c.recs[sec]; p.Index >= 0 && p.Index < len(recs) {
			off = fieldOff(recs[p.Index], field)
		}
		c.add(Problem{Record: sec, Index: p.Index, ID: p.ID, Field: field, Rule: p.Rule, Msg: p.Msg}, off)
	}
}

// fieldOff returns the offset of the field at path ("tenant", "policy.works",
// "[1]") in the record v, or of v itself if there is no such field.
func fieldOff(v value, path string) int {
	cur := v
	for _, step := range strings.Split(path, ".") {
		var next value
		found := false
		if n, ok := strings.CutPrefix(step, "["); ok {
			i, err := strconv.Atoi(strings.TrimSuffix(n, "]"))
			if vs, isArray := cur.array(); isArray && err == nil && i >= 0 && i < len(vs) {
				next, found = vs[i], true
			}
		} else if ms, isObject := cur.object(); isObject {
			for _, m := range ms {
				if m.key == step {
					next, found = m.val, true
					break
				}
			}
		}
		if !found {
			return v.off
		}
		cur = next
	}
	return cur.off
}
