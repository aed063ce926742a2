package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/smbsim/smbsim/stats"
)

// SaltelliRows is the number of model evaluations of a Saltelli design
// with n base samples and d parameters: n·(d+2), or n·(2d+2) with
// second-order indices.
func SaltelliRows(n, d int, second bool) int {
	if second {
		return n * (2*d + 2)
	}
	return n * (d + 2)
}

// SaltelliDesign returns the points of a Saltelli (2002, 2010) design in
// [0, 1)^d: n base samples of a 2d-dimensional Sobol' sequence (scrambled
// with rng; nil gives the plain sequence) split into matrices A (the first
// d coordinates) and B (the last d). For base sample j the rows are, in
// order: A_j; AB_j^(1), …, AB_j^(d) (A_j with coordinate i taken from B_j);
// with second order BA_j^(1), …, BA_j^(d) (B_j with coordinate i from A_j);
// and B_j — the row order of SALib's saltelli.sample. The rows share one
// backing array. Choose n a power of two to keep the Sobol' net balanced.
func SaltelliDesign(n, d int, second bool, rng *rand.Rand) ([][]float64, error) {
	if n < 2 {
		return nil, fmt.Errorf("sensitivity: a Saltelli design needs at least 2 base samples, got %d", n)
	}
	if d < 1 || 2*d > MaxSobolDims {
		return nil, fmt.Errorf("sensitivity: a Saltelli design of %d parameters: want 1 to %d", d, MaxSobolDims/2)
	}
	base, err := SobolPoints(n, 2*d, rng)
	if err != nil {
		return nil, err
	}
	rows := SaltelliRows(n, d, second)
	backing := make([]float64, rows*d)
	out := make([][]float64, rows)
	for i := range out {
		out[i] = backing[i*d : (i+1)*d : (i+1)*d]
	}
	r := 0
	for _, x := range base {
		a, b := x[:d], x[d:]
		copy(out[r], a)
		r++
		for i := range d {
			copy(out[r], a)
			out[r][i] = b[i]
			r++
		}
		if second {
			for i := range d {
				copy(out[r], b)
				out[r][i] = a[i]
				r++
			}
		}
		copy(out[r], b)
		r++
	}
	return out, nil
}

// SobolIndices are the Sobol' indices of one output.
type SobolIndices struct {
	S1, ST []stats.Estimate   // first-order and total index of each parameter
	S2     [][]stats.Estimate // with second order: S2[i][j] for i < j; nil otherwise
	Var    float64            // the output variance over the A and B rows
}

