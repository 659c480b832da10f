package extlink_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/extlink/extlink"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// causeOf returns the cause sentinel of a refusal, or nil for a nil error,
// or the error itself for an ordinary (non-refusal) error.
func causeOf(err error) error {
	var de *extlink.DeniedError
	if errors.As(err, &de) {
		return de.Decision.Cause()
	}
	return err
}

// sameOutcome fails unless the package's err matches the reference's want:
// both nil, or a refusal wrapping ErrDenied with exactly want as its cause.
func sameOutcome(t *rapid.T, op string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: got %v, reference allows", op, err)
	case want != nil && err == nil:
		t.Fatalf("%s: allowed, reference refuses with %v", op, want)
	case want != nil && (causeOf(err) != want || !errors.Is(err, want) || !errors.Is(err, extlink.ErrDenied)):
		t.Fatalf("%s: got %v (cause %v), reference refuses with %v", op, err, causeOf(err), want)
	}
}

func hasDup(ids ...extlink.UserID) bool {
	s := slices.Clone(ids)
	slices.Sort(s)
	return len(slices.Compact(s)) != len(ids)
}

// The design card's property and R6-R20 as a state machine: random room and
// group operations, each compared with the reference model, and invariants
// checked around every step.
func TestGroupStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 4, 8)
		d := mustDir(t, w)

		var (
			room     extlink.Room
			rroom    refRoom
			g        extlink.Group
			ref      refGroup
			live     bool                                  // a group has been created
			external bool                                  // its flag at creation
			brought  = map[extlink.UserID]extlink.UserID{} // who brought each member in
			creator  extlink.UserID                        // who created or converted it
		)
		// step runs a group transition and compares it with the reference.
		step := func(name string, do func(extlink.Group) (extlink.Group, error), model func(refGroup) (refGroup, error), adder extlink.UserID, added extlink.UserID) {
			if !live {
				t.Skip("no group yet")
			}
			before := snapshot(g)
			got, err := do(g)
			want, wantErr := model(ref)
			sameOutcome(t, name, err, wantErr)
			if diff := cmp.Diff(before, snapshot(g)); diff != "" {
				t.Fatalf("%s changed its receiver (-before +after):\n%s", name, diff)
			}
			if err != nil {
				if !got.Equal(g) {
					t.Fatalf("%s refused but returned a different group: %v", name, got)
				}
				return
			}
			if diff := cmp.Diff(want, snapshot(got)); diff != "" {
				t.Fatalf("%s: state differs from the reference (-ref +got):\n%s", name, diff)
			}
			if added != "" {
				// Security: an outsider is brought in only by someone who
				// can talk 1:1 with them, at that moment (R12, R13).
				if w.refTalk(adder, added) != nil {
					t.Fatalf("%s was brought in by %s, who cannot talk with them", added, adder)
				}
				brought[added] = adder
			}
			g, ref = got, want
		}
		founded := func(got extlink.Group, want refGroup, by extlink.UserID) {
			if diff := cmp.Diff(want, snapshot(got)); diff != "" {
				t.Fatalf("new group differs from the reference (-ref +got):\n%s", diff)
			}
			g, ref, live, external, creator = got, want, true, got.External(), by
			clear(brought)
			for _, m := range got.Members() {
				if m != by {
					if w.refTalk(by, m) != nil {
						t.Fatalf("%s was brought in by %s, who cannot talk with them", m, by)
					}
					brought[m] = by
				}
			}
		}

		// roomStep runs a room transition and compares it with the reference.
		roomStep := func(name string, do func(extlink.Room) (extlink.Room, error), model func(refRoom) (refRoom, error)) {
			before, wasGone := room.Members(), room.Gone()
			got, err := do(room)
			want, wantErr := model(rroom)
			sameOutcome(t, name, err, wantErr)
			if diff := cmp.Diff(before, room.Members()); diff != "" || room.Gone() != wasGone {
				t.Fatalf("%s changed its receiver:\n%s", name, diff)
			}
			if err != nil {
				if !got.Equal(room) {
					t.Fatalf("refused %s returned a different room: %v", name, got)
				}
				return
			}
			if diff := cmp.Diff(sorted(want.Members), got.Members()); diff != "" || got.Gone() != want.Gone {
				t.Fatalf("%s: room differs from the reference (-ref +got), gone %v:\n%s", name, got.Gone(), diff)
			}
			if got.Gone() && got.Len() != 0 {
				t.Fatalf("%s: a room everyone left has %d members", name, got.Len())
			}
			room, rroom = got, want
		}

		// pick draws a user, usually one already in the group or room, so
		// that operations get past the first checks often.
		pick := func(t *rapid.T, label string) extlink.UserID {
			var in []extlink.UserID
			if live {
				in = g.Members()
			}
			in = append(in, room.Members()...)
			if len(in) > 0 && rapid.IntRange(0, 2).Draw(t, label+".in") > 0 {
				return rapid.SampledFrom(in).Draw(t, label)
			}
			return genUser(t, w, label)
		}

		t.Repeat(map[string]func(*rapid.T){
			"NewRoom": func(t *rapid.T) {
				by := pick(t, "by")
				with := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) extlink.UserID { return genUser(t, w, "with") }), 1, 2).Draw(t, "with")
				got, err := extlink.NewRoom(d, by, with...)
				if hasDup(append([]extlink.UserID{by}, with...)...) {
					if err == nil || errors.Is(err, extlink.ErrDenied) {
						t.Fatalf("NewRoom with a repeated user: %v, want an ordinary error", err)
					}
					return
				}
				want, wantErr := w.refNewRoom(by, with)
				sameOutcome(t, "NewRoom", err, wantErr)
				if err == nil {
					if diff := cmp.Diff(sorted(want.Members), got.Members()); diff != "" {
						t.Fatalf("NewRoom members (-ref +got):\n%s", diff)
					}
					room, rroom = got, want
				}
			},
			"Room.Invite": func(t *rapid.T) {
				if room.Len() == 0 && !room.Gone() {
					t.Skip("no room")
				}
				by, who := pick(t, "by"), pick(t, "who")
				roomStep("Room.Invite", func(r extlink.Room) (extlink.Room, error) { return r.Invite(d, by, who) },
					func(r refRoom) (refRoom, error) { return w.refRoomInvite(r, by, who) })
			},
			"Room.Leave": func(t *rapid.T) {
				if room.Len() == 0 && !room.Gone() {
					t.Skip("no room")
				}
				who := pick(t, "who")
				roomStep("Room.Leave", func(r extlink.Room) (extlink.Room, error) { return r.Leave(d, who) },
					func(r refRoom) (refRoom, error) { return w.refRoomLeave(r, who) })
			},
			"Room.Convert": func(t *rapid.T) {
				if room.Len() == 0 && !room.Gone() {
					t.Skip("no room")
				}
				by := pick(t, "by")
				got, err := room.Convert(d, by)
				want, wantErr := w.refConvert(rroom, by)
				sameOutcome(t, "Convert", err, wantErr)
				if err == nil {
					founded(got, want, by)
				}
			},
			"NewGroup": func(t *rapid.T) {
				by := pick(t, "by")
				with := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) extlink.UserID { return genUser(t, w, "with") }), 0, 2).Draw(t, "with")
				got, err := extlink.NewGroup(d, by, with...)
				if hasDup(append([]extlink.UserID{by}, with...)...) {
					if err == nil || errors.Is(err, extlink.ErrDenied) {
						t.Fatalf("NewGroup with a repeated user: %v, want an ordinary error", err)
					}
					return
				}
				want, wantErr := w.refNewGroup(by, with)
				sameOutcome(t, "NewGroup", err, wantErr)
				if err == nil {
					founded(got, want, by)
				}
			},
			"Invite": func(t *rapid.T) {
				by, who := pick(t, "by"), pick(t, "who")
				if live {
					// CanInvite is the same decision as Invite.
					dec := extlink.CanInvite(d, g, by, who)
					_, err := g.Invite(d, by, who)
					if dec.Allowed != (err == nil) || (err != nil && err.Error() != dec.Err().Error()) {
						t.Fatalf("CanInvite %v disagrees with Invite %v", dec, err)
					}
				}
				step("Invite", func(g extlink.Group) (extlink.Group, error) { return g.Invite(d, by, who) },
					func(r refGroup) (refGroup, error) { return w.refInvite(r, by, who) }, by, who)
			},
			"Appoint": func(t *rapid.T) {
				by, who := pick(t, "by"), pick(t, "who")
				step("Appoint", func(g extlink.Group) (extlink.Group, error) { return g.Appoint(d, by, who) },
					func(r refGroup) (refGroup, error) { return w.refAppoint(r, by, who) }, "", "")
			},
			"Resign": func(t *rapid.T) {
				who := pick(t, "who")
				step("Resign", func(g extlink.Group) (extlink.Group, error) { return g.Resign(d, who) },
					func(r refGroup) (refGroup, error) { return w.refResign(r, who) }, "", "")
			},
			"Transfer": func(t *rapid.T) {
				from, to := pick(t, "from"), pick(t, "to")
				step("Transfer", func(g extlink.Group) (extlink.Group, error) { return g.Transfer(d, from, to) },
					func(r refGroup) (refGroup, error) { return w.refTransfer(r, from, to) }, "", "")
			},
			"Leave": func(t *rapid.T) {
				who := pick(t, "who")
				step("Leave", func(g extlink.Group) (extlink.Group, error) { return g.Leave(d, who) },
					func(r refGroup) (refGroup, error) { return w.refLeave(r, who) }, "", "")
			},
			"Remove": func(t *rapid.T) {
				by, who := pick(t, "by"), pick(t, "who")
				step("Remove", func(g extlink.Group) (extlink.Group, error) { return g.Remove(d, by, who) },
					func(r refGroup) (refGroup, error) { return w.refRemove(r, by, who) }, "", "")
			},
			"Reconcile": func(t *rapid.T) {
				if !live {
					t.Skip("no group yet")
				}
				// The directory changes: policies and connected lists redrawn.
				w2 := world{Tenants: slices.Clone(w.Tenants), Users: slices.Clone(w.Users), Links: w.Links}
				for i := range w2.Tenants {
					w2.Tenants[i].Policy = genPolicy(t, "new")
				}
				for i := range w2.Users {
					if w2.Users[i].Kind == extlink.WorksUser {
						w2.Users[i].Connected = rapid.Bool().Draw(t, "connected")
					}
				}
				d2 := mustDir(t, w2)
				before := snapshot(g)
				got := extlink.Reconcile(d2, g)
				if diff := cmp.Diff(before, snapshot(g)); diff != "" {
					t.Fatalf("Reconcile changed its argument:\n%s", diff)
				}
				if diff := cmp.Diff(w2.refReconcile(ref), snapshot(got)); diff != "" {
					t.Fatalf("Reconcile (-ref +got):\n%s", diff)
				}
				// From now on the directory is the changed one.
				g, ref, w, d = got, w2.refReconcile(ref), w2, d2
			},
			"": func(t *rapid.T) {
				if !live {
					return
				}
				// U, R11: the external flag never changes after creation.
				if g.External() != external {
					t.Fatalf("external flag changed from %v: %v", external, g)
				}
				members, masters := g.Members(), g.Masters()
				for _, m := range masters {
					if !slices.Contains(members, m) {
						t.Fatalf("master %s is not a member: %v", m, g)
					}
					if !g.IsMaster(m) || !g.Has(m) {
						t.Fatalf("IsMaster/Has disagree with Masters for %s", m)
					}
				}
				// R19, D4: a group stays a group down to one member; dissolved has none.
				if g.Dissolved() != (g.Len() == 0) || len(members) != g.Len() {
					t.Fatalf("dissolved %v with %d members: %v", g.Dissolved(), g.Len(), g)
				}
				// A live group has at least one master.
				if !g.Dissolved() && len(masters) == 0 {
					t.Fatalf("live group without a master: %v", g)
				}
				if !slices.IsSorted(members) || !slices.IsSorted(masters) {
					t.Fatal("Members or Masters not sorted")
				}
				// Security: every member but the creator was brought in by
				// someone (checked when it happened).
				for _, m := range members {
					if _, ok := brought[m]; !ok && m != creator {
						t.Fatalf("%s is in the group, brought by nobody", m)
					}
				}
				// Security: sharing a group never lets unlinked outsiders talk or call (R9 is in-group only).
				for _, a := range members {
					for _, b := range members {
						ua, oka := w.user(a)
						ub, okb := w.user(b)
						if oka && okb && a != b && !colleagues(ua, ub) && !w.linked(a, b) &&
							(extlink.CanTalk(d, a, b).Allowed || extlink.CanCall(d, a, b).Allowed) {
							t.Fatalf("unlinked outsiders %s and %s may talk after sharing a group", a, b)
						}
					}
				}
			},
		})
	})
}

