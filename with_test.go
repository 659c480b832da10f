package extlink_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genChange draws one change for a directory: mostly ones that could pass,
// naming its users and tenants, some naming unknown ones or repeating what
// is there, so that batches are valid and invalid alike.
func genChange(t *rapid.T, d *extlink.Directory, label string) extlink.Change {
	users := slices.Collect(d.Users())
	tenants := slices.Collect(d.Tenants())
	// IDs old and new: new ones sort before, between and after the
	// existing ones, so that numbering and ID order part ways.
	uid := rapid.SampledFrom([]extlink.UserID{"a", "m", "u0", "u15", "u5x", "zz", "me"})
	tid := rapid.SampledFrom([]extlink.TenantID{"t0", "t15", "t9", "a"})
	pickUser := func(l string) extlink.UserID {
		if len(users) > 0 && rapid.IntRange(0, 5).Draw(t, l+".known") > 0 {
			return rapid.SampledFrom(users).Draw(t, l).ID
		}
		return uid.Draw(t, l+".new")
	}
	pickTenant := func(l string) extlink.TenantID {
		if len(tenants) > 0 && rapid.IntRange(0, 5).Draw(t, l+".known") > 0 {
			return rapid.SampledFrom(tenants).Draw(t, l).ID
		}
		return tid.Draw(t, l+".new")
	}
	newUser := func(l string, id extlink.UserID) extlink.User {
		u := extlink.User{ID: id, Name: rapid.SampledFrom([]string{"", "A", "B"}).Draw(t, l+".name")}
		if rapid.IntRange(0, 5).Draw(t, l+".line") == 3 {
			u.Kind = extlink.LINEUser
			return u
		}
		u.Tenant = pickTenant(l + ".tenant")
		if rapid.IntRange(0, 4).Draw(t, l+".admin") == 2 {
			u.Role = extlink.Admin
		}
		u.Connected = rapid.Bool().Draw(t, l+".connected")
		return u
	}
	switch rapid.IntRange(0, 9).Draw(t, label+".op") {
	case 0:
		return extlink.AddTenant(extlink.Tenant{ID: tid.Draw(t, label+".tenant"), Name: "T", Policy: genPolicy(t, label+".policy")})
	case 1:
		return extlink.RemoveTenant(pickTenant(label + ".tenant"))
	case 2:
		return extlink.SetPolicy(pickTenant(label+".tenant"), genPolicy(t, label+".policy"))
	case 3:
		return extlink.AddUser(newUser(label, uid.Draw(t, label+".id")))
	case 4:
		return extlink.SetUser(newUser(label, pickUser(label+".user")))
	case 5:
		return extlink.RemoveUser(pickUser(label + ".user"))
	case 6:
		return extlink.SetConnected(pickUser(label+".user"), rapid.Bool().Draw(t, label+".on"))
	case 7, 8:
		return extlink.AddLink(pickUser(label+".a"), pickUser(label+".b"))
	default:
		return extlink.RemoveLink(pickUser(label+".a"), pickUser(label+".b"))
	}
}

// sameDirectory fails t unless got answers every Store method and every
// talk, call and e-mail decision as want does, for every user and tenant of
// either and for an unknown one, and gives the same plans.
func sameDirectory(t interface {
	Helper()
	Fatalf(string, ...any)
}, got, want *extlink.Directory) {
	t.Helper()
	diff := func(what string, w, g any) {
		t.Helper()
		if d := cmp.Diff(w, g); d != "" {
			t.Fatalf("%s (-want +got):\n%s", what, d)
		}
	}
	users := slices.Collect(want.Users())
	diff("Users", users, slices.Collect(got.Users()))
	diff("Tenants", slices.Collect(want.Tenants()), slices.Collect(got.Tenants()))
	diff("AllLinks", slices.Collect(want.AllLinks()), slices.Collect(got.AllLinks()))
	wu, wt, wl := want.Len()
	gu, gt, gl := got.Len()
	diff("Len", []int{wu, wt, wl}, []int{gu, gt, gl})
	ids := []extlink.UserID{unknownID}
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	for t := range want.Tenants() {
		diff("Members "+string(t.ID), slices.Collect(want.Members(t.ID)), slices.Collect(got.Members(t.ID)))
	}
	diff("Members of an unknown tenant", slices.Collect(want.Members("zz")), slices.Collect(got.Members("zz")))
	for _, a := range ids {
		wu, wok := want.User(a)
		gu, gok := got.User(a)
		diff("User "+string(a), fmt.Sprint(wu, wok), fmt.Sprint(gu, gok))
		diff("Links "+string(a), slices.Collect(want.Links(a)), slices.Collect(got.Links(a)))
		c := extlink.Contact{Tenant: wu.Tenant, Owner: a, User: a, Email: "x@example.com"}
		for _, b := range ids {
			pair := string(a) + " " + string(b)
			diff("Linked "+pair, want.Linked(a, b), got.Linked(a, b))
			diff("CanTalk "+pair, extlink.CanTalk(want, a, b), extlink.CanTalk(got, a, b))
			diff("CanCall "+pair, extlink.CanCall(want, a, b), extlink.CanCall(got, a, b))
			diff("CanEmail "+pair, extlink.CanEmail(want, b, c), extlink.CanEmail(got, b, c))
		}
	}
	// Plans break ties by ID order, so they show numbering that is not.
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			wp, werr := extlink.PlanGroup(want, a, b)
			gp, gerr := extlink.PlanGroup(got, a, b)
			diff("PlanGroup "+string(a)+" "+string(b), fmt.Sprint(wp, werr), fmt.Sprint(gp, gerr))
		}
	}
}

