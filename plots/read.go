package plots

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrNoResults is returned by [ReadDir] when a directory holds none of the
// result files the experiment commands write.
var ErrNoResults = errors.New("no smbsim results found")

// Results is everything read from one results directory (see
// docs/outputs.md). A file that is absent leaves its field empty.
type Results struct {
	Dir        string
	Summary    Summary // zero if summary.json is absent
	HasSummary bool    // whether summary.json was read
	// Variants in the order the experiment gave them.
	Variants   []string
	Timeseries Timeseries
	Stats      []StatRow      // stats.csv, or computed from timeseries.csv
	Survival   []SurvivalRow  // survival.csv
	Strategies []StrategyRow  // strategies.csv
	Runs       []RunRow       // runs.csv
	Comparison []Estimate     // comparison.csv
	Sweep      []SweepRow     // sweep.csv
	SweepKeys  []string       // the swept key paths, in sweep.csv column order
	Scenario   map[string]any // scenario.toml decoded into a generic map, nil if absent
	Manifest   map[string]any // manifest.json decoded into a generic map, nil if absent
	stats      map[statKey][]StatRow
	variantIdx map[string]int
}

// Summary is summary.json.
type Summary struct {
	Scenario string           `json:"scenario"`
	Command  string           `json:"command"`
	Metrics  []string         `json:"metrics"`
	Seeds    []int64          `json:"seeds"`
	Shocks   []Shock          `json:"shocks"`
	Variants []VariantSummary `json:"variants"`
	Tests    []Test           `json:"tests"`
	Logrank  *Logrank         `json:"logrank"`
	Sweep    *SweepSummary    `json:"sweep"`
}

// Shock is one scheduled shock of the scenario.
type Shock struct {
	Index    int     `json:"index"` // 1-based, in scenario order
	Kind     string  `json:"kind"`
	Tick     int     `json:"tick"`
	Duration int     `json:"duration"` // 0: permanent
	Severity float64 `json:"severity"`
	Label    string  `json:"label"`
}

// Name is the shock's human-readable name: its label, or its kind with
// underscores as spaces.
func (s Shock) Name() string {
	if s.Label != "" {
		return s.Label
	}
	if s.Kind != "" {
		return strings.ReplaceAll(s.Kind, "_", " ")
	}
	return fmt.Sprintf("shock %d", s.Index)
}

// VariantSummary is one variant of summary.json.
type VariantSummary struct {
	Name     string              `json:"name"`
	Runs     int                 `json:"runs"`
	Measures map[string]Interval `json:"measures"`
	PerSeed  []SeedMeasures      `json:"per_seed"`
}

// Interval is a measure's mean across seeds with its 95 % t-interval.
type Interval struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
}

// SeedMeasures is the per-run measures of one seed.
type SeedMeasures struct {
	Seed     int64              `json:"seed"`
	Measures map[string]float64 `json:"measures"`
}

// Test is one pairwise test between two variants on one measure.
type Test struct {
	Measure      string  `json:"measure"`
	VariantA     string  `json:"variant_a"`
	VariantB     string  `json:"variant_b"`
	Test         string  `json:"test"`
	Statistic    float64 `json:"statistic"`
	P            float64 `json:"p"`
	Effect       string  `json:"effect"`
	EffectSize   float64 `json:"effect_size"`
	EffectCILow  float64 `json:"effect_ci_low"`
	EffectCIHigh float64 `json:"effect_ci_high"`
}

// Logrank is the log-rank test of firm survival across variants.
type Logrank struct {
	Chi2  float64       `json:"chi2"`
	DF    int           `json:"df"`
	P     float64       `json:"p"`
	Pairs []LogrankPair `json:"pairs"`
}

// LogrankPair is the log-rank test between two variants.
type LogrankPair struct {
	VariantA string  `json:"variant_a"`
	VariantB string  `json:"variant_b"`
	Chi2     float64 `json:"chi2"`
	P        float64 `json:"p"`
}

// SweepSummary names the swept parameters and the value of each point.
type SweepSummary struct {
	Params []string     `json:"params"`
	Points []SweepPoint `json:"points"`
}

// SweepPoint is one point of a sweep: a variant name and its parameter values.
type SweepPoint struct {
	Name   string            `json:"name"`
	Values map[string]string `json:"values"`
}

// Timeseries is timeseries.csv: one row per variant, seed and recorded tick.
type Timeseries struct {
	Metrics []string // metric column names, in file order
	Rows    []TimeseriesRow
}

