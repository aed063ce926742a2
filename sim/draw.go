package sim

import (
	"math/bits"
	"math/rand/v2"
)

// draws makes the hot loops' random draws straight from a PCG generator,
// avoiding the interface call of rand.Rand. Each method is exactly the
// algorithm of the rand.Rand method of the same name (Go's math/rand/v2,
// which holds no state besides its source), so draws from a draws and
// from a rand.Rand over the same *rand.PCG interleave into one stream.
type draws struct{ p *rand.PCG }

// IntN is rand.Rand.IntN: Lemire's multiply-and-reject.
func (d draws) IntN(n int) int {
	un := uint64(n)
	if un&(un-1) == 0 {
		return int(d.p.Uint64() & (un - 1))
	}
	hi, lo := bits.Mul64(d.p.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(d.p.Uint64(), un)
		}
	}
	return int(hi)
}

// Float64 is rand.Rand.Float64.
func (d draws) Float64() float64 { return unitFloat(d.p.Uint64()) }

// unitFloat maps a 64-bit draw to [0, 1) as rand.Rand.Float64 does.
func unitFloat(x uint64) float64 { return float64(x<<11>>11) / (1 << 53) }

// neighbour is w.net.SampleNeighbour(i, w.rDecide) for a materialised
// network, drawing from d.
func (w *World) neighbour(i int, d draws) int {
	g := w.net
	if g.Complete {
		return g.SampleNeighbour(i, w.rDecide)
	}
	lo, hi := g.Offsets[i], g.Offsets[i+1]
	if hi == lo {
		return -1
	}
	return int(g.Adj[int(lo)+d.IntN(int(hi-lo))])
}

// axelrod is agents.Layout.Axelrod(s, other, w.rDecide), drawing from d.
func (w *World) axelrod(s, other uint64, d draws) uint64 {
	l := w.lay
	diff := l.Diff(s, other)
	nd := bits.OnesCount64(diff)
	if nd == 0 || nd == l.D {
		return s
	}
	if d.IntN(l.D) >= l.D-nd {
		return s
	}
	k := d.IntN(nd)
	for ; k > 0; k-- {
		diff &= diff - 1
	}
	dim := bits.TrailingZeros64(diff) / l.B
	return l.Set(s, dim, l.Get(other, dim))
}
