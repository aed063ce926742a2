package stats

import (
	"math"
	"sort"
)

// Holm returns Holm's step-down adjustment of the p-values ps (as R's
// p.adjust(ps, "holm")): it controls the family-wise error rate over the
// tests. NaN p-values stay NaN and do not count as tests.
func Holm(ps []float64) []float64 {
	out := make([]float64, len(ps))
	var idx []int
	for i, p := range ps {
		out[i] = math.NaN()
		if !math.IsNaN(p) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	m := len(idx)
	run := 0.0
	for rank, i := range idx { // ascending p
		v := math.Min(1, float64(m-rank)*ps[i])
		run = math.Max(run, v)
		out[i] = run
	}
	return out
}
