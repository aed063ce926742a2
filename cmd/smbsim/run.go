package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a scenario over many seeds and write its results and charts",
		ArgsUsage: "[SCENARIO]",
		UsageText: "smbsim run [SCENARIO] [--seeds N] [--seed S] [--ticks T] [--out DIR] [--set key=value …]",
		Description: `SCENARIO is a TOML file or a built-in name (see 'smbsim scenarios'); without
it, the baseline. Every seed is one run; runs go in parallel on --workers
cores and the results are the same for any number of workers.

Writes to --out (default out/<scenario-name>): runs.csv, excess.csv,
stats.csv, survival.csv, comparison.csv, strategies.csv, summary.json,
scenario.toml, manifest.json, charts/, and the first three seeds'
timeseries.csv and shares.csv; --detail series keeps every run's
timeseries.csv and shares.csv, --detail full adds firms.csv, a row per
firm (docs/outputs.md).
Ctrl-C stops cleanly: finished seeds are kept, the manifest says
"incomplete", and --resume finishes the job later.

Examples:
  smbsim run
  smbsim run imitation-heavy --seeds 30 --out out/imit
  smbsim run my.toml --set population.firms=200 --set biases.herding=0.5
  smbsim run baseline --seeds 1000 --shard 3/10 --out out/part3   # one slice; then smbsim merge`,
		Flags: experimentFlags(),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			args := cmd.Args().Slice()
			if len(args) > 1 {
				return usageError(fmt.Errorf("run takes one scenario, got %d (%v); to run several, use 'smbsim compare'", len(args), args))
			}
			es, err := readExpSettings(cmd)
			if err != nil {
				return err
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			s, err := openScenario(ctx, arg, overrides(cmd))
			if err != nil {
				return err
			}
			if vs, err := s.Variants(); err != nil {
				return err
			} else if len(vs) > 0 && !es.quiet {
				fmt.Fprintf(cmd.Root().ErrWriter, "note: %s has %d [[variants]]; run uses the base scenario only — use 'smbsim compare %s' to run them\n", arg, len(vs), arg)
			}
			p := basePlan(experiment.CommandRun, s, rootArgs(cmd), seamsOf(cmd).build())
			p.Variants = []experiment.Variant{{Name: s.Name, Config: s.Config()}}
			if len(p.Seeds) == 0 {
				return usageError(errors.New("no seeds: set simulation.seeds or --seeds to at least 1"))
			}
			return runPlan(ctx, cmd, p, es, &s.Output, runTable)
		},
	}
}

// rootArgs returns the program's command line, for the manifest.
func rootArgs(cmd *cli.Command) []string {
	if v, ok := cmd.Root().Metadata["args"].([]string); ok {
		return v
	}
	return []string{"smbsim"}
}
