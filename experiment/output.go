package experiment

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// layout is the shape of the plan's result files. Every per-run file
// leads with a variant column, a single run's too, so that the files of
// any two experiments concatenate.
func (p *Plan) layout() results.Layout {
	return results.Layout{Variant: p.Variants[0].Name,
		Metrics: sim.MetricNames(), Params: p.Params}
}

// perRunFile is a per-run file being written.
type perRunFile interface {
	Commit() error
	Abort()
	Checkpoint() (int64, error)
}

// Per-run files in the order of a journal entry's sizes.
var perRunNames = [numPerRun]string{results.FileTimeseries, results.FileFirms, results.FileStrategies, results.FileRuns, results.FileShares, results.FileExcess, results.FileStrata}

const numPerRun = 7

// runWriter streams per-run rows, in job order, to the per-run files.
type runWriter struct {
	plan         *Plan
	dir          string
	ts           *results.Writer[results.TimeseriesRow, *results.TimeseriesRow]
	firms        *results.Writer[results.FirmRow, *results.FirmRow]
	top          *results.Writer[results.StrategyRow, *results.StrategyRow]
	runs         *results.Writer[results.RunRow, *results.RunRow]
	shares       *results.Writer[results.ShareRow, *results.ShareRow]
	excess       *results.Writer[results.ExcessRow, *results.ExcessRow]
	strata       *results.Writer[results.StratumRow, *results.StratumRow]
	files        [numPerRun]perRunFile // in perRunNames order; nil if not written
	wanted       [numPerRun]bool       // kept in complete results
	firstSeeds   map[uint64]bool       // complete results keep only these seeds' timeseries.csv rows (nil: all)
	measureNames [][]string
}

