package extlink_test

import (
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
	"pgregory.net/rapid"
)

// Issue 14, R24: a remedy for a refusal by the group's own state names an
// action the rules allow to the party it names, on a group consistent with
// its directory (reconciled, R20): the master it sends the asker to is a
// master; "hand the master role to another member first" has a member to
// hand it to; "appoint another master first" someone to appoint; "leave
// the group instead" a leave that is allowed; "invite W first" an invite
// that is. Refusals by the directory are checked by TestFixSuffices.
func TestRemediesFollowable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := extlinktest.Config{}
		d := extlinktest.Directories(c).Draw(t, "directory")
		ids := extlinktest.UserIDs(d)
		g := extlink.Reconcile(d, extlinktest.Groups(d, c).Draw(t, "group"))
		for i := range 8 {
			s := extlinktest.Steps(d, g, extlinktest.Config{Refused: 0.7}).Draw(t, "step")
			if i%2 == 1 {
				s.By = ids.Draw(t, "by")
				if s.Who != "" {
					s.Who = ids.Draw(t, "who")
				}
			}
			dec := g.Can(d, s)
			if dec.Allowed {
				continue
			}
			can := func(op extlink.Op, by, who extlink.UserID) bool {
				return g.Can(d, extlink.Step{Op: op, By: by, Who: who}).Allowed
			}
			anyone := func(f func(m extlink.UserID) bool) bool {
				for _, m := range g.Members() {
					if m != dec.By && f(m) {
						return true
					}
				}
				return false
			}
			ok := true
			switch r := dec.Remedy(); {
			case dec.Reason == extlink.ReasonNotMaster:
				ok = dec.Party != "" && g.IsMaster(dec.Party)
			case dec.Reason == extlink.ReasonLastMaster && dec.Action == extlink.ActLeave && r != "":
				ok = r == "hand the master role to "+string(dec.Party)+" first" && can(extlink.OpTransfer, dec.By, dec.Party)
			case dec.Reason == extlink.ReasonLastMaster && r != "":
				ok = r == "appoint "+string(dec.Party)+" as master first" && can(extlink.OpAppoint, dec.By, dec.Party)
			case dec.Reason == extlink.ReasonLastMaster:
				ok = !anyone(func(m extlink.UserID) bool { return can(extlink.OpAppoint, dec.By, m) })
			case r == "leave the group instead":
				ok = can(extlink.OpLeave, dec.By, "")
			case dec.Reason == extlink.ReasonTargetMissing && r != "":
				ok = can(extlink.OpInvite, dec.By, dec.Who)
			}
			if !ok {
				t.Fatalf("%v: the remedy cannot be followed in %v", dec, g)
			}
		}
	})
}
