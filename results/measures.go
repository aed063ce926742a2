package results

import (
	"math"
	"strconv"
	"strings"
)

// Kind says what a measure's numbers are, and so how people read them.
type Kind uint8

const (
	// Level is a value read as it is: a mean, a margin, an index, a ratio.
	Level Kind = iota
	// Count is a number of firms, strategies, events or ticks.
	Count
	// Share is a share, normally in [0, 1], shown as a percentage.
	Share
	// Points is a difference of two shares, shown in percentage points.
	Points
)

// Scope says where a measure's name is written.
type Scope uint8

const (
	// ScopeMetric is an engine metric: a column of timeseries.csv, a metric of
	// stats.csv; its value at the last tick may be the per-run measure
	// final_<name> (experiment decides which).
	ScopeMetric Scope = iota
	// ScopeRun is a per-run measure of runs.csv written under its own name.
	ScopeRun
	// ScopeShock is a per-shock measure, written shock<k>_<name> in runs.csv
	// for the k-th shock.
	ScopeShock
	// ScopeHorizon is a per-shock measure taken at each horizon H of
	// output.horizons, written shock<k>_<name>_h<H>; "{horizon}" in its
	// label stands for H.
	ScopeHorizon
)

// Measure is one row of the table of measures: everything about a
// measure that is not its computation.
type Measure struct {
	Name   string  // metric "hhi", run measure "mean_margin", shock suffix "fail_share"
	Scope  Scope   // where the name is written
	Kind   Kind    // share, difference of shares, count or level
	Lo, Hi float64 // the range its values can take (±Inf: unbounded); intervals shown to people are clipped to it
	Unit   string  // "firms", "ticks", "bits", …; empty for shares and pure numbers
	// Label is the reader-facing name. In a ScopeShock row, "{shock}" stands
	// for the shock's name.
	Label string
	// EndLabel (ScopeMetric rows) names final_<name> when it is not Label
	// followed by " at the end".
	EndLabel string
}

// InPercent reports whether the measure is shown as a percentage: a share,
// or a difference of shares in percentage points.
func (m Measure) InPercent() bool { return m.Kind == Share || m.Kind == Points }

var inf = math.Inf(1)

