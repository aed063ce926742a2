package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// LatinHypercube returns samples points in [0, 1)^dims forming a Latin
// hypercube design: for every dimension, each of the samples equal-width
// strata [k/samples, (k+1)/samples) contains exactly one point (that is,
// int(x·samples) takes every value 0..samples−1 exactly once per dimension).
//
// Within each dimension the strata are assigned to points by a random
// permutation (rng.Perm) and each point is placed uniformly within its
// stratum (rng.Float64). Dimensions are generated in order 0..dims−1, so
// the design is a deterministic function of the rng's state. The returned
// rows share one backing array. samples == 0 or dims == 0 gives an empty
// (non-nil) result with samples rows of length dims. It panics if samples
// or dims is negative or rng is nil.
func LatinHypercube(samples, dims int, rng *rand.Rand) [][]float64 {
	if samples < 0 || dims < 0 {
		panic(fmt.Sprintf("stats: LatinHypercube(%d, %d): negative size", samples, dims))
	}
	if rng == nil {
		panic("stats: LatinHypercube: nil rng")
	}
	backing := make([]float64, samples*dims)
	pts := make([][]float64, samples)
	for i := range pts {
		pts[i] = backing[i*dims : (i+1)*dims : (i+1)*dims]
	}
	n := float64(samples)
	for d := range dims {
		perm := rng.Perm(samples)
		for i, k := range perm {
			x := (float64(k) + rng.Float64()) / n
			// Rounding can push x up into the next stratum (or to 1);
			// step back down so that int(x*n) == k and x < 1.
			for x >= 1 || int(x*n) > k {
				x = math.Nextafter(x, 0)
			}
			pts[i][d] = x
		}
	}
	return pts
}

// LatinHypercubeLevel maps x, a coordinate of a Latin hypercube of samples
// points (see LatinHypercube), to one of levels discrete values (0 …
// levels−1), so that the design stays Latin on the levels: with samples ≤
// levels the points fall on distinct levels (the point of stratum k takes
// a level of the k-th of samples near-equal groups of consecutive levels,
// by its position within the stratum); with more samples than levels each
// level is taken ⌊samples/levels⌋ or ⌈samples/levels⌉ times. (Rounding x
// to the nearest of the levels instead lets two strata share a level
// while another level is never sampled.) It panics unless samples ≥ 1
// and levels ≥ 1.
func LatinHypercubeLevel(x float64, samples, levels int) int {
	if samples < 1 || levels < 1 {
		panic(fmt.Sprintf("stats: LatinHypercubeLevel(%v, %d, %d): want samples and levels ≥ 1", x, samples, levels))
	}
	pos := x * float64(samples)
	k := max(0, min(int(pos), samples-1)) // the stratum
	lo, hi := k*levels/samples, (k+1)*levels/samples
	if hi <= lo {
		return min(lo, levels-1)
	}
	u := max(0, pos-float64(k)) // position within the stratum, [0, 1)
	return lo + min(int(u*float64(hi-lo)), hi-lo-1)
}
