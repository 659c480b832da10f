package main

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

// nameLabel returns the user id as one word (see word), followed by their
// display name in parentheses where it differs from the ID other than in
// case, as people writes each: "tanaka (田中太郎)". An ID the directory
// does not have is the word alone.
func nameLabel(d *extlink.Directory, id string) string {
	if u, ok := d.User(extlink.UserID(id)); ok && u.Name != "" && !strings.EqualFold(u.Name, id) {
		return word(id) + " (" + safeText(u.Name) + ")"
	}
	return word(id)
}

// people returns the users ids name, each once in the order given, with
// their display names beside their IDs where the two differ other than in
// case: "tanaka (田中太郎), me". It returns "" when no one's name differs
// so, so that text output only grows where names tell something. An ID
// the directory does not have is left out.
func people(d *extlink.Directory, ids ...string) string {
	return peopleUpTo(d, 0, ids...)
}

// peopleUpTo is people listing at most limit of them (0: all), then "and N
// more". It costs O(len(ids)).
func peopleUpTo(d *extlink.Directory, limit int, ids ...string) string {
	var parts []string
	seen := map[string]bool{}
	named, more := false, 0
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		u, ok := d.User(extlink.UserID(id))
		if !ok {
			continue
		}
		if limit > 0 && len(parts) == limit {
			more++
			continue
		}
		if u.Name != "" && !strings.EqualFold(u.Name, id) {
			parts = append(parts, fmt.Sprintf("%s (%s)", listItem(id), safeText(u.Name)))
			named = true
		} else {
			parts = append(parts, listItem(id))
		}
	}
	if !named {
		return ""
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("and %d more", more))
	}
	return strings.Join(parts, ", ")
}

// suggestUser returns, for a user ID the directory does not have, a hint
// to append to the error: `; did you mean "tanaka" (田中太郎)?`. It names
// the user whose display name is u (ignoring case), else the user whose ID
// is nearest to u by edit distance, if within a third of u's length (at
// least 1, at most 3 edits); else it returns "". It scans every user: it is
// for error messages only.
func suggestUser(d *extlink.Directory, u string) string {
	return suggest(u, func(yield func(id, name string) bool) {
		for x := range d.Users() {
			if !yield(string(x.ID), x.Name) {
				return
			}
		}
	})
}

// suggestTenant is suggestUser for a tenant ID, by a tenant's name or a
// close ID.
func suggestTenant(d *extlink.Directory, t string) string {
	return suggest(t, func(yield func(id, name string) bool) {
		for x := range d.Tenants() {
			if !yield(string(x.ID), x.Name) {
				return
			}
		}
	})
}

// suggest is suggestUser over any candidates, given as IDs and names.
func suggest(key string, candidates iter.Seq2[string, string]) string {
	if key == "" {
		return ""
	}
	limit := min(3, max(1, utf8.RuneCountInString(key)/3))
	var bestID, bestName string
	bestDist := limit + 1
	for id, name := range candidates {
		if name != "" && strings.EqualFold(name, key) {
			return hint(id, name)
		}
		if bestDist == 0 {
			continue
		}
		if dist := editDistance(key, id, bestDist); dist < bestDist {
			bestID, bestName, bestDist = id, name, dist
		}
	}
	if bestDist > limit {
		return ""
	}
	return hint(bestID, bestName)
}

// hint returns `; did you mean "id" (name)?`, the name left out when it is
// the ID but for case.
func hint(id, name string) string {
	if name != "" && !strings.EqualFold(name, id) {
		return fmt.Sprintf("; did you mean %q (%s)?", id, safeText(name))
	}
	return fmt.Sprintf("; did you mean %q?", id)
}

// editDistance returns the Levenshtein distance between a and b in runes,
// or any value of at least bound once it knows the distance is that large.
// It costs O(len(a)*len(b)), and less when the lengths alone reach bound.
func editDistance(a, b string, bound int) int {
	if d := len(a) - len(b); isASCII(a) && isASCII(b) && (d >= bound || -d >= bound) {
		return bound // most IDs: a quick no before any allocation
	}
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= bound || -d >= bound {
		return bound
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= bound {
			return bound
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggestGroup is suggestUser for a group of w named by -group: the group
// whose name is g but for case, else the nearest name; a world whose
// groups have no names gets the range of indexes.
func suggestGroup(w *world.World, g string) string {
	limit := min(3, max(1, utf8.RuneCountInString(g)/3))
	best, bestDist := "", limit+1
	for _, x := range w.Groups {
		if x.Name == "" {
			continue
		}
		if strings.EqualFold(x.Name, g) {
			return fmt.Sprintf("; did you mean %q?", x.Name)
		}
		if dist := editDistance(g, x.Name, bestDist); dist < bestDist {
			best, bestDist = x.Name, dist
		}
	}
	switch {
	case best != "":
		return fmt.Sprintf("; did you mean %q?", best)
	case len(w.Groups) == 0:
		return "; it has no groups"
	}
	if _, err := strconv.Atoi(g); err == nil {
		return fmt.Sprintf("; its groups are 0 to %d", len(w.Groups)-1)
	}
	return ""
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
