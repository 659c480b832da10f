package extlink_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// Every enum value survives its text form, and out-of-range values fail.
func TestDecisionEnumText(t *testing.T) {
	for r := extlink.R1; r <= extlink.D8; r++ {
		b, err := r.MarshalText()
		var back extlink.Rule
		if err != nil || back.UnmarshalText(b) != nil || back != r {
			t.Fatalf("rule %v: %s, %v, back %v", r, b, err, back)
		}
	}
	for a := extlink.ActTalk; a <= extlink.ActTalkIn; a++ {
		b, err := a.MarshalText()
		var back extlink.Action
		if err != nil || back.UnmarshalText(b) != nil || back != a {
			t.Fatalf("action %v: %s, %v, back %v", a, b, err, back)
		}
	}
	for r := extlink.ReasonNone; r <= extlink.ReasonLINECall; r++ {
		b, err := r.MarshalText()
		var back extlink.Reason
		if err != nil || back.UnmarshalText(b) != nil || back != r {
			t.Fatalf("reason %v: %s, %v, back %v", r, b, err, back)
		}
	}
	if _, err := extlink.Rule(0).MarshalText(); !errors.Is(err, extlink.ErrInvalid) {
		t.Error("the zero Rule marshalled")
	}
	var a extlink.Action
	if err := a.UnmarshalText([]byte("dance")); !errors.Is(err, extlink.ErrInvalid) || a != 0 {
		t.Error("an unknown action decoded")
	}
}

// A decision's JSON is one documented object, and reads back to an equal
// decision; a group's is its GroupState, restored with its checks.
func TestDecisionAndGroupJSON(t *testing.T) {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}}, {ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	b, err := json.Marshal(extlink.CanTalk(d, "me", "b"))
	want := `{"allowed":false,"action":"talk","by":"me","who":"b","rule":"R2","reason":"not-linked","cause":"ErrNotLinked","remedy":"link me with b first","fix":[{"op":"addLink","link":{"a":"me","b":"b"}}],"text":"me cannot talk with b: not linked (R2); link me with b first"}`
	if err != nil || string(b) != want {
		t.Errorf("got %s, %v\nwant %s", b, err, want)
	}
	g, err := extlink.NewGroup(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(g)
	if want := `{"members":["a","b","me"],"masters":["a"],"external":true,"home":"t1"}`; err != nil || string(b) != want {
		t.Errorf("group: got %s, %v; want %s", b, err, want)
	}
	var back extlink.Group
	if err := json.Unmarshal(b, &back); err != nil || !back.Equal(g) {
		t.Errorf("group came back as %v, %v", back, err)
	}
	for _, bad := range []string{`{"members":["a"],"masters":["b"],"home":"t1"}`, `{"members":["a"],"masters":["a"],"home":"t1","color":1}`} {
		if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, extlink.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", bad, err)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		d := extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
		ids := extlinktest.UserIDs(d)
		a, b := ids.Draw(t, "a"), ids.Draw(t, "b")
		for _, dec := range []extlink.Decision{extlink.CanTalk(d, a, b), extlink.CanCall(d, a, b)} {
			js, err := json.Marshal(dec)
			if err != nil {
				t.Fatal(err)
			}
			var back extlink.Decision
			if err := json.Unmarshal(js, &back); err != nil || back != dec {
				t.Fatalf("%s came back as %+v, %v; want %+v", js, back, err, dec)
			}
		}
	})
}
