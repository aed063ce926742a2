package plots

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// Results is everything the charts and the report use from one results
// directory (see docs/outputs.md): the directory as package results reads
// it (a file that is absent leaves its field empty), with the variants in
// order, the scenario's parameters and the lookups the charts use.
type Results struct {
	results.Dir
	// Variants in the order the experiment gave them.
	Variants []string
	// ScenarioParams are scenario.toml's keys and values, flattened (nil
	// if it is absent).
	ScenarioParams []Param
	stats          map[statKey][]results.StatRow
	variantIdx     map[string]int
}

type statKey struct{ variant, metric string }

// ReadDir reads the results in dir through [results.ReadDir], and computes
// stats.csv's rows from timeseries.csv where stats.csv is absent.
func ReadDir(dir string) (*Results, error) {
	d, err := results.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	r := &Results{Dir: *d}
	if d.Scenario != nil {
		m, err := decodeScenario(d.Scenario)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, results.FileScenario), err)
		}
		r.ScenarioParams = FlattenScenario(m)
	}
	if r.Stats == nil && len(r.Timeseries) > 0 {
		r.Stats = statsFromTimeseries(r.Timeseries, r.Layout.Metrics)
	}
	r.index()
	return r, nil
}

// statsFromTimeseries computes stats.csv's rows — each metric's mean and
// 95 % t-interval across seeds at each tick, as stats computes
// them — for a results directory without stats.csv.
func statsFromTimeseries(rows []results.TimeseriesRow, metrics []string) []results.StatRow {
	type key struct {
		variant string
		tick    int
	}
	var order []key
	acc := map[key][]stats.Welford{}
	for _, row := range rows {
		k := key{row.Variant, row.Tick}
		w, ok := acc[k]
		if !ok {
			order = append(order, k)
			w = make([]stats.Welford, len(metrics))
			acc[k] = w
		}
		for j, x := range row.Values {
			w[j].Add(x)
		}
	}
	var out []results.StatRow
	for _, k := range order {
		for j, m := range metrics {
			if w := acc[k][j]; w.N() > 0 {
				iv := stats.TInterval(w, 0.95)
				out = append(out, results.StatRow{Variant: k.variant, Tick: k.tick, Metric: m, N: iv.N, Mean: iv.Mean, SD: iv.SD, CILow: iv.Low, CIHigh: iv.High})
			}
		}
	}
	return out
}

// index fills the variant list and the lookup tables.
func (r *Results) index() {
	r.variantIdx = map[string]int{}
	add := func(v string) {
		if _, ok := r.variantIdx[v]; !ok {
			r.variantIdx[v] = len(r.Variants)
			r.Variants = append(r.Variants, v)
		}
	}
	for _, v := range r.Summary.Variants {
		add(v.Name)
	}
	for _, row := range r.Stats {
		add(row.Variant)
	}
	for _, row := range r.Timeseries {
		add(row.Variant)
	}
	for _, row := range r.Comparison {
		add(row.Variant)
	}
	for _, row := range r.Runs {
		add(row.Variant)
	}
	for _, row := range r.Survival {
		add(row.Variant)
	}
	for _, row := range r.Strategies {
		add(row.Variant)
	}
	r.stats = map[statKey][]results.StatRow{}
	for _, row := range r.Stats {
		k := statKey{row.Variant, row.Metric}
		r.stats[k] = append(r.stats[k], row)
	}
	for _, rows := range r.stats {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Tick < rows[j].Tick })
	}
}

// VariantIndex returns the position of variant in Variants, or -1. Charts
// colour variants by this position.
func (r *Results) VariantIndex(variant string) int {
	if i, ok := r.variantIdx[variant]; ok {
		return i
	}
	return -1
}

// Stat returns the rows of stats.csv for one variant and metric, by tick.
func (r *Results) Stat(variant, metric string) []results.StatRow {
	return r.stats[statKey{variant, metric}]
}

// HasMetric reports whether stats exist for metric in any variant.
func (r *Results) HasMetric(metric string) bool {
	for _, v := range r.Variants {
		if len(r.Stat(v, metric)) > 0 {
			return true
		}
	}
	return false
}

// Estimate returns the comparison.csv row for a variant and measure, or
// false. It falls back to summary.json's measures.
func (r *Results) Estimate(variant, measure string) (results.Estimate, bool) {
	for _, e := range r.Comparison {
		if e.Variant == variant && e.Measure == measure {
			return e, true
		}
	}
	for _, v := range r.Summary.Variants {
		if v.Name != variant {
			continue
		}
		if ms, ok := v.Measures[measure]; ok {
			return results.EstimateOf(variant, measure, ms), true
		}
	}
	return results.Estimate{}, false
}

// Measures returns the measure names of comparison.csv (or summary.json),
// in first-seen order.
func (r *Results) Measures() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range r.Comparison {
		if !seen[e.Measure] {
			seen[e.Measure] = true
			out = append(out, e.Measure)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, v := range r.Summary.Variants {
		names := make([]string, 0, len(v.Measures))
		for m := range v.Measures {
			names = append(names, m)
		}
		sort.Strings(names)
		for _, m := range names {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// Shocks returns the scenario's shocks from summary.json.
func (r *Results) Shocks() []results.ShockInfo { return r.Summary.Shocks }

// Name is the scenario name: from summary.json, else the directory name.
func (r *Results) Name() string {
	if r.Summary.Scenario != "" {
		return r.Summary.Scenario
	}
	return filepath.Base(filepath.Clean(r.Path))
}

// VariantLabel is the name shown for a variant in legends: the variant
// name, and for sweep points the swept values, e.g. "p002 (imitator 0.4)".
func (r *Results) VariantLabel(v string) string {
	vals := r.SweepValues(v)
	if len(vals) == 0 {
		return v
	}
	s := v + " ("
	for i, k := range r.SweepParams() {
		if i > 0 {
			s += ", "
		}
		s += shortKey(k) + " " + vals[k]
	}
	return s + ")"
}

// SweepParams returns the swept key paths, from summary.json or sweep.csv.
func (r *Results) SweepParams() []string {
	if r.Summary.Sweep != nil && len(r.Summary.Sweep.Params) > 0 {
		return r.Summary.Sweep.Params
	}
	return r.Layout.Params
}

// SweepValues returns the swept parameter values of a sweep point, or nil.
func (r *Results) SweepValues(point string) map[string]string {
	if r.Summary.Sweep != nil {
		for _, p := range r.Summary.Sweep.Points {
			if p.Name == point {
				return p.Values
			}
		}
	}
	for _, row := range r.Sweep {
		if row.Variant == point {
			return row.Values
		}
	}
	return nil
}

// shortKey is the last component of a dotted key path.
func shortKey(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[i+1:]
	}
	return k
}