// measureTable is the one table of measures. Adding a measure: compute it
// (sim for a metric, experiment for a per-run or per-shock measure) and add
// its row here; TestMeasureTable (experiment) fails while a measure the
// engine or experiment writes has no row, or a row names nothing written.
//
// It is never modified: read it through [Measures] and [LookupMeasure].
var measureTable = [...]Measure{
	// Engine metrics, in the order of timeseries.csv.
	{Name: "alive", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Firms alive"},
	{Name: "entries", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Firms founded in the tick"},
	{Name: "exits", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Firms exiting in the tick"},
	{Name: "distinct_strategies", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "strategies", Label: "Distinct strategies"},
	{Name: "entropy_bits", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Unit: "bits", Label: "Strategy entropy",
		EndLabel: "Strategy entropy at the end (bits)"},
	{Name: "effective_strategies", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Unit: "strategies", Label: "Effective number of strategies"},
	{Name: "mean_pairwise_distance", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Mean pairwise strategy distance"},
	{Name: "mean_dimension_entropy", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Unit: "bits", Label: "Mean entropy of a strategy dimension"},
	{Name: "top_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of the most common strategy"},
	{Name: "hhi", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Revenue concentration (HHI)"},
	{Name: "mean_margin", Scope: ScopeMetric, Kind: Level, Lo: -inf, Hi: 1, Label: "Mean margin"},
	{Name: "revenue", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Label: "Revenue of the market"},
	{Name: "mean_cash", Scope: ScopeMetric, Kind: Level, Lo: -inf, Hi: inf, Label: "Mean cash"},
	{Name: "imitations", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "moves", Label: "Imitations in the tick"},
	{Name: "innovations", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "moves", Label: "Innovations in the tick"},
	{Name: "specialisations", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "moves", Label: "Specialisations in the tick"},
	{Name: "herd_moves", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "moves", Label: "Herd moves in the tick"},
	{Name: "reversions", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "moves", Label: "Reversions in the tick"},
	{Name: "alive_imitator", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Imitators alive"},
	{Name: "alive_innovator", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Innovators alive"},
	{Name: "alive_specialist", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Specialists alive"},
	{Name: "alive_adaptive", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Adaptive firms alive"},
	{Name: "active_edges", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "edges", Label: "Network edges between firms with different strategies"},
	{Name: "regions", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "regions", Label: "Regions of identical strategies"},
	{Name: "largest_region", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms in the largest region"},
	{Name: "mean_fitness", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Mean fitness"},
	{Name: "platform_top_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the most used platform"},
	{Name: "platform_effective", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Unit: "platforms", Label: "Effective number of platforms"},
	{Name: "shock_target_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the option the last shock hit"},
	{Name: "revenue_gini", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Revenue inequality (Gini)"},
	{Name: "top1_revenue_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Revenue share of the largest 1 % of firms"},
	// Young firms per firm alive after the tick, the exiting ones
	// included: it may exceed 1.
	{Name: "young_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: inf, Label: "Firms younger than a year per firm alive"},

	// Per-run measures, other than final_<metric>.
	{Name: "mean_margin", Scope: ScopeRun, Kind: Level, Lo: -inf, Hi: 1, Label: "Mean margin over the run"},
	{Name: "mean_effective_strategies", Scope: ScopeRun, Kind: Level, Lo: 0, Hi: inf, Unit: "strategies", Label: "Effective number of strategies, mean over the run"},
	// 1 or 0 per run; its mean is the share of runs, shown as a number.
	{Name: "final_in_aftermath", Scope: ScopeRun, Kind: Level, Lo: 0, Hi: 1, Label: "Share of runs ending inside a shock's aftermath"},

	// Per-shock measures shock<k>_<name>.
	{Name: "pre_margin", Scope: ScopeShock, Kind: Level, Lo: -inf, Hi: 1, Label: "Mean margin before the {shock}"},
	{Name: "fail_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms failing after the {shock} (background exits included)"},
	{Name: "drop_depth", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Drop in firms alive after the {shock}"},
	{Name: "recovery_ticks", Scope: ScopeShock, Kind: Count, Lo: 0, Hi: inf, Unit: "ticks", Label: "Months to recover after the {shock}"},
	{Name: "background_fail_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of the same firms failing without the {shock}"},
	{Name: "excess_fail_share", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} (beyond the no-shock fork)"},
	{Name: "excess_drop_depth", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Largest shortfall of firms against the no-shock fork after the {shock}"},
	// Negative when the shock raised revenue.
	{Name: "revenue_lost_share", Scope: ScopeShock, Kind: Share, Lo: -inf, Hi: 1, Label: "Share of revenue lost to the {shock}"},
	{Name: "effective_gap", Scope: ScopeShock, Kind: Level, Lo: -1, Hi: inf, Label: "Diversity gap to the no-shock fork after the {shock}"},
	{Name: "pre_effective_strategies", Scope: ScopeShock, Kind: Level, Lo: 0, Hi: inf, Unit: "strategies", Label: "Diversity when the {shock} hit"},
	{Name: "pre_top_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of the most common strategy when the {shock} hit"},
	{Name: "pre_mean_pairwise_distance", Scope: ScopeShock, Kind: Level, Lo: 0, Hi: 1, Label: "Mean pairwise distance when the {shock} hit"},
	{Name: "pre_alive", Scope: ScopeShock, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Firms alive when the {shock} hit"},
	{Name: "pre_mean_cash", Scope: ScopeShock, Kind: Level, Lo: -inf, Hi: inf, Label: "Mean cash when the {shock} hit"},
	{Name: "target_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the option the {shock} hit"},
	// κ of stats.CoFailure: 0 for deaths spread at random, 1 all in one group.
	{Name: "cofailure", Scope: ScopeShock, Kind: Level, Lo: -1, Hi: 1, Label: "Co-failure of the firms the {shock} killed (κ: 0 random, 1 one group)"},
	// Computed across the experiment's runs (summary, comparison, tests; not runs.csv).
	{Name: StdExcessFailShare, Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock}, standardised to the pooled type × age composition"},

	// Per-shock measures at each horizon, shock<k>_<name>_h<H>: the excess
	// failures (run − no-shock fork) of the firms in business at the shock
	// on each counting basis (experiment.Bases).
	{Name: "excess_fail_share", Scope: ScopeHorizon, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures {horizon} months after the {shock} (share of firms)"},
	{Name: "excess_fail_firms", Scope: ScopeHorizon, Kind: Count, Lo: -inf, Hi: inf, Unit: "firms", Label: "Excess failures {horizon} months after the {shock} (firms)"},
	{Name: "excess_fail_revenue", Scope: ScopeHorizon, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures {horizon} months after the {shock} (share of revenue)"},
}

// Measures returns the table of measures (a copy), metrics first in the
// order of timeseries.csv, then the per-run and the per-shock measures.
func Measures() []Measure { return append([]Measure(nil), measureTable[:]...) }

func row(scope Scope, name string) (Measure, bool) {
	for _, m := range measureTable {
		if m.Scope == scope && m.Name == name {
			return m, true
		}
	}
	return Measure{}, false
}

// LookupMetric returns the row of engine metric name ("hhi").
func LookupMetric(name string) (Measure, bool) { return row(ScopeMetric, name) }

// LookupMeasure returns the row of a per-run measure as runs.csv names it:
// "mean_margin" (a ScopeRun row), "final_hhi" (the ScopeMetric row of hhi, with
// Label the label of its value at the end), "shock2_fail_share" (the Shock
// row of fail_share). ok is false for a name without a row.
func LookupMeasure(name string) (Measure, bool) {
	if m, ok := row(ScopeRun, name); ok {
		return m, true
	}
	if _, suffix, ok := SplitShockMeasure(name); ok {
		if m, ok := row(ScopeShock, suffix); ok {
			return m, true
		}
		if base, h, ok := splitHorizon(suffix); ok {
			m, ok := row(ScopeHorizon, base)
			m.Label = strings.ReplaceAll(m.Label, "{horizon}", strconv.Itoa(h))
			return m, ok
		}
		return Measure{}, false
	}
	if metric, ok := strings.CutPrefix(name, "final_"); ok {
		m, ok := row(ScopeMetric, metric)
		if ok {
			if m.EndLabel != "" {
				m.Label = m.EndLabel
			} else {
				m.Label += " at the end"
			}
		}
		return m, ok
	}
	return Measure{}, false
}

// lookupAny finds name as a per-run measure, else as an engine metric.
func lookupAny(name string) (Measure, bool) {
	if m, ok := LookupMeasure(name); ok {
		return m, true
	}
	return LookupMetric(name)
}

// MeasureRange returns the range a per-run measure ("final_hhi",
// "shock2_fail_share") or an engine metric ("hhi") can take, from its row;
// without a row: any value for a per-shock measure, not negative for
// others.
func MeasureRange(name string) (lo, hi float64) {
	if m, ok := lookupAny(name); ok {
		return m.Lo, m.Hi
	}
	if _, _, ok := SplitShockMeasure(name); ok {
		return math.Inf(-1), inf
	}
	return 0, inf
}

// ClipInterval clamps an interval to the range of measure or metric name
// (NaN stays NaN).
func ClipInterval(name string, lo, hi float64) (float64, float64) {
	a, b := MeasureRange(name)
	clip := func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		return math.Max(a, math.Min(b, v))
	}
	return clip(lo), clip(hi)
}

// InPercent reports whether a per-run measure (or, failing that, an engine
// metric) is shown as a percentage: a share, or a difference of shares in
// points. False for a name without a row.
func InPercent(name string) bool {
	m, ok := lookupAny(name)
	return ok && m.InPercent()
}

// MeasureLabel is the reader-facing name of a per-run measure, or failing
// that of an engine metric; shockName names shock k in the labels of
// per-shock measures. A name without a row is shown with spaces for
// underscores.
func MeasureLabel(name string, shockName func(k int) string) string {
	m, ok := lookupAny(name)
	if !ok {
		return strings.ReplaceAll(name, "_", " ")
	}
	if k, _, isShock := SplitShockMeasure(name); isShock {
		return strings.ReplaceAll(m.Label, "{shock}", shockName(k))
	}
	return m.Label
}

// SplitShockMeasure splits a per-shock measure name, "shock2_fail_share",
// into 2 and "fail_share"; ok is false for the other measures.
func SplitShockMeasure(name string) (k int, suffix string, ok bool) {
	s, ok := strings.CutPrefix(name, "shock")
	if !ok {
		return 0, "", false
	}
	i := strings.IndexByte(s, '_')
	if i <= 0 {
		return 0, "", false
	}
	k, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, "", false
	}
	return k, s[i+1:], true
}

// HorizonMeasureName is the name of per-shock measure base at horizon h
// for shock k: HorizonMeasureName(2, "excess_fail_share", 60) =
// "shock2_excess_fail_share_h60".
func HorizonMeasureName(k int, base string, h int) string {
	return ShockMeasureName(k, base) + "_h" + strconv.Itoa(h)
}

// splitHorizon splits "excess_fail_share_h60" into "excess_fail_share"
// and 60.
func splitHorizon(suffix string) (base string, h int, ok bool) {
	i := strings.LastIndex(suffix, "_h")
	if i <= 0 {
		return "", 0, false
	}
	h, err := strconv.Atoi(suffix[i+2:])
	if err != nil || h < 1 {
		return "", 0, false
	}
	return suffix[:i], h, true
}

// ShockMeasureName is the name of per-shock measure suffix for shock k:
// ShockMeasureName(2, "fail_share") = "shock2_fail_share".
func ShockMeasureName(k int, suffix string) string {
	return "shock" + strconv.Itoa(k) + "_" + suffix
}

// StdExcessFailShare is the suffix of shock<k>_std_excess_fail_share, the
// excess failure share directly standardised to the pooled behaviour-type
// × age-band composition of the compared variants' at-risk cohorts
// (computed by package experiment across runs; docs/model.md).
const StdExcessFailShare = "std_excess_fail_share"
