package extlink

import (
	"slices"
	"strings"
)

// Contact is an entry in a tenant's shared address book (customers and
// partners): a colleague added it and shares it with the tenant. Seeing a
// contact does not link you with the person [P1-P3]: it allows e-mail, if an
// address is recorded, and nothing 1:1 (R4). It is a plain, comparable value.
type Contact struct {
	Tenant TenantID // whose address book it is in
	Owner  UserID   // the member who added and shared it
	User   UserID   // the outsider's account; empty for a name-and-e-mail entry
	Name   string
	Email  string
}

// label names the contact in a sentence: its account, else its name.
func (c Contact) label() UserID {
	if c.User != "" {
		return c.User
	}
	if c.Name != "" {
		return UserID(c.Name)
	}
	return "the contact"
}

// CanEmail decides whether viewer may e-mail the contact c (R4): viewer must
// be a member of c.Tenant, whose address book holds c, and c must record an
// address. E-mail needs no link and no policy. The decision's Who is c.User,
// or c.Name for a contact without an account. It does not allocate.
func CanEmail(d Store, viewer UserID, c Contact) Decision {
	who := c.label()
	r, ok := lookup(d, viewer)
	switch {
	case !ok:
		return deny(ActEmail, R4, viewer, who, ReasonUnknownUser, viewer, "")
	case r.kind != WorksUser || r.tenant != c.Tenant:
		return deny(ActEmail, R4, viewer, who, ReasonNotMember, "", c.Tenant)
	case c.Email == "":
		return deny(ActEmail, R4, viewer, who, ReasonNoAddress, "", c.Tenant)
	}
	return allow(ActEmail, R4, viewer, who)
}

// Card is what viewer sees on opening one address-book entry: the post's
// contact details [P3-P5]. Talk and Call are greyed out unless allowed; a
// shared contact, one that viewer is not linked with, allows only e-mail.
type Card struct {
	Viewer  UserID
	Contact Contact
	Linked  bool     // viewer is linked with the contact's account (R5)
	Talk    Decision // 1:1 talk with the account (R1, R2)
	Call    Decision // a call to the account (R1, R3)
	Email   Decision // e-mail to the recorded address (R4)
	// LinkedVia lists viewer's colleagues who are linked with the account
	// and may talk with the person now, sorted by ID: the ones who can
	// build the group of R21 for viewer (R24), as [LinkedColleagues]
	// finds them. It is empty when viewer is linked.
	LinkedVia []UserID
}

// ContactCard returns what viewer sees for the contact c. For a contact
// without an account, Talk and Call are refused as an unknown user. It
// costs one decision each and, for a shared contact, [LinkedColleagues].
func ContactCard(d Store, viewer UserID, c Contact) Card {
	card := Card{Viewer: viewer, Contact: c, Email: CanEmail(d, viewer, c)}
	if c.User == "" {
		card.Talk = deny(ActTalk, R2, viewer, c.label(), ReasonUnknownUser, c.label(), "")
		card.Call = deny(ActCall, R3, viewer, c.label(), ReasonUnknownUser, c.label(), "")
		return card
	}
	card.Talk = CanTalk(d, viewer, c.User)
	card.Call = CanCall(d, viewer, c.User)
	card.Linked = d != nil && d.Linked(viewer, c.User)
	if card.Linked {
		return card
	}
	card.LinkedVia = LinkedColleagues(d, viewer, c.User)
	return card
}

// LinkedColleagues returns viewer's colleagues who are linked with who and
// may talk 1:1 with who now ([CanTalk] allows it), sorted by ID: the people
// who could talk with who for viewer, or bring the two together in a room
// or a group (R7, R21, R24). A colleague linked with who but kept from
// outside talk by the tenant's policy is not one. It is empty unless viewer
// is a LINE WORKS user and who, known, is not viewer's colleague. It costs
// a walk over who's links and a decision for each colleague among them.
func LinkedColleagues(d Store, viewer, who UserID) []UserID {
	if d == nil {
		return nil
	}
	v, ok := lookup(d, viewer)
	if !ok || v.kind != WorksUser {
		return nil
	}
	if w, ok := lookup(d, who); !ok || colleague(v, w) {
		return nil
	}
	var out []UserID
	for u := range d.Links(who) {
		if r, ok := lookup(d, u); ok && u != viewer && colleague(v, r) && CanTalk(d, u, who).Allowed {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// String renders the card in a few lines, as the post's contact details
// would show it.
func (c Card) String() string {
	var b strings.Builder
	b.WriteString(string(c.Contact.label()))
	if c.Contact.Name != "" && c.Contact.User != "" {
		b.WriteString(" (" + c.Contact.Name + ")")
	}
	switch {
	case c.Contact.User == "":
		b.WriteString(": an address-book entry without an account\n")
	case c.Linked:
		b.WriteString(": linked with " + string(c.Viewer) + "\n")
	default:
		b.WriteString(": a shared contact, not linked with " + string(c.Viewer) + "\n")
	}
	for _, l := range [...]struct {
		name string
		d    Decision
	}{{"talk", c.Talk}, {"call", c.Call}, {"e-mail", c.Email}} {
		mark := "no "
		if l.d.Allowed {
			mark = "yes"
		}
		b.WriteString("  " + l.name + strings.Repeat(" ", 7-len(l.name)) + mark + "  " + l.d.String() + "\n")
	}
	if len(c.LinkedVia) > 0 {
		ids := make([]string, len(c.LinkedVia))
		for i, u := range c.LinkedVia {
			ids[i] = string(u)
		}
		b.WriteString("  linked colleagues: " + strings.Join(ids, ", ") + " (they can talk with " + string(c.Contact.User) + ", or build a group for " + string(c.Viewer) + ": R21)\n")
	}
	return b.String()
}
