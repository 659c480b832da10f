package extlink_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// checkCause fails unless dec agrees with want: allowed when want is nil,
// else denied with want as its cause, through both Cause and Err.
func checkCause(t interface {
	Helper()
	Fatalf(string, ...any)
}, what string, dec extlink.Decision, want error) {
	t.Helper()
	if want == nil {
		if !dec.Allowed || dec.Err() != nil {
			t.Fatalf("%s: got %v, want allowed", what, dec)
		}
		return
	}
	err := dec.Err()
	if dec.Allowed || dec.Cause() != want || !errors.Is(err, want) || !errors.Is(err, extlink.ErrDenied) {
		t.Fatalf("%s: got %v (cause %v), want denied with %v", what, dec, dec.Cause(), want)
	}
}

// R1, R2, R3, D7, D8: CanTalk and CanCall agree with the reference model.
func TestTalkCallMatchReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 4, 8)
		d := mustDir(t, w)
		for range 20 {
			a, b := genUser(t, w, "a"), genUser(t, w, "b")
			checkCause(t, "CanTalk("+string(a)+", "+string(b)+")", extlink.CanTalk(d, a, b), w.refTalk(a, b))
			checkCause(t, "CanCall("+string(a)+", "+string(b)+")", extlink.CanCall(d, a, b), w.refCall(a, b))
		}
	})
}

// R5, D1: talk and call decisions are symmetric, and so is Linked.
func TestTalkCallSymmetric(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 4, 8)
		d := mustDir(t, w)
		for _, a := range w.Users {
			for _, b := range w.Users {
				ab, ba := extlink.CanTalk(d, a.ID, b.ID), extlink.CanTalk(d, b.ID, a.ID)
				if ab.Allowed != ba.Allowed || ab.Cause() != ba.Cause() || ab.Rule != ba.Rule {
					t.Fatalf("talk not symmetric:\n%v\n%v", ab, ba)
				}
				ab, ba = extlink.CanCall(d, a.ID, b.ID), extlink.CanCall(d, b.ID, a.ID)
				if ab.Allowed != ba.Allowed || ab.Cause() != ba.Cause() || ab.Rule != ba.Rule {
					t.Fatalf("call not symmetric:\n%v\n%v", ab, ba)
				}
				if d.Linked(a.ID, b.ID) != d.Linked(b.ID, a.ID) || d.Linked(a.ID, b.ID) != w.linked(a.ID, b.ID) {
					t.Fatalf("Linked(%s, %s) = %v, reference %v", a.ID, b.ID, d.Linked(a.ID, b.ID), w.linked(a.ID, b.ID))
				}
			}
		}
	})
}

// R3, R4: a shared, unlinked contact can never be called or talked with, only
// e-mailed; and a call is never allowed where talk is not.
func TestCallImpliesTalk(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 4, 8)
		d := mustDir(t, w)
		for _, a := range w.Users {
			for _, b := range w.Users {
				call, talk := extlink.CanCall(d, a.ID, b.ID), extlink.CanTalk(d, a.ID, b.ID)
				if call.Allowed && !talk.Allowed {
					t.Fatalf("call allowed without talk: %v / %v", call, talk)
				}
				if !colleagues(a, b) && !w.linked(a.ID, b.ID) && (talk.Allowed || call.Allowed) {
					t.Fatalf("unlinked outsiders may talk or call: %v / %v", talk, call)
				}
			}
		}
	})
}

// storeOnly hides *Directory behind the Store interface, to exercise the
// path for services' own stores.
type storeOnly struct{ extlink.Store }

// The generic Store path decides exactly as the *Directory fast path.
func TestStorePathMatchesDirectory(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 4, 8)
		d := mustDir(t, w)
		s := storeOnly{d}
		for range 20 {
			a, b := genUser(t, w, "a"), genUser(t, w, "b")
			if diff := cmp.Diff(extlink.CanTalk(d, a, b), extlink.CanTalk(s, a, b)); diff != "" {
				t.Fatalf("CanTalk(%s, %s) differs (-dir +store):\n%s", a, b, diff)
			}
			if diff := cmp.Diff(extlink.CanCall(d, a, b), extlink.CanCall(s, a, b)); diff != "" {
				t.Fatalf("CanCall(%s, %s) differs (-dir +store):\n%s", a, b, diff)
			}
		}
	})
}

