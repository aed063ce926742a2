package experiment

import (
	"slices"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// Effect curves across seeds (excess_stats.csv): each variant's mean
// curve, and the paired difference of curves between variants that ran
// the same seeds.

// curveIndex is the position of (shock k, 1-based; basis b; ticks h,
// 1-based) in a run's flattened curve of shocks × bases × horizon values.
func curveIndex(k, b, h, horizon int) int { return ((k-1)*len(Bases)+b)*horizon + h - 1 }

// flatCurve lays a run's effect curve points out as a flat slice of
// shocks × len(Bases) × horizon values, NaN where a point is missing.
func flatCurve(points []ExcessPoint, shocks, horizon int) []float64 {
	out := make([]float64, shocks*len(Bases)*horizon)
	for i := range out {
		out[i] = nan
	}
	for _, x := range points {
		b := slices.Index(Bases, x.Basis)
		if b < 0 || x.Shock < 1 || x.Shock > shocks || x.Ticks < 1 || x.Ticks > horizon {
			continue
		}
		out[curveIndex(x.Shock, b, x.Ticks, horizon)] = x.Value
	}
	return out
}

// curvePairs lists the pairs of variants whose paired curve differences
// excess_stats.csv holds: the focus against every other variant, or,
// without a focus, every pair of a compare of at most maxCurvePairVariants
// variants (a sweep's points are compared in sweep.csv instead).
func (p *Plan) curvePairs() [][2]int {
	var out [][2]int
	if p.Command == CommandRun {
		return nil
	}
	focus := -1
	for i, v := range p.Variants {
		if v.Name == p.Focus {
			focus = i
		}
	}
	if focus >= 0 {
		for i := range p.Variants {
			if i != focus {
				out = append(out, [2]int{focus, i})
			}
		}
		return out
	}
	if p.Command != CommandCompare || len(p.Variants) > maxCurvePairVariants {
		return nil
	}
	for i := range p.Variants {
		for j := i + 1; j < len(p.Variants); j++ {
			out = append(out, [2]int{i, j})
		}
	}
	return out
}

// maxCurvePairVariants bounds the compares whose every pair of curves is
// differenced (without a focus).
const maxCurvePairVariants = 6

// excessStats computes the rows of excess_stats.csv.
func (a *aggregator) excessStats() []results.ExcessStatRow {
	p := a.plan
	h := p.curveLen()
	var out []results.ExcessStatRow
	row := func(variant, versus string, k, b, t int, iv stats.Interval) {
		if iv.N == 0 {
			return
		}
		out = append(out, results.ExcessStatRow{Variant: variant, Versus: versus, Shock: k, Basis: Bases[b], Ticks: t,
			N: iv.N, Mean: iv.Mean, CILow: iv.Low, CIHigh: iv.High})
	}
	values := func(vi, idx int) []float64 {
		va := &a.variants[vi]
		xs := make([]float64, len(va.curves))
		for s, c := range va.curves {
			xs[s] = nan
			if idx < len(c) {
				xs[s] = c[idx]
			}
		}
		return xs
	}
	for vi, v := range p.Variants {
		for k := 1; k <= len(v.Config.Shocks); k++ {
			for b := range Bases {
				for t := 1; t <= h; t++ {
					row(v.Name, "", k, b, t, stats.MeanCI(values(vi, curveIndex(k, b, t, h)), confidence))
				}
			}
		}
	}
	for _, pr := range p.curvePairs() {
		i, j := pr[0], pr[1]
		shocks := min(len(p.Variants[i].Config.Shocks), len(p.Variants[j].Config.Shocks))
		at := map[uint64]int{}
		for s, seed := range a.variants[j].seeds {
			at[seed] = s
		}
		for k := 1; k <= shocks; k++ {
			for b := range Bases {
				for t := 1; t <= h; t++ {
					idx := curveIndex(k, b, t, h)
					xi, xj := values(i, idx), values(j, idx)
					ya, yb := make([]float64, 0, len(xi)), make([]float64, 0, len(xi))
					for s, seed := range a.variants[i].seeds {
						if l, ok := at[seed]; ok {
							ya, yb = append(ya, xi[s]), append(yb, xj[l])
						}
					}
					row(p.Variants[i].Name, p.Variants[j].Name, k, b, t, stats.PairedDiffCI(ya, yb, confidence))
				}
			}
		}
	}
	return out
}
