// Package bench measures extlink against a general policy engine and checks
// it with one. It is a module of its own, so that extlink's users never
// download cedar-go.
//
// The package holds three engines for the 1:1 talk and call rules (SPEC R1-R3,
// R5, R6, D8):
//
//   - extlink itself, [extlink.CanTalk] and [extlink.CanCall];
//   - [Cedar]: the same rules written as a Cedar schema (talk.cedarschema)
//     and policy set (talk.cedar), evaluated by cedar-go over users, tenants
//     and links held as Cedar entities;
//   - [Floor]: the least work the talk rule needs, written by hand as a few
//     map lookups, the lower bound a decision can approach (the idea of
//     casbin's BenchmarkRaw).
//
// The differential test (diff_test.go) asks extlink and Cedar the same random
// questions about random worlds and fails on any disagreement; the benchmarks
// (bench_test.go) time the three engines on generated directories of up to a
// million users, group transitions on groups of up to 100,000 members,
// directory building, and the machine's memory latency, which explains the
// rest; group_test.go checks groups as large as the benchmarks build.
// BENCHMARKS.md at the repository root reports a run; cmd/chart draws its
// chart.
package bench
