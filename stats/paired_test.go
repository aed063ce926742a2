package stats

import (
	"math"
	"testing"
)

// sleep1 and sleep2 are R's sleep data (helpers_test.go).

func TestPairedTAgainstR(t *testing.T) {
	// t.test(sleep1, sleep2, paired = TRUE):
	// t = -4.0621, df = 9, p-value = 0.002833,
	// 95 percent confidence interval: -2.4598858 -0.7001142, mean difference -1.58.
	r := PairedT(sleep1, sleep2)
	if math.Abs(r.Statistic+4.0621) > 5e-5 || r.DF != 9 || math.Abs(r.P-0.002833) > 5e-7 {
		t.Errorf("paired t: %+v, want t = -4.0621, df = 9, p = 0.002833", r)
	}
	iv := PairedDiffCI(sleep1, sleep2, 0.95)
	if math.Abs(iv.Mean+1.58) > 1e-12 || math.Abs(iv.Low+2.4598858) > 5e-8 || math.Abs(iv.High+0.7001142) > 5e-8 {
		t.Errorf("interval %+v, want -1.58 [-2.4598858, -0.7001142]", iv)
	}
	// Unmeasured pairs are dropped as a pair.
	a := append([]float64{math.NaN(), 5}, sleep1...)
	b := append([]float64{1, math.NaN()}, sleep2...)
	if r2 := PairedT(a, b); r2.Statistic != r.Statistic || r2.P != r.P {
		t.Errorf("with unmeasured pairs: %+v, want %+v", r2, r)
	}
	// Equal differences: no test.
	if r := PairedT([]float64{1, 2, 3}, []float64{0, 1, 2}); !math.IsNaN(r.P) {
		t.Errorf("constant differences: %+v", r)
	}
}

func TestWilcoxonSignedRankAgainstR(t *testing.T) {
	// wilcox.test(sleep1, sleep2, paired = TRUE): V = 0, p-value = 0.009091
	// (normal approximation: a zero and ties).
	r := WilcoxonSignedRank(sleep1, sleep2)
	if r.Statistic != 0 || math.Abs(r.P-0.009091) > 5e-7 {
		t.Errorf("sleep: %+v, want V = 0, p = 0.009091", r)
	}
	// Hollander & Wolfe (1973), p. 29, the example of R's ?wilcox.test:
	// wilcox.test(x, y, paired = TRUE) gives V = 40, p-value = 0.03906 (exact).
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	r = WilcoxonSignedRank(x, y)
	if r.Statistic != 40 || math.Abs(r.P-0.03906) > 5e-6 {
		t.Errorf("Hollander-Wolfe: %+v, want V = 40, p = 0.03906", r)
	}
	// Swapping the samples mirrors V and keeps p.
	if s := WilcoxonSignedRank(y, x); s.Statistic != 45-40 || math.Abs(s.P-r.P) > 1e-15 {
		t.Errorf("swapped: %+v", s)
	}
	// All differences zero: nothing to test.
	if z := WilcoxonSignedRank([]float64{1, 2}, []float64{1, 2}); z.Statistic != 0 || !math.IsNaN(z.P) {
		t.Errorf("all zero: %+v", z)
	}
}

func TestRankBiserial(t *testing.T) {
	x := []float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30}
	y := []float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}
	// T+ = 40, T− = 5: (40 − 5) / 45.
	if r := RankBiserial(x, y); math.Abs(r-35.0/45) > 1e-15 {
		t.Errorf("rank-biserial %v, want %v", r, 35.0/45)
	}
	if r := RankBiserial(sleep1, sleep2); r != -1 {
		t.Errorf("sleep: %v, want -1 (every difference negative)", r)
	}
	if r := RankBiserial([]float64{1}, []float64{1}); !math.IsNaN(r) {
		t.Errorf("no non-zero difference: %v", r)
	}
}