// postDir is the post's world for table tests: A and me at t1, B at t2, a
// LINE user l, and c at a third tenant t3; A linked with B and l.
func postDir(t testing.TB, mod func(*world)) *extlink.Directory {
	t.Helper()
	open := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersCreateGroups: true}
	w := world{
		Tenants: []extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}, {ID: "t3", Policy: open}},
		Users: []extlink.User{
			{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"},
			{ID: "c", Tenant: "t3"}, {ID: "l", Kind: extlink.LINEUser},
		},
		Links: []extlink.Link{{A: "a", B: "b"}, {A: "a", B: "l"}, {A: "a", B: "c"}},
	}
	if mod != nil {
		mod(&w)
	}
	d, err := w.dir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func policy(w *world, tenant extlink.TenantID, f func(*extlink.Policy)) {
	for i := range w.Tenants {
		if w.Tenants[i].ID == tenant {
			f(&w.Tenants[i].Policy)
		}
	}
}

func user(w *world, id extlink.UserID, f func(*extlink.User)) {
	for i := range w.Users {
		if w.Users[i].ID == id {
			f(&w.Users[i])
		}
	}
}

// Each policy knob and each talk/call sentinel, with the full decision.
func TestTalkCallTable(t *testing.T) {
	type dec = extlink.Decision
	tests := []struct {
		name     string
		mod      func(*world)
		call     bool
		from, to extlink.UserID
		want     dec
	}{
		{"R1 colleagues talk", nil, false, "a", "me",
			dec{Allowed: true, Rule: extlink.R1, Action: extlink.ActTalk, By: "a", Who: "me"}},
		{"R1 colleagues talk with everything off", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { *p = extlink.Policy{NoCalls: true} })
		}, false, "a", "me",
			dec{Allowed: true, Rule: extlink.R1, Action: extlink.ActTalk, By: "a", Who: "me"}},
		{"R1 colleagues call", nil, true, "a", "me",
			dec{Allowed: true, Rule: extlink.R1, Action: extlink.ActCall, By: "a", Who: "me"}},
		{"R1 calls off between colleagues", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.NoCalls = true })
		}, true, "a", "me",
			dec{Rule: extlink.R1, Action: extlink.ActCall, By: "a", Who: "me", Reason: extlink.ReasonCallsOff, Tenant: "t1"}},
		{"R2 linked outsiders talk", nil, false, "a", "b",
			dec{Allowed: true, Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "b"}},
		{"R2 not linked", nil, false, "me", "b",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "me", Who: "b", Reason: extlink.ReasonNotLinked}},
		{"R2 Works switch off on the asking side", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, false, "a", "b",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "b", Reason: extlink.ReasonWorksOff, Tenant: "t1"}},
		{"R2 Works switch off on the other side", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, false, "a", "b",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "b", Reason: extlink.ReasonWorksOff, Tenant: "t2"}},
		{"R2 listed and not connected", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
		}, false, "a", "b",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "b", Reason: extlink.ReasonNotConnected, Party: "b", Tenant: "t2"}},
		{"R2 listed and connected", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
			user(w, "b", func(u *extlink.User) { u.Connected = true })
		}, false, "a", "b",
			dec{Allowed: true, Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "b"}},
		{"D7 policy before link", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, false, "me", "b",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "me", Who: "b", Reason: extlink.ReasonWorksOff, Tenant: "t2"}},
		{"R2 LINE switch is separate from Works", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, false, "a", "l",
			dec{Allowed: true, Rule: extlink.R2, Action: extlink.ActTalk, By: "a", Who: "l"}},
		{"R2 LINE switch off", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.LINE = extlink.AccessOff })
		}, false, "l", "a",
			dec{Rule: extlink.R2, Action: extlink.ActTalk, By: "l", Who: "a", Reason: extlink.ReasonLINEOff, Tenant: "t1"}},
		{"D8 LINE user not linked", nil, true, "me", "l",
			dec{Rule: extlink.R3, Action: extlink.ActCall, By: "me", Who: "l", Reason: extlink.ReasonNotLinked}},
		{"R3 LINE users cannot be called", nil, true, "a", "l",
			dec{Rule: extlink.R3, Action: extlink.ActCall, By: "a", Who: "l", Reason: extlink.ReasonLINECall, Party: "l"}},
		{"R3 linked outsiders call", nil, true, "b", "a",
			dec{Allowed: true, Rule: extlink.R3, Action: extlink.ActCall, By: "b", Who: "a"}},
		{"R3 calls off on the other side", func(w *world) {
			policy(w, "t2", func(p *extlink.Policy) { p.NoCalls = true })
		}, true, "a", "b",
			dec{Rule: extlink.R3, Action: extlink.ActCall, By: "a", Who: "b", Reason: extlink.ReasonCallsOff, Tenant: "t2"}},
		{"R3 a shared contact is never called", nil, true, "me", "b",
			dec{Rule: extlink.R3, Action: extlink.ActCall, By: "me", Who: "b", Reason: extlink.ReasonNotLinked}},
		{"D7 unknown user first", nil, true, "me", "zz",
			dec{Rule: extlink.R3, Action: extlink.ActCall, By: "me", Who: "zz", Reason: extlink.ReasonUnknownUser, Party: "zz"}},
		{"self", nil, false, "me", "me",
			dec{Rule: extlink.R1, Action: extlink.ActTalk, By: "me", Who: "me", Reason: extlink.ReasonSelf}},
		{"R6 two LINE users", func(w *world) {
			w.Users = append(w.Users, extlink.User{ID: "l2", Kind: extlink.LINEUser})
		}, false, "l", "l2",
			dec{Rule: extlink.R6, Action: extlink.ActTalk, By: "l", Who: "l2", Reason: extlink.ReasonLINEPair}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := postDir(t, tt.mod)
			got := extlink.CanTalk(d, tt.from, tt.to)
			if tt.call {
				got = extlink.CanCall(d, tt.from, tt.to)
			}
			if diff := cmp.Diff(tt.want, public(got)); diff != "" {
				t.Errorf("decision (-want +got):\n%s\n%s", diff, got)
			}
		})
	}
}

