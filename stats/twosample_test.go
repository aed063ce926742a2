package stats

import (
	"math"
	"testing"
)

func TestWelchT(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		a, b    []float64
		t, df   float64
		p       float64
		tol, pt float64
	}{
		// R: t.test(extra ~ group, data = sleep) →
		//   t = -1.8608, df = 17.776, p-value = 0.07939.
		// By hand: means 0.75 and 2.33, variances 3.200556 and 4.009,
		// SE = sqrt(0.3200556 + 0.4009) = 0.849091, t = −1.58/0.849091
		// = −1.860813, df = 0.7209556²/((0.3200556² + 0.4009²)/9) = 17.77647.
		{"sleep", sleep1, sleep2, -1.860813467, 17.776473516, 0.07939414, 1e-8, 1e-7},
		// a = 1..5 (mean 3, var 2.5), b = 3,5,7,9,11 (mean 7, var 10):
		// SE = sqrt(0.5 + 2) = 1.581139, t = −4/1.581139 = −2.529822,
		// df = 2.5²/((0.25 + 4)/4) = 6.25/1.0625 = 5.882353,
		// p = 2·P(T_5.882 > 2.5298) = I_{ν/(ν+t²)}(ν/2, 1/2) = 0.0454646,
		// evaluated independently by Simpson integration of the t density
		// (and with mpmath.betainc).
		{"hand", []float64{1, 2, 3, 4, 5}, []float64{3, 5, 7, 9, 11}, -2.529822128, 100.0 / 17, 0.04546462, 1e-8, 1e-8},
		{"NaN ignored", []float64{1, nan, 2, 3, 4, 5}, []float64{3, 5, 7, nan, 9, 11}, -2.529822128, 100.0 / 17, 0.04546462, 1e-8, 1e-8},
		{"one constant sample", []float64{2, 2, 2}, []float64{1, 2, 3}, 0, 2, 1, 1e-12, 1e-12},
		{"both constant", []float64{2, 2, 2}, []float64{3, 3}, nan, nan, nan, 0, 0},
		{"n=1", []float64{1}, []float64{1, 2, 3}, nan, nan, nan, 0, 0},
		{"empty", nil, []float64{1, 2, 3}, nan, nan, nan, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := WelchT(tc.a, tc.b)
			if r.Test != WelchTestName {
				t.Errorf("Test = %q", r.Test)
			}
			checkNear(t, "t", r.Statistic, tc.t, tc.tol)
			checkNear(t, "df", r.DF, tc.df, tc.tol)
			checkNear(t, "p", r.P, tc.p, tc.pt)
		})
	}
}

func TestDiffCI(t *testing.T) {
	// R: t.test(extra ~ group, data = sleep) → 95 percent confidence
	// interval -3.3654832 0.2054832 (= −1.58 ∓ t_{0.975,17.776}·0.849091,
	// t_{0.975,17.776} = 2.10139).
	d, lo, hi := DiffCI(sleep1, sleep2, 0.95)
	checkNear(t, "diff", d, -1.58, 1e-12)
	checkNear(t, "low", lo, -3.3654832, 1e-7)
	checkNear(t, "high", hi, 0.2054832, 1e-7)

	d, lo, hi = DiffCI([]float64{2, 2}, []float64{1, 1}, 0.95)
	if d != 1 || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("zero variance: got (%v, %v, %v), want (1, NaN, NaN)", d, lo, hi)
	}
	d, lo, hi = DiffCI(nil, []float64{1, 2}, 0.95)
	if !math.IsNaN(d) || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("empty: got (%v, %v, %v), want NaNs", d, lo, hi)
	}
}

func TestMannWhitneyU(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		a, b []float64
		u, p float64
		tol  float64
	}{
		// R: wilcox.test(extra ~ group, data = sleep, exact = FALSE) →
		//   W = 25.5, p-value = 0.06933.
		// By hand: rank sum of group 1 = 80.5, U = 80.5 − 55 = 25.5;
		// tie groups −0.1 (2), 0.8 (2), 3.4 (2): Σ(t³−t) = 18;
		// σ² = 100/12·(21 − 18/380) = 174.605, σ = 13.21383;
		// z = (25.5 − 50 + 0.5)/13.21383 = −1.816279, p = 2Φ(z) = 0.069328.
		{"sleep", sleep1, sleep2, 25.5, 0.0693276, 1e-6},
		// No ties: a = 1,2,3 below all of b = 4..7, U = 0, μ = 6,
		// σ² = 3·4·8/12 = 8, z = (0 − 6 + 0.5)/sqrt(8) = −1.944544,
		// p = 2Φ(z) = 0.051830 (R: wilcox.test(1:3, 4:7, exact = FALSE)).
		{"separated", []float64{1, 2, 3}, []float64{4, 5, 6, 7}, 0, 0.0518299, 1e-6},
		{"separated reversed", []float64{4, 5, 6, 7}, []float64{1, 2, 3}, 12, 0.0518299, 1e-6},
		{"NaN ignored", []float64{1, nan, 2, 3}, []float64{4, 5, nan, 6, 7}, 0, 0.0518299, 1e-6},
		// U at its mean: continuity correction is 0, z = 0, p = 1.
		{"centred", []float64{1, 4}, []float64{2, 3}, 2, 1, 1e-12},
		{"all tied", []float64{5, 5}, []float64{5, 5, 5}, 3, nan, 0},
		{"empty", nil, []float64{1, 2}, nan, nan, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := MannWhitneyU(tc.a, tc.b)
			if r.Test != MannWhitneyTestName || !math.IsNaN(r.DF) {
				t.Errorf("Test = %q, DF = %v", r.Test, r.DF)
			}
			checkNear(t, "U", r.Statistic, tc.u, 1e-12)
			checkNear(t, "p", r.P, tc.p, tc.tol)
		})
	}
}
