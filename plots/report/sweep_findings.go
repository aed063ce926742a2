package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// sweepMeasures are the measures the sweep's findings read, those its
// table leads with: for each shock, the diversity of the market when it
// hit and the failures it caused beyond the background (the raw share
// without the counterfactual); without shocks, final diversity.
func sweepMeasures(r *plots.Results) []string {
	has := func(m string) bool {
		for _, row := range r.Sweep {
			if row.Measure == m && !math.IsNaN(row.Mean) {
				return true
			}
		}
		return false
	}
	var out []string
	for _, s := range r.Shocks() {
		pre := results.ShockMeasureName(s.Index, "pre_effective_strategies")
		ex := results.ShockMeasureName(s.Index, "excess_fail_share")
		if !has(ex) {
			ex = results.ShockMeasureName(s.Index, "fail_share")
		}
		for _, m := range []string{pre, ex} {
			if has(m) {
				out = append(out, m)
			}
		}
	}
	if len(out) == 0 && has("final_effective_strategies") {
		out = append(out, "final_effective_strategies")
	}
	return out
}

// sweepEffect is how much one parameter moves one measure: the measure's
// mean at each of the parameter's values, averaged over the other
// parameters' values, and the paired test between the values with the
// lowest and the highest mean.
type sweepEffect struct {
	measure, key string
	lowV, highV  string  // the values with the lowest and the highest mean
	low, high    float64 // those means
	rho          float64 // Spearman ρ over a sample's points (NaN for a grid)
	points       int
	// p is the paired t-test of high − low over the seeds and the other
	// parameters' values both share (NaN when untested); adj is p after
	// Holm's adjustment over every test of the findings.
	p, adj float64
	pairs  int
}

// sweepGrid reports whether the sweep's points are every combination of
// the parameters' values (a factorial grid), not a sample.
func sweepGrid(r *plots.Results, params []string) bool {
	cells := 1
	combos := map[string]bool{}
	for _, k := range params {
		vals := map[string]bool{}
		for _, row := range r.Sweep {
			vals[row.Values[k]] = true
		}
		cells *= len(vals)
	}
	for _, row := range r.Sweep {
		key := ""
		for _, k := range params {
			key += row.Values[k] + "\x00"
		}
		combos[key] = true
	}
	return cells == len(combos)
}

// sweepPairs returns measure m's per-seed values at points where key is
// a and where it is b, paired by seed and by the other parameters'
// values.
func sweepPairs(r *plots.Results, params []string, m, key, a, b string) (xa, xb []float64) {
	rest := func(vals map[string]string) string {
		s := ""
		for _, k := range params {
			if k != key {
				s += vals[k] + "\x00"
			}
		}
		return s
	}
	pointA, pointB := map[string]string{}, map[string]string{} // other values → point
	for _, row := range r.Sweep {
		if row.Measure != m {
			continue
		}
		switch row.Values[key] {
		case a:
			pointA[rest(row.Values)] = row.Variant
		case b:
			pointB[rest(row.Values)] = row.Variant
		}
	}
	type ps struct {
		point string
		seed  uint64
	}
	val := map[ps]float64{}
	for _, run := range r.Runs {
		if run.Measure == m {
			val[ps{run.Variant, run.Seed}] = run.Value
		}
	}
	for _, other := range slices.Sorted(maps.Keys(pointA)) {
		pb, ok := pointB[other]
		if !ok {
			continue
		}
		for _, seed := range r.Summary.Seeds {
			x, okA := val[ps{pointA[other], seed}]
			y, okB := val[ps{pb, seed}]
			if okA && okB && !math.IsNaN(x) && !math.IsNaN(y) {
				xa, xb = append(xa, x), append(xb, y)
			}
		}
	}
	return xa, xb
}

