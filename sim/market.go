package sim

import (
	"math/rand/v2"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
)

// market holds the customer segments and the per-tick market state.
type market struct {
	k        int       // segments per sector
	seg      []segment // sector-major: segment j of sector s at s·k+j
	platform []float64 // reach factor of each platform option (network effect)
	ideals   []uint64  // the segments' ideals the classes' distances were tabulated for
	bestProf []int32   // per sector: slot of the most profitable alive firm (-1: none)
	bestVal  []float64 // during clear: the profit average of bestProf
	top      []int32   // the largest firms by revenue this tick, largest first
	media    uint64    // strategy the media broadcast shows
	hasMedia bool
	// Slots of the firms whose cash fell below zero this tick, in slot
	// order, for the exits (brokeAll: more than the list holds, scan).
	broke    []int32
	brokeAll bool
	revenue  float64 // total revenue
	hhi      float64
	margin   float64 // mean margin of the firms alive after the tick's exits
	cashMean float64
	crowd    []float64 // per sector s: κ·R/N_s, the margin penalty per rival
	live     []int32   // this tick: the classes with firms, by id (listLive)

	secProfit []float64 // per sector: Σ profit average of alive firms after the last clear
	secCount  []int32   // per sector: alive firms counted in secProfit
	young     int       // alive firms younger than a year (12 ticks)
	hazard    []float64 // per sector: density-dependent exit hazard this tick
	keys, tmp []uint32  // scratch: revenues as float32 bits, radix-sorted
}

// youngAge is the age in ticks below which a firm counts as young: one
// year, as a tick is a month.
const youngAge = 12

// sqrt3 scales a uniform draw on [−1, 1] to unit variance.
const sqrt3 = 1.7320508075688772

// minSize is the smallest scale of operation a firm shrinks to.
const minSize = 0.01

// crowdingReference is R, the sector size crowding is counted against:
// rivals are counted per R positions of the sector (R = 100: as a
// percentage of the sector), so that the margin depends on the share of
// the sector that is near-identical and a market of any size behaves
// alike. In a sector of exactly R positions a rival counts as one.
const crowdingReference = 100

type segment struct {
	ideal     uint64
	baseIdeal uint64  // ideal before demand shifts
	spend     float64 // spend per tick, after shocks
	baseSpend float64
	beta      float64
	outside   float64 // weight of the outside option
	denom     float64 // this tick: outside + Σ attraction
	served    int     // this tick: firms for which this is the nearest segment
	// w[d]: the attraction at distance d ≤ D (≤ 64). 256 entries, so
	// that a distance read as a byte of classOut.dist indexes it without
	// a bounds check.
	w [256]float64
}

func (m *market) init(w *World, sectors int) {
	c := w.cfg.Market
	m.k = 1
	if c.Enabled {
		m.k = c.SegmentsPerSector
	}
	m.seg = make([]segment, sectors*m.k)
	m.ideals = make([]uint64, sectors*m.k)
	m.platform = make([]float64, w.lay.Q)
	for o := range m.platform {
		m.platform[o] = 1
	}
	m.bestProf = make([]int32, sectors)
	m.bestVal = make([]float64, sectors)
	m.top = make([]int32, 0, max(w.cfg.Biases.MediaTop, 1))
	m.broke = make([]int32, 0, 256)
	perSector := w.secSize // spend and crowding scale with the initial firms
	m.secProfit = make([]float64, sectors)
	m.secCount = make([]int32, sectors)
	m.hazard = make([]float64, sectors)
	if c.Enabled {
		m.keys, m.tmp = make([]uint32, 0, w.n), make([]uint32, 0, w.n)
	}
	m.crowd = make([]float64, sectors)
	for s := 0; s < sectors; s++ {
		if perSector[s] > 0 {
			m.crowd[s] = float64(c.CrowdingPenalty*crowdingReference) / float64(perSector[s])
		}
		total := c.SpendPerFirm * float64(perSector[s])
		for j := 0; j < m.k; j++ {
			g := &m.seg[s*m.k+j]
			g.ideal = w.randomStrategy(w.rInit)
			g.baseIdeal = g.ideal
			m.ideals[s*m.k+j] = g.ideal
			share := c.MainstreamShare
			if j > 0 {
				share = (1 - c.MainstreamShare) / float64(m.k-1)
			}
			g.baseSpend = total * share
			g.spend = g.baseSpend
			g.beta = c.Sharpness
			g.outside = float64(perSector[s]) * xmath.Exp(c.Sharpness*c.OutsideOption)
			m.weights(g, w.lay.D)
		}
	}
}

