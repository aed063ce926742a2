package experiment

import (
	"math"
	"testing"
)

// TestCashQuarters checks the excess failures by quarter of cash at the
// shock: firms ranked by cash (ties by ID) into four equal groups, and in
// each the run's failures in the window minus the fork's.
func TestCashQuarters(t *testing.T) {
	const t0, end = 10, 20
	// Eight firms at risk, IDs 0–7, cash descending with the ID (so q1,
	// the least cash, is IDs 6 and 7); firm 8 was born after the shock.
	cash := []float64{8, 7, 6, 5, 4, 3, 2, 2}
	died := []int{-1, -1, -1, 15, 12, 30, 11, 19} // run: 3, 4 fail in the window; 5 after it; 6, 7 in it
	forkDied := []int{-1, 14, -1, -1, 12, -1, -1, 11}
	firms := make([]Firm, 9)
	f := &forkRun{}
	for id := range 8 {
		firms[id] = Firm{ID: id, Died: died[id]}
		f.cohort = append(f.cohort, cohortFirm{id: id, forkDied: forkDied[id], cash: cash[id]})
	}
	firms[8] = Firm{ID: 8, Born: 12, Died: 13}
	got := cashQuarters(t0, end, firms, f)
	// q1 = {6, 7}: run 2, fork 1 → 0.5; q2 = {4, 5}: run 1, fork 1 → 0;
	// q3 = {2, 3}: run 1, fork 0 → 0.5; q4 = {0, 1}: run 0, fork 1 → −0.5.
	want := [4]float64{0.5, 0, 0.5, -0.5}
	if got != want {
		t.Errorf("cashQuarters = %v, want %v", got, want)
	}
	if q := cashQuarters(t0, end, firms, nil); !math.IsNaN(q[0]) {
		t.Errorf("without a fork: %v, want NaN", q)
	}
}
