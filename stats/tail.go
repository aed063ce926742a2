package stats

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of the non-NaN values of
// xs, interpolating linearly between order statistics as R's
// quantile(xs, p) does by default (type 7): with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and
// h = (n − 1)·p,
//
//	Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋₊₁₎ − x₍⌊h⌋₎).
//
// NaN if xs has no value or p is outside [0, 1].
func Quantile(xs []float64, p float64) float64 {
	return quantileSorted(sortedNonNaN(xs), p)
}

// quantileSorted is Quantile on values already sorted, without NaN.
func quantileSorted(s []float64, p float64) float64 {
	if len(s) == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	h := float64(len(s)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

// Proportion is an estimated probability K/N with a two-sided confidence
// interval [Low, High].
type Proportion struct {
	K, N      int     // events and trials
	P         float64 // K/N; NaN if N == 0
	Low, High float64 // confidence bounds; NaN if N == 0
}

// ClopperPearson returns k/n with the exact (Clopper–Pearson) binomial
// interval at the given level, as R's binom.test(k, n)$conf.int: with
// α = 1 − level,
//
//	Low  = B⁻¹(α/2; k, n − k + 1)      (0 when k = 0),
//	High = B⁻¹(1 − α/2; k + 1, n − k)  (1 when k = n),
//
// B⁻¹ the quantile of the beta distribution. Low and High are the p at
// which P(X ≥ k) and P(X ≤ k), X ~ Binomial(n, p), equal α/2. It panics
// if level is not in (0, 1) or k is not in [0, n].
func ClopperPearson(k, n int, level float64) Proportion {
	checkLevel(level)
	if k < 0 || k > n {
		panic("stats: ClopperPearson needs 0 ≤ k ≤ n")
	}
	nan := math.NaN()
	pr := Proportion{K: k, N: n, P: nan, Low: nan, High: nan}
	if n == 0 {
		return pr
	}
	a := 1 - level
	pr.P = float64(k) / float64(n)
	pr.Low, pr.High = 0, 1
	if k > 0 {
		pr.Low = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(a / 2)
	}
	if k < n {
		pr.High = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - a/2)
	}
	return pr
}

// Exceedance is the share of the non-NaN values of xs strictly above
// threshold, with its Clopper–Pearson interval at the given level: the
// probability that a run's value exceeds the threshold, estimated from
// independent runs. It panics if level is not in (0, 1).
func Exceedance(xs []float64, threshold, level float64) Proportion {
	k, n := 0, 0
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		n++
		if x > threshold {
			k++
		}
	}
	return ClopperPearson(k, n, level)
}

// tailCount is the number of values in the upper tail share of n values:
// ⌈tail·n⌉, at least 1 (tail·n is rounded to 9 decimals first, so that
// 0.1·50 counts 5, not 6).
func tailCount(n int, tail float64) int {
	k := int(math.Ceil(math.Round(tail*float64(n)*1e9) / 1e9))
	return min(max(k, 1), n)
}

// ExpectedShortfall returns the mean of the largest ⌈tail·n⌉ (at least
// one) of the n non-NaN values of xs: with xs the per-run losses, the mean
// loss of the worst tail share of runs (tail = 0.1: the worst 10 %). NaN
// without values; it panics unless 0 < tail ≤ 1.
func ExpectedShortfall(xs []float64, tail float64) float64 {
	return shortfallSorted(sortedNonNaN(xs), tail)
}

func shortfallSorted(s []float64, tail float64) float64 {
	if !(tail > 0 && tail <= 1) {
		panic("stats: expected shortfall needs a tail share in (0, 1]")
	}
	if len(s) == 0 {
		return math.NaN()
	}
	k := tailCount(len(s), tail)
	sum := 0.0
	for _, x := range s[len(s)-k:] {
		sum += x
	}
	return sum / float64(k)
}

// Estimate is a statistic with a two-sided confidence interval.
type Estimate struct {
	Value, Low, High float64
}

// ShortfallCI returns [ExpectedShortfall] of xs with a percentile
// bootstrap interval at the given level: resamples samples of the non-NaN
// values, drawn with replacement from rng, each giving its shortfall; Low
// and High are the (1 − level)/2 and (1 + level)/2 [Quantile]s of those.
// The same rng state gives the same interval. Low and High are NaN with
// fewer than two values. It panics if level is not in (0, 1) or tail not
// in (0, 1].
func ShortfallCI(xs []float64, tail, level float64, resamples int, rng *rand.Rand) Estimate {
	checkLevel(level)
	s := sortedNonNaN(xs)
	e := Estimate{Value: shortfallSorted(s, tail), Low: math.NaN(), High: math.NaN()}
	if len(s) < 2 || resamples < 1 {
		return e
	}
	boot := make([]float64, resamples)
	r := make([]float64, len(s))
	for b := range boot {
		for i := range r {
			r[i] = s[rng.IntN(len(s))]
		}
		slices.Sort(r)
		boot[b] = shortfallSorted(r, tail)
	}
	slices.Sort(boot)
	e.Low, e.High = quantileSorted(boot, (1-level)/2), quantileSorted(boot, (1+level)/2)
	return e
}

