package world

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/extlink/extlink"
)

// The world file's records, as Encode writes them.
type (
	fileWorld struct {
		Tenants  []fileTenant        `json:"tenants"`
		Users    []fileUser          `json:"users"`
		Links    [][2]extlink.UserID `json:"links"`
		Contacts []fileContact       `json:"contacts,omitempty"`
		Groups   []fileGroup         `json:"groups,omitempty"`
	}
	fileTenant struct {
		ID     extlink.TenantID `json:"id"`
		Name   string           `json:"name,omitempty"`
		Policy filePolicy       `json:"policy"`
	}
	filePolicy struct {
		Works               extlink.Access `json:"works"`
		LINE                extlink.Access `json:"line"`
		NoCalls             bool           `json:"noCalls,omitempty"`
		MembersCreateGroups bool           `json:"membersCreateGroups,omitempty"`
		MembersLeaveGroups  bool           `json:"membersLeaveGroups,omitempty"`
	}
	fileUser struct {
		ID        extlink.UserID   `json:"id"`
		Name      string           `json:"name,omitempty"`
		Tenant    extlink.TenantID `json:"tenant,omitempty"`
		Kind      extlink.Kind     `json:"kind"`
		Role      extlink.Role     `json:"role"`
		Connected bool             `json:"connected,omitempty"`
	}
	fileContact struct {
		Tenant extlink.TenantID `json:"tenant"`
		Owner  extlink.UserID   `json:"owner"`
		User   extlink.UserID   `json:"user,omitempty"`
		Name   string           `json:"name,omitempty"`
		Email  string           `json:"email,omitempty"`
	}
	fileGroup struct {
		Name      string           `json:"name,omitempty"`
		Members   []extlink.UserID `json:"members"`
		Masters   []extlink.UserID `json:"masters"`
		External  bool             `json:"external,omitempty"`
		Home      extlink.TenantID `json:"home"`
		Dissolved bool             `json:"dissolved,omitempty"`
	}
)

// MarshalJSON encodes w as a world document: tenants, users and links in ID
// order (as the directory holds them), contacts and groups in w's order,
// each group's members in join order and masters sorted. Every enum is
// written as its word, and false flags, empty names and empty optional
// sections are left out. [Decode] reads the result back to an equal world.
func (w World) MarshalJSON() ([]byte, error) {
	return json.Marshal(w.file())
}

// file returns w as the world file's records.
func (w World) file() fileWorld {
	f := fileWorld{Tenants: []fileTenant{}, Users: []fileUser{}, Links: [][2]extlink.UserID{}}
	d := w.Directory
	for t := range d.Tenants() {
		p := t.Policy
		f.Tenants = append(f.Tenants, fileTenant{t.ID, t.Name, filePolicy{p.Works, p.LINE, p.NoCalls, p.MembersCreateGroups, p.MembersLeaveGroups}})
	}
	for u := range d.Users() {
		f.Users = append(f.Users, fileUser{u.ID, u.Name, u.Tenant, u.Kind, u.Role, u.Connected})
	}
	for l := range d.AllLinks() {
		f.Links = append(f.Links, [2]extlink.UserID{l.A, l.B})
	}
	for _, c := range w.Contacts {
		f.Contacts = append(f.Contacts, fileContact(c))
	}
	for _, g := range w.Groups {
		s := g.Group.State()
		fg := fileGroup{Name: g.Name, Members: s.Members, Masters: s.Masters, External: s.External, Home: s.Home, Dissolved: s.Dissolved}
		if fg.Members == nil {
			fg.Members = []extlink.UserID{}
		}
		if fg.Masters == nil {
			fg.Masters = []extlink.UserID{}
		}
		f.Groups = append(f.Groups, fg)
	}
	return f
}

// UnmarshalJSON decodes and checks a world document like [Decode], for a
// world embedded in a larger JSON document, within the default [Limits] but
// MaxBytes; its problems name no file, and
// their lines and columns count within the world's own text.
func (w *World) UnmarshalJSON(data []byte) error {
	n, err := decode("", data, Limits{}) // its size is the caller's to bound
	if err != nil {
		return err
	}
	*w = *n
	return nil
}

// Encode writes w to out as a world document, one record a line, followed
// by a newline; see [World.MarshalJSON] for its form.
func Encode(out io.Writer, w *World) error {
	if w == nil {
		return errors.New("world: Encode of a nil World")
	}
	f := w.file()
	var buf bytes.Buffer
	buf.WriteString("{")
	n := 0
	section := func(name string, recs []any, always bool) error {
		if len(recs) == 0 && !always {
			return nil
		}
		if n > 0 {
			buf.WriteString(",")
		}
		n++
		buf.WriteString("\n  \"" + name + "\": [")
		for i, r := range recs {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n    ")
			buf.Write(b)
		}
		if len(recs) > 0 {
			buf.WriteString("\n  ")
		}
		buf.WriteString("]")
		return nil
	}
	for _, err := range []error{
		section("tenants", anys(f.Tenants), true),
		section("users", anys(f.Users), true),
		section("links", anys(f.Links), true),
		section("contacts", anys(f.Contacts), false),
		section("groups", anys(f.Groups), false),
	} {
		if err != nil {
			return err
		}
	}
	buf.WriteString("\n}\n")
	_, err := out.Write(buf.Bytes())
	return err
}

func anys[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
