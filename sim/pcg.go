package sim

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// pcg is a copy of a *rand.PCG's state that a hot loop steps in registers
// (the methods of rand.PCG keep the state in memory), taken with
// loadPCG and handed back with store. Between the two the loop must draw
// only from the copy. Its outputs are exactly rand.PCG.Uint64's: the same
// 128-bit LCG and DXSM output function (Go's math/rand/v2, whose
// constants are part of its documented algorithm), checked by the pinned
// fingerprints of TestAxelrodFastPathPinned.
type pcg struct{ hi, lo uint64 }

// loadPCG copies p's state, through its documented binary encoding
// ("pcg:", then hi and lo big-endian), without allocating.
func loadPCG(p *rand.PCG) pcg {
	var buf [20]byte
	b, _ := p.AppendBinary(buf[:0])
	return pcg{binary.BigEndian.Uint64(b[4:]), binary.BigEndian.Uint64(b[12:])}
}

// store writes the copy's state back to p.
func (g pcg) store(p *rand.PCG) {
	var buf [20]byte
	copy(buf[:], "pcg:")
	binary.BigEndian.PutUint64(buf[4:], g.hi)
	binary.BigEndian.PutUint64(buf[12:], g.lo)
	if err := p.UnmarshalBinary(buf[:]); err != nil {
		panic(err) // cannot happen: the encoding is well formed
	}
}

// next returns the generator advanced by one step and rand.PCG.Uint64's
// output for that step.
func (g pcg) next() (pcg, uint64) {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
		cheap = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(g.lo, mulLo)
	hi += g.hi*mulLo + g.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	x := hi
	x ^= x >> 32
	x *= cheap
	x ^= x >> 48
	x *= lo | 1
	return pcg{hi, lo}, x
}

// bounded maps the draw x to [0, n) as rand.Rand.IntN(n) does with its
// first draw (Lemire's multiply-and-reject; powers of two masked). It
// reports false, rarely (probability below n/2⁶⁴), when IntN would reject
// x and draw again: call redraw then. Drawing with next then bounded,
// rather than through one method, lets both inline. It has no branch on
// n, which varies from draw to draw (degrees, differing practices).
func bounded(x, un uint64) (uint64, bool) {
	hi, lo := bits.Mul64(x, un)
	if un&(un-1) == 0 { // a conditional move, not a branch: n varies
		hi, lo = x&(un-1), un
	}
	return hi, lo >= un || lo >= -un%un
}

// redraw finishes rand.Rand.IntN(n) after bounded rejected its first draw.
//
//go:noinline
func (g pcg) redraw(un uint64) (pcg, uint64) {
	thresh := -un % un
	for {
		var x uint64
		g, x = g.next()
		if hi, lo := bits.Mul64(x, un); lo >= thresh {
			return g, hi
		}
	}
}
