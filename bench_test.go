package extlink_test

import (
	"testing"

	"github.com/extlink/extlink"
	"github.com/extlink/extlink/internal/gen"
)

// BenchmarkCanTalk decides 1:1 talk (R1, R2) on a generated directory of
// 100,000 users, for a fixed mix of colleague, linked, unlinked and
// policy-refused pairs.
func BenchmarkCanTalk(b *testing.B) {
	w := gen.New(gen.Config{Users: 100_000, Seed: 1})
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
	w := gen.New(gen.Config{Users: 100_000, Seed: 1})
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

// The generated worlds are valid directories, with the mix of queries asked.
func TestGeneratedWorld(t *testing.T) {
	w := gen.New(gen.Config{Users: 20_000, BigTenant: 2_000, Seed: 7})
	d, err := extlink.NewDirectory(w.Tenants, w.Users, w.Links)
	if err != nil {
		t.Fatal(err)
	}
	users, tenants, links := d.Len()
	if users != 20_000 || tenants < 10 || links < 80_000 {
		t.Errorf("users %d tenants %d links %d", users, tenants, links)
	}
	if n := len(w.Members("t0000000")); n != 2_000 {
		t.Errorf("big tenant has %d members", n)
	}
	kinds := map[string]int{}
	allowed := map[string]int{}
	for _, p := range w.Pairs(4000, 1) {
		kinds[p.Kind]++
		if extlink.CanTalk(d, p.A, p.B).Allowed {
			allowed[p.Kind]++
		}
	}
	if kinds["colleague"] != allowed["colleague"] || kinds["linked"] != allowed["linked"] || allowed["policy"] != 0 || allowed["unlinked"] > kinds["unlinked"]/10 {
		t.Errorf("query mix %v, allowed %v", kinds, allowed)
	}
}