// TimeseriesRow is one row of timeseries.csv. Values follow Metrics; an
// unmeasured value is NaN.
type TimeseriesRow struct {
	Variant string
	Seed    int64
	Tick    int
	Values  []float64
}

// Column returns the index of metric in Values, or -1.
func (ts Timeseries) Column(metric string) int {
	for i, m := range ts.Metrics {
		if m == metric {
			return i
		}
	}
	return -1
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

// SurvivalRow is one row of survival.csv (Kaplan–Meier estimate).
type SurvivalRow struct {
	Variant  string
	Type     string // "all", a behaviour type or "initial_cohort"
	T        float64
	AtRisk   int
	Events   int
	Survival float64
	CILow    float64
	CIHigh   float64
}

// StrategyRow is one row of strategies.csv.
type StrategyRow struct {
	Variant  string
	Seed     int64
	Tick     int
	Rank     int
	Strategy string
	Share    float64
}

// RunRow is one row of runs.csv: a per-run summary figure.
type RunRow struct {
	Variant string
	Seed    int64
	Measure string
	Value   float64 // NaN when not measured
}

// Estimate is a measure's mean across seeds with its 95 % interval: a row
// of comparison.csv or the statistics part of a sweep.csv row.
type Estimate struct {
	Variant string
	Measure string
	N       int
	Mean    float64
	SD      float64
	CILow   float64
	CIHigh  float64
}

// SweepRow is one row of sweep.csv.
type SweepRow struct {
	Point  string            // variant name of the point, e.g. p001
	Values map[string]string // swept key path → value
	Estimate
}

type statKey struct{ variant, metric string }

// ReadDir reads the results in dir. Files that are absent are skipped; a
// file that is present but malformed is an error. If dir holds none of the
// result files, the error wraps [ErrNoResults].
func ReadDir(dir string) (*Results, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("results directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("results directory %s: not a directory", dir)
	}
	r := &Results{Dir: dir}
	found := false
	read := func(name string, fn func(io.Reader) error) error {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		found = true
		if err := fn(f); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
		}
		return nil
	}
	steps := []struct {
		name string
		fn   func(io.Reader) error
	}{
		{"summary.json", r.readSummary},
		{"manifest.json", func(rd io.Reader) error { return json.NewDecoder(rd).Decode(&r.Manifest) }},
		{"scenario.toml", r.readScenario},
		{"timeseries.csv", r.readTimeseries},
		{"stats.csv", r.readStats},
		{"survival.csv", r.readSurvival},
		{"strategies.csv", r.readStrategies},
		{"runs.csv", r.readRuns},
		{"comparison.csv", r.readComparison},
		{"sweep.csv", r.readSweep},
	}
	for _, s := range steps {
		if err := read(s.name, s.fn); err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: %w (expected timeseries.csv, summary.json, … from smbsim run, compare or sweep)", dir, ErrNoResults)
	}
	if r.Stats == nil && len(r.Timeseries.Rows) > 0 {
		r.Stats = statsFromTimeseries(r.Timeseries)
	}
	r.index()
	return r, nil
}

