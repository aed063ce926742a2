package results

import "slices"

// The row types, one per CSV file. Each lists its columns, in file order,
// in its bind method; that list is the file's header, encoder and decoder.

// TimeseriesRow is one row of timeseries.csv: one recorded tick of a run.
type TimeseriesRow struct {
	Variant string
	Seed    uint64
	Tick    int
	Values  []float64 // in Layout.Metrics order; NaN = not measured
}

func (*TimeseriesRow) file() string { return FileTimeseries }

func (r *TimeseriesRow) bind(b *binder) {
	b.variant(&r.Variant)
	b.seed("seed", &r.Seed)
	b.int("tick", &r.Tick)
	b.floats(b.layout.Metrics, &r.Values)
}

func (*TimeseriesRow) infer(h []string, l *Layout) {
	l.NoVariantColumn = len(h) == 0 || h[0] != "variant"
	lead := 3
	if l.NoVariantColumn {
		lead = 2
	}
	if len(h) > lead {
		l.Metrics = slices.Clone(h[lead:])
	}
}

// FirmRow is one row of firms.csv: one firm's life in one run.
type FirmRow struct {
	Variant  string
	Seed     uint64
	Firm     int
	Type     string
	Sector   int
	Born     int
	Died     int // -1 when censored (alive at the end): an empty cell
	Censored bool
	Initial  string
	Final    string
	Age      int     // ticks (months) from birth to death or to the run's last tick
	Size     float64 // scale of operation at death or at the end (float32 precision)
	Revenue  float64 // revenue of the last tick lived (float32 precision)
}

func (*FirmRow) file() string { return FileFirms }

func (r *FirmRow) bind(b *binder) {
	b.variant(&r.Variant)
	b.seed("seed", &r.Seed)
	b.int("firm", &r.Firm)
	b.str("type", &r.Type)
	b.int("sector", &r.Sector)
	b.int("born", &r.Born)
	b.intOr("died", &r.Died, -1)
	b.bool("censored", &r.Censored)
	b.str("initial", &r.Initial)
	b.str("final", &r.Final)
	b.int("age", &r.Age)
	b.float("size", &r.Size)
	b.float("revenue", &r.Revenue)
}

func (*FirmRow) infer(h []string, l *Layout) {
	l.NoVariantColumn = len(h) == 0 || h[0] != "variant"
}

// StrategyRow is one row of strategies.csv: a top strategy of a run at a tick.
type StrategyRow struct {
	Variant  string
	Seed     uint64
	Tick     int
	Rank     int
	Strategy string
	Share    float64
}

func (*StrategyRow) file() string { return FileStrategies }

func (r *StrategyRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.seed("seed", &r.Seed)
	b.int("tick", &r.Tick)
	b.int("rank", &r.Rank)
	b.str("strategy", &r.Strategy)
	b.float("share", &r.Share)
}

// ShareRow is one row of shares.csv: the share of alive firms using one
// option of a practice dimension (a platform, or an option of a dimension
// a shock hits) at a recorded tick of a run. A tidy (long) table: one row
// per run, tick, dimension and option.
type ShareRow struct {
	Variant   string
	Seed      uint64
	Tick      int
	Dimension string // the dimension's name (strategy.dimensions)
	Option    int    // 0-based, as in strategy codes
	Share     float64
}

func (*ShareRow) file() string { return FileShares }

func (r *ShareRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.seed("seed", &r.Seed)
	b.int("tick", &r.Tick)
	b.str("dimension", &r.Dimension)
	b.int("option", &r.Option)
	b.float("share", &r.Share)
}

// RunRow is one row of runs.csv: one measure of one run.
type RunRow struct {
	Variant string
	Seed    uint64
	Measure string
	Value   float64 // NaN = not measured
}

func (*RunRow) file() string { return FileRuns }

func (r *RunRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.seed("seed", &r.Seed)
	b.str("measure", &r.Measure)
	b.float("value", &r.Value)
}