// SobolAnalysis estimates the Sobol' indices from y, the outputs of a
// [SaltelliDesign] in its row order: first order by Saltelli et al.
// (2010), S_i = mean(f(B)·(f(AB_i) − f(A))) / V; total by Jansen (1999),
// ST_i = mean((f(A) − f(AB_i))²) / (2V); second order, if asked, by
// Saltelli (2002) as in SALib: V_ij = mean(f(BA_i)·f(AB_j) − f(A)·f(B)),
// S_ij = V_ij/V − S_i − S_j. V is the variance of the A and B outputs
// together. Intervals are percentile bootstrap intervals over resamples
// resamplings of the base samples (drawn with rng) at the given level.
// NaN outputs are an error: a design point without a value cannot be
// analysed.
func SobolAnalysis(y []float64, d int, second bool, resamples int, level float64, rng *rand.Rand) (SobolIndices, error) {
	step := d + 2
	if second {
		step = 2*d + 2
	}
	if d < 1 || len(y) == 0 || len(y)%step != 0 {
		return SobolIndices{}, fmt.Errorf("sensitivity: %d outputs do not form a Saltelli design of %d parameters (a multiple of %d)", len(y), d, step)
	}
	if slices.ContainsFunc(y, math.IsNaN) {
		return SobolIndices{}, errors.New("sensitivity: an output of the design is missing (NaN)")
	}
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("sensitivity: confidence level %v not in (0, 1)", level))
	}
	n := len(y) / step
	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	est := func(idx []int) (s1, st []float64, s2 [][]float64, v float64) {
		return sobolOnce(y, d, second, step, idx)
	}
	s1, st, s2, v := est(all)
	res := SobolIndices{S1: make([]stats.Estimate, d), ST: make([]stats.Estimate, d), Var: v}
	boot1 := make([][]float64, d)
	bootT := make([][]float64, d)
	var boot2 [][][]float64
	if second {
		boot2 = make([][][]float64, d)
		for i := range boot2 {
			boot2[i] = make([][]float64, d)
		}
	}
	idx := make([]int, n)
	for range resamples {
		for j := range idx {
			idx[j] = rng.IntN(n)
		}
		b1, bT, b2, _ := est(idx)
		for i := range d {
			boot1[i] = append(boot1[i], b1[i])
			bootT[i] = append(bootT[i], bT[i])
			if second {
				for k := i + 1; k < d; k++ {
					boot2[i][k] = append(boot2[i][k], b2[i][k])
				}
			}
		}
	}
	for i := range d {
		res.S1[i] = withInterval(s1[i], boot1[i], level)
		res.ST[i] = withInterval(st[i], bootT[i], level)
	}
	if second {
		res.S2 = make([][]stats.Estimate, d)
		for i := range d {
			res.S2[i] = make([]stats.Estimate, d)
			for k := range d {
				res.S2[i][k] = stats.Estimate{Value: math.NaN(), Low: math.NaN(), High: math.NaN()}
			}
			for k := i + 1; k < d; k++ {
				res.S2[i][k] = withInterval(s2[i][k], boot2[i][k], level)
			}
		}
	}
	return res, nil
}

// sobolOnce computes the indices over the base samples idx.
func sobolOnce(y []float64, d int, second bool, step int, idx []int) (s1, st []float64, s2 [][]float64, v float64) {
	fA := func(j int) float64 { return y[j*step] }
	fB := func(j int) float64 { return y[j*step+step-1] }
	fAB := func(j, i int) float64 { return y[j*step+1+i] }
	fBA := func(j, i int) float64 { return y[j*step+1+d+i] }
	var mean float64
	for _, j := range idx {
		mean += fA(j) + fB(j)
	}
	m := float64(len(idx))
	mean /= 2 * m
	for _, j := range idx {
		a, b := fA(j)-mean, fB(j)-mean
		v += a*a + b*b
	}
	v /= 2*m - 1
	s1, st = make([]float64, d), make([]float64, d)
	for i := range d {
		var f, t float64
		for _, j := range idx {
			dab := fAB(j, i) - fA(j)
			f += fB(j) * dab
			t += dab * dab
		}
		s1[i] = f / m / v
		st[i] = t / (2 * m) / v
	}
	if second {
		s2 = make([][]float64, d)
		for i := range d {
			s2[i] = make([]float64, d)
			for k := i + 1; k < d; k++ {
				var s float64
				for _, j := range idx {
					s += fBA(j, i)*fAB(j, k) - fA(j)*fB(j)
				}
				s2[i][k] = s/m/v - s1[i] - s1[k]
			}
		}
	}
	return s1, st, s2, v
}

// withInterval attaches the percentile interval of the bootstrap
// replicates boot to value (NaN bounds without replicates).
func withInterval(value float64, boot []float64, level float64) stats.Estimate {
	e := stats.Estimate{Value: value, Low: math.NaN(), High: math.NaN()}
	var ok []float64
	for _, b := range boot {
		if !math.IsNaN(b) && !math.IsInf(b, 0) {
			ok = append(ok, b)
		}
	}
	if len(ok) < 2 {
		return e
	}
	e.Low = stats.Quantile(ok, (1-level)/2)
	e.High = stats.Quantile(ok, (1+level)/2)
	return e
}
