package sim

import (
	"github.com/smbsim/smbsim/agents"
)

// decidePayoff is one round of the payoff-only mode (landscape.payoff_only,
// market off): Lazer and Friedman's (2007) model of parallel problem
// solving on an NK landscape. All agents decide on the same state
// (synchronous), in slot order. An agent acts with probability
// behaviour.revision. With probability landscape.velocity it looks at all
// its neighbours (on a complete network, every other agent): if the best
// of them (highest fitness; ties: the first in neighbour order, on a
// complete network the lowest slot) scores higher than itself, it copies
// that agent's whole strategy, each practice wrongly (a uniformly drawn
// other option) with probability landscape.error. Otherwise it tries one
// random practice change and keeps it only if its fitness is higher.
// Ranking by f or by the score (f/f_max)^e is the same, as the score is
// increasing in f.
func (w *World) decidePayoff() {
	ls, l, lc := w.land, w.lay, w.cfg.Landscape
	fit := w.pfit
	r := w.rDecide
	best1, best2 := -1, -1 // the two fittest agents (complete network)
	for i := range w.alive.all() {
		fit[i] = ls.fitness(l, w.strat[i])
		switch {
		case best1 < 0 || fit[i] > fit[best1]:
			best1, best2 = i, best1
		case best2 < 0 || fit[i] > fit[best2]:
			best2 = i
		}
	}
	rev := w.cfg.Behaviour.Revision
	w.revising = w.revising[:0]
	for i := range w.alive.all() {
		if rev < 1 && r.Float64() >= rev {
			continue
		}
		s := w.strat[i]
		if lc.Velocity >= 1 || r.Float64() < lc.Velocity {
			j := best1
			if j == i {
				j = best2
			}
			if !w.net.Complete {
				j = -1
				for _, n := range w.net.Neighbours(i) {
					if nb := int(n); w.isAlive(nb) && (j < 0 || fit[nb] > fit[j]) {
						j = nb
					}
				}
			}
			if j >= 0 && fit[j] > fit[i] {
				t := w.strat[j]
				if lc.Error > 0 {
					for d := 0; d < l.D; d++ {
						if r.Float64() < lc.Error {
							t = l.Set(t, d, l.OtherOption(t, d, r))
						}
					}
				}
				if t != s {
					w.revising = append(w.revising, proposal{s: t, i: int32(i), mv: agents.Imitate, t: agents.Imitator})
				}
				continue
			}
		}
		if t := l.Mutate(s, 1, r); ls.fitness(l, t) > fit[i] {
			w.revising = append(w.revising, proposal{s: t, i: int32(i), mv: agents.Incremental, t: agents.Innovator})
		}
	}
	for _, p := range w.revising {
		w.commit(int(p.i), p.s, p.mv, p.t)
	}
}

// meanScore returns the mean payoff-only score (f/f_max)^e of the alive
// firms.
func (w *World) meanScore() float64 {
	sum := 0.0
	e := w.cfg.Landscape.Exponent
	for i := range w.alive.all() {
		sum += w.land.score(w.land.fitness(w.lay, w.strat[i]), e)
	}
	return sum / float64(w.aliveN)
}

// meanFitness returns the mean NK fitness f of the alive firms of a market
// with practices that interact, from the per-class cache.
func (w *World) meanFitness() float64 {
	cl := w.cl
	sum := 0.0
	for id, n := range cl.n {
		if n > 0 {
			sum += float64(n) * cl.fit[id]
		}
	}
	return sum / float64(w.aliveN)
}
