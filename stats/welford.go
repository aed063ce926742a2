package stats

import "math"

// Welford accumulates the count, mean and variance of a stream of values in
// a single pass using Welford's numerically stable update. The zero value is
// an empty accumulator ready to use. It never allocates, so it is cheap
// enough to keep one per tick, per metric, per variant.
//
// NaN values passed to [Welford.Add] are not included in the moments; they
// are counted separately and reported by [Welford.NaNs].
type Welford struct {
	n    int
	nans int
	mean float64
	m2   float64 // sum of squared deviations from the mean
}

// Add incorporates x into the accumulator. NaN values are skipped (and
// counted in NaNs); infinities are accepted and propagate into the moments.
func (w *Welford) Add(x float64) {
	if math.IsNaN(x) {
		w.nans++
		return
	}
	w.n++
	d := x - w.mean
	w.mean += d / float64(w.n)
	w.m2 += d * (x - w.mean)
}

// Merge combines o into w, as if every value added to o had been added to w,
// using the pairwise update of Chan, Golub & LeVeque (1979):
//
//	n = nA + nB, δ = meanB − meanA,
//	mean = meanA + δ·nB/n,  M2 = M2A + M2B + δ²·nA·nB/n.
//
// NaN counts are summed as well.
func (w *Welford) Merge(o Welford) {
	w.nans += o.nans
	switch {
	case o.n == 0:
		return
	case w.n == 0:
		w.n, w.mean, w.m2 = o.n, o.mean, o.m2
		return
	}
	na, nb := float64(w.n), float64(o.n)
	n := na + nb
	delta := o.mean - w.mean
	w.mean += delta * nb / n
	w.m2 += o.m2 + delta*delta*na*nb/n
	w.n += o.n
}

// N returns the number of non-NaN values added.
func (w Welford) N() int { return w.n }

// NaNs returns the number of NaN values that were skipped by Add.
func (w Welford) NaNs() int { return w.nans }

// Mean returns the arithmetic mean of the values, or NaN if N() == 0.
func (w Welford) Mean() float64 {
	if w.n == 0 {
		return math.NaN()
	}
	return w.mean
}

// Var returns the unbiased sample variance (denominator N−1), or NaN if
// N() < 2.
func (w Welford) Var() float64 {
	if w.n < 2 {
		return math.NaN()
	}
	return w.m2 / float64(w.n-1)
}

// SD returns the sample standard deviation sqrt(Var()), or NaN if N() < 2.
func (w Welford) SD() float64 { return math.Sqrt(w.Var()) }

// welfordOf accumulates xs (skipping NaN) into a new Welford.
func welfordOf(xs []float64) Welford {
	var w Welford
	for _, x := range xs {
		w.Add(x)
	}
	return w
}
