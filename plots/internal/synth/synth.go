// Package synth writes deterministic synthetic results directories in the
// format of docs/outputs.md, so that the chart and report tests do not
// depend on the simulation engine. The numbers are made up but behave like
// the real thing: imitation-heavy variants lose diversity, earn more before
// a shock and lose more firms to it.
package synth

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
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
	Seeds       []int64
	Ticks       int // last tick
	Every       int // recording interval
	Firms       int
	Shocks      []Shock
	Window      int      // output.shock_window
	SweepParams []string // sweep only
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
		Seeds:  []int64{1, 2, 3, 4, 5},
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
	c.Seeds = []int64{1, 2, 3}
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
	c.Seeds = []int64{1, 2, 3}
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

func fmtF(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

type seriesKey struct {
	variant int
	seed    int64
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
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(vi+1)))
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
		if t == c.Ticks {
			vals["regions"] = math.Round(eff / 2)
		}
		for j, m := range Metrics {
			row[j] = r4(vals[m])
		}
		rows[i] = row
	}
	g.series[k] = rows
	last := rows[len(rows)-1]
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
		"mean_margin": r4(marginSum / float64(len(g.ticks))),
	}
	for s := range c.Shocks {
		ms[fmt.Sprintf("shock%d_pre_margin", s+1)] = r4(pre[s])
		ms[fmt.Sprintf("shock%d_fail_share", s+1)] = r4(fail[s])
		ms[fmt.Sprintf("shock%d_drop_depth", s+1)] = r4(math.Max(0, (aliveAt[s]-minAfter[s])/aliveAt[s]))
		ms[fmt.Sprintf("shock%d_recovery_ticks", s+1)] = recovered[s]
		background := math.Min(fail[s], 0.1)
		ms[fmt.Sprintf("shock%d_background_fail_share", s+1)] = r4(background)
		ms[fmt.Sprintf("shock%d_excess_fail_share", s+1)] = r4(fail[s] - background)
		ms[fmt.Sprintf("shock%d_pre_effective_strategies", s+1)] = r4(preEff[s])
	}
	g.runs[k] = ms
}

func writeCSV(dir, name string, header []string, rows [][]string) error {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644)
}

func (g *gen) timeseries(dir string) error {
	header := []string{"seed", "tick"}
	if g.multi() {
		header = append([]string{"variant"}, header...)
	}
	header = append(header, Metrics...)
	var rows [][]string
	for vi, v := range g.c.Variants {
		for _, seed := range g.c.Seeds {
			for i, t := range g.ticks {
				row := []string{strconv.FormatInt(seed, 10), strconv.Itoa(t)}
				if g.multi() {
					row = append([]string{v.Name}, row...)
				}
				for _, x := range g.series[seriesKey{vi, seed}][i] {
					row = append(row, fmtF(x))
				}
				rows = append(rows, row)
			}
		}
	}
	return writeCSV(dir, "timeseries.csv", header, rows)
}

