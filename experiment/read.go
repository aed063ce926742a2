package experiment

import (
	"fmt"
	"strings"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
)

// dirSource reads back the finished runs stored in a results directory, in
// the order they were written (job order).
type dirSource struct {
	plan  *Plan
	rr    *results.RunReader
	names [][]string // measure names per variant
}

// openDir opens the per-run files of dir for the plan p.
func openDir(dir string, p *Plan) (*dirSource, error) {
	d := &dirSource{plan: p}
	for _, v := range p.Variants {
		d.names = append(d.names, MeasureNames(len(v.Config.Shocks), p.horizons()))
	}
	vidx, sidx := p.indices()
	jobOf := func(variant string, seed uint64) (int, bool) {
		vi, ok1 := vidx[variant]
		si, ok2 := sidx[seed]
		return vi*len(p.Seeds) + si, ok1 && ok2
	}
	rr, err := results.OpenRuns(dir, p.layout(), jobOf)
	if err != nil {
		return nil, err
	}
	d.rr = rr
	return d, nil
}

func (d *dirSource) close() { d.rr.Close() }

// read reads the stored run of job j. Stored runs must be read in
// increasing job order.
func (d *dirSource) read(j int) (*RunResult, error) {
	vi, si := d.plan.job(j)
	r := &RunResult{Job: j, Variant: vi, Seed: d.plan.Seeds[si]}
	bad := func(file, format string, a ...any) error {
		return fmt.Errorf("%s (variant %q, seed %d): %s", d.rr.Where(file), d.plan.Variants[vi].Name, r.Seed, fmt.Sprintf(format, a...))
	}
	run, err := d.rr.Job(j)
	if err != nil {
		return nil, err
	}
	names := d.names[vi]
	if len(run.Measures) != len(names) {
		return nil, bad(results.FileRuns, "%d measures, want %d (the manifest lists this run as complete)", len(run.Measures), len(names))
	}
	r.Measures = make([]float64, len(names))
	for i, row := range run.Measures {
		if row.Measure != names[i] {
			return nil, bad(results.FileRuns, "measure %q, want %q", row.Measure, names[i])
		}
		r.Measures[i] = row.Value
	}
	if len(run.Timeseries) == 0 {
		return nil, bad(results.FileTimeseries, "no time series rows for this run")
	}
	r.Rows = make([]Row, len(run.Timeseries))
	for i, row := range run.Timeseries {
		r.Rows[i] = Row{Tick: row.Tick, Metrics: row.Values}
	}
	r.LastTick = r.Rows[len(r.Rows)-1].Tick
	r.Firms = make([]Firm, len(run.Firms))
	for i := range run.Firms {
		if r.Firms[i], err = firmOf(&run.Firms[i]); err != nil {
			return nil, bad(results.FileFirms, "%v", err)
		}
	}
	for i := range run.Strategies {
		r.Top = append(r.Top, topOf(&run.Strategies[i]))
	}
	for i := range run.Shares {
		r.Shares = append(r.Shares, shareOf(&run.Shares[i]))
	}
	for _, x := range run.Excess {
		r.Excess = append(r.Excess, ExcessPoint{Shock: x.Shock, Ticks: x.Ticks, Basis: x.Basis, Value: x.Value})
	}
	for i := range run.Strata {
		st, ok := stratumOf(&run.Strata[i])
		if !ok {
			return nil, bad(results.FileStrata, "type %q or age band %q unknown (types: %s; bands: %s)", run.Strata[i].Type, run.Strata[i].Age,
				strings.Join(agents.TypeNames(), ", "), strings.Join(AgeBands, ", "))
		}
		r.Strata = append(r.Strata, st)
	}
	return r, nil
}