// ids returns the IDs of d's users.
func ids(d *extlink.Directory) []extlink.UserID {
	var out []extlink.UserID
	for u := range d.Users() {
		out = append(out, u.ID)
	}
	return out
}

// R28: on random worlds and random sequences of batches, valid and not,
// With answers as NewDirectory on the changed input, refuses exactly the
// batches the plain oracle refuses with the same problems, changes nothing
// when it refuses, and leaves every earlier version answering as it did.
func TestWithMatchesNewDirectory(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 3, 6)
		d := mustDir(t, w)
		type version struct{ got, want *extlink.Directory }
		versions := []version{{d, d}}
		steps := rapid.IntRange(1, 12).Draw(t, "steps")
		for s := range steps {
			cur := versions[len(versions)-1]
			n := rapid.IntRange(1, 4).Draw(t, fmt.Sprintf("batch%d", s))
			var batch []extlink.Change
			for i := range n {
				batch = append(batch, genChange(t, cur.want, fmt.Sprintf("c%d.%d", s, i)))
			}
			got, gerr := cur.got.With(batch...)
			want, werr := extlink.RefWith(cur.want, batch...)
			if (gerr == nil) != (werr == nil) {
				t.Fatalf("%v: With says %v, the oracle %v", batch, gerr, werr)
			}
			if gerr != nil {
				if !errors.Is(gerr, extlink.ErrInvalid) || errors.Is(gerr, extlink.ErrDenied) {
					t.Fatalf("error %v wraps the wrong sentinels", gerr)
				}
				if gerr.Error() != werr.Error() {
					t.Fatalf("problems differ:\n%v\n%v", gerr, werr)
				}
				if got != cur.got {
					t.Fatalf("a refused batch returned a new directory")
				}
				continue
			}
			sameDirectory(t, got, want)
			// What-if and Reconcile read a changed directory as a built one.
			q := extlink.WhatIfQuery{Users: ids(want), Tenant: w.Tenants[0].ID, MaxSteps: 6}
			for _, u := range w.Users {
				others := slices.DeleteFunc(ids(cur.want), func(id extlink.UserID) bool { return id == u.ID })
				for k := len(others); k >= 0; k-- { // the largest group u may create
					if g, err := extlink.NewGroup(cur.want, u.ID, others[:k]...); err == nil {
						q.Groups = append(q.Groups, g)
						break
					}
				}
			}
			gr, gerr := extlink.WhatIf(cur.got, got, q)
			wr, werr := extlink.WhatIf(cur.want, want, q)
			if fmt.Sprint(gr, gerr) != fmt.Sprint(wr, werr) {
				t.Fatalf("WhatIf differs:\n%v %v\n%v %v", gr, gerr, wr, werr)
			}
			for _, g := range q.Groups {
				if !extlink.Reconcile(got, g).Equal(extlink.Reconcile(want, g)) {
					t.Fatalf("Reconcile of %v differs", g)
				}
			}
			versions = append(versions, version{got, want})
			// An earlier version still answers as it did.
			old := rapid.SampledFrom(versions).Draw(t, "old")
			sameDirectory(t, old.got, old.want)
		}
	})
}

// R28: readers deciding on old versions while a writer makes new ones from
// them see their own snapshot, unchanged (run under -race).
func TestWithConcurrentReaders(t *testing.T) {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}}, {ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if !extlink.CanTalk(d, "a", "b").Allowed || extlink.CanTalk(d, "me", "b").Allowed {
					t.Error("the first version changed under a reader")
					return
				}
			}
		})
	}
	cur := d
	for i := range 2000 {
		id := extlink.UserID(fmt.Sprintf("u%04d", i))
		next, err := cur.With(extlink.AddUser(extlink.User{ID: id, Tenant: "t1", Connected: true}), extlink.AddLink(id, "b"), extlink.RemoveLink("a", "b"), extlink.AddLink("a", "b"))
		if err != nil {
			t.Fatal(err)
		}
		if !extlink.CanTalk(next, id, "b").Allowed || extlink.CanTalk(cur, id, "b").Allowed {
			t.Fatalf("version %d: the new user's link shows in the wrong version", i)
		}
		cur = next
	}
	close(stop)
	wg.Wait()
}

