package experiment

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// finalMeasures are the metrics reported at the last tick, as measure
// "final_<metric>".
var finalMeasures = []int{
	sim.MAlive, sim.MEffective, sim.MEntropy, sim.MDistinct, sim.MTopShare,
	sim.MPairwise, sim.MRegions, sim.MLargestRegion, sim.MMeanFitness, sim.MMeanMargin, sim.MHHI,
}

// shockMeasureSuffixes are the measures reported for each shock k as
// "shock<k>_<suffix>" (see docs/outputs.md): the raw effect, the paired
// counterfactual effect against the fork without the shock, and the state
// of the market the shock found.
var shockMeasureSuffixes = []string{
	"pre_margin", "fail_share", "drop_depth", "recovery_ticks",
	"background_fail_share", "excess_fail_share", "excess_drop_depth", "revenue_lost_share", "effective_gap",
	"pre_effective_strategies", "pre_top_share", "pre_mean_pairwise_distance", "pre_alive", "pre_mean_cash",
	"target_share", "cofailure",
	"excess_fail_cash_q1", "excess_fail_cash_q2", "excess_fail_cash_q3", "excess_fail_cash_q4",
}

// runMeasureNames are the per-run measures after the final metrics.
var runMeasureNames = []string{"mean_margin", "mean_effective_strategies", "final_in_aftermath", "final_between_sector_share"}

// Counting bases of a shock's excess failures: what a failure of a firm
// in business at the shock counts for. Every basis compares the run with
// its no-shock fork over the same firms (those alive just before the
// shock's first tick), so the difference is what the shock did.
const (
	// BasisShare: excess failures as a share of the firms in business at
	// the shock.
	BasisShare = "share"
	// BasisFirms: excess failures as a number of firms.
	BasisFirms = "firms"
	// BasisRevenue: the failed firms' revenue in the tick before the
	// shock, as a share of the revenue of every firm in business then.
	BasisRevenue = "revenue"
)

// Bases lists the counting bases in output order.
var Bases = []string{BasisShare, BasisFirms, BasisRevenue}

// HorizonMeasure is the name of shock k's excess failures on basis at
// horizon h ticks after the shock: shock<k>_excess_fail_<basis>_h<h>.
func HorizonMeasure(k int, basis string, h int) string {
	return results.HorizonMeasureName(k, "excess_fail_"+basis, h)
}

// MeasureNames returns the per-run measures of a run with the given number
// of shocks and shock horizons, in the order of runs.csv: the final
// metrics, the run-level means and flag, then the measures of each shock
// (its fixed measures, then its excess failures at each horizon on each
// basis).
func MeasureNames(shocks int, horizons []int) []string {
	names := make([]string, 0, len(finalMeasures)+len(runMeasureNames)+(len(shockMeasureSuffixes)+len(Bases)*len(horizons))*shocks)
	all := sim.MetricNames()
	for _, m := range finalMeasures {
		names = append(names, "final_"+all[m])
	}
	names = append(names, runMeasureNames...)
	for k := 1; k <= shocks; k++ {
		for _, s := range shockMeasureSuffixes {
			names = append(names, fmt.Sprintf("shock%d_%s", k, s))
		}
		for _, h := range horizons {
			for _, b := range Bases {
				names = append(names, HorizonMeasure(k, b, h))
			}
		}
	}
	return names
}

// ShockEffect is what a shock did to the population of one run.
type ShockEffect struct {
	PreMargin     float64 // mean of mean_margin over the 10 ticks before the shock
	FailShare     float64 // share of the firms alive at the shock that exit within the window
	DropDepth     float64 // (alive at the shock − min alive in the window) / alive at the shock, ≥ 0
	RecoveryTicks float64 // ticks until alive is back to 90 %; NaN if never
}

