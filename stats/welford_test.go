package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestWelfordMatchesTwoPass(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name   string
		n      int
		offset float64
		scale  float64
		relTol float64 // relative tolerance on Var
	}{
		{"small", 7, 0, 1, 1e-12},
		{"medium", 1000, 3, 10, 1e-12},
		// Condition number (mean/SD)² = 1e16: naive Σx² − n·mean² loses
		// every digit here; Welford keeps about 8 of them.
		{"large offset", 5000, 1e6, 1e-2, 1e-7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xs := make([]float64, tc.n)
			var w Welford
			for i := range xs {
				xs[i] = tc.offset + tc.scale*rng.NormFloat64()
				w.Add(xs[i])
			}
			mean, variance := stat.MeanVariance(xs, nil) // two-pass, n-1 denominator
			if w.N() != tc.n {
				t.Fatalf("N = %d, want %d", w.N(), tc.n)
			}
			checkNear(t, "Mean", w.Mean(), mean, 1e-12*math.Max(1, math.Abs(mean)))
			checkNear(t, "Var", w.Var(), variance, tc.relTol*variance)
			checkNear(t, "SD", w.SD(), math.Sqrt(variance), tc.relTol*math.Sqrt(variance))
		})
	}
}

func TestWelfordKnown(t *testing.T) {
	// 2,4,4,4,5,5,7,9: mean 5, sum of squared deviations 32, var 32/7.
	var w Welford
	for _, x := range []float64{2, 4, 4, 4, 5, 5, 7, 9} {
		w.Add(x)
	}
	checkNear(t, "Mean", w.Mean(), 5, 1e-15)
	checkNear(t, "Var", w.Var(), 32.0/7, 1e-14)
}

func TestWelfordMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 1001)
	for i := range xs {
		xs[i] = 50 + 20*rng.ExpFloat64()
	}
	for _, split := range []int{0, 1, 2, 500, 1000, 1001} {
		var all, a, b Welford
		for i, x := range xs {
			all.Add(x)
			if i < split {
				a.Add(x)
			} else {
				b.Add(x)
			}
		}
		a.Merge(b)
		if a.N() != all.N() {
			t.Errorf("split %d: N = %d, want %d", split, a.N(), all.N())
		}
		checkNear(t, "merged Mean", a.Mean(), all.Mean(), 1e-12*math.Abs(all.Mean()))
		checkNear(t, "merged Var", a.Var(), all.Var(), 1e-12*all.Var())
	}
}

func TestWelfordNaNAndEdge(t *testing.T) {
	var w Welford
	if !math.IsNaN(w.Mean()) || !math.IsNaN(w.Var()) || !math.IsNaN(w.SD()) || w.N() != 0 {
		t.Errorf("empty Welford: N=%d Mean=%v Var=%v", w.N(), w.Mean(), w.Var())
	}
	w.Add(math.NaN())
	w.Add(3)
	if w.N() != 1 || w.NaNs() != 1 || w.Mean() != 3 || !math.IsNaN(w.Var()) {
		t.Errorf("after NaN,3: N=%d NaNs=%d Mean=%v Var=%v", w.N(), w.NaNs(), w.Mean(), w.Var())
	}
	w.Add(5)
	w.Add(math.NaN())
	checkNear(t, "Mean", w.Mean(), 4, 0)
	checkNear(t, "Var", w.Var(), 2, 0)
	var o Welford
	o.Add(math.NaN())
	w.Merge(o) // merging an accumulator with only NaNs
	if w.N() != 2 || w.NaNs() != 3 {
		t.Errorf("after merge: N=%d NaNs=%d, want 2, 3", w.N(), w.NaNs())
	}
	var e Welford
	e.Merge(w) // merging into an empty accumulator copies
	if e != w {
		t.Errorf("empty.Merge(w) = %+v, want %+v", e, w)
	}
}

