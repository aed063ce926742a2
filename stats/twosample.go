package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestResult is the outcome of a two-sample hypothesis test.
type TestResult struct {
	Test      string  // name of the test, e.g. "Welch t-test"
	Statistic float64 // test statistic (t for Welch, U of the first sample for Mann–Whitney)
	DF        float64 // degrees of freedom (NaN when not applicable)
	P         float64 // two-sided p-value; NaN when it cannot be computed
}

// Names used in TestResult.Test.
const (
	WelchTestName       = "Welch t-test"
	MannWhitneyTestName = "Mann-Whitney U test"
)

// welch returns mean(a) − mean(b), its standard error sqrt(va/na + vb/nb)
// and the Welch–Satterthwaite degrees of freedom. se and df are NaN when
// either sample has fewer than two values; df is NaN when se == 0.
func welch(wa, wb Welford) (diff, se, df float64) {
	diff = wa.Mean() - wb.Mean()
	if wa.N() < 2 || wb.N() < 2 {
		return diff, math.NaN(), math.NaN()
	}
	qa := wa.Var() / float64(wa.N())
	qb := wb.Var() / float64(wb.N())
	se = math.Sqrt(qa + qb)
	df = (qa + qb) * (qa + qb) / (qa*qa/float64(wa.N()-1) + qb*qb/float64(wb.N()-1))
	return diff, se, df
}

// WelchT performs Welch's unequal-variance two-sample t-test of
// mean(a) = mean(b), two-sided:
//
//	t = (mean(a) − mean(b)) / sqrt(va/na + vb/nb),
//	df = (va/na + vb/nb)² / ((va/na)²/(na−1) + (vb/nb)²/(nb−1)),
//
// with p = 2·P(T_df > |t|). NaN values are ignored. If either sample has
// fewer than two values, or both have zero variance (so the statistic and
// df are undefined), Statistic, DF and P are NaN.
func WelchT(a, b []float64) TestResult {
	r := TestResult{Test: WelchTestName, Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	diff, se, df := welch(welfordOf(a), welfordOf(b))
	if !(se > 0) || math.IsNaN(df) {
		return r
	}
	r.Statistic, r.DF = diff/se, df
	r.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(r.Statistic))
	return r
}

// DiffCI returns mean(a) − mean(b) and its two-sided Welch confidence
// interval at the given level:
//
//	diff ± t_{(1+level)/2, df} · sqrt(va/na + vb/nb)
//
// with the Welch–Satterthwaite df (see [WelchT]). NaN values are ignored.
// diff is NaN if either sample is empty; low and high are NaN if either
// sample has fewer than two values or both have zero variance. It panics if
// level is not in (0, 1).
func DiffCI(a, b []float64, level float64) (diff, low, high float64) {
	checkLevel(level)
	diff, se, df := welch(welfordOf(a), welfordOf(b))
	if !(se > 0) || math.IsNaN(df) {
		return diff, math.NaN(), math.NaN()
	}
	half := tQuantile((1+level)/2, df) * se
	return diff, diff - half, diff + half
}

// MannWhitneyU performs the two-sided Mann–Whitney U (Wilcoxon rank-sum)
// test using the normal approximation with tie and continuity corrections,
// matching R's wilcox.test(a, b, exact = FALSE, correct = TRUE).
//
// Statistic is U for a, the number of pairs (a_i, b_j) with a_i > b_j plus
// half the number of ties (R's W). With N = na + nb, mid-ranks for ties and
// t_k the sizes of the tie groups,
//
//	σ² = na·nb/12 · ((N + 1) − Σ(t_k³ − t_k)/(N(N − 1))),
//	z = (U − na·nb/2 − sign(U − na·nb/2)/2) / σ,  p = 2·min(Φ(z), 1 − Φ(z)).
//
// DF is NaN (not applicable). NaN values are ignored. If either sample is
// empty, Statistic and P are NaN; if every value is tied (σ = 0), P is NaN.
// The normal approximation is rough for very small samples (na or nb below
// about 8); there p should be read as indicative only.
func MannWhitneyU(a, b []float64) TestResult {
	r := TestResult{Test: MannWhitneyTestName, Statistic: math.NaN(), DF: math.NaN(), P: math.NaN()}
	all := make([]marked, 0, len(a)+len(b))
	for _, x := range a {
		if !math.IsNaN(x) {
			all = append(all, marked{x, true})
		}
	}
	na := len(all)
	for _, x := range b {
		if !math.IsNaN(x) {
			all = append(all, marked{x, false})
		}
	}
	nb := len(all) - na
	if na == 0 || nb == 0 {
		return r
	}
	n := float64(len(all))
	rankSumA, tieTerm := markedRankSum(all)
	fa, fb := float64(na), float64(nb)
	u := rankSumA - fa*(fa+1)/2
	r.Statistic = u
	sigma := math.Sqrt(fa * fb / 12 * ((n + 1) - tieTerm/(n*(n-1))))
	if !(sigma > 0) {
		return r
	}
	dev := u - fa*fb/2
	r.P = normalRankP(dev, sigma)
	return r
}
