package experiment

import (
	"path/filepath"
	"strconv"

	"github.com/smbsim/smbsim/sim"
)

// Headers of the per-run files; lead is "variant" or nothing.
func timeseriesHeader(variant bool) []string {
	h := lead(variant, "seed", "tick")
	return append(h, sim.MetricNames()...)
}

func firmsHeader(variant bool) []string {
	return lead(variant, "seed", "firm", "type", "sector", "born", "died", "censored", "initial", "final", "age", "size", "revenue")
}

var (
	strategiesHeader = []string{"variant", "seed", "tick", "rank", "strategy", "share"}
	runsHeader       = []string{"variant", "seed", "measure", "value"}
	statsHeader      = []string{"variant", "tick", "metric", "n", "mean", "sd", "ci_low", "ci_high"}
	survivalHeader   = []string{"variant", "type", "t", "at_risk", "events", "survival", "ci_low", "ci_high"}
	comparisonHeader = []string{"variant", "measure", "n", "mean", "sd", "ci_low", "ci_high"}
	testsHeader      = []string{"measure", "variant_a", "variant_b", "test", "statistic", "p", "effect", "effect_size", "effect_ci_low", "effect_ci_high"}
)

func lead(variant bool, cols ...string) []string {
	if variant {
		return append([]string{"variant"}, cols...)
	}
	return append([]string(nil), cols...)
}

// runWriter streams per-run rows, in job order, to the per-run files.
type runWriter struct {
	plan                   *Plan
	variantCol             bool
	ts, firms, top, runs   *csvFile
	rec                    []string
	measureNames           [][]string
	writeSeries, writeFirm bool
}

