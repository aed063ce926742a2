package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/internal/longtest"
	"github.com/smbsim/smbsim/stats"
)

// The essay's claims re-measured on a market where search matters
// (docs/model.md, "The claims on a rugged, moving market"). A measurement,
// not a test: it asserts nothing and runs only with SMBSIM_LONG=rugged
// (about 300 runs of 1,000 firms; make measure-rugged).

const ruggedSeeds = 20

// ruggedMarket is the reference market (1,000 firms, the engine defaults)
// with the built-in scenarios' landscape and drift.
func ruggedMarket(rugged bool) Config {
	c := DefaultConfig()
	c.Ticks = 1000
	if rugged {
		c.Landscape.K = 2
		c.Market.Drift = 0.01
		c.Market.NicheTurnover = 0.005
	}
	return c
}

var claimMixes = []struct {
	name string
	mix  Mix
}{
	{"imitation-heavy", Mix{Imitator: 0.8, Innovator: 0.1, Specialist: 0.05, Adaptive: 0.05}},
	{"balanced", Mix{Imitator: 0.25, Innovator: 0.25, Specialist: 0.25, Adaptive: 0.25}},
	{"innovation-heavy", Mix{Imitator: 0.1, Innovator: 0.6, Specialist: 0.2, Adaptive: 0.1}},
}

// runSeeds runs cfg on seeds 1…ruggedSeeds and calls obs after every tick
// with the seed's index.
func runSeeds(t *testing.T, cfg Config, obs func(k int, w *World)) {
	t.Helper()
	for k := range ruggedSeeds {
		w, err := New(cfg, uint64(k+1))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Run(context.Background(), ObserverFunc(func(w *World) { obs(k, w) })); err != nil {
			t.Fatal(err)
		}
	}
}

func ci(xs []float64) string {
	i := stats.MeanCI(xs, 0.95)
	return fmt.Sprintf("%.3g [%.3g, %.3g]", i.Mean, i.Low, i.High)
}

// onIdeal returns the share of alive firms whose strategy is one of their
// sector's segment ideals, and the share within one practice of one.
func onIdeal(w *World) (exact, near float64) {
	m := &w.market
	n, e, c := 0, 0, 0
	for i := 0; i < w.n; i++ {
		if !w.isAlive(i) {
			continue
		}
		n++
		best := w.lay.D
		s := int(w.sector[i])
		for _, g := range m.seg[s*m.k : (s+1)*m.k] {
			best = min(best, w.lay.Distance(w.strat[i], g.ideal))
		}
		if best == 0 {
			e++
		}
		if best <= 1 {
			c++
		}
	}
	return float64(e) / float64(n), float64(c) / float64(n)
}

func TestRuggedMarketClaims(t *testing.T) {
	longtest.Value(t, "rugged")
	horizons := []int{200, 500, 1000}
	var report strings.Builder
	logf := func(format string, a ...any) {
		fmt.Fprintf(&report, format+"\n", a...)
	}

	// 1. Long-run diversity by mix, old market vs rugged, moving market.
	logf("1. effective strategies by mix (20 seeds, 1,000 firms, no shock); share of firms on / within one practice of a segment ideal at tick 1000; mean NK fitness at 1000")
	for _, rugged := range []bool{false, true} {
		for _, m := range claimMixes {
			cfg := ruggedMarket(rugged)
			cfg.Population.Mix = m.mix
			eff := make([][]float64, len(horizons))
			var exact, near, fit []float64
			runSeeds(t, cfg, func(_ int, w *World) {
				for h, at := range horizons {
					if w.tick == at {
						eff[h] = append(eff[h], w.metrics[MEffective])
					}
				}
				if w.tick == cfg.Ticks {
					e, n := onIdeal(w)
					exact, near = append(exact, e), append(near, n)
					fit = append(fit, w.metrics[MMeanFitness])
				}
			})
			line := fmt.Sprintf("   rugged=%v %-16s", rugged, m.name)
			for h, at := range horizons {
				line += fmt.Sprintf("  t=%d %s", at, ci(eff[h]))
			}
			line += fmt.Sprintf("  on ideal %s, within 1 %s", ci(exact), ci(near))
			if rugged {
				line += fmt.Sprintf(", fitness %s", ci(fit))
			}
			logf("%s", line)
		}
	}

	// 2. Excess failures after a demand shift by mix: share of the firms
	// alive at the shift that fail within 50 ticks, minus the same share
	// on the same seeds without the shift.
	const at, window = 300, 50
	logf("2. excess failures within %d ticks of a demand shift (σ = 0.5, mainstream, tick %d) vs the same seeds without it", window, at)
	for _, rugged := range []bool{false, true} {
		for _, m := range claimMixes {
			share := func(shock bool) []float64 {
				cfg := ruggedMarket(rugged)
				cfg.Ticks = at + window
				cfg.Population.Mix = m.mix
				if shock {
					cfg.Shocks = []Shock{{Kind: DemandShift, Tick: at, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}}
				}
				out := make([]float64, ruggedSeeds)
				runSeeds(t, cfg, func(k int, w *World) {
					if w.tick != cfg.Ticks {
						return
					}
					alive, failed := 0, 0
					for _, r := range w.Firms() {
						if r.Born < at && (r.Died < 0 || r.Died >= at) {
							alive++
							if r.Died >= at {
								failed++
							}
						}
					}
					out[k] = float64(failed) / float64(alive)
				})
				return out
			}
			with, without := share(true), share(false)
			excess := make([]float64, ruggedSeeds)
			for k := range excess {
				excess[k] = with[k] - without[k]
			}
			logf("   rugged=%v %-16s with shift %s, without %s, excess %s", rugged, m.name, ci(with), ci(without), ci(excess))
		}
	}

	// 3. Does a more connected network homogenise faster, and does it end
	// worse or better? 80 % imitators, small world of degree 2 vs 16.
	logf("3. 80%% imitators, small world degree 2 vs 16: effective strategies at ticks 100, 300, 1000; at tick 1000 alive firms, revenue, mean NK fitness")
	for _, rugged := range []bool{false, true} {
		for _, deg := range []int{2, 16} {
			cfg := ruggedMarket(rugged)
			cfg.Population.Mix = Mix{Imitator: 0.8, Innovator: 0.1, Specialist: 0.1}
			cfg.Network.Degree = deg
			var e100, e300, e1000, alive, rev, fit []float64
			runSeeds(t, cfg, func(_ int, w *World) {
				switch w.tick {
				case 100:
					e100 = append(e100, w.metrics[MEffective])
				case 300:
					e300 = append(e300, w.metrics[MEffective])
				case cfg.Ticks:
					e1000 = append(e1000, w.metrics[MEffective])
					alive = append(alive, w.metrics[MAlive])
					rev = append(rev, w.metrics[MRevenue])
					fit = append(fit, w.metrics[MMeanFitness])
				}
			})
			line := fmt.Sprintf("   rugged=%v degree %2d: eff t=100 %s, t=300 %s, t=1000 %s; alive %s, revenue %s", rugged, deg, ci(e100), ci(e300), ci(e1000), ci(alive), ci(rev))
			if rugged {
				line += ", fitness " + ci(fit)
			}
			logf("%s", line)
		}
	}
	t.Log("\n" + report.String())
}
