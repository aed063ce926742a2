package prim

import (
	"math/rand/v2"
	"testing"
)

// Points uniform in [0,1]³; the condition holds inside the box
// x0 > 0.6, x1 < 0.4 (any x2), with 5 % label noise. PRIM must find a box
// close to it, restrict x0 and x1 but not x2, with coverage and density
// near the best the noise allows.
func TestFindKnownBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		x[i] = []float64{rng.Float64(), rng.Float64(), rng.Float64()}
		y[i] = x[i][0] > 0.6 && x[i][1] < 0.4
		if rng.Float64() < 0.05 {
			y[i] = !y[i]
		}
	}
	r, err := Find(x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := r.Box
	if b.Box.Low[0] < 0.55 || b.Box.Low[0] > 0.65 || b.Box.High[1] < 0.35 || b.Box.High[1] > 0.45 {
		t.Errorf("box x0 ≥ %.3f, x1 ≤ %.3f; want about 0.6 and 0.4", b.Box.Low[0], b.Box.High[1])
	}
	if got := r.Restricted(b.Box); len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Errorf("restricted inputs %v, want [0 1]", got)
	}
	// The box holds 16 % of the points; with the noise, 0.95·16 % of
	// all points are cases inside it and 0.05·84 % outside: the best
	// coverage is about 0.78, the best density about 0.95.
	if b.Coverage < 0.72 || b.Density < 0.88 {
		t.Errorf("coverage %.2f, density %.2f; want ≥ 0.72 and ≥ 0.88", b.Coverage, b.Density)
	}
	if m := b.Mass; m < 0.13 || m > 0.19 {
		t.Errorf("mass %.2f, want about 0.16", m)
	}
	// The trajectory starts with every point and shrinks, never below
	// the minimum mass.
	if r.Trajectory[0].Mass != 1 || r.Trajectory[0].Coverage != 1 {
		t.Errorf("first step %+v, want mass and coverage 1", r.Trajectory[0])
	}
	for i, s := range r.Trajectory[1:] {
		if s.Mass < 0.05 || s.N >= r.Trajectory[i].N {
			t.Errorf("step %d: mass %.3f, %d points after %d", i+1, s.Mass, s.N, r.Trajectory[i].N)
		}
	}
}

func TestFindNoCases(t *testing.T) {
	if _, err := Find([][]float64{{1}, {2}}, []bool{false, false}, Options{}); err == nil {
		t.Error("no error when the condition never holds")
	}
}
