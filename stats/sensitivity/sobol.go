package sensitivity

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// MaxSobolDims is the number of dimensions the built-in direction numbers
// cover.
const MaxSobolDims = len(joeKuo) + 1

// Sobol generates points of the Sobol' sequence in Gray-code order with the
// direction numbers of Joe and Kuo (2008, file new-joe-kuo-6.21201),
// optionally scrambled by a random linear matrix scramble with a random
// digital shift (Matoušek 1998), as SciPy's qmc.Sobol does. Scrambling
// keeps the digital-net structure (every power-of-two block of points is
// stratified) and makes the points an unbiased randomised QMC sample.
type Sobol struct {
	dims int
	v    [][32]uint32 // direction numbers: v[d][k] is the k-th, most significant first
	x    []uint32     // the current point, as 32-bit fractions
	n    uint64       // points generated so far
}

// NewSobol returns a generator of dims-dimensional Sobol' points. With a
// nil rng the points are the plain sequence, starting with the origin
// (0, 0.5, 0.75, 0.25, … in the first coordinate); with an rng they are
// scrambled, deterministically from the rng's state.
func NewSobol(dims int, rng *rand.Rand) (*Sobol, error) {
	if dims < 1 || dims > MaxSobolDims {
		return nil, fmt.Errorf("sensitivity: a Sobol' sequence of %d dimensions: want 1 to %d", dims, MaxSobolDims)
	}
	s := &Sobol{dims: dims, v: make([][32]uint32, dims), x: make([]uint32, dims)}
	for d := range dims {
		s.v[d] = directions(d)
	}
	if rng != nil {
		for d := range dims {
			s.v[d] = scramble(s.v[d], rng)
			s.x[d] = uint32(rng.Uint64())
		}
	}
	return s, nil
}

// directions returns the 32 direction numbers of dimension d (0-based).
func directions(d int) [32]uint32 {
	var v [32]uint32
	if d == 0 {
		for k := range v {
			v[k] = 1 << (31 - k)
		}
		return v
	}
	p := joeKuo[d-1]
	s := len(p.m)
	for k := 0; k < s && k < 32; k++ {
		v[k] = p.m[k] << (31 - k)
	}
	for k := s; k < 32; k++ {
		v[k] = v[k-s] ^ (v[k-s] >> s)
		for i := 1; i < s; i++ {
			if (p.a>>(s-1-i))&1 == 1 {
				v[k] ^= v[k-i]
			}
		}
	}
	return v
}

// scramble multiplies the direction numbers by a random lower-triangular
// binary matrix with a unit diagonal: output digit j (most significant
// first) is the parity of digit j and a random subset of the digits above.
func scramble(v [32]uint32, rng *rand.Rand) [32]uint32 {
	var rows [32]uint32
	for j := range rows {
		diag := uint32(1) << (31 - j)
		above := ^(diag<<1 - 1) // bits more significant than digit j
		if j == 0 {
			above = 0
		}
		rows[j] = diag | uint32(rng.Uint64())&above
	}
	var out [32]uint32
	for k, x := range v {
		var y uint32
		for j, r := range rows {
			y |= uint32(bits.OnesCount32(r&x)&1) << (31 - j)
		}
		out[k] = y
	}
	return out
}

// Next writes the next point into dst (len ≥ dims) and returns it. It
// panics after 2^32 points, where the sequence's 32 digits run out.
func (s *Sobol) Next(dst []float64) []float64 {
	if s.n > 0 {
		c := bits.TrailingZeros64(^(s.n - 1))
		if c >= 32 {
			panic("sensitivity: Sobol' sequence exhausted after 2^32 points")
		}
		for d := range s.dims {
			s.x[d] ^= s.v[d][c]
		}
	}
	s.n++
	for d := range s.dims {
		dst[d] = float64(s.x[d]) / (1 << 32)
	}
	return dst[:s.dims]
}

