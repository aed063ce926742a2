package experiment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim"
)

// groupReader reads a per-run CSV file whose rows are grouped by run
// (variant, seed), one group at a time.
type groupReader struct {
	path     string
	f        *os.File
	r        *csv.Reader
	variant  bool   // the file has a leading variant column
	fixed    string // the variant name when it has not
	pending  []string
	line     int
	eof      bool
	keyWidth int
}

func openGroup(path string, header []string, variant bool, fixed string) (*groupReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(f)
	r.FieldsPerRecord = len(header)
	g := &groupReader{path: path, f: f, r: r, variant: variant, fixed: fixed, keyWidth: 1}
	if variant {
		g.keyWidth = 2
	}
	got, err := r.Read()
	if err != nil || !slices.Equal(got, header) {
		f.Close()
		return nil, fmt.Errorf("%s: unexpected header (want %v): the directory was written by another command or version of smbsim", path, header)
	}
	g.line = 1
	if err := g.advance(); err != nil {
		f.Close()
		return nil, err
	}
	return g, nil
}

func (g *groupReader) advance() error {
	rec, err := g.r.Read()
	if err == io.EOF {
		g.pending, g.eof = nil, true
		return nil
	}
	g.line++
	if err != nil {
		return fmt.Errorf("%s: %w", g.path, err)
	}
	g.pending = rec
	return nil
}

// key returns the run of the next row.
func (g *groupReader) key() (variant, seed string, ok bool) {
	if g.eof {
		return "", "", false
	}
	if g.variant {
		return g.pending[0], g.pending[1], true
	}
	return g.fixed, g.pending[0], true
}

// takeJob skips the rows of runs before job j (left by a crash between
// renames, or not wanted) and returns the rows of job j without the key
// columns (nil if the file has none).
func (g *groupReader) takeJob(j int, jobOf func(variant, seed string) (int, bool)) ([][]string, error) {
	var rows [][]string
	for {
		v, s, ok := g.key()
		if !ok {
			return rows, nil
		}
		k, known := jobOf(v, s)
		if !known {
			return nil, fmt.Errorf("%s line %d: run (variant %q, seed %s) is not part of this experiment", g.path, g.line, v, s)
		}
		if k > j {
			return rows, nil
		}
		if k == j {
			rows = append(rows, g.pending[g.keyWidth:])
		}
		if err := g.advance(); err != nil {
			return nil, err
		}
	}
}

func (g *groupReader) close() {
	if g != nil {
		g.f.Close()
	}
}

// dirSource reads back the finished runs stored in a results directory, in
// the order they were written (job order).
type dirSource struct {
	dir                  string
	plan                 *Plan
	runs, ts, firms, top *groupReader
	vidx                 map[string]int
	sidx                 map[string]int
	names                [][]string // measure names per variant
}

// openDir opens the per-run files of dir for the plan p.
func openDir(dir string, p *Plan) (*dirSource, error) {
	d := &dirSource{dir: dir, plan: p, vidx: map[string]int{}, sidx: map[string]int{}}
	for i, v := range p.Variants {
		d.vidx[v.Name] = i
		d.names = append(d.names, MeasureNames(len(v.Config.Shocks)))
	}
	for i, s := range p.Seeds {
		d.sidx[strconv.FormatUint(s, 10)] = i
	}
	vc := p.hasVariantColumn()
	fixed := p.Variants[0].Name
	var err error
	open := func(name string, header []string, variant bool) *groupReader {
		if err != nil {
			return nil
		}
		var g *groupReader
		g, err = openGroup(filepath.Join(dir, name), header, variant, fixed)
		if errors.Is(err, os.ErrNotExist) {
			err = fmt.Errorf("%s is missing: the runs there cannot be read back (output.timeseries and output.firms must be true to resume or merge)", filepath.Join(dir, name))
		}
		return g
	}
	d.runs = open(FileRuns, runsHeader, true)
	d.ts = open(FileTimeseries, timeseriesHeader(vc), vc)
	d.firms = open(FileFirms, firmsHeader(vc), vc)
	d.top = open(FileStrategies, strategiesHeader, true)
	if err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}

func (d *dirSource) close() {
	d.runs.close()
	d.ts.close()
	d.firms.close()
	d.top.close()
}