// MeasureShock computes the effect of a shock acting first at tick t.
//
// alive[i] and margin[i] are the metrics after tick i+1 (so alive[t-2] is
// the level just before the shock acts); alive0 is the population before
// the first tick. The window is ticks t … t+w−1, clipped to the run.
// "Alive at the shock" is the level just before tick t. RecoveryTicks is 0
// when alive never falls below 90 % of that level within the window;
// otherwise it is r such that tick t+r−1 is the first tick after the fall
// with alive back at ≥ 90 % (so r counts the shock's own tick), NaN if that
// never happens before the run ends. firms gives the fail share: firms
// born before t and not dead before t, that die in the window. All
// measures are NaN when the run ended before the shock.
func MeasureShock(t, w int, alive0 float64, alive, margin []float64, firms []Firm) ShockEffect {
	nan := math.NaN()
	e := ShockEffect{nan, nan, nan, nan}
	last := len(alive) // last tick of the run
	if t < 1 {
		return e
	}
	// Pre-shock margin: ticks max(1, t−10) … t−1.
	sum, n := 0.0, 0
	for tick := max(1, t-preShockTicks); tick <= t-1 && tick <= last; tick++ {
		if v := margin[tick-1]; !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n > 0 {
		e.PreMargin = sum / float64(n)
	}
	if t > last {
		return e
	}
	end := min(t+w-1, last) // last tick of the window
	level := alive0
	if t >= 2 {
		level = alive[t-2]
	}
	e.FailShare = failShare(t, end, firms)
	if level > 0 && !math.IsNaN(level) {
		lo := level
		for tick := t; tick <= end; tick++ {
			lo = math.Min(lo, alive[tick-1])
		}
		e.DropDepth = (level - lo) / level
		threshold := 0.9 * level
		fell := 0
		for tick := t; tick <= end; tick++ {
			if alive[tick-1] < threshold {
				fell = tick
				break
			}
		}
		if fell == 0 {
			e.RecoveryTicks = 0
		} else {
			for tick := fell + 1; tick <= last; tick++ {
				if alive[tick-1] >= threshold {
					e.RecoveryTicks = float64(tick - t + 1)
					break
				}
			}
		}
	}
	return e
}

// series holds the per-tick metrics the measures need, at index tick−1.
type series struct {
	alive, margin, revenue, effective, top, pairwise, cash, target []float64
}

func newSeries(ticks int) *series {
	mk := func() []float64 { return make([]float64, 0, ticks) }
	return &series{mk(), mk(), mk(), mk(), mk(), mk(), mk(), mk()}
}

// add appends one tick's metrics.
func (s *series) add(met []float64) {
	s.alive = append(s.alive, met[sim.MAlive])
	s.margin = append(s.margin, met[sim.MMeanMargin])
	s.revenue = append(s.revenue, met[sim.MRevenue])
	s.effective = append(s.effective, met[sim.MEffective])
	s.top = append(s.top, met[sim.MTopShare])
	s.pairwise = append(s.pairwise, met[sim.MPairwise])
	s.cash = append(s.cash, met[sim.MMeanCash])
	s.target = append(s.target, met[sim.MShockTarget])
}

// repeat appends the last tick's values again (a model that skipped a tick).
func (s *series) repeat() {
	for _, p := range []*[]float64{&s.alive, &s.margin, &s.revenue, &s.effective, &s.top, &s.pairwise, &s.cash, &s.target} {
		*p = append(*p, last(*p))
	}
}

// forkRun is the counterfactual of one shock: the world forked just before
// the shock's first tick T and run without that shock over the window.
// Only what the measures need of the fork's firms is kept: the tick each
// firm of the at-risk cohort failed in the fork (its firm list is dropped
// when the fork's window closes).
type forkRun struct {
	start int     // T: index 0 of the series is tick T
	s     *series // the fork's metrics, ticks T … (at most T+W−1)
	// revenue is each firm's revenue in tick T−1, by firm ID (the firms
	// that existed before the shock): the weights of the revenue basis.
	revenue []float64
	// cohort lists the firms in business just before the shock, in ID
	// order, with what they share that the shock may hit (see
	// shockGroups) and when they failed in the fork.
	cohort []cohortFirm
}

// cohortFirm is a firm in business just before a shock: its co-failure
// group, and the tick it failed in the no-shock fork (−1: it did not,
// within the fork's window).
type cohortFirm struct {
	id       int
	key      groupKey
	forkDied int
	cash     float64 // cash just before the shock
}

// forkFailed reports whether c failed in the fork within ticks t … end.
func (c *cohortFirm) forkFailed(t, end int) bool { return c.forkDied >= t && c.forkDied <= end }

// groupKey is the group of a firm for the co-failure measure: the option
// it uses on the dimension an option-hitting shock hits (sector and
// strategy unused), or, for other shocks, its sector and whole strategy.
type groupKey struct {
	sector   int
	strategy uint64
}

// shockGroups returns the firms alive in w (the world just before shock
// k's first tick) with their co-failure groups: for a shock that hits one
// option of a dimension, the firm's option on that dimension; otherwise
// its sector and strategy (firms exactly alike).
func shockGroups(w *sim.World, k int) []cohortFirm {
	cfg := w.Config()
	sh := &cfg.Shocks[k]
	dim := -1
	if targetsOption(&cfg, sh) {
		dim = sh.Dimension
		if sh.Kind == sim.PlatformFailure {
			dim = cfg.Strategy.PlatformDim
		}
	}
	lay := w.Layout()
	cash := w.FirmCash(nil)
	out := make([]cohortFirm, 0, w.Alive())
	for _, f := range w.Firms() {
		if f.Died >= 0 {
			continue
		}
		key := groupKey{sector: f.Sector, strategy: f.Final}
		if dim >= 0 {
			key = groupKey{sector: -1, strategy: uint64(lay.Get(f.Final, dim))}
		}
		out = append(out, cohortFirm{id: f.ID, key: key, forkDied: -1, cash: cash[f.ID]})
	}
	return out
}

// coFailure is shock<k>_cofailure: [stats.CoFailure] of the firms the
// shock killed — in business at the shock, exited in ticks t … end of the
// run but not of its fork — among the groups of shockGroups. NaN without a
// fork or with fewer than two such firms.
func coFailure(t, end int, firms []Firm, f *forkRun) float64 {
	if f == nil || end < t || len(f.cohort) == 0 {
		return math.NaN()
	}
	keys := make([]groupKey, len(f.cohort))
	killed := make([]bool, len(f.cohort))
	for i := range f.cohort {
		c := &f.cohort[i]
		keys[i] = c.key
		killed[i] = c.id < len(firms) && firms[c.id].Died >= t && firms[c.id].Died <= end && !c.forkFailed(t, end)
	}
	return stats.CoFailure(keys, killed)
}

// cashQuarters is shock<k>_excess_fail_cash_q1 … q4: the firms in
// business just before the shock, ranked by their cash then (ties by ID)
// and cut into four groups of equal size (q1 the least cash; sizes differ
// by at most one), and in each the share that exited in ticks t … end of
// the run minus the share that exited in the same ticks of the fork. NaN
// without a fork or with fewer than four such firms.
func cashQuarters(t, end int, firms []Firm, f *forkRun) [4]float64 {
	nan := math.NaN()
	out := [4]float64{nan, nan, nan, nan}
	if f == nil || end < t || len(f.cohort) < 4 {
		return out
	}
	order := make([]*cohortFirm, len(f.cohort))
	for i := range f.cohort {
		order[i] = &f.cohort[i]
	}
	slices.SortFunc(order, func(a, b *cohortFirm) int {
		if c := cmp.Compare(a.cash, b.cash); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	var diff, n [4]int
	for r, c := range order {
		q := r * 4 / len(order)
		n[q]++
		if c.id < len(firms) && firms[c.id].Died >= t && firms[c.id].Died <= end {
			diff[q]++
		}
		if c.forkFailed(t, end) {
			diff[q]--
		}
	}
	for q := range out {
		out[q] = float64(diff[q]) / float64(n[q])
	}
	return out
}

// ExcessPoint is one point of a shock's effect curve: the excess failures
// (run − fork) of the firms in business at shock Shock (1-based) over the
// Ticks ticks from its first tick, on one counting basis.
type ExcessPoint struct {
	Shock, Ticks int
	Basis        string
	Value        float64
}

// excessCurve returns the cumulative excess failures of the firms in
// business just before tick t, run (firms) minus fork (f), at every
// h = 1 … L ticks since the shock, one slice per basis in Bases order,
// where L ≤ w is the number of ticks both the run and the fork reached.
// nil when there is no such tick or nobody was in business.
func excessCurve(t, w int, s *series, firms []Firm, f *forkRun) [][]float64 {
	end := min(t+w-1, len(s.alive), f.start+len(f.s.alive)-1)
	if t < 1 || end < t {
		return nil
	}
	n := end - t + 1
	dFirms := make([]float64, n)
	dRev := make([]float64, n)
	atRisk, revAll := 0, 0.0
	rev := func(id int) float64 {
		if id >= 0 && id < len(f.revenue) && !math.IsNaN(f.revenue[id]) {
			return f.revenue[id]
		}
		return 0
	}
	inBusiness := func(fm *Firm) bool { return fm.Born < t && (fm.Died < 0 || fm.Died >= t) }
	for i := range firms {
		fm := &firms[i]
		if !inBusiness(fm) {
			continue
		}
		atRisk++
		revAll += rev(fm.ID)
		if fm.Died >= t && fm.Died <= end {
			dFirms[fm.Died-t]++
			dRev[fm.Died-t] += rev(fm.ID)
		}
	}
	for i := range f.cohort {
		if c := &f.cohort[i]; c.forkFailed(t, end) {
			dFirms[c.forkDied-t]--
			dRev[c.forkDied-t] -= rev(c.id)
		}
	}
	if atRisk == 0 {
		return nil
	}
	out := make([][]float64, len(Bases))
	for b := range out {
		out[b] = make([]float64, n)
	}
	cf, cr := 0.0, 0.0
	for h := range n {
		cf += dFirms[h]
		cr += dRev[h]
		out[0][h] = cf / float64(atRisk)
		out[1][h] = cf
		out[2][h] = math.NaN()
		if revAll > 0 {
			out[2][h] = cr / revAll
		}
	}
	return out
}

// Counterfactual is what a shock did beyond what the same market, with the
// same random draws, did without it (its fork).
type Counterfactual struct {
	BackgroundFailShare float64 // share of the firms alive at the shock that exit in the window in the fork
	ExcessFailShare     float64 // FailShare − BackgroundFailShare, over the same window
	ExcessDropDepth     float64 // max over the window of (alive in the fork − alive with the shock) / alive at the shock
	RevenueLostShare    float64 // Σ (fork revenue − revenue) / Σ fork revenue over the window
	EffectiveGap        float64 // effective strategies with the shock / in the fork − 1, at the window's last tick
	End                 int     // last tick compared
}

// failShare is the share of the firms alive at tick t (born before t, not
// exited before t) that exit in ticks t … end; NaN if none was alive.
func failShare(t, end int, firms []Firm) float64 {
	atRisk, failed := 0, 0
	for _, f := range firms {
		if f.Born >= t || (f.Died >= 0 && f.Died < t) {
			continue
		}
		atRisk++
		if f.Died >= 0 && f.Died <= end {
			failed++
		}
	}
	if atRisk == 0 {
		return math.NaN()
	}
	return float64(failed) / float64(atRisk)
}

// failShare is the share of the fork's at-risk cohort that failed in
// the fork in ticks t … end; NaN without a cohort.
func (f *forkRun) failShare(t, end int) float64 {
	if len(f.cohort) == 0 {
		return math.NaN()
	}
	failed := 0
	for i := range f.cohort {
		if f.cohort[i].forkFailed(t, end) {
			failed++
		}
	}
	return float64(failed) / float64(len(f.cohort))
}

// MeasureCounterfactual compares a run (series s, firm records firms) with
// the fork f of a shock acting first at tick t, over the window t … t+w−1
// cut at the last tick both reached. level is alive at the shock. All
// fields are NaN when either run ended before t.
func MeasureCounterfactual(t, w int, level float64, s *series, firms []Firm, f *forkRun) Counterfactual {
	nan := math.NaN()
	c := Counterfactual{nan, nan, nan, nan, nan, 0}
	end := min(t+w-1, len(s.alive), f.start+len(f.s.alive)-1)
	if t < 1 || end < t {
		return c
	}
	c.End = end
	shocked := failShare(t, end, firms)
	c.BackgroundFailShare = f.failShare(t, end)
	c.ExcessFailShare = shocked - c.BackgroundFailShare
	if level > 0 {
		gap := math.Inf(-1)
		for tick := t; tick <= end; tick++ {
			gap = max(gap, f.s.alive[tick-f.start]-s.alive[tick-1])
		}
		c.ExcessDropDepth = gap / level
	}
	lost, base := 0.0, 0.0
	for tick := t; tick <= end; tick++ {
		rf, rs := zeroNaN(f.s.revenue[tick-f.start]), zeroNaN(s.revenue[tick-1])
		lost += rf - rs
		base += rf
	}
	if base > 0 {
		c.RevenueLostShare = lost / base
	}
	if ef := f.s.effective[end-f.start]; ef > 0 {
		c.EffectiveGap = s.effective[end-1]/ef - 1
	}
	return c
}

func zeroNaN(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// preMean is the mean of xs over the preShockTicks ticks before tick t
// (ticks max(1, t−10) … t−1, skipping NaN); NaN if there are none.
func preMean(t int, xs []float64) float64 {
	lo, hi := max(1, t-preShockTicks), min(t-1, len(xs))
	if hi < lo {
		return math.NaN()
	}
	return meanSkipNaN(xs[lo-1 : hi])
}

// aftermathGap is how far a shocked world's effective strategies may be
// from its fork's at the end of the window for the market to count as
// back: a run whose last comparison shows a larger gap ends in the
// shock's aftermath.
const aftermathGap = 0.1

// meanSkipNaN is the mean of the non-NaN values (NaN if none).
func meanSkipNaN(xs []float64) float64 {
	sum, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// computeMeasures fills the per-run measures of a finished run: s holds
// every tick's metrics, final the last tick's, forks the counterfactual of
// each shock (nil entries, or a nil slice, when there is none).
//
// It also returns each shock's effect curve (see excessCurve) up to the
// longest horizon, as points in shock, basis, ticks order.
//
// And it returns each shock's at-risk cohort by stratum (see cohortStrata),
// over the window of the excess failure share.
func computeMeasures(cfg *sim.Config, window int, horizons []int, final []float64, s *series, firms []Firm, forks []*forkRun) ([]float64, []ExcessPoint, []Stratum) {
	out := make([]float64, 0, len(finalMeasures)+len(runMeasureNames)+(len(shockMeasureSuffixes)+len(Bases)*len(horizons))*len(cfg.Shocks))
	var points []ExcessPoint
	var strata []Stratum
	for _, m := range finalMeasures {
		v := math.NaN()
		if final != nil {
			v = final[m]
		}
		out = append(out, v)
	}
	// Each shock's counterfactual against its fork (all NaN without one).
	nan := math.NaN()
	cfs := make([]Counterfactual, len(cfg.Shocks))
	for k, sh := range cfg.Shocks {
		cfs[k] = Counterfactual{nan, nan, nan, nan, nan, 0}
		if k < len(forks) && forks[k] != nil {
			level := float64(cfg.Population.Firms)
			if sh.Tick >= 2 && sh.Tick-2 < len(s.alive) {
				level = s.alive[sh.Tick-2]
			}
			cfs[k] = MeasureCounterfactual(sh.Tick, window, level, s, firms, forks[k])
		}
	}
	last := len(s.alive)
	aftermath := 0.0
	for k, sh := range cfg.Shocks {
		if sh.Tick > last {
			continue
		}
		// The run ended inside the shock's window, or the market is not
		// back to its fork's variety at the window's end.
		if last < sh.Tick+window || math.Abs(cfs[k].EffectiveGap) > aftermathGap {
			aftermath = 1
		}
	}
	out = append(out, meanSkipNaN(s.margin), meanSkipNaN(s.effective), aftermath, betweenSectorShare(firms))
	for k, sh := range cfg.Shocks {
		e := MeasureShock(sh.Tick, window, float64(cfg.Population.Firms), s.alive, s.margin, firms)
		c := cfs[k]
		t := sh.Tick
		cf := math.NaN()
		if k < len(forks) {
			cf = coFailure(t, c.End, firms, forks[k])
		}
		out = append(out, e.PreMargin, e.FailShare, e.DropDepth, e.RecoveryTicks,
			c.BackgroundFailShare, c.ExcessFailShare, c.ExcessDropDepth, c.RevenueLostShare, c.EffectiveGap,
			preMean(t, s.effective), preMean(t, s.top), preMean(t, s.pairwise), preMean(t, s.alive), preMean(t, s.cash),
			targetShare(cfg, &sh, s), cf)
		var fk *forkRun
		if k < len(forks) {
			fk = forks[k]
		}
		cq := cashQuarters(t, c.End, firms, fk)
		out = append(out, cq[:]...)
		var curve [][]float64
		if k < len(forks) && forks[k] != nil {
			curve = excessCurve(t, maxHorizon(horizons), s, firms, forks[k])
			strata = append(strata, cohortStrata(k+1, t, c.End, firms, forks[k])...)
		}
		for _, h := range horizons {
			for b := range Bases {
				v := nan
				if b < len(curve) && h <= len(curve[b]) {
					v = curve[b][h-1]
				}
				out = append(out, v)
			}
		}
		for b, basis := range Bases {
			if b < len(curve) {
				for h, v := range curve[b] {
					points = append(points, ExcessPoint{Shock: k + 1, Ticks: h + 1, Basis: basis, Value: v})
				}
			}
		}
	}
	return out, points, strata
}

// betweenSectorShare is the share of the strategy entropy of the firms alive
// at the end that lies between sectors: I(sector; strategy) / H(strategy),
// with H(strategy) the entropy of the strategy shares over all of them and
// I = H(strategy) − Σ_s w_s H_s(strategy), w_s the sector's share of the
// firms and H_s the entropy within sector s. It is 0 when every sector holds
// the same mix of strategies (or there is one sector), and 1 when each sector
// holds a single strategy of its own. NaN when no firm is alive or all hold
// one strategy (H = 0).
func betweenSectorShare(firms []Firm) float64 {
	type key struct {
		sector   int
		strategy string
	}
	all := make(map[string]int)
	within := make(map[key]int)
	sectors := make(map[int]int)
	n := 0
	for _, f := range firms {
		if !f.Censored() {
			continue
		}
		all[f.Final]++
		within[key{f.Sector, f.Final}]++
		sectors[f.Sector]++
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	// Sums in a fixed order (sorted keys), so the value is the same bits in
	// every run: map order is random.
	h := 0.0
	for _, x := range slices.Sorted(maps.Keys(all)) {
		p := float64(all[x]) / float64(n)
		h -= p * math.Log2(p)
	}
	if h <= 0 {
		return math.NaN()
	}
	// Σ_s w_s H_s = −Σ_{s,x} (c_sx/n) log2(c_sx/n_s).
	keys := slices.SortedFunc(maps.Keys(within), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.sector, b.sector), cmp.Compare(a.strategy, b.strategy))
	})
	hw := 0.0
	for _, k := range keys {
		c := within[k]
		hw -= float64(c) / float64(n) * math.Log2(float64(c)/float64(sectors[k.sector]))
	}
	return max(0, min(1, (h-hw)/h))
}

// maxHorizon is the longest horizon (0 for none).
func maxHorizon(horizons []int) int {
	m := 0
	for _, h := range horizons {
		m = max(m, h)
	}
	return m
}

// targetShare is shock sh's shock<k>_target_share: the share of alive
// firms using the option it hit (the failed platform, the disrupted or
// regulated practice option) at the end of its first tick, the
// shock_target_share metric of that tick; NaN for a shock that hits no
// option, or when the run ended before it.
func targetShare(cfg *sim.Config, sh *sim.Shock, s *series) float64 {
	if !targetsOption(cfg, sh) || sh.Tick < 1 || sh.Tick > len(s.target) {
		return math.NaN()
	}
	return s.target[sh.Tick-1]
}

// targetsOption reports whether sh hits one option of a practice
// dimension: a platform failure (with a platform dimension), a technology
// disruption, or a regulation of a practice rather than of a sector.
func targetsOption(cfg *sim.Config, sh *sim.Shock) bool {
	switch sh.Kind {
	case sim.PlatformFailure:
		return cfg.Strategy.PlatformDim >= 0
	case sim.TechDisruption, sim.Regulation:
		return sh.Dimension >= 0
	}
	return false
}
