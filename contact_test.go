package extlink_test

import (
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
)

// R4: e-mail needs only membership of the book's tenant and an address.
func TestCanEmail(t *testing.T) {
	d := postDir(t, func(w *world) {
		// No policy matters for e-mail.
		policy(w, "t1", func(p *extlink.Policy) { *p = extlink.Policy{NoCalls: true} })
	})
	b := extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Name: "B", Email: "b@example.com"}
	noAddr := extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Name: "B"}
	nameOnly := extlink.Contact{Tenant: "t1", Owner: "a", Name: "Someone", Email: "s@example.com"}
	tests := []struct {
		name   string
		viewer extlink.UserID
		c      extlink.Contact
		want   error
		text   string
	}{
		{"shared contact", "me", b, nil, "me may e-mail b (R4)"},
		{"name-and-e-mail entry", "me", nameOnly, nil, "me may e-mail Someone (R4)"},
		{"no address", "me", noAddr, extlink.ErrNotPermitted, "me cannot e-mail b: no e-mail address is recorded for the contact (R4); record an e-mail address for the contact"},
		{"another tenant's book", "b", b, extlink.ErrNotMember, "b cannot e-mail b: b is not a member of t1, whose address book holds the contact (R4)"},
		{"a LINE user has no book", "l", b, extlink.ErrNotMember, "l cannot e-mail b: l is not a member of t1, whose address book holds the contact (R4)"},
		{"unknown viewer", "zz", b, extlink.ErrUnknownUser, "zz cannot e-mail b: zz is not in the directory (R4); check the ID, or add zz to the directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extlink.CanEmail(d, tt.viewer, tt.c)
			checkCause(t, tt.name, got, tt.want)
			if diff := cmp.Diff(tt.text, got.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// [P3-P5], R24: the card of a shared contact greys out talk and call, allows
// e-mail and names the linked colleagues; a linked contact's card allows all.
func TestContactCard(t *testing.T) {
	d := postDir(t, func(w *world) {
		w.Users = append(w.Users, extlink.User{ID: "a2", Tenant: "t1"})
		w.Links = append(w.Links, extlink.Link{A: "a2", B: "b"})
	})
	c := extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Email: "b@example.com"}
	card := extlink.ContactCard(d, "me", c)
	if card.Linked || card.Talk.Allowed || card.Call.Allowed || !card.Email.Allowed {
		t.Errorf("shared contact card: %+v", card)
	}
	if diff := cmp.Diff([]extlink.UserID{"a", "a2"}, card.LinkedVia); diff != "" {
		t.Errorf("LinkedVia (-want +got):\n%s", diff)
	}
	linked := extlink.ContactCard(d, "a", c)
	if !linked.Linked || !linked.Talk.Allowed || !linked.Call.Allowed || len(linked.LinkedVia) != 0 {
		t.Errorf("linked contact card: %+v", linked)
	}
	want := "b: linked with a\n" +
		"  talk   yes  a may talk with b (R2)\n" +
		"  call   yes  a may call b (R3)\n" +
		"  e-mail yes  a may e-mail b (R4)\n"
	if diff := cmp.Diff(want, linked.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	entry := extlink.ContactCard(d, "me", extlink.Contact{Tenant: "t1", Name: "Someone"})
	if entry.Talk.Cause() != extlink.ErrUnknownUser || entry.Call.Cause() != extlink.ErrUnknownUser || entry.Email.Allowed {
		t.Errorf("entry without an account: %+v", entry)
	}
	if got := entry.String(); got[:len("Someone: an address-book entry")] != "Someone: an address-book entry" {
		t.Errorf("entry card: %q", got)
	}
	// An outsider viewing another tenant's contact sees no colleagues.
	if got := extlink.ContactCard(d, "c", c); len(got.LinkedVia) != 0 {
		t.Errorf("outsider's card names colleagues: %v", got.LinkedVia)
	}
}

// R24: the card's linked colleagues are those who may talk with the person
// now, as LinkedColleagues (which the command uses) says: a colleague
// linked with b but off t1's connected list is not one.
func TestLinkedColleagues(t *testing.T) {
	d := postDir(t, func(w *world) {
		policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
		w.Users = append(w.Users, extlink.User{ID: "a2", Tenant: "t1", Connected: true})
		w.Links = append(w.Links, extlink.Link{A: "a2", B: "b"})
	})
	c := extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Name: "B"}
	want := []extlink.UserID{"a2"} // a is linked with b, but not connected
	if diff := cmp.Diff(want, extlink.ContactCard(d, "me", c).LinkedVia); diff != "" {
		t.Errorf("LinkedVia (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, extlink.LinkedColleagues(d, "me", "b")); diff != "" {
		t.Errorf("LinkedColleagues (-want +got):\n%s", diff)
	}
	for _, q := range [][2]extlink.UserID{{"me", "a"}, {"l", "b"}, {"zz", "b"}, {"me", "zz"}} {
		if got := extlink.LinkedColleagues(d, q[0], q[1]); len(got) != 0 {
			t.Errorf("LinkedColleagues(%s, %s) = %v, want none", q[0], q[1], got)
		}
	}
}
