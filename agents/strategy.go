package agents

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// Layout packs a strategy of D practices, each one of Q options, into a
// uint64: practice d occupies bits [d·B, (d+1)·B) with B = bits(Q−1).
type Layout struct {
	D, Q, B int
	mask    uint64 // B ones
	low     uint64 // bit 0 of every practice field
	full    uint64 // all D·B bits
	rest    uint64 // bits 0..B−2 of every practice field
	top     uint64 // bit B−1 of every practice field
}

// NewLayout returns the layout for d practices of q options each. It fails
// when the strategy does not fit in 64 bits.
func NewLayout(d, q int) (Layout, error) {
	if d < 1 || q < 2 {
		return Layout{}, fmt.Errorf("need at least 1 dimension and 2 options, got %d and %d", d, q)
	}
	b := bits.Len(uint(q - 1))
	if d*b > 64 {
		return Layout{}, fmt.Errorf("%d dimensions × %d bits (for %d options) = %d bits, more than 64", d, b, q, d*b)
	}
	l := Layout{D: d, Q: q, B: b, mask: 1<<b - 1}
	for i := 0; i < d; i++ {
		l.low |= 1 << (i * b)
	}
	l.full = l.low * l.mask
	l.top = l.low << (b - 1)
	l.rest = l.full &^ l.top
	return l, nil
}

// Get returns the option of practice d.
func (l Layout) Get(s uint64, d int) int { return int(s >> (d * l.B) & l.mask) }

// Set returns s with practice d set to option o.
func (l Layout) Set(s uint64, d, o int) uint64 {
	sh := d * l.B
	return s&^(l.mask<<sh) | uint64(o)<<sh
}

// Diff returns a word with bit d·B set for every practice on which a and b
// differ (and no other bits).
func (l Layout) Diff(a, b uint64) uint64 {
	x := a ^ b
	// A field is non-zero iff its top bit is set or adding its lower bits
	// to all-ones lower bits carries into the top bit; no carry leaves
	// the field.
	return ((x&l.rest + l.rest) | x) & l.top >> (l.B - 1)
}

// Distance is the Hamming distance: the number of practices on which a and
// b differ.
func (l Layout) Distance(a, b uint64) int { return bits.OnesCount64(l.Diff(a, b)) }

// NthDiff returns the index of the n-th (from 0) differing practice in a
// Diff word.
func (l Layout) NthDiff(diff uint64, n int) int {
	for ; n > 0; n-- {
		diff &= diff - 1
	}
	return bits.TrailingZeros64(diff) / l.B
}

// Format writes s as its options joined by dashes, e.g. "3-0-7-1".
func (l Layout) Format(s uint64) string {
	var sb strings.Builder
	for d := 0; d < l.D; d++ {
		if d > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(strconv.Itoa(l.Get(s, d)))
	}
	return sb.String()
}

// Parse reads a strategy written by Format.
func (l Layout) Parse(text string) (uint64, error) {
	parts := strings.Split(text, "-")
	if len(parts) != l.D {
		return 0, fmt.Errorf("strategy %q has %d practices, want %d", text, len(parts), l.D)
	}
	var s uint64
	for d, p := range parts {
		o, err := strconv.Atoi(p)
		if err != nil || o < 0 || o >= l.Q {
			return 0, fmt.Errorf("strategy %q: practice %d must be an option 0..%d", text, d, l.Q-1)
		}
		s = l.Set(s, d, o)
	}
	return s, nil
}
