package stats

import (
	"math"
	"testing"
)

func TestSpearman(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		want float64
	}{
		// scipy.stats.spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
		{"ties in y", []float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 0.8207826816681233},
		{"monotone, not linear", []float64{1, 2, 3, 4}, []float64{1, 4, 9, 100}, 1},
		{"reversed", []float64{3, 1, 2}, []float64{10, 30, 20}, -1},
		{"constant x", []float64{2, 2, 2}, []float64{1, 2, 3}, math.NaN()},
		{"constant y", []float64{1, 2, 3}, []float64{5, 5, 5}, math.NaN()},
	} {
		checkNear(t, tc.name, Spearman(tc.x, tc.y), tc.want, 1e-12)
	}
}

func TestMidRanks(t *testing.T) {
	got := midRanks([]float64{30, 10, 20, 10, 30, 30})
	want := []float64{5, 1.5, 3, 1.5, 5, 5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("midRanks = %v, want %v", got, want)
		}
	}
}