func sorted(ids []extlink.UserID) []extlink.UserID {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}

// Table tests for each group refusal, its sentinel and its sentence.
func TestGroupRefusals(t *testing.T) {
	d := postDir(t, func(w *world) {
		policy(w, "t1", func(p *extlink.Policy) { p.MembersLeaveGroups = true }) // t2 keeps the default (D5)
		w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"}, extlink.User{ID: "x", Tenant: "t3"})
		policy(w, "t3", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
		w.Links = append(w.Links, extlink.Link{A: "a", B: "x"})
		user(w, "c", func(u *extlink.User) { u.Connected = true })
	})
	ext, err := extlink.NewGroup(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	ext, _ = ext.Invite(d, "a", "me")
	internal, _ := extlink.NewGroup(d, "a", "me")
	gone, _ := extlink.NewGroup(d, "me")
	gone, _ = gone.Leave(d, "me")
	room, _ := extlink.NewRoom(d, "a", "b")

	tests := []struct {
		name string
		err  error
		want error
		text string
	}{
		{"unknown user", first(ext.Invite(d, "a", "zz")), extlink.ErrUnknownUser,
			"extlink: a cannot invite zz: zz is not in the directory (R13); check the ID, or add zz to the directory"},
		{"D4 dissolved", first(gone.Invite(d, "me", "a")), extlink.ErrDissolved,
			"extlink: me cannot invite a: the group is dissolved (R13); create a new group"},
		{"actor not a member", first(ext.Invite(d, "n", "c")), extlink.ErrNotMember,
			"extlink: n cannot invite c: n is not a member of the group (R13); ask a master of the group to add n"},
		{"R13 not a master", first(ext.Invite(d, "me", "n")), extlink.ErrNotMaster,
			"extlink: me cannot invite n: me is not a master of the group (R13); ask a, a master of the group"},
		{"already a member", first(ext.Invite(d, "a", "b")), extlink.ErrAlreadyMember,
			"extlink: a cannot invite b: b is already a member (R13)"},
		{"R14 target not a member", first(ext.Appoint(d, "a", "c")), extlink.ErrNotMember,
			"extlink: a cannot appoint c as master: c is not a member of the group (R14); invite c first"},
		{"R14 already a master", first(ext.Appoint(d, "a", "a")), extlink.ErrAlreadyMember,
			"extlink: a cannot appoint a as master: a is already a master (R14)"},
		{"R15 last master", first(ext.Resign(d, "a")), extlink.ErrLastMaster,
			"extlink: a cannot resign as master: a is the group's only master (R15); appoint b as master first"},
		{"D3 last master leaves", first(ext.Leave(d, "a")), extlink.ErrLastMaster,
			"extlink: a cannot leave the group: a is the group's only master (D3); hand the master role to b first"},
		{"D2 outsider into internal group", first(internal.Invite(d, "a", "b")), extlink.ErrInternalGroup,
			"extlink: a cannot invite b: the group is internal and b is an outsider (R11); create an external group with b instead"},
		{"D8 LINE user into internal group", first(internal.Invite(d, "a", "l")), extlink.ErrInternalGroup,
			"extlink: a cannot invite l: the group is internal and l is an outsider (R6); talk with l in a room instead"},
		{"D8 LINE user into external group", first(ext.Invite(d, "a", "l")), extlink.ErrNotPermitted,
			"extlink: a cannot invite l: l is a LINE user, and groups exclude LINE users (R6); talk with l in a room instead"},
		{"R12 not connected in external group", first(ext.Invite(d, "a", "x")), extlink.ErrNotPermitted,
			"extlink: a cannot invite x: x is not one of t3's connected members (R13); add x to t3's connected members"},
		{"D5 no self leave", first(ext.Leave(d, "b")), extlink.ErrNotPermitted,
			"extlink: b cannot leave the group: t2 does not let its members leave groups (D5); ask a master of the group to remove b, or ask t2's admin to let members leave groups"},
		{"R16 removing oneself", first(ext.Remove(d, "a", "a")), extlink.ErrNotPermitted,
			"extlink: a cannot remove a: nobody removes themselves (R16)"},
		{"R16 removing a non-member", first(ext.Remove(d, "a", "c")), extlink.ErrNotMember,
			"extlink: a cannot remove c: c is not a member of the group (R16)"},
		{"R17 transfer to a non-member", first(ext.Transfer(d, "a", "c")), extlink.ErrNotMember,
			"extlink: a cannot hand the master role to c: c is not a member of the group (R17); invite c first"},
		{"R13 not linked", first(first2(ext.Transfer(d, "a", "me")).Invite(d, "me", "c")), extlink.ErrNotLinked,
			"extlink: me cannot invite c: not linked (R13); link me with c first"},
		{"R10 room too small", first(room.Convert(d, "a")), extlink.ErrNotPermitted,
			"extlink: a cannot turn the room into a group: only a room of three or more people becomes a group (R10); invite a third person first"},
		{"R10 converter not in the room", first(room.Convert(d, "me")), extlink.ErrNotMember,
			"extlink: me cannot turn the room into a group: me is not a member of the room (R10); ask a member of the room to invite me"},
		{"R8 room inviter not in the room", first(room.Invite(d, "me", "n")), extlink.ErrNotMember,
			"extlink: me cannot invite n: me is not a member of the room (R8); ask a member of the room to invite me"},
		{"R8 room invitee already in", first(room.Invite(d, "a", "b")), extlink.ErrAlreadyMember,
			"extlink: a cannot invite b: b is already a member (R8)"},
		{"R8 room invite needs talk", first(room.Invite(d, "b", "me")), extlink.ErrNotLinked,
			"extlink: b cannot invite me: not linked (R8); link b with me first"},
		{"R7 room needs talk", first(extlink.NewRoom(d, "me", "a", "b")), extlink.ErrNotLinked,
			"extlink: me cannot create a room with b: not linked (R7); link me with b first"},
		{"R6 group with a LINE user", first(extlink.NewGroup(d, "a", "l")), extlink.ErrNotPermitted,
			"extlink: a cannot create a group with l: l is a LINE user, and groups exclude LINE users (R6); talk with l in a room instead"},
		{"D7 across people: policy before link", first(extlink.NewGroup(d, "me", "b", "x")), extlink.ErrNotPermitted,
			"extlink: me cannot create a group with x: x is not one of t3's connected members (R12); add x to t3's connected members, and link me with x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) || !errors.Is(tt.err, extlink.ErrDenied) || causeOf(tt.err) != tt.want {
				t.Fatalf("got %v, want a refusal with %v", tt.err, tt.want)
			}
			if diff := cmp.Diff(tt.text, tt.err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func first[V any](_ V, err error) error { return err }
func first2[V any](v V, _ error) V      { return v }

// R12: group-creation rights and the external conditions, knob by knob.
func TestGroupCreationPolicy(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*world)
		by   extlink.UserID
		with []extlink.UserID
		want error
	}{
		{"members may create", nil, "a", []extlink.UserID{"b"}, nil},
		{"only admins create", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.MembersCreateGroups = false })
		}, "a", []extlink.UserID{"b"}, extlink.ErrNotPermitted},
		{"admins always create", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.MembersCreateGroups = false })
			user(w, "a", func(u *extlink.User) { u.Role = extlink.Admin })
		}, "a", []extlink.UserID{"b"}, nil},
		{"a group of one", nil, "me", nil, nil},
		{"an internal group needs no outside access", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		}, "a", []extlink.UserID{"me"}, nil},
		{"an external group needs every member allowed, colleagues too", func(w *world) {
			policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
			user(w, "a", func(u *extlink.User) { u.Connected = true })
		}, "a", []extlink.UserID{"b", "me"}, extlink.ErrNotPermitted},
		{"the creator must talk with each member", nil, "me", []extlink.UserID{"b"}, extlink.ErrNotLinked},
		{"unknown before anything", nil, "me", []extlink.UserID{"b", "zz"}, extlink.ErrUnknownUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := postDir(t, tt.mod)
			g, err := extlink.NewGroup(d, tt.by, tt.with...)
			if causeOf(err) != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if err == nil && (!g.IsMaster(tt.by) || len(g.Masters()) != 1 || g.Len() != 1+len(tt.with)) {
				t.Fatalf("bad new group %v", g)
			}
		})
	}
}