// R24: denials read as one sentence with the users, the rule and a remedy.
func TestDecisionText(t *testing.T) {
	d := postDir(t, func(w *world) {
		policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessListed; p.NoCalls = true })
	})
	tests := []struct {
		dec  extlink.Decision
		want string
	}{
		{extlink.CanTalk(d, "me", "b"), "extlink: me cannot talk with b: b is not one of t2's connected members (R2); add b to t2's connected members, and link me with b"},
		{extlink.CanTalk(d, "me", "zz"), "extlink: me cannot talk with zz: zz is not in the directory (R2); check the ID, or add zz to the directory"},
		{extlink.CanCall(d, "a", "l"), "extlink: a cannot call l: l is a LINE user, and LINE users cannot be called (R3); talk with l instead"},
		{extlink.CanCall(d, "me", "c"), "extlink: me cannot call c: not linked (R3); link me with c first"},
		{extlink.Decision{}, "extlink:  cannot do Action(0)"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.dec.Err().Error()); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if got := extlink.CanTalk(d, "a", "me").String(); got != "a may talk with me (R1)" {
		t.Errorf("allowed String = %q", got)
	}
	if extlink.CanTalk(d, "a", "me").Err() != nil {
		t.Error("an allowed decision has an error")
	}
	if !(extlink.Decision{}).IsZero() || (extlink.Decision{}).Allowed {
		t.Error("the zero Decision must deny")
	}
}

