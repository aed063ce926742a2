package sim

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// shockState turns the scheduled shocks into market factors. Factors are
// recomputed from the set of active shocks whenever it changes, so
// overlapping shocks compose (multiplicatively for spend and reach,
// additively for compliance costs).
type shockState struct {
	active []bool
	off    []bool       // shocks that never start (a fork's counterfactual, see World.Fork)
	rand   []*rand.Rand // shock k's own stream, so one shock's draws never shift another's
	// Demand shifts: shift k set the options of the dimensions in
	// shiftMask[k][g] of segment g's ideal to those of shiftVal[k][g] (nil
	// for other kinds and before the shift starts).
	shiftMask, shiftVal [][]uint64
	targetOpt           []int // resolved option of each shock (most common when it hit)
	targetDim           []int // dimension of each option-targeting shock (-1 for others)
	lastTarget          int   // the option-targeting shock that started last, -1 before any
	reach               []float64
	reachDims           []int     // dimensions with a reach factor ≠ 1
	compDimOp           []float64 // compliance cost by d·Q+o
	compDims            []int
	compSec             []float64 // compliance cost by sector
}

func (st *shockState) init(w *World) {
	q := w.lay.Q
	st.active = make([]bool, len(w.cfg.Shocks))
	st.off = make([]bool, len(w.cfg.Shocks))
	st.rand = make([]*rand.Rand, len(w.cfg.Shocks))
	for k := range st.rand {
		st.rand[k] = newStream(w.seed, shockStream(k))
	}
	st.shiftMask = make([][]uint64, len(w.cfg.Shocks))
	st.shiftVal = make([][]uint64, len(w.cfg.Shocks))
	st.targetOpt = make([]int, len(w.cfg.Shocks))
	st.targetDim = make([]int, len(w.cfg.Shocks))
	for k := range st.targetDim {
		st.targetDim[k] = -1
	}
	st.lastTarget = -1
	st.reach = make([]float64, w.lay.D*q)
	st.compDimOp = make([]float64, w.lay.D*q)
	st.compSec = make([]float64, len(w.market.bestProf))
	st.reachDims = make([]int, 0, w.lay.D)
	st.compDims = make([]int, 0, w.lay.D)
}

// apply starts the shocks scheduled for this tick and ends those whose
// duration is over, then recomputes the market factors.
func (st *shockState) apply(w *World) {
	changed, ideals := false, false
	if w.cfg.Market.EqualCashAtShock || w.cfg.Market.CashAtShock > 0 {
		st.equaliseCash(w)
	}
	for k, sh := range w.cfg.Shocks {
		switch {
		case st.off[k]:
		case sh.Tick == w.tick:
			st.active[k] = true
			st.start(w, k)
			changed = true
		case st.active[k] && sh.Duration > 0 && w.tick == sh.Tick+sh.Duration:
			st.active[k] = false
			if sh.Kind == DemandShift {
				st.shiftMask[k], st.shiftVal[k] = nil, nil
				ideals = true
			}
			changed = true
		}
	}
	if ideals {
		st.composeIdeals(w)
	}
	if changed {
		st.recompute(w)
	}
}

// equaliseCash is the equal-cash-at-shock control (market.cash_at_shock
// above 0 fixes the cash per unit of fixed-cost scale instead of taking
// the market's own, Σc_j / Σk_j): when some shock is
// scheduled to start at this tick — also one that is off, so that a fork
// without the shock gets the same cash as its run — the cash of the firms
// in business is shared out again in proportion to their fixed-cost scale
// k_i = ω + (1−ω)·S_i² (the factor of market.fixed_cost in their costs):
// c_i ← k_i · Σc_j / Σk_j, total cash unchanged, every firm holding the
// same number of ticks of its own fixed cost (with every size 1, the mean
// cash). Sums run in slot order. It runs before the shock acts and before
// entrants arrive, so the firms it equalises are the shock's at-risk
// cohort.
func (st *shockState) equaliseCash(w *World) {
	starts := false
	for _, sh := range w.cfg.Shocks {
		starts = starts || sh.Tick == w.tick
	}
	if !starts || w.aliveN == 0 {
		return
	}
	overhead := w.cfg.Demography.Overhead
	scale := func(i int) float64 {
		s := w.demo[i].size
		return overhead + (1-overhead)*s*s
	}
	cash, cost := 0.0, 0.0
	for i := range w.alive.all() {
		cash += w.cash[i]
		cost += scale(i)
	}
	if cost <= 0 {
		return
	}
	per := cash / cost
	if c := w.cfg.Market.CashAtShock; c > 0 {
		per = c
	}
	for i := range w.alive.all() {
		w.cash[i] = per * scale(i)
	}
}

// shockStream is the stream constant of shock k: streamShock for the
// first shock, the same constant with k in the high word for the others.
func shockStream(k int) uint64 { return streamShock | uint64(k)<<32 }

