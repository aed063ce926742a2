package sim

import (
	"math"
	"testing"
)

// TestPlatformAndTargetShares recounts, after every tick, the platform
// shares and the share of the option hit by the last option shock from
// the firms' strategies, and compares them with the metrics.
func TestPlatformAndTargetShares(t *testing.T) {
	cfg := smallConfig()
	w, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	pd, q := cfg.Strategy.PlatformDim, w.lay.Q
	lastShock := -1
	target := func() (d, o int) { return -1, -1 }
	for w.Step() || w.Tick() == cfg.Ticks {
		counts := make([]float64, q)
		alive := 0.0
		for i := range w.strat {
			if w.isAlive(i) {
				counts[w.lay.Get(w.strat[i], pd)]++
				alive++
			}
		}
		most, sumSq := 0.0, 0.0
		for _, c := range counts {
			most, sumSq = math.Max(most, c), sumSq+c*c
		}
		m := w.Metrics()
		if got, want := m[MPlatformTop], most/alive; math.Abs(got-want) > 1e-12 {
			t.Fatalf("tick %d: platform_top_share %v, want %v", w.Tick(), got, want)
		}
		if got, want := m[MPlatformEffective], alive*alive/sumSq; math.Abs(got-want) > 1e-9 {
			t.Fatalf("tick %d: platform_effective %v, want %v", w.Tick(), got, want)
		}
		for k, sh := range cfg.Shocks {
			// A regulation of a sector (no dimension) targets no option.
			if sh.Tick == w.Tick() && (sh.Kind == PlatformFailure || sh.Kind == TechDisruption || sh.Kind == Regulation && sh.Dimension >= 0) {
				lastShock = k
				d, o := w.shocks.targetDim[k], w.shocks.targetOpt[k]
				target = func() (int, int) { return d, o }
			}
		}
		got := m[MShockTarget]
		if lastShock < 0 {
			if !math.IsNaN(got) {
				t.Fatalf("tick %d: shock_target_share %v before any option shock", w.Tick(), got)
			}
		} else {
			d, o := target()
			n := 0.0
			for i := range w.strat {
				if w.isAlive(i) && w.lay.Get(w.strat[i], d) == o {
					n++
				}
			}
			if math.Abs(got-n/alive) > 1e-12 {
				t.Fatalf("tick %d: shock_target_share %v, want %v", w.Tick(), got, n/alive)
			}
		}
		if w.Tick() == cfg.Ticks {
			break
		}
	}
	if lastShock < 0 {
		t.Fatal("no option shock struck: the test checked nothing")
	}
}
