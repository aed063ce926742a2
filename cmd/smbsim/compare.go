package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/scenarios"
)

func compareCommand() *cli.Command {
	return &cli.Command{
		Name:      "compare",
		Usage:     "compare scenarios (or one file's [[variants]]) over the same seeds, with tests",
		ArgsUsage: "A B … | FILE-WITH-VARIANTS",
		UsageText: "smbsim compare A B … [--seeds N] [--out DIR] [--set key=value …]\nsmbsim compare FILE-WITH-VARIANTS [--seeds N] …",
		Description: `Runs every variant with the same seeds (common random numbers), so that
differences between variants are not noise from different draws. Variants
are the given scenarios (files or built-in names), or the [[variants]] of
a single file. --set applies to every variant. The first scenario's [output]
(detail, shock window, horizons, charts, …) applies to all of them: one
results directory; a note names the keys another file sets otherwise.

Besides the files of 'smbsim run' (the same columns, so they concatenate),
writes tests.csv: for every pair of variants and every measure, a paired
t-test (difference of means) and a Wilcoxon signed-rank test (rank-biserial
correlation) over the shared seeds, or Welch's t-test and Mann–Whitney U
(Cliff's delta) where the seeds differ, with 95 % intervals and p adjusted
by Holm's method over the pairs (p_holm); summary.json adds log-rank tests
of the survival curves.
The table printed at the end shows, per variant, the share of firms
failing after each shock, final diversity and mean margin, and which
pairs differ.

Examples:
  smbsim compare compare-mixes --seeds 50
  smbsim compare imitation-heavy balanced-mix innovation-heavy --seeds 30 --out out/mixes
  smbsim compare baseline.toml mine.toml --set simulation.ticks=300`,
		Flags: compareFlags(),
		Action: func(ctx context.Context, cmd *cli.Command) error {
			args := cmd.Args().Slice()
			if len(args) == 0 {
				return usageError(errors.New("compare needs two or more scenarios, or one file with [[variants]]: e.g. 'smbsim compare compare-mixes'"))
			}
			es, err := readExpSettings(cmd)
			if err != nil {
				return err
			}
			p, output, err := comparePlan(ctx, args, overrides(cmd), rootArgs(cmd), es.quiet, cmd)
			if err != nil {
				return err
			}
			if err := addControls(ctx, p, args, overrides(cmd), cmd); err != nil {
				return err
			}
			return runPlan(ctx, cmd, p, es, output, compareTable)
		},
	}
}

// compareFlags are the experiment flags with compare's default --out,
// and --control.
func compareFlags() []cli.Flag {
	flags := append(experimentFlags(), &cli.StringSliceFlag{Name: "control",
		Usage: "run every variant again with this key set, as variant <name>+<key> (or <name>+<key>=<value>), e.g. --control market.equal_move_costs=true: the same contrast with and without a mechanism control, in one call (repeatable: one more copy per control)"})
	setDefaultText(flags, "out", "out/<scenario-name>, or out/<A>-vs-<B>-… for several scenarios")
	return flags
}

// comparePlan builds the plan of a compare from its arguments.
func comparePlan(ctx context.Context, args, sets, cmdline []string, quiet bool, cmd *cli.Command) (*experiment.Plan, *scenarios.Output, error) {
	var all []*scenarios.Scenario
	var errs []error
	for _, a := range args {
		s, err := openScenario(ctx, a, sets)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		all = append(all, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, wrapScenarioErrors(err)
	}
	first := all[0]
	p := basePlan(experiment.CommandCompare, first, cmdline, seamsOf(cmd).build())
	if len(all) == 1 {
		vs, err := first.Variants()
		if err != nil {
			return nil, nil, err
		}
		if len(vs) < 2 {
			return nil, nil, usageError(fmt.Errorf("%s has %d [[variants]]: compare needs two or more scenarios, or one file with at least two [[variants]]", args[0], len(vs)))
		}
		for _, v := range vs {
			p.Variants = append(p.Variants, experiment.Variant{Name: v.Name, Config: v.Config()})
		}
		return p, &first.Output, nil
	}
	var names, hashes []string
	for i, s := range all {
		if vs, _ := s.Variants(); len(vs) > 0 {
			return nil, nil, usageError(fmt.Errorf("%s has [[variants]]: compare it on its own ('smbsim compare %s'), or remove them", args[i], args[i]))
		}
		if slices.Contains(names, s.Name) {
			return nil, nil, usageError(fmt.Errorf("two scenarios are named %q (%s): variant names must differ; set [meta] name in one of the files", s.Name, args[i]))
		}
		if !slices.Equal(s.Seeds(), first.Seeds()) && !quiet {
			fmt.Fprintf(cmd.Root().ErrWriter, "note: %s asks for other seeds; every variant uses the seeds of %s (common random numbers)\n", args[i], args[0])
		}
		if d := s.DifferentOutput(first); len(d) > 0 && !quiet {
			fmt.Fprintf(cmd.Root().ErrWriter, "note: %s sets other %s; every variant uses the [output] of %s (one results directory)\n", args[i], strings.Join(d, ", "), args[0])
		}
		names = append(names, s.Name)
		hashes = append(hashes, s.Hash())
		p.Variants = append(p.Variants, experiment.Variant{Name: s.Name, Config: s.Config(), TOML: scenarioTOML(s)})
	}
	p.Scenario = strings.Join(names, "-vs-")
	sum := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
	p.ScenarioHash = hex.EncodeToString(sum[:])
	return p, &first.Output, nil
}

// wrapScenarioErrors keeps scenario problems as usage errors when several
// files each had some.
func wrapScenarioErrors(err error) error {
	var se *scenarios.Error
	var ee *exitError
	if errors.As(err, &se) || errors.As(err, &ee) {
		return usageError(err)
	}
	return err
}

// controlSuffix names the copy of a variant run under control key=value:
// "+<last key>" for key=true, else "+<last key>=<value>".
func controlSuffix(control string) string {
	key, value, _ := strings.Cut(control, "=")
	key = strings.TrimSpace(key)
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		key = key[i+1:]
	}
	if v := strings.TrimSpace(value); v != "true" {
		return "+" + key + "=" + v
	}
	return "+" + key
}

// addControls appends, for each --control key=value, a copy of every
// variant of p with that key set (after the --set overrides), named by
// controlSuffix: the controlled contrast beside the uncontrolled one.
func addControls(ctx context.Context, p *experiment.Plan, args, sets []string, cmd *cli.Command) error {
	base := len(p.Variants)
	for _, c := range cmd.StringSlice("control") {
		if !strings.Contains(c, "=") {
			return usageError(fmt.Errorf("--control %s: want key=value, e.g. --control market.equal_move_costs=true", c))
		}
		cp, _, err := comparePlan(ctx, args, append(append([]string{}, sets...), c), []string{"smbsim"}, true, cmd)
		if err != nil {
			return err
		}
		for i := range min(base, len(cp.Variants)) {
			v := cp.Variants[i]
			v.Name += controlSuffix(c)
			p.Variants = append(p.Variants, v)
		}
	}
	return nil
}
