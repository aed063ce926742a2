package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
)

// streamLandscape seeds the PCG stream the NK contribution tables are drawn
// from ("land"), so that switching the term on changes no other draw.
const streamLandscape = 0x6c616e64

// Limits of the landscape: the contribution tables hold D·Q^(K+1) numbers
// (8 bytes each), and the payoff-only mode finds the global maximum by
// enumerating all Q^D strategies.
const (
	maxLandscapeEntries = 1 << 20
	maxEnumerated       = 1 << 24
)

// landscape is an NK fitness landscape over practice space (Kauffman
// 1993): practice d contributes c_d(x_d, x_{p(d,1)}, …, x_{p(d,K)}), a
// number drawn uniformly from [0, 1) for each combination of its own
// option and those of its K partners p(d, ·), and the fitness of strategy x
// is the mean contribution f(x) = (1/D) Σ_d c_d(…). Read-only after
// newLandscape.
type landscape struct {
	d, q, k  int
	partners []int     // partners[d·K+j]: the j-th partner of practice d
	size     int       // Q^(K+1): entries per practice
	table    []float64 // table[d·size + idx]: c_d; idx = x_d + Q·x_p1 + Q²·x_p2 + …
	fmax     float64   // payoff-only: the global maximum of f (1 otherwise)
	// With Q a power of two the index of practice d is its own and its
	// partners' option bits side by side: shifts[d·(K+1)+j] is where the
	// j-th of them (0: its own) sits in a packed strategy.
	pow2   bool
	shifts []uint8
	b      int
	mask   uint64
}

// landscapePartners returns the K partners of every practice: the
// dimensions linked to it, in the order of links (each pair links both
// ways), up to K; then d+1, d+2, … (cyclically) not already partners.
func landscapePartners(dims, k int, links [][2]int) []int {
	p := make([]int, 0, dims*k)
	for d := 0; d < dims; d++ {
		mine := p[len(p):len(p)]
		has := func(e int) bool { return e == d || slices.Contains(mine, e) }
		for _, l := range links {
			if len(mine) == k {
				break
			}
			e := -1
			switch d {
			case l[0]:
				e = l[1]
			case l[1]:
				e = l[0]
			}
			if e >= 0 && !has(e) {
				mine = append(mine, e)
			}
		}
		for j := 1; len(mine) < k && j < dims; j++ {
			if e := (d + j) % dims; !has(e) {
				mine = append(mine, e)
			}
		}
		p = p[:len(p)+len(mine)]
	}
	return p
}

// newLandscape draws the contribution tables from r: practice by practice,
// entry by entry, one Float64 each.
func newLandscape(l agents.Layout, dims []string, c LandscapeConfig, r *rand.Rand) *landscape {
	ls := &landscape{d: l.D, q: l.Q, k: c.K, partners: landscapePartners(l.D, c.K, linkPairs(dims, c.Links)), size: 1, fmax: 1}
	for range c.K + 1 {
		ls.size *= l.Q
	}
	ls.b, ls.mask = l.B, uint64(1)<<l.B-1
	if ls.pow2 = l.Q == 1<<l.B; ls.pow2 {
		for d := 0; d < l.D; d++ {
			ls.shifts = append(ls.shifts, uint8(d*l.B))
			for _, p := range ls.partners[d*ls.k : (d+1)*ls.k] {
				ls.shifts = append(ls.shifts, uint8(p*l.B))
			}
		}
	}
	ls.table = make([]float64, l.D*ls.size)
	for i := range ls.table {
		ls.table[i] = r.Float64()
	}
	if c.PayoffOnly {
		ls.fmax = ls.maximum(l)
	}
	return ls
}

// index returns the table index of practice d's contribution for s.
func (ls *landscape) index(l agents.Layout, s uint64, d int) int {
	idx, mul := l.Get(s, d), ls.q
	for _, p := range ls.partners[d*ls.k : (d+1)*ls.k] {
		idx += mul * l.Get(s, p)
		mul *= ls.q
	}
	return d*ls.size + idx
}

// fitness returns f(s) = (1/D) Σ_d c_d, summed in dimension order.
func (ls *landscape) fitness(l agents.Layout, s uint64) float64 {
	sum := 0.0
	if ls.pow2 { // the same indices as index, by shifts alone
		n := ls.k + 1
		for d := 0; d < ls.d; d++ {
			idx := 0
			for j, sh := range ls.shifts[d*n : (d+1)*n] {
				idx |= int(s>>sh&ls.mask) << (j * ls.b)
			}
			sum += ls.table[d*ls.size+idx]
		}
		return sum / float64(ls.d)
	}
	for d := 0; d < ls.d; d++ {
		sum += ls.table[ls.index(l, s, d)]
	}
	return sum / float64(ls.d)
}

