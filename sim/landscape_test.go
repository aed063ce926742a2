package sim

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/smbsim/smbsim/agents"
)

// TestLandscapeOffIsExact: with the term off (k = 0, or weight 0) and no
// drift the model is exactly today's — the pinned fingerprint — and
// mean_fitness is NaN.
func TestLandscapeOffIsExact(t *testing.T) {
	const pinned = pinnedFingerprint // TestPinnedRun's
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"k=0", func(c *Config) { c.Landscape.K = 0; c.Landscape.Weight = 3 }},
		{"weight=0", func(c *Config) { c.Landscape.K = 3; c.Landscape.Weight = 0 }},
		{"no drift", func(c *Config) { c.Market.Drift, c.Market.NicheTurnover = 0, 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			if got := fingerprint(t, c, 42); got != pinned {
				t.Errorf("fingerprint %#x, want the pinned %#x", got, pinned)
			}
			w, err := New(c, 42)
			if err != nil {
				t.Fatal(err)
			}
			w.Step()
			if v := w.Metrics()[MMeanFitness]; !math.IsNaN(v) {
				t.Errorf("mean_fitness = %v without the landscape, want NaN", v)
			}
		})
	}
}

// TestLandscapeOnChangesRuns: the term and drift each change a run, runs
// stay reproducible, and every incrementally kept count stays exact.
func TestLandscapeOnChangesRuns(t *testing.T) {
	base := fingerprint(t, smallConfig(), 42)
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"k=2", func(c *Config) { c.Landscape.K = 2 }},
		{"drift", func(c *Config) { c.Market.Drift = 0.05 }},
		{"niche turnover", func(c *Config) { c.Market.NicheTurnover = 0.05 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := smallConfig()
			tc.edit(&c)
			got := fingerprint(t, c, 42)
			if got == base {
				t.Error("the run did not change")
			}
			if got != fingerprint(t, c, 42) {
				t.Error("same seed gave different runs")
			}
			for _, sched := range []Schedule{Synchronous, Asynchronous} {
				c.Schedule = sched
				w, err := New(c, 7)
				if err != nil {
					t.Fatal(err)
				}
				for w.Step() {
					checkInvariants(t, w)
					if c.Landscape.K > 0 {
						checkFitnessCache(t, w)
					}
				}
			}
		})
	}
}

// checkFitnessCache recomputes mean_fitness and every class's cached
// fitness and coherence from scratch.
func checkFitnessCache(t *testing.T, w *World) {
	t.Helper()
	cl := w.cl
	for id, n := range cl.n {
		if n == 0 {
			continue
		}
		f := w.land.fitness(w.lay, cl.strat[id])
		if cl.fit[id] != f {
			t.Fatalf("tick %d: class %d fitness %v, want %v", w.tick, id, cl.fit[id], f)
		}
	}
	sum := 0.0
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) {
			sum += w.land.fitness(w.lay, w.strat[i])
		}
	}
	if got, want := w.Metrics()[MMeanFitness], sum/float64(w.aliveN); math.Abs(got-want) > 1e-9 {
		t.Fatalf("tick %d: mean_fitness %v, want %v", w.tick, got, want)
	}
}

func TestLandscapePartners(t *testing.T) {
	dims := DefaultConfig().Strategy.Dimensions // marketing operations product pricing channel platform automation culture
	links := linkPairs(dims, DefaultLinks())
	if want := [][2]int{{5, 4}, {6, 1}, {2, 3}, {0, 7}}; !reflect.DeepEqual(links, want) {
		t.Fatalf("DefaultLinks = %v, want %v", links, want)
	}
	for _, tc := range []struct {
		k     int
		links [][2]int
		want  []int
	}{
		{1, links, []int{7, 6, 3, 2, 5, 4, 1, 0}},
		{2, links, []int{7, 1, 6, 2, 3, 4, 2, 4, 5, 6, 4, 6, 1, 7, 0, 1}},
		{2, nil, []int{1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 0, 0, 1}},
		{0, links, []int{}},
	} {
		if got := landscapePartners(len(dims), tc.k, tc.links); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("k=%d links %v: partners %v, want %v", tc.k, tc.links, got, tc.want)
		}
	}
}

