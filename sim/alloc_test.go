package sim

import "testing"

// referenceConfig is the reference workload (as in package simbench) with
// n firms: D=8, Q=8, 12 segments (3 sectors × 4), small world of degree 8,
// revision 0.1, all metrics every tick.
func referenceConfig(n int) Config {
	c := DefaultConfig()
	c.Population.Firms = n
	c.Ticks = 10_000_000
	return c
}

// TestSteadyStateAllocations checks that a tick of the reference workload
// allocates nothing once warmed up.
func TestSteadyStateAllocations(t *testing.T) {
	rugged := referenceConfig(2000) // with practices that interact and demand that moves
	rugged.Landscape.K, rugged.Market.Drift, rugged.Market.NicheTurnover = 2, 0.01, 0.005
	for name, cfg := range map[string]Config{"reference": referenceConfig(2000), "rugged": rugged} {
		w, err := New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		for range 200 {
			w.Step()
		}
		if a := testing.AllocsPerRun(50, func() { w.Step() }); a > 0 {
			t.Errorf("%s: %v allocations per tick, want 0", name, a)
		}
	}
}
