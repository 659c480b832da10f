package extlink_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/extlink/extlink"
)

// Issue 10: every error for bad input wraps ErrInvalid and never
// ErrDenied, so a service can answer 400 rather than 403 without reading
// the message: one case per class of bad input.
func TestErrInvalidEveryClass(t *testing.T) {
	d := postWorld()
	g, err := extlink.NewGroup(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	first := func(_ any, err error) error { return err }
	var rule extlink.Rule
	var reason extlink.Reason
	var action extlink.Action
	var access extlink.Access
	var dec extlink.Decision
	var grp extlink.Group
	var ch extlink.Change
	for _, tt := range []struct {
		name string
		err  error
	}{
		{"directory: a user named twice", first(extlink.NewDirectory(nil, []extlink.User{{ID: "a", Kind: extlink.LINEUser}, {ID: "a", Kind: extlink.LINEUser}}, nil))},
		{"directory: an empty ID", first(extlink.NewDirectory(nil, []extlink.User{{Kind: extlink.LINEUser}}, nil))},
		{"directory: a link to oneself", first(extlink.NewDirectory(nil, []extlink.User{{ID: "a", Kind: extlink.LINEUser}}, []extlink.Link{{A: "a", B: "a"}}))},
		{"change: an unknown user", first(d.With(extlink.SetConnected("nobody", true)))},
		{"change: the zero Change", first(d.With(extlink.Change{}))},
		{"group state: a master who is not a member", first(extlink.RestoreGroup(extlink.GroupState{Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"b"}, Home: "t1"}))},
		{"room: nobody to make it with", first(extlink.NewRoom(d, "a"))},
		{"group: a user named twice", first(extlink.NewGroup(d, "a", "b", "b"))},
		{"plan: the zero Op", first(extlink.Plan{{By: "a"}}.Apply(d))},
		{"plan: a group number out of range", first(extlink.Plan{{Op: extlink.OpInvite, By: "a", Who: "me", Group: 2}}.Apply(d, g))},
		{"plan: ends with a room", first(extlink.Plan{{Op: extlink.OpCreateRoom, By: "a", Who: "b"}}.Apply(d))},
		{"plan group: me is the target", first(extlink.PlanGroup(d, "me", "me"))},
		{"audit: an unknown tenant", first(extlink.Audit(d, "nowhere", 0))},
		{"audit: negative steps", first(extlink.Audit(d, "t1", -1))},
		{"id: a control character", extlink.CheckID("a\nb")},
		{"rule text", rule.UnmarshalText([]byte("R99"))},
		{"reason text", reason.UnmarshalText([]byte("bored"))},
		{"action text", action.UnmarshalText([]byte("dance"))},
		{"access text", access.UnmarshalText([]byte("sometimes"))},
		{"access out of range", first(extlink.Access(9).MarshalText())},
		{"decision JSON: an unknown field", json.Unmarshal([]byte(`{"allowed":true,"action":"talk","by":"a","rule":"R1","text":"","color":1}`), &dec)},
		{"decision JSON: a fix that is no fix", json.Unmarshal([]byte(`{"allowed":false,"action":"talk","by":"a","who":"b","rule":"R2","reason":"not-linked","fix":[{"op":"removeUser","user":{"id":"a"}}],"text":""}`), &dec)},
		{"group JSON: inconsistent", json.Unmarshal([]byte(`{"members":["a"],"masters":["b"],"home":"t1"}`), &grp)},
		{"change JSON: no op", json.Unmarshal([]byte(`{"user":{"id":"a"}}`), &ch)},
	} {
		if !errors.Is(tt.err, extlink.ErrInvalid) || errors.Is(tt.err, extlink.ErrDenied) {
			t.Errorf("%s: %v; want an error wrapping ErrInvalid and not ErrDenied", tt.name, tt.err)
		}
	}
}
