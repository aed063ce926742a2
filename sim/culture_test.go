package sim

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/stats"
)

var cultureSeeds = flag.Int("culture.seeds", 3000, "seeds per engine of TestCultureEnginesAgree; make validate-long uses more at a larger size")
var cultureSide = flag.Int("culture.side", 5, "lattice side of TestCultureEnginesAgree")

// Engines of cultureSample besides the Culture engines: a pure Axelrod
// World, the automatic engine with short windows (so that small runs
// switch both ways), and runs stepped tick by tick as the runner steps
// them (OpenCulture), automatic and active links.
const (
	sampleWorld       = "world"
	sampleAutoShort   = "auto/64"
	sampleTicksAuto   = "ticks/auto"
	sampleTicksActive = "ticks/active_links"
)

// cultureSample runs seeds from, from+1, … of cfg with engine to
// absorption and returns the final regions, the largest region and, for
// Culture engines, the events and the changes to absorption.
func cultureSample(t *testing.T, cfg Config, engine string, from uint64, n int) (regions, largest, events, changes []float64) {
	t.Helper()
	for s := from; s < from+uint64(n); s++ {
		if engine == sampleWorld {
			w, err := New(cfg, s)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			r, l := w.RegionsLargest()
			regions, largest = append(regions, float64(r)), append(largest, float64(l))
			continue
		}
		c := sampleRun(t, cfg, engine, s)
		st := c.Stats()
		if !st.Absorbed {
			t.Fatalf("%s seed %d: not absorbed", engine, s)
		}
		regions, largest = append(regions, float64(st.Regions)), append(largest, float64(st.Largest))
		events, changes = append(events, float64(st.LastChange)), append(changes, float64(st.Changes))
	}
	return regions, largest, events, changes
}