// tInterval returns n, mean, sd and the 95 % t-interval (NaN spread for n < 2).
func tInterval(xs []float64) (n int, mean, sd, lo, hi float64) {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	n = len(v)
	if n == 0 {
		return 0, math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(n)
	if n < 2 {
		return n, mean, math.NaN(), math.NaN(), math.NaN()
	}
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	sd = math.Sqrt(ss / float64(n-1))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	half := q * sd / math.Sqrt(float64(n))
	return n, r4(mean), r4(sd), r4(mean - half), r4(mean + half)
}

func (g *gen) stats(dir string) error {
	var rows [][]string
	for vi, v := range g.c.Variants {
		for i, t := range g.ticks {
			for j, m := range Metrics {
				var xs []float64
				for _, seed := range g.c.Seeds {
					xs = append(xs, g.series[seriesKey{vi, seed}][i][j])
				}
				n, mean, sd, lo, hi := tInterval(xs)
				if n == 0 {
					continue
				}
				rows = append(rows, []string{v.Name, strconv.Itoa(t), m, strconv.Itoa(n), fmtF(mean), fmtF(sd), fmtF(lo), fmtF(hi)})
			}
		}
	}
	return writeCSV(dir, "stats.csv", []string{"variant", "tick", "metric", "n", "mean", "sd", "ci_low", "ci_high"}, rows)
}

// km computes Kaplan–Meier rows with Greenwood log-log 95 % intervals.
func km(times []float64, events []bool) [][5]float64 {
	type obs struct {
		t float64
		e bool
	}
	o := make([]obs, len(times))
	for i := range times {
		o[i] = obs{times[i], events[i]}
	}
	sort.Slice(o, func(i, j int) bool { return o[i].t < o[j].t })
	out := [][5]float64{{0, float64(len(o)), 0, 1, math.NaN()}}
	s, gw := 1.0, 0.0
	atRisk := len(o)
	for i := 0; i < len(o); {
		t := o[i].t
		d, c := 0, 0
		for i < len(o) && o[i].t == t {
			if o[i].e {
				d++
			} else {
				c++
			}
			i++
		}
		if d > 0 {
			s *= 1 - float64(d)/float64(atRisk)
			if atRisk > d {
				gw += float64(d) / (float64(atRisk) * float64(atRisk-d))
			}
			out = append(out, [5]float64{t, float64(atRisk), float64(d), s, gw})
		}
		atRisk -= d + c
	}
	return out
}

func (g *gen) survival(dir string) error {
	var rows [][]string
	for vi, v := range g.c.Variants {
		rng := rand.New(rand.NewPCG(99, uint64(vi)))
		for _, typ := range append([]string{"all"}, Types...) {
			var times []float64
			var events []bool
			for ti, tt := range Types {
				if typ != "all" && typ != tt {
					continue
				}
				hazard := 0.002 + 0.004*v.Herd*float64(4-ti)/4 + 0.001*float64(ti%2)
				for range g.c.Seeds {
					for f := 0; f < g.c.Firms/8; f++ {
						life := math.Ceil(rng.ExpFloat64() / hazard)
						if life > float64(g.c.Ticks) {
							times, events = append(times, float64(g.c.Ticks)), append(events, false)
						} else {
							times, events = append(times, life), append(events, true)
						}
					}
				}
			}
			for _, r := range km(times, events) {
				lo, hi := math.NaN(), math.NaN()
				if r[3] > 0 && r[3] < 1 && r[4] > 0 {
					se := math.Sqrt(r[4]) / math.Abs(math.Log(r[3]))
					lo = math.Pow(r[3], math.Exp(1.96*se))
					hi = math.Pow(r[3], math.Exp(-1.96*se))
				}
				if r[0] == 0 {
					lo, hi = 1, 1
				}
				rows = append(rows, []string{v.Name, typ, fmtF(r[0]), fmtF(r[1]), fmtF(r[2]), fmtF(r4(r[3])), fmtF(r4nan(lo)), fmtF(r4nan(hi))})
			}
		}
	}
	return writeCSV(dir, "survival.csv", []string{"variant", "type", "t", "at_risk", "events", "survival", "ci_low", "ci_high"}, rows)
}

func r4nan(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return r4(v)
}

func (g *gen) strategies(dir string) error {
	var rows [][]string
	for vi, v := range g.c.Variants {
		seed := g.c.Seeds[0]
		rng := rand.New(rand.NewPCG(uint64(seed), 1000+uint64(vi)))
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
				rows = append(rows, []string{v.Name, strconv.FormatInt(seed, 10), strconv.Itoa(t), strconv.Itoa(r + 1), list[r].s, fmtF(list[r].v)})
			}
		}
	}
	return writeCSV(dir, "strategies.csv", []string{"variant", "seed", "tick", "rank", "strategy", "share"}, rows)
}

func (g *gen) runsCSV(dir string) error {
	var rows [][]string
	for vi, v := range g.c.Variants {
		for _, seed := range g.c.Seeds {
			for _, m := range g.measures {
				rows = append(rows, []string{v.Name, strconv.FormatInt(seed, 10), m, fmtF(g.runs[seriesKey{vi, seed}][m])})
			}
		}
	}
	return writeCSV(dir, "runs.csv", []string{"variant", "seed", "measure", "value"}, rows)
}

