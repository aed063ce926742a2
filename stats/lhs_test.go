package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestLatinHypercubeStratification(t *testing.T) {
	for _, tc := range []struct{ samples, dims int }{
		{1, 1}, {2, 3}, {10, 2}, {100, 5}, {1000, 1},
	} {
		rng := rand.New(rand.NewPCG(uint64(tc.samples), uint64(tc.dims)))
		pts := LatinHypercube(tc.samples, tc.dims, rng)
		if len(pts) != tc.samples {
			t.Fatalf("%d×%d: %d rows", tc.samples, tc.dims, len(pts))
		}
		for d := range tc.dims {
			hit := make([]int, tc.samples)
			for _, p := range pts {
				if len(p) != tc.dims {
					t.Fatalf("row length %d, want %d", len(p), tc.dims)
				}
				x := p[d]
				if !(x >= 0 && x < 1) {
					t.Fatalf("coordinate %v outside [0,1)", x)
				}
				hit[int(x*float64(tc.samples))]++
			}
			for k, h := range hit {
				if h != 1 {
					t.Errorf("%d×%d dim %d: stratum %d hit %d times", tc.samples, tc.dims, d, k, h)
				}
			}
		}
	}
}

func TestLatinHypercubeDeterminism(t *testing.T) {
	a := LatinHypercube(50, 4, rand.New(rand.NewPCG(1, 2)))
	b := LatinHypercube(50, 4, rand.New(rand.NewPCG(1, 2)))
	c := LatinHypercube(50, 4, rand.New(rand.NewPCG(1, 3)))
	eq := func(x, y [][]float64) bool { return slices.EqualFunc(x, y, slices.Equal[[]float64]) }
	if !eq(a, b) {
		t.Errorf("same seed gave different designs")
	}
	if eq(a, c) {
		t.Errorf("different seeds gave identical designs")
	}
}

// maxSource always returns the largest uint64, so Float64 returns the
// largest float64 below 1, which rounds (k + u)/n up to the next stratum
// boundary without the clamp in LatinHypercube.
type maxSource struct{}

func (maxSource) Uint64() uint64 { return math.MaxUint64 }

func TestLatinHypercubeRoundingClamp(t *testing.T) {
	for _, n := range []int{2, 3, 7, 10, 1000} {
		pts := LatinHypercube(n, 2, rand.New(maxSource{}))
		for d := range 2 {
			seen := make([]bool, n)
			for _, p := range pts {
				k := int(p[d] * float64(n))
				if p[d] >= 1 || k >= n || seen[k] {
					t.Fatalf("n=%d: bad coordinate %v (stratum %d)", n, p[d], k)
				}
				seen[k] = true
			}
		}
	}
}

func TestLatinHypercubeEdge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if got := LatinHypercube(0, 3, rng); got == nil || len(got) != 0 {
		t.Errorf("0 samples: %v", got)
	}
	if got := LatinHypercube(3, 0, rng); len(got) != 3 || len(got[0]) != 0 {
		t.Errorf("0 dims: %v", got)
	}
	expectPanic(t, "negative", func() { LatinHypercube(-1, 2, rng) })
	expectPanic(t, "nil rng", func() { LatinHypercube(2, 2, nil) })
}

// A Latin hypercube over discrete levels never puts two points on one
// level while another is free: distinct levels when samples ≤ levels,
// every level ⌊n/m⌋ or ⌈n/m⌉ times otherwise.
func TestLatinHypercubeLevel(t *testing.T) {
	for _, c := range []struct{ samples, levels int }{
		{1, 1}, {1, 5}, {3, 5}, {4, 5}, {5, 5}, {6, 5}, {7, 5}, {10, 5}, {13, 4}, {2, 21}, {20, 21}, {40, 3},
	} {
		for seed := range uint64(50) {
			rng := rand.New(rand.NewPCG(seed, 7))
			count := make([]int, c.levels)
			for _, p := range LatinHypercube(c.samples, 1, rng) {
				l := LatinHypercubeLevel(p[0], c.samples, c.levels)
				if l < 0 || l >= c.levels {
					t.Fatalf("%+v: level %d out of 0…%d", c, l, c.levels-1)
				}
				count[l]++
			}
			lo, hi := c.samples/c.levels, (c.samples+c.levels-1)/c.levels
			for l, n := range count {
				if n < lo || n > hi {
					t.Errorf("%+v seed %d: level %d taken %d times, want %d…%d (counts %v)", c, seed, l, n, lo, hi, count)
					break
				}
			}
		}
	}
	// The edges of the unit interval map to the first and last level.
	if LatinHypercubeLevel(0, 4, 5) != 0 || LatinHypercubeLevel(math.Nextafter(1, 0), 4, 5) != 4 {
		t.Error("edges")
	}
}
