// Package synth writes deterministic synthetic results directories in the
// format of docs/outputs.md, so that the chart and report tests do not
// depend on the simulation engine. The numbers are made up but behave like
// the real thing: imitation-heavy variants lose diversity, earn more before
// a shock and lose more firms to it.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// Metrics are the engine's metric names, in timeseries column order.
var Metrics = []string{
	"alive", "entries", "exits", "distinct_strategies", "entropy_bits",
	"effective_strategies", "mean_pairwise_distance", "mean_dimension_entropy",
	"top_share", "hhi", "mean_margin", "revenue", "mean_cash",
	"imitations", "innovations", "specialisations", "herd_moves", "reversions",
	"alive_imitator", "alive_innovator", "alive_specialist", "alive_adaptive",
	"active_edges", "regions",
}

// Types are the firm behaviour types.
var Types = []string{"imitator", "innovator", "specialist", "adaptive"}

// Shock is a scheduled shock.
type Shock struct {
	Kind     string
	Tick     int
	Duration int
	Severity float64
	Label    string
}

// Variant is one synthetic market. Herd in [0,1] is how imitation-heavy it
// is: it drives diversity loss, pre-shock margin and fragility.
type Variant struct {
	Name string
	Herd float64
	// Sweep values of this point (sweep only), key path → value.
	Values map[string]string
}

// Config describes a synthetic results directory.
type Config struct {
	Command     string // "run", "compare" or "sweep"
	Scenario    string
	Variants    []Variant // one for run
	Seeds       []uint64
	Ticks       int // last tick
	Every       int // recording interval
	Firms       int
	Shocks      []Shock
	Window      int      // output.shock_window
	SweepParams []string // sweep only
	Focus       string   // meta.focus: the variant the scenario is about ("" = none)
	// Incomplete marks the manifest "incomplete", with one variant short
	// of seeds (the result files stay complete).
	Incomplete bool
	// Diversity0 is the effective number of strategies at tick 0 (default
	// 60); a large value makes the diversity chart use a log scale.
	Diversity0 float64
}

// Compare is a three-variant comparison with one shock.
func Compare() Config {
	return Config{
		Command:  "compare",
		Scenario: "imitation-study",
		Variants: []Variant{
			{Name: "balanced", Herd: 0.1},
			{Name: "mixed", Herd: 0.5},
			{Name: "imitation-heavy", Herd: 0.9},
		},
		Seeds:  []uint64{1, 2, 3, 4, 5},
		Ticks:  400,
		Every:  5,
		Firms:  400,
		Shocks: []Shock{{Kind: "demand_shift", Tick: 250, Severity: 0.5, Label: "demand shift"}},
		Window: 50,
	}
}

// Run is a single-variant run with one shock.
func Run() Config {
	c := Compare()
	c.Command = "run"
	c.Scenario = "baseline"
	c.Variants = []Variant{{Name: "baseline", Herd: 0.5}}
	c.Seeds = []uint64{1, 2, 3}
	c.Diversity0 = 600
	return c
}

// Sweep is a sweep over one parameter (five points) with one shock.
func Sweep() Config {
	c := Compare()
	c.Command = "sweep"
	c.Scenario = "imitator-sweep"
	c.SweepParams = []string{"population.mix.imitator"}
	c.Variants = nil
	for i, v := range []string{"0.1", "0.3", "0.5", "0.7", "0.9"} {
		h, _ := strconv.ParseFloat(v, 64)
		c.Variants = append(c.Variants, Variant{Name: fmt.Sprintf("p%03d", i+1), Herd: h,
			Values: map[string]string{"population.mix.imitator": v}})
	}
	c.Seeds = []uint64{1, 2, 3}
	return c
}

// Sweep2 is a sweep over two parameters (3×3 grid) without shocks.
func Sweep2() Config {
	c := Sweep()
	c.Scenario = "grid-sweep"
	c.SweepParams = []string{"population.mix.imitator", "biases.herding"}
	c.Shocks = nil
	c.Variants = nil
	k := 0
	for _, a := range []string{"0.2", "0.5", "0.8"} {
		for _, b := range []string{"0", "0.5", "1"} {
			k++
			ha, _ := strconv.ParseFloat(a, 64)
			hb, _ := strconv.ParseFloat(b, 64)
			c.Variants = append(c.Variants, Variant{Name: fmt.Sprintf("p%03d", k), Herd: 0.7*ha + 0.3*hb,
				Values: map[string]string{"population.mix.imitator": a, "biases.herding": b}})
		}
	}
	return c
}

