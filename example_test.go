package extlink_test

import (
	"errors"
	"fmt"

	"github.com/extlink/extlink"
)

// postWorld is the post's cast: A and me at one company (t1), B at a partner
// (t2), A linked with B [P9]. Both companies let every member talk with
// outside LINE WORKS users, and t1 lets members create groups.
func postWorld() *extlink.Directory {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	return extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Name: "our company", Policy: open},
			{ID: "t2", Name: "the partner", Policy: open},
		},
		[]extlink.User{
			{ID: "a", Name: "A", Tenant: "t1"},
			{ID: "me", Name: "me", Tenant: "t1"},
			{ID: "b", Name: "B", Tenant: "t2"},
		},
		[]extlink.Link{{A: "a", B: "b"}},
	)
}

func ExampleCanTalk() {
	d := postWorld()
	fmt.Println(extlink.CanTalk(d, "a", "me"))
	fmt.Println(extlink.CanTalk(d, "a", "b"))
	fmt.Println(extlink.CanTalk(d, "me", "b"))
	// Output:
	// a may talk with me (R1)
	// a may talk with b (R2)
	// me cannot talk with b: not linked (R2); link me with b first
}

// A denial is a value with a rule, a reason and a remedy; its Err wraps
// ErrDenied and the cause's sentinel.
func ExampleDecision_Err() {
	d := postWorld()
	dec := extlink.CanCall(d, "me", "b")
	err := dec.Err()
	fmt.Println(err)
	fmt.Println(errors.Is(err, extlink.ErrDenied), errors.Is(err, extlink.ErrNotLinked))
	fmt.Println(dec.Rule, dec.Reason, "-", dec.Remedy())
	// Output:
	// extlink: me cannot call b: not linked (R3); link me with b first
	// true true
	// R3 not-linked - link me with b first
}

// With AccessListed, only the tenant's connected members may talk with
// outsiders (R2); the denial names who to add to which list.
func ExampleCanTalk_listedMembers() {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessListed}},
			{ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}},
		},
		[]extlink.User{
			{ID: "a", Tenant: "t1", Connected: true},
			{ID: "me", Tenant: "t1"},
			{ID: "b", Tenant: "t2"},
		},
		[]extlink.Link{{A: "a", B: "b"}, {A: "me", B: "b"}},
	)
	fmt.Println(extlink.CanTalk(d, "a", "b"))
	fmt.Println(extlink.CanTalk(d, "me", "b"))
	// Output:
	// a may talk with b (R2)
	// me cannot talk with b: me is not one of t1's connected members (R2); add me to t1's connected members
}

// The post's contact details [P3-P5]: B is a shared contact for me, not a
// link, so talk and call are greyed out and only e-mail works.
func ExampleContactCard() {
	d := postWorld()
	c := extlink.Contact{Tenant: "t1", Owner: "a", User: "b", Name: "B", Email: "b@partner.example"}
	fmt.Print(extlink.ContactCard(d, "me", c))
	// Output:
	// b (B): a shared contact, not linked with me
	//   talk   no   me cannot talk with b: not linked (R2); link me with b first
	//   call   no   me cannot call b: not linked (R3); link me with b first
	//   e-mail yes  me may e-mail b (R4)
	//   linked colleagues: a (they can talk with b, or build a group for me: R21)
}

// The post's six steps [P10], each checked by the rules (R21).
func Example_postSixSteps() {
	d := postWorld()
	room, err := extlink.NewRoom(d, "a", "b")
	fmt.Println("1.", room, err)
	room, err = room.Invite(d, "a", "me")
	fmt.Println("2.", room, err)
	g, err := room.Convert(d, "a")
	fmt.Println("3.", g, err)
	g, err = g.Appoint(d, "a", "me")
	fmt.Println("4.", g, err)
	g, err = g.Resign(d, "a")
	fmt.Println("5.", g, err)
	g, err = g.Remove(d, "me", "a")
	fmt.Println("6.", g, err)
	fmt.Println(extlink.CanTalk(d, "me", "b").Allowed)
	// Output:
	// 1. room [a b] <nil>
	// 2. room [a b me] <nil>
	// 3. external group [a* b me] <nil>
	// 4. external group [a* b me*] <nil>
	// 5. external group [a b me*] <nil>
	// 6. external group [b me*] <nil>
	// false
}