func newRunWriter(dir string, p *Plan, perRun bool) (*runWriter, error) {
	w := &runWriter{plan: p, variantCol: p.hasVariantColumn(),
		writeSeries: perRun || !p.NoTimeseries, writeFirm: perRun || !p.NoFirms}
	for _, v := range p.Variants {
		w.measureNames = append(w.measureNames, MeasureNames(len(v.Config.Shocks)))
	}
	var err error
	open := func(name string, header []string) *csvFile {
		if err != nil {
			return nil
		}
		var c *csvFile
		c, err = createCSV(filepath.Join(dir, name), header)
		return c
	}
	if w.writeSeries {
		w.ts = open(FileTimeseries, timeseriesHeader(w.variantCol))
	}
	if w.writeFirm {
		w.firms = open(FileFirms, firmsHeader(w.variantCol))
	}
	w.top = open(FileStrategies, strategiesHeader)
	w.runs = open(FileRuns, runsHeader)
	if err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

func (w *runWriter) files() []*csvFile {
	var fs []*csvFile
	for _, f := range []*csvFile{w.ts, w.firms, w.top, w.runs} {
		if f != nil {
			fs = append(fs, f)
		}
	}
	return fs
}

func (w *runWriter) abort() {
	for _, f := range w.files() {
		f.Abort()
	}
}

// commit renames every file into place.
func (w *runWriter) commit() error {
	var first error
	for _, f := range w.files() {
		if first != nil {
			f.Abort()
			continue
		}
		first = f.Commit()
	}
	return first
}

// write appends the rows of one run.
func (w *runWriter) write(r *RunResult) error {
	name := w.plan.Variants[r.Variant].Name
	seed := strconv.FormatUint(r.Seed, 10)
	keyed := func(variant bool, cols ...string) []string {
		w.rec = w.rec[:0]
		if variant {
			w.rec = append(w.rec, name)
		}
		w.rec = append(w.rec, seed)
		return append(w.rec, cols...)
	}
	if w.ts != nil {
		for _, row := range r.Rows {
			rec := keyed(w.variantCol, strconv.Itoa(row.Tick))
			for _, x := range row.Metrics {
				rec = append(rec, formatFloat(x))
			}
			if err := w.ts.row(rec); err != nil {
				return err
			}
		}
	}
	if w.firms != nil {
		for _, f := range r.Firms {
			died := ""
			if !f.Censored() {
				died = strconv.Itoa(f.Died)
			}
			rec := keyed(w.variantCol, strconv.Itoa(f.ID), f.Type.String(), strconv.Itoa(f.Sector),
				strconv.Itoa(f.Born), died, strconv.FormatBool(f.Censored()), f.Initial, f.Final,
				strconv.Itoa(f.Age), formatFloat(f.Size), formatFloat(f.Revenue))
			if err := w.firms.row(rec); err != nil {
				return err
			}
		}
	}
	for _, t := range r.Top {
		rec := keyed(true, strconv.Itoa(t.Tick), strconv.Itoa(t.Rank), t.Strategy, formatFloat(t.Share))
		if err := w.top.row(rec); err != nil {
			return err
		}
	}
	names := w.measureNames[r.Variant]
	for m, x := range r.Measures {
		if m >= len(names) {
			break
		}
		if err := w.runs.row(keyed(true, names[m], formatFloat(x))); err != nil {
			return err
		}
	}
	return nil
}

// writeAggregates writes stats.csv, survival.csv, comparison.csv and, as
// the command asks, tests.csv and sweep.csv.
func (a *aggregator) writeAggregates(dir string, s *Summary) error {
	p := a.plan
	metrics := sim.MetricNames()
	f, err := createCSV(filepath.Join(dir, FileStats), statsHeader)
	if err != nil {
		return err
	}
	for vi, v := range p.Variants {
		va := &a.variants[vi]
		for _, t := range va.ticks() {
			acc := va.series[t]
			for m := range metrics {
				if acc[m].N() == 0 {
					continue
				}
				ms := intervalOf(acc[m])
				f.row([]string{v.Name, strconv.Itoa(t), metrics[m], strconv.Itoa(ms.N),
					formatFloat(float64(ms.Mean)), formatFloat(float64(ms.SD)), formatFloat(float64(ms.CILow)), formatFloat(float64(ms.CIHigh))})
			}
		}
	}
	if err := f.Commit(); err != nil {
		return err
	}

	if f, err = createCSV(filepath.Join(dir, FileSurvival), survivalHeader); err != nil {
		return err
	}
	for vi, v := range p.Variants {
		for g := range numGroups {
			for _, pt := range a.variants[vi].survival[g].kaplanMeier(confidence) {
				f.row([]string{v.Name, groupName(g), formatFloat(pt.T), strconv.Itoa(pt.AtRisk), strconv.Itoa(pt.Events),
					formatFloat(pt.Survival), formatFloat(pt.Low), formatFloat(pt.High)})
			}
		}
	}
	if err := f.Commit(); err != nil {
		return err
	}

	if f, err = createCSV(filepath.Join(dir, FileComparison), comparisonHeader); err != nil {
		return err
	}
	for vi, v := range p.Variants {
		for _, name := range MeasureNames(len(v.Config.Shocks)) {
			ms := s.Variants[vi].Measures[name]
			f.row(append([]string{v.Name, name}, statCells(ms)...))
		}
	}
	if err := f.Commit(); err != nil {
		return err
	}

	if p.Command != CommandRun {
		if f, err = createCSV(filepath.Join(dir, FileTests), testsHeader); err != nil {
			return err
		}
		for _, t := range s.Tests {
			f.row([]string{t.Measure, t.VariantA, t.VariantB, t.Test, formatFloat(float64(t.Statistic)), formatFloat(float64(t.P)),
				t.Effect, formatFloat(float64(t.EffectSize)), formatFloat(float64(t.EffectCILow)), formatFloat(float64(t.EffectCIHigh))})
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}

	if p.Command == CommandSweep {
		header := append(append([]string{"point"}, p.Params...), "measure", "n", "mean", "sd", "ci_low", "ci_high")
		if f, err = createCSV(filepath.Join(dir, FileSweep), header); err != nil {
			return err
		}
		for vi, v := range p.Variants {
			for _, name := range MeasureNames(len(v.Config.Shocks)) {
				rec := append(append([]string{v.Name}, v.Values...), name)
				f.row(append(rec, statCells(s.Variants[vi].Measures[name])...))
			}
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func statCells(ms MeasureStats) []string {
	return []string{strconv.Itoa(ms.N), formatFloat(float64(ms.Mean)), formatFloat(float64(ms.SD)),
		formatFloat(float64(ms.CILow)), formatFloat(float64(ms.CIHigh))}
}