// r4 rounds to 4 decimals so that files do not depend on the last bits
// of math functions, which differ between CPUs.
func r4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

type seriesKey struct {
	variant int
	seed    uint64
}

// Write writes the results directory for c into dir.
func Write(dir string, c Config) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{c: c, series: map[seriesKey][][]float64{}, runs: map[seriesKey]map[string]float64{}}
	g.simulate()
	steps := []func(string) error{g.timeseries, g.stats, g.survival, g.strategies, g.runsCSV, g.comparison, g.summary, g.scenario, g.manifest, g.sweep}
	for _, s := range steps {
		if err := s(dir); err != nil {
			return err
		}
	}
	return nil
}

type gen struct {
	c      Config
	ticks  []int
	series map[seriesKey][][]float64 // [tick index][metric]
	runs   map[seriesKey]map[string]float64
	// measures in order
	measures []string
}

func (g *gen) multi() bool { return g.c.Command != "run" }

func (g *gen) simulate() {
	c := g.c
	for t := 0; t <= c.Ticks; t += c.Every {
		g.ticks = append(g.ticks, t)
	}
	if g.ticks[len(g.ticks)-1] != c.Ticks {
		g.ticks = append(g.ticks, c.Ticks)
	}
	g.measures = []string{"final_alive", "final_effective_strategies", "final_entropy_bits", "final_distinct_strategies",
		"final_top_share", "final_mean_pairwise_distance", "final_regions", "final_mean_margin", "final_hhi", "mean_margin"}
	for k := range c.Shocks {
		for _, m := range []string{"pre_margin", "fail_share", "drop_depth", "recovery_ticks",
			"background_fail_share", "excess_fail_share", "pre_effective_strategies"} {
			g.measures = append(g.measures, fmt.Sprintf("shock%d_%s", k+1, m))
		}
	}
	for vi, v := range c.Variants {
		for _, seed := range c.Seeds {
			rng := rand.New(rand.NewPCG(seed, uint64(vi+1)))
			g.simulateOne(seriesKey{vi, seed}, v, rng)
		}
	}
}

func (g *gen) simulateOne(k seriesKey, v Variant, rng *rand.Rand) {
	c := g.c
	n0 := float64(c.Firms)
	h := v.Herd
	speed := 2 + 6*h + 0.5*rng.NormFloat64()
	floor := 3 + 12*(1-h) + rng.NormFloat64()
	d0 := c.Diversity0
	if d0 == 0 {
		d0 = 60
	}
	e0 := d0 * (1 + 0.08*rng.NormFloat64())
	fail := make([]float64, len(c.Shocks))
	for s := range c.Shocks {
		fail[s] = math.Max(0.01, 0.08+0.35*h+0.04*rng.NormFloat64())
	}
	alive := n0
	rows := make([][]float64, len(g.ticks))
	var marginSum float64
	pre := make([]float64, len(c.Shocks))
	preEff := make([]float64, len(c.Shocks))
	aliveAt := make([]float64, len(c.Shocks))
	minAfter := make([]float64, len(c.Shocks))
	recovered := make([]float64, len(c.Shocks))
	for s := range recovered {
		recovered[s] = math.NaN()
		minAfter[s] = math.Inf(1)
	}
	for i, t := range g.ticks {
		frac := float64(t) / float64(c.Ticks)
		eff := floor + (e0-floor)*math.Exp(-speed*frac) + 0.8*rng.NormFloat64()
		for _, sh := range c.Shocks {
			if t >= sh.Tick {
				// Diversity rebounds a little after a shock: survivors differ.
				eff += 2 * (1 - h) * (1 - math.Exp(-float64(t-sh.Tick)/40))
			}
		}
		eff = math.Max(1, eff)
		margin := 0.18 + 0.08*h + 0.01*rng.NormFloat64()
		// Before tick 0 the drift is gentle; shocks knock firms out.
		exits := alive * (0.0008 + 0.001*rng.Float64()) * float64(c.Every)
		for s, sh := range c.Shocks {
			if t >= sh.Tick && t < sh.Tick+c.Window {
				// Spread the failures over the window.
				exits += aliveAt[s] * fail[s] * float64(c.Every) / float64(c.Window)
				margin -= 0.1 * sh.Severity * (1 - float64(t-sh.Tick)/float64(c.Window))
			}
			if t == sh.Tick || (aliveAt[s] == 0 && t > sh.Tick) {
				aliveAt[s] = alive
			}
		}
		entries := n0 * 0.002 * float64(c.Every) * (1 + rng.Float64())
		if i > 0 {
			alive = math.Max(10, alive-exits+entries)
		}
		for s, sh := range c.Shocks {
			if t > sh.Tick && t <= sh.Tick+c.Window {
				minAfter[s] = math.Min(minAfter[s], alive)
			}
			if t > sh.Tick && math.IsNaN(recovered[s]) && aliveAt[s] > 0 && alive >= 0.9*aliveAt[s] && minAfter[s] < 0.9*aliveAt[s] {
				recovered[s] = float64(t - sh.Tick)
			}
			if t >= sh.Tick-10 && t < sh.Tick {
				pre[s] = margin
				preEff[s] = eff
			}
		}
		marginSum += margin
		rows[i] = metricRow(t == c.Ticks, frac, alive, entries, exits, eff, e0, margin, h, rng)
	}
	g.series[k] = rows
	g.runs[k] = runMeasures(rows[len(rows)-1], marginSum/float64(len(g.ticks)), len(c.Shocks), fail, pre, preEff, aliveAt, minAfter, recovered)
}

