package sim

import (
	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
)

// enter draws this tick's entrants sector by sector and places each in a
// position of its sector: a position left by an exit (uniformly drawn) if
// there is one, else the sector's next reserve position. The founding rate
// of sector s is e·N_s·A_s·L_s: e the entry rate per initial firm, N_s the
// sector's initial firms, A_s = max(0, 1 + ε·π̄_s/F) the market's
// attraction (π̄_s the mean profit average of the sector's firms after the
// last tick, F the fixed cost) and L_s = exp(ℓ·ñ − c·ñ²) the optional
// density dependence, ñ = alive/N_s. Entrants beyond the positions are
// lost (counted in w.lost).
func (w *World) enter() {
	c := w.cfg.Market
	dm := w.cfg.Demography
	m := &w.market
	w.lost = 0
	for sec := range w.secSize {
		ns := float64(w.secSize[sec])
		lambda := c.EntryRate * ns
		if dm.EntryResponse > 0 && m.secCount[sec] > 0 && c.FixedCost > 0 {
			mean := m.secProfit[sec] / float64(m.secCount[sec])
			lambda *= max(0, 1+float64(dm.EntryResponse*mean)/c.FixedCost)
		}
		if dm.FoundingLegitimation != 0 || dm.FoundingCompetition != 0 {
			d := float64(w.aliveSec[sec]) / ns
			lambda *= xmath.Exp(float64(dm.FoundingLegitimation*d) - float64(dm.FoundingCompetition*float64(d*d)))
		}
		for arrivals := poisson(w, lambda); arrivals > 0; arrivals-- {
			i := w.openPosition(sec)
			if i < 0 {
				w.lost += arrivals
				break
			}
			s := w.foundingStrategy(sec)
			if w.rEntry.Float64() < c.EntryCopy {
				switch c.EntryMode {
				case CopyPopular:
					if mode, ok := w.modalStrategy(sec); ok {
						s = mode
					}
				case CopyProfitable:
					if b := m.bestProf[sec]; b >= 0 && w.isAlive(int(b)) {
						s = w.strat[b]
					}
				}
			}
			w.birth(i, s, w.drawType(w.rEntry), c.EntryCash, w.rEntry, false)
			w.entries++
		}
	}
}

// foundingStrategy is the strategy of an entrant of sector sec that does
// not copy an incumbent: like an initial firm's, aimed at a target segment
// drawn by spend, each practice the segment's current ideal option with
// probability demography.entry_fit, else uniform.
func (w *World) foundingStrategy(sec int) uint64 {
	target := w.market.drawSegment(w, sec, w.rEntry)
	fit := w.cfg.Demography.EntryFit
	var s uint64
	for d := 0; d < w.lay.D; d++ {
		o := w.rEntry.IntN(w.lay.Q)
		if w.rEntry.Float64() < fit {
			o = w.lay.Get(target, d)
		}
		s = w.lay.Set(s, d, o)
	}
	return s
}

// openPosition returns a free position of sector sec for an entrant, -1 if
// there is none: a vacated one drawn uniformly, else the next reserve one.
func (w *World) openPosition(sec int) int {
	if v := w.vacant[sec]; len(v) > 0 {
		k := w.rEntry.IntN(len(v))
		i := int(v[k])
		v[k] = v[len(v)-1]
		w.vacant[sec] = v[:len(v)-1]
		return i
	}
	if w.fresh[sec] < w.freshEnd[sec] {
		i := int(w.fresh[sec])
		w.fresh[sec]++
		return i
	}
	return -1
}

// poisson draws from a Poisson distribution with mean lambda by inversion,
// splitting large means into chunks (a sum of Poissons is Poisson).
func poisson(w *World, lambda float64) int {
	n := 0
	for lambda > 0 {
		l := min(lambda, 30)
		lambda -= l
		p := xmath.Exp(-l)
		f := p
		u := w.rEntry.Float64()
		k := 0
		for u > f && k < 1000 {
			k++
			p *= l / float64(k)
			f += p
		}
		n += k
	}
	return n
}

// evaluateTrials ends pilot trials whose window is over: a change whose
// mean profit over the window fell below the firm's profit average before
// it is reverted, unless confirmation bias keeps it (probability equal to
// the bias strength). Adaptive firms learn from the outcome.
//
// The same pass over the firms the market just cleared sums the market's
// HHI, Σ (revenue share)², in slot order, which saves a pass of its own.
func (w *World) evaluateTrials() {
	win := w.cfg.Behaviour.PilotWindow
	total, hhi := w.market.revenue, 0.0
	shares := total > 0
	revenue := w.revenue
	for i := range w.alive.all() {
		if shares {
			sh := revenue[i] / total
			hhi += float64(sh * sh)
		}
		if w.trial[i] != 0 {
			w.evaluateTrial(i, win)
		}
	}
	w.market.hhi = hhi
}

