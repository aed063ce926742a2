package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Names of the paired tests in TestResult.Test.
const (
	PairedTTestName        = "paired t-test"
	WilcoxonSignedRankName = "Wilcoxon signed-rank test"
)

// pairDiffs returns a[i] − b[i] for the pairs where both are measured.
// It panics if the samples differ in length (a programmer mistake: pairs
// are matched by position).
func pairDiffs(a, b []float64) []float64 {
	if len(a) != len(b) {
		panic("stats: paired samples of different lengths")
	}
	d := make([]float64, 0, len(a))
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			d = append(d, a[i]-b[i])
		}
	}
	return d
}

// PairedT performs the two-sided paired t-test of mean(a − b) = 0 over the
// pairs (a[i], b[i]) where both are measured, as R's t.test(a, b, paired =
// TRUE): with d the differences,
//
//	t = mean(d) / (sd(d) / sqrt(n)),  df = n − 1,  p = 2·P(T_df > |t|).
//
// If fewer than two pairs remain, or every difference is equal (sd = 0),
// Statistic, DF and P are NaN.
func PairedT(a, b []float64) TestResult {
	r := TestResult{Test: PairedTTestName, Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	w := welfordOf(pairDiffs(a, b))
	if w.N() < 2 || !(w.SD() > 0) {
		return r
	}
	df := float64(w.N() - 1)
	r.Statistic, r.DF = w.Mean()/(w.SD()/math.Sqrt(float64(w.N()))), df
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(r.Statistic))
	return r
}

// PairedDiffCI returns the mean of the paired differences a[i] − b[i] and
// its Student-t confidence interval at the given level (R's t.test(a, b,
// paired = TRUE)$conf.int): the [TInterval] of the differences.
func PairedDiffCI(a, b []float64, level float64) Interval {
	return TInterval(welfordOf(pairDiffs(a, b)), level)
}

// WilcoxonSignedRank performs the two-sided Wilcoxon signed-rank test of
// the paired differences d = a − b (pairs where both are measured), as R's
// wilcox.test(a, b, paired = TRUE) with its defaults: zero differences are
// dropped; the absolute differences get mid-ranks; Statistic is V, the sum
// of the ranks of the positive differences. With n < 50 remaining pairs
// and no ties nor zeros, p is exact (twice the smaller tail of the
// distribution of V, at most 1); otherwise it is the normal approximation
// with tie and continuity corrections:
//
//	σ² = n(n+1)(2n+1)/24 − Σ(t_k³ − t_k)/48,
//	z = (V − n(n+1)/4 − sign(·)/2) / σ.
//
// If no non-zero difference remains, Statistic is 0 and P is NaN.
func WilcoxonSignedRank(a, b []float64) TestResult {
	r := TestResult{Test: WilcoxonSignedRankName, Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	v, n, ties, zeros := signedRanks(pairDiffs(a, b))
	r.Statistic = v
	if n == 0 {
		return r
	}
	fn := float64(n)
	if n < 50 && ties == 0 && !zeros {
		r.P = exactSignedRankP(int(v), n)
		return r
	}
	dev := v - fn*(fn+1)/4
	sigma := math.Sqrt(fn*(fn+1)*(2*fn+1)/24 - ties/48)
	if !(sigma > 0) {
		return r
	}
	r.P = normalRankP(dev, sigma)
	return r
}

// signedRanks returns V (the rank sum of the positive differences), the
// number n of non-zero differences, Σ(t³ − t) over groups of tied absolute
// differences, and whether any difference was zero.
func signedRanks(d []float64) (v float64, n int, ties float64, zeros bool) {
	nz := make([]marked, 0, len(d))
	for _, x := range d {
		if x == 0 {
			zeros = true
			continue
		}
		nz = append(nz, marked{math.Abs(x), x > 0})
	}
	v, ties = markedRankSum(nz)
	return v, len(nz), ties, zeros
}

// exactSignedRankP is the exact two-sided p-value of V = v with n pairs
// and no ties: 2·min(P(V ≤ v), P(V ≥ v)), at most 1 (R's psignrank).
func exactSignedRankP(v, n int) float64 {
	max := n * (n + 1) / 2
	// count[s]: subsets of {1..n} with sum s.
	count := make([]float64, max+1)
	count[0] = 1
	for k := 1; k <= n; k++ {
		for s := max; s >= k; s-- {
			count[s] += count[s-k]
		}
	}
	total := math.Ldexp(1, n)
	lo, hi := 0.0, 0.0
	for s := 0; s <= max; s++ {
		if s <= v {
			lo += count[s]
		}
		if s >= v {
			hi += count[s]
		}
	}
	return math.Min(1, 2*math.Min(lo, hi)/total)
}

// RankBiserial is the matched-pairs rank-biserial correlation of the
// paired differences a − b (Kerby 2014): (T+ − T−) / (T+ + T−), with T+
// and T− the rank sums of the positive and negative non-zero differences,
// in [−1, 1]: the share of the rank mass favouring a minus that favouring
// b. NaN if no non-zero difference remains.
func RankBiserial(a, b []float64) float64 {
	v, n, _, _ := signedRanks(pairDiffs(a, b))
	if n == 0 {
		return math.NaN()
	}
	total := float64(n) * float64(n+1) / 2
	return (2*v - total) / total
}