// runMeasures is a synthetic run's runs.csv measures: the final metrics
// (last), the mean margin and each of shocks' measures.
func runMeasures(last []float64, meanMargin float64, shocks int, fail, pre, preEff, aliveAt, minAfter, recovered []float64) map[string]float64 {
	col := func(m string) float64 {
		for j, x := range Metrics {
			if x == m {
				return last[j]
			}
		}
		return math.NaN()
	}
	ms := map[string]float64{
		"final_alive": col("alive"), "final_effective_strategies": col("effective_strategies"),
		"final_entropy_bits": col("entropy_bits"), "final_distinct_strategies": col("distinct_strategies"),
		"final_top_share": col("top_share"), "final_mean_pairwise_distance": col("mean_pairwise_distance"),
		"final_regions": col("regions"), "final_mean_margin": col("mean_margin"), "final_hhi": col("hhi"),
		"mean_margin": r4(meanMargin),
	}
	for s := range shocks {
		ms[fmt.Sprintf("shock%d_pre_margin", s+1)] = r4(pre[s])
		ms[fmt.Sprintf("shock%d_fail_share", s+1)] = r4(fail[s])
		ms[fmt.Sprintf("shock%d_drop_depth", s+1)] = r4(math.Max(0, (aliveAt[s]-minAfter[s])/aliveAt[s]))
		ms[fmt.Sprintf("shock%d_recovery_ticks", s+1)] = recovered[s]
		background := math.Min(fail[s], 0.1)
		ms[fmt.Sprintf("shock%d_background_fail_share", s+1)] = r4(background)
		ms[fmt.Sprintf("shock%d_excess_fail_share", s+1)] = r4(fail[s] - background)
		ms[fmt.Sprintf("shock%d_pre_effective_strategies", s+1)] = r4(preEff[s])
	}
	return ms
}

// metricRow is one recorded tick's synthetic metrics, in Metrics order;
// regions are measured at the last tick only.
func metricRow(lastTick bool, frac, alive, entries, exits, eff, e0, margin, h float64, rng *rand.Rand) []float64 {
	entropy := math.Log2(eff)
	top := math.Min(0.95, 1.2/eff+0.05*h)
	hhi := math.Min(1, 0.01+0.05*h*frac+0.002*rng.NormFloat64())
	row := make([]float64, len(Metrics))
	vals := map[string]float64{
		"alive": math.Round(alive), "entries": math.Round(entries), "exits": math.Round(exits),
		"distinct_strategies": math.Round(eff * 2.5), "entropy_bits": entropy, "effective_strategies": eff,
		"mean_pairwise_distance": 2 + 4*eff/e0, "mean_dimension_entropy": 0.5 + 2*eff/e0,
		"top_share": top, "hhi": hhi, "mean_margin": margin, "revenue": alive * (1 + 0.1*rng.Float64()),
		"mean_cash": 10 + 5*frac, "imitations": math.Round(alive * 0.05 * h), "innovations": math.Round(alive * 0.02 * (1 - h)),
		"specialisations": math.Round(alive * 0.01), "herd_moves": math.Round(alive * 0.01 * h), "reversions": math.Round(alive * 0.005),
		"alive_imitator": math.Round(alive * 0.4), "alive_innovator": math.Round(alive * 0.2),
		"alive_specialist": math.Round(alive * 0.2), "alive_adaptive": math.Round(alive * 0.2),
		"active_edges": math.Round(alive * 3), "regions": math.NaN(),
	}
	if lastTick {
		vals["regions"] = math.Round(eff / 2)
	}
	for j, m := range Metrics {
		row[j] = r4(vals[m])
	}
	return row
}

