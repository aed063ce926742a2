package stats

import (
	"math"
	"testing"
)

func TestLogRankFreireich(t *testing.T) {
	// R: survdiff(Surv(time, cens) ~ treat, data = MASS::gehan) prints
	// Chisq = 16.8 on 1 degrees of freedom, p = 4e-05, with O = 9 / 21
	// and E = 19.3 / 10.7 for 6-MP / placebo. By hand, summing over the
	// 17 distinct event times: O − E = 9 − 19.2505 = −10.2505,
	// V = 6.2570, chi2 = 10.2505²/6.2570 = 16.7929, p = P(χ²₁ > 16.7929)
	// = erfc(sqrt(16.7929/2)) = 4.1688e-5.
	chi2, df, p := LogRank([][]Lifetime{freireich6MP, freireichPlacebo})
	checkNear(t, "chi2", chi2, 16.79294098921654, 1e-9)
	if df != 1 {
		t.Errorf("df = %d, want 1", df)
	}
	checkNear(t, "p", p, 4.1688091093e-5, 1e-12)

	// Group order must not matter.
	chi2r, _, pr := LogRank([][]Lifetime{freireichPlacebo, freireich6MP})
	checkNear(t, "chi2 (swapped)", chi2r, chi2, 1e-9)
	checkNear(t, "p (swapped)", pr, p, 1e-15)
}

func TestLogRankKGroups(t *testing.T) {
	// Split the 6-MP arm into two sub-arms to make a 3-group problem. The
	// statistic must not depend on which group is dropped from the
	// (k−1)×(k−1) system, i.e. on the order of the groups.
	a := freireich6MP[:11]
	b := freireich6MP[11:]
	c := freireichPlacebo
	orders := [][][]Lifetime{{a, b, c}, {a, c, b}, {b, a, c}, {b, c, a}, {c, a, b}, {c, b, a}}
	chi0, df0, p0 := LogRank(orders[0])
	if df0 != 2 || !(chi0 > 0) || !(p0 > 0 && p0 < 1) {
		t.Fatalf("3 groups: chi2=%v df=%d p=%v", chi0, df0, p0)
	}
	for i, g := range orders[1:] {
		chi, df, p := LogRank(g)
		if df != 2 || !near(chi, chi0, 1e-9) || !near(p, p0, 1e-12) {
			t.Errorf("order %d: chi2=%v df=%d p=%v, want %v 2 %v", i+1, chi, df, p, chi0, p0)
		}
	}

	// Empty groups are dropped (as survdiff does), leaving the 2-group test.
	chi2, df, _ := LogRank([][]Lifetime{nil, freireich6MP, {}, freireichPlacebo})
	if df != 1 || !near(chi2, 16.79294098921654, 1e-9) {
		t.Errorf("with empty groups: chi2=%v df=%d, want 16.7929 1", chi2, df)
	}
}

func TestLogRankEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		groups [][]Lifetime
		chi2   float64
		df     int
		p      float64
	}{
		{"no groups", nil, math.NaN(), 0, math.NaN()},
		{"one group", [][]Lifetime{freireich6MP}, math.NaN(), 0, math.NaN()},
		{"all censored", [][]Lifetime{{{1, false}, {2, false}}, {{3, false}}}, math.NaN(), 0, math.NaN()},
		// Identical groups: O = E in each, chi2 = 0, p = 1.
		{"identical groups", [][]Lifetime{freireich6MP, freireich6MP}, 0, 1, 1},
		// Second group is censored before the first event, so it is never
		// at risk at an event time: E = 0 and it is excluded.
		{"group never at risk", [][]Lifetime{lifetimesAllEvents(1, 2, 3), {{0.5, false}}}, math.NaN(), 0, math.NaN()},
		// A single shared event time where everyone dies: the hypergeometric
		// variance is zero, so the matrix is singular.
		{"singular variance", [][]Lifetime{{{1, true}}, {{1, true}}}, math.NaN(), 1, math.NaN()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chi2, df, p := LogRank(tc.groups)
			if !near(chi2, tc.chi2, 1e-12) || df != tc.df || !near(p, tc.p, 1e-12) {
				t.Errorf("LogRank = (%v, %d, %v), want (%v, %d, %v)", chi2, df, p, tc.chi2, tc.df, tc.p)
			}
		})
	}
}