// drawSegment returns the ideal of a segment of sector s drawn with
// probability proportional to its spend: the customers an initial firm was
// set up to serve.
func (m *market) drawSegment(w *World, s int, r *rand.Rand) uint64 {
	segs := m.seg[s*m.k : s*m.k+m.k]
	total := 0.0
	for j := range segs {
		total += segs[j].baseSpend
	}
	u := r.Float64() * total
	for j := range segs {
		if u < segs[j].baseSpend {
			return segs[j].ideal
		}
		u -= segs[j].baseSpend
	}
	return segs[len(segs)-1].ideal
}

// weights tabulates a segment's attraction exp(β·(1 − d/D)) by distance d.
func (m *market) weights(g *segment, D int) {
	for d := 0; d <= D; d++ {
		g.w[d] = xmath.Exp(g.beta * (1 - float64(d)/float64(D)))
	}
}

// reach returns the reach factor of a firm with strategy s: the platform's
// network effect times the shocks acting on its practices.
func (w *World) reach(s uint64) float64 {
	r := 1.0
	if pd := w.cfg.Strategy.PlatformDim; pd >= 0 {
		r = w.market.platform[w.lay.Get(s, pd)]
	}
	for _, d := range w.shocks.reachDims {
		r *= w.shocks.reach[d*w.lay.Q+w.lay.Get(s, d)]
	}
	return r
}

// distance returns the distance of class id to segment j of its sector's
// segments segs, from the distances tabulated this tick.
func (c *classes) distance(l agents.Layout, id int32, segs []segment, j int) int {
	if j < 8 {
		return int(c.out[id].dist >> (8 * j) & 0xff)
	}
	return l.Distance(c.strat[id], segs[j].ideal)
}

// clear runs the market for one tick: every segment splits its spend over
// the firms of its sector by a logit on their match, with an outside
// option; margins fall with crowding; profits go to cash.
func (m *market) clear(w *World) {
	m.platformReach(w)
	for j := range m.seg {
		g := &m.seg[j]
		g.denom = g.outside
		g.served = 0
	}
	w.compactClasses()
	m.matchClasses(w)
	// Denominators, firm by firm in slot order. A firm's attraction is its
	// class's times its weight S_i·θ_i·n(age).
	if m.k == 4 {
		m.young = m.denominators4(w)
	} else {
		m.young = m.denominators(w)
	}
	m.classOutcomes(w)
	m.settle(w)
	m.pickMedia(w)
}

// platformReach sets each platform's reach, 1 + effect × its share of the
// alive firms, from the counts of the last tick.
func (m *market) platformReach(w *World) {
	if pd := w.cfg.Strategy.PlatformDim; pd >= 0 && w.aliveN > 0 {
		for o := range m.platform {
			share := float64(w.dimCount[pd*w.lay.Q+o]) / float64(w.aliveN)
			m.platform[o] = 1 + w.cfg.Market.PlatformEffect*share
		}
	}
}

// matchClasses computes, per class of firms (all firms of a class get the
// same market outcome), its reach, its distances to its sector's segments
// and its nearest segment, which it serves. With at most 8 segments per
// sector a class's distances are kept from tick to tick (a class's
// strategy does not change) until the segments' ideals change or the id
// is given to a new class (classes.joinHint).
func (m *market) matchClasses(w *World) {
	l, k, cl := w.lay, m.k, w.cl
	stale := k > 8 || m.idealsMoved()
	m.listLive(cl, stale)
	for _, id := range m.live {
		n, o := cl.n[id], &cl.out[id]
		s, sec := cl.strat[id], int(cl.sector[id])
		o.reach = w.reach(s)
		if cl.coh != nil { // practices that interact: the class's coherence
			o.reach = float64(o.reach * cl.coh[id])
		}
		segs := m.seg[sec*k : sec*k+k]
		best := 0
		if dist := o.dist; !stale && dist != distUnset {
			bestD := dist & 0xff
			for j := 1; j < len(segs); j++ {
				if d := dist >> (8 * j) & 0xff; d < bestD {
					best, bestD = j, d
				}
			}
		} else {
			bestD := l.D + 1
			dist = 0
			for j := range segs {
				d := l.Distance(s, segs[j].ideal)
				if j < 8 {
					dist |= uint64(d) << (8 * j)
				}
				if d < bestD {
					best, bestD = j, d
				}
			}
			o.dist = dist
		}
		segs[best].served += int(n)
	}
}

