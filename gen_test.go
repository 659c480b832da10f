package extlink_test

import (
	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// unknownID is never in a generated world.
const unknownID extlink.UserID = "zz"

// anyPolicy is the policy mix of genPolicy and genWorld: every setting
// drawn on its own.
var anyPolicy = extlinktest.PolicyMix{Any: 1, Open: -1, Closed: -1, Listed: -1}

// genPolicy draws any policy, as extlinktest does.
func genPolicy(t *rapid.T, label string) extlink.Policy {
	return extlinktest.Policies(anyPolicy).Draw(t, label)
}

// genWorld draws a valid world from extlinktest's generator: 1 to
// maxTenants tenants, 2 to maxUsers users (LINE users among them), random
// links across tenants, random policies.
func genWorld(t *rapid.T, maxTenants, maxUsers int) world {
	w := extlinktest.Worlds(extlinktest.Config{
		Tenants: maxTenants, Users: maxUsers, LINEShare: 0.2, AdminShare: 0.5,
		ConnectedShare: 0.5, LinkDensity: 0.67, Policies: anyPolicy,
	}).Draw(t, "world")
	return world{Tenants: w.Tenants, Users: w.Users, Links: w.Links}
}

// mustDir builds the world's directory or fails the test.
func mustDir(t *rapid.T, w world) *extlink.Directory {
	d, err := w.dir()
	if err != nil {
		t.Fatalf("generated world rejected: %v", err)
	}
	return d
}

// genUser draws one of the world's users, or now and then an unknown one.
func genUser(t *rapid.T, w world, label string) extlink.UserID {
	ids := []extlink.UserID{unknownID}
	for _, u := range w.Users {
		ids = append(ids, u.ID, u.ID, u.ID) // unknown users rarely
	}
	return rapid.SampledFrom(ids).Draw(t, label)
}

// genPlanWorld draws a valid world shaped for the planner, from
// extlinktest's generator: policies mostly drawn setting by setting (group
// creation for members about half the time), links sparse (one to five
// per user, about) and few admins, so that shortest plans often need
// intermediaries; some LINE users and closed policies remain.
func genPlanWorld(t *rapid.T, maxTenants, maxUsers int) world {
	density := rapid.IntRange(1, 5).Draw(t, "density") // links per user, about
	w := extlinktest.Worlds(extlinktest.Config{
		Tenants: maxTenants, Users: maxUsers, LINEShare: 0.05, AdminShare: 0.1, ConnectedShare: 0.9,
		LinkDensity: min(1, float64(density)/float64(max(1, maxUsers-1))),
		Policies:    extlinktest.PolicyMix{Open: 2, Closed: 1, Listed: 1, Any: 4},
	}).Draw(t, "world")
	return world{Tenants: w.Tenants, Users: w.Users, Links: w.Links}
}
