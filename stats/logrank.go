package stats

import (
	"math"

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
	tables := make([]LifeTable, len(groups))
	for g, data := range groups {
		tables[g] = NewLifeTable(data)
	}
	return LogRankTables(tables)
}

// LogRankTables is LogRank computed from per-group count tables, one
// LifeTable per group: the same statistic, degrees of freedom and p-value,
// bit for bit, as LogRank on the lifetimes the tables count. Times are
// matched across groups with ==. The tables are not modified; it panics if
// any is not a valid LifeTable.
func LogRankTables(groups []LifeTable) (chi2 float64, df int, p float64) {
	o, e, v := logRankSums(groups)
	return logRankTest(o, e, v)
}

// logRankSums walks the pooled distinct times of the groups' tables in
// order and sums, per group g, the observed events o[g], the expected
// events e[g] under equal hazards, and the covariance v[g*k+h] of o − e
// (k groups).
func logRankSums(groups []LifeTable) (o, e, v []float64) {
	k := len(groups)
	atRisk := make([]float64, k)
	for g, lt := range groups {
		lt.check()
		atRisk[g] = float64(lt.N())
	}

	o = make([]float64, k)
	e = make([]float64, k)
	v = make([]float64, k*k)
	dg := make([]float64, k)
	cg := make([]float64, k)
	next := make([]int, k) // next row of each group's table
	for {
		// The next distinct time of the pooled sample is the least head.
		found, t := false, 0.0
		for g, lt := range groups {
			if i := next[g]; i < len(lt.T) && (!found || lt.T[i] < t) {
				found, t = true, lt.T[i]
			}
		}
		if !found {
			break
		}
		clear(dg)
		clear(cg)
		d := 0.0
		for g, lt := range groups {
			if i := next[g]; i < len(lt.T) && lt.T[i] == t {
				dg[g] = float64(lt.Events[i])
				cg[g] = float64(lt.Censored[i])
				d += dg[g]
				next[g]++
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
	return o, e, v
}

// logRankTest is the chi-squared statistic of o − e with covariance v,
// over the groups with expected events but one, its degrees of freedom and
// p-value (NaN when fewer than two groups expect events or v is singular).
func logRankTest(o, e, v []float64) (chi2 float64, df int, p float64) {
	k := len(o)
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
