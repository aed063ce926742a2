package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats/prim"
)

func discoverCommand() *cli.Command {
	return &cli.Command{
		Name:      "discover",
		Usage:     "find where in a sweep's parameter space a condition holds (PRIM scenario discovery)",
		ArgsUsage: "DIR",
		UsageText: "smbsim discover DIR --where 'measure > value' [--where …] [--no-charts] [--quiet]",
		Description: `Reads a sweep's runs (DIR/sweep_runs.csv: one row per run with its
parameters) and finds a box of parameter values where the condition holds
for most runs, with the Patient Rule Induction Method (Friedman and Fisher
1999; peel and paste α = 0.05, minimum mass 0.05, as the EMA Workbench).
The box chosen from the peeling trajectory is the one with the largest
harmonic mean of coverage (the share of the runs where the condition holds
that fall in the box) and density (the share of the box's runs where it
holds); it is then pasted. Writes discovery.csv (the trajectory) and
discovery_box.csv (the box), the chart 'discovery' and the report's
sentence. Numeric parameters only; several --where are joined by "and".

Conditions: a per-run measure (a column of sweep_runs.csv) or a swept
parameter, one of > >= < <=, and a number; a share measure is a fraction
(0.12 = 12 %).

Examples:
  smbsim sweep baseline --design lhs --samples 40 --vary biases.herding=0:1:0.05 --vary population.initial_cash=2:12:0.5 --seeds 2
  smbsim discover out/baseline-sweep --where 'shock1_excess_fail_share > 0.12'`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "where", Usage: "a condition on each run, e.g. 'shock1_excess_fail_share > 0.12' (repeatable: all must hold)"},
			&cli.BoolFlag{Name: "no-charts", Usage: "do not draw the charts and report again"},
			quietFlag(),
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			dir, err := resultsDirArg(cmd)
			if err != nil {
				return err
			}
			conds := cmd.StringSlice("where")
			if len(conds) == 0 {
				return usageError(errors.New("discover: give a condition, e.g. --where 'shock1_excess_fail_share > 0.12'"))
			}
			rows, layout, err := results.ReadRows[results.SweepRunRow](dir, results.Layout{})
			if err != nil {
				return usageError(fmt.Errorf("discover: %s has no sweep runs (sweep_runs.csv, written by smbsim sweep): %w", dir, err))
			}
			out, err := discover(rows, layout, conds)
			if err != nil {
				return err
			}
			if err := results.WriteRows(dir, results.Layout{}, out.trajectory); err != nil {
				return err
			}
			if err := results.WriteRows(dir, results.Layout{}, out.box); err != nil {
				return err
			}
			w := cmd.Root().Writer
			if !cmd.Bool("quiet") {
				out.print(w)
				fmt.Fprintf(w, "\nPeeling trajectory: %s/%s; the box: %s/%s\n", dir, results.FileDiscovery, dir, results.FileDiscoveryBox)
			}
			if !cmd.Bool("no-charts") {
				return drawCharts(ctx, w, dir, nil, cmd.Bool("quiet"))
			}
			return nil
		},
	}
}

// condition is one parsed --where: column op value.
type condition struct {
	column string
	op     string
	value  float64
}

func parseCondition(s string) (condition, error) {
	for _, op := range []string{">=", "<=", ">", "<"} {
		if a, b, ok := strings.Cut(s, op); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(b), 64)
			if err != nil || strings.TrimSpace(a) == "" {
				break
			}
			return condition{strings.TrimSpace(a), op, v}, nil
		}
	}
	return condition{}, usageError(fmt.Errorf("--where %q: want a measure or parameter, one of > >= < <=, and a number, e.g. 'shock1_excess_fail_share > 0.12'", s))
}

func (c condition) holds(x float64) bool {
	switch c.op {
	case ">":
		return x > c.value
	case ">=":
		return x >= c.value
	case "<":
		return x < c.value
	}
	return x <= c.value
}

type discovery struct {
	condition  string
	runs, left int // runs analysed, runs left out (condition not measured)
	cases      int
	trajectory []results.DiscoveryRow
	box        []results.DiscoveryBoxRow
}

