package sim

import (
	"math"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
)

func log2f(x float64) float64 { return xmath.Log2(x) }

// measure fills the metric row for the tick just completed.
func (w *World) measure() {
	m := &w.metrics
	n := float64(w.aliveN)
	m[MAlive] = n
	m[MEntries] = float64(w.entries)
	m[MExits] = float64(w.exits)
	m[MDistinct] = float64(w.exact.distinct())
	m[MImitations] = float64(w.imitations)
	m[MInnovations] = float64(w.innovations)
	m[MSpecialisations] = float64(w.specialising)
	m[MHerdMoves] = float64(w.herdMoves)
	m[MReversions] = float64(w.reversions)
	m[MAliveImitator] = float64(w.byType[agents.Imitator])
	m[MAliveInnovator] = float64(w.byType[agents.Innovator])
	m[MAliveSpecialist] = float64(w.byType[agents.Specialist])
	m[MAliveAdaptive] = float64(w.byType[agents.Adaptive])
	if w.trackEdges {
		m[MActiveEdges] = float64(w.activeEdges)
	} else {
		m[MActiveEdges] = math.NaN()
	}
	if w.aliveN == 0 {
		for _, k := range []int{MEntropy, MEffective, MPairwise, MDimEntropy, MTopShare, MHHI, MMeanMargin, MRevenue, MMeanCash} {
			m[k] = math.NaN()
		}
	} else {
		// H = log2 N − (1/N) Σ c·log2 c; inverse Simpson = N² / Σ c².
		m[MEntropy] = 0 // one strategy: exactly 0, not a rounding residue
		if w.exact.distinct() > 1 {
			m[MEntropy] = max(0, log2f(n)-float64(w.sumNLogN)/(1<<32)/n)
		}
		m[MEffective] = n * n / float64(w.sumSq)
		m[MTopShare] = float64(w.maxCount) / n
		m[MPairwise], m[MDimEntropy] = w.dimensionMeasures()
		if w.cfg.Market.Enabled {
			m[MHHI] = w.market.hhi
			m[MMeanMargin] = w.market.margin
			m[MRevenue] = w.market.revenue
			m[MMeanCash] = w.market.cashMean
		} else {
			m[MHHI], m[MMeanMargin], m[MRevenue], m[MMeanCash] = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		}
	}
	m[MMeanFitness] = math.NaN()
	switch {
	case w.aliveN == 0:
	case w.pfit != nil:
		m[MMeanFitness] = w.meanScore()
	case w.cl != nil && w.cl.fit != nil:
		m[MMeanFitness] = w.meanFitness()
	}
	m[MPlatformTop], m[MPlatformEffective] = w.platformMeasures()
	m[MShockTarget] = w.shocks.targetShare(w)
	m[MGini], m[MTop1Share], m[MYoungShare] = math.NaN(), math.NaN(), math.NaN()
	if w.cfg.Market.Enabled && w.aliveN > 0 {
		if w.done || w.tick%sizeEvery == 0 { // a sort of every revenue: yearly
			m[MGini], m[MTop1Share] = w.market.sizeMeasures(w)
		}
		m[MYoungShare] = float64(w.market.young) / n
	}
	m[MRegions], m[MLargestRegion] = math.NaN(), math.NaN()
	if w.done || (w.cfg.RegionsEvery > 0 && w.tick%w.cfg.RegionsEvery == 0) {
		regions, largest := w.RegionsLargest()
		m[MRegions] = float64(regions)
		if w.aliveN > 0 {
			m[MLargestRegion] = float64(largest) / n
		}
	}
}

// platformMeasures returns the share of alive firms on the most used
// platform and the effective number of platforms (1/Σ p², over the
// options of the platform dimension), NaN without a platform dimension or
// firms.
func (w *World) platformMeasures() (top, effective float64) {
	pd := w.cfg.Strategy.PlatformDim
	if pd < 0 || w.aliveN == 0 {
		return math.NaN(), math.NaN()
	}
	q := w.lay.Q
	var most, sumSq float64
	for _, c := range w.dimCount[pd*q : pd*q+q] {
		f := float64(c)
		most = max(most, f)
		sumSq += f * f
	}
	n := float64(w.aliveN)
	return most / n, n * n / sumSq
}

// OptionShares appends to dst[:0] the share of alive firms using each
// option of dimension d (options in order); it returns dst[:0] without
// firms or for a d out of range.
func (w *World) OptionShares(dst []float64, d int) []float64 {
	w.sync()
	dst = dst[:0]
	q := w.lay.Q
	if d < 0 || d >= w.lay.D || w.aliveN == 0 {
		return dst
	}
	n := float64(w.aliveN)
	for _, c := range w.dimCount[d*q : d*q+q] {
		dst = append(dst, float64(c)/n)
	}
	return dst
}

// dimensionMeasures returns the mean pairwise normalised Hamming distance
// between alive firms and the mean per-dimension entropy (bits), both
// exact from the per-dimension option counts: two firms drawn without
// replacement differ on dimension d with probability
// 1 − Σ_o c_do(c_do − 1) / (N(N − 1)).
func (w *World) dimensionMeasures() (pairwise, dimEntropy float64) {
	l := w.lay
	n := float64(w.aliveN)
	if w.aliveN != w.dimN {
		w.dimN, w.dimDirty = w.aliveN, ^uint64(0)
	}
	for d := 0; d < l.D; d++ {
		if w.dimDirty>>d&1 != 0 {
			same, h := 0.0, 0.0
			for o := 0; o < l.Q; o++ {
				c := float64(w.dimCount[d*l.Q+o])
				same += float64(c * (c - 1))
				if c > 0 {
					p := c / n
					h -= float64(p * log2f(p))
				}
			}
			w.dimSame[d], w.dimH[d] = same, h
		}
		if w.aliveN > 1 {
			pairwise += 1 - w.dimSame[d]/(n*(n-1))
		}
		dimEntropy += w.dimH[d]
	}
	w.dimDirty = 0
	return pairwise / float64(l.D), dimEntropy / float64(l.D)
}

