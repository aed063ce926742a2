package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/stats"
)

// maxSweepPoints bounds a sweep's grid, as a guard against typos.
const maxSweepPoints = 100_000

func sweepCommand() *cli.Command {
	flags := append(experimentFlags(),
		&cli.StringSliceFlag{Name: "vary", Usage: "a parameter and its values: key=v1,v2,… or key=start:stop:step; for morris and sobol key=low:high (repeatable; replaces the file's [sweep] vary)"},
		&cli.StringFlag{Name: "design", Usage: `"factorial" (every combination), "lhs" (Latin hypercube sample of --samples points), "morris" (--samples trajectories of elementary effects) or "sobol" (Saltelli design of --samples base samples)`, DefaultText: "the file's [sweep] design"},
		&cli.IntFlag{Name: "samples", Usage: "points of a Latin hypercube design; trajectories of a Morris design; base samples N of a Sobol' design (N·(D+2) points)", DefaultText: "the file's [sweep] samples"},
		&cli.IntFlag{Name: "levels", Value: 4, Usage: "morris: levels of each parameter's grid (even)"},
		&cli.IntFlag{Name: "candidates", Usage: "morris: draw this many trajectories and keep the --samples most spread out (Campolongo et al. 2007)", DefaultText: "no selection"},
		&cli.BoolFlag{Name: "second-order", Usage: "sobol: also estimate second-order indices (N·(2D+2) points)"},
	)
	setDefaultText(flags, "out", "out/<scenario-name>-sweep")
	return &cli.Command{
		Name:      "sweep",
		Usage:     "run a scenario over a grid of parameter values",
		ArgsUsage: "SCENARIO",
		UsageText: "smbsim sweep SCENARIO --vary key=v1,v2,… [--vary key=start:stop:step …] [--design lhs --samples K]",
		Description: `Each point of the grid is a variant named p001, p002, … run over the same
seeds, with the statistics and tests of 'smbsim compare'. sweep.csv lists
every point's parameter values with each measure's mean and 95 % interval;
sweep_runs.csv has one row per run with its point's parameter values and a
column per measure (ready for R or pandas). Pairwise tests between points
(tests.csv) are left out for morris and sobol designs.
Without --vary, the file's [sweep] table is used. The full factorial grid
is the default; --design lhs samples --samples points by Latin hypercube
(drawn from the scenario's base seed, so it is reproducible): each key's
values are split into --samples groups of neighbours and every point takes
a value of its own group, so no value is sampled twice while another of
the key's values is left out.

Examples:
  smbsim sweep baseline --vary biases.herding=0:1:0.25 --seeds 20
  smbsim sweep baseline --vary network.kind=ring,small_world,scale_free --vary biases.herding=0,0.5
  smbsim sweep my.toml --design lhs --samples 40 --vary market.crowding_penalty=0:0.2:0.01 --vary biases.herding=0:1:0.05

Sensitivity analysis: --design morris (screening: μ*, σ per parameter) or
--design sobol (first-order and total indices) over ranges key=low:high.
The points are an ordinary sweep's (workers, --shard, merge and --resume
work unchanged); sensitivity.csv holds every index with its 95 % bootstrap
interval and the share of the runs' variance due to seeds, the terminal
and report rank the parameters. Each point runs --seeds seeds and its
output is their mean.
  smbsim sweep baseline --design morris --samples 10 --vary biases.herding=0:1 --vary network.degree=2:16 --seeds 3
  smbsim sweep baseline --design sobol --samples 64 --vary biases.herding=0:1 --vary market.crowding_penalty=0:0.2 --seeds 2`,
		Flags: flags,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			args := cmd.Args().Slice()
			if len(args) != 1 {
				return usageError(fmt.Errorf("sweep takes exactly one scenario, got %d", len(args)))
			}
			es, err := readExpSettings(cmd)
			if err != nil {
				return err
			}
			sets := overrides(cmd)
			base, err := openScenario(ctx, args[0], sets)
			if err != nil {
				return err
			}
			if vs, _ := base.Variants(); len(vs) > 0 {
				return usageError(fmt.Errorf("%s has [[variants]]: sweep a scenario without them (or compare it)", args[0]))
			}
			specs := cmd.StringSlice("vary")
			if len(specs) == 0 {
				specs = base.Sweep.Vary
			}
			if len(specs) == 0 {
				return usageError(errors.New("nothing to sweep: give --vary key=v1,v2 (or key=start:stop:step), or a [sweep] table with vary in the scenario"))
			}
			design := base.Sweep.Design
			if cmd.IsSet("design") {
				design = cmd.String("design")
			}
			samples := base.Sweep.Samples
			if cmd.IsSet("samples") {
				samples = cmd.Int("samples")
			}
			var points [][]string
			var keys []string
			var info *results.DesignInfo
			if isSensitivityDesign(design) {
				points, keys, info, err = sensitivityPoints(cmd, specs, design, samples, base.Runs.BaseSeed)
			} else {
				points, keys, err = sweepPoints(specs, design, samples, base.Runs.BaseSeed)
			}
			if err != nil {
				return err
			}
			if es.out == "" {
				es.out = defaultOut(base.Name+"-sweep", es.shard)
			}
			p := basePlan(experiment.CommandSweep, base, rootArgs(cmd), seamsOf(cmd).build())
			p.Scenario = base.Name
			p.Params = keys
			p.Design = info
			// Refuse a sweep too big for the machine before building its
			// points (each is a whole scenario).
			like := experiment.Variant{Name: "p", Config: base.Config()}
			p.Charts = chartsDrawn(es, &base.Output)
			if err := p.FootprintPoints(&like, len(points), es.workers, es.shard).Check(seamsOf(cmd).memoryLimit); err != nil {
				return usageError(err)
			}
			width := max(3, len(strconv.Itoa(len(points))))
			var errs []error
			for i, vals := range points {
				if ctx.Err() != nil {
					return fmt.Errorf("interrupted while preparing sweep point %d of %d: nothing ran", i+1, len(points))
				}
				name := fmt.Sprintf("p%0*d", width, i+1)
				pointSets := append([]string(nil), sets...)
				for k, key := range keys {
					pointSets = append(pointSets, key+"="+vals[k])
				}
				s, err := openScenario(ctx, args[0], pointSets)
				if err != nil {
					errs = append(errs, fmt.Errorf("sweep point %s (%s): %w", name, describePoint(keys, vals), err))
					continue
				}
				p.Variants = append(p.Variants, experiment.Variant{Name: name, Config: s.Config(), Values: vals})
			}
			if err := errors.Join(errs...); err != nil {
				return usageError(err)
			}
			table := sweepTable
			if info != nil {
				table = sensitivityTableFor(es.out, info.Method)
			}
			return runPlan(ctx, cmd, p, es, &base.Output, table)
		},
	}
}

