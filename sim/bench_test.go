package sim

import (
	"fmt"
	"testing"
)

// ReferenceConfig returns the reference workload of the benchmarks with n
// firms: D=8, Q=8, 12 segments (3 sectors × 4), small world of degree 8,
// revision 0.1, all metrics every tick.
func referenceConfig(n int) Config {
	c := DefaultConfig()
	c.Population.Firms = n
	c.Ticks = 10_000_000
	return c
}

// BenchmarkStep measures steady-state ticks (after a warm-up that lets the
// initial shakeout pass) and reports firm-ticks per second.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("firms=%d", n), func(b *testing.B) {
			w, err := New(referenceConfig(n), 1)
			if err != nil {
				b.Fatal(err)
			}
			for range 100 {
				w.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			firms := 0
			for b.Loop() {
				firms += w.Alive()
				w.Step()
			}
			b.ReportMetric(float64(firms)/b.Elapsed().Seconds(), "firm-ticks/s")
		})
	}
}

// TestSteadyStateAllocations checks that a tick of the reference workload
// allocates nothing once warmed up.
func TestSteadyStateAllocations(t *testing.T) {
	w, err := New(referenceConfig(2000), 1)
	if err != nil {
		t.Fatal(err)
	}
	for range 200 {
		w.Step()
	}
	if a := testing.AllocsPerRun(50, func() { w.Step() }); a > 0 {
		t.Errorf("%v allocations per tick, want 0", a)
	}
}
