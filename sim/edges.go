package sim

// Active edges: neighbouring pairs of alive firms whose strategies share
// some but not all practices. Their number is a metric, and a run that
// stops when absorbed ends when it reaches zero. World keeps it up to date
// through the hooks below, called on every birth, exit and move; edgesSettle
// is called once per tick, after every move and before the metrics.

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
func (w *World) edgesSettle() {}

// active reports whether two strategies share some but not all practices.
func (w *World) active(a, b uint64) bool {
	d := w.lay.Distance(a, b)
	return d > 0 && d < w.lay.D
}

// edgeChange is the change in active edges when the firm in slot i moves
// from strategy old to s.
func (w *World) edgeChange(i int, old, s uint64) int {
	c := 0
	for _, j := range w.net.Neighbours(i) {
		if w.isAlive(int(j)) && int(j) != i {
			t := w.strat[j]
			if w.active(s, t) {
				c++
			}
			if w.active(old, t) {
				c--
			}
		}
	}
	return c
}

// edgeDelta is the change in active edges when the firm in slot i with
// strategy s joins (sign +1) or leaves (sign −1) its alive neighbours.
func (w *World) edgeDelta(i int, s uint64, sign int) int {
	c := 0
	for _, j := range w.net.Neighbours(i) {
		if w.isAlive(int(j)) && int(j) != i && w.active(s, w.strat[j]) {
			c++
		}
	}
	return sign * c
}

func (w *World) countActiveEdges() int {
	c := 0
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