func describePoint(keys, vals []string) string {
	parts := make([]string, len(keys))
	for i := range keys {
		parts[i] = keys[i] + "=" + vals[i]
	}
	return scenarios.Echo(strings.Join(parts, ", "))
}

// sweepPoints expands the vary specs into the points of the design: each
// point lists one value per key, in key order.
func sweepPoints(specs []string, design string, samples int, seed uint64) (points [][]string, keys []string, err error) {
	var levels [][]string
	var errs []error
	for _, spec := range specs {
		v, err := scenarios.ParseVary(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("--vary %s: %w", spec, err))
			continue
		}
		if containsString(keys, v.Key) {
			errs = append(errs, fmt.Errorf("--vary %s: %s is varied twice; give all its values in one --vary", spec, v.Key))
			continue
		}
		keys = append(keys, v.Key)
		levels = append(levels, v.Points())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, usageError(err)
	}
	switch design {
	case scenarios.DesignFactorial, "":
		n := 1
		for _, l := range levels {
			n *= len(l)
			if n > maxSweepPoints {
				return nil, nil, usageError(fmt.Errorf("the factorial grid has more than %d points: vary fewer values, or use --design lhs --samples K", maxSweepPoints))
			}
		}
		idx := make([]int, len(levels))
		for range n {
			pt := make([]string, len(levels))
			for k, i := range idx {
				pt[k] = levels[k][i]
			}
			points = append(points, pt)
			for k := len(idx) - 1; k >= 0; k-- { // the last key varies fastest
				idx[k]++
				if idx[k] < len(levels[k]) {
					break
				}
				idx[k] = 0
			}
		}
	case scenarios.DesignLHS:
		if samples < 1 || samples > maxSweepPoints {
			return nil, nil, usageError(fmt.Errorf("--samples %d: a Latin hypercube needs between 1 and %d samples", samples, maxSweepPoints))
		}
		rng := rand.New(rand.NewPCG(seed, 0x6c6873)) // "lhs"
		for _, u := range stats.LatinHypercube(samples, len(levels), rng) {
			pt := make([]string, len(levels))
			for k, x := range u {
				pt[k] = levels[k][stats.LatinHypercubeLevel(x, samples, len(levels[k]))]
			}
			points = append(points, pt)
		}
	default:
		return nil, nil, usageError(fmt.Errorf("--design %q: want %q, %q, %q or %q", design, scenarios.DesignFactorial, scenarios.DesignLHS, results.DesignMorris, results.DesignSobol))
	}
	return points, keys, nil
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
