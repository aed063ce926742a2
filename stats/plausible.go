package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// SmallSampleP is the plausibility of a published statistic computed from
// a small sample (Axelrod 1997 reports means of 10 runs) under the
// distribution of our runs xs: the probability that the statistic of k
// runs drawn with replacement from xs lies at least as far from stat(xs)
// as published does. It estimates it from draws resamples taken from rng
// (a bootstrap), counting a resample as far as the published figure when
// its distance is within 1e-9 of it, so that discrete statistics (medians,
// shares) count ties as at least as far. A small value says the
// published figure is unlikely under our model, whatever the model's own
// figure; 1 when published equals stat(xs). NaN when xs is empty.
func SmallSampleP(xs []float64, k int, stat func([]float64) float64, published float64, draws int, rng *rand.Rand) float64 {
	xs = slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	if len(xs) == 0 || k < 1 || draws < 1 {
		return math.NaN()
	}
	centre := stat(xs)
	far := math.Abs(published-centre) - 1e-9
	if far <= 0 {
		return 1
	}
	buf := make([]float64, k)
	hits := 0
	for range draws {
		for i := range buf {
			buf[i] = xs[rng.IntN(len(xs))]
		}
		if math.Abs(stat(buf)-centre) >= far {
			hits++
		}
	}
	return float64(hits) / float64(draws)
}

// Mean is the mean of the non-NaN values of xs (NaN when there are none).
func Mean(xs []float64) float64 { return welfordOf(xs).Mean() }

// Median is the median of the non-NaN values of xs: Quantile(xs, 0.5)
// (NaN when there are none).
func Median(xs []float64) float64 { return Quantile(xs, 0.5) }

// ShareEqual is the share of the non-NaN values of xs equal to v.
func ShareEqual(xs []float64, v float64) float64 {
	n, k := 0, 0
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		n++
		if x == v {
			k++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}

// SampleRange is the central level range of the statistic of k runs drawn
// with replacement from xs, estimated from draws resamples: where a
// published small-sample figure would fall with probability level if our
// runs' distribution were the truth.
func SampleRange(xs []float64, k int, stat func([]float64) float64, level float64, draws int, rng *rand.Rand) (low, high float64) {
	checkLevel(level)
	xs = slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	if len(xs) == 0 || k < 1 || draws < 1 {
		return math.NaN(), math.NaN()
	}
	buf := make([]float64, k)
	vals := make([]float64, draws)
	for d := range vals {
		for i := range buf {
			buf[i] = xs[rng.IntN(len(xs))]
		}
		vals[d] = stat(buf)
	}
	return Quantile(vals, (1-level)/2), Quantile(vals, (1+level)/2)
}