// start resolves a shock's target when it hits.
func (st *shockState) start(w *World, k int) {
	sh := w.cfg.Shocks[k]
	switch sh.Kind {
	case DemandShift:
		st.shiftIdeals(w, k)
	case TechDisruption, PlatformFailure, Regulation:
		d := sh.Dimension
		if sh.Kind == PlatformFailure {
			d = w.cfg.Strategy.PlatformDim
		}
		o := sh.Option
		if o < 0 && d >= 0 {
			switch sh.Target {
			case TargetRandom:
				o = st.rand[k].IntN(w.lay.Q)
			case TargetWeighted:
				o = w.weightedOption(d, st.rand[k])
			default:
				o = w.commonOption(d)
			}
		}
		st.targetOpt[k] = o
		if d >= 0 && o >= 0 {
			st.targetDim[k], st.lastTarget = d, k
		}
	}
}

// targetShare returns the share of alive firms using the option hit by the
// option-targeting shock that started last (a failed platform, a
// disrupted practice, a regulated option), NaN before any.
func (st *shockState) targetShare(w *World) float64 {
	k := st.lastTarget
	if k < 0 || k >= len(st.targetDim) || w.aliveN == 0 {
		return math.NaN()
	}
	return float64(w.dimCount[st.targetDim[k]*w.lay.Q+st.targetOpt[k]]) / float64(w.aliveN)
}

// commonOption returns the option of dimension d used by most alive firms
// (ties: the lowest option).
func (w *World) commonOption(d int) int {
	q := w.lay.Q
	best := 0
	for o := 1; o < q; o++ {
		if w.dimCount[d*q+o] > w.dimCount[d*q+best] {
			best = o
		}
	}
	return best
}

// shiftedPractices is how many practices a demand shift of the given
// severity moves in one segment's ideal of D practices: ⌊severity·D⌋, plus
// one more with probability equal to the fractional part (drawn from r
// only when there is one), so that the expected number is severity·D and
// goes continuously to 0 with the severity: a severity of 1e-12 moves
// nothing in all but about one segment in 10¹¹.
func shiftedPractices(severity float64, d int, r *rand.Rand) int {
	x := severity * float64(d)
	n := math.Floor(x)
	if frac := x - n; frac > 0 && r.Float64() < frac {
		n++
	}
	return min(int(n), d)
}

// weightedOption returns an option of dimension d drawn with probability
// equal to its share of the alive firms (the option of a firm drawn
// uniformly); the most common option when no firm is alive.
func (w *World) weightedOption(d int, r *rand.Rand) int {
	if w.aliveN == 0 {
		return w.commonOption(d)
	}
	q := w.lay.Q
	x := int32(r.IntN(w.aliveN))
	for o, c := range w.dimCount[d*q : d*q+q] {
		if x < c {
			return o
		}
		x -= c
	}
	return q - 1 // unreachable: the counts sum to aliveN
}

// ShockTarget returns the dimension and option hit by shock k (0-based)
// in this run, as resolved when it started; (−1, −1) before it started or
// for a shock that hits no option.
func (w *World) ShockTarget(k int) (dim, option int) {
	st := &w.shocks
	if k < 0 || k >= len(st.targetDim) || st.targetDim[k] < 0 {
		return -1, -1
	}
	return st.targetDim[k], st.targetOpt[k]
}

// shiftIdeals moves the targeted segments' ideals away from the current
// mainstream: in shiftedPractices(severity, D) practices, chosen
// uniformly among those where an option differing both from the ideal's
// own and from the sector's most common strategy's exists, the ideal
// takes such an option, uniformly. With Q ≥ 3 every practice qualifies;
// with Q = 2 only those where the ideal still matches the mainstream (the
// shift then changes fewer practices if fewer qualify). The changes are
// recorded, so that a temporary shift can be undone without undoing the
// others (composeIdeals).
func (st *shockState) shiftIdeals(w *World, k int) {
	sh := w.cfg.Shocks[k]
	r := st.rand[k]
	l := w.lay
	m := &w.market
	field := uint64(1)<<l.B - 1
	st.shiftMask[k] = make([]uint64, len(m.seg))
	st.shiftVal[k] = make([]uint64, len(m.seg))
	eligible := make([]int, 0, l.D)
	opts := make([]int, 0, l.Q)
	for s := range m.bestProf {
		if sh.Sector >= 0 && s != sh.Sector {
			continue
		}
		mode, ok := w.modalStrategy(s)
		for j := 0; j < m.k; j++ {
			if sh.Segment >= 0 && j != sh.Segment {
				continue
			}
			g := &m.seg[s*m.k+j]
			avoid := func(d int) int {
				if ok {
					return l.Get(mode, d)
				}
				return l.Get(g.ideal, d)
			}
			eligible = eligible[:0]
			for d := 0; d < l.D; d++ {
				if l.Q >= 3 || l.Get(g.ideal, d) == avoid(d) {
					eligible = append(eligible, d)
				}
			}
			n := shiftedPractices(sh.Severity, l.D, r)
			var mask, val uint64
			for c := 0; c < n && len(eligible) > 0; c++ {
				x := r.IntN(len(eligible))
				d := eligible[x]
				eligible = append(eligible[:x], eligible[x+1:]...)
				cur, av := l.Get(g.ideal, d), avoid(d)
				opts = opts[:0]
				for o := 0; o < l.Q; o++ {
					if o != cur && o != av {
						opts = append(opts, o)
					}
				}
				o := opts[r.IntN(len(opts))]
				mask |= field << (d * l.B)
				val = l.Set(val, d, o)
			}
			st.shiftMask[k][s*m.k+j], st.shiftVal[k][s*m.k+j] = mask, val
			g.ideal = g.ideal&^mask | val
		}
	}
}

