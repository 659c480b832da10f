package extlinktest

import (
	"errors"
	"strconv"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// Changes returns a generator of batches of changes for d (R28), valid and
// invalid: about 1-c.Invalid of the batches are ones d.With accepts, and the
// rest hold one change it must refuse (an unknown user or tenant, an ID
// taken, a link inside a tenant or to oneself, a tenant that still has
// users, an Access out of range, the zero Change, ...) among valid ones.
// Each batch has 1 to c.BatchLen changes, built against the directory as
// the changes before them leave it, over the whole vocabulary: AddTenant,
// RemoveTenant, SetPolicy, AddUser, SetUser, RemoveUser, SetConnected,
// AddLink and RemoveLink. It checks every batch with d.With and fails the
// test if With accepts an invalid batch or refuses a valid one.
func Changes(d *extlink.Directory, c Config) *rapid.Generator[[]extlink.Change] {
	c = c.withDefaults()
	return rapid.Custom(func(t *rapid.T) []extlink.Change {
		return drawBatch(t, d, c, chance(t, "invalid batch", c.Invalid))
	})
}

// ValidChanges returns a generator of batches of changes for d that d.With
// accepts, as [Changes] draws its valid ones.
func ValidChanges(d *extlink.Directory, c Config) *rapid.Generator[[]extlink.Change] {
	c = c.withDefaults()
	return rapid.Custom(func(t *rapid.T) []extlink.Change {
		return drawBatch(t, d, c, false)
	})
}

func drawBatch(t *rapid.T, d *extlink.Directory, c Config, invalid bool) []extlink.Change {
	if d == nil {
		d = &extlink.Directory{}
	}
	n := rapid.IntRange(1, c.BatchLen).Draw(t, "changes")
	bad := -1
	if invalid {
		bad = rapid.IntRange(0, n-1).Draw(t, "invalid change")
	}
	var batch []extlink.Change
	cur := d
	for i := range n {
		if i == bad {
			batch = append(batch, drawInvalidChange(t, cur))
			continue
		}
		ch := drawValidChange(t, cur, c)
		next, err := cur.With(ch)
		if err != nil {
			t.Fatalf("extlinktest: With refused a valid change %v: %v\ndirectory:\n%s", ch, err, WorldOf(cur))
		}
		batch = append(batch, ch)
		cur = next
	}
	_, err := d.With(batch...)
	switch {
	case invalid && err == nil:
		t.Fatalf("extlinktest: With accepted a batch with an invalid change at %d: %v\ndirectory:\n%s", bad, batch, WorldOf(d))
	case invalid && !errors.Is(err, extlink.ErrInvalid):
		t.Fatalf("extlinktest: With refused a batch with an error that does not wrap ErrInvalid: %v", err)
	case !invalid && err != nil:
		t.Fatalf("extlinktest: With refused a valid batch %v: %v\ndirectory:\n%s", batch, err, WorldOf(d))
	}
	return batch
}

// state is a directory's input, indexed for drawing changes against it.
type state struct {
	World
	size map[extlink.TenantID]int
}

func stateOf(d *extlink.Directory) state {
	s := state{World: WorldOf(d), size: map[extlink.TenantID]int{}}
	for _, u := range s.Users {
		if u.Kind == extlink.WorksUser {
			s.size[u.Tenant]++
		}
	}
	return s
}

// newUserID and newTenantID return an ID that d does not use.
func newUserID(d *extlink.Directory) extlink.UserID {
	for i := 1; ; i++ {
		id := extlink.UserID("new" + strconv.Itoa(i))
		if _, ok := d.User(id); !ok {
			return id
		}
	}
}

func newTenantID(d *extlink.Directory) extlink.TenantID {
	for i := 1; ; i++ {
		id := extlink.TenantID("tnew" + strconv.Itoa(i))
		if _, ok := d.Tenant(id); !ok {
			return id
		}
	}
}

// The kinds of change, in the order drawn: a failing case shrinks towards
// the first.
const (
	kindSetPolicy = iota
	kindSetConnected
	kindAddLink
	kindRemoveLink
	kindAddUser
	kindSetUser
	kindRemoveUser
	kindAddTenant
	kindRemoveTenant
	kindZero // invalid only
	kindEnd
)

// drawValidChange draws one change that d.With accepts. A kind that d
// cannot take (no link to remove, say) falls back to a new tenant, which
// every directory takes.
func drawValidChange(t *rapid.T, d *extlink.Directory, c Config) extlink.Change {
	s := stateOf(d)
	kind := rapid.IntRange(0, kindRemoveTenant).Draw(t, "change")
	switch kind {
	case kindSetPolicy:
		if len(s.Tenants) > 0 {
			tn := rapid.SampledFrom(s.Tenants).Draw(t, "tenant")
			return extlink.SetPolicy(tn.ID, drawPolicy(t, c.Policies))
		}
	case kindSetConnected:
		if len(s.Users) > 0 {
			u := rapid.SampledFrom(s.Users).Draw(t, "user")
			on := u.Kind == extlink.WorksUser && rapid.Bool().Draw(t, "connected")
			return extlink.SetConnected(u.ID, on)
		}
	case kindAddLink:
		var pairs []extlink.Link
		for i, a := range s.Users {
			for _, b := range s.Users[i+1:] {
				if mayLink(a, b) && !d.Linked(a.ID, b.ID) {
					pairs = append(pairs, extlink.Link{A: a.ID, B: b.ID})
				}
			}
		}
		if len(pairs) > 0 {
			l := rapid.SampledFrom(pairs).Draw(t, "link")
			return extlink.AddLink(l.A, l.B)
		}
	case kindRemoveLink:
		if len(s.Links) > 0 {
			l := rapid.SampledFrom(s.Links).Draw(t, "link")
			if rapid.Bool().Draw(t, "swap") {
				l.A, l.B = l.B, l.A
			}
			return extlink.RemoveLink(l.A, l.B)
		}
	case kindAddUser:
		u := extlink.User{ID: newUserID(d), Name: "new"}
		if len(s.Tenants) == 0 || chance(t, "line user", c.LINEShare) {
			u.Kind = extlink.LINEUser
		} else {
			u.Tenant = rapid.SampledFrom(s.Tenants).Draw(t, "tenant").ID
			u.Role = rapid.SampledFrom([]extlink.Role{extlink.Member, extlink.Admin}).Draw(t, "role")
			u.Connected = rapid.Bool().Draw(t, "connected")
		}
		return extlink.AddUser(u)
	case kindSetUser:
		if len(s.Users) > 0 {
			u := rapid.SampledFrom(s.Users).Draw(t, "user")
			u.Name = "renamed"
			if u.Kind == extlink.WorksUser {
				u.Role = rapid.SampledFrom([]extlink.Role{extlink.Member, extlink.Admin}).Draw(t, "role")
				u.Connected = rapid.Bool().Draw(t, "connected")
				// Move to a tenant where nobody is linked with u.
				var to []extlink.TenantID
				for _, tn := range s.Tenants {
					ok := true
					for v := range d.Links(u.ID) {
						if w, _ := d.User(v); w.Kind == extlink.WorksUser && w.Tenant == tn.ID {
							ok = false
						}
					}
					if ok {
						to = append(to, tn.ID)
					}
				}
				if len(to) > 0 && rapid.Bool().Draw(t, "move") {
					u.Tenant = rapid.SampledFrom(to).Draw(t, "to")
				}
			}
			return extlink.SetUser(u)
		}
	case kindRemoveUser:
		if len(s.Users) > 0 {
			return extlink.RemoveUser(rapid.SampledFrom(s.Users).Draw(t, "user").ID)
		}
	case kindRemoveTenant:
		for _, tn := range s.Tenants {
			if s.size[tn.ID] == 0 {
				return extlink.RemoveTenant(tn.ID)
			}
		}
	}
	return extlink.AddTenant(extlink.Tenant{ID: newTenantID(d), Name: "new", Policy: drawPolicy(t, c.Policies)})
}

// drawInvalidChange draws one change that d.With refuses, whatever else is
// in the batch around it.
func drawInvalidChange(t *rapid.T, d *extlink.Directory) extlink.Change {
	s := stateOf(d)
	someUser := func() extlink.User {
		if len(s.Users) == 0 {
			return extlink.User{ID: unknownUser}
		}
		return rapid.SampledFrom(s.Users).Draw(t, "user")
	}
	switch rapid.IntRange(0, kindEnd-1).Draw(t, "invalid change") {
	case kindSetPolicy:
		if len(s.Tenants) > 0 && rapid.Bool().Draw(t, "out of range") {
			return extlink.SetPolicy(s.Tenants[0].ID, extlink.Policy{Works: extlink.Access(7)})
		}
		return extlink.SetPolicy(unknownTenant, extlink.Policy{})
	case kindSetConnected:
		for _, u := range s.Users {
			if u.Kind == extlink.LINEUser {
				return extlink.SetConnected(u.ID, true) // R6
			}
		}
		return extlink.SetConnected(unknownUser, true)
	case kindAddLink:
		for i, a := range s.Users {
			for _, b := range s.Users[i+1:] {
				if !mayLink(a, b) {
					return extlink.AddLink(a.ID, b.ID) // colleagues or two LINE users
				}
			}
		}
		if len(s.Links) > 0 {
			return extlink.AddLink(s.Links[0].B, s.Links[0].A) // linked already
		}
		u := someUser()
		return extlink.AddLink(u.ID, u.ID)
	case kindRemoveLink:
		for i, a := range s.Users {
			for _, b := range s.Users[i+1:] {
				if !d.Linked(a.ID, b.ID) {
					return extlink.RemoveLink(a.ID, b.ID)
				}
			}
		}
		return extlink.RemoveLink(unknownUser, someUser().ID)
	case kindAddUser:
		switch {
		case len(s.Users) > 0 && rapid.Bool().Draw(t, "taken"):
			u := someUser()
			u.Name = "again"
			return extlink.AddUser(u)
		case rapid.Bool().Draw(t, "line user with a tenant") && len(s.Tenants) > 0:
			return extlink.AddUser(extlink.User{ID: newUserID(d), Kind: extlink.LINEUser, Tenant: s.Tenants[0].ID})
		}
		return extlink.AddUser(extlink.User{ID: newUserID(d), Tenant: unknownTenant})
	case kindSetUser:
		return extlink.SetUser(extlink.User{ID: unknownUser, Tenant: unknownTenant})
	case kindRemoveUser:
		return extlink.RemoveUser(unknownUser)
	case kindAddTenant:
		if len(s.Tenants) > 0 && rapid.Bool().Draw(t, "taken") {
			return extlink.AddTenant(s.Tenants[0])
		}
		return extlink.AddTenant(extlink.Tenant{ID: ""})
	case kindRemoveTenant:
		for _, tn := range s.Tenants {
			if s.size[tn.ID] > 0 {
				return extlink.RemoveTenant(tn.ID) // still has users
			}
		}
		return extlink.RemoveTenant(unknownTenant)
	}
	return extlink.Change{}
}