// sweepFindings say, for each measure the sweep table leads with, which
// parameter moves it most and by how much, every parameter's effect with
// its paired test (Holm-adjusted over all the findings' tests), and for
// a sample of the parameter space (Latin hypercube) the rank correlation.
func sweepFindings(r *plots.Results) []string {
	if len(r.Sweep) == 0 {
		return nil
	}
	params := r.SweepParams()
	grid := sweepGrid(r, params)
	var all [][]sweepEffect
	var ps []float64
	for _, m := range sweepMeasures(r) {
		var effects []sweepEffect
		for _, key := range params {
			byValue := map[string][]float64{}
			var xs, ys []float64
			numeric := true
			for _, row := range r.Sweep {
				if row.Measure != m || math.IsNaN(row.Mean) {
					continue
				}
				v := row.Values[key]
				byValue[v] = append(byValue[v], row.Mean)
				x, err := strconv.ParseFloat(v, 64)
				numeric = numeric && err == nil
				xs, ys = append(xs, x), append(ys, row.Mean)
			}
			if len(byValue) < 2 {
				continue
			}
			e := sweepEffect{measure: m, key: key, low: math.Inf(1), high: math.Inf(-1), rho: math.NaN(), p: math.NaN(), adj: math.NaN(), points: len(ys)}
			if !grid && numeric {
				e.rho = stats.Spearman(xs, ys)
				lo, hi := 0, 0
				for i := range xs {
					if xs[i] < xs[lo] {
						lo = i
					}
					if xs[i] > xs[hi] {
						hi = i
					}
				}
				e.lowV, e.highV, e.low, e.high = fmtNum(xs[lo]), fmtNum(xs[hi]), ys[lo], ys[hi]
			} else {
				// In value order, so that of two values with the same mean
				// the same one is named on every run (map order is random).
				for _, v := range slices.Sorted(maps.Keys(byValue)) {
					mean := 0.0
					for _, x := range byValue[v] {
						mean += x
					}
					mean /= float64(len(byValue[v]))
					if mean < e.low {
						e.low, e.lowV = mean, v
					}
					if mean > e.high {
						e.high, e.highV = mean, v
					}
				}
				if grid {
					xa, xb := sweepPairs(r, params, m, key, e.highV, e.lowV)
					e.pairs = len(xa)
					e.p = stats.PairedT(xa, xb).P
				}
			}
			effects = append(effects, e)
			ps = append(ps, e.p)
		}
		if len(effects) > 0 {
			all = append(all, effects)
		}
	}
	adj := stats.Holm(ps)
	k := 0
	for i := range all {
		for j := range all[i] {
			all[i][j].adj = adj[k]
			k++
		}
	}
	var out []string
	for _, effects := range all {
		sort.SliceStable(effects, func(i, j int) bool { return effectSize(effects[i]) > effectSize(effects[j]) })
		m := effects[0].measure
		name := present.Label(m, r.Shocks())
		name = strings.ToLower(name[:1]) + name[1:]
		var parts []string
		for _, e := range effects {
			parts = append(parts, sweepEffectText(m, e))
		}
		line := fmt.Sprintf("The %s moves most with %s: %s", name, effects[0].key, parts[0])
		if len(parts) > 1 {
			line += "; " + strings.Join(parts[1:], "; ")
		}
		out = append(out, line+".")
	}
	if n := countTested(ps); len(out) > 0 && n > 1 {
		out = append(out, fmt.Sprintf("The p-values of these findings are Holm-adjusted over their %d tests, so that the chance of any false alarm among them stays below 5%s%% when p%s<%s%g; tests.csv holds every pair of points, unadjusted.", n, nbsp, nbsp, nbsp, present.Significance))
	}
	return out
}

// effectSize orders a measure's effects: the spread between the lowest
// and the highest mean (the rank correlation's size for a sample).
func effectSize(e sweepEffect) float64 {
	if !math.IsNaN(e.rho) {
		return math.Abs(e.rho)
	}
	return e.high - e.low
}

func countTested(ps []float64) int {
	n := 0
	for _, p := range ps {
		if !math.IsNaN(p) {
			n++
		}
	}
	return n
}

// sweepEffectText says how much parameter e.key moves measure m.
func sweepEffectText(m string, e sweepEffect) string {
	if !math.IsNaN(e.rho) {
		dir := "shows no clear trend with"
		switch {
		case e.rho >= 0.5:
			dir = "rises with"
		case e.rho <= -0.5:
			dir = "falls with"
		}
		return fmt.Sprintf("it %s %s (Spearman ρ = %s over %d sampled points; %s at %s = %s, %s at %s)",
			dir, e.key, present.Sig(e.rho, 2), e.points, fmtValue(m, e.low), e.key, e.lowV, fmtValue(m, e.high), e.highV)
	}
	lo, hi := fmtValue(m, e.low), fmtValue(m, e.high)
	if lo == hi {
		return fmt.Sprintf("%s does not move it (%s at every value)", e.key, lo)
	}
	diff := "a difference of " + present.Sig(e.high-e.low, 3)
	if results.InPercent(m) {
		diff = signedPoints(e.high-e.low) + " points"
	}
	s := fmt.Sprintf("averaged over the other points, it is %s at %s = %s and %s at %s = %s (%s)", lo, e.key, e.lowV, hi, e.key, e.highV, diff)
	if !math.IsNaN(e.adj) {
		s += fmt.Sprintf(", paired t-test over %d seed pairs, Holm-adjusted %s", e.pairs, present.P(e.adj))
		if e.adj >= present.Significance {
			s += ", so it may be chance"
		}
	}
	return s
}
