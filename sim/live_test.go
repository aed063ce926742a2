package sim

import (
	"math"
	"testing"
)

// TestAddShockReplays pins the promise of AddShock: a shock added to a
// running world acts exactly as the same shock listed in the configuration
// from the start, tick for tick, metric for metric.
func TestAddShockReplays(t *testing.T) {
	for _, kind := range []ShockKind{DemandShift, TechDisruption, PlatformFailure, Downturn, Regulation} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Population.Firms = 200
			cfg.Ticks = 60
			cfg.Shocks = []Shock{{Kind: Downturn, Tick: 50, Duration: 5, Severity: 0.3, Sector: -1, Dimension: -1, Option: -1}}
			sh := DefaultShock()
			sh.Kind, sh.Tick, sh.Duration = kind, 21, 10
			if kind == TechDisruption {
				sh.Dimension = 2
			}
			live, err := New(cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			planned := cfg
			planned.Shocks = append(append([]Shock(nil), cfg.Shocks...), sh)
			ref, err := New(planned, 7)
			if err != nil {
				t.Fatal(err)
			}
			for live.Tick() < 20 {
				live.Step()
				ref.Step()
			}
			if _, err := live.AddShock(Shock{Kind: kind, Tick: 20, Severity: 0.5, Dimension: -1, Option: -1}); err == nil {
				t.Fatal("AddShock accepted a shock at the current tick")
			}
			bad := sh
			bad.Severity = 2
			if _, err := live.AddShock(bad); err == nil {
				t.Fatal("AddShock accepted severity 2")
			}
			if k, err := live.AddShock(sh); err != nil || k != 1 {
				t.Fatalf("AddShock = %d, %v; want 1, nil", k, err)
			}
			for ref.Step() {
				live.Step()
				a, b := ref.Metrics(), live.Metrics()
				for m := range a {
					if math.Float64bits(a[m]) != math.Float64bits(b[m]) {
						t.Fatalf("tick %d: %s = %v live, %v planned", ref.Tick(), metricNames[m], b[m], a[m])
					}
				}
			}
			if live.Step() {
				t.Fatal("live world runs past its end")
			}
		})
	}
}
