package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/extlink/extlink"
	"pgregory.net/rapid"
)

// Small pools of IDs, so that random changes often touch what exists and
// are as often valid as not.
var (
	poolTenants = []extlink.TenantID{"t1", "t2", "t3"}
	poolUsers   = []extlink.UserID{"a", "b", "me", "u1", "u2", "u3", "l1", "l2"}
)

func genPolicy(t *rapid.T) extlink.Policy {
	acc := rapid.SampledFrom([]extlink.Access{extlink.AccessOff, extlink.AccessAll, extlink.AccessListed})
	return extlink.Policy{Works: acc.Draw(t, "works"), LINE: acc.Draw(t, "line"),
		NoCalls: rapid.Bool().Draw(t, "noCalls"), MembersCreateGroups: rapid.Bool().Draw(t, "create"),
		MembersLeaveGroups: rapid.Bool().Draw(t, "leave")}
}

func genUser(t *rapid.T) extlink.User {
	u := extlink.User{ID: rapid.SampledFrom(poolUsers).Draw(t, "user"), Name: rapid.SampledFrom([]string{"", "A", "名前"}).Draw(t, "name")}
	if u.ID[0] == 'l' && rapid.IntRange(0, 9).Draw(t, "lineKind") > 0 {
		u.Kind = extlink.LINEUser
		return u
	}
	u.Tenant = rapid.SampledFrom(poolTenants).Draw(t, "tenant")
	if rapid.Bool().Draw(t, "admin") {
		u.Role = extlink.Admin
	}
	u.Connected = rapid.Bool().Draw(t, "connected")
	return u
}

func genChange(t *rapid.T) extlink.Change {
	user := rapid.SampledFrom(poolUsers)
	tenant := rapid.SampledFrom(poolTenants)
	switch rapid.IntRange(0, 9).Draw(t, "op") {
	case 0:
		return extlink.AddTenant(extlink.Tenant{ID: tenant.Draw(t, "t"), Name: "T", Policy: genPolicy(t)})
	case 1:
		return extlink.RemoveTenant(tenant.Draw(t, "t"))
	case 2:
		return extlink.SetPolicy(tenant.Draw(t, "t"), genPolicy(t))
	case 3, 4:
		return extlink.AddUser(genUser(t))
	case 5:
		return extlink.SetUser(genUser(t))
	case 6:
		return extlink.RemoveUser(user.Draw(t, "u"))
	case 7:
		return extlink.SetConnected(user.Draw(t, "u"), rapid.Bool().Draw(t, "on"))
	case 8:
		return extlink.AddLink(user.Draw(t, "a"), user.Draw(t, "b"))
	}
	return extlink.RemoveLink(user.Draw(t, "a"), user.Draw(t, "b"))
}

// decisions returns every talk and call decision between the directory's
// users, as text.
func decisions(d *extlink.Directory) []string {
	var out []string
	for u := range d.Users() {
		for v := range d.Users() {
			out = append(out, extlink.CanTalk(d, u.ID, v.ID).String(), extlink.CanCall(d, u.ID, v.ID).String())
		}
	}
	return out
}

// TestApplyMatchesWith applies random batches, valid and invalid, through
// Apply, and checks after each that the database (read by Directory, by a
// second handle) and a Live following it on that second handle equal the
// directory With builds from the same batches, that Apply refuses exactly
// the batches With refuses, with the same problems, and that a refused
// batch changes nothing.
func TestApplyMatchesWith(t *testing.T) {
	eachDB(t, func(t *testing.T, newDSN func() string) {
		dsn := newDSN()
		writer, reader := open(t, dsn), open(t, dsn)
		ctx := ctxT(t)
		accepted, refused := 0, 0
		rapid.Check(t, func(rt *rapid.T) {
			model, rev, err := reader.Directory(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			live, err := reader.Follow(ctx, FollowOptions{Poll: time.Hour}) // only woken by Wait
			if err != nil {
				rt.Fatal(err)
			}
			defer live.Close()
			steps := rapid.IntRange(1, 8).Draw(rt, "batches")
			for i := range steps {
				batch := rapid.SliceOfN(rapid.Custom(genChange), 0, 8).Draw(rt, fmt.Sprintf("batch%d", i))
				if rapid.IntRange(0, 3).Draw(rt, "keepInvalid") > 0 {
					batch = validPart(model, batch)
				}
				want, wantErr := model.With(batch...)
				got, err := writer.Apply(ctx, batch...)
				switch {
				case wantErr != nil:
					refused++
					if err == nil || err.Error() != wantErr.Error() || got != 0 {
						rt.Fatalf("Apply(%v) = %d, %v\nWith refused it: %v", batch, got, err, wantErr)
					}
				case err != nil:
					rt.Fatalf("Apply(%v) = %v; With accepted it", batch, err)
				case len(batch) == 0:
					if got != rev {
						rt.Fatalf("Apply() = %d; want %d", got, rev)
					}
				default:
					accepted++
					rev++
					model = want
					if got != rev {
						rt.Fatalf("Apply = revision %d; want %d", got, rev)
					}
				}
				d, drev, err := reader.Directory(ctx)
				if err != nil || drev != rev {
					rt.Fatalf("Directory = revision %d, %v; want %d", drev, err, rev)
				}
				same(rt, "Directory", model, d)
				wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				ld, err := live.Wait(wctx, rev)
				cancel()
				if err != nil {
					rt.Fatal(err)
				}
				same(rt, "the Live's directory", model, ld)
				if d2, lrev := live.Directory(); lrev != rev || d2 != ld {
					rt.Fatalf("Live.Directory = revision %d; want %d", lrev, rev)
				}
				if !slices.Equal(decisions(model), decisions(ld)) {
					rt.Fatal("the Live decides differently from the model")
				}
			}
		})
		d, rev, _ := reader.Directory(ctx)
		u, tn, l := d.Len()
		t.Logf("%d batches accepted, %d refused; at revision %d: %d users, %d tenants, %d links", accepted, refused, rev, u, tn, l)
		if accepted == 0 || refused == 0 {
			t.Errorf("the generator gave %d valid and %d invalid batches: want both", accepted, refused)
		}
	})
}

// validPart returns the changes of batch that apply one after another to d,
// skipping those that do not: a valid batch.
func validPart(d *extlink.Directory, batch []extlink.Change) []extlink.Change {
	var out []extlink.Change
	for _, c := range batch {
		if n, err := d.With(c); err == nil {
			d, out = n, append(out, c)
		}
	}
	return out
}
