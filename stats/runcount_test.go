package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRelHalfWidth(t *testing.T) {
	if got := RelHalfWidth(Interval{Mean: -2, Low: -3, High: -1}); got != 0.5 {
		t.Errorf("RelHalfWidth = %v, want 0.5", got)
	}
	if got := RelHalfWidth(Interval{Mean: 0, Low: -1, High: 1}); !math.IsNaN(got) {
		t.Errorf("zero mean: %v, want NaN", got)
	}
}

// SeedsForPrecision inverts the t-interval: with the n it returns, the
// half-width is within the precision, with n − 1 it is not.
func TestSeedsForPrecision(t *testing.T) {
	for _, c := range []struct{ mean, sd, p float64 }{{10, 3, 0.1}, {0.08, 0.05, 0.1}, {5, 1, 0.05}} {
		n := SeedsForPrecision(c.mean, c.sd, c.p, 0.95)
		half := func(n int) float64 { return tQuantile(0.975, float64(n-1)) * c.sd / math.Sqrt(float64(n)) }
		if half(n) > c.p*c.mean || n > 2 && half(n-1) <= c.p*c.mean {
			t.Errorf("%+v: n = %d does not invert the interval", c, n)
		}
	}
	// Worked: sd/mean = 0.3, precision 0.1: n ≈ (1.96·3)² ≈ 35; with t,
	// 38 (t_{0.975,36}·3/√37 = 1.0002 > 1).
	if n := SeedsForPrecision(10, 3, 0.1, 0.95); n != 38 {
		t.Errorf("SeedsForPrecision(10, 3, 0.1) = %d, want 38", n)
	}
}

// Power: for an effect of d_z = 0.5 a paired t-test at α = 0.05 needs 34
// pairs for 80 % power (Cohen 1988; G*Power gives 34).
func TestPairedPowerSeeds(t *testing.T) {
	// Differences with mean 0.5 and SD 1 exactly.
	diffs := []float64{0.5 - 1, 0.5 + 1, 0.5 - 1, 0.5 + 1}
	w := welfordOf(diffs)
	scale := 1 / w.SD()
	for i := range diffs {
		diffs[i] = 0.5 + (diffs[i]-0.5)*scale
	}
	if n := PairedPowerSeeds(diffs, 0.8, 0.05); n < 33 || n > 35 {
		t.Errorf("PairedPowerSeeds(d_z = 0.5) = %d, want 34 ± 1", n)
	}
	if n := PairedPowerSeeds([]float64{1, 1, 1}, 0.8, 0.05); n != 0 {
		t.Errorf("zero SD: %d, want 0", n)
	}
}

// The CV of a large sample settles: its drift is small; a sample whose
// second half has another spread drifts.
func TestCVDrift(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([]float64, 400)
	for i := range xs {
		xs[i] = 10 + rng.NormFloat64()
	}
	if d := CVDrift(xs); d > 0.1 {
		t.Errorf("settled sample: drift %.3f, want ≤ 0.1", d)
	}
	ys := append([]float64{10, 10.1, 9.9, 10, 10.1, 9.9}, 5, 15, 4, 16, 3, 17)
	if d := CVDrift(ys); d < 0.5 {
		t.Errorf("unsettled sample: drift %.3f, want ≥ 0.5", d)
	}
}