// Every Reason maps to one sentinel and one D7 row, in the table's order.
func TestReasonTable(t *testing.T) {
	want := map[extlink.Reason]struct {
		cause error
		order int
	}{
		extlink.ReasonUnknownUser:   {extlink.ErrUnknownUser, 1},
		extlink.ReasonDissolved:     {extlink.ErrDissolved, 2},
		extlink.ReasonNotMember:     {extlink.ErrNotMember, 3},
		extlink.ReasonNotMaster:     {extlink.ErrNotMaster, 4},
		extlink.ReasonTargetMissing: {extlink.ErrNotMember, 5},
		extlink.ReasonAlreadyMember: {extlink.ErrAlreadyMember, 5},
		extlink.ReasonAlreadyMaster: {extlink.ErrAlreadyMember, 5},
		extlink.ReasonLastMaster:    {extlink.ErrLastMaster, 6},
		extlink.ReasonInternalGroup: {extlink.ErrInternalGroup, 7},
		extlink.ReasonWorksOff:      {extlink.ErrNotPermitted, 8},
		extlink.ReasonLINEOff:       {extlink.ErrNotPermitted, 8},
		extlink.ReasonNotConnected:  {extlink.ErrNotPermitted, 8},
		extlink.ReasonLINEInGroup:   {extlink.ErrNotPermitted, 8},
		extlink.ReasonNoGroupRights: {extlink.ErrNotPermitted, 8},
		extlink.ReasonNoSelfLeave:   {extlink.ErrNotPermitted, 8},
		extlink.ReasonRoomTooSmall:  {extlink.ErrNotPermitted, 8},
		extlink.ReasonSelf:          {extlink.ErrNotPermitted, 8},
		extlink.ReasonLINEPair:      {extlink.ErrNotPermitted, 8},
		extlink.ReasonNoAddress:     {extlink.ErrNotPermitted, 8},
		extlink.ReasonNotLinked:     {extlink.ErrNotLinked, 9},
		extlink.ReasonCallsOff:      {extlink.ErrCallsOff, 10},
		extlink.ReasonLINECall:      {extlink.ErrCallsOff, 10},
	}
	for r, w := range want {
		if r.Cause() != w.cause || r.Order() != w.order {
			t.Errorf("%v: cause %v order %d, want %v %d", r, r.Cause(), r.Order(), w.cause, w.order)
		}
		if strings.HasPrefix(r.String(), "Reason(") {
			t.Errorf("%d has no name", r)
		}
	}
	if extlink.ReasonNone.Cause() != nil || extlink.ReasonNone.Order() != 0 {
		t.Error("ReasonNone has a cause")
	}
	if got := extlink.Reason(200).String(); got != "Reason(200)" {
		t.Errorf("out of range: %q", got)
	}
}

// Rule labels and summaries.
func TestRuleString(t *testing.T) {
	for _, tt := range []struct {
		r    extlink.Rule
		want string
	}{{extlink.R1, "R1"}, {extlink.R13, "R13"}, {extlink.R26, "R26"}, {extlink.D1, "D1"}, {extlink.D8, "D8"}, {0, "Rule(0)"}, {250, "Rule(250)"}} {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%d: %q, want %q", tt.r, got, tt.want)
		}
	}
	for r := extlink.R1; r <= extlink.D8; r++ {
		if r.Summary() == "" {
			t.Errorf("%v has no summary", r)
		}
	}
	if extlink.Rule(250).Summary() != "" {
		t.Error("summary out of range")
	}
}

// Deciding allocates nothing, allowed or denied (the decision holds no text).
func TestNoAllocs(t *testing.T) {
	d := postDir(t, func(w *world) {
		policy(w, "t2", func(p *extlink.Policy) { p.NoCalls = true })
	})
	g, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	c := extlink.Contact{Tenant: "t1", User: "b", Email: "b@example.com"}
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"talk colleagues", func() { extlink.CanTalk(d, "a", "me") }},
		{"talk linked", func() { extlink.CanTalk(d, "a", "b") }},
		{"talk denied", func() { extlink.CanTalk(d, "me", "b") }},
		{"talk unknown", func() { extlink.CanTalk(d, "me", "zz") }},
		{"call allowed", func() { extlink.CanCall(d, "a", "me") }},
		{"call denied", func() { extlink.CanCall(d, "a", "b") }},
		{"call LINE", func() { extlink.CanCall(d, "a", "l") }},
		{"invite allowed", func() { extlink.CanInvite(d, g, "a", "me") }},
		{"invite denied", func() { extlink.CanInvite(d, g, "b", "me") }},
		{"email", func() { extlink.CanEmail(d, "me", c) }},
	} {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", tt.name, n)
		}
	}
}

// A nil or empty store knows nobody.
func TestNilStore(t *testing.T) {
	var nilDir *extlink.Directory
	for _, s := range []extlink.Store{nil, nilDir, &extlink.Directory{}} {
		checkCause(t, "CanTalk", extlink.CanTalk(s, "a", "b"), extlink.ErrUnknownUser)
		checkCause(t, "CanCall", extlink.CanCall(s, "a", "b"), extlink.ErrUnknownUser)
		if _, err := extlink.NewGroup(s, "a"); !errors.Is(err, extlink.ErrUnknownUser) {
			t.Errorf("NewGroup on an empty store: %v", err)
		}
	}
}

// public returns d's exported fields only, without the fix it carries
// (fix_test.go checks that), for tables of expected decisions.
func public(d extlink.Decision) extlink.Decision {
	return extlink.Decision{Allowed: d.Allowed, Rule: d.Rule, Action: d.Action, By: d.By, Who: d.Who,
		Reason: d.Reason, Party: d.Party, Tenant: d.Tenant}
}
