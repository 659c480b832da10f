package extlinktest

import (
	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// Config holds the knobs of the generators. The zero Config asks for the
// defaults noted: small worlds of up to 3 tenants and 8 users, where most
// things the rules allow happen and some are refused. A share or a chance is
// a number from 0 to 1; zero takes the default and a negative value means
// none. Shares are approximate: each is drawn per user or per pair, and
// rapid shrinks a failing case towards fewer LINE users, admins, links and
// steps.
type Config struct {
	Tenants int // the most tenants in a world (default 3); a world has at least two, now and then one
	Users   int // the most users in a world (default 8); a world has at least two

	LINEShare      float64 // the share of LINE users (R6) among users (default 0.15)
	AdminShare     float64 // the share of admins among LINE WORKS users (default 0.2)
	ConnectedShare float64 // the share of LINE WORKS users on their tenant's connected list (R2) (default 0.7)
	LinkDensity    float64 // the chance that two users who may be linked (R5, R6) are (default 0.5)
	Policies       PolicyMix

	External   float64 // the share of external groups (R11) among those Groups draws, where d has any (default 0.5)
	GroupSteps int     // the most operations a generated group goes through after its creation (default 6)
	Refused    float64 // the share of refused steps among those Steps draws (default 0.2)
	BatchLen   int     // the most changes in a batch from Changes (default 4); a batch has at least one
	Invalid    float64 // the share of invalid batches among those Changes draws (default 0.25)
}

// PolicyMix weighs the kinds of tenant policy that [Policies] and [Worlds]
// draw. The zero PolicyMix is the default mix, {Open: 3, Closed: 1, Listed:
// 2, Any: 4}; a negative weight means none of that kind.
type PolicyMix struct {
	Open   int // outside talk with LINE WORKS and LINE users for all members, calls on, members create and leave groups
	Closed int // the zero Policy: the vendor's defaults, closed to outsiders
	Listed int // outside talk for connected members only (R2), members create and leave groups
	Any    int // every setting drawn on its own
}

// withDefaults returns c with its zero fields set to their defaults and its
// negative ones to none.
func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		switch {
		case *v == 0:
			*v = d
		case *v < 0:
			*v = 0
		case *v > 1:
			*v = 1
		}
	}
	if c.Tenants <= 0 {
		c.Tenants = 3
	}
	if c.Users <= 0 {
		c.Users = 8
	}
	c.Users = max(c.Users, 2)
	def(&c.LINEShare, 0.15)
	def(&c.AdminShare, 0.2)
	def(&c.ConnectedShare, 0.7)
	def(&c.LinkDensity, 0.5)
	def(&c.External, 0.5)
	def(&c.Refused, 0.2)
	def(&c.Invalid, 0.25)
	switch {
	case c.GroupSteps == 0:
		c.GroupSteps = 6
	case c.GroupSteps < 0:
		c.GroupSteps = 0
	}
	if c.BatchLen <= 0 {
		c.BatchLen = 4
	}
	c.Policies = c.Policies.withDefaults()
	return c
}

func (m PolicyMix) withDefaults() PolicyMix {
	if m == (PolicyMix{}) {
		return PolicyMix{Open: 3, Closed: 1, Listed: 2, Any: 4}
	}
	m.Open, m.Closed, m.Listed, m.Any = max(m.Open, 0), max(m.Closed, 0), max(m.Listed, 0), max(m.Any, 0)
	if m == (PolicyMix{}) {
		m.Closed = 1 // every weight negative: the zero Policy only
	}
	return m
}

// roll is a fair number in [0, 128): seven fair bits. rapid's integer
// generators favour small values and edge cases, which would skew a share;
// a bit is fair, and shrinks towards 0. It draws the bits as one slice, so
// that a failing case's log shows one number, not seven bits.
var roll = rapid.Map(rapid.SliceOfN(rapid.Bool(), 7, 7), func(bits []bool) int {
	n := 0
	for _, b := range bits {
		n <<= 1
		if b {
			n |= 1
		}
	}
	return n
})

// chance draws true with probability p, about; a failing case shrinks
// towards false.
func chance(t *rapid.T, label string, p float64) bool {
	if p <= 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	return float64(roll.Draw(t, label)) >= 128*(1-p)
}

// between draws a number in [lo, hi], about evenly; a failing case shrinks
// towards lo.
func between(t *rapid.T, label string, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	n := hi - lo + 1
	if n > 128 {
		return rapid.IntRange(lo, hi).Draw(t, label)
	}
	return lo + roll.Draw(t, label)*n/128
}

// pick draws an index in [0, len(weights)) with probability proportional to
// its weight, about; at least one weight must be positive. A failing case
// shrinks towards the first index of positive weight.
func pick(t *rapid.T, label string, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := roll.Draw(t, label) * total / 128
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// Policies returns a generator of tenant policies, drawn from mix (the zero
// PolicyMix for the default mix).
func Policies(mix PolicyMix) *rapid.Generator[extlink.Policy] {
	mix = mix.withDefaults()
	return rapid.Custom(func(t *rapid.T) extlink.Policy { return drawPolicy(t, mix) })
}

var accessGen = rapid.SampledFrom([]extlink.Access{extlink.AccessAll, extlink.AccessListed, extlink.AccessOff})

// drawPolicy draws one policy from mix.
func drawPolicy(t *rapid.T, mix PolicyMix) extlink.Policy {
	switch pick(t, "policy", mix.Open, mix.Closed, mix.Listed, mix.Any) {
	case 0:
		return withLeave(extlink.Policy{Works: extlink.AccessAll, LINE: extlink.AccessAll, MembersCreateGroups: true}, true)
	case 1:
		return extlink.Policy{}
	case 2:
		return withLeave(extlink.Policy{Works: extlink.AccessListed, LINE: extlink.AccessListed, MembersCreateGroups: true}, true)
	}
	p := extlink.Policy{
		Works:               accessGen.Draw(t, "works"),
		LINE:                accessGen.Draw(t, "line"),
		NoCalls:             chance(t, "no calls", 0.2),
		MembersCreateGroups: rapid.Bool().Draw(t, "members create groups"),
	}
	return withLeave(p, !chance(t, "members cannot leave", 0.3))
}

// withLeave returns p with its members allowed to leave groups themselves
// (R18, D5), or not. It is the one place the generators of this package set
// that switch.
func withLeave(p extlink.Policy, membersLeave bool) extlink.Policy {
	p.MembersLeaveGroups = membersLeave
	return p
}