// Contrast is a paired difference stat(a) − stat(b) with a confidence
// interval and a two-sided p-value.
type Contrast struct {
	Diff, Low, High float64
	P               float64
	N               int // pairs used
}

// PairedContrast compares a statistic of two samples observed on the same
// units (a[i] and b[i] from the same seed), using only the pairs where
// both are measured: Diff = stat(a) − stat(b). The interval is a
// percentile bootstrap over pairs (resamples draws of n pairs with
// replacement); P is a paired permutation test: in each of resamples
// relabellings, every pair's two values swap with probability 1/2, and
//
//	P = (1 + #{|Diff*| ≥ |Diff|}) / (1 + resamples).
//
// Every draw comes from rng, so the same rng state gives the same result.
// stat receives a slice it may reorder. With fewer than two pairs Low,
// High and P are NaN. It panics if the samples differ in length or level
// is not in (0, 1).
func PairedContrast(a, b []float64, stat func([]float64) float64, level float64, resamples int, rng *rand.Rand) Contrast {
	checkLevel(level)
	if len(a) != len(b) {
		panic("stats: paired samples of different lengths")
	}
	var pa, pb []float64
	for i := range a {
		if !math.IsNaN(a[i]) && !math.IsNaN(b[i]) {
			pa, pb = append(pa, a[i]), append(pb, b[i])
		}
	}
	n := len(pa)
	nan := math.NaN()
	c := Contrast{Diff: nan, Low: nan, High: nan, P: nan, N: n}
	if n == 0 {
		return c
	}
	xa, xb := make([]float64, n), make([]float64, n)
	diff := func() float64 { return stat(xa) - stat(xb) }
	copy(xa, pa)
	copy(xb, pb)
	c.Diff = diff()
	if n < 2 || resamples < 1 {
		return c
	}
	boot := make([]float64, resamples)
	for r := range boot {
		for i := range xa {
			j := rng.IntN(n)
			xa[i], xb[i] = pa[j], pb[j]
		}
		boot[r] = diff()
	}
	slices.Sort(boot)
	c.Low, c.High = quantileSorted(boot, (1-level)/2), quantileSorted(boot, (1+level)/2)
	extreme := 0
	for range resamples {
		for i := range xa {
			if rng.Uint64()&1 == 0 {
				xa[i], xb[i] = pa[i], pb[i]
			} else {
				xa[i], xb[i] = pb[i], pa[i]
			}
		}
		// A relative tolerance keeps a relabelling that reproduces the
		// observed statistic from counting as less extreme by rounding.
		if math.Abs(diff()) >= math.Abs(c.Diff)*(1-1e-12) {
			extreme++
		}
	}
	c.P = float64(1+extreme) / float64(1+resamples)
	return c
}

// CoFailure measures how concentrated a set of failures is among groups
// of units, against the same number of failures spread at random. Unit i
// belongs to group[i] and failed[i] says whether it is one of the K
// failures; with n_c units and k_c failures in group c (N units in all),
//
//	P_N = Σ_c n_c(n_c − 1) / (N(N − 1)),  P_K = Σ_c k_c(k_c − 1) / (K(K − 1)),
//	κ = (P_K − P_N) / (1 − P_N),
//
// P_K is the probability that two distinct failures share a group, P_N
// that two distinct units do. K failures drawn at random without
// replacement have E[P_K] = P_N exactly (E[k_c(k_c − 1)] = K(K − 1)·
// n_c(n_c − 1)/(N(N − 1))), so κ is 0 on average for failures spread at
// random, 1 when all fall in one group, and negative when they are spread
// more evenly than at random. NaN with fewer than two failures, or when
// every unit is in one group (P_N = 1). It panics if the slices differ in
// length.
func CoFailure[G comparable](group []G, failed []bool) float64 {
	if len(group) != len(failed) {
		panic("stats: CoFailure needs one group per unit")
	}
	type counts struct{ n, k float64 }
	by := make(map[G]*counts)
	var n, k float64
	for i, g := range group {
		c := by[g]
		if c == nil {
			c = &counts{}
			by[g] = c
		}
		c.n++
		n++
		if failed[i] {
			c.k++
			k++
		}
	}
	if k < 2 {
		return math.NaN()
	}
	// Integer-valued sums, exact in float64 for any realistic population;
	// map order therefore does not change the result.
	var pn, pk float64
	for _, c := range by {
		pn += c.n * (c.n - 1)
		pk += c.k * (c.k - 1)
	}
	pn /= n * (n - 1)
	pk /= k * (k - 1)
	if pn >= 1 {
		return math.NaN()
	}
	return (pk - pn) / (1 - pn)
}
