package stats

import (
	"math"
	"testing"
)

// TestAdjust checks Holm and Benjamini–Hochberg against R's p.adjust.
func TestAdjust(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		ps, holm, bh []float64
	}{
		// p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm" / "BH")
		{[]float64{0.01, 0.04, 0.03, 0.005}, []float64{0.03, 0.06, 0.06, 0.02}, []float64{0.02, 0.04, 0.04, 0.02}},
		// p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), …)
		{[]float64{0.01, 0.02, 0.03, 0.04, 0.05}, []float64{0.05, 0.08, 0.09, 0.09, 0.09}, []float64{0.05, 0.05, 0.05, 0.05, 0.05}},
		// large p-values are capped at 1; NaN is not a test
		{[]float64{0.5, nan, 0.9}, []float64{1, nan, 1}, []float64{0.9, nan, 0.9}},
		{nil, []float64{}, []float64{}},
	}
	for _, c := range cases {
		for _, f := range []struct {
			name string
			fn   func([]float64) []float64
			want []float64
		}{{"Holm", Holm, c.holm}, {"BH", BenjaminiHochberg, c.bh}} {
			got := f.fn(c.ps)
			if len(got) != len(f.want) {
				t.Fatalf("%s(%v) = %v, want %v", f.name, c.ps, got, f.want)
			}
			for i := range got {
				if math.IsNaN(f.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && math.Abs(got[i]-f.want[i]) > 1e-12) {
					t.Errorf("%s(%v) = %v, want %v", f.name, c.ps, got, f.want)
					break
				}
			}
		}
	}
}
