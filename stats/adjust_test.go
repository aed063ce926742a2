package stats

import (
	"math"
	"testing"
)

// TestHolm checks Holm's adjustment against R's p.adjust(ps, "holm").
func TestHolm(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		ps, want []float64
	}{
		// p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}},
		// p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm")
		{[]float64{0.01, 0.02, 0.03, 0.04, 0.05}, []float64{0.05, 0.08, 0.09, 0.09, 0.09}},
		// large p-values are capped at 1; NaN is not a test
		{[]float64{0.5, nan, 0.9}, []float64{1, nan, 1}},
		{nil, []float64{}},
	}
	for _, c := range cases {
		got := Holm(c.ps)
		if len(got) != len(c.want) {
			t.Fatalf("Holm(%v) = %v, want %v", c.ps, got, c.want)
		}
		for i := range got {
			if math.IsNaN(c.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && math.Abs(got[i]-c.want[i]) > 1e-12) {
				t.Errorf("Holm(%v) = %v, want %v", c.ps, got, c.want)
				break
			}
		}
	}
}