// newRunWriter starts the per-run files of dir. With partial set they are
// written under their own names in that directory (durable progress, see
// journal) and always all seven, so a killed run can be recovered even when
// the plan does not keep timeseries.csv or firms.csv; otherwise under
// random temporary names in dir, only those the plan keeps (perRun: all).
func newRunWriter(dir, partial string, p *Plan, perRun bool) (*runWriter, error) {
	w := &runWriter{plan: p, dir: dir}
	for _, v := range p.Variants {
		w.measureNames = append(w.measureNames, MeasureNames(len(v.Config.Shocks), p.horizons()))
	}
	w.wanted = [numPerRun]bool{perRun || !p.NoTimeseries, perRun || !p.NoFirms && p.detail() == results.DetailFull, true, true, true, true, true}
	if !perRun && p.detail() == results.DetailSummary {
		w.firstSeeds = map[uint64]bool{}
		for _, s := range p.Seeds[:min(len(p.Seeds), results.SummarySeeds)] {
			w.firstSeeds[s] = true
		}
	}
	l := p.layout()
	var err error
	openPerRun(w, 0, &w.ts, partial, l, &err)
	openPerRun(w, 1, &w.firms, partial, l, &err)
	openPerRun(w, 2, &w.top, partial, l, &err)
	openPerRun(w, 3, &w.runs, partial, l, &err)
	openPerRun(w, 4, &w.shares, partial, l, &err)
	openPerRun(w, 5, &w.excess, partial, l, &err)
	openPerRun(w, 6, &w.strata, partial, l, &err)
	if err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

// openPerRun creates per-run file i of w into *dst (see newRunWriter),
// unless an earlier one failed (*err set) or the file is not written.
func openPerRun[R any, P results.Row[R]](w *runWriter, i int, dst **results.Writer[R, P], partial string, l results.Layout, err *error) {
	if *err != nil || !(partial != "" || w.wanted[i]) {
		return
	}
	var f *results.Writer[R, P]
	if partial != "" {
		f, *err = results.CreateFileAt[R, P](w.dir, partial, l)
	} else {
		f, *err = results.CreateFile[R, P](w.dir, l)
	}
	if *err == nil {
		*dst, w.files[i] = f, f
	}
}

func (w *runWriter) abort() {
	for _, f := range w.files {
		if f != nil {
			f.Abort()
		}
	}
}

// checkpoint hands every row written so far to the operating system and
// returns the files' lengths (0 for a file not written).
func (w *runWriter) checkpoint() ([numPerRun]int64, error) {
	var sizes [numPerRun]int64
	for i, f := range w.files {
		if f == nil {
			continue
		}
		n, err := f.Checkpoint()
		if err != nil {
			return sizes, fmt.Errorf("write %s: %w", filepath.Join(w.dir, perRunNames[i]), err)
		}
		sizes[i] = n
	}
	return sizes, nil
}

// commit renames the files into place. In complete results the files the
// plan does not keep are dropped (and an older copy removed), and at
// detail summary timeseries.csv keeps the first seeds' rows only.
func (w *runWriter) commit(complete bool) error {
	var first error
	for i, f := range w.files {
		if f == nil {
			continue
		}
		if first != nil || (complete && !w.wanted[i]) {
			f.Abort()
			if first == nil {
				os.Remove(filepath.Join(w.dir, perRunNames[i]))
			}
			continue
		}
		if i == 0 && complete && w.firstSeeds != nil {
			first = w.ts.CommitWhere(func(r *results.TimeseriesRow) bool { return w.firstSeeds[r.Seed] })
		} else {
			first = f.Commit()
		}
		atKillPoint("rename")
	}
	return first
}

// write appends the rows of one run.
func (w *runWriter) write(r *RunResult) error {
	name := w.plan.Variants[r.Variant].Name
	if w.ts != nil {
		row := results.TimeseriesRow{Variant: name, Seed: r.Seed}
		err := r.eachRow(func(x *Row, _ bool) error {
			row.Tick, row.Values = x.Tick, x.Metrics
			return w.ts.Encode(&row)
		})
		if err != nil {
			return err
		}
	}
	if w.firms != nil {
		for _, f := range r.Firms {
			row := firmRow(name, r.Seed, &f)
			if err := w.firms.Encode(&row); err != nil {
				return err
			}
		}
	}
	err := r.eachTop(func(t *TopRow) error {
		row := topRow(name, r.Seed, t)
		return w.top.Encode(&row)
	})
	if err != nil {
		return err
	}
	for i := range r.Shares {
		row := shareRow(name, r.Seed, &r.Shares[i])
		if err := w.shares.Encode(&row); err != nil {
			return err
		}
	}
	for _, x := range r.Excess {
		row := results.ExcessRow{Variant: name, Seed: r.Seed, Shock: x.Shock, Basis: x.Basis, Ticks: x.Ticks, Value: x.Value}
		if err := w.excess.Encode(&row); err != nil {
			return err
		}
	}
	for i := range r.Strata {
		row := stratumRow(name, r.Seed, &r.Strata[i])
		if err := w.strata.Encode(&row); err != nil {
			return err
		}
	}
	names := w.measureNames[r.Variant]
	for m, x := range r.Measures {
		if m >= len(names) {
			break
		}
		row := results.RunRow{Variant: name, Seed: r.Seed, Measure: names[m], Value: x}
		if err := w.runs.Encode(&row); err != nil {
			return err
		}
	}
	return nil
}

// writeAggregates writes stats.csv, survival.csv, comparison.csv and, as
// the command asks, tests.csv and sweep.csv.
func (a *aggregator) writeAggregates(dir string, s *results.Summary) error {
	p := a.plan
	l := p.layout()
	// stats.csv has a row per recorded tick and metric: streamed, not
	// listed, so a long run needs no second copy of its statistics.
	st, err := results.CreateFile[results.StatRow](dir, l)
	if err != nil {
		return err
	}
	var row results.StatRow // one for all rows: Encode would make each escape
	for vi, v := range p.Variants {
		va := &a.variants[vi]
		for _, t := range va.ticks() {
			if a.interrupted() { // a long run has many ticks: Ctrl-C stops here
				st.Abort()
				return errAggregatesInterrupted(dir, a.runs())
			}
			acc := va.series[t]
			for m, metric := range l.Metrics {
				if acc[m].N() == 0 {
					continue
				}
				iv := stats.TInterval(acc[m], confidence)
				row = results.StatRow{Variant: v.Name, Tick: t, Metric: metric, N: iv.N,
					Mean: iv.Mean, SD: iv.SD, CILow: iv.Low, CIHigh: iv.High}
				if err := st.Encode(&row); err != nil {
					st.Abort()
					return err
				}
			}
		}
	}
	if err := st.Commit(); err != nil {
		return err
	}

	var sv []results.SurvivalRow
	for vi, v := range p.Variants {
		for g := range numGroups {
			for _, pt := range a.variants[vi].survival[g].kaplanMeier(confidence) {
				sv = append(sv, results.SurvivalRow{Variant: v.Name, Type: groupName(g), T: pt.T, AtRisk: pt.AtRisk,
					Events: pt.Events, Survival: pt.Survival, CILow: pt.Low, CIHigh: pt.High})
			}
		}
	}
	if err := results.WriteRows(dir, l, sv); err != nil {
		return err
	}

	var cmp []results.Estimate
	for vi, v := range p.Variants {
		for _, name := range SummaryMeasureNames(len(v.Config.Shocks), p.horizons()) {
			cmp = append(cmp, results.EstimateOf(v.Name, name, s.Variants[vi].Measures[name]))
		}
	}
	if err := results.WriteRows(dir, l, cmp); err != nil {
		return err
	}

	if ex := a.excessStats(); len(ex) > 0 {
		if err := results.WriteRows(dir, l, ex); err != nil {
			return err
		}
	}

	if p.Command != CommandRun {
		if err := results.WriteRows(dir, l, s.Tests); err != nil {
			return err
		}
	}

	if p.Command == CommandSweep {
		var sw []results.SweepRow
		for vi, v := range p.Variants {
			vals := p.pointValues(&v)
			for _, name := range MeasureNames(len(v.Config.Shocks), p.horizons()) {
				sw = append(sw, results.SweepRow{Values: vals, Estimate: results.EstimateOf(v.Name, name, s.Variants[vi].Measures[name])})
			}
		}
		if err := results.WriteRows(dir, l, sw); err != nil {
			return err
		}
		// The same runs as runs.csv, one row per run with the point's
		// parameter values and one column per measure.
		rl := l
		most := 0
		for _, v := range p.Variants {
			most = max(most, len(v.Config.Shocks))
		}
		rl.Params, rl.Measures = p.Params, MeasureNames(most, p.horizons()) // a point with fewer shocks has empty cells
		var sr []results.SweepRunRow
		for vi, v := range p.Variants {
			vals := p.pointValues(&v)
			va := &a.variants[vi]
			for si, seed := range va.seeds {
				ms := make([]float64, len(rl.Measures))
				for m := range ms {
					ms[m] = nan
					if m < len(va.measures[si]) {
						ms[m] = va.measures[si][m]
					}
				}
				sr = append(sr, results.SweepRunRow{Variant: v.Name, Values: vals, Seed: seed, Measures: ms})
			}
		}
		if err := results.WriteRows(dir, rl, sr); err != nil {
			return err
		}
		// A sensitivity design is analysed once every point has all its
		// runs (a shard, or an interrupted run, has no sensitivity.csv).
		if p.Design != nil && a.complete() {
			rows, err := a.sensitivityRows(rl.Measures)
			if a.interrupted() {
				return errAggregatesInterrupted(dir, a.runs())
			}
			if err != nil {
				return err
			}
			if err := results.WriteRows(dir, l, rows); err != nil {
				return err
			}
		}
	}
	return nil
}

// complete reports whether every variant has a run of every seed.
func (a *aggregator) complete() bool {
	for i := range a.variants {
		if len(a.variants[i].seeds) != len(a.plan.Seeds) {
			return false
		}
	}
	return true
}