// evaluateTrial counts down firm i's trial and ends it when it is over.
func (w *World) evaluateTrial(i, win int) {
	k := w.trial[i]
	tr := &w.trials.e[k-1]
	if tr.left--; tr.left > 0 {
		return
	}
	ok := tr.sum/float64(win) >= tr.base
	prev, hint, typ := tr.prev, tr.prevCls, tr.typ
	w.trials.end(k)
	w.trial[i] = 0
	if !ok && w.rDecide.Float64() >= float64(w.bias.confirmation) {
		w.setStrategyHint(i, prev, hint)
		w.reversions++
	}
	if w.typ[i] == agents.Adaptive {
		reward := 0.0
		if ok {
			reward = 1
		}
		w.propens[i].Reinforce(typ, reward, w.cfg.Behaviour.Forgetting)
	}
}

// decide lets revising firms choose and make their moves.
func (w *World) decide() {
	if w.pureAxelrod() {
		w.decideAxelrod()
		return
	}
	w.settlePending() // moves deferred by earlier pure Axelrod ticks, if any
	if w.pfit != nil {
		w.decidePayoff()
		return
	}
	rev := w.cfg.Behaviour.Revision
	dr := w.dDecide
	many := w.edgesManyMoves() // then recount the active edges once (edgesPause)
	if w.cfg.Schedule == Asynchronous {
		moves := 0
		for a := 0; a < w.n; a++ {
			i := dr.IntN(w.n)
			if !w.isAlive(i) || w.trial[i] != 0 || (rev < 1 && dr.Float64() >= rev) {
				continue
			}
			if s, mv, t := w.choose(i); mv != agents.NoMove {
				if moves++; moves == many {
					w.edgesPause()
				}
				w.commit(i, s, mv, t)
			}
		}
		return
	}
	// Synchronous: everyone decides on the same state, then all apply.
	// The revision draws come from a copy of the stream's state stepped
	// in registers, handed back while a revising firm chooses (choose
	// draws from the same stream): the same draws in the same order.
	w.revising = w.revising[:0]
	g := loadPCG(dr.p)
	for i := range w.alive.all() {
		if w.trial[i] != 0 {
			continue
		}
		if rev < 1 {
			var x uint64
			g, x = g.next()
			if unitFloat(x) >= rev {
				continue
			}
		}
		g.store(dr.p)
		s, mv, t := w.choose(i)
		g = loadPCG(dr.p)
		if mv != agents.NoMove {
			w.revising = append(w.revising, proposal{s: s, i: int32(i), mv: mv, t: t})
		}
	}
	g.store(dr.p)
	if many > 0 && len(w.revising) >= many {
		w.edgesPause()
	}
	for _, p := range w.revising {
		w.commit(int(p.i), p.s, p.mv, p.t)
	}
}

// choose returns the strategy firm i moves to, the kind of move and the
// behaviour that produced it (NoMove: it stays).
func (w *World) choose(i int) (uint64, agents.Move, agents.Type) {
	l := w.lay
	b := w.cfg.Behaviour
	s := w.strat[i]
	if b.Imitation == ImitateAxelrod && w.typ[i] == agents.Imitator {
		j := w.neighbour(i, w.dDecide)
		if j < 0 || !w.isAlive(j) {
			return s, agents.NoMove, agents.Imitator
		}
		if t := w.axelrod(s, w.strat[j], w.dDecide); t != s {
			return t, agents.Imitate, agents.Imitator
		}
		return s, agents.NoMove, agents.Imitator
	}
	bias := w.bias
	if bias.herding > 0 && w.rDecide.Float64() < float64(bias.herding) {
		w.observe(i)
		if d, o, ok := l.Herding(s, w.seen, w.cfg.Biases.HerdingThreshold, w.hcounts); ok {
			t := l.Set(s, d, o)
			if w.anchored(i, s, t) {
				return t, agents.Herd, agents.Imitator
			}
			return s, agents.NoMove, agents.Imitator
		}
	}
	typ := w.typ[i]
	if typ == agents.Adaptive {
		typ = w.propens[i].Choose(w.rDecide)
	}
	t, mv := s, agents.NoMove
	switch typ {
	case agents.Imitator:
		t, mv = w.imitate(i)
	case agents.Innovator:
		t, mv = w.innovate(i)
	case agents.Specialist:
		t, mv = w.specialise(i)
	}
	if mv == agents.NoMove || t == s || !w.anchored(i, s, t) {
		return s, agents.NoMove, typ
	}
	return t, mv, typ
}

func (w *World) anchored(i int, s, t uint64) bool {
	if w.anchor == nil { // no anchoring bias: AnchorAccepts accepts, drawing nothing
		return true
	}
	return w.lay.AnchorAccepts(s, t, w.anchor[i], float64(w.bias.anchoring), w.rDecide)
}