// discover runs PRIM over the runs for the conditions.
func discover(rows []results.SweepRunRow, l results.Layout, where []string) (*discovery, error) {
	conds, err := parseConditions(where, l)
	if err != nil {
		return nil, err
	}
	params := numericParams(rows, l.Params)
	if len(params) == 0 {
		return nil, usageError(fmt.Errorf("discover: the sweep has no numeric parameter (parameters: %s)", strings.Join(l.Params, ", ")))
	}
	d := &discovery{condition: strings.Join(where, " and ")}
	x, y := d.points(rows, l, conds, params)
	if d.runs == 0 {
		return nil, usageError(fmt.Errorf("discover: no run measures %s", d.condition))
	}
	res, err := prim.Find(x, y, prim.Options{})
	if err != nil {
		return nil, usageError(fmt.Errorf("discover: %s: %w", d.condition, err))
	}
	d.record(res, params)
	return d, nil
}

// parseConditions parses the --where conditions, each on a measure or a
// swept parameter of the runs.
func parseConditions(where []string, l results.Layout) ([]condition, error) {
	var conds []condition
	for _, w := range where {
		c, err := parseCondition(w)
		if err != nil {
			return nil, err
		}
		if !containsString(l.Measures, c.column) && !containsString(l.Params, c.column) {
			return nil, usageError(fmt.Errorf("--where %q: %s is neither a measure nor a swept parameter of these runs (measures: %s; parameters: %s)",
				w, c.column, strings.Join(l.Measures, ", "), strings.Join(l.Params, ", ")))
		}
		conds = append(conds, c)
	}
	return conds, nil
}

// numericParams are the swept parameters whose every value parses as a
// number: PRIM's inputs.
func numericParams(rows []results.SweepRunRow, swept []string) []string {
	var params []string
	for _, k := range swept {
		ok := true
		for _, r := range rows {
			if _, err := strconv.ParseFloat(r.Values[k], 64); err != nil {
				ok = false
				break
			}
		}
		if ok {
			params = append(params, k)
		}
	}
	return params
}

// runValue is run r's value of column col: a measure, or a swept
// parameter (NaN if it is not a number).
func runValue(r results.SweepRunRow, l results.Layout, col string) float64 {
	if i := slices.Index(l.Measures, col); i >= 0 && i < len(r.Measures) {
		return r.Measures[i]
	}
	v, err := strconv.ParseFloat(r.Values[col], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// points returns PRIM's points (the runs' params) and whether the
// conditions hold at each, leaving out (and counting in d.left) the runs
// that do not measure a condition; it counts d.runs and d.cases.
func (d *discovery) points(rows []results.SweepRunRow, l results.Layout, conds []condition, params []string) (x [][]float64, y []bool) {
	for _, r := range rows {
		holds, measured := true, true
		for _, c := range conds {
			v := runValue(r, l, c.column)
			if math.IsNaN(v) {
				measured = false
				break
			}
			holds = holds && c.holds(v)
		}
		if !measured {
			d.left++
			continue
		}
		pt := make([]float64, len(params))
		for i, k := range params {
			pt[i] = runValue(r, l, k)
		}
		x, y = append(x, pt), append(y, holds)
		if holds {
			d.cases++
		}
	}
	d.runs = len(x)
	return x, y
}

// record keeps PRIM's result as discovery.csv's trajectory (each peel,
// then the pasted box) and discovery_box.csv's box per parameter.
func (d *discovery) record(res *prim.Result, params []string) {
	for i, s := range res.Trajectory {
		d.trajectory = append(d.trajectory, results.DiscoveryRow{Condition: d.condition, Step: i, Kind: "peel",
			Coverage: s.Coverage, Density: s.Density, Mass: s.Mass, Runs: s.N, Chosen: i == res.Chosen})
	}
	b := res.Box
	d.trajectory = append(d.trajectory, results.DiscoveryRow{Condition: d.condition, Step: res.Chosen, Kind: "pasted",
		Coverage: b.Coverage, Density: b.Density, Mass: b.Mass, Runs: b.N})
	all := res.Trajectory[0].Box
	restricted := map[int]bool{}
	for _, j := range res.Restricted(b.Box) {
		restricted[j] = true
	}
	for j, k := range params {
		d.box = append(d.box, results.DiscoveryBoxRow{Condition: d.condition, Parameter: k, Low: b.Box.Low[j], High: b.Box.High[j],
			DataLow: all.Low[j], DataHigh: all.High[j], Restricted: restricted[j]})
	}
}

func (d *discovery) print(w io.Writer) {
	fmt.Fprintf(w, "Condition %s: holds in %d of %d runs (%.0f %%)", d.condition, d.cases, d.runs, 100*float64(d.cases)/float64(d.runs))
	if d.left > 0 {
		fmt.Fprintf(w, "; %d runs without the measure left out", d.left)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, (&plots.Results{Dir: results.Dir{Discovery: d.trajectory, DiscoveryBox: d.box}}).DiscoverySentence())
}
