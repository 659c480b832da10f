package world_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genWorld draws a random valid world: a few tenants with random policies,
// LINE WORKS and LINE users with odd IDs, valid links, address-book
// contacts and groups.
func genWorld(t *rapid.T) *world.World {
	access := rapid.SampledFrom([]extlink.Access{extlink.AccessOff, extlink.AccessAll, extlink.AccessListed})
	names := rapid.SampledFrom([]string{"", "our company", "名前", `a "quoted" name`, "tab\there"})
	var tenants []extlink.Tenant
	for i := range rapid.IntRange(1, 4).Draw(t, "tenants") {
		tenants = append(tenants, extlink.Tenant{
			ID:   extlink.TenantID(fmt.Sprintf("t%d", i+1)),
			Name: names.Draw(t, "tenant name"),
			Policy: extlink.Policy{
				Works:               access.Draw(t, "works"),
				LINE:                access.Draw(t, "line"),
				NoCalls:             rapid.Bool().Draw(t, "noCalls"),
				MembersCreateGroups: rapid.Bool().Draw(t, "membersCreateGroups"),
				MembersLeaveGroups:  rapid.Bool().Draw(t, "membersLeaveGroups"),
			},
		})
	}
	prefix := rapid.SampledFrom([]string{"u", "名", `a"b`, "x y", "<&>", `\`})
	var users []extlink.User
	for i := range rapid.IntRange(0, 8).Draw(t, "users") {
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("%s%d", prefix.Draw(t, "prefix"), i)), Name: names.Draw(t, "user name")}
		if rapid.IntRange(0, 4).Draw(t, "kind") == 0 {
			u.Kind = extlink.LINEUser
		} else {
			u.Tenant = rapid.SampledFrom(tenants).Draw(t, "tenant").ID
			u.Role = rapid.SampledFrom([]extlink.Role{extlink.Member, extlink.Admin}).Draw(t, "role")
			u.Connected = rapid.Bool().Draw(t, "connected")
		}
		users = append(users, u)
	}
	colleagues := func(a, b extlink.User) bool {
		return a.Kind == extlink.WorksUser && b.Kind == extlink.WorksUser && a.Tenant == b.Tenant
	}
	var links []extlink.Link
	for i, a := range users {
		for _, b := range users[i+1:] {
			if colleagues(a, b) || a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser {
				continue
			}
			if rapid.Bool().Draw(t, "link") {
				links = append(links, extlink.Link{A: a.ID, B: b.ID})
			}
		}
	}
	d, err := extlink.NewDirectory(tenants, users, links)
	if err != nil {
		t.Fatalf("generated an invalid directory: %v", err)
	}
	w := &world.World{Directory: d}

	type entry struct {
		t extlink.TenantID
		u extlink.UserID
	}
	inBook := map[entry]bool{}
	for range rapid.IntRange(0, 4).Draw(t, "contacts") {
		tn := rapid.SampledFrom(tenants).Draw(t, "book").ID
		var members, outsiders []extlink.UserID
		for _, u := range users {
			if u.Kind == extlink.WorksUser && u.Tenant == tn {
				members = append(members, u.ID)
			} else {
				outsiders = append(outsiders, u.ID)
			}
		}
		if len(members) == 0 {
			continue
		}
		c := extlink.Contact{Tenant: tn, Owner: rapid.SampledFrom(members).Draw(t, "owner"), Name: names.Draw(t, "contact name")}
		if len(outsiders) > 0 && rapid.Bool().Draw(t, "with account") {
			c.User = rapid.SampledFrom(outsiders).Draw(t, "account")
		}
		if c.User == "" && c.Name == "" {
			c.Name = "N"
		}
		if c.User != "" && inBook[entry{tn, c.User}] {
			continue
		}
		inBook[entry{tn, c.User}] = true
		c.Email = rapid.SampledFrom([]string{"", "x@example.com", "名@例.jp"}).Draw(t, "email")
		w.Contacts = append(w.Contacts, c)
	}

	for i := range rapid.IntRange(0, 3).Draw(t, "groups") {
		s := extlink.GroupState{Home: rapid.SampledFrom(tenants).Draw(t, "home").ID, External: rapid.Bool().Draw(t, "external")}
		var can []extlink.UserID
		for _, u := range users {
			if u.Kind == extlink.WorksUser && (s.External || u.Tenant == s.Home) {
				can = append(can, u.ID)
			}
		}
		if len(can) == 0 || rapid.IntRange(0, 5).Draw(t, "dissolved") == 0 {
			s.Dissolved = true
		} else {
			perm := rapid.Permutation(can).Draw(t, "join order")
			s.Members = perm[:rapid.IntRange(1, len(perm)).Draw(t, "members")]
			ms := rapid.Permutation(s.Members).Draw(t, "masters")
			s.Masters = ms[:rapid.IntRange(1, len(ms)).Draw(t, "masters")]
		}
		g, err := extlink.RestoreGroup(s)
		if err != nil {
			t.Fatalf("generated an invalid group %+v: %v", s, err)
		}
		name := ""
		if rapid.Bool().Draw(t, "named") {
			name = fmt.Sprintf("g%d", i)
		}
		w.Groups = append(w.Groups, world.Group{Name: name, Group: g})
	}
	return w
}

// same fails t unless a and b describe the same world.
func same(t *rapid.T, a, b *world.World) {
	t.Helper()
	for _, d := range []string{
		cmp.Diff(slices.Collect(a.Directory.Tenants()), slices.Collect(b.Directory.Tenants())),
		cmp.Diff(slices.Collect(a.Directory.Users()), slices.Collect(b.Directory.Users())),
		cmp.Diff(slices.Collect(a.Directory.AllLinks()), slices.Collect(b.Directory.AllLinks())),
		cmp.Diff(a.Contacts, b.Contacts),
		cmp.Diff(a.Groups, b.Groups),
	} {
		if d != "" {
			t.Fatalf("worlds differ (-first +second):\n%s", d)
		}
	}
}

// A valid world encodes and decodes to the same directory, contacts and
// groups, and encodes the same way again.
func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		var buf bytes.Buffer
		if err := world.Encode(&buf, w); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		text := buf.String()
		got, err := world.Decode("gen.json", &buf)
		if err != nil {
			t.Fatalf("Decode of\n%s\n: %v", text, err)
		}
		same(t, w, got)
		var again bytes.Buffer
		if err := world.Encode(&again, got); err != nil || again.String() != text {
			t.Fatalf("Encode again (err %v):\n%s\nfirst:\n%s", err, again.String(), text)
		}

		// Through encoding/json, as a service embedding a world would.
		b, err := json.Marshal(struct{ World *world.World }{w})
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		var back struct{ World world.World }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("json.Unmarshal of %s: %v", b, err)
		}
		same(t, w, &back.World)
	})
}