// Ordinary errors for malformed requests: they do not wrap ErrDenied.
func TestGroupInputErrors(t *testing.T) {
	d := postDir(t, nil)
	for _, err := range []error{
		first(extlink.NewRoom(d, "a")),
		first(extlink.NewRoom(d, "a", "b", "b")),
		first(extlink.NewRoom(d, "a", "a")),
		first(extlink.NewGroup(d, "a", "a")),
		first(extlink.NewGroup(d, "a", "me", "me")),
	} {
		if err == nil || errors.Is(err, extlink.ErrDenied) {
			t.Errorf("got %v, want an ordinary error", err)
		}
	}
}

// R18, D4, D8: the last member leaving dissolves the group; it keeps its
// flag, has no members, and refuses everything after.
func TestDissolve(t *testing.T) {
	d := postDir(t, func(w *world) {
		for _, tn := range []extlink.TenantID{"t1", "t2"} {
			policy(w, tn, func(p *extlink.Policy) { p.MembersLeaveGroups = true })
		}
	})
	g, _ := extlink.NewGroup(d, "a", "b")
	g, _ = g.Leave(d, "b")
	if g.Len() != 1 || !g.External() || g.Dissolved() {
		t.Fatalf("after b leaves: %v", g)
	}
	g, err := g.Leave(d, "a")
	if err != nil || !g.Dissolved() || g.Len() != 0 || !g.External() || len(g.Masters()) != 0 {
		t.Fatalf("after the last member leaves: %v, %v", g, err)
	}
	if g.String() != "dissolved external group" {
		t.Errorf("String = %q", g.String())
	}
	for _, err := range []error{
		first(g.Invite(d, "a", "me")), first(g.Appoint(d, "a", "me")), first(g.Resign(d, "a")),
		first(g.Transfer(d, "a", "me")), first(g.Leave(d, "a")), first(g.Remove(d, "a", "b")),
	} {
		if causeOf(err) != extlink.ErrDissolved {
			t.Errorf("on a dissolved group: %v", err)
		}
	}
	if !extlink.Reconcile(d, g).Equal(g) {
		t.Error("Reconcile changed a dissolved group")
	}
}

