package extlinktest_test

import (
	"strings"
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// castDirectory is the post's cast: a and me at t1, b at t2, a linked with
// b; c at t3, whose tenant talks only through its connected list, and c is
// not on it; l, a LINE user.
func castDirectory(t *testing.T) *extlink.Directory {
	t.Helper()
	open := extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersCreateGroups: true}
	d, err := extlink.NewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: open},
			{ID: "t2", Policy: open},
			{ID: "t3", Policy: extlink.Policy{Works: extlink.AccessListed}},
			{ID: "t4"},
		},
		[]extlink.User{
			{ID: "a", Tenant: "t1"},
			{ID: "me", Tenant: "t1"},
			{ID: "b", Tenant: "t2"},
			{ID: "c", Tenant: "t3"},
			{ID: "d", Tenant: "t4"},
			{ID: "l", Kind: extlink.LINEUser},
		},
		[]extlink.Link{{A: "a", B: "b"}, {A: "a", B: "l"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckGroupState(t *testing.T) {
	d := castDirectory(t)
	for _, tc := range []struct {
		name  string
		state extlink.GroupState
		want  []string // substrings of the error, none for a good state
	}{
		{"external group of the post's trick", extlink.GroupState{Members: []extlink.UserID{"b", "me"}, Masters: []extlink.UserID{"me"}, External: true, Home: "t1"}, nil},
		{"internal group", extlink.GroupState{Members: []extlink.UserID{"a", "me"}, Masters: []extlink.UserID{"a"}, Home: "t1"}, nil},
		{"dissolved", extlink.GroupState{External: true, Home: "t1", Dissolved: true}, nil},
		{"outsider in an internal group", extlink.GroupState{Members: []extlink.UserID{"a", "b"}, Masters: []extlink.UserID{"a"}, Home: "t1"}, []string{"member b of tenant t2 is in an internal group of tenant t1 (R11)"}},
		{"LINE user", extlink.GroupState{Members: []extlink.UserID{"a", "l"}, Masters: []extlink.UserID{"a"}, External: true, Home: "t1"}, []string{"member l is a LINE user"}},
		{"not connected in an external group", extlink.GroupState{Members: []extlink.UserID{"a", "c"}, Masters: []extlink.UserID{"a"}, External: true, Home: "t1"}, []string{"member c may not be in an external group: not a connected member of tenant t3"}},
		{"closed tenant in an external group", extlink.GroupState{Members: []extlink.UserID{"a", "d"}, Masters: []extlink.UserID{"a"}, External: true, Home: "t1"}, []string{"member d may not be in an external group: tenant t4 does not talk"}},
		{"unknown member", extlink.GroupState{Members: []extlink.UserID{"a", "nobody"}, Masters: []extlink.UserID{"a"}, Home: "t1"}, []string{"member nobody is not in the directory"}},
		{"no master", extlink.GroupState{Members: []extlink.UserID{"a", "me"}, Home: "t1"}, []string{"a live group has no master"}},
		{"master not a member", extlink.GroupState{Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a", "me"}, Home: "t1"}, []string{"master me is not a member"}},
		{"no member", extlink.GroupState{Home: "t1"}, []string{"a live group has no member", "no master"}},
		{"member twice", extlink.GroupState{Members: []extlink.UserID{"a", "a"}, Masters: []extlink.UserID{"a"}, Home: "t1"}, []string{"member a is named twice"}},
		{"dissolved with members", extlink.GroupState{Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a"}, Home: "t1", Dissolved: true}, []string{"a dissolved group has members [a]"}},
		{"no home", extlink.GroupState{Members: []extlink.UserID{"a"}, Masters: []extlink.UserID{"a"}}, []string{"the home tenant is empty", "member a of tenant t1 is in an internal group"}},
		{"several at once", extlink.GroupState{Members: []extlink.UserID{"a", "l", "c"}, Masters: []extlink.UserID{"c"}, External: true, Home: "t1"}, []string{"member l is a LINE user", "member c may not be"}},
	} {
		err := extlinktest.CheckGroupState(d, tc.state)
		switch {
		case len(tc.want) == 0 && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case len(tc.want) > 0 && err == nil:
			t.Errorf("%s: no error, want %q", tc.name, tc.want)
		}
		for _, w := range tc.want {
			if err != nil && !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, w)
			}
		}
	}
}

// CheckGroup reads a Group's state; the zero Group is no live group.
func TestCheckGroup(t *testing.T) {
	d := castDirectory(t)
	if err := extlinktest.CheckGroup(d, extlink.Group{}); err == nil || !strings.Contains(err.Error(), "a live group has no member") {
		t.Errorf("zero group: %v", err)
	}
	g, err := extlink.NewGroup(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	if err := extlinktest.CheckGroup(d, g); err != nil {
		t.Error(err)
	}
	// A directory change the group was not reconciled with breaks it (R20).
	d2, err := d.With(extlink.SetPolicy("t2", extlink.Policy{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := extlinktest.CheckGroup(d2, g); err == nil || !strings.Contains(err.Error(), "member b may not be in an external group") {
		t.Errorf("unreconciled: %v", err)
	}
	if err := extlinktest.CheckGroup(d2, extlink.Reconcile(d2, g)); err != nil {
		t.Errorf("reconciled: %v", err)
	}
}

func TestCheckTransition(t *testing.T) {
	d := castDirectory(t)
	ext, err := extlink.NewGroup(d, "a", "b", "me")
	if err != nil {
		t.Fatal(err)
	}
	in, err := extlink.NewGroup(d, "a", "me")
	if err != nil {
		t.Fatal(err)
	}
	left, err := ext.Remove(d, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if err := extlinktest.CheckTransition(d, ext, left); err != nil {
		t.Errorf("removing the outsider: %v", err)
	}
	// An internal group of the same members is not what the external group
	// may become: the flag is fixed at creation (R11).
	if err := extlinktest.CheckTransition(d, left, in); err == nil || !strings.Contains(err.Error(), "the external flag changed from true to false (R11)") {
		t.Errorf("flag flipped: %v", err)
	}
	gone, err := extlink.RestoreGroup(extlink.GroupState{Home: "t1", External: true, Dissolved: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := extlinktest.CheckTransition(d, gone, ext); err == nil || !strings.Contains(err.Error(), "a dissolved group came back") {
		t.Errorf("revived: %v", err)
	}
}
