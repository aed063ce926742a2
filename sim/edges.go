package sim

// Active edges: neighbouring pairs of alive firms whose strategies share
// some but not all practices. Their number is a metric, and a run that
// stops when absorbed ends when it reaches zero. World keeps it up to date
// through the hooks below, called on every birth, exit and move; edgesSettle
// is called once per tick, after every move and before the metrics.
//
// Each hook costs a pass over the firm's neighbours. When a tick moves many
// firms, a single pass over every edge is cheaper: edgesPause then stops
// the per-move updates (w.trackEdges is false while paused) and edgesSettle
// recounts. The count is exact either way. decideAxelrod makes the
// per-move update of edgesMove itself, in its event loop.

// edgesBirth accounts for a firm with strategy s joining slot i.
func (w *World) edgesBirth(i int, s uint64) {
	if w.trackEdges {
		w.activeEdges += w.edgeDelta(i, s, +1)
	}
}

// edgesExit accounts for the firm with strategy s leaving slot i.
func (w *World) edgesExit(i int, s uint64) {
	if w.trackEdges {
		w.activeEdges += w.edgeDelta(i, s, -1)
	}
}

// edgesMove accounts for the firm in slot i moving from old to s.
func (w *World) edgesMove(i int, old, s uint64) {
	if w.trackEdges {
		w.activeEdges += w.edgeChange(i, old, s)
	}
}

// edgesSettle brings w.activeEdges up to date at the end of a tick.
func (w *World) edgesSettle() {
	if !w.trackEdges && !w.net.Complete { // paused
		w.trackEdges = true
		w.activeEdges = w.countActiveEdges()
	}
}

// edgesPause stops the per-move updates of w.activeEdges until
// edgesSettle, which recounts them.
func (w *World) edgesPause() { w.trackEdges = false }

// edgesManyMoves returns the number of moves in a tick from which pausing
// the per-move updates pays: a move costs a pass over the mover's
// neighbours, comparing its old and new strategies with each, while a
// recount compares each edge's two ends once, in order.
func (w *World) edgesManyMoves() int {
	if !w.trackEdges || w.n == 0 {
		return -1 // never reached
	}
	return 1 + w.n/edgesRecountRatio
}

// edgesRecountRatio: pausing pays from n/edgesRecountRatio moves in a
// tick, measured on Axelrod's lattices.
const edgesRecountRatio = 6

// active reports whether two strategies share some but not all practices.
func (w *World) active(a, b uint64) bool {
	d := w.lay.Distance(a, b)
	return d > 0 && d < w.lay.D
}

// edgeChange is the change in active edges when the firm in slot i moves
// from strategy old to s.
func (w *World) edgeChange(i int, old, s uint64) int {
	c := 0
	if w.aliveN == w.n { // no vacancies: no test per neighbour, no branch
		f := newDiffer(w.lay)
		for _, j := range w.net.Neighbours(i) {
			t := w.strat[j]
			c += f.active(s, t) - f.active(old, t)
		}
		return c
	}
	// With vacancies: a dead neighbour's stale strategy counts zero times.
	// (Rows hold no self loops.)
	f := newDiffer(w.lay)
	strat, alive := w.strat, w.alive
	for _, j := range w.net.Neighbours(i) {
		t := strat[j]
		c += alive.bit(int(j)) * (f.active(s, t) - f.active(old, t))
	}
	return c
}

// activeEdgesAll counts the active edges of a network without vacancies.
// Each edge is in both its ends' rows; it is counted from its lower end,
// in the tail of the row (rows are sorted ascending).
func activeEdgesAll(f differ, strat []uint64, off, adj []int32) int {
	c := 0
	for i, s := range strat {
		lo := int(off[i])
		for k := int(off[i+1]) - 1; k >= lo; k-- {
			j := adj[k]
			if int(j) < i {
				break
			}
			c += f.active(s, strat[j])
		}
	}
	return c
}

// edgeDelta is the change in active edges when the firm in slot i with
// strategy s joins (sign +1) or leaves (sign −1) its alive neighbours.
func (w *World) edgeDelta(i int, s uint64, sign int) int {
	c := 0
	f := newDiffer(w.lay)
	for _, j := range w.net.Neighbours(i) {
		c += w.alive.bit(int(j)) * f.active(s, w.strat[j])
	}
	return sign * c
}

// countActiveEdges counts the active edges from scratch.
func (w *World) countActiveEdges() int {
	c := 0
	if w.aliveN == w.n {
		return activeEdgesAll(newDiffer(w.lay), w.strat[:w.n], w.net.Offsets, w.net.Adj)
	}
	for i := 0; i < w.n; i++ {
		if !w.isAlive(i) {
			continue
		}
		for _, j := range w.net.Neighbours(i) {
			if int(j) > i && w.isAlive(int(j)) && w.active(w.strat[i], w.strat[j]) {
				c++
			}
		}
	}
	return c
}
