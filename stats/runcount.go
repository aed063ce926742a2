package stats

import "math"

// RelHalfWidth is the half-width of iv's interval relative to the size of
// its mean: (High − Low) / (2·|Mean|); NaN without an interval or at a
// zero mean.
func RelHalfWidth(iv Interval) float64 {
	if math.IsNaN(iv.Low) || math.IsNaN(iv.High) || iv.Mean == 0 {
		return math.NaN()
	}
	return (iv.High - iv.Low) / (2 * math.Abs(iv.Mean))
}

// SeedsForPrecision is the number of runs whose t-interval at level would
// be within precision·|mean| of the mean, for a sample with the given SD
// and mean (the smallest n with t_{(1+level)/2, n−1}·sd/√n ≤ precision·|mean|,
// at least 2). It returns 0 when it cannot be computed (zero mean, NaN).
func SeedsForPrecision(mean, sd, precision, level float64) int {
	checkLevel(level)
	if math.IsNaN(mean) || math.IsNaN(sd) || mean == 0 || !(precision > 0) {
		return 0
	}
	target := precision * math.Abs(mean)
	for n := 2; n <= 1_000_000; n++ {
		if tQuantile((1+level)/2, float64(n-1))*sd/math.Sqrt(float64(n)) <= target {
			return n
		}
	}
	return 1_000_000
}

// PairedPowerSeeds is the number of paired runs (seeds) a paired t-test at
// two-sided level alpha needs to detect a mean difference of the observed
// size with the given power, from per-seed differences diffs: the
// smallest n with t_{1−α/2, n−1} + t_{power, n−1} ≤ √n·|d̄|/s_d (the usual
// approximation, as G*Power's). It returns 0 when it cannot be computed
// (fewer than 2 differences, or a zero mean or SD).
func PairedPowerSeeds(diffs []float64, power, alpha float64) int {
	w := welfordOf(diffs)
	if w.N() < 2 || w.Mean() == 0 || !(w.SD() > 0) {
		return 0
	}
	dz := math.Abs(w.Mean()) / w.SD()
	for n := 2; n <= 1_000_000; n++ {
		df := float64(n - 1)
		if tQuantile(1-alpha/2, df)+tQuantile(power, df) <= math.Sqrt(float64(n))*dz {
			return n
		}
	}
	return 1_000_000
}

// CVDrift measures how settled the coefficient of variation of xs is
// (Lorscheid, Heine and Meyer 2012): the largest relative change of the
// CV over the first k values, for k from half of the values to all of
// them, against the CV over all. Small (below 0.1): more runs would
// hardly change the spread. NaN for fewer than 4 values or a zero mean.
func CVDrift(xs []float64) float64 {
	var vals []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	n := len(vals)
	if n < 4 {
		return math.NaN()
	}
	cv := func(k int) float64 {
		w := welfordOf(vals[:k])
		return w.SD() / math.Abs(w.Mean())
	}
	all := cv(n)
	if math.IsNaN(all) || math.IsInf(all, 0) || all == 0 {
		return math.NaN()
	}
	drift := 0.0
	for k := max(2, (n+1)/2); k < n; k++ {
		drift = math.Max(drift, math.Abs(cv(k)-all)/all)
	}
	return drift
}