// listLive lists in m.live the ids of the classes with firms, in id
// order, for matchClasses and classOutcomes: live and dormant classes
// alternate among the ids, so a test per id would often be mispredicted;
// the list is built without a branch. When the ideals moved (stale), the
// dormant classes' distances are marked not tabulated: a class may wake
// up later.
func (m *market) listLive(cl *classes, stale bool) {
	if cap(m.live) < len(cl.n) {
		// As big as the class arrays' reserve, once: the OS maps only
		// the pages used.
		m.live = make([]int32, 0, max(cap(cl.n), len(cl.n)))
	}
	live := m.live[:len(cl.n)]
	c := 0
	for id, n := range cl.n {
		live[c] = int32(id)
		c += b2i(n != 0)
	}
	m.live = live[:c]
	if stale {
		for id, n := range cl.n {
			if n == 0 {
				cl.out[id].dist = distUnset
			}
		}
	}
}

// distUnset marks a classOut whose distances are not tabulated (a
// distance is at most 64, so no tabulated byte is 0xff).
const distUnset = ^uint64(0)

// idealsMoved reports whether a segment's ideal changed since the last
// call (by a demand shift or drift), and records the ideals.
func (m *market) idealsMoved() bool {
	moved := false
	for j := range m.seg {
		if m.ideals[j] != m.seg[j].ideal {
			m.ideals[j], moved = m.seg[j].ideal, true
		}
	}
	return moved
}

// classOutcomes computes, per class: revenue per unit of weight, margin
// after crowding, fixed cost per unit of cost scale, and the growth
// signal μ·v/F.
func (m *market) classOutcomes(w *World) {
	c := w.cfg.Market
	l, k, cl := w.lay, m.k, w.cl
	fixed := c.FixedCost
	ad := w.cfg.Strategy.AutomationDim
	for _, id := range m.live { // the classes with firms (matchClasses)
		s, sec := cl.strat[id], int(cl.sector[id])
		o := &cl.out[id]
		r := o.reach
		segs := m.seg[sec*k : sec*k+k]
		rev := 0.0
		if k <= 8 { // the distances tabulated this tick, a byte each
			dist := o.dist
			for j := range segs {
				g := &segs[j]
				rev += float64(g.spend*float64(r*g.w[dist>>(8*j)&0xff])) / g.denom
			}
		} else {
			for j := range segs {
				g := &segs[j]
				rev += float64(g.spend*float64(r*g.w[cl.distance(l, id, segs, j)])) / g.denom
			}
		}
		mu := c.BaseMargin / (1 + float64(m.crowd[sec]*float64(cl.rivals(id))))
		cost := fixed
		if ad >= 0 && l.Get(s, ad) == 0 {
			cost -= float64(fixed * c.AutomationSaving)
		}
		cost += w.shocks.compliance(w, sec, s)
		o.rev, o.mu, o.cost, o.grow = rev, mu, cost, 0
		if cost > 0 {
			o.grow = float64(mu*rev) / cost
		}
	}
}

// settle pays every alive firm, in slot order: revenue, cost and profit,
// cash, profit memory, growth; and sums the market's totals, each sector's
// profits and best firm, the firms gone broke and the largest firms.
func (m *market) settle(w *World) {
	for j := range m.bestProf {
		m.bestProf[j] = -1
		m.secProfit[j], m.secCount[j] = 0, 0
	}
	dm := w.cfg.Demography
	p := settleParams{
		alpha: w.cfg.Behaviour.ProfitMemory, payout: w.cfg.Market.Payout,
		overhead: dm.Overhead, scaled: 1 - dm.Overhead,
		eta: dm.GrowthRate, noise: float64(dm.GrowthNoise * sqrt3),
		// The largest firms are needed only for the media broadcast.
		media: w.cfg.Biases.Availability > 0,
	}
	p.grow = p.eta > 0 || p.noise > 0
	// The growth noise's stream is stepped in registers during the pass.
	var dg pcg
	if p.noise > 0 {
		dg = loadPCG(w.dGrow.p)
	}
	m.top = m.top[:0]
	m.broke, m.brokeAll = m.broke[:0], false
	// Block by block: the firms of one sector, whose sums are held in
	// registers over the block, with the same additions in the same order
	// as firm by firm in memory.
	var t settleTotals
	for _, b := range w.blocks {
		t, dg = m.settleBlock(w, b, &p, t, dg)
	}
	if p.noise > 0 {
		dg.store(w.dGrow.p)
	}
	// The HHI is summed over the same firms, in the same order, by
	// evaluateTrials, the next pass over them.
	m.revenue = t.revenue
	// Means over the firms still alive after this tick's exits (those
	// with negative cash exit once trials are evaluated, which moves no
	// money).
	if t.stay > 0 {
		m.margin = t.margin / float64(t.stay)
		m.cashMean = t.cash / float64(t.stay)
	}
}

