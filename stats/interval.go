package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a summary of a sample together with a two-sided confidence
// interval [Low, High] for its mean.
type Interval struct {
	N    int     // number of (non-NaN) observations
	Mean float64 // sample mean; NaN if N == 0
	SD   float64 // sample standard deviation (N−1 denominator); NaN if N < 2
	Low  float64 // lower confidence bound for the mean; NaN if N < 2
	High float64 // upper confidence bound for the mean; NaN if N < 2
}

// TInterval returns the Student-t confidence interval for the mean of the
// values accumulated in w:
//
//	Mean ± t_{(1+level)/2, N−1} · SD / sqrt(N).
//
// With N == 1 the mean is reported but SD, Low and High are NaN; with N == 0
// every field except N is NaN. A zero SD gives Low == High == Mean.
// It panics if level is not in (0, 1).
func TInterval(w Welford, level float64) Interval {
	checkLevel(level)
	iv := Interval{N: w.N(), Mean: w.Mean(), SD: w.SD(), Low: math.NaN(), High: math.NaN()}
	if iv.N < 2 {
		return iv
	}
	half := tQuantile((1+level)/2, float64(iv.N-1)) * iv.SD / math.Sqrt(float64(iv.N))
	iv.Low, iv.High = iv.Mean-half, iv.Mean+half
	return iv
}

// MeanCI is TInterval applied to the non-NaN values of xs.
// It panics if level is not in (0, 1).
func MeanCI(xs []float64, level float64) Interval {
	return TInterval(welfordOf(xs), level)
}

// tQuantile returns the p-quantile of Student's t with df degrees of freedom.
func tQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// zQuantile returns the p-quantile of the standard normal distribution.
func zQuantile(p float64) float64 {
	return distuv.UnitNormal.Quantile(p)
}