// StatRow is one row of stats.csv: a metric at one tick across seeds.
type StatRow struct {
	Variant string
	Tick    int
	Metric  string
	N       int
	Mean    float64
	SD      float64 // NaN when not measured
	CILow   float64 // NaN when not measured
	CIHigh  float64 // NaN when not measured
}

func (*StatRow) file() string { return FileStats }

func (r *StatRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.int("tick", &r.Tick)
	b.str("metric", &r.Metric)
	b.int("n", &r.N)
	b.float("mean", &r.Mean)
	b.float("sd", &r.SD)
	b.float("ci_low", &r.CILow)
	b.float("ci_high", &r.CIHigh)
}

// SurvivalRow is one row of survival.csv: a Kaplan–Meier point.
type SurvivalRow struct {
	Variant string
	Type    string // "all", a behaviour type, "initial_cohort" or "entrants"
	// T is the age, in ticks since the firm's founding, in every group
	// (column age). The initial cohort was founded at tick 0, so its age
	// is also the calendar tick.
	T        float64
	AtRisk   int
	Events   int
	Survival float64
	CILow    float64
	CIHigh   float64
}

func (*SurvivalRow) file() string { return FileSurvival }

func (r *SurvivalRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.str("type", &r.Type)
	b.float("age", &r.T)
	b.int("at_risk", &r.AtRisk)
	b.int("events", &r.Events)
	b.float("survival", &r.Survival)
	b.float("ci_low", &r.CILow)
	b.float("ci_high", &r.CIHigh)
}

// Estimate is a measure's mean across seeds with its 95 % t-interval: a
// row of comparison.csv, and the statistics of a sweep.csv row.
type Estimate struct {
	Variant string
	Measure string
	N       int
	Mean    float64
	SD      float64
	CILow   float64
	CIHigh  float64
}

func (*Estimate) file() string { return FileComparison }

func (e *Estimate) bind(b *binder) {
	b.str("variant", &e.Variant)
	b.str("measure", &e.Measure)
	e.bindStats(b)
}

func (e *Estimate) bindStats(b *binder) {
	b.int("n", &e.N)
	b.float("mean", &e.Mean)
	b.float("sd", &e.SD)
	b.float("ci_low", &e.CILow)
	b.float("ci_high", &e.CIHigh)
}

// EstimateOf is the estimate of a summary's measure statistics.
func EstimateOf(variant, measure string, ms MeasureStats) Estimate {
	return Estimate{Variant: variant, Measure: measure, N: ms.N, Mean: float64(ms.Mean), SD: float64(ms.SD),
		CILow: float64(ms.CILow), CIHigh: float64(ms.CIHigh)}
}

// SweepRow is one row of sweep.csv: a measure at one sweep point. Its
// Estimate's Variant is the point's name (p001, p002, …), the key of the
// point's rows in every other file.
type SweepRow struct {
	Values map[string]string // swept key path → value
	Estimate
}

func (*SweepRow) file() string { return FileSweep }

func (r *SweepRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.strMap(b.layout.Params, &r.Values)
	b.str("measure", &r.Measure)
	r.bindStats(b)
}

func (*SweepRow) infer(h []string, l *Layout) {
	if i := slices.Index(h, "measure"); i > 1 {
		l.Params = slices.Clone(h[1:i])
	}
}

// SweepRunRow is one row of sweep_runs.csv: one run of a sweep point,
// with the point's parameter values and every per-run measure as columns
// (one row per run, one column per variable: a tidy table for R or
// pandas, no pivot or join needed).
type SweepRunRow struct {
	Variant  string            // variant name of the point, e.g. p001
	Values   map[string]string // swept key path → value
	Seed     uint64
	Measures []float64 // in Layout.Measures order; NaN = not measured
}

func (*SweepRunRow) file() string { return FileSweepRuns }

func (r *SweepRunRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.strMap(b.layout.Params, &r.Values)
	b.seed("seed", &r.Seed)
	b.floats(b.layout.Measures, &r.Measures)
}

func (*SweepRunRow) infer(h []string, l *Layout) {
	if i := slices.Index(h, "seed"); i >= 1 {
		l.Params = slices.Clone(h[1:i])
		l.Measures = slices.Clone(h[i+1:])
	}
}