// settleParams are settle's parameters of the tick.
type settleParams struct {
	alpha, payout, overhead, scaled, eta, noise float64
	grow, media                                 bool
}

// settleTotals are the market's running sums in settle: revenue, and the
// margin and cash of the firms that stay.
type settleTotals struct {
	revenue, margin, cash float64
	stay                  int
}

// settleBlock is settle for the alive firms of block b, from the running
// totals t and the growth noise's generator dg; it returns both advanced.
func (m *market) settleBlock(w *World, b sectorBlock, p *settleParams, t settleTotals, dg pcg) (settleTotals, pcg) {
	sec := int(b.sec)
	alpha, payout, overhead, scaled, eta, noise, grow := p.alpha, p.payout, p.overhead, p.scaled, p.eta, p.noise, p.grow
	secProfit, secCount, best, bestVal := m.secProfit[sec], m.secCount[sec], m.bestProf[sec], m.bestVal[sec]
	cls, out, demo, newness, tick := w.cls, w.cl.out, w.demo, w.newness, w.tick
	revenue, cashes, profitAvg, trial := w.revenue, w.cash, w.profitAvg, w.trial
	// The per-slot arrays resliced to one length: one bounds check for all.
	n := len(cls)
	demo, revenue, cashes, profitAvg, trial = demo[:n], revenue[:n], cashes[:n], profitAvg[:n], trial[:n]
	for i := range w.alive.between(int(b.lo), int(b.hi)) {
		o := &out[cls[i]]
		d := &demo[i]
		mu, sz, q := o.mu, d.size, d.weightPerSize(tick, newness)
		rev := float64(float64(sz*q) * o.rev)
		cost := float64(o.cost * float64(overhead+float64(scaled*float64(sz*sz))))
		profit := float64(mu*rev) - cost
		revenue[i] = rev
		if grow {
			// Gibrat growth with the market's feedback: the marginal
			// profit of size, μR/S − 2(1−ω)·F·S, per unit of fixed
			// cost F, that is μ·v·q/F − 2(1−ω)·S, clamped to ±1, plus
			// idiosyncratic noise.
			// (Plain comparisons: the builtin min and max also order
			// NaNs and signed zeros, which costs in this loop.)
			g := 0.0
			if o.cost > 0 {
				marginal := float64(o.grow*q) - float64(2*scaled*sz)
				if marginal > 1 {
					marginal = 1
				} else if marginal < -1 {
					marginal = -1
				}
				g = float64(eta * marginal)
			}
			if noise > 0 {
				var x uint64
				dg, x = dg.next()
				g += float64(noise * float64(2*unitFloat(x)-1))
			}
			ns := float64(sz * (1 + g))
			if ns < minSize {
				ns = minSize
			}
			d.size = ns
		}
		cash := cashes[i] + profit
		if cash > 0 {
			cash -= float64(payout * cash)
		}
		cashes[i] = cash
		pa := float64(alpha*profit) + float64((1-alpha)*profitAvg[i])
		profitAvg[i] = pa
		if k := trial[i]; k != 0 {
			w.trials.e[k-1].sum += profit
		}
		t.revenue += rev
		if cash >= 0 { // firms with negative cash exit this tick
			t.margin += mu
			t.cash += cash
			t.stay++
		} else if cash < 0 { // (not NaN)
			m.addBroke(int32(i))
		}
		secProfit += pa
		secCount++
		if best < 0 || pa > bestVal {
			best, bestVal = int32(i), pa
		}
		if p.media && (len(m.top) < cap(m.top) || rev > revenue[m.top[len(m.top)-1]]) {
			m.insertTop(w, int32(i))
		}
	}
	m.secProfit[sec], m.secCount[sec], m.bestProf[sec], m.bestVal[sec] = secProfit, secCount, best, bestVal
	return t, dg
}