// TestLandscapeMaximum compares the enumerated maximum with a brute-force
// one, for a binary (Gray code) and a 3-option (odometer) space.
func TestLandscapeMaximum(t *testing.T) {
	for _, tc := range []struct{ d, q, k int }{{10, 2, 3}, {6, 3, 2}, {8, 2, 0}} {
		t.Run(fmt.Sprintf("D=%d,Q=%d,K=%d", tc.d, tc.q, tc.k), func(t *testing.T) {
			l, err := agents.NewLayout(tc.d, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			ls := newLandscape(l, nil, LandscapeConfig{K: tc.k, PayoffOnly: true}, newStream(3, streamLandscape))
			best := math.Inf(-1)
			var rec func(s uint64, d int)
			rec = func(s uint64, d int) {
				if d == tc.d {
					best = max(best, ls.fitness(l, s))
					return
				}
				for o := 0; o < tc.q; o++ {
					rec(l.Set(s, d, o), d+1)
				}
			}
			rec(0, 0)
			if ls.fmax != best {
				t.Errorf("maximum %v, want %v", ls.fmax, best)
			}
		})
	}
}

// TestLandscapeRuggedness: with K = 0 a binary landscape has exactly one
// local optimum (every practice can be set independently); with K > 0 it
// has many, and more with larger K.
func TestLandscapeRuggedness(t *testing.T) {
	const d = 12
	l, err := agents.NewLayout(d, 2)
	if err != nil {
		t.Fatal(err)
	}
	optima := func(k int, seed uint64) int {
		ls := newLandscape(l, nil, LandscapeConfig{K: k}, newStream(seed, streamLandscape))
		n := 0
		for s := uint64(0); s < 1<<d; s++ {
			f, local := ls.fitness(l, s), true
			for b := 0; b < d && local; b++ {
				local = ls.fitness(l, s^1<<b) < f
			}
			if local {
				n++
			}
		}
		return n
	}
	for seed := uint64(1); seed <= 5; seed++ {
		if n := optima(0, seed); n != 1 {
			t.Errorf("K=0, seed %d: %d local optima, want 1", seed, n)
		}
		n2, n6 := optima(2, seed), optima(6, seed)
		if n2 < 2 || n6 <= n2 {
			t.Errorf("seed %d: %d local optima with K=2 and %d with K=6, want 1 < K=2 < K=6", seed, n2, n6)
		}
	}
}

// TestDriftMovesIdeals: with drift δ a segment's ideal changes one
// practice in about δ of the ticks; niche turnover replaces niches and
// never the mainstream.
func TestDriftMovesIdeals(t *testing.T) {
	c := smallConfig()
	c.Shocks = nil
	c.Ticks = 2000
	c.Market.Drift = 0.05
	w, err := New(c, 5)
	if err != nil {
		t.Fatal(err)
	}
	changes, moves := 0, 0
	prev := make([]uint64, len(w.market.seg))
	for j, g := range w.market.seg {
		prev[j] = g.ideal
	}
	for w.Step() {
		for j, g := range w.market.seg {
			switch d := w.lay.Distance(prev[j], g.ideal); d {
			case 0:
			case 1:
				changes++
			default:
				t.Fatalf("tick %d: segment %d's ideal moved %d practices in one tick", w.tick, j, d)
			}
			if g.ideal != g.baseIdeal {
				t.Fatalf("tick %d: ideal and base ideal differ without a shock", w.tick)
			}
			prev[j] = g.ideal
			moves++
		}
	}
	rate := float64(changes) / float64(moves)
	if se := math.Sqrt(0.05 * 0.95 / float64(moves)); math.Abs(rate-0.05) > 4*se {
		t.Errorf("ideals changed in %.4f of segment-ticks, want 0.05 ± %.4f", rate, 4*se)
	}

	c.Market.Drift, c.Market.NicheTurnover = 0, 0.1
	w, err = New(c, 5)
	if err != nil {
		t.Fatal(err)
	}
	k := w.market.k
	main := make([]uint64, len(w.market.seg)/k)
	for s := range main {
		main[s] = w.market.seg[s*k].ideal
	}
	replaced := 0
	for j, g := range w.market.seg {
		prev[j] = g.ideal
	}
	for w.Step() {
		for j, g := range w.market.seg {
			if j%k == 0 && g.ideal != main[j/k] {
				t.Fatalf("tick %d: a mainstream ideal changed under niche turnover", w.tick)
			}
			if g.ideal != prev[j] {
				replaced++
			}
			prev[j] = g.ideal
		}
	}
	// ν per sector per tick, minus the rare redraw of the same ideal.
	want := 0.1 * float64(len(main)) * float64(c.Ticks)
	if float64(replaced) < 0.85*want || float64(replaced) > 1.15*want {
		t.Errorf("%d niche replacements in %d ticks, want about %.0f", replaced, c.Ticks, want)
	}
}

func TestLandscapeProblems(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Config)
		path string
	}{
		{func(c *Config) { c.Landscape.K = 8 }, "landscape.k"},
		{func(c *Config) { c.Landscape.K = 6 }, "landscape.k"}, // 8 × 8^7 numbers
		{func(c *Config) { c.Landscape.Weight = -1 }, "landscape.weight"},
		{func(c *Config) { c.Landscape.K = 1; c.Landscape.Links = []string{"product:product"} }, "landscape.links"},
		{func(c *Config) { c.Landscape.K = 1; c.Landscape.Links = []string{"product:nope"} }, "landscape.links"},
		{func(c *Config) { c.Landscape.K = 1; c.Landscape.Links = []string{"product"} }, "landscape.links"},
		{func(c *Config) { c.Landscape.PayoffOnly = true; c.Strategy.Options = 9 }, "landscape.payoff_only"},
		{func(c *Config) { c.Market.Drift = 1.5 }, "market.drift"},
		{func(c *Config) { c.Market.NicheTurnover = -0.1 }, "market.niche_turnover"},
		{func(c *Config) {
			c.Market.Enabled = false
			c.Landscape.PayoffOnly, c.Landscape.Exponent = true, 0
		}, "landscape.exponent"},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		found := false
		for _, p := range c.Problems() {
			found = found || p.Path == tc.path
		}
		if !found {
			t.Errorf("no problem at %s; got %v", tc.path, c.Problems())
		}
	}
	c := DefaultConfig()
	c.Landscape.K = 4
	if ps := c.Problems(); len(ps) != 0 {
		t.Errorf("k=4 with 8 options: %v", ps)
	}
}

