package experiment

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// Tail measures (docs/outputs.md, "Tails across seeds").
const (
	// DefaultCollapseThreshold is output.collapse_threshold's default: a
	// run "collapses" when a shock kills more than a fifth of the firms in
	// business at the shock beyond its no-shock fork.
	DefaultCollapseThreshold = 0.2
	tailShare                = 0.1  // expected shortfall: the worst 10 % of seeds
	tailResamples            = 2000 // bootstrap and permutation resamples
)

// tailMeasures are the per-seed measures of shock k whose tails are
// reported: the excess fail share over the shock window, then the excess
// failures at each horizon on the share and revenue bases (both shares, so
// the collapse threshold applies; not the count of firms).
func (p *Plan) tailMeasures(k int) []string {
	names := []string{results.ShockMeasureName(k, "excess_fail_share")}
	for _, h := range p.horizons() {
		names = append(names, HorizonMeasure(k, BasisShare, h), HorizonMeasure(k, BasisRevenue, h))
	}
	return names
}

func (p *Plan) collapseThreshold() float64 {
	if p.CollapseThreshold > 0 {
		return p.CollapseThreshold
	}
	return DefaultCollapseThreshold
}

// tailRand returns the random stream of a tail statistic: seeded from its
// names alone, so that the intervals are byte-identical whatever the
// workers, shards or resumes that produced the runs.
func tailRand(names ...string) *rand.Rand {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(h.Sum64(), 0x7461696c)) // "tail"
}

// ShockTail computes the tail of the per-seed values xs of one shock
// measure: quantiles, the probability of exceeding threshold with its
// Clopper–Pearson interval, and the expected shortfall of the worst 10 %
// of seeds with a percentile bootstrap interval drawn from rng.
func ShockTail(xs []float64, threshold float64, rng *rand.Rand) results.Tail {
	ex := stats.Exceedance(xs, threshold, confidence)
	es := stats.ShortfallCI(xs, tailShare, confidence, tailResamples, rng)
	return results.Tail{
		N:    ex.N,
		Mean: results.Number(stats.MeanCI(xs, confidence).Mean),
		Q10:  results.Number(stats.Quantile(xs, 0.1)), Median: results.Number(stats.Quantile(xs, 0.5)),
		Q90: results.Number(stats.Quantile(xs, 0.9)), Max: results.Number(stats.Quantile(xs, 1)),
		Threshold: results.Number(threshold),
		Collapses: ex.K, CollapseP: results.Number(ex.P), CollapseLow: results.Number(ex.Low), CollapseHigh: results.Number(ex.High),
		TailShare: tailShare, Shortfall: results.Number(es.Value), ShortfallLow: results.Number(es.Low), ShortfallHigh: results.Number(es.High),
	}
}

// tailStatistic returns the function of a sample that a TailContrast
// compares.
func tailStatistic(name string, threshold float64) func([]float64) float64 {
	if name == results.TailCollapseP {
		return func(xs []float64) float64 { return stats.Exceedance(xs, threshold, confidence).P }
	}
	return func(xs []float64) float64 { return stats.ExpectedShortfall(xs, tailShare) }
}

// tails computes summary.json's tails and tail contrasts: for every shock
// and tail measure, each variant's tail, and for every pair of variants
// that ran the same seeds, the paired contrasts of the collapse
// probability and of the expected shortfall.
func (a *aggregator) tails() ([]results.Tail, []results.TailContrast) {
	p := a.plan
	theta := p.collapseThreshold()
	shocks := 0
	for _, v := range p.Variants {
		shocks = max(shocks, len(v.Config.Shocks))
	}
	order := p.MeasureOrder()
	var tails []results.Tail
	var contrasts []results.TailContrast
	for k := 1; k <= shocks; k++ {
		for _, name := range p.tailMeasures(k) {
			m := slices.Index(order, name)
			if m < 0 {
				continue
			}
			for vi, v := range p.Variants {
				if a.interrupted() {
					return tails, contrasts // finish reports the interrupt
				}
				if len(v.Config.Shocks) < k {
					continue
				}
				t := ShockTail(a.variants[vi].measureValues(m), theta, tailRand("shortfall", v.Name, name))
				t.Shock, t.Measure, t.Variant = k, name, v.Name
				tails = append(tails, t)
			}
			if p.Command != CommandCompare {
				continue // a sweep's points are not compared pair by pair
			}
			for i := range p.Variants {
				for j := i + 1; j < len(p.Variants); j++ {
					if a.interrupted() {
						return tails, contrasts
					}
					// Pair shock k only where both variants had it: the same
					// kind at the same tick (as the tests between variants).
					if !p.sameShockMeasure(i, j, name) {
						continue
					}
					xa, xb, ok := a.paired(i, j, a.variants[i].measureValues(m), a.variants[j].measureValues(m))
					if !ok {
						continue
					}
					for _, st := range []string{results.TailCollapseP, results.TailShortfall} {
						c := stats.PairedContrast(xa, xb, tailStatistic(st, theta), confidence, tailResamples,
							tailRand(st, p.Variants[i].Name, p.Variants[j].Name, name))
						contrasts = append(contrasts, results.TailContrast{Shock: k, Measure: name, Statistic: st,
							VariantA: p.Variants[i].Name, VariantB: p.Variants[j].Name, N: c.N,
							Diff: results.Number(c.Diff), CILow: results.Number(c.Low), CIHigh: results.Number(c.High), P: results.Number(c.P)})
					}
				}
			}
		}
	}
	return tails, contrasts
}
