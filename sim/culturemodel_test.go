package sim

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCultureModelMetrics steps culture worlds tick by tick with each
// engine, narrow and wide, and checks every tick's metrics against a
// recount from the sites' features: distinct strategies, entropy,
// effective strategies, top share, mean pairwise distance, mean dimension
// entropy, active edges, regions; the imitations add up to the changes;
// the top strategy and the firms' strategies format to the features.
func TestCultureModelMetrics(t *testing.T) {
	for _, c := range []struct {
		features, traits, side int
		engine                 CultureEngine
	}{
		{3, 4, 6, CultureNaive}, {3, 4, 6, CultureActiveLinks}, {3, 4, 6, EngineAuto},
		{10, 100, 7, CultureNaive}, {10, 100, 7, CultureActiveLinks}, {10, 100, 7, EngineAuto},
		{12, 80, 6, EngineAuto},
	} {
		name := strconv.Itoa(c.features) + "x" + strconv.Itoa(c.traits) + "-" + string(c.engine)
		t.Run(name, func(t *testing.T) {
			cfg := axelrodConfig(c.features, c.traits)
			cfg.Population.Firms = c.side * c.side
			cfg.Network.Width, cfg.Network.Height = c.side, c.side
			cfg.RegionsEvery = 3
			cfg.Culture.Engine = c.engine
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			w, err := OpenCulture(cfg, 11)
			if err != nil {
				t.Fatal(err)
			}
			initial := make([]string, w.n)
			for i := range initial {
				initial[i] = formatFeatures(w.features(i))
			}
			imitations := 0.0
			for w.Step() || !w.Done() {
				checkCultureMetrics(t, w)
				imitations += w.Metrics()[MImitations]
			}
			checkCultureMetrics(t, w)
			imitations += w.Metrics()[MImitations]
			if !w.Absorbed() || imitations != float64(w.changes) || w.changes == 0 {
				t.Errorf("absorbed %v after %d ticks; imitations %g, changes %d", w.Absorbed(), w.Tick(), imitations, w.changes)
			}
			if w.Step() || w.Tick() != int(w.m.tick) {
				t.Error("a finished run stepped")
			}
			for i, f := range w.Firms() {
				if f.ID != i || f.Died != -1 || w.FormatStrategy(f.Initial) != initial[i] || w.FormatStrategy(f.Final) != formatFeatures(w.features(i)) {
					t.Fatalf("firm %d: %+v, initial %q final %q", i, f, w.FormatStrategy(f.Initial), w.FormatStrategy(f.Final))
				}
			}
		})
	}
}

func formatFeatures(s []uint8) string {
	parts := make([]string, len(s))
	for i, o := range s {
		parts[i] = strconv.Itoa(int(o))
	}
	return strings.Join(parts, "-")
}

