package experiment

import (
	"github.com/smbsim/smbsim/experiment/results"
	"github.com/smbsim/smbsim/experiment/stats"
	"github.com/smbsim/smbsim/sim"
)

// layout is the shape of the plan's result files.
func (p *Plan) layout() results.Layout {
	return results.Layout{VariantColumn: p.hasVariantColumn(), Variant: p.Variants[0].Name,
		Metrics: sim.MetricNames(), Params: p.Params}
}

// committer is a result file being written.
type committer interface {
	Commit() error
	Abort()
}

// runWriter streams per-run rows, in job order, to the per-run files.
type runWriter struct {
	plan         *Plan
	ts           *results.Writer[results.TimeseriesRow, *results.TimeseriesRow]
	firms        *results.Writer[results.FirmRow, *results.FirmRow]
	top          *results.Writer[results.StrategyRow, *results.StrategyRow]
	runs         *results.Writer[results.RunRow, *results.RunRow]
	files        []committer
	measureNames [][]string
}

func newRunWriter(dir string, p *Plan, perRun bool) (*runWriter, error) {
	w := &runWriter{plan: p}
	for _, v := range p.Variants {
		w.measureNames = append(w.measureNames, MeasureNames(len(v.Config.Shocks)))
	}
	l := p.layout()
	var err error
	if err == nil && (perRun || !p.NoTimeseries) {
		if w.ts, err = results.CreateFile[results.TimeseriesRow](dir, l); err == nil {
			w.files = append(w.files, w.ts)
		}
	}
	if err == nil && (perRun || !p.NoFirms) {
		if w.firms, err = results.CreateFile[results.FirmRow](dir, l); err == nil {
			w.files = append(w.files, w.firms)
		}
	}
	if err == nil {
		if w.top, err = results.CreateFile[results.StrategyRow](dir, l); err == nil {
			w.files = append(w.files, w.top)
		}
	}
	if err == nil {
		if w.runs, err = results.CreateFile[results.RunRow](dir, l); err == nil {
			w.files = append(w.files, w.runs)
		}
	}
	if err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

func (w *runWriter) abort() {
	for _, f := range w.files {
		f.Abort()
	}
}

// commit renames every file into place.
func (w *runWriter) commit() error {
	var first error
	for _, f := range w.files {
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
	if w.ts != nil {
		row := results.TimeseriesRow{Variant: name, Seed: r.Seed}
		for _, x := range r.Rows {
			row.Tick, row.Values = x.Tick, x.Metrics
			if err := w.ts.Encode(&row); err != nil {
				return err
			}
		}
	}
	if w.firms != nil {
		for _, f := range r.Firms {
			row := results.FirmRow{Variant: name, Seed: r.Seed, Firm: f.ID, Type: f.Type.String(), Sector: f.Sector,
				Born: f.Born, Died: f.Died, Censored: f.Censored(), Initial: f.Initial, Final: f.Final,
				Age: f.Age, Size: f.Size, Revenue: f.Revenue}
			if f.Censored() {
				row.Died = -1
			}
			if err := w.firms.Encode(&row); err != nil {
				return err
			}
		}
	}
	for _, t := range r.Top {
		row := results.StrategyRow{Variant: name, Seed: r.Seed, Tick: t.Tick, Rank: t.Rank, Strategy: t.Strategy, Share: t.Share}
		if err := w.top.Encode(&row); err != nil {
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
func (a *aggregator) writeAggregates(dir string, s *Summary) error {
	p := a.plan
	l := p.layout()
	var st []results.StatRow
	for vi, v := range p.Variants {
		va := &a.variants[vi]
		for _, t := range va.ticks() {
			acc := va.series[t]
			for m, metric := range l.Metrics {
				if acc[m].N() == 0 {
					continue
				}
				iv := stats.TInterval(acc[m], confidence)
				st = append(st, results.StatRow{Variant: v.Name, Tick: t, Metric: metric, N: iv.N,
					Mean: iv.Mean, SD: iv.SD, CILow: iv.Low, CIHigh: iv.High})
			}
		}
	}
	if err := results.WriteRows(dir, l, st); err != nil {
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
		for _, name := range MeasureNames(len(v.Config.Shocks)) {
			cmp = append(cmp, results.EstimateOf(v.Name, name, s.Variants[vi].Measures[name]))
		}
	}
	if err := results.WriteRows(dir, l, cmp); err != nil {
		return err
	}

	if p.Command != CommandRun {
		if err := results.WriteRows(dir, l, s.Tests); err != nil {
			return err
		}
	}

	if p.Command == CommandSweep {
		var sw []results.SweepRow
		for vi, v := range p.Variants {
			vals := map[string]string{}
			for i, k := range p.Params {
				if i < len(v.Values) {
					vals[k] = v.Values[i]
				}
			}
			for _, name := range MeasureNames(len(v.Config.Shocks)) {
				sw = append(sw, results.SweepRow{Point: v.Name, Values: vals, Estimate: results.EstimateOf(v.Name, name, s.Variants[vi].Measures[name])})
			}
		}
		if err := results.WriteRows(dir, l, sw); err != nil {
			return err
		}
	}
	return nil
}