// Anyone may leave a room (R8); once everyone has, the room is gone.
func ExampleRoom_Leave() {
	d := postWorld()
	r, _ := extlink.NewRoom(d, "a", "b")
	r, _ = r.Leave(d, "b")
	fmt.Println(r)
	r, _ = r.Leave(d, "a")
	fmt.Println(r)
	_, err := r.Invite(d, "a", "me")
	fmt.Println(errors.Is(err, extlink.ErrDissolved))
	// Output:
	// room [a]
	// room gone
	// true
}

// As in the vendor's product, members cannot leave a group themselves by
// default: a master removes them (R18). A tenant may let its members leave
// (MembersLeaveGroups, D5); the group keeps its external flag whoever leaves
// (R11, R19), and its only master hands the role on first (D3).
func ExampleGroup_Leave() {
	d := postWorld()
	g, _ := extlink.NewGroup(d, "a", "b")
	g, _ = g.Invite(d, "a", "me")
	_, err := g.Leave(d, "b")
	fmt.Println(err)

	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true, MembersLeaveGroups: true}
	d, _ = d.With(extlink.SetPolicy("t1", open), extlink.SetPolicy("t2", open))
	g, _ = g.Leave(d, "b")
	fmt.Println(g, g.External())
	_, err = g.Leave(d, "a")
	fmt.Println(err)
	// Output:
	// extlink: b cannot leave the group: t2 does not let its members leave groups (D5); ask a master of the group to remove b, or ask t2's admin to let members leave groups
	// external group [a* me] true
	// extlink: a cannot leave the group: a is the group's only master (D3); hand the master role to me first
}

// Transfer hands the master role over in one step (R17).
func ExampleGroup_Transfer() {
	d := postWorld()
	g, _ := extlink.NewGroup(d, "a", "b")
	g, _ = g.Invite(d, "a", "me")
	g, _ = g.Transfer(d, "a", "me")
	fmt.Println(g.Masters())
	// Output:
	// [me]
}

// Only a master who can talk with a person may add them (R13): me, not
// linked with B, cannot bring B in [P5].
func ExampleCanInvite() {
	d := postWorld()
	g, _ := extlink.NewGroup(d, "me")
	fmt.Println(extlink.CanInvite(d, g, "me", "a"))
	fmt.Println(extlink.CanInvite(d, g, "me", "b"))
	// Output:
	// me may invite a (R13)
	// me cannot invite b: the group is internal and b is an outsider (R11); create an external group with b instead
}

// A plan replays step by step; Apply checks every step (R21).
func ExamplePlan_Apply() {
	d := postWorld()
	p := extlink.Plan{
		{Op: extlink.OpCreateGroup, By: "a", Who: "b"},
		{Op: extlink.OpInvite, By: "a", Who: "me"},
		{Op: extlink.OpTransfer, By: "a", Who: "me"},
		{Op: extlink.OpRemove, By: "me", Who: "a"},
	}
	fmt.Println(p)
	g, err := p.Apply(d)
	fmt.Println(g, err)
	// Output:
	// 1. a creates a group with b (R10)
	// 2. a invites me (R13)
	// 3. a hands the master role to me (R17)
	// 4. me removes a (R16)
	// external group [b me*] <nil>
}

// Reconcile removes members who are no longer allowed in an external group,
// and promotes the earliest remaining member if no master is left (R20, D6).
func ExampleReconcile() {
	open := extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}
	users := []extlink.User{{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"}, {ID: "b", Tenant: "t2"}}
	links := []extlink.Link{{A: "a", B: "b"}}
	before := extlink.MustNewDirectory([]extlink.Tenant{{ID: "t1", Policy: open}, {ID: "t2", Policy: open}}, users, links)
	g, _ := extlink.NewGroup(before, "a", "b")
	g, _ = g.Invite(before, "a", "me")

	// t1 narrows outside talk to its connected members; nobody is on the list.
	listed := open
	listed.Works = extlink.AccessListed
	after := extlink.MustNewDirectory([]extlink.Tenant{{ID: "t1", Policy: listed}, {ID: "t2", Policy: open}}, users, links)
	fmt.Println(extlink.Reconcile(after, g))
	// Output:
	// external group [b*]
}

// PlanGroup finds the shortest route to a group of me and B (R22): four
// steps, shorter than the post's six, ending as the post does: I remove A.
func ExamplePlanGroup() {
	d := postWorld()
	p, err := extlink.PlanGroup(d, "me", "b")
	fmt.Println(p)
	fmt.Println(err)
	// Output:
	// 1. a creates a group with b (R10)
	// 2. a invites me (R13)
	// 3. a hands the master role to me (R17)
	// 4. me removes a (R16)
	// <nil>
}

// The groups that exist count (R22): where A already shares a group with
// B and me, two steps on it do, and the plan names the group it acts on.
func ExamplePlanGroup_existingGroup() {
	d := postWorld()
	g, _ := extlink.NewGroup(d, "a", "b")
	g, _ = g.Invite(d, "a", "me")
	p, err := extlink.PlanGroup(d, "me", "b", g)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p)
	done, err := p.Apply(d, g)
	fmt.Println(done, err)
	fmt.Println(g) // unchanged
	// Output:
	// 1. a hands the master role of group 1 to me (R17)
	// 2. me removes a from group 1 (R16)
	// external group [b me*] <nil>
	// external group [a* b me]
}

