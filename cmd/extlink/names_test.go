package main

import "testing"

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
