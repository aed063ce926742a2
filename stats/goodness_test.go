package stats

import (
	"math"
	"testing"
)

// TestChiSquareFit checks the statistic and p-value against R's
// chisq.test(c(20, 30, 50), p = c(0.25, 0.25, 0.5)): X² = 2, df = 2,
// p = e^−1; and a perfect fit (p = 1).
func TestChiSquareFit(t *testing.T) {
	chi2, df, p := ChiSquareFit([]float64{20, 30, 50}, []float64{25, 25, 50})
	if math.Abs(chi2-2) > 1e-12 || df != 2 || math.Abs(p-math.Exp(-1)) > 1e-9 {
		t.Errorf("got X² = %g, df = %d, p = %g; want 2, 2, %g", chi2, df, p, math.Exp(-1))
	}
	if chi2, _, p := ChiSquareFit([]float64{10, 20, 30}, []float64{10, 20, 30}); chi2 != 0 || p != 1 {
		t.Errorf("perfect fit: X² = %g, p = %g", chi2, p)
	}
	if _, _, p := ChiSquareFit([]float64{1}, []float64{1}); !math.IsNaN(p) {
		t.Errorf("one cell: p = %g, want NaN", p)
	}
}