type estimate struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

func (g *gen) estimate(vi int, m string) estimate {
	var xs []float64
	for _, seed := range g.c.Seeds {
		xs = append(xs, g.runs[seriesKey{vi, seed}][m])
	}
	n, mean, sd, lo, hi := tInterval(xs)
	return estimate{n, mean, sd, lo, hi}
}

func (g *gen) comparison(dir string) error {
	var rows [][]string
	for vi, v := range g.c.Variants {
		for _, m := range g.measures {
			e := g.estimate(vi, m)
			rows = append(rows, []string{v.Name, m, strconv.Itoa(e.N), fmtF(e.Mean), fmtF(e.SD), fmtF(e.CILow), fmtF(e.CIHigh)})
		}
	}
	return writeCSV(dir, "comparison.csv", []string{"variant", "measure", "n", "mean", "sd", "ci_low", "ci_high"}, rows)
}

func (g *gen) sweep(dir string) error {
	if g.c.Command != "sweep" {
		return nil
	}
	header := append(append([]string{"point"}, g.c.SweepParams...), "measure", "n", "mean", "sd", "ci_low", "ci_high")
	var rows [][]string
	for vi, v := range g.c.Variants {
		for _, m := range g.measures {
			e := g.estimate(vi, m)
			row := []string{v.Name}
			for _, p := range g.c.SweepParams {
				row = append(row, v.Values[p])
			}
			row = append(row, m, strconv.Itoa(e.N), fmtF(e.Mean), fmtF(e.SD), fmtF(e.CILow), fmtF(e.CIHigh))
			rows = append(rows, row)
		}
	}
	return writeCSV(dir, "sweep.csv", header, rows)
}

// jsonFloat encodes NaN as null.
type jsonFloat float64

// MarshalJSON implements json.Marshaler.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) {
		return []byte("null"), nil
	}
	return []byte(fmtF(float64(f))), nil
}

