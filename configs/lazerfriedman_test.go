package configs_test

import (
	"context"
	"flag"
	"runtime"
	"testing"

	"github.com/smbsim/smbsim/replicate"
	"github.com/smbsim/smbsim/stats"
)

var lfLandscapes = flag.Int("lf.landscapes", 200, "landscapes (seeds) of TestLazerFriedman; make validate-long uses 1000")

// lfCurves runs the built-in lazer-friedman scenario's variants over seeds
// 1…n (replicate.LazerFriedmanCurves).
func lfCurves(tb testing.TB, n int) (names []string, curves [][][]float64) {
	tb.Helper()
	names, curves, err := replicate.LazerFriedmanCurves(context.Background(), n, runtime.GOMAXPROCS(0))
	if err != nil {
		tb.Fatal(err)
	}
	return names, curves
}

// pairedT returns the mean of a−b over seeds at round and its paired t
// statistic (the project's stats.PairedT).
func pairedT(a, b [][]float64, round int) (mean, t float64) {
	x, y := make([]float64, len(a)), make([]float64, len(b))
	for i := range a {
		x[i], y[i] = a[i][round], b[i][round]
	}
	return stats.PairedDiffCI(x, y, 0.95).Mean, stats.PairedT(x, y).Statistic
}

// TestLazerFriedman checks the published pattern on hundreds of
// landscapes: the complete network is ahead in the early rounds, the
// linear network ahead at the end (paired t-tests over the same
// landscapes, |t| > 3.3, two-sided p < 0.001), and reports the crossover
// round: the first round from which the linear network's mean score stays
// at least the complete one's.
func TestLazerFriedman(t *testing.T) {
	n := *lfLandscapes
	if testing.Short() {
		n = 40
	}
	names, curves := lfCurves(t, n)
	if len(names) != 2 || names[0] != "linear" || names[1] != "complete" {
		t.Fatalf("variants %v, want [linear complete]", names)
	}
	lin, comp := curves[0], curves[1]
	rounds := len(lin[0]) - 1
	mean := func(runs [][]float64, r int) float64 {
		s := 0.0
		for _, c := range runs {
			s += c[r]
		}
		return s / float64(len(runs))
	}
	crossover := replicate.LazerFriedmanCrossover(lin, comp)
	for r := 1; r <= rounds; r++ {
		if r <= 10 || r%10 == 0 || r == crossover {
			t.Logf("round %3d: linear %.3f, complete %.3f", r, mean(lin, r), mean(comp, r))
		}
	}
	t.Logf("%d landscapes; crossover at round %d", n, crossover)
	if d, tt := pairedT(comp, lin, 5); tt < 3.3 {
		t.Errorf("round 5: complete − linear = %.3f (t = %.1f), want the complete network ahead", d, tt)
	}
	if d, tt := pairedT(lin, comp, rounds); tt < 3.3 {
		t.Errorf("round %d: linear − complete = %.3f (t = %.1f), want the linear network ahead", rounds, d, tt)
	}
	if crossover < 2 || crossover > rounds {
		t.Errorf("crossover at round %d, want one within the run", crossover)
	}
}
