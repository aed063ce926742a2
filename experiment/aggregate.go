package experiment

import (
	"slices"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// Survival groups of survival.csv, per variant: all firms, each behaviour
// type, the initial cohort (the firms of tick 0, whose age is the calendar
// tick) and the entrants, the firms founded during the run. Every group's
// time is the firms' age.
const (
	groupAll      = 0
	groupType0    = 1 // + agents.Type
	groupInitial  = 1 + agents.NumTypes
	groupEntrants = 2 + agents.NumTypes
	numGroups     = 3 + agents.NumTypes
	confidence    = 0.95
	initialCohort = "initial_cohort"
	entrants      = "entrants"
)

func groupName(g int) string {
	switch {
	case g == groupAll:
		return "all"
	case g == groupInitial:
		return initialCohort
	case g == groupEntrants:
		return entrants
	default:
		return agents.Type(g - groupType0).String()
	}
}

// aggregator accumulates statistics across runs. Runs must be added in job
// order; the floating-point results then depend only on the runs, never on
// how they were scheduled.
type aggregator struct {
	plan     *Plan
	variants []variantAgg
	// stopped, when set, reports an interrupt: summarize then gives up
	// (its result is not written). nil: never.
	stopped func() bool
}

// interrupted reports whether summarize should give up.
func (a *aggregator) interrupted() bool { return a.stopped != nil && a.stopped() }

type variantAgg struct {
	series    map[int]*[sim.NumMetrics]stats.Welford // tick → one accumulator per metric
	survival  [numGroups]lifeTable
	fixed     []fixedRun  // runs that stopped early, in job order, until ticks folds them in
	every     int         // the recording interval
	end       int         // the variant's tick limit
	seeds     []uint64    // completed seeds, in job order
	lastTicks []int       // per completed seed, its run's last tick
	measures  [][]float64 // per completed seed, the variant's measures
	curves    [][]float64 // per completed seed, its effect curves laid out by flatCurve
	strata    [][]Stratum // per completed seed, its shocks' at-risk cohorts by stratum
	std       [][]float64 // per completed seed, each shock's standardised excess (set by standardise)
}

func newAggregator(p *Plan) *aggregator {
	a := &aggregator{plan: p, variants: make([]variantAgg, len(p.Variants))}
	for i := range a.variants {
		a.variants[i].series = map[int]*[sim.NumMetrics]stats.Welford{}
		a.variants[i].every = p.every()
		a.variants[i].end = p.Variants[i].Config.Ticks
	}
	return a
}

// add folds one run into the statistics.
func (a *aggregator) add(r *RunResult) error {
	va := &a.variants[r.Variant]
	stopped := a.addFixedState(va, r)
	err := r.eachRow(func(row *Row, last bool) error {
		if stopped && last && row.Tick%va.every != 0 {
			// An early stop's own tick is off the schedule: the run counts
			// in this state from the next recorded tick on (see ticks).
			return nil
		}
		acc := va.series[row.Tick]
		if acc == nil {
			acc = new([sim.NumMetrics]stats.Welford)
			va.series[row.Tick] = acc
		}
		for m, x := range row.Metrics {
			acc[m].Add(x)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range r.Firms {
		end, event := f.Died, true
		if f.Censored() {
			end, event = r.LastTick, false
		}
		va.survival[groupAll].add(end-f.Born, event)
		if int(f.Type) < agents.NumTypes {
			va.survival[groupType0+int(f.Type)].add(end-f.Born, event)
		}
		if f.Born == 0 {
			va.survival[groupInitial].add(end-f.Born, event) // = end: founded at tick 0
		} else {
			va.survival[groupEntrants].add(end-f.Born, event)
		}
	}
	va.seeds = append(va.seeds, r.Seed)
	va.lastTicks = append(va.lastTicks, r.LastTick)
	va.measures = append(va.measures, r.Measures)
	va.strata = append(va.strata, r.Strata)
	va.curves = append(va.curves, flatCurve(r.Excess, len(a.plan.Variants[r.Variant].Config.Shocks), a.plan.curveLen()))
	return nil
}

// flowMetrics count events within a tick: zero in a world that no longer
// changes.
var flowMetrics = []int{sim.MEntries, sim.MExits, sim.MImitations, sim.MInnovations,
	sim.MSpecialisations, sim.MHerdMoves, sim.MReversions}

// fixedRun is the final state of a run that stopped before its tick limit
// (absorbed: nothing can change any more), flows at zero.
type fixedRun struct {
	last    int // the run's last tick
	metrics []float64
}

// addFixedState notes a run that stopped before its tick limit, so that
// [variantAgg.ticks] counts it in its final state at every later recorded
// tick and the statistics over seeds do not switch to fewer seeds as runs
// stop. It reports whether the run stopped early.
func (a *aggregator) addFixedState(va *variantAgg, r *RunResult) bool {
	if len(r.Rows) == 0 {
		return false
	}
	last := r.Rows[len(r.Rows)-1]
	if last.Tick >= a.plan.Variants[r.Variant].Config.Ticks {
		return false
	}
	fixed := append([]float64(nil), last.Metrics...)
	for _, m := range flowMetrics {
		if m < len(fixed) {
			fixed[m] = 0
		}
	}
	va.fixed = append(va.fixed, fixedRun{last: last.Tick, metrics: fixed})
	return true
}

// ticks returns the recorded ticks of variant v in increasing order, after
// folding the final states of runs that stopped early into every recorded
// tick after their stop (and the first scheduled tick after the latest
// stop). Runs must not be added after ticks is called.
func (va *variantAgg) ticks() []int {
	if len(va.fixed) > 0 {
		for _, f := range va.fixed {
			t := min((f.last/va.every+1)*va.every, va.end)
			if va.series[t] == nil {
				va.series[t] = new([sim.NumMetrics]stats.Welford)
			}
		}
		ts := va.sortedTicks()
		for _, f := range va.fixed {
			for _, t := range ts {
				if t <= f.last {
					continue
				}
				acc := va.series[t]
				for m, x := range f.metrics {
					acc[m].Add(x)
				}
			}
		}
		va.fixed = nil
	}
	return va.sortedTicks()
}

func (va *variantAgg) sortedTicks() []int {
	ts := make([]int, 0, len(va.series))
	for t := range va.series {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	return ts
}

// standardise computes every run's composition-standardised excess of
// each shock (va.std), standardised to the pooled at-risk cohorts of every
// variant and seed (StandardWeights).
func (a *aggregator) standardise() {
	shocks := 0
	var all [][]Stratum
	for vi, v := range a.plan.Variants {
		shocks = max(shocks, len(v.Config.Shocks))
		all = append(all, a.variants[vi].strata...)
	}
	w := StandardWeights(all, shocks)
	for vi, v := range a.plan.Variants {
		va := &a.variants[vi]
		va.std = make([][]float64, len(va.strata))
		for i, st := range va.strata {
			va.std[i] = make([]float64, len(v.Config.Shocks))
			for k := range va.std[i] {
				va.std[i][k] = StandardisedExcess(st, k+1, w[k])
			}
		}
	}
}

// values returns the summary measure name (see SummaryMeasureNames) of
// every completed run of variant vi, NaN where a run has no such measure.
func (a *aggregator) values(vi int, name string) []float64 {
	va := &a.variants[vi]
	if k, suffix, ok := results.SplitShockMeasure(name); ok && suffix == StdExcessSuffix {
		out := make([]float64, len(va.measures))
		for i := range out {
			out[i] = nan
			if i < len(va.std) && k-1 < len(va.std[i]) {
				out[i] = va.std[i][k-1]
			}
		}
		return out
	}
	return va.measureValues(slices.Index(MeasureNames(len(a.plan.Variants[vi].Config.Shocks), a.plan.horizons()), name))
}

// measureValues returns measure m of every completed run of the variant (NaN
// where the run has no such measure).
func (va *variantAgg) measureValues(m int) []float64 {
	out := make([]float64, len(va.measures))
	for i, ms := range va.measures {
		out[i] = nan
		if m >= 0 && m < len(ms) {
			out[i] = ms[m]
		}
	}
	return out
}

// runs is the number of runs added.
func (a *aggregator) runs() int {
	n := 0
	for i := range a.variants {
		n += len(a.variants[i].seeds)
	}
	return n
}
