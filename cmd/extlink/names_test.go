package main

import (
	"testing"

	"github.com/extlink/extlink"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b        string
		bound, want int
	}{
		{"suzuki", "suzuki", 4, 0},
		{"suzki", "suzuki", 4, 1},
		{"tanaka", "tanaki", 4, 1},
		{"kitten", "sitting", 4, 3},
		{"kitten", "sitting", 2, 2}, // stops at the bound
		{"田中", "田村", 4, 1},          // runes, not bytes
		{"", "me", 4, 2},
		{"a", "abcdef", 3, 3},
	} {
		if got := editDistance(c.a, c.b, c.bound); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.bound, got, c.want)
		}
	}
}

// peopleUpTo names each user once, and at most limit of them.
func TestPeopleUpTo(t *testing.T) {
	d, err := extlink.NewDirectory([]extlink.Tenant{{ID: "t1"}},
		[]extlink.User{{ID: "tanaka", Name: "田中太郎", Tenant: "t1"}, {ID: "me", Name: "ME", Tenant: "t1"}, {ID: "x", Name: "X\nY", Tenant: "t1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		limit int
		ids   []string
		want  string
	}{
		{0, []string{"me", "tanaka", "me", "zz", "x"}, `me, tanaka (田中太郎), x ("X\nY")`},
		{2, []string{"me", "tanaka", "me", "x"}, "me, tanaka (田中太郎), and 1 more"},
		{0, []string{"me"}, ""},
	} {
		if got := peopleUpTo(d, c.limit, c.ids...); got != c.want {
			t.Errorf("peopleUpTo(%d, %q) = %q, want %q", c.limit, c.ids, got, c.want)
		}
	}
	if got := displayWidth("tanaka (田中太郎)"); got != 17 {
		t.Errorf("displayWidth = %d, want 17", got)
	}
	if got := pad("田中", 6) + "|"; got != "田中  |" {
		t.Errorf("pad = %q", got)
	}
}