// observe fills w.seen (and w.cands) with the alive neighbours firm i
// attends to: all of them when there are at most Attention, else a sample
// of Attention draws.
func (w *World) observe(i int) {
	w.seen, w.cands = w.seen[:0], w.cands[:0]
	att := w.cfg.Behaviour.Attention
	add := func(j int) {
		if j >= 0 && j != i && w.isAlive(j) {
			w.seen = append(w.seen, w.strat[j])
			w.cands = append(w.cands, agents.Candidate{Strategy: w.strat[j], Profit: w.profitAvg[j], Revenue: w.revenue[j]})
		}
	}
	if !w.net.Complete && w.net.Degree(i) <= att {
		for _, j := range w.net.Neighbours(i) {
			add(int(j))
		}
		return
	}
	for a := 0; a < att; a++ {
		j := w.net.SampleNeighbour(i, w.rDecide)
		// On a complete network a draw that hits a vacant position is
		// redrawn, so that vacancies and reserve positions do not dilute
		// attention (bounded, for a nearly empty world).
		for k := 0; w.net.Complete && k < 64 && (j < 0 || !w.isAlive(j)); k++ {
			j = w.net.SampleNeighbour(i, w.rDecide)
		}
		add(j)
	}
}

func (w *World) imitate(i int) (uint64, agents.Move) {
	w.observe(i)
	s := w.strat[i]
	var media *agents.Candidate
	if w.market.hasMedia && w.cfg.Biases.Availability > 0 {
		media = &agents.Candidate{Strategy: w.market.media, Revenue: w.market.mediaVisibility(w)}
	}
	bias := w.bias
	if len(w.cands) == 0 && media == nil {
		return s, agents.NoMove
	}
	model, ok := w.lay.RoleModel(s, w.profitAvg[i], w.cands, media, float64(bias.availability), float64(bias.confirmation), w.rDecide)
	if !ok {
		return s, agents.NoMove
	}
	return w.lay.CopyFrom(s, model, w.cfg.Behaviour.CopyPractices, w.rDecide), agents.Imitate
}

func (w *World) innovate(i int) (uint64, agents.Move) {
	b := w.cfg.Behaviour
	s := w.strat[i]
	if w.cash[i] >= b.RadicalCash*w.cfg.Market.MoveCost(agents.Radical) &&
		w.rDecide.Float64() < b.RadicalShare*(1-float64(w.risk[i])) {
		return w.lay.Mutate(s, b.RadicalChanges, w.rDecide), agents.Radical
	}
	return w.lay.Mutate(s, 1, w.rDecide), agents.Incremental
}

// specialise moves one practice toward the ideal of the segment of the
// firm's sector with the most spend per firm serving it (served = nearest).
func (w *World) specialise(i int) (uint64, agents.Move) {
	m := &w.market
	sec := int(w.sector[i])
	best, bestV := -1, -1.0
	for j := 0; j < m.k; j++ {
		g := &m.seg[sec*m.k+j]
		v := g.spend / float64(1+g.served)
		if v > bestV {
			best, bestV = j, v
		}
	}
	s := w.strat[i]
	if best < 0 {
		return s, agents.NoMove
	}
	ideal := m.seg[sec*m.k+best].ideal
	if s == ideal {
		return s, agents.NoMove
	}
	return w.lay.CopyFrom(s, ideal, 1, w.rDecide), agents.Specialise
}

// MoveCost is what a move of kind mv costs: its own cost, or imitate_cost
// for every move under the equal-move-costs control; 0 for no move.
func (c *MarketConfig) MoveCost(mv agents.Move) float64 {
	if mv == agents.NoMove {
		return 0
	}
	if c.EqualMoveCosts {
		return c.ImitateCost
	}
	switch mv {
	case agents.Imitate, agents.Herd:
		return c.ImitateCost
	case agents.Incremental:
		return c.IncrementalCost
	case agents.Radical:
		return c.RadicalCost
	case agents.Specialise:
		return c.SpecialiseCost
	}
	return 0
}

// commit applies firm i's move: it pays the move's cost and, unless the
// move came from herding, starts a pilot trial.
func (w *World) commit(i int, s uint64, mv agents.Move, t agents.Type) {
	c := w.cfg.Market
	prev, prevCls := w.strat[i], int32(-1)
	if w.cl != nil {
		prevCls = w.cls[i]
	}
	w.setStrategy(i, s)
	cost := c.MoveCost(mv)
	switch mv {
	case agents.Imitate:
		w.imitations++
	case agents.Herd:
		w.herdMoves++
	case agents.Incremental, agents.Radical:
		w.innovations++
	case agents.Specialise:
		w.specialising++
	}
	if !c.Enabled {
		return
	}
	w.cash[i] -= cost
	if mv != agents.Herd && w.cfg.Behaviour.PilotWindow > 0 {
		w.trial[i] = w.trials.start(trial{prev: prev, base: w.profitAvg[i], prevCls: prevCls, left: int16(w.cfg.Behaviour.PilotWindow), typ: t})
	} else if mv != agents.Herd && w.typ[i] == agents.Adaptive {
		// Without a pilot window there is no outcome to learn from: the
		// propensities only decay (reward 0). A herd move is not the
		// firm's chosen behaviour and leaves them unchanged.
		w.propens[i].Reinforce(t, 0, w.cfg.Behaviour.Forgetting)
	}
}
