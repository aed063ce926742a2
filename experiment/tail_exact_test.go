package experiment

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// optionMarket is the reduced market of the tail exactness check: firms
// firms, one practice dimension that is the platform (m platforms), one
// sector with one segment, no moves, entry, growth or crowding, reach
// independent of a platform's share, and cash for two ticks of fixed cost.
// A platform failure of severity 1 at tick 3 takes all the reach of the
// firms on the platform it hits, drawn uniformly per run (target =
// random): they sell nothing and go broke two ticks later, while the
// others stay profitable. With spread = false every firm starts on one
// common platform; with spread = true each starts on a uniformly drawn one.
func optionMarket(firms, m int, spread bool) sim.Config {
	c := sim.DefaultConfig()
	c.Ticks = 8
	c.Strategy = sim.StrategyConfig{Dimensions: []string{"platform"}, Options: m, PlatformDim: 0, AutomationDim: -1}
	mk := &c.Market
	mk.Sectors, mk.SegmentsPerSector, mk.MainstreamShare = 1, 1, 1
	mk.PlatformEffect, mk.CrowdingPenalty, mk.EntryRate, mk.Payout = 0, 0, 0, 0
	mk.FixedCost, mk.Sharpness = 0.15, 0
	c.Population.Firms = firms
	c.Population.InitialCash, c.Population.CashSpread = 0.2, 0
	c.Population.InitialSimilarity, c.Population.InitialFit = 1, 0
	if spread {
		c.Population.InitialSimilarity = 0
	}
	c.Behaviour.Revision, c.Behaviour.RadicalChanges = 0, 2
	c.Demography = sim.DemographyConfig{}
	c.Landscape.K = 0
	c.Shocks = []sim.Shock{{Kind: sim.PlatformFailure, Tick: 3, Severity: 1, Sector: -1, Dimension: -1, Option: -1, Target: sim.TargetRandom}}
	return c
}

// excessBySeed runs cfg over seeds 1…n through runJob (the forks of the
// real runs included) and returns shock 1's excess fail share per seed.
func excessBySeed(t testing.TB, cfg sim.Config, n int) []float64 {
	return shockMeasureBySeed(t, cfg, n, "shock1_excess_fail_share")
}

// shockMeasureBySeed runs cfg over seeds 1…n through runJob and returns
// the named measure per seed.
func shockMeasureBySeed(t testing.TB, cfg sim.Config, n int, name string) []float64 {
	t.Helper()
	p := &Plan{Command: CommandRun, Scenario: "options", Every: 1, ShockWindow: 5, TopStrategies: 1,
		Variants: []Variant{{Name: "v", Config: cfg}}, Version: "test"}
	for i := range n {
		p.Seeds = append(p.Seeds, uint64(1+i))
	}
	m := slices.Index(MeasureNames(len(cfg.Shocks), p.horizons()), name)
	out := make([]float64, n)
	dir := t.TempDir()
	for j := range n {
		r, err := runJob(context.Background(), p, j, SimFactory, nil, dir)
		if err != nil {
			t.Fatal(err)
		}
		out[j] = r.Measures[m]
		r.release()
	}
	return out
}

// The exactness check of the tail measures (docs/model.md, section 4): in
// the reduced market of optionMarket with m = 4 platforms and a platform
// failure that takes every firm on a uniformly drawn platform, a market
// with every firm on one platform loses all of them with probability 1/4
// and none otherwise; a market spread over the platforms loses about a
// quarter in every run. Both lose 1/4 on average, but only the first ever
// loses more than θ = 0.5. Seeds 1–400, 400 firms; the intervals are 95 %.
func TestTailExactness(t *testing.T) {
	const (
		m     = 4
		seeds = 400
		theta = 0.5
	)
	conc := excessBySeed(t, optionMarket(400, m, false), seeds)
	spread := excessBySeed(t, optionMarket(400, m, true), seeds)
	for i, x := range conc {
		if x != 0 && x != 1 {
			t.Fatalf("one platform, seed %d: excess %v, want exactly 0 (a platform nobody uses failed: the fork is exact) or 1", i+1, x)
		}
	}
	for _, c := range []struct {
		name     string
		xs       []float64
		collapse float64 // the collapse probability the measures must find
	}{{"one platform", conc, 1.0 / m}, {"spread", spread, 0}} {
		tl := ShockTail(c.xs, theta, tailRand("exactness", c.name))
		mean := stats.MeanCI(c.xs, confidence)
		t.Logf("%s: mean %.4f [%.4f, %.4f]; P(excess > %v) = %d/%d = %.4f [%.4f, %.4f]; ES10 %.4f [%.4f, %.4f]; q10/50/90 %.3f %.3f %.3f",
			c.name, mean.Mean, mean.Low, mean.High, theta, tl.Collapses, tl.N, float64(tl.CollapseP), float64(tl.CollapseLow), float64(tl.CollapseHigh),
			float64(tl.Shortfall), float64(tl.ShortfallLow), float64(tl.ShortfallHigh), float64(tl.Q10), float64(tl.Median), float64(tl.Q90))
		if tl.N != seeds {
			t.Errorf("%s: %d seeds measured, want %d", c.name, tl.N, seeds)
		}
		if !(mean.Low <= 1.0/m && 1.0/m <= mean.High) {
			t.Errorf("%s: mean excess %v [%v, %v] does not cover 1/%d", c.name, mean.Mean, mean.Low, mean.High, m)
		}
		if !(float64(tl.CollapseLow) <= c.collapse && c.collapse <= float64(tl.CollapseHigh)) {
			t.Errorf("%s: collapse probability %v [%v, %v] does not cover %v", c.name, tl.CollapseP, tl.CollapseLow, tl.CollapseHigh, c.collapse)
		}
	}
	// One platform: the worst 10 % of seeds lost every firm. Spread: no
	// seed collapsed, and the worst tenth lost well under θ.
	if tl := ShockTail(conc, theta, tailRand("exactness")); tl.Shortfall != 1 || tl.ShortfallLow != 1 {
		t.Errorf("one platform: shortfall %v [%v, %v], want 1", tl.Shortfall, tl.ShortfallLow, tl.ShortfallHigh)
	}
	if tl := ShockTail(spread, theta, tailRand("exactness")); tl.Collapses != 0 || !(float64(tl.ShortfallHigh) < theta) {
		t.Errorf("spread: %d collapses, shortfall %v [%v, %v], want none and below θ", tl.Collapses, tl.Shortfall, tl.ShortfallLow, tl.ShortfallHigh)
	}
	// The individual-versus-systemic contrast on the shared seeds: the
	// means do not differ, the collapse probabilities do.
	if d := stats.PairedDiffCI(conc, spread, confidence); !(d.Low <= 0 && 0 <= d.High) {
		t.Errorf("mean excess one platform − spread %v [%v, %v], want an interval covering 0", d.Mean, d.Low, d.High)
	}
	c := stats.PairedContrast(conc, spread, tailStatistic(results.TailCollapseP, theta), confidence, tailResamples, tailRand("exactness contrast"))
	if !(c.Low > 0 && c.P < 0.001) {
		t.Errorf("collapse probability one platform − spread %v [%v, %v], p = %v: want clearly above 0", c.Diff, c.Low, c.High, c.P)
	}
}