// jobOf maps a stored run key to its job index.
func (d *dirSource) jobOf(variant, seed string) (int, bool) {
	vi, ok1 := d.vidx[variant]
	si, ok2 := d.sidx[seed]
	if !ok1 || !ok2 {
		return 0, false
	}
	return vi*len(d.plan.Seeds) + si, true
}

// read reads the stored run of job j. Stored runs must be read in
// increasing job order.
func (d *dirSource) read(j int) (*RunResult, error) {
	vi, si := d.plan.job(j)
	r := &RunResult{Job: j, Variant: vi, Seed: d.plan.Seeds[si]}
	variant, seedStr := d.plan.Variants[vi].Name, strconv.FormatUint(r.Seed, 10)
	bad := func(g *groupReader, format string, a ...any) error {
		return fmt.Errorf("%s near line %d (variant %q, seed %s): %s", g.path, g.line, variant, seedStr, fmt.Sprintf(format, a...))
	}

	rows, err := d.runs.takeJob(j, d.jobOf)
	if err != nil {
		return nil, err
	}
	names := d.names[vi]
	if len(rows) != len(names) {
		return nil, bad(d.runs, "%d measures, want %d (the manifest lists this run as complete)", len(rows), len(names))
	}
	r.Measures = make([]float64, len(rows))
	for i, row := range rows {
		if row[0] != names[i] {
			return nil, bad(d.runs, "measure %q, want %q", row[0], names[i])
		}
		if r.Measures[i], err = parseFloat(row[1]); err != nil {
			return nil, bad(d.runs, "%v", err)
		}
	}

	if rows, err = d.ts.takeJob(j, d.jobOf); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, bad(d.ts, "no time series rows for this run")
	}
	r.Rows = make([]Row, len(rows))
	for i, row := range rows {
		t, err := strconv.Atoi(row[0])
		if err != nil {
			return nil, bad(d.ts, "tick %q: %v", row[0], err)
		}
		met := make([]float64, sim.NumMetrics)
		for m := range met {
			if met[m], err = parseFloat(row[1+m]); err != nil {
				return nil, bad(d.ts, "%v", err)
			}
		}
		r.Rows[i] = Row{Tick: t, Metrics: met}
	}
	r.LastTick = r.Rows[len(r.Rows)-1].Tick

	if rows, err = d.firms.takeJob(j, d.jobOf); err != nil {
		return nil, err
	}
	r.Firms = make([]Firm, len(rows))
	for i, row := range rows {
		f, err := parseFirm(row)
		if err != nil {
			return nil, bad(d.firms, "%v", err)
		}
		r.Firms[i] = f
	}

	if rows, err = d.top.takeJob(j, d.jobOf); err != nil {
		return nil, err
	}
	for _, row := range rows {
		t, err1 := strconv.Atoi(row[0])
		rank, err2 := strconv.Atoi(row[1])
		share, err3 := parseFloat(row[3])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, bad(d.top, "%v", err)
		}
		r.Top = append(r.Top, TopRow{Tick: t, Rank: rank, Strategy: row[2], Share: share})
	}
	return r, nil
}

var typeByName = func() map[string]agents.Type {
	m := map[string]agents.Type{}
	for i, n := range agents.TypeNames() {
		m[n] = agents.Type(i)
	}
	return m
}()

// parseFirm reads the columns firm,type,sector,born,died,censored,initial,final,age,size,revenue.
func parseFirm(row []string) (Firm, error) {
	var f Firm
	var errs [8]error
	f.ID, errs[0] = strconv.Atoi(row[0])
	t, ok := typeByName[row[1]]
	if !ok {
		errs[1] = fmt.Errorf("unknown firm type %q", row[1])
	}
	f.Type = t
	f.Sector, errs[2] = strconv.Atoi(row[2])
	f.Born, errs[3] = strconv.Atoi(row[3])
	f.Died = -1
	if row[5] != "true" {
		f.Died, errs[4] = strconv.Atoi(row[4])
	}
	f.Initial, f.Final = row[6], row[7]
	if len(row) > 10 {
		f.Age, errs[5] = strconv.Atoi(row[8])
		f.Size, errs[6] = strconv.ParseFloat(row[9], 64)
		f.Revenue, errs[7] = strconv.ParseFloat(row[10], 64)
	}
	return f, errors.Join(errs[:]...)
}
