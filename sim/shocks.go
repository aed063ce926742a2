package sim

// shockState turns the scheduled shocks into market factors. Factors are
// recomputed from the set of active shocks whenever it changes, so
// overlapping shocks compose (multiplicatively for spend and reach,
// additively for compliance costs).
type shockState struct {
	active    []bool
	targetOpt []int // resolved option of each shock (most common when it hit)
	reach     []float64
	reachDims []int     // dimensions with a reach factor ≠ 1
	compDimOp []float64 // compliance cost by d·Q+o
	compDims  []int
	compSec   []float64 // compliance cost by sector
}

func (st *shockState) init(w *World) {
	q := w.lay.Q
	st.active = make([]bool, len(w.cfg.Shocks))
	st.targetOpt = make([]int, len(w.cfg.Shocks))
	st.reach = make([]float64, w.lay.D*q)
	st.compDimOp = make([]float64, w.lay.D*q)
	st.compSec = make([]float64, len(w.market.bestProf))
	st.reachDims = make([]int, 0, w.lay.D)
	st.compDims = make([]int, 0, w.lay.D)
}

// apply starts the shocks scheduled for this tick and ends those whose
// duration is over, then recomputes the market factors.
func (st *shockState) apply(w *World) {
	changed := false
	for k, sh := range w.cfg.Shocks {
		switch {
		case sh.Tick == w.tick:
			st.active[k] = true
			st.start(w, k)
			changed = true
		case st.active[k] && sh.Duration > 0 && w.tick == sh.Tick+sh.Duration:
			st.active[k] = false
			if sh.Kind == DemandShift {
				st.restoreIdeals(w, sh)
			}
			changed = true
		}
	}
	if changed {
		st.recompute(w)
	}
}

// start resolves a shock's target when it hits.
func (st *shockState) start(w *World, k int) {
	sh := w.cfg.Shocks[k]
	switch sh.Kind {
	case DemandShift:
		st.shiftIdeals(w, sh)
	case TechDisruption, PlatformFailure, Regulation:
		d := sh.Dimension
		if sh.Kind == PlatformFailure {
			d = w.cfg.Strategy.PlatformDim
		}
		o := sh.Option
		if o < 0 && d >= 0 {
			o = w.commonOption(d)
		}
		st.targetOpt[k] = o
	}
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

// shiftIdeals moves the targeted segments' ideals away from the current
// mainstream: in round(severity·D) randomly chosen practices (at least
// one), the ideal takes a random option that differs both from its own
// and from the sector's most common strategy.
func (st *shockState) shiftIdeals(w *World, sh Shock) {
	l := w.lay
	m := &w.market
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
			n := max(1, int(sh.Severity*float64(l.D)+0.5))
			var done uint64
			for c := 0; c < n && c < l.D; c++ {
				d := w.rShock.IntN(l.D)
				for done>>d&1 != 0 {
					d = w.rShock.IntN(l.D)
				}
				done |= 1 << d
				cur := l.Get(g.ideal, d)
				avoid := cur
				if ok {
					avoid = l.Get(mode, d)
				}
				// Draw among options other than cur and avoid.
				o := w.rShock.IntN(l.Q)
				for tries := 0; (o == cur || o == avoid) && tries < 64; tries++ {
					o = w.rShock.IntN(l.Q)
				}
				g.ideal = l.Set(g.ideal, d, o)
			}
		}
	}
}

func (st *shockState) restoreIdeals(w *World, sh Shock) {
	m := &w.market
	for s := range m.bestProf {
		if sh.Sector >= 0 && s != sh.Sector {
			continue
		}
		for j := 0; j < m.k; j++ {
			if sh.Segment < 0 || j == sh.Segment {
				m.seg[s*m.k+j].ideal = m.seg[s*m.k+j].baseIdeal
			}
		}
	}
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
