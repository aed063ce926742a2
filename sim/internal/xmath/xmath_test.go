package xmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAgainstStdlib checks the portable functions agree with package math
// to within a few units in the last place (amd64's assembly math.Exp
// uses a different algorithm and differs by up to 2 ulp) over a wide range of arguments.
func TestAgainstStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ulps := func(a, b float64) float64 {
		if a == b {
			return 0
		}
		return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
	}
	for i := 0; i < 200000; i++ {
		x := (r.Float64() - 0.5) * 1400
		if u := ulps(Exp(x), math.Exp(x)); u > 4 {
			t.Fatalf("Exp(%v) = %v, math.Exp = %v (%v ulp)", x, Exp(x), math.Exp(x), u)
		}
		y := math.Exp((r.Float64() - 0.5) * 1400)
		if u := ulps(Log(y), math.Log(y)); u > 4 {
			t.Fatalf("Log(%v) = %v, math.Log = %v (%v ulp)", y, Log(y), math.Log(y), u)
		}
	}
	for _, c := range []struct{ x, exp, log float64 }{
		{0, 1, math.Inf(-1)},
		{1, math.E, 0},
		{math.Inf(1), math.Inf(1), math.Inf(1)},
	} {
		if Exp(c.x) != c.exp || Log(c.x) != c.log {
			t.Errorf("x=%v: Exp=%v Log=%v, want %v %v", c.x, Exp(c.x), Log(c.x), c.exp, c.log)
		}
	}
	if !math.IsNaN(Log(-1)) {
		t.Error("Log(-1) is not NaN")
	}
}

// TestPinned pins exact bits so that a change of algorithm is noticed: the
// values must be the same on every architecture.
func TestPinned(t *testing.T) {
	if got := math.Float64bits(Exp(1)); got != 0x4005bf0a8b145769 {
		t.Errorf("Exp(1) bits = %#x", got)
	}
	if got := math.Float64bits(Log(10)); got != 0x40026bb1bbb55516 {
		t.Errorf("Log(10) bits = %#x", got)
	}
}
