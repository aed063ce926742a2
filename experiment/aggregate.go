package experiment

import (
	"slices"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/experiment/stats"
	"github.com/smbsim/smbsim/sim"
)

// Survival groups of survival.csv, per variant: all firms, each behaviour
// type, and the initial cohort.
const (
	groupAll      = 0
	groupType0    = 1 // + agents.Type
	groupInitial  = 1 + agents.NumTypes
	numGroups     = 2 + agents.NumTypes
	confidence    = 0.95
	initialCohort = "initial_cohort"
)

func groupName(g int) string {
	switch {
	case g == groupAll:
		return "all"
	case g == groupInitial:
		return initialCohort
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
}

type variantAgg struct {
	series   map[int]*[sim.NumMetrics]stats.Welford // tick → one accumulator per metric
	survival [numGroups]lifeTable
	seeds    []uint64    // completed seeds, in job order
	measures [][]float64 // per completed seed, the variant's measures
}

func newAggregator(p *Plan) *aggregator {
	a := &aggregator{plan: p, variants: make([]variantAgg, len(p.Variants))}
	for i := range a.variants {
		a.variants[i].series = map[int]*[sim.NumMetrics]stats.Welford{}
	}
	return a
}

// add folds one run into the statistics.
func (a *aggregator) add(r *RunResult) {
	va := &a.variants[r.Variant]
	for _, row := range r.Rows {
		acc := va.series[row.Tick]
		if acc == nil {
			acc = new([sim.NumMetrics]stats.Welford)
			va.series[row.Tick] = acc
		}
		for m, x := range row.Metrics {
			acc[m].Add(x)
		}
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
			va.survival[groupInitial].add(end, event)
		}
	}
	va.seeds = append(va.seeds, r.Seed)
	va.measures = append(va.measures, r.Measures)
}

// ticks returns the recorded ticks of variant v in increasing order.
func (va *variantAgg) ticks() []int {
	ts := make([]int, 0, len(va.series))
	for t := range va.series {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	return ts
}

// measureValues returns measure m of every completed run of the variant (NaN
// where the run has no such measure).
func (va *variantAgg) measureValues(m int) []float64 {
	out := make([]float64, len(va.measures))
	for i, ms := range va.measures {
		out[i] = nan
		if m < len(ms) {
			out[i] = ms[m]
		}
	}
	return out
}