// checkCultureMetrics recounts the metrics of w's last tick.
func checkCultureMetrics(t *testing.T, w *Culture) {
	t.Helper()
	m := w.Metrics()
	n := float64(w.n)
	counts := map[string]int{}
	for i := 0; i < w.n; i++ {
		counts[string(w.features(i))]++ // ties go to the smaller bytes
	}
	sumSq, entropy, most, top := 0.0, 0.0, 0, ""
	for s, c := range counts {
		sumSq += float64(c * c)
		entropy -= float64(c) / n * math.Log2(float64(c)/n)
		if c > most || c == most && s < top {
			most, top = c, s
		}
	}
	pairs, dist := 0.0, 0.0
	dimH := 0.0
	for d := 0; d < w.f; d++ {
		per := map[uint8]int{}
		for i := 0; i < w.n; i++ {
			per[w.feat[i*w.f+d]]++
		}
		for _, c := range per {
			dimH -= float64(c) / n * math.Log2(float64(c)/n)
		}
	}
	for i := 0; i < w.n; i++ {
		for j := i + 1; j < w.n; j++ {
			pairs++
			dist += float64(w.f-w.overlap(i, j)) / float64(w.f)
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
	want := map[int]float64{
		MAlive: n, MDistinct: float64(len(counts)), MEffective: n * n / sumSq, MEntropy: entropy,
		MTopShare: float64(most) / n, MPairwise: dist / pairs, MDimEntropy: dimH / float64(w.f),
		MActiveEdges: float64(w.active), MAliveImitator: n, MEntries: 0, MExits: 0,
	}
	for k, v := range want {
		if !near(m[k], v) {
			t.Fatalf("tick %d: %s = %g, recount %g", w.Tick(), metricNames[k], m[k], v)
		}
	}
	for _, k := range []int{MHHI, MMeanMargin, MRevenue, MMeanCash, MMeanFitness, MGini, MPlatformTop} {
		if !math.IsNaN(m[k]) {
			t.Fatalf("tick %d: %s = %g, want NaN", w.Tick(), metricNames[k], m[k])
		}
	}
	if w.Done() || w.Tick()%w.m.regionsEvery == 0 {
		st := w.Stats()
		if m[MRegions] != float64(st.Regions) || m[MLargestRegion] != float64(st.Largest)/n {
			t.Fatalf("tick %d: regions %g, largest %g; recount %+v", w.Tick(), m[MRegions], m[MLargestRegion], st)
		}
	} else if !math.IsNaN(m[MRegions]) {
		t.Fatalf("tick %d: regions measured", w.Tick())
	}
	tops := w.TopStrategies(nil, 3)
	if len(tops) == 0 || w.FormatStrategy(tops[0].Strategy) != formatFeatures([]uint8(top)) || tops[0].Share != float64(most)/n {
		t.Fatalf("tick %d: top %+v (%q), recount %q with %d", w.Tick(), tops, w.FormatStrategy(tops[0].Strategy), top, most)
	}
	for r := 1; r < len(tops); r++ {
		if tops[r].Share > tops[r-1].Share {
			t.Fatalf("tick %d: top strategies out of order: %+v", w.Tick(), tops)
		}
	}
}

// TestCultureStepsAsRun: stepping the naive loop tick by tick makes the
// same events as running it in one go (the loop does not depend on where
// it is stopped), so the same seed reaches the same absorbed state, at the
// same event, either way.
func TestCultureStepsAsRun(t *testing.T) {
	cfg := axelrodConfig(10, 80)
	cfg.Culture.Engine = CultureNaive
	a, err := OpenCulture(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	for a.Step() {
	}
	b, err := NewCulture(cfg, 5, CultureNaive)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Run(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	sa, sb := a.Stats(), b.Stats()
	sb.Events = sa.Events // stepping finishes the absorbed tick's events
	if sa != sb || string(a.feat) != string(b.feat) {
		t.Errorf("stepped %+v, run %+v", sa, sb)
	}
}

// TestCultureConfig: which worlds the culture engine runs, and the
// problems reported for wide strategies and the engine key elsewhere.
func TestCultureConfig(t *testing.T) {
	for _, c := range []struct {
		name     string
		change   func(*Config)
		runs     bool
		problems []string // "path: part of the message"
	}{
		{"narrow auto", func(*Config) {}, true, nil},
		{"narrow naive", func(c *Config) { c.Culture.Engine = CultureNaive }, true, nil},
		{"wide auto", func(c *Config) { c.Strategy.Options = 100 }, true, nil},
		{"wide active links", func(c *Config) { c.Strategy.Options = 80; c.Culture.Engine = CultureActiveLinks }, true, nil},
		{"wide with a market", func(c *Config) { c.Strategy.Options = 100; c.Market.Enabled = true }, false,
			[]string{"strategy.dimensions: 70 bits; a strategy must fit in 64 bits", "strategy.dimensions: culture world, which needs market.enabled = false"}},
		{"wide synchronous", func(c *Config) { c.Strategy.Options = 100; c.Schedule = Synchronous }, false,
			[]string{`strategy.dimensions: which needs simulation.schedule = "asynchronous"`}},
		{"engine with a market", func(c *Config) { c.Culture.Engine = CultureNaive; c.Market.Enabled = true }, false,
			[]string{"culture.engine: runs only a culture world"}},
		{"engine with innovators", func(c *Config) {
			c.Culture.Engine = CultureNaive
			c.Population.Mix = Mix{Imitator: 0.5, Innovator: 0.5}
		}, false,
			[]string{"culture.engine: population.mix.imitator = 1"}},
		{"too many options", func(c *Config) { c.Strategy.Options = 300 }, true,
			[]string{"strategy.options: allows 2 to 256"}},
		{"unknown engine", func(c *Config) { c.Culture.Engine = "fast" }, true,
			[]string{"culture.engine: must be one of auto, naive, active_links"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := axelrodConfig(10, 10)
			cfg.Strategy.Options = 8 // 10 × 3 bits
			c.change(&cfg)
			if got := cfg.RunsCulture(); got != c.runs {
				t.Errorf("RunsCulture() = %v, want %v", got, c.runs)
			}
			var got []string
			for _, p := range cfg.Problems() {
				got = append(got, p.Path+": "+p.Msg)
			}
			if len(got) != len(c.problems) && !(len(c.problems) > 0 && len(got) == 1) {
				t.Fatalf("problems %q, want %d", got, len(c.problems))
			}
			for _, want := range c.problems {
				path, part, _ := strings.Cut(want, ": ")
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, path+": ") && strings.Contains(g, part)
				}
				if !found {
					t.Errorf("no problem %q in %q", want, got)
				}
			}
		})
	}
}

// TestCultureClone: a clone taken mid-run steps to the same ticks, metrics
// and strategies as the original, on both engines, and stepping one does
// not move the other.
func TestCultureClone(t *testing.T) {
	for _, engine := range []CultureEngine{EngineAuto, CultureActiveLinks} {
		cfg := axelrodConfig(10, 100)
		cfg.Population.Firms, cfg.Network.Width, cfg.Network.Height = 64, 8, 8
		cfg.Culture.Engine = engine
		a, err := OpenCulture(cfg, 4)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			a.Step()
		}
		b := a.Clone()
		before := b.FormatStrategy(0)
		for a.Step() {
		}
		if got := b.FormatStrategy(0); got != before || b.Tick() != 5 {
			t.Fatalf("%s: stepping the original moved the clone: tick %d, site 0 %s → %s", engine, b.Tick(), before, got)
		}
		ticks := 0
		for b.Step() {
			ticks++
		}
		if b.Tick() != a.Tick() || !slices.EqualFunc(b.Metrics(), a.Metrics(), func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) }) {
			t.Errorf("%s: clone ended at tick %d with %v, original at %d with %v", engine, b.Tick(), b.Metrics(), a.Tick(), a.Metrics())
		}
		for i := range 64 {
			if a.FormatStrategy(uint64(i)) != b.FormatStrategy(uint64(i)) {
				t.Fatalf("%s: site %d: %s vs %s", engine, i, a.FormatStrategy(uint64(i)), b.FormatStrategy(uint64(i)))
			}
		}
		if b.Config().Strategy.Options != 100 || b.StrategyOption(0, 3) != int(b.features(0)[3]) {
			t.Errorf("%s: Config or StrategyOption wrong", engine)
		}
	}
}