func TestWelfordNoAlloc(t *testing.T) {
	var w, o Welford
	o.Add(1)
	allocs := testing.AllocsPerRun(100, func() {
		w.Add(1.5)
		w.Add(math.NaN())
		w.Merge(o)
		_ = w.Mean() + w.Var() + w.SD() + float64(w.N())
	})
	if allocs != 0 {
		t.Errorf("Welford allocates %v times per run", allocs)
	}
}

func TestTInterval(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name  string
		xs    []float64
		level float64
		want  Interval
		tol   float64
	}{
		// 1..5: mean 3, SD sqrt(2.5); half-width t_{0.975,4}·SD/sqrt(5)
		// = 2.7764451052 · sqrt(0.5) = 1.9632431615.
		{"1..5", []float64{1, 2, 3, 4, 5}, 0.95,
			Interval{N: 5, Mean: 3, SD: math.Sqrt(2.5), Low: 3 - 1.963243161, High: 3 + 1.963243161}, 1e-8},
		// R: t.test(sleep$extra[sleep$group == 1]) gives mean 0.75 and
		// 95% CI -0.5297804 2.0297804 (t_{0.975,9} = 2.262157, SE = 0.5657345).
		{"sleep group 1", sleep1, 0.95,
			Interval{N: 10, Mean: 0.75, SD: math.Sqrt(3.2005555555555556), Low: -0.5297804, High: 2.0297804}, 1e-7},
		// 90%: t_{0.95,4} = 2.131847; half = 2.131847·sqrt(0.5) = 1.507443.
		{"1..5 90%", []float64{1, 2, 3, 4, 5}, 0.90,
			Interval{N: 5, Mean: 3, SD: math.Sqrt(2.5), Low: 3 - 1.507443, High: 3 + 1.507443}, 1e-6},
		{"NaN skipped", []float64{1, nan, 2, 3, 4, 5}, 0.95,
			Interval{N: 5, Mean: 3, SD: math.Sqrt(2.5), Low: 3 - 1.963243161, High: 3 + 1.963243161}, 1e-8},
		{"zero SD", []float64{2, 2, 2}, 0.95, Interval{N: 3, Mean: 2, SD: 0, Low: 2, High: 2}, 0},
		{"n=1", []float64{7}, 0.95, Interval{N: 1, Mean: 7, SD: nan, Low: nan, High: nan}, 0},
		{"n=0", nil, 0.95, Interval{N: 0, Mean: nan, SD: nan, Low: nan, High: nan}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MeanCI(tc.xs, tc.level)
			if got.N != tc.want.N {
				t.Errorf("N = %d, want %d", got.N, tc.want.N)
			}
			checkNear(t, "Mean", got.Mean, tc.want.Mean, tc.tol)
			checkNear(t, "SD", got.SD, tc.want.SD, tc.tol)
			checkNear(t, "Low", got.Low, tc.want.Low, tc.tol)
			checkNear(t, "High", got.High, tc.want.High, tc.tol)
		})
	}
}

func TestTQuantileKnown(t *testing.T) {
	// Textbook Student-t table values.
	checkNear(t, "t_{0.975,4}", tQuantile(0.975, 4), 2.776445105, 1e-8)
	checkNear(t, "t_{0.975,9}", tQuantile(0.975, 9), 2.262157163, 1e-8)
	checkNear(t, "t_{0.95,4}", tQuantile(0.95, 4), 2.131846786, 1e-8)
	checkNear(t, "z_{0.975}", zQuantile(0.975), 1.959963985, 1e-8)
}

func TestLevelPanics(t *testing.T) {
	for _, level := range []float64{0, 1, -0.5, 95, math.NaN()} {
		expectPanic(t, "MeanCI", func() { MeanCI([]float64{1, 2, 3}, level) })
		expectPanic(t, "KaplanMeier", func() { KaplanMeier([]Lifetime{{1, true}}, level) })
		expectPanic(t, "DiffCI", func() { DiffCI([]float64{1, 2}, []float64{1, 2}, level) })
		expectPanic(t, "CliffsDeltaCI", func() { CliffsDeltaCI([]float64{1, 2}, []float64{1, 2}, level) })
	}
}
