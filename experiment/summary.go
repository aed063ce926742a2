package experiment

import (
	"math"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// MeasureOrder returns the measure names of the plan, in output order: the
// measures of the variant with the most shocks.
func (p *Plan) MeasureOrder() []string {
	n := 0
	for _, v := range p.Variants {
		n = max(n, len(v.Config.Shocks))
	}
	return MeasureNames(n, p.horizons())
}

// summaryOrder returns the summary measures of the plan in output order:
// SummaryMeasureNames of the variant with the most shocks.
func (p *Plan) summaryOrder() []string {
	n := 0
	for _, v := range p.Variants {
		n = max(n, len(v.Config.Shocks))
	}
	return SummaryMeasureNames(n, p.horizons())
}

// measureStats is the t-interval iv as written to the results.
func measureStats(iv stats.Interval) results.MeasureStats {
	return results.MeasureStats{N: iv.N, Mean: results.Number(iv.Mean), SD: results.Number(iv.SD), CILow: results.Number(iv.Low), CIHigh: results.Number(iv.High)}
}

// shockInfos describes the shocks of cfg.
func shockInfos(cfg *sim.Config, labels []string) []results.ShockInfo {
	out := make([]results.ShockInfo, 0, len(cfg.Shocks))
	for i, sh := range cfg.Shocks {
		label := strings.ReplaceAll(string(sh.Kind), "_", " ")
		if i < len(labels) && labels[i] != "" {
			label = labels[i]
		}
		out = append(out, results.ShockInfo{Index: i + 1, Kind: string(sh.Kind), Tick: sh.Tick, Duration: sh.Duration, Severity: sh.Severity, Label: label})
	}
	return out
}

// summarize computes summary.json from the aggregated runs.
func (a *aggregator) summarize() *results.Summary {
	p := a.plan
	s := &results.Summary{
		Scenario: p.Scenario,
		Command:  p.Command,
		Metrics:  sim.MetricNames(),
		Seeds:    append([]uint64{}, p.Seeds...),
		Shocks:   shockInfos(&p.Variants[0].Config, p.ShockLabels),
		Horizons: append([]int{}, p.horizons()...),
		Tests:    []results.Test{},
		World:    p.world(),
	}
	for _, v := range p.Variants {
		if v.Name == p.Focus {
			s.Focus = p.Focus // only a variant that ran (not a run of the base scenario)
		}
	}
	a.standardise()
	for vi, v := range p.Variants {
		va := &a.variants[vi]
		names := SummaryMeasureNames(len(v.Config.Shocks), p.horizons())
		vs := results.VariantSummary{Name: v.Name, Runs: len(va.seeds), Measures: map[string]results.MeasureStats{}, PerSeed: []results.SeedMeasures{}}
		cols := make([][]float64, len(names))
		for m, name := range names {
			cols[m] = a.values(vi, name)
			vs.Measures[name] = measureStats(stats.MeanCI(cols[m], confidence))
		}
		for i, seed := range va.seeds {
			sm := results.SeedMeasures{Seed: seed, LastTick: va.lastTicks[i], Measures: map[string]results.Number{}}
			for m, name := range names {
				sm.Measures[name] = results.Number(cols[m][i])
			}
			vs.PerSeed = append(vs.PerSeed, sm)
		}
		s.Variants = append(s.Variants, vs)
	}
	if p.shocksDiffer() {
		for vi := range p.Variants {
			s.Variants[vi].Shocks = shockInfos(&p.Variants[vi].Config, p.ShockLabels)
		}
	}
	// A sensitivity design's points are samples of the parameter space,
	// not groups to compare: no pairwise tests (quadratic in the points).
	if p.Command != CommandRun && len(p.Variants) > 1 && p.Design == nil {
		s.Tests = a.tests()
		s.Logrank = a.logrank()
	}
	s.Tails, s.TailContrasts = a.tails()
	if p.Command == CommandSweep {
		si := &results.SweepInfo{Params: append([]string{}, p.Params...), Points: []results.SweepPoint{}}
		for _, v := range p.Variants {
			si.Points = append(si.Points, results.SweepPoint{Name: v.Name, Values: p.pointValues(&v)})
		}
		s.Sweep = si
	}
	return s
}

// shocksDiffer reports whether the variants ran different shocks (kinds
// or ticks): scenarios compared with each other.
func (p *Plan) shocksDiffer() bool {
	for i := 1; i < len(p.Variants); i++ {
		if !p.sameShockMeasure(0, i, "") {
			return true
		}
	}
	return false
}

// sameShockMeasure reports whether measure name means the same for
// variants i and j: a measure that is not a shock's, or shock<k>_* where
// shock k of both is of the same kind at the same tick. Name "" compares
// every shock of the two.
func (p *Plan) sameShockMeasure(i, j int, name string) bool {
	a, b := p.Variants[i].Config.Shocks, p.Variants[j].Config.Shocks
	same := func(k int) bool {
		return k >= 1 && k <= len(a) && k <= len(b) && a[k-1].Kind == b[k-1].Kind && a[k-1].Tick == b[k-1].Tick
	}
	if name == "" {
		if len(a) != len(b) {
			return false
		}
		for k := 1; k <= len(a); k++ {
			if !same(k) {
				return false
			}
		}
		return true
	}
	k, _, ok := results.SplitShockMeasure(name)
	return !ok || same(k)
}

// tests compares every pair of variants on every measure both have (a
// shock's measures only where both had that shock: the same kind at the
// same tick, see sameShockMeasure). When
// both ran the same seeds (always, unless runs are missing), the design is
// paired: a paired t-test (effect: the mean of the per-seed differences
// a − b with its t-interval) and a Wilcoxon signed-rank test (effect: the
// matched-pairs rank-biserial correlation). Otherwise the samples are
// independent: Welch's t-test (mean difference, Welch interval) and the
// Mann–Whitney U test (Cliff's delta with its interval).
func (a *aggregator) tests() []results.Test {
	p := a.plan
	order := p.summaryOrder()
	has := make([]map[string]bool, len(p.Variants))
	for i, v := range p.Variants {
		has[i] = map[string]bool{}
		for _, name := range SummaryMeasureNames(len(v.Config.Shocks), p.horizons()) {
			has[i][name] = true
		}
	}
	var out []results.Test
	for _, name := range order {
		for i := range p.Variants {
			if !has[i][name] {
				continue
			}
			if a.interrupted() {
				return out
			}
			ya := a.values(i, name) // the same for every j
			for j := i + 1; j < len(p.Variants); j++ {
				if !has[j][name] || !p.sameShockMeasure(i, j, name) {
					continue
				}
				row := results.Test{Measure: name, VariantA: p.Variants[i].Name, VariantB: p.Variants[j].Name}
				yb := a.values(j, name)
				if xa, xb, ok := a.paired(i, j, ya, yb); ok {
					row.Design = results.DesignPaired
					t := stats.PairedT(xa, xb)
					iv := stats.PairedDiffCI(xa, xb, confidence)
					r := row
					r.Test, r.Statistic, r.P = results.TestPairedT, results.Number(t.Statistic), results.Number(t.P)
					r.Effect, r.EffectSize, r.EffectCILow, r.EffectCIHigh = results.EffectMeanDiff, results.Number(iv.Mean), results.Number(iv.Low), results.Number(iv.High)
					out = append(out, r)
					wx := stats.WilcoxonSignedRank(xa, xb)
					r = row
					r.Test, r.Statistic, r.P = results.TestWilcoxon, results.Number(wx.Statistic), results.Number(wx.P)
					r.Effect, r.EffectSize, r.EffectCILow, r.EffectCIHigh = results.EffectRankBiserial, results.Number(stats.RankBiserial(xa, xb)), results.Number(nan), results.Number(nan)
					out = append(out, r)
					continue
				}
				row.Design = results.DesignIndependent
				xa, xb := ya, yb
				w := stats.WelchT(xa, xb)
				d, dlo, dhi := stats.DiffCI(xa, xb, confidence)
				r := row
				r.Test, r.Statistic, r.P = results.TestWelch, results.Number(w.Statistic), results.Number(w.P)
				r.Effect, r.EffectSize, r.EffectCILow, r.EffectCIHigh = results.EffectMeanDiff, results.Number(d), results.Number(dlo), results.Number(dhi)
				out = append(out, r)
				u := stats.MannWhitneyU(xa, xb)
				cd, clo, chi := nan, nan, nan
				if countNonNaN(xa) > 0 && countNonNaN(xb) > 0 {
					cd, clo, chi = stats.CliffsDeltaCI(xa, xb, confidence)
				}
				r = row
				r.Test, r.Statistic, r.P = results.TestMannWhitney, results.Number(u.Statistic), results.Number(u.P)
				r.Effect, r.EffectSize, r.EffectCILow, r.EffectCIHigh = results.EffectCliffsDelta, results.Number(cd), results.Number(clo), results.Number(chi)
				out = append(out, r)
			}
		}
	}
	if out == nil {
		out = []results.Test{}
	}
	holmByFamily(out)
	return out
}

// holmByFamily sets each test's PHolm: its p adjusted by Holm's method
// over the family of the tests of the same measure by the same test, one
// per pair of variants (as R's pairwise.t.test(x, g, paired = TRUE,
// p.adjust.method = "holm") for the paired t-tests of one measure).
func holmByFamily(tests []results.Test) {
	type family struct{ measure, test string }
	members := map[family][]int{}
	var order []family
	for i, t := range tests {
		f := family{t.Measure, t.Test}
		if _, ok := members[f]; !ok {
			order = append(order, f)
		}
		members[f] = append(members[f], i)
	}
	for _, f := range order {
		idx := members[f]
		ps := make([]float64, len(idx))
		for k, i := range idx {
			ps[k] = float64(tests[i].P)
		}
		for k, q := range stats.Holm(ps) {
			tests[idx[k]].PHolm = results.Number(q)
		}
	}
}

// paired returns the per-seed values ya of variant i and yb of variant j
// matched by seed, and whether the two ran the same seeds (a paired
// design).
func (a *aggregator) paired(i, j int, ya, yb []float64) (xa, xb []float64, ok bool) {
	vi, vj := a.variants[i], a.variants[j]
	if len(vi.seeds) != len(vj.seeds) || len(vi.seeds) == 0 {
		return nil, nil, false
	}
	at := make(map[uint64]int, len(vj.seeds))
	for k, s := range vj.seeds {
		at[s] = k
	}
	xa, xb = make([]float64, len(ya)), make([]float64, len(ya))
	for k, s := range vi.seeds {
		l, found := at[s]
		if !found {
			return nil, nil, false
		}
		xa[k], xb[k] = ya[k], yb[l]
	}
	return xa, xb, true
}

func countNonNaN(xs []float64) int {
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
		}
	}
	return n
}

// logrank tests the variants' all-firm survival curves against each other.
func (a *aggregator) logrank() *results.Logrank {
	groups := make([]*lifeTable, len(a.variants))
	for i := range a.variants {
		groups[i] = &a.variants[i].survival[groupAll]
	}
	chi2, df, p := logRank(groups)
	lr := &results.Logrank{Chi2: results.Number(chi2), DF: df, P: results.Number(p), Pairs: []results.LogrankPair{}}
	for i := range groups {
		if a.interrupted() {
			break
		}
		for j := i + 1; j < len(groups); j++ {
			c, _, pp := logRank([]*lifeTable{groups[i], groups[j]})
			lr.Pairs = append(lr.Pairs, results.LogrankPair{VariantA: a.plan.Variants[i].Name, VariantB: a.plan.Variants[j].Name, Chi2: results.Number(c), P: results.Number(pp)})
		}
	}
	return lr
}
