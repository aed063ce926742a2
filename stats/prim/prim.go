// Package prim finds boxes in a space of inputs where a condition on the
// outputs holds unusually often: the Patient Rule Induction Method of
// Friedman and Fisher (1999), as used for scenario discovery (Bryant and
// Lempert 2010), with the EMA Workbench's defaults (peel α = 0.05, paste
// α = 0.05, minimum mass 0.05).
package prim

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/smbsim/smbsim/stats"
)

// Options are PRIM's settings; zero fields take the defaults.
type Options struct {
	PeelAlpha  float64 // share of the box's points peeled off per step (0.05)
	PasteAlpha float64 // share of the box's points added per pasting step (0.05)
	MinMass    float64 // peeling stops before the box holds less than this share of all points (0.05)
}

func (o Options) withDefaults() Options {
	if o.PeelAlpha <= 0 {
		o.PeelAlpha = 0.05
	}
	if o.PasteAlpha <= 0 {
		o.PasteAlpha = 0.05
	}
	if o.MinMass <= 0 {
		o.MinMass = 0.05
	}
	return o
}

// Box holds each input's limits [Low[i], High[i]] (inclusive).
type Box struct{ Low, High []float64 }

func (b Box) contains(x []float64) bool {
	for i, v := range x {
		if v < b.Low[i] || v > b.High[i] {
			return false
		}
	}
	return true
}

func (b Box) clone() Box { return Box{slices.Clone(b.Low), slices.Clone(b.High)} }

// Step is one box of the peeling trajectory (or the pasted box) with its
// statistics: coverage = cases in the box / all cases, density = cases in
// the box / points in the box, mass = points in the box / all points.
type Step struct {
	Box                     Box
	Coverage, Density, Mass float64
	N                       int // points in the box
}

// Result is a PRIM run: the peeling trajectory (step 0 = every point),
// the index of the chosen step (the largest [F]), and the chosen box
// after pasting.
type Result struct {
	Trajectory []Step
	Chosen     int
	Box        Step // the chosen box, pasted
	Cases      int  // points where the condition holds
}

// Find runs PRIM on points x (n rows of d inputs) with y[i] whether the
// condition holds at point i.
func Find(x [][]float64, y []bool, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	n := len(x)
	if n == 0 || len(y) != n {
		return nil, fmt.Errorf("prim: %d points and %d outcomes", n, len(y))
	}
	pts := points{x: x, y: y, opt: opt}
	for _, v := range y {
		if v {
			pts.cases++
		}
	}
	if pts.cases == 0 {
		return nil, errors.New("prim: the condition holds at no point: nothing to find")
	}
	res := &Result{Cases: pts.cases, Trajectory: []Step{pts.stat(pts.bounds())}}
	for {
		next, ok := pts.peel(res.Trajectory[len(res.Trajectory)-1])
		if !ok {
			break
		}
		res.Trajectory = append(res.Trajectory, next)
	}
	// The box that best balances coverage and density: the largest
	// harmonic mean of the two (the larger box on ties). The EMA
	// Workbench leaves this choice to its user; the trajectory is kept
	// for a reader who weighs them otherwise.
	for i, s := range res.Trajectory {
		if F(s) > F(res.Trajectory[res.Chosen]) {
			res.Chosen = i
		}
	}
	res.Box = pts.paste(res.Trajectory[res.Chosen])
	return res, nil
}

// points are PRIM's data: the inputs, whether the condition holds at each,
// the number of points where it does, and the options.
type points struct {
	x     [][]float64
	y     []bool
	cases int
	opt   Options
}

// bounds is the smallest box holding every point.
func (pts *points) bounds() Box {
	d := len(pts.x[0])
	box := Box{make([]float64, d), make([]float64, d)}
	for j := range d {
		box.Low[j], box.High[j] = math.Inf(1), math.Inf(-1)
		for _, p := range pts.x {
			box.Low[j], box.High[j] = min(box.Low[j], p[j]), max(box.High[j], p[j])
		}
	}
	return box
}

// stat is box b with its points, mass, coverage and density.
func (pts *points) stat(b Box) Step {
	in, hit := 0, 0
	for i, p := range pts.x {
		if b.contains(p) {
			in++
			if pts.y[i] {
				hit++
			}
		}
	}
	s := Step{Box: b, N: in, Mass: float64(in) / float64(len(pts.x)), Coverage: float64(hit) / float64(pts.cases), Density: math.NaN()}
	if in > 0 {
		s.Density = float64(hit) / float64(in)
	}
	return s
}

