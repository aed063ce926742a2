package sim

import (
	"math/bits"

	"github.com/smbsim/smbsim/agents"
)

// pureAxelrod reports whether this tick's decisions are Axelrod's culture
// model and nothing else: Axelrod's rules (axelrodRules, which New checked
// to allocate w.axMoved), every firm alive and an Axelrod imitator (which
// ignores the biases). decideAxelrod then does the work of decide.
func (w *World) pureAxelrod() bool {
	return w.axMoved != nil && w.aliveN == w.n && w.byType[agents.Imitator] == w.n
}

// axelrodRules reports whether the world's rules are Axelrod's when its
// firms are Axelrod imitators: asynchronous activation, no market (so no
// cash, trials, exits or vacancies), every firm revising, and a
// materialised network.
func (w *World) axelrodRules() bool {
	c := &w.cfg
	return c.Schedule == Asynchronous && !c.Market.Enabled &&
		c.Behaviour.Imitation == ImitateAxelrod && c.Behaviour.Revision >= 1 && !w.net.Complete
}

// decideAxelrod is decide for a pure Axelrod world (see pureAxelrod): n
// events, each a random firm, a random neighbour of it and Axelrod's rule.
// It makes exactly the draws of decide, in the same order, and the same
// moves: in such a world a firm is always alive, never in a trial, always
// revises, and choose and commit reduce to neighbour, axelrod, setStrategy
// and the imitation counter. It draws from a copy of the decision stream
// held in registers (pcg), handed back at the end. Each draw is written
// out (next, bounded, and redraw when rejected) rather than shared with
// Culture.runNaive's through a method: such a method is too big for the
// compiler to inline, and a call per draw measured slower.
//
// An absorbed world (no active edge) only advances the stream: see
// absorbedEvents.
//
// A move changes the firm's strategy and the count of active edges (over
// the mover's neighbours, as edgesMove does); its other bookkeeping, the
// counts behind the diversity metrics, waits for the end of the tick, in
// settlePending: the loop notes each firm's strategy before its first move
// in w.axMoves. Nothing reads the counts within a tick of a pure Axelrod
// world, and once settled they are those of the firms' final strategies
// whatever the order of the updates (only the slots of a hashed count
// table may differ, and no output depends on them), so the outputs are
// those of updating at every move. A world that measures on demand
// (MeasureOnDemand) settles only when the counts are read.
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
	nf := uint64(w.lay.D)
	field := uint64(1)<<w.lay.B - 1
	moved, list, k := w.axMoved, w.axMoves[:n+1], w.axN
	moves, edges := 0, 0
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
		deg := uint64(hi - lo)
		g, x = g.next()
		if r, ok = bounded(x, deg); !ok {
			g, r = g.redraw(deg)
		}
		s, t := strat[i], strat[adj[int(lo)+int(r)]]
		diff := f.diff(s, t)
		if diff-1 >= f.low-1 { // diff == 0 || diff == f.low (diff ⊆ low), one branch
			continue // identical, or nothing shared
		}
		// Interact with probability overlap/F: IntN(F) < F − differing.
		nd := uint64(bits.OnesCount64(diff))
		g, x = g.next()
		if r, ok = bounded(x, nf); !ok {
			g, r = g.redraw(nf)
		}
		if r >= nf-nd {
			continue
		}
		// Copy the r-th differing practice, r := IntN(nd): drop the r
		// lowest bits of diff, without a branch on r (unpredictable).
		g, x = g.next()
		if r, ok = bounded(x, nd); !ok {
			g, r = g.redraw(nd)
		}
		for step := uint64(1); step < nf; step++ {
			diff ^= diff & -diff & -uint64(b2i(step <= r))
		}
		m := field << bits.TrailingZeros64(diff)
		// Note s unless i moved since the counts were settled (no branch:
		// whether it did is unpredictable). The slot is written either way:
		// with every firm noted, k = n, and list has a spare slot for it.
		list[k] = axMove{s: s, i: int32(i)}
		k += 1 - moved.bit(i)
		moved.add(i)
		ns := s&^m | t&m
		for _, j := range adj[lo:hi] { // the change in active edges
			u := strat[j]
			edges += f.active(ns, u) - f.active(s, u)
		}
		strat[i] = ns
		moves++
	}
	g.store(w.dDecide.p)
	w.imitations += moves
	w.activeEdges += edges
	w.axN = k
	if !w.onDemand {
		w.settlePending()
	}
}

// axMove is a firm that moved in a pure Axelrod tick: its slot i and its
// strategy s at the start of the tick.
type axMove struct {
	s uint64
	i int32
}

// settlePending does the bookkeeping that decideAxelrod deferred: each
// firm noted in w.axMoves[:w.axN] moves its counts (recount), once, from
// the strategy noted before its first move to its strategy now (nothing
// when they are equal), and leaves the set of moved firms. It runs at the
// end of every pure Axelrod tick, or, when the world measures on demand,
// when something reads the counts (sync) or before a tick that is not pure
// Axelrod (decide).
func (w *World) settlePending() {
	strat, moved := w.strat, w.axMoved
	for _, e := range w.axMoves[:w.axN] {
		moved.remove(int(e.i))
		if s := strat[e.i]; s != e.s {
			w.recount(int(e.i), e.s, s, -1)
		}
	}
	w.axN = 0
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
