// Package extlink decides what people in a LINE WORKS-style business
// messenger may do across company borders: talk 1:1, call, e-mail, create
// rooms and groups, invite, appoint and resign group masters, hand the master
// role over, leave and remove. It is a set of pure functions over immutable
// values, with no dependencies outside the standard library.
//
// Every rule cites the specification (SPEC.md) by number: R1-R28 for rules,
// D1-D8 for the project's own decisions where the sources are silent.
//
// # Values
//
// [Tenant], [Policy], [User], [Link] and [Contact] are plain comparable
// structs: copy them freely. [Room] and [Group] are immutable values with
// unexported fields, like [net/netip.Addr]: store and pass them as values;
// every transition returns a new value, or an error together with the
// unchanged old one, and never changes its receiver. Compare them with their
// Equal methods (which go-cmp uses). A [Decision] is a comparable value that
// holds no text, so deciding allocates nothing; its String and Err build the
// sentence on demand.
//
// # The API in brief
//
//   - [NewDirectory] checks tenants, users and links and builds a
//     [*Directory]; every function takes a [Store], which *Directory
//     implements and a service can implement over its own storage.
//   - [CanTalk], [CanCall], [CanEmail], [CanInvite] decide one question and
//     explain a denial: the rule, the blocking user or tenant, a remedy
//     (R24). [ContactCard] is the post's contact details [P3-P5].
//   - [NewRoom], [Room.Invite], [Room.Leave], [Room.Convert], [NewGroup] and the [Group]
//     transitions Invite, Appoint, Resign, Transfer, Leave and Remove apply
//     the room and group rules (R7-R19); [Reconcile] brings a group in line
//     with a changed directory (R20).
//   - [Group.Can], [Room.Can] and [CanCreate] decide each of those
//     operations without doing it, exactly as the operation would (R27), and
//     [CanTalkIn] whether a member may talk in a group now (R9), so that a
//     user interface can grey out what is refused and say why. A
//     [Decision] marshals to one JSON object, a [Group] to its [GroupState].
//   - [Plan] and [Plan.Apply] replay a sequence of [Step]s (R21);
//     [PlanGroup] finds the shortest one (R22), from a new group or from one
//     of the groups that exist, and [Plan.Mermaid] and [Plan.DOT] draw it;
//     [PlanGroupContext] stops when its context is done.
//   - [Audit] streams a tenant's exposure to the trick below (R23), existing
//     groups counted.
//   - [Directory.With] applies a batch of [Change]s ([AddTenant],
//     [RemoveTenant], [SetPolicy], [AddUser], [SetUser], [RemoveUser],
//     [SetConnected], [AddLink], [RemoveLink]) and returns a new directory,
//     at the cost of the change, not of the directory: the old one stays
//     unchanged and usable, so readers keep a consistent snapshot while a
//     writer moves on (R28). Changes marshal to JSON, for a change log.
//     [WhatIf] previews what a change would flip (R25); [WhatIfContext]
//     can be stopped.
//
// Bad input (a malformed directory, a bad change, a zero [Op], a bad ID) is
// an error wrapping [ErrInvalid], never [ErrDenied], so a service can tell a
// bad request from a refusal. A user or tenant ID is non-empty valid UTF-8
// without control characters, at most 1,024 bytes, compared by its bytes and
// never normalized ([CheckID], R26); so no ID can break a decision's text
// into lines.
//
// Every exported type's zero value is safe to call methods on: the zero
// [Group] is no group (every operation is refused, and it restores from its
// own state), the zero [Plan] has no steps.
//
// Refusals wrap [ErrDenied] and one cause sentinel, chosen in a fixed order
// (D7), so errors.Is works and the answer is deterministic.
//
// # The workaround
//
// A group keeps the external flag it was created with, whoever leaves, and
// stays a group down to one member (R11, R19). So a colleague A who is linked
// with an outsider B can build a group for me and B, although B and I are not
// linked:
//
//  1. A creates a group with B (R10),
//  2. A invites me (R13),
//  3. A hands me the master role (R17),
//  4. I remove A (R16).
//
// I now share an external group with B, though I still cannot talk with B
// 1:1 or call B. The package replays this trick, plans the shortest route for
// any pair, and shows admins where their tenant is exposed to it.
package extlink