// R8: anyone may leave a room, whatever their tenant's policy; once everyone
// has left, the room is gone and refuses everything with ErrDissolved (D7
// row 2, after unknown users).
func TestRoomLeave(t *testing.T) {
	d := postDir(t, nil) // the zero policy's leave switch: groups only
	r, err := extlink.NewRoom(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := r.Leave(d, "b")
	if err != nil || !slices.Equal(r2.Members(), []extlink.UserID{"a", "me"}) || r2.Gone() {
		t.Fatalf("b leaves: %v %v", r2, err)
	}
	if r.Len() != 3 {
		t.Fatalf("Leave changed its receiver: %v", r)
	}
	for _, tt := range []struct {
		name string
		err  error
		want error
		text string
	}{
		{"unknown", first(r2.Leave(d, "zz")), extlink.ErrUnknownUser,
			"extlink: zz cannot leave the room: zz is not in the directory (R8); check the ID, or add zz to the directory"},
		{"not a member", first(r2.Leave(d, "b")), extlink.ErrNotMember,
			"extlink: b cannot leave the room: b is not a member of the room (R8)"},
	} {
		if causeOf(tt.err) != tt.want || tt.err.Error() != tt.text {
			t.Errorf("%s: got %v, want %v: %s", tt.name, tt.err, tt.want, tt.text)
		}
	}
	r3, _ := r2.Leave(d, "a")
	gone, err := r3.Leave(d, "me")
	if err != nil || !gone.Gone() || gone.Len() != 0 || gone.String() != "room gone" {
		t.Fatalf("the last one leaves: %v %v", gone, err)
	}
	for _, tt := range []struct {
		name string
		err  error
		want error
		text string
	}{
		{"leave", first(gone.Leave(d, "me")), extlink.ErrDissolved,
			"extlink: me cannot leave the room: everyone has left the room (R8); create a new room"},
		{"invite", first(gone.Invite(d, "me", "a")), extlink.ErrDissolved,
			"extlink: me cannot invite a: everyone has left the room (R8); create a new room"},
		{"convert", first(gone.Convert(d, "me")), extlink.ErrDissolved,
			"extlink: me cannot turn the room into a group: everyone has left the room (R10); create a new room"},
		{"unknown first", first(gone.Invite(d, "me", "zz")), extlink.ErrUnknownUser,
			"extlink: me cannot invite zz: zz is not in the directory (R8); check the ID, or add zz to the directory"},
	} {
		if causeOf(tt.err) != tt.want || !errors.Is(tt.err, extlink.ErrDenied) || tt.err.Error() != tt.text {
			t.Errorf("%s: got %v, want %v: %s", tt.name, tt.err, tt.want, tt.text)
		}
	}
	if gone.Equal(extlink.Room{}) || !gone.Equal(gone) {
		t.Error("a gone room must equal itself only")
	}
}

// R18, D5: by default (MembersLeaveGroups off, as in the vendor's product)
// a member cannot leave, an admin can, and removal still works; the group
// then cannot dissolve by a member leaving. Where the tenant allows it, the
// member may leave.
func TestMembersLeaveGroups(t *testing.T) {
	d := postDir(t, func(w *world) {
		user(w, "me", func(u *extlink.User) { u.Role = extlink.Admin })
	})
	g, _ := extlink.NewGroup(d, "a", "me")
	if _, err := g.Leave(d, "me"); err != nil {
		t.Errorf("an admin must be able to leave: %v", err)
	}
	g, _ = g.Appoint(d, "a", "me")
	if _, err := g.Leave(d, "a"); causeOf(err) != extlink.ErrNotPermitted {
		t.Errorf("a member leaving by default: %v", err)
	}
	g, err := g.Remove(d, "me", "a")
	if err != nil || g.Len() != 1 {
		t.Errorf("removal by default: %v %v", g, err)
	}
	solo, _ := extlink.NewGroup(d, "a")
	if _, err := solo.Leave(d, "a"); causeOf(err) != extlink.ErrNotPermitted {
		t.Errorf("the last member by default: %v", err)
	}
	allowed := postDir(t, func(w *world) {
		policy(w, "t1", func(p *extlink.Policy) { p.MembersLeaveGroups = true })
	})
	g, _ = extlink.NewGroup(allowed, "a", "me")
	g, _ = g.Transfer(allowed, "a", "me")
	if g, err = g.Leave(allowed, "a"); err != nil || g.Len() != 1 {
		t.Errorf("a member leaving with MembersLeaveGroups: %v %v", g, err)
	}
	if g, err = g.Leave(allowed, "me"); err != nil || !g.Dissolved() {
		t.Errorf("the last member leaving with MembersLeaveGroups: %v %v", g, err)
	}
}

// R20, D6: Reconcile removes those no longer allowed and promotes the
// earliest remaining member when no master is left.
func TestReconcile(t *testing.T) {
	before := postDir(t, func(w *world) { w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"}) })
	g, _ := extlink.NewGroup(before, "a", "b")
	g, _ = g.Invite(before, "a", "n")
	g, _ = g.Invite(before, "a", "me")
	if got := extlink.Reconcile(before, g); !got.Equal(g) {
		t.Fatalf("Reconcile with nothing changed: %v", got)
	}
	after := postDir(t, func(w *world) {
		w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"})
		policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessListed })
		user(w, "me", func(u *extlink.User) { u.Connected = true })
		user(w, "n", func(u *extlink.User) { u.Connected = true })
	})
	got := extlink.Reconcile(after, g)
	want := refGroup{Members: []extlink.UserID{"b", "n", "me"}, Masters: []extlink.UserID{"b"}, External: true, Home: "t1"}
	if diff := cmp.Diff(want, snapshot(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	off := postDir(t, func(w *world) {
		w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"})
		policy(w, "t1", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
		policy(w, "t2", func(p *extlink.Policy) { p.Works = extlink.AccessOff })
	})
	if got := extlink.Reconcile(off, g); !got.Dissolved() || !got.External() {
		t.Errorf("everyone removed: %v", got)
	}
	// An internal group loses members who left the directory.
	in, _ := extlink.NewGroup(before, "a", "me")
	gone := postDir(t, func(w *world) {
		w.Users = slices.DeleteFunc(w.Users, func(u extlink.User) bool { return u.ID == "a" })
		w.Links = nil
	})
	if got := extlink.Reconcile(gone, in); !slices.Equal(got.Members(), []extlink.UserID{"me"}) || !got.IsMaster("me") {
		t.Errorf("internal group after a leaves the directory: %v", got)
	}
}

// Values are immutable: slices returned are copies.
func TestReturnedSlicesAreCopies(t *testing.T) {
	d := postDir(t, nil)
	g, _ := extlink.NewGroup(d, "a", "b")
	g2 := g
	g.Members()[0] = "zz"
	g.Masters()[0] = "zz"
	g.JoinOrder()[0] = "zz"
	if !g.Equal(g2) || g.Has("zz") || !g.IsMaster("a") {
		t.Fatalf("a returned slice aliased the group: %v", g)
	}
	r, _ := extlink.NewRoom(d, "a", "b")
	r.Members()[0] = "zz"
	if r.Has("zz") {
		t.Fatal("a returned slice aliased the room")
	}
}

// Equal compares the whole state, join order included.
func TestGroupEqual(t *testing.T) {
	d := postDir(t, func(w *world) {
		w.Users = append(w.Users, extlink.User{ID: "n", Tenant: "t1"}, extlink.User{ID: "me2", Tenant: "t1"})
	})
	g1, _ := extlink.NewGroup(d, "a", "b")
	g1, _ = g1.Invite(d, "a", "me")
	g2, _ := extlink.NewGroup(d, "a", "me")
	g2, _ = g2.Invite(d, "a", "b")
	if g1.Equal(g2) {
		t.Error("groups joined in different orders are equal")
	}
	if !cmp.Equal(g1, g1) || cmp.Equal(g1, g2) {
		t.Error("cmp.Equal does not use Equal")
	}
	// Removing someone closes up the join order: the same state is equal.
	g3, _ := extlink.NewGroup(d, "a", "me")
	g3, _ = g3.Invite(d, "a", "n")
	g3, _ = g3.Invite(d, "a", "me2")
	g3, _ = g3.Remove(d, "a", "n")
	g4, _ := extlink.NewGroup(d, "a", "me")
	g4, _ = g4.Invite(d, "a", "me2")
	if !g3.Equal(g4) {
		t.Errorf("equal states compare unequal: %v %v", g3.JoinOrder(), g4.JoinOrder())
	}
}

// A group's state round-trips through GroupState; bad states are refused.
func TestGroupStateRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t, 3, 6)
		d := mustDir(t, w)
		by := rapid.SampledFrom(w.Users).Draw(t, "by").ID
		g, err := extlink.NewGroup(d, by)
		if err != nil {
			t.Skip("cannot create")
		}
		for range rapid.IntRange(0, 6).Draw(t, "ops") {
			who := rapid.SampledFrom(w.Users).Draw(t, "who").ID
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				g, _ = g.Invite(d, by, who)
			case 1:
				g, _ = g.Appoint(d, by, who)
			case 2:
				g, _ = g.Leave(d, who)
			case 3:
				g, _ = g.Remove(d, by, who)
			}
		}
		back, err := extlink.RestoreGroup(g.State())
		if err != nil {
			t.Fatalf("restore %v: %v", g, err)
		}
		if !back.Equal(g) {
			t.Fatalf("round trip: %v became %v", g, back)
		}
	})
	for _, s := range []extlink.GroupState{
		{Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a"}},
		{Home: "t1"},
		{Home: "t1", Members: []extlink.UserID{"a"}},
		{Home: "t1", Members: []extlink.UserID{"a", "a"}, Masters: []extlink.UserID{"a"}},
		{Home: "t1", Members: []extlink.UserID{"a", ""}, Masters: []extlink.UserID{"a"}},
		{Home: "t1", Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"b"}},
		{Home: "t1", Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a", "a"}},
		{Home: "t1", Dissolved: true, Members: []extlink.UserID{"a"}},
	} {
		if _, err := extlink.RestoreGroup(s); err == nil || errors.Is(err, extlink.ErrDenied) {
			t.Errorf("%+v: got %v, want an ordinary error", s, err)
		}
	}
	gone, err := extlink.RestoreGroup(extlink.GroupState{Home: "t1", External: true, Dissolved: true})
	if err != nil || !gone.Dissolved() || !gone.External() {
		t.Errorf("dissolved: %v %v", gone, err)
	}
}

