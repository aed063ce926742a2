package experiment

import (
	"math"
	"slices"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
)

// Composition-standardised excess failures (docs/model.md, "Mechanism
// controls"). Each run records, per shock, its at-risk cohort by behaviour
// type × age band at the shock (strata.csv); across the experiment the
// excess failure share is directly standardised to the pooled composition
// of every variant's cohorts, so that two mixes are compared as if their
// cohorts were made up alike.

// StdExcessSuffix is the suffix of the composition-standardised excess
// failure share: measure shock<k>_std_excess_fail_share.
const StdExcessSuffix = results.StdExcessFailShare

// AgeBands are the age bands of the strata, by a firm's age at the shock
// (in ticks, i.e. months, at the tick before the shock's first): the first
// year, years two to five, and older — the horizons of the real survival
// figures (one in five closes in the first year, half within five).
var AgeBands = []string{"0-11", "12-59", "60+"}

// ageBand is the index in AgeBands of a firm of age a ticks.
func ageBand(a int) int {
	switch {
	case a < 12:
		return 0
	case a < 60:
		return 1
	}
	return 2
}

// numStrata is the strata of one shock: behaviour types × age bands.
var numStrata = agents.NumTypes * len(AgeBands)

// Stratum is one stratum of a shock's at-risk cohort in one run (a row of
// strata.csv): the firms of one behaviour type and age band in business
// just before the shock, and how many failed in the shock window in the
// run and in the fork.
type Stratum struct {
	Shock                      int // 1-based
	Type                       agents.Type
	Band                       int // index in AgeBands
	AtRisk, Failed, FailedFork int
}

// cohortStrata counts shock k's (1-based) at-risk cohort by stratum, in
// type-major order (every stratum, empty ones too): firms are the run's
// records (type, birth, failure), f the fork's cohort, t … end the window
// of the excess failure share. nil when nothing was compared.
func cohortStrata(k, t, end int, firms []Firm, f *forkRun) []Stratum {
	if f == nil || end < t || len(f.cohort) == 0 {
		return nil
	}
	out := make([]Stratum, numStrata)
	for i := range out {
		out[i] = Stratum{Shock: k, Type: agents.Type(i / len(AgeBands)), Band: i % len(AgeBands)}
	}
	for i := range f.cohort {
		c := &f.cohort[i]
		if c.id >= len(firms) {
			continue
		}
		fm := &firms[c.id]
		if int(fm.Type) >= agents.NumTypes {
			continue
		}
		st := &out[int(fm.Type)*len(AgeBands)+ageBand(t-1-fm.Born)]
		st.AtRisk++
		if fm.Died >= t && fm.Died <= end {
			st.Failed++
		}
		if c.forkFailed(t, end) {
			st.FailedFork++
		}
	}
	return out
}

// stratumIndex is the position of (type, band) in a shock's strata.
func stratumIndex(t agents.Type, band int) int { return int(t)*len(AgeBands) + band }

// StandardWeights returns, for each shock (0-based index k−1), the pooled
// composition of the at-risk cohorts: w_s = Σ n_s / Σ n over every run
// given (runs[r] is one run's strata), numStrata weights per shock, NaN
// for a shock no run compared.
func StandardWeights(runs [][]Stratum, shocks int) [][]float64 {
	out := make([][]float64, shocks)
	for k := range out {
		n := make([]float64, numStrata)
		total := 0.0
		for _, run := range runs {
			for _, st := range run {
				if st.Shock == k+1 {
					n[stratumIndex(st.Type, st.Band)] += float64(st.AtRisk)
					total += float64(st.AtRisk)
				}
			}
		}
		for s := range n {
			n[s] /= total // NaN when total is 0
		}
		out[k] = n
	}
	return out
}

// StandardisedExcess is one run's composition-standardised excess failure
// share of shock k (1-based) under the standard weights w:
//
//	E = Σ_s w_s (d_s − d'_s)/n_s / Σ_s w_s   over the strata with n_s > 0
//
// (d_s failed in the run, d'_s in the fork, n_s at risk): each stratum's
// excess failure rate weighted by its share of the pooled cohorts, the
// weights of strata the run has no firm in left out and the rest
// rescaled. NaN when no stratum of the run has both firms and weight.
func StandardisedExcess(strata []Stratum, k int, w []float64) float64 {
	sum, wsum := 0.0, 0.0
	for _, st := range strata {
		if st.Shock != k || st.AtRisk == 0 {
			continue
		}
		ws := w[stratumIndex(st.Type, st.Band)]
		if !(ws > 0) {
			continue
		}
		sum += ws * float64(st.Failed-st.FailedFork) / float64(st.AtRisk)
		wsum += ws
	}
	if wsum == 0 {
		return math.NaN()
	}
	return sum / wsum
}

// stdMeasureNames are the composition-standardised measures of a variant
// with the given number of shocks, one per shock.
func stdMeasureNames(shocks int) []string {
	out := make([]string, shocks)
	for k := range out {
		out[k] = results.ShockMeasureName(k+1, StdExcessSuffix)
	}
	return out
}

// SummaryMeasureNames returns the measures summary.json, comparison.csv
// and tests.csv carry for a variant: its per-run measures (MeasureNames),
// then the composition-standardised excess of each shock, which is
// computed across the experiment's runs and so is not in runs.csv.
func SummaryMeasureNames(shocks int, horizons []int) []string {
	return append(MeasureNames(shocks, horizons), stdMeasureNames(shocks)...)
}

// stratumRow is s as a row of strata.csv.
func stratumRow(variant string, seed uint64, s *Stratum) results.StratumRow {
	return results.StratumRow{Variant: variant, Seed: seed, Shock: s.Shock, Type: s.Type.String(), Age: AgeBands[s.Band],
		AtRisk: s.AtRisk, Failed: s.Failed, FailedFork: s.FailedFork}
}

// stratumOf reads a row of strata.csv back.
func stratumOf(r *results.StratumRow) (Stratum, bool) {
	s := Stratum{Shock: r.Shock, AtRisk: r.AtRisk, Failed: r.Failed, FailedFork: r.FailedFork, Band: slices.Index(AgeBands, r.Age)}
	t := slices.Index(agents.TypeNames(), r.Type)
	if t < 0 || s.Band < 0 {
		return s, false
	}
	s.Type = agents.Type(t)
	return s, true
}