// composeIdeals rebuilds every segment's ideal from its initial one and
// the demand shifts in force (permanent ones that started, temporary ones
// still active), applied in the order they started: a shift overrides an
// earlier one on the practices both changed, and when a temporary shift
// ends the practices it changed go back to what the others make of them.
func (st *shockState) composeIdeals(w *World) {
	m := &w.market
	for g := range m.seg {
		m.seg[g].ideal = m.seg[g].baseIdeal
	}
	for _, k := range st.startOrder(w) {
		if st.shiftMask[k] == nil {
			continue
		}
		for g := range m.seg {
			mask := st.shiftMask[k][g]
			m.seg[g].ideal = m.seg[g].ideal&^mask | st.shiftVal[k][g]
		}
	}
}

// driftOverride records that demand drift set the practices in mask of
// segment g's ideal (sim/drift.go): they are no longer the shifts' to
// restore, so every shift in force forgets them.
func (st *shockState) driftOverride(g int, mask uint64) {
	for k, m := range st.shiftMask {
		if m != nil {
			m[g] &^= mask
			st.shiftVal[k][g] &^= mask
		}
	}
}

// startOrder returns the shocks' indices in the order they start: by tick,
// then by index.
func (st *shockState) startOrder(w *World) []int {
	order := make([]int, len(w.cfg.Shocks))
	for k := range order {
		order[k] = k
	}
	sh := w.cfg.Shocks
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sh[a].Tick, sh[b].Tick) })
	return order
}

// modalStrategy returns the most common strategy of sector s (ties: the
// smaller packed value). The modes of all sectors are found in one pass
// over the sector counts, at most once per tick and only when asked for.
func (w *World) modalStrategy(s int) (uint64, bool) {
	if w.modesAt != w.tick {
		w.modesAt = w.tick
		clear(w.modesN)
		cl := w.cl
		for id, n := range cl.n {
			if n == 0 { // dormant or a hole
				continue
			}
			sec, key := cl.sector[id], cl.strat[id]
			if n > w.modesN[sec] || n == w.modesN[sec] && key < w.modes[sec] {
				w.modes[sec], w.modesN[sec] = key, n
			}
		}
	}
	return w.modes[s], w.modesN[s] > 0
}

// recompute derives the market factors from the active shocks.
func (st *shockState) recompute(w *World) {
	q := w.lay.Q
	m := &w.market
	for j := range m.seg {
		m.seg[j].spend = m.seg[j].baseSpend
	}
	for i := range st.reach {
		st.reach[i] = 1
		st.compDimOp[i] = 0
	}
	clear(st.compSec)
	for k, sh := range w.cfg.Shocks {
		if !st.active[k] {
			continue
		}
		switch sh.Kind {
		case Downturn:
			for s := range m.bestProf {
				if sh.Sector >= 0 && s != sh.Sector {
					continue
				}
				for j := 0; j < m.k; j++ {
					m.seg[s*m.k+j].spend *= 1 - sh.Severity
				}
			}
		case TechDisruption:
			st.reach[sh.Dimension*q+st.targetOpt[k]] *= 1 - sh.Severity
		case PlatformFailure:
			st.reach[w.cfg.Strategy.PlatformDim*q+st.targetOpt[k]] *= 1 - sh.Severity
		case Regulation:
			cost := sh.Severity * w.cfg.Market.FixedCost
			if sh.Dimension >= 0 {
				st.compDimOp[sh.Dimension*q+st.targetOpt[k]] += cost
			} else {
				for s := range st.compSec {
					if sh.Sector < 0 || s == sh.Sector {
						st.compSec[s] += cost
					}
				}
			}
		}
	}
	st.reachDims, st.compDims = st.reachDims[:0], st.compDims[:0]
	for d := 0; d < w.lay.D; d++ {
		r, c := false, false
		for o := 0; o < q; o++ {
			r = r || st.reach[d*q+o] != 1
			c = c || st.compDimOp[d*q+o] != 0
		}
		if r {
			st.reachDims = append(st.reachDims, d)
		}
		if c {
			st.compDims = append(st.compDims, d)
		}
	}
}

// compliance returns the regulation cost per tick of a firm of the given
// sector with strategy s.
func (st *shockState) compliance(w *World, sector int, s uint64) float64 {
	c := st.compSec[sector]
	for _, d := range st.compDims {
		c += st.compDimOp[d*w.lay.Q+w.lay.Get(s, d)]
	}
	return c
}