func (r *Results) readSummary(rd io.Reader) error {
	if err := json.NewDecoder(rd).Decode(&r.Summary); err != nil {
		return err
	}
	r.HasSummary = true
	return nil
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
	for _, row := range r.Timeseries.Rows {
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
	r.stats = map[statKey][]StatRow{}
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
func (r *Results) Stat(variant, metric string) []StatRow {
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
func (r *Results) Estimate(variant, measure string) (Estimate, bool) {
	for _, e := range r.Comparison {
		if e.Variant == variant && e.Measure == measure {
			return e, true
		}
	}
	for _, v := range r.Summary.Variants {
		if v.Name != variant {
			continue
		}
		if iv, ok := v.Measures[measure]; ok {
			return Estimate{Variant: variant, Measure: measure, N: iv.N, Mean: iv.Mean, SD: iv.SD, CILow: iv.CILow, CIHigh: iv.CIHigh}, true
		}
	}
	return Estimate{}, false
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
func (r *Results) Shocks() []Shock { return r.Summary.Shocks }

// Name is the scenario name: from summary.json, else the directory name.
func (r *Results) Name() string {
	if r.Summary.Scenario != "" {
		return r.Summary.Scenario
	}
	return filepath.Base(filepath.Clean(r.Dir))
}

// csvTable is a CSV file read with its header.
type csvTable struct {
	col  map[string]int
	rows [][]string
	line int
}

func readCSV(rd io.Reader, required ...string) (*csvTable, error) {
	cr := csv.NewReader(rd)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file (no header row)")
	}
	if err != nil {
		return nil, err
	}
	t := &csvTable{col: map[string]int{}}
	for i, h := range header {
		t.col[strings.TrimSpace(h)] = i
	}
	for _, name := range required {
		if _, ok := t.col[name]; !ok {
			return nil, fmt.Errorf("missing column %q (header: %s)", name, strings.Join(header, ","))
		}
	}
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	t.rows = recs
	return t, nil
}

// rowReader reads typed cells of one CSV row and remembers the first error.
type rowReader struct {
	t    *csvTable
	rec  []string
	line int
	err  error
}

func (t *csvTable) each(fn func(r *rowReader)) error {
	for i, rec := range t.rows {
		rr := &rowReader{t: t, rec: rec, line: i + 2}
		fn(rr)
		if rr.err != nil {
			return rr.err
		}
	}
	return nil
}

func (r *rowReader) str(name string) string {
	i, ok := r.t.col[name]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return r.rec[i]
}

func (r *rowReader) float(name string) float64 {
	s := r.str(name)
	if s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("line %d, column %s: %w", r.line, name, err)
	}
	return v
}

func (r *rowReader) int(name string) int {
	v := r.float(name)
	if math.IsNaN(v) {
		return 0
	}
	return int(v)
}

func (r *rowReader) int64(name string) int64 {
	s := r.str(name)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("line %d, column %s: %w", r.line, name, err)
	}
	return v
}

func (r *Results) readTimeseries(rd io.Reader) error {
	t, err := readCSV(rd, "seed", "tick")
	if err != nil {
		return err
	}
	_, hasVariant := t.col["variant"]
	// Metric columns are all columns but variant, seed and tick, in order.
	header := make([]string, len(t.col))
	for name, i := range t.col {
		header[i] = name
	}
	var metrics []int
	for i, name := range header {
		switch name {
		case "variant", "seed", "tick":
		default:
			metrics = append(metrics, i)
			r.Timeseries.Metrics = append(r.Timeseries.Metrics, name)
		}
	}
	r.Timeseries.Rows = make([]TimeseriesRow, 0, len(t.rows))
	return t.each(func(rr *rowReader) {
		row := TimeseriesRow{Seed: rr.int64("seed"), Tick: rr.int("tick"), Values: make([]float64, len(metrics))}
		if hasVariant {
			row.Variant = rr.str("variant")
		} else {
			row.Variant = r.Name()
		}
		for j, i := range metrics {
			row.Values[j] = rr.float(header[i])
		}
		r.Timeseries.Rows = append(r.Timeseries.Rows, row)
	})
}

func (r *Results) readStats(rd io.Reader) error {
	t, err := readCSV(rd, "variant", "tick", "metric", "mean")
	if err != nil {
		return err
	}
	r.Stats = make([]StatRow, 0, len(t.rows))
	return t.each(func(rr *rowReader) {
		r.Stats = append(r.Stats, StatRow{
			Variant: rr.str("variant"), Tick: rr.int("tick"), Metric: rr.str("metric"),
			N: rr.int("n"), Mean: rr.float("mean"), SD: rr.float("sd"),
			CILow: rr.float("ci_low"), CIHigh: rr.float("ci_high"),
		})
	})
}

func (r *Results) readSurvival(rd io.Reader) error {
	t, err := readCSV(rd, "variant", "type", "t", "survival")
	if err != nil {
		return err
	}
	return t.each(func(rr *rowReader) {
		r.Survival = append(r.Survival, SurvivalRow{
			Variant: rr.str("variant"), Type: rr.str("type"), T: rr.float("t"),
			AtRisk: rr.int("at_risk"), Events: rr.int("events"), Survival: rr.float("survival"),
			CILow: rr.float("ci_low"), CIHigh: rr.float("ci_high"),
		})
	})
}

func (r *Results) readStrategies(rd io.Reader) error {
	t, err := readCSV(rd, "variant", "seed", "tick", "strategy", "share")
	if err != nil {
		return err
	}
	return t.each(func(rr *rowReader) {
		r.Strategies = append(r.Strategies, StrategyRow{
			Variant: rr.str("variant"), Seed: rr.int64("seed"), Tick: rr.int("tick"),
			Rank: rr.int("rank"), Strategy: rr.str("strategy"), Share: rr.float("share"),
		})
	})
}

func (r *Results) readRuns(rd io.Reader) error {
	t, err := readCSV(rd, "variant", "seed", "measure", "value")
	if err != nil {
		return err
	}
	return t.each(func(rr *rowReader) {
		r.Runs = append(r.Runs, RunRow{
			Variant: rr.str("variant"), Seed: rr.int64("seed"),
			Measure: rr.str("measure"), Value: rr.float("value"),
		})
	})
}

func readEstimate(rr *rowReader) Estimate {
	return Estimate{
		Variant: rr.str("variant"), Measure: rr.str("measure"), N: rr.int("n"),
		Mean: rr.float("mean"), SD: rr.float("sd"), CILow: rr.float("ci_low"), CIHigh: rr.float("ci_high"),
	}
}

func (r *Results) readComparison(rd io.Reader) error {
	t, err := readCSV(rd, "variant", "measure", "mean")
	if err != nil {
		return err
	}
	return t.each(func(rr *rowReader) { r.Comparison = append(r.Comparison, readEstimate(rr)) })
}

func (r *Results) readSweep(rd io.Reader) error {
	t, err := readCSV(rd, "point", "measure", "mean")
	if err != nil {
		return err
	}
	header := make([]string, len(t.col))
	for name, i := range t.col {
		header[i] = name
	}
	// Key paths sit between point and measure.
	for i := t.col["point"] + 1; i < t.col["measure"]; i++ {
		r.SweepKeys = append(r.SweepKeys, header[i])
	}
	return t.each(func(rr *rowReader) {
		row := SweepRow{Point: rr.str("point"), Values: map[string]string{}, Estimate: readEstimate(rr)}
		row.Variant = row.Point
		for _, k := range r.SweepKeys {
			row.Values[k] = rr.str(k)
		}
		r.Sweep = append(r.Sweep, row)
	})
}

// statsFromTimeseries computes stats.csv's figures (mean and 95 %
// t-interval across seeds) from the time series, for results directories
// without stats.csv.
func statsFromTimeseries(ts Timeseries) []StatRow {
	type key struct {
		variant string
		tick    int
	}
	var order []key
	groups := map[key][]TimeseriesRow{}
	for _, row := range ts.Rows {
		k := key{row.Variant, row.Tick}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], row)
	}
	var out []StatRow
	for _, k := range order {
		rows := groups[k]
		for j, m := range ts.Metrics {
			var xs []float64
			for _, row := range rows {
				if v := row.Values[j]; !math.IsNaN(v) {
					xs = append(xs, v)
				}
			}
			if len(xs) == 0 {
				continue
			}
			mean, sd, lo, hi := tInterval(xs)
			out = append(out, StatRow{Variant: k.variant, Tick: k.tick, Metric: m, N: len(xs), Mean: mean, SD: sd, CILow: lo, CIHigh: hi})
		}
	}
	return out
}