// The co-failure measure on the reduced market, where the answer is
// known: a platform failure kills exactly the firms of one platform (all
// deaths in one group: κ = 1); a downturn that takes all spend kills every
// firm, so the deaths are spread over the groups exactly as the firms are
// (κ = 0); and in a market of firms all on one platform there is one group
// only, so κ is not defined.
func TestCoFailureKnownMarkets(t *testing.T) {
	for i, k := range shockMeasureBySeed(t, optionMarket(200, 4, true), 10, "shock1_cofailure") {
		if k != 1 {
			t.Errorf("platform failure, seed %d: κ = %v, want 1", i+1, k)
		}
	}
	down := optionMarket(200, 4, true)
	down.Shocks = []sim.Shock{{Kind: sim.Downturn, Tick: 3, Severity: 1, Sector: -1, Dimension: -1, Option: -1}}
	for i, k := range shockMeasureBySeed(t, down, 10, "shock1_cofailure") {
		if math.Abs(k) > 1e-12 {
			t.Errorf("downturn killing all, seed %d: κ = %v, want 0", i+1, k)
		}
	}
	one := optionMarket(200, 4, false)
	one.Shocks[0].Target = sim.TargetCommon
	for i, k := range shockMeasureBySeed(t, one, 3, "shock1_cofailure") {
		if !math.IsNaN(k) {
			t.Errorf("one platform, seed %d: κ = %v, want NaN (one group)", i+1, k)
		}
	}
}

// summary.json's tails cover the excess fail share over the window and at
// every horizon on the share and revenue bases (not the count of firms),
// for each variant, and the compare's contrasts cover the same measures.
func TestTailsOfHorizons(t *testing.T) {
	p := simPlan([]sim.Shock{{Kind: sim.Downturn, Tick: 20, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1}}, 4)
	p.Variants[1].Config.Shocks = p.Variants[0].Config.Shocks // contrasts pair only the same shock
	p.Horizons = []int{5, 10}
	dir := t.TempDir()
	execute(t, p, Options{Out: dir, Factory: SimFactory})
	s, err := results.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	tails, contrasts := map[string]int{}, map[string]int{}
	for _, tl := range s.Tails {
		tails[tl.Measure]++
		if tl.N != 4 {
			t.Errorf("%s of %s: %d seeds, want 4", tl.Measure, tl.Variant, tl.N)
		}
	}
	for _, c := range s.TailContrasts {
		contrasts[c.Measure]++
	}
	for _, name := range []string{"shock1_excess_fail_share", HorizonMeasure(1, BasisShare, 5), HorizonMeasure(1, BasisRevenue, 10)} {
		if tails[name] != 2 || contrasts[name] != 2 { // two variants; one pair × two statistics
			t.Errorf("%s: %d tails and %d contrasts, want 2 and 2", name, tails[name], contrasts[name])
		}
	}
	if n := tails[HorizonMeasure(1, BasisFirms, 5)]; n != 0 {
		t.Errorf("%d tails of a count of firms, want none (θ is a share)", n)
	}
}

// TestTailContrastsPairOnlyTheSameShock: variants whose shock k differs
// (another kind or tick) get tails each, but no tail contrast on shock k.
func TestTailContrastsPairOnlyTheSameShock(t *testing.T) {
	p := simPlan([]sim.Shock{{Kind: sim.Downturn, Tick: 20, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1}}, 4)
	p.Variants[1].Config.Shocks = []sim.Shock{{Kind: sim.Downturn, Tick: 25, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1}}
	dir := t.TempDir()
	execute(t, p, Options{Out: dir, Factory: SimFactory})
	s, err := results.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tails) == 0 || len(s.TailContrasts) != 0 {
		t.Errorf("%d tails and %d contrasts of shocks at different ticks, want some tails and no contrasts", len(s.Tails), len(s.TailContrasts))
	}
}
