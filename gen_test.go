package extlink_test

import (
	"fmt"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// unknownID is never in a generated world.
const unknownID extlink.UserID = "zz"

// genPolicy draws any policy.
func genPolicy(t *rapid.T, label string) extlink.Policy {
	access := rapid.SampledFrom([]extlink.Access{extlink.AccessOff, extlink.AccessAll, extlink.AccessListed})
	return extlink.Policy{
		Works:               access.Draw(t, label+".works"),
		LINE:                access.Draw(t, label+".line"),
		NoCalls:             rapid.Bool().Draw(t, label+".nocalls"),
		MembersCreateGroups: rapid.Bool().Draw(t, label+".create"),
		MembersLeaveGroups:  rapid.Bool().Draw(t, label+".leave"),
	}
}

// genWorld draws a valid world: 2 to maxTenants tenants, 2 to maxUsers users
// (LINE users among them), random links across tenants, random policies.
func genWorld(t *rapid.T, maxTenants, maxUsers int) world {
	var w world
	nt := rapid.IntRange(2, maxTenants).Draw(t, "tenants")
	for i := range nt {
		id := extlink.TenantID(fmt.Sprintf("t%d", i+1))
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: id, Policy: genPolicy(t, string(id))})
	}
	nu := rapid.IntRange(2, maxUsers).Draw(t, "users")
	for i := range nu {
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("u%d", i+1))}
		if rapid.IntRange(0, 4).Draw(t, "line") == 0 {
			u.Kind = extlink.LINEUser
		} else {
			u.Tenant = w.Tenants[rapid.IntRange(0, nt-1).Draw(t, "tenant")].ID
			if rapid.Bool().Draw(t, "admin") {
				u.Role = extlink.Admin
			}
			u.Connected = rapid.Bool().Draw(t, "connected")
		}
		w.Users = append(w.Users, u)
	}
	for i, a := range w.Users {
		for _, b := range w.Users[i+1:] {
			canLink := !colleagues(a, b) && !(a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser)
			if canLink && rapid.IntRange(0, 2).Draw(t, "link") > 0 {
				w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
			}
		}
	}
	return w
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

// genPlanWorld draws a valid world shaped for the planner: policies mostly
// open, links sparse and group-creation rights scarce, so that shortest
// plans often need intermediaries; some LINE users and closed policies
// remain.
func genPlanWorld(t *rapid.T, maxTenants, maxUsers int) world {
	var w world
	nt := rapid.IntRange(1, maxTenants).Draw(t, "tenants")
	access := rapid.SampledFrom([]extlink.Access{
		extlink.AccessAll, extlink.AccessAll, extlink.AccessAll, extlink.AccessAll,
		extlink.AccessListed, extlink.AccessOff,
	})
	for i := range nt {
		id := extlink.TenantID(fmt.Sprintf("t%d", i+1))
		w.Tenants = append(w.Tenants, extlink.Tenant{ID: id, Policy: extlink.Policy{
			Works:               access.Draw(t, "works"),
			LINE:                access.Draw(t, "line"),
			NoCalls:             rapid.IntRange(0, 4).Draw(t, "nocalls") == 2,
			MembersCreateGroups: rapid.IntRange(0, 2).Draw(t, "create") == 1,
			MembersLeaveGroups:  rapid.IntRange(0, 2).Draw(t, "leave") == 1,
		}})
	}
	nu := rapid.IntRange(2, maxUsers).Draw(t, "users")
	for i := range nu {
		u := extlink.User{ID: extlink.UserID(fmt.Sprintf("u%d", i+1))}
		// rapid favours small draws: rare cases sit mid-range.
		if rapid.IntRange(0, 19).Draw(t, "line") == 10 {
			u.Kind = extlink.LINEUser
		} else {
			u.Tenant = w.Tenants[rapid.IntRange(0, nt-1).Draw(t, "tenant")].ID
			if rapid.IntRange(0, 9).Draw(t, "admin") == 5 {
				u.Role = extlink.Admin
			}
			u.Connected = rapid.IntRange(0, 9).Draw(t, "connected") != 5
		}
		w.Users = append(w.Users, u)
	}
	density := rapid.IntRange(1, 5).Draw(t, "density") // links per user, about
	for i, a := range w.Users {
		for _, b := range w.Users[i+1:] {
			canLink := !colleagues(a, b) && !(a.Kind == extlink.LINEUser && b.Kind == extlink.LINEUser)
			if canLink && rapid.IntRange(0, len(w.Users)-1).Draw(t, "link") < density {
				w.Links = append(w.Links, extlink.Link{A: a.ID, B: b.ID})
			}
		}
	}
	return w
}