// sampleRun runs seed s of cfg on a Culture engine of cultureSample.
func sampleRun(t *testing.T, cfg Config, engine string, s uint64) *Culture {
	t.Helper()
	var c *Culture
	var err error
	switch engine {
	case sampleTicksAuto, sampleTicksActive:
		cfg.Culture.Engine = CultureEngine(strings.TrimPrefix(engine, "ticks/"))
		if c, err = OpenCulture(cfg, s); err != nil {
			t.Fatal(err)
		}
		for c.Step() {
		}
		return c
	case sampleAutoShort:
		c, err = NewCulture(cfg, s, "")
		c.window = 64
	default:
		c, err = NewCulture(cfg, s, engine)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCultureEnginesAgree checks that the active-link engine's runs are
// equal in distribution to the naive loop's, and so are the automatic
// engine's (switching both ways, with short windows), runs stepped tick by
// tick (the runner's), and a pure Axelrod World's: over thousands of seeds
// (disjoint between samples) at a small size, the final regions, the
// largest region, the events and the changes to absorption pass
// Mann–Whitney and Welch two-sample tests at p > 0.001 (each test, 36 in
// all; a World gives no events or changes).
func TestCultureEnginesAgree(t *testing.T) {
	n, side := *cultureSeeds, *cultureSide
	if testing.Short() {
		n = 300
	}
	for _, c := range []struct {
		name             string
		features, traits int
		moore, wrap      bool
	}{{"F3q4", 3, 4, false, false}, {"F5q10-moore-wrap", 5, 10, true, true}} {
		t.Run(c.name, func(t *testing.T) {
			cfg := axelrodConfig(c.features, c.traits)
			cfg.Population.Firms = side * side
			cfg.Network.Width, cfg.Network.Height, cfg.Network.Wrap = side, side, c.wrap
			if c.moore {
				cfg.Network.Neighbourhood = Moore
			}
			type sample struct{ regions, largest, events, changes []float64 }
			run := func(engine string, from uint64) sample {
				r, l, e, ch := cultureSample(t, cfg, engine, from, n)
				return sample{r, l, e, ch}
			}
			naive := run(CultureNaive, 1)
			others := []struct {
				name string
				s    sample
			}{
				{"active links", run(CultureActiveLinks, 1_000_001)}, {"automatic (short windows)", run(sampleAutoShort, 3_000_001)},
				{"ticks, automatic", run(sampleTicksAuto, 4_000_001)}, {"ticks, active links", run(sampleTicksActive, 5_000_001)},
				{"World", run(sampleWorld, 2_000_001)},
			}
			for _, o := range others {
				pairs := []struct {
					what string
					a, b []float64
				}{{"regions", naive.regions, o.s.regions}, {"largest region", naive.largest, o.s.largest},
					{"events to absorption", naive.events, o.s.events}, {"changes to absorption", naive.changes, o.s.changes}}
				if o.s.events == nil {
					pairs = pairs[:2] // a World counts ticks, not events
				}
				for _, p := range pairs {
					mw, welch := stats.MannWhitneyU(p.a, p.b), stats.WelchT(p.a, p.b)
					t.Logf("%s, naive vs %s: means %.3f vs %.3f; Mann–Whitney p = %.3f, Welch p = %.3f", p.what, o.name, stats.Mean(p.a), stats.Mean(p.b), mw.P, welch.P)
					if mw.P < 0.001 || welch.P < 0.001 {
						t.Errorf("%s, naive vs %s differ: means %.3f vs %.3f over %d seeds each (Mann–Whitney p = %.2g, Welch p = %.2g)", p.what, o.name, stats.Mean(p.a), stats.Mean(p.b), n, mw.P, welch.P)
					}
				}
			}
		})
	}
}

// TestCultureAutoSwitches checks that the automatic engine with short
// windows, as TestCultureEnginesAgree samples it, switches to active links
// and back to the naive loop in some runs (so that the test covers both
// switches), and that with the default windows a large run near q_c
// switches too.
func TestCultureAutoSwitches(t *testing.T) {
	cfg := axelrodConfig(5, 10)
	cfg.Population.Firms = 25
	cfg.Network.Width, cfg.Network.Height = 5, 5
	both := 0
	for s := uint64(1); s <= 200; s++ {
		c := sampleRun(t, cfg, sampleAutoShort, s)
		both += b2i(c.switches >= 2)
	}
	t.Logf("%d of 200 runs switched both ways", both)
	if both < 10 {
		t.Errorf("%d of 200 runs switched to active links and back, want 10 or more", both)
	}
	big := axelrodConfig(10, 55)
	big.Population.Firms = 900
	big.Network.Width, big.Network.Height = 30, 30
	c, err := NewCulture(big, 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Run(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if c.switches == 0 {
		t.Errorf("F = 10, q = 55 on 30×30: no switch to active links in %d events", c.events)
	}
}

// TestCultureWide runs culture worlds wider than a 64-bit strategy (F = 10,
// q = 100: 70 bits packed) to absorption with both engines and checks the
// kept overlaps against a recount.
func TestCultureWide(t *testing.T) {
	cfg := axelrodConfig(10, 100)
	cfg.Population.Firms = 64
	cfg.Network.Width, cfg.Network.Height = 8, 8
	for _, engine := range []string{CultureNaive, CultureActiveLinks} {
		c, err := NewCulture(cfg, 3, engine)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Run(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
		checkCulture(t, c)
		if st := c.Stats(); !st.Absorbed || st.Regions < 1 || st.Largest < 1 {
			t.Errorf("%s: %+v", engine, st)
		}
	}
	cfg.Strategy.Options = 300
	if _, err := NewCulture(cfg, 1, ""); err == nil {
		t.Error("300 traits accepted")
	}
}

// checkCulture recounts every link's overlap, the active links and the
// active-link classes.
func checkCulture(t *testing.T, c *Culture) {
	t.Helper()
	active := 0
	for e := range c.k {
		i, j := int(c.src[e]), int(c.adj[e])
		if k := c.overlap(i, j); int(c.k[e]) != k {
			t.Fatalf("link %d→%d: kept overlap %d, recount %d", i, j, c.k[e], k)
		}
		if j > i && c.isActive(c.k[e]) {
			active++
		}
		if c.useActive && (c.pos[e] >= 0) != (i < j && c.isActive(c.k[e])) {
			t.Fatalf("link %d→%d: class position %d with overlap %d", i, j, c.pos[e], c.k[e])
		}
	}
	if active != c.active {
		t.Fatalf("active links %d, recount %d", c.active, active)
	}
}

// TestCultureInvariants checks the kept overlaps, active links and
// classes along active-link runs (every 50 events) on lattices and a small
// world.
func TestCultureInvariants(t *testing.T) {
	for _, nw := range []NetworkConfig{
		{Kind: Lattice, Width: 6, Height: 6, Neighbourhood: VonNeumann},
		{Kind: Lattice, Width: 6, Height: 6, Neighbourhood: Moore},
		{Kind: SmallWorld, Degree: 4, Rewire: 0.2},
	} {
		cfg := axelrodConfig(4, 6)
		cfg.Population.Firms = 36
		cfg.Network = nw
		c, err := NewCulture(cfg, 7, CultureActiveLinks)
		if err != nil {
			t.Fatal(err)
		}
		for !c.Absorbed() {
			if err := c.Run(context.Background(), c.events+50); err != nil {
				t.Fatal(err)
			}
			checkCulture(t, c)
		}
	}
}

// TestActiveLinksNextChange checks the active-link engine's draw of the
// next change against the naive loop's exact probabilities, from fixed
// states of a bounded 3×3 lattice (degrees 2, 3 and 4, so that the links'
// 1/deg weights matter) with F = 3, q = 3: site i takes neighbour j's value
// on a feature x where they differ with probability ∝ (1/deg i)·(k/F)·
// 1/(F − k), k their overlap. 20,000 draws per state, each from a clone
// with its own stream; Pearson's chi-squared test at p > 0.001. Links are
// filed by their ends' degrees (drawn uniformly within a group) and, as
// on networks with more than maxCultureDegGroups degrees, all in one group
// per overlap (drawn by rejection).
func TestActiveLinksNextChange(t *testing.T) {
	for _, groups := range []int{maxCultureDegGroups, 1} {
		t.Run(fmt.Sprintf("degree-groups-%d", groups), func(t *testing.T) { testActiveLinksNextChange(t, groups) })
	}
}

func testActiveLinksNextChange(t *testing.T, groups int) {
	cfg := axelrodConfig(3, 3)
	cfg.Population.Firms = 9
	cfg.Network.Width, cfg.Network.Height = 3, 3
	const draws = 20_000
	for _, seed := range []uint64{2, 5, 11} {
		base, err := NewCulture(cfg, seed, CultureActiveLinks)
		if err != nil {
			t.Fatal(err)
		}
		base.maxDG, base.cls = groups, nil
		base.buildClasses()
		if want := min(groups, 3); base.ndg != want {
			t.Fatalf("%d degree groups, want %d", base.ndg, want)
		}
		type change struct{ site, feature, value int }
		want := map[change]float64{}
		total := 0.0
		for e := range base.adj {
			i, j, k := int(base.src[e]), int(base.adj[e]), int(base.k[e])
			if !base.isActive(base.k[e]) {
				continue
			}
			deg := float64(base.off[i+1] - base.off[i])
			for x := 0; x < base.f; x++ {
				if v := base.feat[j*base.f+x]; v != base.feat[i*base.f+x] {
					p := float64(k) / float64(base.f) / float64(base.f-k) / deg
					want[change{i, x, int(v)}] += p
					total += p
				}
			}
		}
		if len(want) < 5 {
			t.Fatalf("seed %d: %d possible changes, want a state with more", seed, len(want))
		}
		got := map[change]float64{}
		for d := range draws {
			c := base.Clone()
			c.src64 = rand.NewPCG(uint64(d), seed)
			c.rng = rand.New(c.src64)
			for c.changes == 0 {
				c.runActive(c.events + 1) // one event: a change with the naive loop's probability, or a failure
			}
			for i := 0; i < c.n*c.f; i++ {
				if c.feat[i] != base.feat[i] {
					got[change{i / c.f, i % c.f, int(c.feat[i])}]++
				}
			}
		}
		var obs, exp []float64
		for ch, p := range want {
			obs, exp = append(obs, got[ch]), append(exp, p/total*draws)
		}
		if chi2, df, p := stats.ChiSquareFit(obs, exp); p < 0.001 || len(got) != len(want) {
			t.Errorf("seed %d: %d changes drawn of %d possible; X² = %.1f, df = %d, p = %.2g", seed, len(got), len(want), chi2, df, p)
		}
	}
}