func (g *gen) summary(dir string) error {
	type shock struct {
		Index    int     `json:"index"`
		Kind     string  `json:"kind"`
		Tick     int     `json:"tick"`
		Duration int     `json:"duration"`
		Severity float64 `json:"severity"`
		Label    string  `json:"label"`
	}
	type perSeed struct {
		Seed     int64                `json:"seed"`
		Measures map[string]jsonFloat `json:"measures"`
	}
	type variant struct {
		Name     string              `json:"name"`
		Runs     int                 `json:"runs"`
		Measures map[string]estimate `json:"measures"`
		PerSeed  []perSeed           `json:"per_seed"`
	}
	type test struct {
		Measure      string  `json:"measure"`
		VariantA     string  `json:"variant_a"`
		VariantB     string  `json:"variant_b"`
		Design       string  `json:"design"`
		Test         string  `json:"test"`
		Statistic    float64 `json:"statistic"`
		P            float64 `json:"p"`
		Effect       string  `json:"effect"`
		EffectSize   float64 `json:"effect_size"`
		EffectCILow  float64 `json:"effect_ci_low"`
		EffectCIHigh float64 `json:"effect_ci_high"`
	}
	type pair struct {
		VariantA string  `json:"variant_a"`
		VariantB string  `json:"variant_b"`
		Chi2     float64 `json:"chi2"`
		P        float64 `json:"p"`
	}
	type logrank struct {
		Chi2  float64 `json:"chi2"`
		DF    int     `json:"df"`
		P     float64 `json:"p"`
		Pairs []pair  `json:"pairs"`
	}
	type point struct {
		Name   string            `json:"name"`
		Values map[string]string `json:"values"`
	}
	type sweep struct {
		Params []string `json:"params"`
		Points []point  `json:"points"`
	}
	s := struct {
		Scenario string    `json:"scenario"`
		Command  string    `json:"command"`
		Metrics  []string  `json:"metrics"`
		Seeds    []int64   `json:"seeds"`
		Shocks   []shock   `json:"shocks"`
		Variants []variant `json:"variants"`
		Tests    []test    `json:"tests,omitempty"`
		Logrank  *logrank  `json:"logrank,omitempty"`
		Sweep    *sweep    `json:"sweep,omitempty"`
	}{Scenario: g.c.Scenario, Command: g.c.Command, Metrics: Metrics, Seeds: g.c.Seeds, Shocks: []shock{}}
	for i, sh := range g.c.Shocks {
		s.Shocks = append(s.Shocks, shock{i + 1, sh.Kind, sh.Tick, sh.Duration, sh.Severity, sh.Label})
	}
	for vi, v := range g.c.Variants {
		vs := variant{Name: v.Name, Runs: len(g.c.Seeds), Measures: map[string]estimate{}}
		for _, m := range g.measures {
			if e := g.estimate(vi, m); !math.IsNaN(e.Mean) {
				vs.Measures[m] = nanToZero(e)
			}
		}
		for _, seed := range g.c.Seeds {
			ps := perSeed{Seed: seed, Measures: map[string]jsonFloat{}}
			for _, m := range g.measures {
				ps.Measures[m] = jsonFloat(g.runs[seriesKey{vi, seed}][m])
			}
			vs.PerSeed = append(vs.PerSeed, ps)
		}
		s.Variants = append(s.Variants, vs)
	}
	if len(g.c.Variants) > 1 {
		lr := &logrank{Chi2: 38.2, DF: len(g.c.Variants) - 1, P: 0.00002}
		for i := 0; i < len(g.c.Variants); i++ {
			for j := i + 1; j < len(g.c.Variants); j++ {
				a, b := g.c.Variants[i], g.c.Variants[j]
				d := math.Abs(a.Herd - b.Herd)
				lr.Pairs = append(lr.Pairs, pair{a.Name, b.Name, r4(40 * d), r4(math.Exp(-20 * d))})
				for _, m := range g.measures {
					if !strings.HasSuffix(m, "fail_share") && m != "final_effective_strategies" && m != "mean_margin" {
						continue
					}
					diff := g.estimate(i, m).Mean - g.estimate(j, m).Mean
					s.Tests = append(s.Tests, test{m, a.Name, b.Name, "paired", "paired_t", r4(-8 * d), r4(math.Exp(-15 * d)), "mean_difference", r4(diff), r4(diff - 0.05), r4(diff + 0.05)})
				}
			}
		}
		s.Logrank = lr
	}
	if g.c.Command == "sweep" {
		sw := &sweep{Params: g.c.SweepParams}
		for _, v := range g.c.Variants {
			sw.Points = append(sw.Points, point{v.Name, v.Values})
		}
		s.Sweep = sw
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "summary.json"), append(b, '\n'), 0o644)
}

func nanToZero(e estimate) estimate {
	for _, p := range []*float64{&e.Mean, &e.SD, &e.CILow, &e.CIHigh} {
		if math.IsNaN(*p) {
			*p = 0
		}
	}
	return e
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
		fmt.Fprintf(&b, "\n[[shocks]]\nkind = %q\ntick = %d\nduration = %d\nseverity = %s\n", sh.Kind, sh.Tick, sh.Duration, fmtF(sh.Severity))
	}
	if g.c.Command == "compare" {
		for _, v := range g.c.Variants {
			fmt.Fprintf(&b, "\n[[variants]]\nname = %q\n[variants.set]\n\"population.mix.imitator\" = %s\n", v.Name, fmtF(0.2+0.6*v.Herd))
		}
	}
	return os.WriteFile(filepath.Join(dir, "scenario.toml"), []byte(b.String()), 0o644)
}

func (g *gen) manifest(dir string) error {
	done := map[string][]int64{}
	for _, v := range g.c.Variants {
		done[v.Name] = g.c.Seeds
	}
	status := "complete"
	if g.c.Incomplete {
		status = "incomplete"
		done[g.c.Variants[0].Name] = g.c.Seeds[:1]
	}
	m := map[string]any{
		"version": "test", "go_version": "go1.26", "command": g.c.Command, "scenario": g.c.Scenario,
		"scenario_hash": "0123456789abcdef", "seeds": g.c.Seeds, "started": "2025-01-01T10:00:00Z",
		"finished": "2025-01-01T10:01:00Z", "completed_seeds": done, "status": status,
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}