// TestCloneCopiesLandscapeAndDrift: a clone of a rugged, drifting market
// is deep (NK tables, class caches, drift stream) and continues exactly as
// the original.
func TestCloneCopiesLandscapeAndDrift(t *testing.T) {
	cfg := forkConfig()
	cfg.Landscape.K, cfg.Market.Drift, cfg.Market.NicheTurnover = 2, 0.05, 0.05
	w, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	for w.Tick() < 30 {
		w.Step()
	}
	c := w.Clone()
	if s := sharedMemory(w, c); s != "" {
		t.Fatalf("clone shares mutable memory with the original: %s", s)
	}
	if c.land == nil || c.rDrift == nil || c.cl.fit == nil {
		t.Fatal("clone lost the landscape or the drift stream")
	}
	for range 30 {
		w.Step()
		c.Step()
		if d := worldDiff(w, c); d != "" {
			t.Fatalf("tick %d: clone differs at %s", w.Tick(), d)
		}
	}
}

// TestLandscapeFitnessPaths: the shift-based fitness of power-of-two
// option counts equals the general one.
func TestLandscapeFitnessPaths(t *testing.T) {
	for _, tc := range []struct{ d, q, k int }{{8, 8, 2}, {20, 2, 5}, {6, 4, 3}} {
		l, err := agents.NewLayout(tc.d, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		ls := newLandscape(l, nil, LandscapeConfig{K: tc.k}, newStream(9, streamLandscape))
		if !ls.pow2 {
			t.Fatalf("D=%d Q=%d: not the power-of-two path", tc.d, tc.q)
		}
		r := newStream(4, 1)
		for range 2000 {
			s := r.Uint64() & (1<<(tc.d*l.B) - 1)
			general := 0.0
			for d := 0; d < tc.d; d++ {
				general += ls.table[ls.index(l, s, d)]
			}
			if got, want := ls.fitness(l, s), general/float64(tc.d); got != want {
				t.Fatalf("D=%d Q=%d K=%d: fitness(%x) = %v, want %v", tc.d, tc.q, tc.k, s, got, want)
			}
		}
	}
}

// TestPayoffOnlyRules: in the payoff-only mode nobody imitates with
// velocity 0, moves only ever raise an agent's score without copying
// errors, and copying errors change runs.
func TestPayoffOnlyRules(t *testing.T) {
	base := DefaultConfig()
	base.Ticks = 40
	base.Strategy.Dimensions = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	base.Strategy.Options, base.Strategy.PlatformDim, base.Strategy.AutomationDim = 2, -1, -1
	base.Population.Firms = 60
	base.Behaviour.Revision = 1
	base.Landscape = LandscapeConfig{K: 3, PayoffOnly: true, Exponent: 8, Velocity: 1}
	base.Network = NetworkConfig{Kind: Ring, Degree: 2}

	still := base
	still.Landscape.Velocity = 0
	w, err := New(still, 2)
	if err != nil {
		t.Fatal(err)
	}
	if w.cfg.Market.Enabled {
		t.Fatal("payoff-only left the market on")
	}
	for w.Step() {
		if n := w.Metrics()[MImitations]; n != 0 {
			t.Fatalf("tick %d: %v imitations with velocity 0", w.Tick(), n)
		}
	}

	w, err = New(base, 2)
	if err != nil {
		t.Fatal(err)
	}
	prev := make([]float64, w.n)
	for i := range prev {
		prev[i] = w.land.fitness(w.lay, w.strat[i])
	}
	for w.Step() {
		for i := range prev {
			f := w.land.fitness(w.lay, w.strat[i])
			if f < prev[i] {
				t.Fatalf("tick %d: agent %d's fitness fell from %v to %v without copying errors", w.Tick(), i, prev[i], f)
			}
			prev[i] = f
		}
	}

	noisy := base
	noisy.Landscape.Error = 0.2
	if fingerprint(t, noisy, 2) == fingerprint(t, base, 2) {
		t.Error("copying errors did not change the run")
	}
}