// A chain of two intermediaries: a (my colleague) is linked with c at a
// third company, who is linked with B; only c's company lets members create
// groups.
func ExamplePlanGroup_twoHops() {
	d := extlink.MustNewDirectory(
		[]extlink.Tenant{
			{ID: "t1", Policy: extlink.Policy{Works: extlink.AccessAll}},
			{ID: "t2", Policy: extlink.Policy{Works: extlink.AccessAll}},
			{ID: "t3", Policy: extlink.Policy{Works: extlink.AccessAll, MembersCreateGroups: true}},
		},
		[]extlink.User{
			{ID: "a", Tenant: "t1"}, {ID: "me", Tenant: "t1"},
			{ID: "b", Tenant: "t2"}, {ID: "c", Tenant: "t3"},
		},
		[]extlink.Link{{A: "a", B: "c"}, {A: "c", B: "b"}},
	)
	p, _ := extlink.PlanGroup(d, "me", "b")
	fmt.Println(p)
	g, err := p.Apply(d)
	fmt.Println(g, err)
	// Output:
	// 1. c creates a group with a (R10)
	// 2. c invites b (R13)
	// 3. c hands the master role to a (R17)
	// 4. a invites me (R13)
	// 5. a hands the master role to me (R17)
	// 6. me removes c (R16)
	// 7. me removes a (R16)
	// external group [b me*] <nil>
}

// A plan as a Mermaid sequence diagram, for docs and the command line.
func ExamplePlan_Mermaid() {
	p, _ := extlink.PlanGroup(postWorld(), "me", "b")
	fmt.Print(p.Mermaid())
	// Output:
	// sequenceDiagram
	//     participant p1 as a
	//     participant p2 as b
	//     participant p3 as me
	//     p1->>p2: 1. creates a group with b (R10)
	//     p1->>p3: 2. invites me (R13)
	//     p1->>p3: 3. hands the master role to me (R17)
	//     p3->>p1: 4. removes a (R16)
}

// The exposure of the post's company (R23): me can end up in a group with
// B through A, in four steps, without a link.
func ExampleAudit() {
	seq, err := extlink.Audit(postWorld(), "t1", 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	for e := range seq {
		fmt.Println(e)
	}
	// Output:
	// me -> b: 4 steps via a
}

// What if our company narrowed outside talk to a connected list holding
// only me (R25)? A could no longer talk with B, and the trick's route to B
// closes.
func ExampleWhatIf() {
	d := postWorld()
	listed := extlink.Policy{Works: extlink.AccessListed, MembersCreateGroups: true}
	after, err := d.With(extlink.SetPolicy("t1", listed), extlink.SetConnected("me", true))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := extlink.WhatIf(d, after, extlink.WhatIfQuery{Users: []extlink.UserID{"a", "b"}, Tenant: "t1", MaxSteps: 4})
	for _, f := range r.Flips {
		fmt.Println(f)
	}
	for _, e := range r.Exposure {
		fmt.Printf("%s -> %s: %d steps before, %d after\n", e.Member, e.Outsider, e.Before, e.After)
	}
	// Output:
	// a can no longer talk with b: a is not one of t1's connected members (R2); add a to t1's connected members
	// a can no longer call b: a is not one of t1's connected members (R3); add a to t1's connected members
	// me -> b: 4 steps before, 0 after
}