// tInterval returns the mean, standard deviation and 95 % t-interval of
// xs; the spread figures are NaN for fewer than two values.
func tInterval(xs []float64) (mean, sd, lo, hi float64) {
	n := float64(len(xs))
	for _, x := range xs {
		mean += x
	}
	mean /= n
	if len(xs) < 2 {
		return mean, math.NaN(), math.NaN(), math.NaN()
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd = math.Sqrt(ss / (n - 1))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
	half := q * sd / math.Sqrt(n)
	return mean, sd, mean - half, mean + half
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
	return r.SweepKeys
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
		if row.Point == point {
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

// UnmarshalJSON decodes an interval, reading null as NaN.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var raw struct {
		N      int      `json:"n"`
		Mean   *float64 `json:"mean"`
		SD     *float64 `json:"sd"`
		CILow  *float64 `json:"ci_low"`
		CIHigh *float64 `json:"ci_high"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*iv = Interval{N: raw.N, Mean: orNaN(raw.Mean), SD: orNaN(raw.SD), CILow: orNaN(raw.CILow), CIHigh: orNaN(raw.CIHigh)}
	return nil
}

// UnmarshalJSON decodes one seed's measures, reading null as NaN.
func (s *SeedMeasures) UnmarshalJSON(b []byte) error {
	var raw struct {
		Seed     int64               `json:"seed"`
		Measures map[string]*float64 `json:"measures"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	s.Seed = raw.Seed
	s.Measures = make(map[string]float64, len(raw.Measures))
	for k, v := range raw.Measures {
		s.Measures[k] = orNaN(v)
	}
	return nil
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
