package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// R: quantile(c(1, 2, 3, 4, 10), c(0, .25, .5, .9, 1)) = 1 2 3 7.6 10.
func TestQuantileAgainstR(t *testing.T) {
	xs := []float64{10, 3, math.NaN(), 1, 4, 2}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {0.25, 2}, {0.5, 3}, {0.9, 7.6}, {1, 10}} {
		checkNear(t, "Quantile", Quantile(xs, c.p), c.want, 1e-12)
	}
	checkNear(t, "Quantile of one value", Quantile([]float64{7}, 0.3), 7, 0)
	checkNear(t, "Quantile of nothing", Quantile([]float64{math.NaN()}, 0.5), math.NaN(), 0)
	checkNear(t, "Quantile p > 1", Quantile(xs, 1.5), math.NaN(), 0)
}

// binomTail returns P(X ≥ k) and P(X ≤ k) for X ~ Binomial(n, p), summed
// term by term (independent of the beta quantiles ClopperPearson uses).
func binomTail(k, n int, p float64) (ge, le float64) {
	for x := 0; x <= n; x++ {
		lg, _ := math.Lgamma(float64(n + 1))
		l1, _ := math.Lgamma(float64(x + 1))
		l2, _ := math.Lgamma(float64(n - x + 1))
		pr := math.Exp(lg - l1 - l2 + float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
		if x >= k {
			ge += pr
		}
		if x <= k {
			le += pr
		}
	}
	return ge, le
}

func TestClopperPearson(t *testing.T) {
	// R: binom.test(5, 50)$conf.int = 0.03327509 0.21813537.
	pr := ClopperPearson(5, 50, 0.95)
	checkNear(t, "P", pr.P, 0.1, 0)
	checkNear(t, "Low(5, 50)", pr.Low, 0.03327509, 1e-7)
	checkNear(t, "High(5, 50)", pr.High, 0.21813537, 1e-7)
	// Closed forms at the edges: k = 0 gives [0, 1 − (α/2)^(1/n)], k = n
	// gives [(α/2)^(1/n), 1].
	for _, n := range []int{1, 10, 50, 200} {
		z, all := ClopperPearson(0, n, 0.95), ClopperPearson(n, n, 0.95)
		checkNear(t, "Low(0, n)", z.Low, 0, 0)
		checkNear(t, "High(0, n)", z.High, 1-math.Pow(0.025, 1/float64(n)), 1e-9)
		checkNear(t, "Low(n, n)", all.Low, math.Pow(0.025, 1/float64(n)), 1e-9)
		checkNear(t, "High(n, n)", all.High, 1, 0)
	}
	// The defining property: at Low, P(X ≥ k) = α/2; at High, P(X ≤ k) = α/2.
	for _, c := range []struct{ k, n int }{{1, 10}, {3, 20}, {12, 50}, {49, 50}, {33, 200}} {
		for _, level := range []float64{0.9, 0.95, 0.99} {
			pr := ClopperPearson(c.k, c.n, level)
			ge, _ := binomTail(c.k, c.n, pr.Low)
			_, le := binomTail(c.k, c.n, pr.High)
			checkNear(t, "P(X ≥ k | Low)", ge, (1-level)/2, 1e-8)
			checkNear(t, "P(X ≤ k | High)", le, (1-level)/2, 1e-8)
		}
	}
	empty := ClopperPearson(0, 0, 0.95)
	if !math.IsNaN(empty.P) || !math.IsNaN(empty.Low) || !math.IsNaN(empty.High) {
		t.Errorf("ClopperPearson(0, 0) = %+v, want NaNs", empty)
	}
	expectPanic(t, "k > n", func() { ClopperPearson(3, 2, 0.95) })
	expectPanic(t, "level 1", func() { ClopperPearson(1, 2, 1) })
}

func TestExceedance(t *testing.T) {
	xs := []float64{0.1, 0.5, math.NaN(), 0.2, 0.6, 0.2}
	pr := Exceedance(xs, 0.2, 0.95) // strictly above: 0.5 and 0.6
	if pr.K != 2 || pr.N != 5 {
		t.Errorf("Exceedance = %d of %d, want 2 of 5", pr.K, pr.N)
	}
	want := ClopperPearson(2, 5, 0.95)
	if pr != want {
		t.Errorf("Exceedance = %+v, want %+v", pr, want)
	}
}

func TestExpectedShortfall(t *testing.T) {
	xs := make([]float64, 50)
	for i := range xs {
		xs[49-i] = float64(i + 1) // 50, 49, …, 1: the order does not matter
	}
	checkNear(t, "ES 10% of 1..50", ExpectedShortfall(xs, 0.1), 48, 1e-12) // mean of 46..50
	checkNear(t, "ES 100%", ExpectedShortfall(xs, 1), 25.5, 1e-12)
	checkNear(t, "ES of 7 values, 10%", ExpectedShortfall([]float64{3, 9, 1, 4, 1, 5, 9.5}, 0.1), 9.5, 0) // ⌈0.7⌉ = 1 value
	checkNear(t, "ES 30% of 7", ExpectedShortfall([]float64{3, 9, 1, 4, 1, 5, 9.5}, 0.3), (9.5+9+5)/3, 1e-12)
	checkNear(t, "ES of nothing", ExpectedShortfall(nil, 0.1), math.NaN(), 0)
	expectPanic(t, "tail 0", func() { ExpectedShortfall(xs, 0) })
}

func TestShortfallCI(t *testing.T) {
	xs := make([]float64, 60)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range xs {
		xs[i] = r.ExpFloat64()
	}
	a := ShortfallCI(xs, 0.1, 0.95, 500, rand.New(rand.NewPCG(7, 7)))
	b := ShortfallCI(xs, 0.1, 0.95, 500, rand.New(rand.NewPCG(7, 7)))
	if a != b {
		t.Errorf("same stream, different intervals: %+v, %+v", a, b)
	}
	if a.Value != ExpectedShortfall(xs, 0.1) || !(a.Low < a.Value && a.Value < a.High) {
		t.Errorf("ShortfallCI = %+v, want Low < ES %v < High", a, ExpectedShortfall(xs, 0.1))
	}
	// The bootstrap shortfall can never exceed the sample's maximum.
	if mx := Quantile(xs, 1); a.High > mx {
		t.Errorf("High %v above the maximum %v", a.High, mx)
	}
	c := ShortfallCI([]float64{2, 2, 2, 2}, 0.1, 0.95, 50, rand.New(rand.NewPCG(1, 1)))
	if c != (Estimate{2, 2, 2}) {
		t.Errorf("constant sample: %+v, want {2 2 2}", c)
	}
	one := ShortfallCI([]float64{3}, 0.1, 0.95, 50, rand.New(rand.NewPCG(1, 1)))
	if one.Value != 3 || !math.IsNaN(one.Low) || !math.IsNaN(one.High) {
		t.Errorf("one value: %+v, want 3 with no interval", one)
	}
}

func mean(xs []float64) float64 { return welfordOf(xs).Mean() }

func TestPairedContrast(t *testing.T) {
	// Three pairs with differences 1, 2, 3: of the 8 relabellings (sign
	// flips) only all-positive and all-negative give |mean difference| ≥ 2,
	// so the exact permutation p is 2/8.
	a, b := []float64{1, 2, 3}, []float64{0, 0, 0}
	c := PairedContrast(a, b, mean, 0.95, 20000, rand.New(rand.NewPCG(3, 4)))
	checkNear(t, "Diff", c.Diff, 2, 1e-12)
	checkNear(t, "permutation p", c.P, 0.25, 0.015)
	if c.N != 3 || !(c.Low >= 1 && c.High <= 3 && c.Low < c.High) {
		t.Errorf("contrast %+v: want N 3 and a bootstrap interval inside [1, 3]", c)
	}
	// A constant shift of 1 over 20 pairs: interval [1, 1]; only the two
	// all-same relabellings reach |1|, so p is about 1/(1 + resamples).
	x, y := make([]float64, 21), make([]float64, 21)
	for i := range x {
		y[i] = float64(i * i)
		x[i] = y[i] + 1
	}
	x[20] = math.NaN() // an unmeasured pair is left out
	s := PairedContrast(x, y, mean, 0.95, 999, rand.New(rand.NewPCG(5, 6)))
	if s.N != 20 || !near(s.Diff, 1, 1e-9) || !near(s.Low, 1, 1e-9) || !near(s.High, 1, 1e-9) || s.P > 0.003 {
		t.Errorf("shift: %+v, want N 20, Diff = Low = High = 1, P ≤ 0.003", s)
	}
	// Identical samples: no difference, p = 1.
	z := PairedContrast(y, y, func(v []float64) float64 { return ExpectedShortfall(v, 0.1) }, 0.95, 200, rand.New(rand.NewPCG(1, 1)))
	if z.Diff != 0 || z.P != 1 {
		t.Errorf("identical: %+v, want Diff 0, P 1", z)
	}
	expectPanic(t, "lengths", func() { PairedContrast(a, y, mean, 0.95, 10, rand.New(rand.NewPCG(1, 1))) })
}

// CoFailure on constructed populations whose answer is known.
func TestCoFailure(t *testing.T) {
	// Four groups of 250 units, 100 failures.
	group := make([]uint64, 1000)
	for i := range group {
		group[i] = uint64(i / 250)
	}
	pn := 4 * 250.0 * 249 / (1000 * 999)
	failed := func(pick func(i int) bool) []bool {
		f := make([]bool, len(group))
		for i := range f {
			f[i] = pick(i)
		}
		return f
	}
	// All failures in one group: κ = 1.
	checkNear(t, "all in one group", CoFailure(group, failed(func(i int) bool { return i < 100 })), 1, 1e-12)
	// 25 failures in each group: P_K = 4·25·24/(100·99).
	even := (4*25.0*24/(100*99) - pn) / (1 - pn)
	checkNear(t, "evenly spread", CoFailure(group, failed(func(i int) bool { return i%250 < 25 })), even, 1e-12)
	if !(even < 0 && even > -0.02) {
		t.Errorf("evenly spread κ = %v, want slightly below 0 (more even than random)", even)
	}
	// Failures drawn at random: κ averages 0 (exactly, in expectation of
	// P_K); over 400 draws the mean is within 3 standard errors of 0.
	r := rand.New(rand.NewPCG(11, 12))
	var w Welford
	for range 400 {
		perm := r.Perm(len(group))
		f := make([]bool, len(group))
		for _, i := range perm[:100] {
			f[i] = true
		}
		w.Add(CoFailure(group, f))
	}
	if m, se := w.Mean(), w.SD()/20; math.Abs(m) > 3*se {
		t.Errorf("random failures: mean κ %v ± %v, want 0", m, se)
	}
	// Two failures in different groups of two: P_K = 0.
	checkNear(t, "two groups", CoFailure([]uint64{1, 1, 2, 2}, []bool{true, false, true, false}), (0-1.0/3)/(1-1.0/3), 1e-12)
	checkNear(t, "one failure", CoFailure([]uint64{1, 2}, []bool{true, false}), math.NaN(), 0)
	checkNear(t, "one group", CoFailure([]uint64{5, 5, 5}, []bool{true, true, false}), math.NaN(), 0)
	expectPanic(t, "lengths", func() { CoFailure([]uint64{1}, nil) })
}