// Regions returns the number of connected regions of alive firms with
// identical strategies over the network (Axelrod's stable regions when the
// run is absorbed). On a complete network it is the number of distinct
// strategies.
func (w *World) Regions() int {
	regions, _ := w.RegionsLargest()
	return regions
}

// RegionsLargest returns [World.Regions] and the number of firms in the
// largest region (Castellano, Marsili & Vespignani 2000's order parameter,
// as a count). On a complete network the largest region is the most
// common strategy's firms.
func (w *World) RegionsLargest() (regions, largest int) {
	if w.net.Complete {
		w.sync()
		return w.exact.distinct(), w.maxCount
	}
	return w.net.Components(
		func(u, v int) bool { return w.strat[u] == w.strat[v] },
		w.isAlive)
}

// Metrics returns the measurements of the last completed tick, in
// MetricNames order; a metric not measured this tick is NaN. The slice is
// owned by the world and overwritten by the next Step (or, when the world
// measures on demand, by the next call after a Step).
func (w *World) Metrics() []float64 {
	w.sync()
	return w.metrics[:]
}

// MeasureOnDemand makes the world measure only when asked: Step no longer
// measures every tick, and Metrics, TopStrategies, OptionShares and
// RegionsLargest measure first when a Step has run since they last did.
// What they return is what they would return had the world measured at
// every tick; the saving is the per-tick work of the metrics, and in a
// pure Axelrod world also the per-tick upkeep of the strategy counts, for
// runs that read only their end (replicate's culture runs, the bench's
// Axelrod workloads).
func (w *World) MeasureOnDemand() { w.onDemand = true }

// sync brings the counts and the metric row up to date when the world
// measures on demand and a Step has run since it last measured.
func (w *World) sync() {
	if !w.stale {
		return
	}
	w.stale = false
	w.settlePending()
	w.measure()
}

// TopStrategies appends to dst[:0] the k most common strategies among alive
// firms (ties by smaller packed value) with their shares.
func (w *World) TopStrategies(dst []StrategyShare, k int) []StrategyShare {
	w.sync()
	dst = dst[:0]
	if w.aliveN == 0 || k <= 0 {
		return dst
	}
	counts := make([]int32, 0, k)
	n := float64(w.aliveN)
	w.exact.each(func(key uint64, c int32) {
		if len(dst) == k {
			last := len(dst) - 1
			if c < counts[last] || c == counts[last] && key > dst[last].Strategy {
				return
			}
			dst, counts = dst[:last], counts[:last]
		}
		j := len(dst)
		dst, counts = append(dst, StrategyShare{}), append(counts, 0)
		for j > 0 && (counts[j-1] < c || counts[j-1] == c && dst[j-1].Strategy > key) {
			dst[j], counts[j] = dst[j-1], counts[j-1]
			j--
		}
		dst[j], counts[j] = StrategyShare{Strategy: key, Share: float64(c) / n}, c
	})
	return dst
}

// sizeEvery is how often, in ticks, the revenue distribution's measures
// are taken (and at the last tick): once a year, as a tick is a month;
// sorting every revenue every tick would cost about 8 % of a tick.
const sizeEvery = 12

// sizeMeasures returns the Gini coefficient of alive firms' revenues and
// the share of total revenue held by the largest 1 % of firms (at least
// one firm). Revenues are sorted as float32 bit patterns (non-negative
// floats sort like their bits) by a three-pass radix sort, so the cost is
// linear in the number of firms and allocates nothing.
func (m *market) sizeMeasures(w *World) (gini, top1 float64) {
	keys := m.keys[:0]
	for i := range w.alive.all() {
		r := float32(max(0, w.revenue[i]))
		keys = append(keys, math.Float32bits(r))
	}
	tmp := m.tmp[:len(keys)]
	var cnt [1 << 11]int32
	for shift := 0; shift < 33; shift += 11 {
		cnt = [1 << 11]int32{}
		for _, k := range keys {
			cnt[k>>shift&(1<<11-1)]++
		}
		pos := int32(0)
		for d := range cnt {
			pos, cnt[d] = pos+cnt[d], pos
		}
		for _, k := range keys {
			d := k >> shift & (1<<11 - 1)
			tmp[cnt[d]] = k
			cnt[d]++
		}
		keys, tmp = tmp, keys
	}
	n := len(keys)
	total, weighted := 0.0, 0.0
	for j, k := range keys {
		x := float64(math.Float32frombits(k))
		total += x
		weighted += float64(float64(j+1) * x)
	}
	if total <= 0 {
		return 0, 0
	}
	gini = 2*weighted/(float64(n)*total) - float64(n+1)/float64(n)
	top := max(1, (n+99)/100)
	s := 0.0
	for _, k := range keys[n-top:] {
		s += float64(math.Float32frombits(k))
	}
	return gini, s / total
}
