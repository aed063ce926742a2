package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSquareFit is Pearson's chi-squared goodness-of-fit test of observed
// counts against expected counts (the same total, every expected count
// positive): the statistic Σ (o − e)²/e, its degrees of freedom (cells − 1)
// and the upper-tail p-value. With fewer than two cells it returns NaN.
func ChiSquareFit(observed, expected []float64) (chi2 float64, df int, p float64) {
	if len(observed) != len(expected) || len(observed) < 2 {
		return math.NaN(), 0, math.NaN()
	}
	for i, o := range observed {
		d := o - expected[i]
		chi2 += d * d / expected[i]
	}
	df = len(observed) - 1
	return chi2, df, distuv.ChiSquared{K: float64(df)}.Survival(chi2)
}
