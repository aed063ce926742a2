package stats

import (
	"math"
	"sort"
)

// Holm returns Holm's step-down adjustment of the p-values ps (as R's
// p.adjust(ps, "holm")): it controls the family-wise error rate over the
// tests. NaN p-values stay NaN and do not count as tests.
func Holm(ps []float64) []float64 {
	idx, out := adjustOrder(ps)
	m := len(idx)
	run := 0.0
	for rank, i := range idx { // ascending p
		v := math.Min(1, float64(m-rank)*ps[i])
		run = math.Max(run, v)
		out[i] = run
	}
	return out
}

// BenjaminiHochberg returns the Benjamini–Hochberg adjustment of the
// p-values ps (as R's p.adjust(ps, "BH")): it controls the false
// discovery rate over the tests. NaN p-values stay NaN and do not count
// as tests.
func BenjaminiHochberg(ps []float64) []float64 {
	idx, out := adjustOrder(ps)
	m := len(idx)
	run := 1.0
	for rank := m - 1; rank >= 0; rank-- { // descending p
		i := idx[rank]
		run = math.Min(run, float64(m)/float64(rank+1)*ps[i])
		out[i] = run
	}
	return out
}

// adjustOrder returns the indices of the non-NaN p-values in ascending
// order (ties by index) and a result slice holding NaN everywhere.
func adjustOrder(ps []float64) (idx []int, out []float64) {
	out = make([]float64, len(ps))
	for i, p := range ps {
		out[i] = math.NaN()
		if !math.IsNaN(p) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return ps[idx[a]] < ps[idx[b]] })
	return idx, out
}
