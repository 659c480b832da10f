package world_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/world"
)

// The post's cast as a world file: A and me at t1, B at t2, A linked with
// B, and B in t1's address book, shared by A.
const seed = `{
  "tenants": [
    {"id": "t1", "name": "our company", "policy": {"works": "all", "membersCreateGroups": true}},
    {"id": "t2", "name": "the partner", "policy": {"works": "all"}}
  ],
  "users": [
    {"id": "a", "name": "A", "tenant": "t1"},
    {"id": "me", "name": "me", "tenant": "t1"},
    {"id": "b", "name": "B", "tenant": "t2"}
  ],
  "links": [["a", "b"]],
  "contacts": [{"tenant": "t1", "owner": "a", "user": "b", "name": "B", "email": "b@partner.example"}]
}`

func ExampleDecode() {
	w, err := world.Decode("seed.json", strings.NewReader(seed))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(extlink.CanTalk(w.Directory, "a", "b"))
	fmt.Println(extlink.CanTalk(w.Directory, "me", "b"))
	for _, c := range w.Book("t1") {
		fmt.Println(extlink.CanEmail(w.Directory, "me", c))
	}
	// Output:
	// a may talk with b (R2)
	// me cannot talk with b: not linked (R2); link me with b first
	// me may e-mail b (R4)
}

// Decode reports every problem at once, each with the file, the line and
// column, the record and the field.
func ExampleDecode_problems() {
	_, err := world.Decode("bad.json", strings.NewReader(`{
  "tenants": [{"id": "t1", "policy": {"works": "everyone"}}],
  "users": [
    {"id": "a", "tenant": "t1", "admin": true},
    {"id": "a", "tenant": "t2"}
  ],
  "links": [["a", "b"]]
}`))
	fmt.Println(err)
	// Output:
	// bad.json: invalid world: 5 problems:
	// 	bad.json:2:48: tenants[0] "t1": policy.works: unknown Access "everyone" (want off, all, listed)
	// 	bad.json:4:42: users[0] "a": admin: unknown field (want id, name, tenant, kind, role, connected)
	// 	bad.json:5:12: users[1] "a": id: duplicate ID (also users[0])
	// 	bad.json:5:27: users[1] "a": tenant: unknown tenant "t2"
	// 	bad.json:7:19: links[0] "a-b": [1]: unknown user "b" (R5)
}

func ExampleEncode() {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessListed}}, {ID: "t2"}},
		[]extlink.User{{ID: "a", Tenant: "t1", Connected: true}, {ID: "b", Tenant: "t2"}, {ID: "u1", Kind: extlink.LINEUser}},
		[]extlink.Link{{A: "b", B: "a"}, {A: "a", B: "u1"}},
	)
	g, _ := extlink.RestoreGroup(extlink.GroupState{Members: []extlink.UserID{"a", "b"}, Masters: []extlink.UserID{"a"}, External: true, Home: "t1"})
	w := &world.World{Directory: d, Groups: []world.Group{{Name: "g1", Group: g}}}
	if err := world.Encode(os.Stdout, w); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "tenants": [
	//     {"id":"t1","policy":{"works":"listed","line":"off"}},
	//     {"id":"t2","policy":{"works":"off","line":"off"}}
	//   ],
	//   "users": [
	//     {"id":"a","tenant":"t1","kind":"works","role":"member","connected":true},
	//     {"id":"b","tenant":"t2","kind":"works","role":"member"},
	//     {"id":"u1","kind":"line","role":"member"}
	//   ],
	//   "links": [
	//     ["a","b"],
	//     ["a","u1"]
	//   ],
	//   "groups": [
	//     {"name":"g1","members":["a","b"],"masters":["a"],"external":true,"home":"t1"}
	//   ]
	// }
}
