package stats

import (
	"math"
	"slices"
	"sort"
)

// CohensD returns Cohen's d = (mean(a) − mean(b)) / s_p with the pooled
// standard deviation s_p = sqrt(((na−1)·va + (nb−1)·vb) / (na + nb − 2)).
// NaN values are ignored. It returns NaN if either sample is empty, if
// na + nb < 3, or if s_p == 0.
func CohensD(a, b []float64) float64 {
	d, _ := cohen(a, b)
	return d
}

// HedgesG returns Hedges' g, Cohen's d multiplied by the exact small-sample
// bias correction of Hedges (1981),
//
//	J(m) = Γ(m/2) / (sqrt(m/2) · Γ((m−1)/2)),  m = na + nb − 2,
//
// (≈ 1 − 3/(4(na+nb) − 9)). NaN cases are those of [CohensD].
func HedgesG(a, b []float64) float64 {
	d, m := cohen(a, b)
	if math.IsNaN(d) {
		return d
	}
	lgm2, _ := math.Lgamma(m / 2)
	lgm1, _ := math.Lgamma((m - 1) / 2)
	return d * math.Exp(lgm2-lgm1-0.5*math.Log(m/2))
}

// cohen returns Cohen's d and its pooled degrees of freedom na+nb−2.
func cohen(a, b []float64) (d, df float64) {
	wa, wb := welfordOf(a), welfordOf(b)
	if wa.N() == 0 || wb.N() == 0 || wa.N()+wb.N() < 3 {
		return math.NaN(), math.NaN()
	}
	df = float64(wa.N() + wb.N() - 2)
	sp := math.Sqrt((wa.m2 + wb.m2) / df)
	if !(sp > 0) {
		return math.NaN(), df
	}
	return (wa.Mean() - wb.Mean()) / sp, df
}

// CliffsDelta returns Cliff's delta, P(a > b) − P(a < b) over all pairs, with
// a two-sided 95% confidence interval; see [CliffsDeltaCI].
func CliffsDelta(a, b []float64) (delta, low, high float64) {
	return CliffsDeltaCI(a, b, 0.95)
}

// CliffsDeltaCI returns Cliff's delta,
//
//	δ = (#{(i,j): a_i > b_j} − #{(i,j): a_i < b_j}) / (na·nb),
//
// in [−1, 1] (positive when a tends to be larger), with a two-sided
// confidence interval at the given level.
//
// The interval is Cliff's (1993) asymmetric interval using his consistent
// variance estimate (Feng & Cliff 2004), with a normal quantile z: writing
// d_ij = sign(a_i − b_j), d_i. and d_.j for its row and column means,
//
//	s² = ((nb−1)·S_i. + (na−1)·S_.j + S_ij) / (na·nb),
//	S_i. = Σ(d_i. − δ)²/(na−1), S_.j = Σ(d_.j − δ)²/(nb−1),
//	S_ij = ΣΣ(d_ij − δ)²/((na−1)(nb−1)),
//	CI = (δ − δ³ ∓ z·s·sqrt((1 − δ²)² + z²s²)) / (1 − δ² + z²s²).
//
// This equals R's effsize::cliff.delta(a, b, use.unbiased = FALSE,
// use.normal = TRUE), including its handling of fully separated samples
// (|δ| = 1): the variance and interval are computed with δ shrunk to
// ±(na·nb − 1)/(na·nb) and the bound on the δ side is set to ±1.
//
// NaN values are ignored. It runs in O((na + nb) log(na + nb)) time.
// delta is NaN if either sample is empty; low and high are NaN if either
// sample has fewer than two values. When s = 0 (e.g. every value tied) the
// interval collapses to [δ, δ]. It panics if level is not in (0, 1).
func CliffsDeltaCI(a, b []float64, level float64) (delta, low, high float64) {
	checkLevel(level)
	as, bs := sortedNonNaN(a), sortedNonNaN(b)
	na, nb := len(as), len(bs)
	nan := math.NaN()
	if na == 0 || nb == 0 {
		return nan, nan, nan
	}
	fa, fb := float64(na), float64(nb)
	// below(s, x) = #{s < x}, above(s, x) = #{s > x} for sorted s.
	below := func(s []float64, x float64) int { return sort.SearchFloat64s(s, x) }
	above := func(s []float64, x float64) int {
		return len(s) - sort.Search(len(s), func(i int) bool { return s[i] > x })
	}
	var gt, lt float64 // number of pairs with a > b and a < b
	for _, x := range as {
		gt += float64(below(bs, x))
		lt += float64(above(bs, x))
	}
	delta = (gt - lt) / (fa * fb)
	if na < 2 || nb < 2 {
		return delta, nan, nan
	}
	d := delta
	if math.Abs(d) == 1 {
		d *= (fa*fb - 1) / (fa * fb)
	}
	var ssi, ssj float64
	for _, x := range as {
		di := float64(below(bs, x)-above(bs, x)) / fb
		ssi += (di - d) * (di - d)
	}
	for _, y := range bs {
		dj := float64(above(as, y)-below(as, y)) / fa
		ssj += (dj - d) * (dj - d)
	}
	ties := fa*fb - gt - lt
	ssr := gt*(1-d)*(1-d) + ties*d*d + lt*(1+d)*(1+d)
	s2 := ((fb-1)*ssi/(fa-1) + (fa-1)*ssj/(fb-1) + ssr/((fa-1)*(fb-1))) / (fa * fb)

	z := zQuantile((1 + level) / 2)
	num := d - d*d*d
	half := z * math.Sqrt(s2) * math.Sqrt((1-d*d)*(1-d*d)+z*z*s2)
	den := 1 - d*d + z*z*s2
	low, high = (num-half)/den, (num+half)/den
	switch delta {
	case 1:
		high = 1
	case -1:
		low = -1
	}
	return delta, low, high
}

// sortedNonNaN returns a sorted copy of xs without NaN values.
func sortedNonNaN(xs []float64) []float64 {
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	slices.Sort(s)
	return s
}
