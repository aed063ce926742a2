package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNoResults is returned by [ReadDir] when a directory holds none of the
// result files the experiment commands write.
var ErrNoResults = errors.New("no smbsim results found")

// Dir is a whole results directory read into memory: what the charts and
// the report are drawn from. A file that is absent leaves its field nil
// (Summary: zero).
// firms.csv, the largest file and one no chart needs, is not read; stream
// it with [OpenRuns] or [OpenFile].
type Dir struct {
	Path     string
	Summary  Summary   // summary.json
	Manifest *Manifest // manifest.json
	Scenario []byte    // scenario.toml as written
	// Layout is read from the headers: variant column and metrics from
	// timeseries.csv, parameters from sweep.csv. Rows of files without a
	// variant column get Layout.Variant: the scenario name from
	// summary.json, else the directory's name.
	Layout      Layout
	Timeseries  []TimeseriesRow // timeseries.csv
	Stats       []StatRow       // stats.csv
	Survival    []SurvivalRow   // survival.csv
	Strategies  []StrategyRow   // strategies.csv
	Shares      []ShareRow      // shares.csv
	Runs        []RunRow        // runs.csv
	Excess      []ExcessRow     // excess.csv
	ExcessStats []ExcessStatRow // excess_stats.csv
	Strata      []StratumRow    // strata.csv
	Comparison  []Estimate      // comparison.csv
	Tests       []Test          // tests.csv
	Sweep       []SweepRow      // sweep.csv
	SweepRuns   []SweepRunRow   // sweep_runs.csv
	// Sensitivity holds a Morris or Sobol' sweep's indices.
	Sensitivity []SensitivityRow // sensitivity.csv
	// Discovery and DiscoveryBox hold a PRIM run (smbsim discover).
	Discovery    []DiscoveryRow    // discovery.csv
	DiscoveryBox []DiscoveryBoxRow // discovery_box.csv
}

// ReadDir reads the results directory dir. Absent files are skipped; a
// file that is present but malformed is an error naming the file and line.
// If dir holds none of the result files, the error wraps [ErrNoResults].
func ReadDir(dir string) (*Dir, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("results directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("results directory %s: not a directory", dir)
	}
	d := &Dir{Path: dir}
	found := false
	// absent reports a missing file, and counts a present one.
	absent := func(err error) bool {
		if errors.Is(err, fs.ErrNotExist) {
			return true
		}
		found = true
		return false
	}
	if err := d.readDocs(absent); err != nil {
		return nil, err
	}
	if err := d.readTables(absent); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s: %w (expected timeseries.csv, summary.json, … from smbsim run, compare or sweep)", dir, ErrNoResults)
	}
	return d, nil
}

// readDocs reads summary.json, manifest.json and scenario.toml, and sets
// the Layout's variant name (absent: see ReadDir).
func (d *Dir) readDocs(absent func(error) bool) error {
	dir := d.Path
	if s, err := ReadSummary(dir); !absent(err) {
		if err != nil {
			return err
		}
		d.Summary = *s
	}
	if m, err := ReadManifest(dir); !absent(err) {
		if err != nil {
			return err
		}
		d.Manifest = m
	}
	if b, err := ReadPlain(filepath.Join(dir, FileScenario), MaxDocumentSize); !absent(err) {
		if err != nil {
			return err
		}
		d.Scenario = b
	}
	d.Layout = Layout{Variant: filepath.Base(filepath.Clean(dir))}
	if d.Summary.Scenario != "" {
		d.Layout.Variant = d.Summary.Scenario
	}
	return nil
}

// readTables reads the CSV files; those whose header gives the Layout
// (timeseries.csv, sweep.csv, sweep_runs.csv) fill it.
func (d *Dir) readTables(absent func(error) bool) error {
	dir, base := d.Path, d.Layout
	var l Layout
	var err error
	if d.Timeseries, l, err = ReadRows[TimeseriesRow](dir, base); !absent(err) {
		if err != nil {
			return err
		}
		d.Layout.NoVariantColumn, d.Layout.Metrics = l.NoVariantColumn, l.Metrics
	}
	if d.Sweep, l, err = ReadRows[SweepRow](dir, base); !absent(err) {
		if err != nil {
			return err
		}
		d.Layout.Params = l.Params
	}
	if d.SweepRuns, l, err = ReadRows[SweepRunRow](dir, base); !absent(err) {
		if err != nil {
			return err
		}
		d.Layout.Measures = l.Measures
	}
	for _, read := range []func() error{
		func() (err error) { d.Stats, _, err = ReadRows[StatRow](dir, base); return },
		func() (err error) { d.Survival, _, err = ReadRows[SurvivalRow](dir, base); return },
		func() (err error) { d.Strategies, _, err = ReadRows[StrategyRow](dir, base); return },
		func() (err error) { d.Shares, _, err = ReadRows[ShareRow](dir, base); return },
		func() (err error) { d.Runs, _, err = ReadRows[RunRow](dir, base); return },
		func() (err error) { d.Excess, _, err = ReadRows[ExcessRow](dir, base); return },
		func() (err error) { d.ExcessStats, _, err = ReadRows[ExcessStatRow](dir, base); return },
		func() (err error) { d.Strata, _, err = ReadRows[StratumRow](dir, base); return },
		func() (err error) { d.Comparison, _, err = ReadRows[Estimate](dir, base); return },
		func() (err error) { d.Tests, _, err = ReadRows[Test](dir, base); return },
		func() (err error) { d.Sensitivity, _, err = ReadRows[SensitivityRow](dir, base); return },
		func() (err error) { d.Discovery, _, err = ReadRows[DiscoveryRow](dir, base); return },
		func() (err error) { d.DiscoveryBox, _, err = ReadRows[DiscoveryBoxRow](dir, base); return },
	} {
		if err := read(); !absent(err) && err != nil {
			return err
		}
	}
	return nil
}

// RunEnds returns the last tick of every run, in summary order: from
// summary.json's per_seed, which lists every run whatever output.detail
// kept of the time series, or, in results written before it recorded
// them, from timeseries.csv. Nil without either.
func (d *Dir) RunEnds() []int {
	if ends := d.Summary.runEnds(); len(ends) > 0 {
		return ends
	}
	type run struct {
		variant string
		seed    uint64
	}
	var out []int
	at := map[run]int{}
	for _, row := range d.Timeseries {
		k := run{row.Variant, row.Seed}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, row.Tick)
		}
		out[i] = max(out[i], row.Tick)
	}
	return out
}

// runEnds is the LastTick of every run of per_seed; nil if one lacks it.
func (s *Summary) runEnds() []int {
	var out []int
	for _, v := range s.Variants {
		for _, ps := range v.PerSeed {
			if ps.LastTick == 0 {
				return nil
			}
			out = append(out, ps.LastTick)
		}
	}
	return out
}
