package extlink_test

import (
	"encoding/json"
	"fmt"

	"github.com/extlink/extlink"
)

// A refusal by the directory carries every change that would allow the
// same question (R24), however many conditions fail: here b's tenant has
// outside talk off, and me and b are not linked. Applied with With, they
// make it allowed.
func ExampleDecision_Fix() {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}},
			{ID: "t2", Policy: extlink.Policy{Works: extlink.AccessOff}},
		},
		[]extlink.User{{ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		nil,
	)
	dec := extlink.CanTalk(d, "me", "b")
	fmt.Println(dec)
	for _, c := range dec.Fix() {
		fmt.Println(" ", c)
	}
	next, err := d.With(dec.Fix()...)
	fmt.Println(extlink.CanTalk(next, "me", "b"), err)
	// Output:
	// me cannot talk with b: t2 does not allow talk with outside LINE WORKS users (R2); ask t2's admin to allow talk with outside LINE WORKS users for its connected members, add b to the connected members, and link me with b
	//   t2's policy becomes works listed, line off, calls on, only admins create groups, members cannot leave groups
	//   b joins the connected members
	//   link me and b
	// me may talk with b (R2) <nil>
}

// A decision marshals to one object a service can log or return as is; it
// reads back equal, fix included.
func ExampleDecision_MarshalJSON() {
	dec := extlink.CanTalk(postWorld(), "me", "b")
	b, _ := json.MarshalIndent(dec, "", "  ")
	fmt.Println(string(b))
	var back extlink.Decision
	err := json.Unmarshal(b, &back)
	fmt.Println(back == dec, err)
	// Output:
	// {
	//   "allowed": false,
	//   "action": "talk",
	//   "by": "me",
	//   "who": "b",
	//   "rule": "R2",
	//   "reason": "not-linked",
	//   "cause": "ErrNotLinked",
	//   "remedy": "link me with b first",
	//   "fix": [
	//     {
	//       "op": "addLink",
	//       "link": {
	//         "a": "me",
	//         "b": "b"
	//       }
	//     }
	//   ],
	//   "text": "me cannot talk with b: not linked (R2); link me with b first"
	// }
	// true <nil>
}

// The restore protocol: a group stored as data is restored, reconciled
// with the directory as it is now (R20), and saved back if that changed
// it. Here b's tenant switched outside talk off after the group was
// stored, so b is no longer allowed in the external group.
func ExampleRestoreGroup() {
	stored := `{"members":["a","b","me"],"masters":["a"],"external":true,"home":"t1"}`
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}}, {ID: "t2"}},
		[]extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}},
		nil,
	)
	var s extlink.GroupState
	if err := json.Unmarshal([]byte(stored), &s); err != nil {
		fmt.Println(err)
		return
	}
	g, err := extlink.RestoreGroup(s) // the state's own consistency
	if err != nil {
		fmt.Println(err)
		return
	}
	now := extlink.Reconcile(d, g) // the directory's rules, as they are now
	if !now.Equal(g) {
		b, _ := json.Marshal(now) // save this back before acting on the group
		fmt.Println(string(b))
	}
	// Output:
	// {"members":["a","me"],"masters":["a"],"external":true,"home":"t1"}
}