// layout is the shape of the files, as the experiment commands write them.
func (g *gen) layout() results.Layout {
	return results.Layout{NoVariantColumn: !g.multi(), Variant: g.c.Scenario, Metrics: Metrics, Params: g.c.SweepParams}
}

func (g *gen) timeseries(dir string) error {
	var rows []results.TimeseriesRow
	for vi, v := range g.c.Variants {
		for _, seed := range g.c.Seeds {
			for i, t := range g.ticks {
				rows = append(rows, results.TimeseriesRow{Variant: v.Name, Seed: seed, Tick: t, Values: g.series[seriesKey{vi, seed}][i]})
			}
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

// interval is the mean and 95 % t-interval of xs (stats),
// rounded by r4.
func interval(xs []float64) stats.Interval {
	iv := stats.MeanCI(xs, 0.95)
	iv.Mean, iv.SD, iv.Low, iv.High = r4nan(iv.Mean), r4nan(iv.SD), r4nan(iv.Low), r4nan(iv.High)
	return iv
}

func (g *gen) stats(dir string) error {
	var rows []results.StatRow
	for vi, v := range g.c.Variants {
		for i, t := range g.ticks {
			for j, m := range Metrics {
				var xs []float64
				for _, seed := range g.c.Seeds {
					xs = append(xs, g.series[seriesKey{vi, seed}][i][j])
				}
				iv := interval(xs)
				if iv.N == 0 {
					continue
				}
				rows = append(rows, results.StatRow{Variant: v.Name, Tick: t, Metric: m, N: iv.N, Mean: iv.Mean, SD: iv.SD, CILow: iv.Low, CIHigh: iv.High})
			}
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func (g *gen) survival(dir string) error {
	var rows []results.SurvivalRow
	for vi, v := range g.c.Variants {
		rng := rand.New(rand.NewPCG(99, uint64(vi)))
		for _, typ := range append([]string{"all"}, Types...) {
			var lives []stats.Lifetime
			for ti, tt := range Types {
				if typ != "all" && typ != tt {
					continue
				}
				hazard := 0.002 + 0.004*v.Herd*float64(4-ti)/4 + 0.001*float64(ti%2)
				for range g.c.Seeds {
					for f := 0; f < g.c.Firms/8; f++ {
						life := math.Ceil(rng.ExpFloat64() / hazard)
						lives = append(lives, stats.Lifetime{T: math.Min(life, float64(g.c.Ticks)), Event: life <= float64(g.c.Ticks)})
					}
				}
			}
			for _, pt := range stats.KaplanMeier(lives, 0.95) {
				rows = append(rows, results.SurvivalRow{Variant: v.Name, Type: typ, T: pt.T, AtRisk: pt.AtRisk, Events: pt.Events,
					Survival: r4(pt.Survival), CILow: r4nan(pt.Low), CIHigh: r4nan(pt.High)})
			}
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func r4nan(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return r4(v)
}

func (g *gen) strategies(dir string) error {
	var rows []results.StrategyRow
	for vi, v := range g.c.Variants {
		seed := g.c.Seeds[0]
		rng := rand.New(rand.NewPCG(seed, 1000+uint64(vi)))
		const k = 14
		names := make([]string, k)
		for i := range names {
			parts := make([]string, 8)
			for d := range parts {
				parts[d] = strconv.Itoa(rng.IntN(8))
			}
			names[i] = strings.Join(parts, "-")
		}
		for _, t := range g.ticks {
			frac := float64(t) / float64(g.c.Ticks)
			w := make([]float64, k)
			var sum float64
			for i := range w {
				// Strategy 0 spreads logistically, faster with more herding.
				switch i {
				case 0:
					w[i] = 0.02 + 0.9*v.Herd/(1+math.Exp(-12*(frac-0.35)))
				case 1:
					w[i] = 0.05 + 0.1*math.Sin(3*frac+0.3)*(1-v.Herd)
				default:
					w[i] = 0.04 * (1 + 0.5*math.Sin(float64(i)+5*frac))
				}
				w[i] = math.Max(0.001, w[i])
				sum += w[i]
			}
			total := 0.85 + 0.1*v.Herd // shares of the top strategies; the rest are rare ones
			type ss struct {
				s string
				v float64
			}
			var list []ss
			for i := range w {
				list = append(list, ss{names[i], r4(w[i] / sum * total)})
			}
			sort.SliceStable(list, func(i, j int) bool { return list[i].v > list[j].v })
			for r := 0; r < 10; r++ {
				rows = append(rows, results.StrategyRow{Variant: v.Name, Seed: seed, Tick: t, Rank: r + 1, Strategy: list[r].s, Share: list[r].v})
			}
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func (g *gen) runsCSV(dir string) error {
	var rows []results.RunRow
	for vi, v := range g.c.Variants {
		for _, seed := range g.c.Seeds {
			for _, m := range g.measures {
				rows = append(rows, results.RunRow{Variant: v.Name, Seed: seed, Measure: m, Value: g.runs[seriesKey{vi, seed}][m]})
			}
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func (g *gen) estimate(vi int, m string) results.Estimate {
	var xs []float64
	for _, seed := range g.c.Seeds {
		xs = append(xs, g.runs[seriesKey{vi, seed}][m])
	}
	iv := interval(xs)
	return results.Estimate{Variant: g.c.Variants[vi].Name, Measure: m, N: iv.N, Mean: iv.Mean, SD: iv.SD, CILow: iv.Low, CIHigh: iv.High}
}

func (g *gen) comparison(dir string) error {
	var rows []results.Estimate
	for vi := range g.c.Variants {
		for _, m := range g.measures {
			rows = append(rows, g.estimate(vi, m))
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func (g *gen) sweep(dir string) error {
	if g.c.Command != "sweep" {
		return nil
	}
	var rows []results.SweepRow
	for vi, v := range g.c.Variants {
		for _, m := range g.measures {
			rows = append(rows, results.SweepRow{Values: v.Values, Estimate: g.estimate(vi, m)})
		}
	}
	return results.WriteRows(dir, g.layout(), rows)
}

func (g *gen) summary(dir string) error {
	s := &results.Summary{Scenario: g.c.Scenario, Command: g.c.Command, Focus: g.c.Focus, Metrics: Metrics, Seeds: g.c.Seeds, Shocks: []results.ShockInfo{}, Tests: []results.Test{}}
	// As scenario.toml below says: a market, no platform dimension, no
	// shock hitting one option.
	s.World = &results.WorldInfo{Description: "Synthetic test scenario", Ticks: g.c.Ticks, ShockWindow: g.c.Window, Market: true,
		Dimensions:      []string{"marketing", "operations", "product", "pricing", "channel", "platform", "automation", "culture"},
		ShockDimensions: make([]string, len(g.c.Shocks))}
	for i, sh := range g.c.Shocks {
		s.Shocks = append(s.Shocks, results.ShockInfo{Index: i + 1, Kind: sh.Kind, Tick: sh.Tick, Duration: sh.Duration, Severity: sh.Severity, Label: sh.Label})
	}
	for vi, v := range g.c.Variants {
		vs := results.VariantSummary{Name: v.Name, Runs: len(g.c.Seeds), Measures: map[string]results.MeasureStats{}}
		for _, m := range g.measures {
			if e := g.estimate(vi, m); !math.IsNaN(e.Mean) {
				vs.Measures[m] = results.MeasureStats{N: e.N, Mean: results.Number(e.Mean), SD: results.Number(e.SD),
					CILow: results.Number(e.CILow), CIHigh: results.Number(e.CIHigh)}
			}
		}
		for _, seed := range g.c.Seeds {
			ps := results.SeedMeasures{Seed: seed, Measures: map[string]results.Number{}}
			for _, m := range g.measures {
				ps.Measures[m] = results.Number(g.runs[seriesKey{vi, seed}][m])
			}
			vs.PerSeed = append(vs.PerSeed, ps)
		}
		s.Variants = append(s.Variants, vs)
	}
	if len(g.c.Variants) > 1 {
		lr := &results.Logrank{Chi2: 38.2, DF: len(g.c.Variants) - 1, P: 0.00002}
		for i := 0; i < len(g.c.Variants); i++ {
			for j := i + 1; j < len(g.c.Variants); j++ {
				a, b := g.c.Variants[i], g.c.Variants[j]
				d := math.Abs(a.Herd - b.Herd)
				lr.Pairs = append(lr.Pairs, results.LogrankPair{VariantA: a.Name, VariantB: b.Name, Chi2: results.Number(r4(40 * d)), P: results.Number(r4(math.Exp(-20 * d)))})
				for _, m := range g.measures {
					if !strings.HasSuffix(m, "fail_share") && m != "final_effective_strategies" && m != "mean_margin" {
						continue
					}
					diff := g.estimate(i, m).Mean - g.estimate(j, m).Mean
					s.Tests = append(s.Tests, results.Test{Measure: m, VariantA: a.Name, VariantB: b.Name, Design: results.DesignPaired, Test: results.TestPairedT,
						Statistic: results.Number(r4(-8 * d)), P: results.Number(r4(math.Exp(-15 * d))), Effect: results.EffectMeanDiff,
						EffectSize: results.Number(r4(diff)), EffectCILow: results.Number(r4(diff - 0.05)), EffectCIHigh: results.Number(r4(diff + 0.05))})
				}
			}
		}
		s.Logrank = lr
	}
	if g.c.Command == "sweep" {
		sw := &results.SweepInfo{Params: g.c.SweepParams}
		for _, v := range g.c.Variants {
			sw.Points = append(sw.Points, results.SweepPoint{Name: v.Name, Values: v.Values})
		}
		s.Sweep = sw
	}
	if g.multi() {
		if err := results.WriteRows(dir, g.layout(), s.Tests); err != nil {
			return err
		}
	}
	return results.WriteSummary(dir, s)
}

func (g *gen) scenario(dir string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "name = %q\ndescription = \"Synthetic test scenario\"\nseeds = %d\n\n", g.c.Scenario, len(g.c.Seeds))
	fmt.Fprintf(&b, "[simulation]\nticks = %d\nschedule = \"synchronous\"\n\n", g.c.Ticks)
	b.WriteString("[strategy]\ndimensions = [\"marketing\", \"operations\", \"product\", \"pricing\", \"channel\", \"platform\", \"automation\", \"culture\"]\noptions = 8\n\n")
	fmt.Fprintf(&b, "[population]\nfirms = %d\n\n[population.mix]\nimitator = 0.4\ninnovator = 0.2\nspecialist = 0.2\nadaptive = 0.2\n\n", g.c.Firms)
	b.WriteString("[market]\nbase_margin = 0.4\nfixed_cost = 0.25\n\n")
	fmt.Fprintf(&b, "[output]\nshock_window = %d\nevery = %d\n", g.c.Window, g.c.Every)
	for _, sh := range g.c.Shocks {
		fmt.Fprintf(&b, "\n[[shocks]]\nkind = %q\ntick = %d\nduration = %d\nseverity = %s\n", sh.Kind, sh.Tick, sh.Duration, results.FormatFloat(sh.Severity))
	}
	if g.c.Command == "compare" {
		for _, v := range g.c.Variants {
			fmt.Fprintf(&b, "\n[[variants]]\nname = %q\n[variants.set]\n\"population.mix.imitator\" = %s\n", v.Name, results.FormatFloat(0.2+0.6*v.Herd))
		}
	}
	return results.WriteBytes(filepath.Join(dir, results.FileScenario), []byte(b.String()))
}

func (g *gen) manifest(dir string) error {
	done := map[string][]uint64{}
	for _, v := range g.c.Variants {
		done[v.Name] = g.c.Seeds
	}
	status := results.StatusComplete
	if g.c.Incomplete {
		status = results.StatusIncomplete
		done[g.c.Variants[0].Name] = g.c.Seeds[:1]
	}
	return results.WriteManifest(dir, &results.Manifest{Version: "test", GoVersion: "go1.26", Command: []string{"smbsim", g.c.Command},
		Scenario: g.c.Scenario, ScenarioHash: "0123456789abcdef", Seeds: g.c.Seeds, Started: "2025-01-01T10:00:00Z",
		Finished: "2025-01-01T10:01:00Z", CompletedSeeds: done, Status: status})
}