func (*Test) file() string { return FileTests }

// bind makes the summary's Test the row type of tests.csv.
func (t *Test) bind(b *binder) {
	b.str("measure", &t.Measure)
	b.str("variant_a", &t.VariantA)
	b.str("variant_b", &t.VariantB)
	b.str("design", &t.Design)
	b.str("test", &t.Test)
	b.number("statistic", &t.Statistic)
	b.number("p", &t.P)
	b.number("p_holm", &t.PHolm)
	b.str("effect", &t.Effect)
	b.number("effect_size", &t.EffectSize)
	b.number("effect_ci_low", &t.EffectCILow)
	b.number("effect_ci_high", &t.EffectCIHigh)
}

// ExcessRow is one row of excess.csv: one point of a shock's effect curve
// in one run, the excess failures (the run minus its no-shock fork) of
// the firms in business at the shock, cumulated over the Ticks ticks from
// the shock's first tick, on one counting basis ("share": a fraction of
// the firms in business at the shock; "firms": a number of firms;
// "revenue": a fraction of their revenue in the tick before the shock). A
// tidy (long) table: one row per run, shock, basis and tick.
type ExcessRow struct {
	Variant string
	Seed    uint64
	Shock   int // 1-based, the k of shock<k>_* measures
	Basis   string
	Ticks   int // ticks since the shock's first tick, 1 = its own tick
	Value   float64
}

func (*ExcessRow) file() string { return FileExcess }

func (r *ExcessRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.seed("seed", &r.Seed)
	b.int("shock", &r.Shock)
	b.str("basis", &r.Basis)
	b.int("ticks", &r.Ticks)
	b.float("value", &r.Value)
}

// StratumRow is one row of strata.csv: one stratum of a shock's at-risk
// cohort in one run — the firms in business just before the shock's first
// tick of one behaviour type and one age band at the shock — and how many
// of them failed within the shock window in the run and in its no-shock
// fork (the window of shock<k>_excess_fail_share, cut where either ended).
// The counts from which the composition-standardised excess
// (shock<k>_std_excess_fail_share) is computed across runs. A tidy table:
// one row per run, shock, type and age band, empty strata included.
type StratumRow struct {
	Variant    string
	Seed       uint64
	Shock      int    // 1-based
	Type       string // behaviour type: imitator, innovator, specialist, adaptive
	Age        string // age band at the shock, in ticks (months): "0-11", "12-59", "60+"
	AtRisk     int    // firms of the stratum in business just before the shock
	Failed     int    // of them, failed within the window in the run
	FailedFork int    // of them, failed within the window in the no-shock fork
}

func (*StratumRow) file() string { return FileStrata }

func (r *StratumRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.seed("seed", &r.Seed)
	b.int("shock", &r.Shock)
	b.str("type", &r.Type)
	b.str("age", &r.Age)
	b.int("at_risk", &r.AtRisk)
	b.int("failed", &r.Failed)
	b.int("failed_fork", &r.FailedFork)
}

// ExcessStatRow is one row of excess_stats.csv: a point of a shock's
// effect curve across seeds with its 95 % t-interval. Versus empty: the
// mean of Variant's curve; Versus = B: the mean of the paired per-seed
// differences Variant − B over the seeds both ran.
type ExcessStatRow struct {
	Variant string
	Versus  string
	Shock   int
	Basis   string
	Ticks   int
	N       int
	Mean    float64
	CILow   float64 // NaN when not measured
	CIHigh  float64 // NaN when not measured
}

func (*ExcessStatRow) file() string { return FileExcessStats }

func (r *ExcessStatRow) bind(b *binder) {
	b.str("variant", &r.Variant)
	b.str("versus", &r.Versus)
	b.int("shock", &r.Shock)
	b.str("basis", &r.Basis)
	b.int("ticks", &r.Ticks)
	b.int("n", &r.N)
	b.float("mean", &r.Mean)
	b.float("ci_low", &r.CILow)
	b.float("ci_high", &r.CIHigh)
}
