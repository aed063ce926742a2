package sim

import "github.com/smbsim/smbsim/agents"

// differ is agents.Layout.Diff and Distance for hot loops: three words
// instead of the whole Layout, which the compiler copies at each call of a
// Layout method in a loop, and a shift it need not check.
type differ struct {
	rest, top uint64 // bits 0..B−2, and bit B−1, of every practice field
	low       uint64 // bit 0 of every practice field: diff of strategies that share nothing
	sh        uint   // B − 1
}

func newDiffer(l agents.Layout) differ {
	low := l.Diff(0, ^uint64(0)) // bit 0 of every field
	top := low << (l.B - 1)
	return differ{rest: top - low, top: top, low: low, sh: uint(l.B - 1)}
}

// diff is l.Diff(a, b): bit d·B set for every practice on which a and b
// differ.
func (f differ) diff(a, b uint64) uint64 {
	x := a ^ b
	return ((x&f.rest + f.rest) | x) & f.top >> (f.sh & 63)
}

// active is 1 if a and b share some but not all practices, else 0,
// computed without a branch (whether an edge is active is unpredictable):
// their diff is neither 0 nor low.
func (f differ) active(a, b uint64) int {
	return b2i(f.diff(a, b)-1 < f.low-1)
}

// b2i is 1 for true, 0 for false (a SETcc, no branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
