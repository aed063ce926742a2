package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogRank performs the k-sample log-rank (Mantel–Haenszel) test of the null
// hypothesis that all groups share the same survival function.
//
// At every distinct event time t_j of the pooled sample, with n_j at risk
// and d_j events overall and n_gj at risk in group g, the expected number of
// events in g is E_gj = d_j n_gj / n_j and the hypergeometric covariance is
//
//	V_ghj = d_j (n_j − d_j)/(n_j − 1) · (n_gj/n_j) · (δ_gh − n_hj/n_j).
//
// With U = O − E summed over times, the statistic is U′ V⁻¹ U computed on
// k−1 groups (V is (k−1)×(k−1) after dropping one group, and is solved by
// Cholesky factorisation with gonum/mat), compared with a chi-squared
// distribution on df = k−1 degrees of freedom. This is the test computed by
// R's survival::survdiff with rho = 0. Censorings tied with events count as
// at risk at that time.
//
// As in survdiff, groups with zero expected events (empty groups, or groups
// never at risk at any event time) are excluded before the test, and df
// counts only the remaining groups. If fewer than two groups remain (k < 2,
// no events at all, …), or the covariance matrix is singular, chi2 and p are
// NaN (df is still reported). Inputs are not modified. LogRank panics if any
// T is NaN or negative.
func LogRank(groups [][]Lifetime) (chi2 float64, df int, p float64) {
	k := len(groups)
	type obs struct {
		Lifetime
		g int
	}
	var all []obs
	atRisk := make([]float64, k)
	for g, data := range groups {
		for _, l := range sortLifetimes(data) {
			all = append(all, obs{l, g})
		}
		atRisk[g] = float64(len(data))
	}
	// Pool and sort by T (events first at equal T); only the grouping by
	// time matters for the counts below.
	slices.SortStableFunc(all, func(a, b obs) int { return compareLifetime(a.Lifetime, b.Lifetime) })

	o := make([]float64, k)
	e := make([]float64, k)
	v := make([]float64, k*k)
	dg := make([]float64, k)
	cg := make([]float64, k)
	for i := 0; i < len(all); {
		t := all[i].T
		clear(dg)
		clear(cg)
		d := 0.0
		for ; i < len(all) && all[i].T == t; i++ {
			if all[i].Event {
				dg[all[i].g]++
				d++
			} else {
				cg[all[i].g]++
			}
		}
		if d > 0 {
			n := 0.0
			for _, r := range atRisk {
				n += r
			}
			f := 0.0
			if n > 1 {
				f = d * (n - d) / (n - 1)
			}
			for g := range k {
				o[g] += dg[g]
				e[g] += d * atRisk[g] / n
				if f == 0 || atRisk[g] == 0 {
					continue
				}
				pg := atRisk[g] / n
				for h := range k {
					delta := 0.0
					if g == h {
						delta = 1
					}
					v[g*k+h] += f * pg * (delta - atRisk[h]/n)
				}
			}
		}
		for g := range k {
			atRisk[g] -= dg[g] + cg[g]
		}
	}

	var keep []int
	for g := range k {
		if e[g] > 0 {
			keep = append(keep, g)
		}
	}
	if len(keep) < 2 {
		return math.NaN(), max(len(keep)-1, 0), math.NaN()
	}
	keep = keep[1:] // drop one group: U and V sum to zero across groups
	df = len(keep)
	u := mat.NewVecDense(df, nil)
	vs := mat.NewSymDense(df, nil)
	for a, g := range keep {
		u.SetVec(a, o[g]-e[g])
		for b, h := range keep[a:] {
			vs.SetSym(a, a+b, v[g*k+h])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(vs) {
		return math.NaN(), df, math.NaN()
	}
	var x mat.VecDense
	if err := chol.SolveVecTo(&x, u); err != nil {
		return math.NaN(), df, math.NaN()
	}
	chi2 = mat.Dot(u, &x)
	p = distuv.ChiSquared{K: float64(df)}.Survival(chi2)
	return chi2, df, p
}