// addBroke lists firm i as gone broke (brokeAll: more than the list holds).
func (m *market) addBroke(i int32) {
	if len(m.broke) < cap(m.broke) {
		m.broke = append(m.broke, i)
	} else {
		m.brokeAll = true
	}
}

// denominators adds every alive firm's attraction to its sector's
// segment denominators, firm by firm in slot order, and returns the
// number of alive firms younger than a year. A firm's attraction is its
// class's times its weight S_i·θ_i·n(age).
func (m *market) denominators(w *World) (young int) {
	l, k, cl := w.lay, m.k, w.cl
	cls, sector, out := w.cls, w.sector, cl.out
	demo, newness := w.demo, w.newness
	for i := range w.alive.all() {
		id := cls[i]
		sec := int(sector[i])
		o := &out[id]
		d := &demo[i]
		if d.young(w.tick) {
			young++
		}
		r := float64(o.reach * d.weight(w.tick, newness))
		segs := m.seg[sec*k : sec*k+k]
		if k <= 8 {
			for j := range segs {
				segs[j].denom += float64(r * segs[j].w[o.dist>>(8*j)&0xff])
			}
			continue
		}
		for j := range segs {
			segs[j].denom += float64(r * segs[j].w[cl.distance(l, id, segs, j)])
		}
	}
	return young
}

// denominators4 is denominators for 4 segments per sector (the reference
// market), with the sector's four sums held in registers while the slots
// stay in one sector (sectors are contiguous blocks of slots), so that
// each sum takes exactly the additions, in the same order, that
// denominators makes in memory.
func (m *market) denominators4(w *World) (young int) {
	cls, out := w.cls, w.cl.out
	demo, newness, t := w.demo, w.newness, w.tick
	demo = demo[:len(cls)] // one bounds check for both
	for _, b := range w.blocks {
		g := (*[4]segment)(m.seg[int(b.sec)*4 : int(b.sec)*4+4])
		d0, d1, d2, d3 := g[0].denom, g[1].denom, g[2].denom, g[3].denom
		for i := range w.alive.between(int(b.lo), int(b.hi)) {
			o := &out[cls[i]]
			d := &demo[i]
			if d.young(t) {
				young++
			}
			r := float64(o.reach * d.weight(t, newness))
			dist := o.dist
			d0 += float64(r * g[0].w[dist&0xff])
			d1 += float64(r * g[1].w[dist>>8&0xff])
			d2 += float64(r * g[2].w[dist>>16&0xff])
			d3 += float64(r * g[3].w[dist>>24&0xff])
		}
		g[0].denom, g[1].denom, g[2].denom, g[3].denom = d0, d1, d2, d3
	}
	return young
}

// insertTop keeps m.top as the largest firms by revenue (ties: lower slot).
func (m *market) insertTop(w *World, i int32) {
	capTop := cap(m.top)
	rev := w.revenue[i]
	if len(m.top) == capTop && rev <= w.revenue[m.top[len(m.top)-1]] {
		return
	}
	if len(m.top) < capTop {
		m.top = append(m.top, i)
	}
	j := len(m.top) - 1
	for j > 0 && w.revenue[m.top[j-1]] < rev {
		m.top[j] = m.top[j-1]
		j--
	}
	m.top[j] = i
}

// pickMedia sets the media broadcast: the strategy most common among the
// largest firms (ties: the one of the larger firm).
func (m *market) pickMedia(w *World) {
	m.hasMedia = len(m.top) > 0
	best, bestN := uint64(0), 0
	for _, i := range m.top {
		s := w.strat[i]
		c := 0
		for _, j := range m.top {
			if w.strat[j] == s {
				c++
			}
		}
		if c > bestN {
			best, bestN = s, c
		}
	}
	m.media = best
}

// mediaVisibility is the media broadcast's visibility: the mean revenue of
// the largest firms.
func (m *market) mediaVisibility(w *World) float64 {
	if len(m.top) == 0 {
		return 0
	}
	s := 0.0
	for _, i := range m.top {
		s += w.revenue[i]
	}
	return s / float64(len(m.top))
}
