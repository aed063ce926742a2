package sim

import (
	"math/bits"

	"github.com/smbsim/smbsim/agents"
)

// pureAxelrod reports whether this tick's decisions are Axelrod's culture
// model and nothing else: asynchronous activation, no market (so no cash,
// trials, exits or vacancies), every firm alive and an Axelrod imitator
// (which ignores the biases), every firm revising, and a materialised
// network. decideAxelrod then does the work of decide.
func (w *World) pureAxelrod() bool {
	c := &w.cfg
	return c.Schedule == Asynchronous && !c.Market.Enabled &&
		c.Behaviour.Imitation == ImitateAxelrod && c.Behaviour.Revision >= 1 &&
		!w.net.Complete && w.aliveN == w.n && w.byType[agents.Imitator] == w.n
}

// decideAxelrod is decide for a pure Axelrod world (see pureAxelrod): n
// events, each a random firm, a random neighbour of it and Axelrod's rule.
// It makes exactly the draws of decide, in the same order, and the same
// moves: in such a world a firm is always alive, never in a trial, always
// revises, and choose and commit reduce to neighbour, axelrod, setStrategy
// and the imitation counter. It draws from a copy of the decision stream
// held in registers (pcg), handed back at the end.
//
// An absorbed world (no active edge) only advances the stream: see
// absorbedEvents.
//
// When the tick's moves are many, the active edges are recounted once at
// the end instead of after every move (edgesPause): from the start when
// the last tick had many moves, else once this tick's reach that many.
func (w *World) decideAxelrod() {
	if w.trackEdges && w.activeEdges == 0 {
		g := loadPCG(w.dDecide.p)
		g = absorbedEvents(g, w.net.Offsets[:w.n+1])
		g.store(w.dDecide.p)
		return
	}
	n := w.n
	strat := w.strat[:n]
	off := w.net.Offsets[:n+1]
	adj := w.net.Adj
	f := newDiffer(w.lay)
	nf := w.lay.D
	field := uint64(1)<<w.lay.B - 1
	many := w.edgesManyMoves()
	if many > 0 && w.metrics[MImitations] >= float64(many) {
		w.edgesPause()
	}
	moves := 0
	g := loadPCG(w.dDecide.p)
	var x, r uint64
	var ok bool
	for a := 0; a < n; a++ {
		// i := IntN(n)
		g, x = g.next()
		if r, ok = bounded(x, uint64(n)); !ok {
			g, r = g.redraw(uint64(n))
		}
		i := int(r)
		lo, hi := off[i], off[i+1]
		if hi == lo {
			continue
		}
		// j := a random neighbour of i
		g, x = g.next()
		if r, ok = bounded(x, uint64(hi-lo)); !ok {
			g, r = g.redraw(uint64(hi - lo))
		}
		s, t := strat[i], strat[adj[int(lo)+int(r)]]
		diff := f.diff(s, t)
		if diff == 0 || diff == f.low {
			continue // identical, or nothing shared
		}
		// Interact with probability overlap/F: IntN(F) < F − differing.
		nd := bits.OnesCount64(diff)
		g, x = g.next()
		if r, ok = bounded(x, uint64(nf)); !ok {
			g, r = g.redraw(uint64(nf))
		}
		if int(r) >= nf-nd {
			continue
		}
		// Copy the k-th differing practice, k := IntN(nd).
		g, x = g.next()
		if r, ok = bounded(x, uint64(nd)); !ok {
			g, r = g.redraw(uint64(nd))
		}
		for ; r > 0; r-- {
			diff &= diff - 1
		}
		m := field << bits.TrailingZeros64(diff)
		if moves++; moves == many {
			w.edgesPause()
		}
		w.setStrategy(i, s&^m|t&m)
		w.imitations++
	}
	g.store(w.dDecide.p)
}

// absorbedEvents makes the draws of a tick of events in an absorbed world,
// one event per firm, off being the network's offsets. No event there can
// move a firm: a firm interacts only with a neighbour with which it shares
// some but not all practices, across an active edge, and without moves
// none appears. So an event draws its firm and, when the firm has
// neighbours, the neighbour, and nothing else; which neighbour does not
// matter.
func absorbedEvents(g pcg, off []int32) pcg {
	n := uint64(len(off) - 1)
	var x, r uint64
	var ok bool
	for a := uint64(0); a < n; a++ {
		g, x = g.next()
		if r, ok = bounded(x, n); !ok {
			g, r = g.redraw(n)
		}
		deg := uint64(off[r+1] - off[r])
		if deg == 0 {
			continue
		}
		g, x = g.next()
		if _, ok = bounded(x, deg); !ok {
			g, _ = g.redraw(deg)
		}
	}
	return g
}
