package results

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Run is what one run (variant, seed) contributed to the per-run files.
type Run struct {
	Timeseries []TimeseriesRow
	Firms      []FirmRow
	Strategies []StrategyRow
	Shares     []ShareRow
	Excess     []ExcessRow
	Strata     []StratumRow
	Measures   []RunRow
}

// runRow is a row of a per-run file: it knows its run.
type runRow[R any] interface {
	Row[R]
	run() (variant string, seed uint64)
}

func (r *TimeseriesRow) run() (string, uint64) { return r.Variant, r.Seed }
func (r *FirmRow) run() (string, uint64)       { return r.Variant, r.Seed }
func (r *StrategyRow) run() (string, uint64)   { return r.Variant, r.Seed }
func (r *RunRow) run() (string, uint64)        { return r.Variant, r.Seed }
func (r *ShareRow) run() (string, uint64)      { return r.Variant, r.Seed }
func (r *ExcessRow) run() (string, uint64)     { return r.Variant, r.Seed }
func (r *StratumRow) run() (string, uint64)    { return r.Variant, r.Seed }

// group reads a per-run file, whose rows are grouped by run in job order,
// one run at a time.
type group[R any, P runRow[R]] struct {
	r       *Reader[R, P]
	pending R
	eof     bool
}

func openGroup[R any, P runRow[R]](dir string, l *Layout) (*group[R, P], error) {
	r, err := OpenFile[R, P](dir, *l, l)
	if err != nil {
		return nil, err
	}
	g := &group[R, P]{r: r}
	if err := g.advance(); err != nil {
		r.Close()
		return nil, err
	}
	return g, nil
}

func (g *group[R, P]) advance() error {
	var row R
	err := g.r.Decode(&row)
	if err == io.EOF {
		g.eof = true
		return nil
	}
	g.pending = row
	return err
}

// take skips the rows of runs before job j (left by a crash between
// renames, or not wanted) and returns the rows of job j.
func (g *group[R, P]) take(j int, jobOf func(variant string, seed uint64) (int, bool)) ([]R, error) {
	var rows []R
	if g == nil { // an optional file that is absent
		return nil, nil
	}
	for !g.eof {
		v, s := P(&g.pending).run()
		k, known := jobOf(v, s)
		if !known {
			return nil, fmt.Errorf("%s line %d: run (variant %q, seed %d) is not part of this experiment", g.r.Path(), g.r.Line(), v, s)
		}
		if k > j {
			break
		}
		if k == j {
			rows = append(rows, g.pending)
		}
		if err := g.advance(); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// where names the file and the line last read from it.
func (g *group[R, P]) where() string { return fmt.Sprintf("%s near line %d", g.r.Path(), g.r.Line()) }

func (g *group[R, P]) close() {
	if g != nil {
		g.r.Close()
	}
}

// RunReader streams the per-run files of a results directory (runs.csv,
// timeseries.csv, firms.csv, strategies.csv) run by run, in the order they
// were written: job order.
type RunReader struct {
	jobOf func(variant string, seed uint64) (int, bool)
	runs  *group[RunRow, *RunRow]
	ts    *group[TimeseriesRow, *TimeseriesRow]
	firms *group[FirmRow, *FirmRow]
	top   *group[StrategyRow, *StrategyRow]
	// shares is nil for results written before shares.csv existed.
	shares *group[ShareRow, *ShareRow]
	// excess is nil for results written before excess.csv existed.
	excess *group[ExcessRow, *ExcessRow]
	// strata is nil for results written before strata.csv existed.
	strata *group[StratumRow, *StratumRow]
}

// OpenRuns opens the per-run files of dir, whose headers must be the ones
// of layout l. jobOf maps a run to its job index; rows of unknown runs are
// an error.
func OpenRuns(dir string, l Layout, jobOf func(variant string, seed uint64) (int, bool)) (*RunReader, error) {
	rr := &RunReader{jobOf: jobOf}
	var err error
	openRunGroup(&rr.runs, dir, &l, &err)
	openRunGroup(&rr.ts, dir, &l, &err)
	openRunGroup(&rr.firms, dir, &l, &err)
	openRunGroup(&rr.top, dir, &l, &err)
	if err == nil {
		rr.shares, err = openGroup[ShareRow](dir, &l)
		if errors.Is(err, os.ErrNotExist) {
			rr.shares, err = nil, nil // older results: no option shares
		}
	}
	if err == nil {
		rr.excess, err = openGroup[ExcessRow](dir, &l)
		if errors.Is(err, os.ErrNotExist) {
			rr.excess, err = nil, nil // older results: no effect curves
		}
	}
	if err == nil {
		rr.strata, err = openGroup[StratumRow](dir, &l)
		if errors.Is(err, os.ErrNotExist) {
			rr.strata, err = nil, nil // older results: no cohort strata
		}
	}
	if err != nil {
		rr.Close()
		var pe *os.PathError
		if errors.As(err, &pe) && errors.Is(err, os.ErrNotExist) {
			err = fmt.Errorf("%s is missing: the runs there cannot be read back: complete results keep every run's time series and firms only with output.detail = full (--detail full) and output.timeseries = true; incomplete results and shard directories always keep them", pe.Path)
		}
		return nil, err
	}
	return rr, nil
}

// openRunGroup opens a per-run file into *dst unless an earlier one failed
// (*err set).
func openRunGroup[R any, P runRow[R]](dst **group[R, P], dir string, l *Layout, err *error) {
	if *err == nil {
		*dst, *err = openGroup[R, P](dir, l)
	}
}

// Job returns the rows of job j. Jobs must be read in increasing order;
// rows of skipped jobs are passed over.
func (rr *RunReader) Job(j int) (*Run, error) {
	r := &Run{}
	var err error
	if r.Measures, err = rr.runs.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Timeseries, err = rr.ts.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Firms, err = rr.firms.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Strategies, err = rr.top.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Shares, err = rr.shares.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Excess, err = rr.excess.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	if r.Strata, err = rr.strata.take(j, rr.jobOf); err != nil {
		return nil, err
	}
	return r, nil
}

// Where names the per-run file f ("runs", "timeseries", "firms" or
// "strategies") and the line last read from it, for error messages.
func (rr *RunReader) Where(file string) string {
	switch file {
	case FileTimeseries:
		return rr.ts.where()
	case FileFirms:
		return rr.firms.where()
	case FileStrategies:
		return rr.top.where()
	case FileShares:
		if rr.shares != nil {
			return rr.shares.where()
		}
	case FileExcess:
		if rr.excess != nil {
			return rr.excess.where()
		}
	case FileStrata:
		if rr.strata != nil {
			return rr.strata.where()
		}
	}
	return rr.runs.where()
}

// Close closes the files.
func (rr *RunReader) Close() {
	rr.runs.close()
	rr.ts.close()
	rr.firms.close()
	rr.top.close()
	rr.shares.close()
	rr.excess.close()
	rr.strata.close()
}
