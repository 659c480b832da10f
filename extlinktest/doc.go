// Package extlinktest helps users of [extlink] test their own code: a
// service built on the library, a [extlink.Store] over its own storage, a
// state machine of groups. It is for tests only; package extlink never
// imports it.
//
// It offers:
//   - rapid generators (pgregory.net/rapid) of the library's inputs, each
//     with knobs in [Config]: [Worlds] and [Directories], [Policies],
//     [UserIDs], [Contacts], [Groups] reached through real operations (so
//     every group drawn is one the rules allow), plausible [Steps] for a
//     group (mostly ones that succeed, some refused) and [Changes], batches
//     of directory changes, valid and invalid (R28);
//   - [TestStore], a conformance suite for a Store implementation: every
//     promise of the Store contract, and every function of the package
//     answering exactly as on a [*extlink.Directory] built from the same
//     input;
//   - [CheckGroup], [CheckGroupState] and [CheckTransition], the invariants
//     a group keeps, for properties of a service's own group handling;
//   - [Large], the large, deterministic worlds of the library's benchmarks,
//     for load tests.
//
// A property of a service, in a test:
//
//	rapid.Check(t, func(t *rapid.T) {
//		d := extlinktest.Directories(extlinktest.Config{}).Draw(t, "directory")
//		g := extlinktest.Groups(d, extlinktest.Config{}).Draw(t, "group")
//		s := extlinktest.Steps(d, g, extlinktest.Config{}).Draw(t, "step")
//		after := myService.Do(d, g, s) // the service under test
//		if err := extlinktest.CheckTransition(d, g, after); err != nil {
//			t.Fatal(err)
//		}
//	})
package extlinktest
