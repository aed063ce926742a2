package sim

import (
	"iter"
	"math/bits"
)

// bitset is a set of slots: bit i%64 of word i/64 is slot i. World.alive is
// one; every walk over its members goes through [bitset.all] or
// [bitset.between].
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// all yields the members in increasing order. The compiler inlines it and
// the loop body, so a range over it costs what the hand-written walk over
// the words does.
func (b bitset) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for k, word := range b {
			for ; word != 0; word &= word - 1 {
				if !yield(k<<6 | bits.TrailingZeros64(word)) {
					return
				}
			}
		}
	}
}

// between yields the members in [lo, hi) in increasing order; like all,
// it inlines.
func (b bitset) between(lo, hi int) iter.Seq[int] {
	return func(yield func(int) bool) {
		if lo >= hi {
			return
		}
		k, last := lo>>6, (hi-1)>>6
		word := b[k] &^ (1<<(lo&63) - 1)
		for {
			if k == last {
				word &= ^uint64(0) >> (63 - (hi-1)&63)
			}
			for ; word != 0; word &= word - 1 {
				if !yield(k<<6 | bits.TrailingZeros64(word)) {
					return
				}
			}
			if k == last {
				return
			}
			k++
			word = b[k]
		}
	}
}

// has reports whether slot i is a member.
func (b bitset) has(i int) bool { return b[i>>6]>>(i&63)&1 != 0 }

// bit is 1 if slot i is a member, else 0.
func (b bitset) bit(i int) int { return int(b[i>>6] >> (i & 63) & 1) }

// add makes slot i a member.
func (b bitset) add(i int) { b[i>>6] |= 1 << (i & 63) }

// remove makes slot i not a member.
func (b bitset) remove(i int) { b[i>>6] &^= 1 << (i & 63) }