// Large groups, whose members span several of the roster's chunks: random
// sequences of operations agree with the reference model, state and
// outcome, and never change a value already handed out.
func TestBigGroupMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(40, 150).Draw(t, "users")
		open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true,
			MembersLeaveGroups: rapid.Bool().Draw(t, "leave")}
		w := world{Tenants: []extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}}}
		for i := range n {
			tn := extlink.TenantID("t1")
			if i%7 == 3 {
				tn = "t2"
			}
			w.Users = append(w.Users, extlink.User{ID: extlink.UserID(fmt.Sprintf("u%03d", i)), Tenant: tn})
		}
		for i := 3; i < n; i += 7 {
			w.Links = append(w.Links, extlink.Link{A: "u000", B: w.Users[i].ID})
		}
		d := mustDir(t, w)
		var with []extlink.UserID
		density := rapid.IntRange(0, 4).Draw(t, "density") // in quarters
		for _, u := range w.Users[1:] {
			if rapid.IntRange(0, 3).Draw(t, "join") < density {
				with = append(with, u.ID)
			}
		}
		g, err := extlink.NewGroup(d, "u000", with...)
		ref, rerr := w.refNewGroup("u000", with)
		if (err == nil) != (rerr == nil) {
			t.Fatalf("NewGroup: %v, reference %v", err, rerr)
		}
		if err != nil {
			return
		}
		applied, shrink := 0, rapid.Bool().Draw(t, "shrink")
		for range rapid.IntRange(60, 300).Draw(t, "ops") {
			// Mostly masters act, on members; now and then anyone, on anyone.
			pick := func(label string) extlink.UserID {
				switch rapid.IntRange(0, 3).Draw(t, label+".from") {
				case 0:
					return rapid.SampledFrom(w.Users).Draw(t, label).ID
				case 1:
					return rapid.SampledFrom(g.Members()).Draw(t, label)
				}
				if label == "by" || label == "from" {
					return rapid.SampledFrom(g.Masters()).Draw(t, label)
				}
				return rapid.SampledFrom(w.Users).Draw(t, label).ID
			}
			before, snap := g, snapshot(g)
			var got extlink.Group
			var want refGroup
			var gerr, werr error
			op := rapid.IntRange(0, 7).Draw(t, "op")
			if shrink && op >= 6 {
				op = 1 // removals weigh more: chunks shrink until they merge
			}
			switch op {
			case 0, 6, 7: // invitations weigh more: chunks grow until they split
				by, who := pick("by"), pick("who")
				got, gerr = g.Invite(d, by, who)
				want, werr = w.refInvite(ref, by, who)
			case 1:
				by, who := pick("by"), pick("who")
				got, gerr = g.Remove(d, by, who)
				want, werr = w.refRemove(ref, by, who)
			case 2:
				who := pick("who")
				got, gerr = g.Leave(d, who)
				want, werr = w.refLeave(ref, who)
			case 3:
				by, who := pick("by"), pick("who")
				got, gerr = g.Appoint(d, by, who)
				want, werr = w.refAppoint(ref, by, who)
			case 4:
				who := pick("who")
				got, gerr = g.Resign(d, who)
				want, werr = w.refResign(ref, who)
			case 5:
				from, to := pick("from"), pick("to")
				got, gerr = g.Transfer(d, from, to)
				want, werr = w.refTransfer(ref, from, to)
			}
			if causeOf(gerr) != werr {
				t.Fatalf("outcome %v, reference %v", gerr, werr)
			}
			if diff := cmp.Diff(snap, snapshot(before)); diff != "" {
				t.Fatalf("receiver changed:\n%s", diff)
			}
			if gerr != nil {
				continue
			}
			if diff := cmp.Diff(want, snapshot(got)); diff != "" {
				t.Fatalf("state (-reference +got):\n%s", diff)
			}
			if back, err := extlink.RestoreGroup(got.State()); err != nil || !back.Equal(got) {
				t.Fatalf("state does not round-trip: %v", err)
			}
			g, ref = got, want
			applied++
			if g.Dissolved() {
				break
			}
		}
		if applied == 0 {
			t.Skip("no operation applied")
		}
	})
}

// RestoreGroup of m members who are all masters makes a constant number of
// allocations, not one (growing) copy of the master list per master: that
// was O(m^2), 25 s for 40,000.
func TestRestoreGroupAllMastersAllocs(t *testing.T) {
	const m = 4000
	ids := make([]extlink.UserID, m)
	for i := range ids {
		ids[i] = extlink.UserID(fmt.Sprintf("u%05d", m-i)) // joined in reverse ID order
	}
	s := extlink.GroupState{Home: "t1", Members: ids, Masters: ids}
	allocs := testing.AllocsPerRun(5, func() {
		if g, err := extlink.RestoreGroup(s); err != nil || len(g.Masters()) != m {
			t.Fatal(err)
		}
	})
	// The roster's members and chunk list, the sorted masters, and
	// g.Masters()'s copy.
	if allocs > 8 {
		t.Errorf("RestoreGroup of %d masters: %v allocations, want a constant few", m, allocs)
	}
}
