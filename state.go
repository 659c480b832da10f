package extlink

import (
	"slices"
	"strings"
)

// GroupState is a group's state as plain data, for storing a group and
// restoring it with [RestoreGroup]; its JSON form is what world files use.
type GroupState struct {
	Members   []UserID `json:"members"`             // in join order, the earliest first
	Masters   []UserID `json:"masters"`             // any order
	External  bool     `json:"external,omitempty"`  // R11
	Home      TenantID `json:"home"`                // the creator's tenant
	Dissolved bool     `json:"dissolved,omitempty"` // D4: then no members and no masters
}

// State returns g as plain data: members in join order, masters sorted.
func (g Group) State() GroupState {
	return GroupState{Members: g.JoinOrder(), Masters: g.Masters(), External: g.external, Home: g.home, Dissolved: g.dissolved}
}

// RestoreGroup builds the group that s describes. It checks the state's
// shape, not the rules: an empty or bad home tenant ID, a bad member ID
// (R26: see [CheckID]), a repeated member, a master who is not a member or
// is named twice, a live group without a member or without a master, or a
// dissolved group with members are errors wrapping [ErrInvalid] (not
// refusals). The zero GroupState, the zero Group's state, gives the zero
// Group back. It does not keep s's slices. It is O(m log m) for m members
// and masters.
//
// The restore protocol, for a group kept in storage while the directory
// changed: RestoreGroup the stored state, [Reconcile] it with the current
// directory (R20: members no longer allowed are removed, a master is
// promoted if none is left, D6), and, if Reconcile changed it (!g.Equal),
// save the reconciled state back before acting on it, so that storage and
// the rules agree (ExampleRestoreGroup). sqlstore's LoadGroup does this.
func RestoreGroup(s GroupState) (Group, error) {
	if s.Home == "" && !s.External && !s.Dissolved && len(s.Members) == 0 && len(s.Masters) == 0 {
		return Group{}, nil // the zero Group
	}
	if s.Home == "" {
		return Group{}, errInvalidf("extlink: group state: empty home tenant")
	}
	if f := idFault(string(s.Home)); f != "" {
		return Group{}, errInvalidf("extlink: group state: home tenant: %s", f)
	}
	if s.Dissolved {
		if len(s.Members) > 0 || len(s.Masters) > 0 {
			return Group{}, errInvalidf("extlink: group state: a dissolved group has no members or masters")
		}
		return Group{home: s.Home, external: s.External, dissolved: true}, nil
	}
	if len(s.Members) == 0 {
		return Group{}, errInvalidf("extlink: group state: a live group has a member (R19)")
	}
	for i, m := range s.Members {
		if f := idFault(string(m)); f != "" {
			return Group{}, errInvalidf("extlink: group state: member %d: %s", i+1, f)
		}
	}
	r, err := newRoster(s.Members)
	if err != nil {
		return Group{}, errInvalidf("extlink: group state: member %s", strings.TrimPrefix(err.Error(), "extlink: "))
	}
	// Sort a copy of the masters once, rather than inserting each into a
	// growing set: that copied the set per master, O(m^2) for a group whose
	// members are all masters.
	masters := slices.Clone(s.Masters)
	slices.Sort(masters)
	for i, m := range masters {
		switch {
		case !r.has(m):
			return Group{}, errInvalidf("extlink: group state: master %q is not a member", m)
		case i > 0 && masters[i-1] == m:
			return Group{}, errInvalidf("extlink: group state: master %q is named twice", m)
		}
	}
	if len(masters) == 0 {
		return Group{}, errInvalidf("extlink: group state: a live group has a master")
	}
	return Group{r: r, masters: idSet(masters), home: s.Home, external: s.External}, nil
}