// maximum returns the largest fitness over all Q^D strategies, enumerated
// like an odometer. When practice c changes by Δ, each practice d reading
// it moves its table index by Δ·Q^pos (pos: c's place in d's index), so a
// step costs a few look-ups. Sums are kept exactly in integers: Float64
// returns multiples of 2⁻⁵³, so c·2⁵³ is an integer and sums of D of them
// fit in 64 bits.
func (ls *landscape) maximum(l agents.Layout) float64 {
	type reader struct{ d, w int }
	readers := make([][]reader, ls.d) // readers[c]: the practices whose index reads practice c
	for d := 0; d < ls.d; d++ {
		readers[d] = append(readers[d], reader{d, 1})
		w := ls.q
		for _, p := range ls.partners[d*ls.k : (d+1)*ls.k] {
			readers[p] = append(readers[p], reader{d, w})
			w *= ls.q
		}
	}
	fixed := make([]int64, len(ls.table))
	for i, v := range ls.table {
		fixed[i] = int64(v * (1 << 53))
	}
	idx := make([]int, ls.d) // the all-zero strategy: index d·size
	sum := int64(0)
	for d := range idx {
		idx[d] = d * ls.size
		sum += fixed[idx[d]]
	}
	move := func(c, delta int) {
		for _, r := range readers[c] {
			sum -= fixed[idx[r.d]]
			idx[r.d] += delta * r.w
			sum += fixed[idx[r.d]]
		}
	}
	digit := make([]int, ls.d)
	var s, arg uint64
	best := int64(-1)
	if ls.q == 2 { // binary: a Gray code changes one practice per step
		for k := uint64(1); ; k++ {
			if sum > best {
				best, arg = sum, s
			}
			c := bits.TrailingZeros64(k)
			if c >= ls.d {
				break
			}
			digit[c] ^= 1
			move(c, 2*digit[c]-1)
			s = l.Set(s, c, digit[c])
		}
		return ls.fitness(l, arg)
	}
	for {
		if sum > best {
			best, arg = sum, s
		}
		j := 0
		for ; j < ls.d; j++ {
			if digit[j]+1 < ls.q {
				digit[j]++
				move(j, 1)
				s = l.Set(s, j, digit[j])
				break
			}
			move(j, -digit[j])
			digit[j] = 0
			s = l.Set(s, j, 0)
		}
		if j == ls.d {
			break
		}
	}
	return ls.fitness(l, arg)
}

// score is a firm's payoff in the payoff-only mode: (f/f_max)^e.
func (ls *landscape) score(f, e float64) float64 {
	x := f / ls.fmax
	if x <= 0 {
		return 0
	}
	if e == math.Trunc(e) && e >= 1 && e <= 64 {
		r := 1.0
		for range int(e) {
			r *= x
		}
		return r
	}
	return xmath.Exp(float64(e * xmath.Log(x)))
}

// checkLandscape adds the problems of the landscape keys that the
// declared ranges do not cover.
func (c *Config) checkLandscape(add func(path string, v any, format string, a ...any)) {
	lc := c.Landscape
	dims := c.Strategy.Dimensions
	d := len(dims)
	if lc.K < 0 || lc.K > max(d-1, 0) {
		add("landscape.k", lc.K, "must be an integer between 0 and %d (dimensions − 1)", max(d-1, 0))
	} else if q := c.Strategy.Options; (lc.K > 0 || lc.PayoffOnly) && q >= 2 && d > 0 {
		entries := float64(d) * math.Pow(float64(q), float64(lc.K+1))
		if entries > maxLandscapeEntries {
			add("landscape.k", lc.K, "the contribution tables would hold dimensions × options^(k+1) = %d × %d^%d = %.0f numbers; at most %d are allowed (lower k or strategy.options)",
				d, q, lc.K+1, entries, maxLandscapeEntries)
		}
	}
	if lc.K > 0 { // links only choose the k partners
		for i, l := range lc.Links {
			a, b, ok := strings.Cut(l, ":")
			ia, ib := slices.Index(dims, a), slices.Index(dims, b)
			switch {
			case !ok:
				add("landscape.links", l, "link %d must be two dimension names joined by ':', e.g. \"platform:channel\"", i+1)
			case ia < 0 || ib < 0:
				add("landscape.links", l, "link %d must join two of the dimensions (%s); the default links name the default dimensions: set landscape.links for yours ([] for none)", i+1, strings.Join(dims, ", "))
			case ia == ib:
				add("landscape.links", l, "link %d must join two different dimensions", i+1)
			}
		}
	}
	if !lc.PayoffOnly {
		return
	}
	if q := c.Strategy.Options; q >= 2 && d > 0 && float64(d)*math.Log2(float64(q)) > math.Log2(maxEnumerated) {
		add("landscape.payoff_only", lc.PayoffOnly, "scores are normalised by the global maximum, found by enumerating options^dimensions = %d^%d strategies; at most %d are allowed", q, d, maxEnumerated)
	}
	if lc.Exponent == 0 {
		add("landscape.exponent", lc.Exponent, "must be above 0")
	}
}
