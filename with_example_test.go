package extlink_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/extlink/extlink"
)

// A directory changes by value: With returns a new directory and leaves the
// old one as it was, so a reader deciding on it keeps a consistent
// snapshot (R28). A bad batch changes nothing and says what is wrong with
// each change.
func ExampleDirectory_With() {
	open := extlink.Policy{Works: extlink.AccessAll}
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		[]extlink.Link{{A: "a", B: "b"}},
	)
	next, err := d.With(extlink.AddLink("me", "b"), extlink.AddUser(extlink.User{ID: "c", Tenant: "t2"}))
	fmt.Println(err)
	fmt.Println(extlink.CanTalk(next, "me", "b"))
	fmt.Println(extlink.CanTalk(d, "me", "b")) // the old directory is unchanged

	same, err := next.With(extlink.AddLink("a", "me"), extlink.RemoveUser("zz"))
	fmt.Println(same == next, errors.Is(err, extlink.ErrInvalid))
	fmt.Println(err)

	// A change log stores changes as JSON and replays them.
	b, _ := json.Marshal(extlink.SetConnected("me", true))
	fmt.Println(string(b))
	// Output:
	// <nil>
	// me may talk with b (R2)
	// me cannot talk with b: not linked (R2); link me with b first
	// true true
	// extlink: invalid changes: 2 problems:
	// 	change 0 ("a-me"): Link.B: both users are in tenant "t1"; links are across tenants (R5)
	// 	change 1 ("zz"): User.ID: unknown user "zz"
	// {"op":"setConnected","user":{"id":"me","connected":true}}
}
