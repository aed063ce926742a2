package sim

// streamDrift seeds the PCG stream of demand drift ("drif"), so that
// switching drift on changes no other draw.
const streamDrift = 0x64726966

// drift moves demand for one tick, before entry and the market (docs/model.md,
// "Demand that moves"). Sector by sector: with probability ξ one niche
// (uniform among segments 1…K−1) closes and a new one opens at a uniformly
// drawn ideal with the same spend; then each segment's ideal, with
// probability δ, changes one practice (uniform dimension) to a uniformly
// drawn different option. Drift moves the segment's own ideal: while a
// demand shift is active the shifted ideal takes the same change, and the
// ideal a shift with a duration returns to is the drifted one: a drifted
// practice is no longer one the shift set (shockState.driftOverride), so
// the ideals stay what composeIdeals would rebuild.
func (w *World) drift() {
	c := w.cfg.Market
	l := w.lay
	m := &w.market
	r := w.rDrift
	for s := range len(m.seg) / m.k {
		segs := m.seg[s*m.k : (s+1)*m.k]
		if c.NicheTurnover > 0 && m.k > 1 && r.Float64() < c.NicheTurnover {
			j := 1 + r.IntN(m.k-1)
			g := &segs[j]
			g.ideal = w.randomStrategy(r)
			g.baseIdeal = g.ideal
			w.shocks.driftOverride(s*m.k+j, ^uint64(0)) // a new niche: no shift applies
		}
		if c.Drift <= 0 {
			continue
		}
		for j := range segs {
			if r.Float64() >= c.Drift {
				continue
			}
			g := &segs[j]
			d := r.IntN(l.D)
			o := l.OtherOption(g.baseIdeal, d, r)
			g.baseIdeal = l.Set(g.baseIdeal, d, o)
			g.ideal = l.Set(g.ideal, d, o)
			w.shocks.driftOverride(s*m.k+j, (uint64(1)<<l.B-1)<<(d*l.B))
		}
	}
}