// peel returns the densest box left after peeling about PeelAlpha of the
// points of cur off one side of one input (the larger box on ties), and
// false when no peel keeps MinMass and removes a point.
func (pts *points) peel(cur Step) (Step, bool) {
	var inside [][]float64
	for _, p := range pts.x {
		if cur.Box.contains(p) {
			inside = append(inside, p)
		}
	}
	best, found := Step{Density: math.Inf(-1)}, false
	for j := range cur.Box.Low {
		vals := make([]float64, len(inside))
		for k, p := range inside {
			vals[k] = p[j]
		}
		slices.Sort(vals)
		for _, low := range []bool{true, false} {
			nb, ok := peelSide(cur.Box, j, vals, low, pts.opt.PeelAlpha)
			if !ok {
				continue
			}
			s := pts.stat(nb)
			if s.Mass < pts.opt.MinMass || s.N == 0 || s.N == cur.N {
				continue
			}
			if s.Density > best.Density || s.Density == best.Density && s.Mass > best.Mass {
				best, found = s, true
			}
		}
	}
	return best, found
}

// peelSide returns box with the alpha-quantile of vals (the sorted values of
// input j inside it) as its new low side (or the 1−alpha quantile as its
// high side), and false when every value is the same.
func peelSide(box Box, j int, vals []float64, low bool, alpha float64) (Box, bool) {
	nb := box.clone()
	if low {
		q := stats.Quantile(vals, alpha)
		// Peel the points below q (all those equal to the minimum when the
		// quantile is the minimum).
		if q <= vals[0] {
			q = nextAbove(vals, vals[0])
			if math.IsNaN(q) {
				return nb, false
			}
		}
		nb.Low[j] = q
		return nb, true
	}
	q := stats.Quantile(vals, 1-alpha)
	if q >= vals[len(vals)-1] {
		q = nextBelow(vals, vals[len(vals)-1])
		if math.IsNaN(q) {
			return nb, false
		}
	}
	nb.High[j] = q
	return nb, true
}

// F is the harmonic mean of a box's coverage and density (0 for an
// empty box).
func F(s Step) float64 {
	if !(s.Coverage > 0 && s.Density > 0) {
		return 0
	}
	return 2 * s.Coverage * s.Density / (s.Coverage + s.Density)
}

// paste widens the box, one input side at a time, by about PasteAlpha of
// its points while that raises the density.
func (pts *points) paste(s Step) Step {
	x, opt, stat := pts.x, pts.opt, pts.stat
	for {
		best, found := s, false
		add := max(1, int(math.Round(opt.PasteAlpha*float64(s.N))))
		for j := range s.Box.Low {
			// The nearest values outside the box along j among points
			// inside the box in every other input.
			var below, above []float64
			for _, p := range x {
				ok := true
				for k, v := range p {
					if k != j && (v < s.Box.Low[k] || v > s.Box.High[k]) {
						ok = false
						break
					}
				}
				if !ok {
					continue
				}
				if p[j] < s.Box.Low[j] {
					below = append(below, p[j])
				} else if p[j] > s.Box.High[j] {
					above = append(above, p[j])
				}
			}
			slices.Sort(below)
			slices.Sort(above)
			if len(below) > 0 {
				nb := s.Box.clone()
				nb.Low[j] = below[max(0, len(below)-add)]
				if c := stat(nb); c.Density > best.Density {
					best, found = c, true
				}
			}
			if len(above) > 0 {
				nb := s.Box.clone()
				nb.High[j] = above[min(len(above)-1, add-1)]
				if c := stat(nb); c.Density > best.Density {
					best, found = c, true
				}
			}
		}
		if !found {
			return s
		}
		s = best
	}
}

// nextAbove is the smallest value of sorted xs above v (NaN if none).
func nextAbove(xs []float64, v float64) float64 {
	for _, x := range xs {
		if x > v {
			return x
		}
	}
	return math.NaN()
}

// nextBelow is the largest value of sorted xs below v (NaN if none).
func nextBelow(xs []float64, v float64) float64 {
	for i := len(xs) - 1; i >= 0; i-- {
		if xs[i] < v {
			return xs[i]
		}
	}
	return math.NaN()
}

// Restricted lists the inputs whose limits in b are narrower than in the
// whole data (the trajectory's first box).
func (r *Result) Restricted(b Box) []int {
	all := r.Trajectory[0].Box
	var out []int
	for j := range b.Low {
		if b.Low[j] > all.Low[j] || b.High[j] < all.High[j] {
			out = append(out, j)
		}
	}
	return out
}
