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
	// Doc is what docs/outputs.md says of the measure beyond its label,
	// kind and range (Markdown; may be empty). That section is generated
	// from this table: go test ./results -run MeasuresDoc -update.
	Doc string
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
	{Name: "active_edges", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "edges", Label: "Network edges between firms sharing some but not all practices"},
	{Name: "regions", Scope: ScopeMetric, Kind: Count, Lo: 0, Hi: inf, Unit: "regions", Label: "Regions of identical strategies",
		Doc: "Connected regions of firms with identical strategies over the network; empty except on ticks where it is measured (every `simulation.regions_every` ticks and the last tick)."},
	{Name: "largest_region", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms in the largest region",
		Doc: "The share of alive firms in the largest region of identical strategies (the order parameter of Castellano, Marsili & Vespignani 2000); measured with `regions`, empty in between."},
	{Name: "mean_fitness", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Mean fitness",
		Doc: "Empty without a landscape: with practices that interact (`landscape.k` > 0) the alive firms' mean NK fitness f, in the payoff-only mode their mean score (f / f_max)^exponent (docs/model.md)."},
	{Name: "platform_top_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the most used platform",
		Doc: "The share of alive firms on the most used platform (the options of `strategy.platform`); empty without a platform dimension."},
	{Name: "platform_effective", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: inf, Unit: "platforms", Label: "Effective number of platforms",
		Doc: "The effective number of platforms, 1/Σ p² over the options of `strategy.platform`; empty without a platform dimension."},
	{Name: "shock_target_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the option the last shock hit",
		Doc: "The share of alive firms using the option hit by the platform failure, technology disruption or practice regulation that started last; empty before the first."},
	{Name: "revenue_gini", Scope: ScopeMetric, Kind: Level, Lo: 0, Hi: 1, Label: "Revenue inequality (Gini)",
		Doc: "The Gini coefficient of alive firms' revenues, measured every 12 ticks (a year) and at the last tick, empty in between and without a market."},
	{Name: "top1_revenue_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: 1, Label: "Revenue share of the largest 1 % of firms",
		Doc: "The share of revenue of the largest 1 % of firms (at least one), measured every 12 ticks (a year) and at the last tick, empty in between and without a market."},
	// Young firms per firm alive after the tick, the exiting ones
	// included: it may exceed 1.
	{Name: "young_share", Scope: ScopeMetric, Kind: Share, Lo: 0, Hi: inf, Label: "Firms younger than a year per firm alive",
		Doc: "The firms younger than 12 ticks (a year; initial firms count as mature), counted when the market clears (so including those that exit in the tick), per firm alive after the tick: it may exceed 1. Empty without a market."},

	// Per-run measures, other than final_<metric>.
	{Name: "mean_margin", Scope: ScopeRun, Kind: Level, Lo: -inf, Hi: 1, Label: "Mean margin over the run",
		Doc: "The mean of `mean_margin` over all ticks."},
	{Name: "mean_effective_strategies", Scope: ScopeRun, Kind: Level, Lo: 0, Hi: inf, Unit: "strategies", Label: "Effective number of strategies, mean over the run",
		Doc: "The mean of `effective_strategies` over all ticks of the run (the stated window: ticks 1 … last)."},
	// 1 or 0 per run; its mean is the share of runs, shown as a number.
	{Name: "final_in_aftermath", Scope: ScopeRun, Kind: Level, Lo: 0, Hi: 1, Label: "Share of runs ending inside a shock's aftermath",
		Doc: "1 when the run ended inside a shock's aftermath, else 0: the last tick lies in a shock's window (T … T+W−1), or, for some shock, the shocked world's `effective_strategies` at the end of the window was still more than 10 % away from its fork's (`|shock<k>_effective_gap|` > 0.1: it had not come back to the level of the market without the shock when last compared). Its mean is the share of runs."},

	{Name: "final_between_sector_share", Scope: ScopeRun, Kind: Share, Lo: 0, Hi: 1, Label: "Share of strategy diversity between sectors at the end",
		Doc: "Of the strategy entropy of the firms alive at the end, the share that lies between sectors: I(sector; strategy) / H(strategy) = (H − Σ_s w_s H_s) / H, with H the entropy (bits) of the strategy shares over all firms alive, H_s the entropy within sector s and w_s the sector's share of the firms. 0 when every sector holds the same mix of strategies (always, with one sector); 1 when each sector holds one strategy of its own. High values mean each sector has converged on its own template. NaN when no firm is alive or all hold one strategy."},

	// Per-shock measures shock<k>_<name>.
	{Name: "pre_margin", Scope: ScopeShock, Kind: Level, Lo: -inf, Hi: 1, Label: "Mean margin before the {shock}",
		Doc: "The mean of `mean_margin` over the 10 ticks before the shock, T−10 … T−1 (efficiency before it)."},
	{Name: "fail_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms failing after the {shock} (background exits included)",
		Doc: "The share of the firms alive at the shock (born before T, not exited before T) that exit in the window. **It includes background exits**: firms that would have exited in the window without the shock too (see `shock<k>_excess_fail_share`)."},
	{Name: "drop_depth", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Drop in firms alive after the {shock}",
		Doc: "(alive at the shock − minimum `alive` in the window) / alive at the shock; 0 if `alive` never falls below its level. Like the fail share it includes background exits."},
	{Name: "recovery_ticks", Scope: ScopeShock, Kind: Count, Lo: 0, Hi: inf, Unit: "ticks", Label: "Months to recover after the {shock}",
		Doc: "0 if `alive` stays at or above 90 % of its level at the shock throughout the window; otherwise r such that tick T+r−1 is the first tick after the fall with `alive` back at 90 % (r counts the shock's own tick); empty if that never happens within the run."},
	{Name: "background_fail_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of the same firms failing without the {shock}",
		Doc: "Counterfactual: the share of the same firms (alive at the shock) that exit in the window in the fork: the background rate."},
	{Name: "excess_fail_share", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} (beyond the no-shock fork)",
		Doc: "Counterfactual: `shock<k>_fail_share` − `shock<k>_background_fail_share`, per seed: the failures the shock caused."},
	{Name: "excess_drop_depth", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Largest shortfall of firms against the no-shock fork after the {shock}",
		Doc: "Counterfactual: the maximum over the window of (alive in the fork − alive with the shock) / alive at the shock: the largest shortfall of firms against the market without the shock (negative if the shocked market had more firms throughout)."},
	// Negative when the shock raised revenue.
	{Name: "revenue_lost_share", Scope: ScopeShock, Kind: Share, Lo: -inf, Hi: 1, Label: "Share of revenue lost to the {shock}",
		Doc: "Counterfactual: Σ (revenue in the fork − revenue) / Σ revenue in the fork over the window: the share of the market's revenue the shock cost (negative when it raised revenue)."},
	{Name: "effective_gap", Scope: ScopeShock, Kind: Level, Lo: -1, Hi: inf, Label: "Diversity gap to the no-shock fork after the {shock}",
		Doc: "Counterfactual: `effective_strategies` with the shock / in the fork − 1 at the window's last tick."},
	{Name: "pre_effective_strategies", Scope: ScopeShock, Kind: Level, Lo: 0, Hi: inf, Unit: "strategies", Label: "Diversity when the {shock} hit",
		Doc: "The market the shock found: the mean of `effective_strategies` over the 10 ticks T−10 … T−1."},
	{Name: "pre_top_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of the most common strategy when the {shock} hit",
		Doc: "The mean of `top_share` over the 10 ticks T−10 … T−1."},
	{Name: "pre_mean_pairwise_distance", Scope: ScopeShock, Kind: Level, Lo: 0, Hi: 1, Label: "Mean pairwise distance when the {shock} hit",
		Doc: "The mean of `mean_pairwise_distance` over the 10 ticks T−10 … T−1."},
	{Name: "pre_alive", Scope: ScopeShock, Kind: Count, Lo: 0, Hi: inf, Unit: "firms", Label: "Firms alive when the {shock} hit",
		Doc: "The mean of `alive` over the 10 ticks T−10 … T−1."},
	{Name: "pre_mean_cash", Scope: ScopeShock, Kind: Level, Lo: -inf, Hi: inf, Label: "Mean cash when the {shock} hit",
		Doc: "The mean of `mean_cash` over the 10 ticks T−10 … T−1."},
	{Name: "target_share", Scope: ScopeShock, Kind: Share, Lo: 0, Hi: 1, Label: "Share of firms on the option the {shock} hit",
		Doc: "For a shock that hits one option of a practice (a platform failure, a technology disruption, a regulation of a `dimension`): the share of alive firms using that option (the failed platform, the disrupted or regulated practice) at the end of tick T, the `shock_target_share` metric of that tick; empty for other shocks. (When two such shocks start at the same tick, the metric follows the later one in the scenario.)"},
	// κ of stats.CoFailure: 0 for deaths spread at random, 1 all in one group.
	{Name: "cofailure", Scope: ScopeShock, Kind: Level, Lo: -1, Hi: 1, Label: "Co-failure of the firms the {shock} killed (κ: 0 random, 1 one group)",
		Doc: "Counterfactual: κ, how concentrated the firms the shock killed are among firms that share what it hit, against the same number of deaths spread at random (docs/model.md, \"Co-failure\"). The killed firms are those in business at the shock that exit in the window in the run but not in the fork; the groups are, for a shock that hits one option (platform failure, technology disruption, regulation of a `dimension`), the options of that dimension, and for other shocks (demand shift, downturn, regulation of a sector) the firms' sector and whole strategy. With P_K the probability that two distinct killed firms share a group and P_N that two distinct firms in business at the shock do, κ = (P_K − P_N)/(1 − P_N): 0 on average for deaths spread at random, 1 when all fall in one group, below 0 when spread more evenly than at random. Empty with fewer than two killed firms or a single group."},
	{Name: "excess_fail_cash_q1", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} among the quarter of firms with the least cash at it",
		Doc: "Counterfactual, by cash at the shock: the firms in business just before the shock, ranked by their cash then (ties by firm ID) and cut into four groups of equal size (q1 the least cash … q4 the most; sizes differ by at most one); in group q1, the share that exits in the window in the run minus the share of the same firms that exits in the fork. Whether cash-poor firms go first: compare q1 with q4. Empty without a fork or with fewer than four firms."},
	{Name: "excess_fail_cash_q2", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} among the second quarter of firms by cash at it",
		Doc: "Counterfactual, by cash at the shock: the firms in business just before the shock, ranked by their cash then (ties by firm ID) and cut into four groups of equal size (q1 the least cash … q4 the most; sizes differ by at most one); in group q2, the share that exits in the window in the run minus the share of the same firms that exits in the fork. Whether cash-poor firms go first: compare q1 with q4. Empty without a fork or with fewer than four firms."},
	{Name: "excess_fail_cash_q3", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} among the third quarter of firms by cash at it",
		Doc: "Counterfactual, by cash at the shock: the firms in business just before the shock, ranked by their cash then (ties by firm ID) and cut into four groups of equal size (q1 the least cash … q4 the most; sizes differ by at most one); in group q3, the share that exits in the window in the run minus the share of the same firms that exits in the fork. Whether cash-poor firms go first: compare q1 with q4. Empty without a fork or with fewer than four firms."},
	{Name: "excess_fail_cash_q4", Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock} among the quarter of firms with the most cash at it",
		Doc: "Counterfactual, by cash at the shock: the firms in business just before the shock, ranked by their cash then (ties by firm ID) and cut into four groups of equal size (q1 the least cash … q4 the most; sizes differ by at most one); in group q4, the share that exits in the window in the run minus the share of the same firms that exits in the fork. Whether cash-poor firms go first: compare q1 with q4. Empty without a fork or with fewer than four firms."},
	// Computed across the experiment's runs (summary, comparison, tests; not runs.csv).
	{Name: StdExcessFailShare, Scope: ScopeShock, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures after the {shock}, standardised to the pooled type × age composition",
		Doc: "Counterfactual: the excess failure share directly standardised to the pooled behaviour-type × age-band composition of every variant's at-risk cohorts (docs/model.md, \"Mechanism controls\"): with n, d, d′ a stratum's at-risk firms and failures in the run and in the fork (`strata.csv`) and w_s = Σ n_s / Σ n over every run of every variant (the pooled composition), per seed E = Σ_s w_s (d_s − d′_s)/n_s / Σ_s w_s over the strata the run has firms in. Two mixes that differ only in how their cohorts are made up (more imitators, older firms) get the same value; a difference that remains is within types and ages. Adding or removing variants changes the standard, and so the values. Computed across the experiment's runs, so in `comparison.csv`, `tests.csv` and `summary.json` (means, per-seed values, paired tests) but not in `runs.csv`."},

	// Per-shock measures at each horizon, shock<k>_<name>_h<H>: the excess
	// failures (run − no-shock fork) of the firms in business at the shock
	// on each counting basis (experiment.Bases).
	{Name: "excess_fail_share", Scope: ScopeHorizon, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures {horizon} months after the {shock} (share of firms)",
		Doc: "Counterfactual: the excess failures (run − fork) of the firms in business at the shock, cumulated over ticks T … T+H−1, as a share of those firms: the `share` curve of `excess.csv` at `ticks` = H. Empty if the run or its fork ended before."},
	{Name: "excess_fail_firms", Scope: ScopeHorizon, Kind: Count, Lo: -inf, Hi: inf, Unit: "firms", Label: "Excess failures {horizon} months after the {shock} (firms)",
		Doc: "Counterfactual: the same excess failures as a number of firms (the `firms` curve of `excess.csv` at H)."},
	{Name: "excess_fail_revenue", Scope: ScopeHorizon, Kind: Points, Lo: -1, Hi: 1, Label: "Excess failures {horizon} months after the {shock} (share of revenue)",
		Doc: "Counterfactual: the same excess failures weighted by revenue: the failed firms' revenue in tick T−1 over everyone's (the `revenue` curve of `excess.csv` at H)."},
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