// Change values survive a JSON round trip, whatever their fields, and a
// change log reads plainly.
func TestChangeJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		str := rapid.SampledFrom([]string{"", "a", "t1", "田中", "x\"y"})
		c := extlink.Change{
			Op: extlink.ChangeOp(rapid.IntRange(1, 9).Draw(t, "op")),
			Tenant: extlink.Tenant{ID: extlink.TenantID(str.Draw(t, "tid")), Name: str.Draw(t, "tname"),
				Policy: genPolicy(t, "policy")},
			User: extlink.User{ID: extlink.UserID(str.Draw(t, "uid")), Name: str.Draw(t, "uname"),
				Tenant: extlink.TenantID(str.Draw(t, "ut")), Kind: extlink.Kind(rapid.IntRange(0, 1).Draw(t, "kind")),
				Role: extlink.Role(rapid.IntRange(0, 1).Draw(t, "role")), Connected: rapid.Bool().Draw(t, "conn")},
			Link: extlink.Link{A: extlink.UserID(str.Draw(t, "a")), B: extlink.UserID(str.Draw(t, "b"))},
		}
		if rapid.Bool().Draw(t, "sparse") {
			c.Tenant, c.User = extlink.Tenant{}, extlink.User{}
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back extlink.Change
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if back != c {
			t.Fatalf("%s came back as %+v, want %+v", b, back, c)
		}
	})
	for _, tc := range []struct {
		c    extlink.Change
		want string
	}{
		{extlink.AddUser(extlink.User{ID: "me", Name: "me", Tenant: "t1"}), `{"op":"addUser","user":{"id":"me","name":"me","tenant":"t1","kind":"works","role":"member"}}`},
		{extlink.SetPolicy("t1", extlink.Policy{Works: extlink.AccessListed}), `{"op":"setPolicy","tenant":{"id":"t1","policy":{"works":"listed","line":"off"}}}`},
		{extlink.SetConnected("me", true), `{"op":"setConnected","user":{"id":"me","connected":true}}`},
		{extlink.AddLink("a", "b"), `{"op":"addLink","link":{"a":"a","b":"b"}}`},
		{extlink.RemoveUser("a"), `{"op":"removeUser","user":{"id":"a"}}`},
		{extlink.RemoveTenant("t2"), `{"op":"removeTenant","tenant":{"id":"t2"}}`},
	} {
		b, err := json.Marshal(tc.c)
		if err != nil || string(b) != tc.want {
			t.Errorf("%v: got %s, %v; want %s", tc.c, b, err, tc.want)
		}
	}
	for _, bad := range []string{`{}`, `{"op":"hug"}`, `{"op":"addLink","color":"red"}`, `{"op":"addUser","user":{"kind":"robot"}}`} {
		var c extlink.Change
		if err := json.Unmarshal([]byte(bad), &c); !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := json.Marshal(extlink.Change{}); err == nil {
		t.Error("the zero Change marshalled")
	}
}

// Decisions on a changed directory allocate nothing, as on a built one, and
// a change allocates a bounded handful of pages whatever the directory's
// size (R28).
func TestWithAllocs(t *testing.T) {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}}, {ID: "t2", Policy: extlink.Policy{Works: extlink.AccessListed}}},
		[]extlink.User{{ID: "a", Tenant: "t1", Role: extlink.Admin}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2", Connected: true}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	for i := range 5_000 { // numbering out of ID order, links searched by scan and by ID
		id := extlink.UserID(fmt.Sprintf("%c%04d", 'a'+i%3, i))
		var err error
		if d, err = d.With(extlink.AddUser(extlink.User{ID: id, Tenant: "t1"}), extlink.AddLink(id, "b")); err != nil {
			t.Fatal(err)
		}
	}
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"talk colleagues", func() { extlink.CanTalk(d, "a", "me") }},
		{"talk linked", func() { extlink.CanTalk(d, "b", "a0000") }},
		{"talk denied", func() { extlink.CanTalk(d, "me", "b") }},
		{"call", func() { extlink.CanCall(d, "a", "b") }},
		{"invite", func() { extlink.CanInvite(d, g, "a", "me") }},
	} {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", tt.name, n)
		}
	}
	if !extlink.CanTalk(d, "b", "c4997").Allowed || extlink.CanTalk(d, "me", "b").Allowed {
		t.Fatal("the changed directory decides wrongly")
	}
	on := false
	if n := testing.AllocsPerRun(100, func() {
		on = !on
		if _, err := d.With(extlink.SetConnected("me", on)); err != nil {
			t.Fatal(err)
		}
	}); n > 20 {
		t.Errorf("a change allocates %v times, want at most 20", n)
	}
}
