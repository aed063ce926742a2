package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSmallSampleP(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	coin := []float64{0, 1}
	cases := []struct {
		name      string
		xs        []float64
		k         int
		published float64
		want, tol float64
	}{
		{"at the centre", coin, 10, 0.5, 1, 0},
		{"mean of 10 coins all heads", coin, 10, 1, 2 * math.Pow(0.5, 10), 0.001},
		{"mean of 10 coins ≥ 0.8 away", coin, 10, 0.8, 2 * (1 + 10 + 45) / 1024.0, 0.005},
		{"never seen", []float64{1, 1, 1}, 10, 1.2, 0, 0},
		{"one draw always far", coin, 1, 1, 1, 0},
	}
	for _, c := range cases {
		got := SmallSampleP(c.xs, c.k, Mean, c.published, 200000, rng)
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("%s: P = %.5f, want %.5f ± %g", c.name, got, c.want, c.tol)
		}
	}
	if p := SmallSampleP(nil, 10, Mean, 1, 10, rng); !math.IsNaN(p) {
		t.Errorf("empty sample: P = %v, want NaN", p)
	}
}

func TestSampleRangeAndQuantiles(t *testing.T) {
	xs := []float64{3, 1, 2, math.NaN(), 4}
	if m := Median(xs); m != 2.5 {
		t.Errorf("median %v, want 2.5", m)
	}
	if q := Quantile(xs, 0.5); q != 2.5 {
		t.Errorf("quantile 0.5 = %v, want 2.5", q)
	}
	if q := Quantile(xs, 1); q != 4 {
		t.Errorf("quantile 1 = %v, want 4", q)
	}
	if s := ShareEqual(xs, 1); s != 0.25 {
		t.Errorf("share of 1 = %v, want 0.25", s)
	}
	lo, hi := SampleRange([]float64{0, 1}, 100, Mean, 0.95, 20000, rand.New(rand.NewPCG(3, 4)))
	// Binomial(100, 1/2)/100: 95 % between about 0.40 and 0.60.
	if math.Abs(lo-0.40) > 0.011 || math.Abs(hi-0.60) > 0.011 {
		t.Errorf("95 %% range of 100-coin means [%v, %v], want about [0.40, 0.60]", lo, hi)
	}
}

func TestIntervalHazard(t *testing.T) {
	// Four subjects followed in months: exits at 6 and 18, censored at 12
	// and 30. Year 1: 1 exit over 0.5+1+1+1 = 3.5 years; year 2: 1 exit
	// over 0.5+1 = 1.5; year 3: 0 over 0.5.
	data := []Lifetime{{T: 6, Event: true}, {T: 12}, {T: 18, Event: true}, {T: 30}}
	got := IntervalHazard(data, 12, 4)
	want := []float64{1 / 3.5, 1 / 1.5, 0, math.NaN()}
	for k := range want {
		if math.IsNaN(want[k]) != math.IsNaN(got[k]) || (!math.IsNaN(want[k]) && math.Abs(got[k]-want[k]) > 1e-12) {
			t.Errorf("year %d: %v, want %v", k+1, got[k], want[k])
		}
	}
}
