package extlink_test

import (
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/extlinktest"
)

// BenchmarkCanTalk decides 1:1 talk (R1, R2) on a generated directory of
// 100,000 users, for a fixed mix of colleague, linked, unlinked and
// policy-refused pairs.
func BenchmarkCanTalk(b *testing.B) {
	w := extlinktest.Large(extlinktest.LargeConfig{Users: 100_000, Seed: 1})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		b.Fatal(err)
	}
	pairs := w.Pairs(1<<12, 2)
	b.ReportAllocs()
	b.ResetTimer()
	allowed := 0
	for i := 0; b.Loop(); i++ {
		p := pairs[i&(len(pairs)-1)]
		if extlink.CanTalk(d, p.A, p.B).Allowed {
			allowed++
		}
	}
	_ = allowed
}

// BenchmarkCanCall is BenchmarkCanTalk for calls (R1, R3).
func BenchmarkCanCall(b *testing.B) {
	w := extlinktest.Large(extlinktest.LargeConfig{Users: 100_000, Seed: 1})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		b.Fatal(err)
	}
	pairs := w.Pairs(1<<12, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := pairs[i&(len(pairs)-1)]
		extlink.CanCall(d, p.A, p.B)
	}
}