// SobolPoints returns the first n points of a dims-dimensional Sobol'
// sequence (see [NewSobol]); the rows share one backing array.
func SobolPoints(n, dims int, rng *rand.Rand) ([][]float64, error) {
	s, err := NewSobol(dims, rng)
	if err != nil {
		return nil, err
	}
	backing := make([]float64, n*dims)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = s.Next(backing[i*dims : (i+1)*dims : (i+1)*dims])
	}
	return pts, nil
}

// joeKuo lists, for dimensions 2, 3, …, the primitive polynomial's inner
// coefficients a and the initial direction numbers m (their count is the
// polynomial's degree), from Joe and Kuo's new-joe-kuo-6.21201.
var joeKuo = [...]struct {
	a uint32
	m []uint32
}{
	{0, []uint32{1}},
	{1, []uint32{1, 3}},
	{1, []uint32{1, 3, 1}},
	{2, []uint32{1, 1, 1}},
	{1, []uint32{1, 1, 3, 3}},
	{4, []uint32{1, 3, 5, 13}},
	{2, []uint32{1, 1, 5, 5, 17}},
	{4, []uint32{1, 1, 5, 5, 5}},
	{7, []uint32{1, 1, 7, 11, 19}},
	{11, []uint32{1, 1, 5, 1, 1}},
	{13, []uint32{1, 1, 1, 3, 11}},
	{14, []uint32{1, 3, 5, 5, 31}},
	{1, []uint32{1, 3, 3, 9, 7, 49}},
	{13, []uint32{1, 1, 1, 15, 21, 21}},
	{16, []uint32{1, 3, 1, 13, 27, 49}},
	{19, []uint32{1, 1, 1, 15, 7, 5}},
	{22, []uint32{1, 3, 1, 15, 13, 25}},
	{25, []uint32{1, 1, 5, 5, 19, 61}},
	{1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{4, []uint32{1, 3, 7, 13, 13, 15, 69}},
	{7, []uint32{1, 1, 3, 13, 7, 35, 63}},
	{8, []uint32{1, 3, 5, 9, 1, 25, 53}},
	{14, []uint32{1, 3, 1, 13, 9, 35, 107}},
	{19, []uint32{1, 3, 1, 5, 27, 61, 31}},
	{21, []uint32{1, 1, 5, 11, 19, 41, 61}},
	{28, []uint32{1, 3, 5, 3, 3, 13, 69}},
	{31, []uint32{1, 1, 7, 13, 1, 19, 1}},
	{32, []uint32{1, 3, 7, 5, 13, 19, 59}},
	{37, []uint32{1, 1, 3, 9, 25, 29, 41}},
	{41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	{42, []uint32{1, 3, 7, 3, 13, 59, 17}},
	{50, []uint32{1, 3, 1, 3, 5, 53, 69}},
	{55, []uint32{1, 1, 5, 5, 23, 33, 13}},
	{56, []uint32{1, 1, 7, 7, 1, 61, 123}},
	{59, []uint32{1, 1, 7, 9, 13, 61, 49}},
	{62, []uint32{1, 3, 3, 5, 3, 55, 33}},
	{14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}},
	{21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},
	{22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}},
	{38, []uint32{1, 3, 1, 11, 27, 43, 71, 9}},
	{47, []uint32{1, 1, 7, 15, 21, 11, 81, 45}},
	{49, []uint32{1, 3, 7, 3, 25, 31, 65, 79}},
	{50, []uint32{1, 3, 1, 1, 19, 11, 3, 205}},
	{52, []uint32{1, 1, 5, 9, 19, 21, 29, 157}},
	{56, []uint32{1, 3, 7, 11, 1, 33, 89, 185}},
	{67, []uint32{1, 3, 3, 3, 15, 9, 79, 71}},
	{70, []uint32{1, 3, 7, 11, 15, 39, 119, 27}},
	{84, []uint32{1, 1, 3, 1, 11, 31, 97, 225}},
	{97, []uint32{1, 1, 1, 3, 23, 43, 57, 177}},
	{103, []uint32{1, 3, 7, 7, 17, 17, 37, 71}},
	{115, []uint32{1, 3, 1, 5, 27, 63, 123, 213}},
	{122, []uint32{1, 1, 3, 5, 11, 43, 53, 133}},
}
