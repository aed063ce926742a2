package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check scenario files and report every problem",
		ArgsUsage: "FILE…",
		UsageText: "smbsim validate FILE…",
		Description: `Reads each file (or built-in name), checks every key, type, range and
cross-field rule, and prints every problem with its file, line and column.
Exit status 2 if any file has a problem.

Examples:
  smbsim validate my.toml
  smbsim validate configs/*.toml
  smbsim validate --quiet my.toml && smbsim run my.toml   # problems only`,
		Flags: []cli.Flag{quietFlag()},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			args := cmd.Args().Slice()
			if len(args) == 0 {
				return usageError(errors.New("validate needs at least one file: smbsim validate FILE…"))
			}
			out, errOut := cmd.Root().Writer, cmd.Root().ErrWriter
			bad := 0
			for _, a := range args {
				s, err := scenarios.Open(a)
				if err == nil {
					_, err = s.Variants()
				}
				if err != nil {
					bad++
					fmt.Fprintln(errOut, err)
					continue
				}
				if !cmd.Bool("quiet") {
					fmt.Fprintf(out, "%s: ok\n", scenarios.Printable(a))
				}
			}
			if bad > 0 {
				return usageError(fmt.Errorf("%d of %d scenario files have problems", bad, len(args)))
			}
			return nil
		},
	}
}

func scenariosCommand() *cli.Command {
	return &cli.Command{
		Name:      "scenarios",
		Usage:     "list the built-in scenarios",
		UsageText: "smbsim scenarios",
		Description: `Lists the scenarios built into smbsim with what each shows. Run one with
'smbsim run NAME', read it with 'smbsim show NAME', copy it with
'smbsim init NAME --out my.toml'.

Example:
  smbsim scenarios`,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return usageError(errors.New("scenarios takes no arguments; to print one, use 'smbsim show NAME'"))
			}
			tw := tabwriter.NewWriter(cmd.Root().Writer, 0, 4, 2, ' ', 0)
			for _, b := range scenarios.Builtins() {
				fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.Purpose)
			}
			return tw.Flush()
		},
	}
}

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "print a built-in scenario",
		ArgsUsage: "NAME",
		UsageText: "smbsim show NAME [--resolved]",
		Description: `Prints the built-in scenario NAME as written; with --resolved, every key
with its value (defaults filled in), as run would use it.

Examples:
  smbsim show platform-dominance
  smbsim show baseline --resolved`,
		Flags: []cli.Flag{&cli.BoolFlag{Name: "resolved", Usage: "print every key with its value, defaults filled in"}},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Len() != 1 {
				return usageError(errors.New("show takes one scenario name: smbsim show NAME (see 'smbsim scenarios')"))
			}
			name := cmd.Args().First()
			if cmd.Bool("resolved") {
				s, err := scenarios.Open(name)
				if err != nil {
					return err
				}
				return s.WriteTOML(cmd.Root().Writer)
			}
			src, err := scenarios.BuiltinSource(name)
			if err != nil {
				if _, serr := os.Stat(name); serr == nil {
					src, err = os.ReadFile(name)
				}
			}
			if err != nil {
				return err
			}
			_, err = cmd.Root().Writer.Write(src)
			return err
		},
	}
}

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented starter scenario",
		ArgsUsage: "[NAME]",
		UsageText: "smbsim init [NAME] [--out FILE]",
		Description: `Writes a copy of the built-in scenario NAME (default: baseline), with every
other key listed as a comment with its default, meaning and allowed range,
to stdout or to --out. Edit it and run it with 'smbsim run FILE'.

Examples:
  smbsim init --out my.toml
  smbsim init platform-dominance --out platforms.toml`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write to FILE instead of stdout (must not exist)", TakesFile: true},
			quietFlag(),
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Len() > 1 {
				return usageError(errors.New("init takes at most one scenario name"))
			}
			src, err := scenarios.Starter(cmd.Args().First())
			if err != nil {
				return err
			}
			out := cmd.String("out")
			if out == "" {
				_, err = cmd.Root().Writer.Write(src)
				return err
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageError(fmt.Errorf("%s already exists: choose another --out, or delete it first", out))
			}
			if err != nil {
				return usageError(fmt.Errorf("--out: %w", err))
			}
			if _, err := f.Write(src); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			if !cmd.Bool("quiet") {
				fmt.Fprintf(cmd.Root().ErrWriter, "wrote %s; run it with: smbsim run %s\n", out, out)
			}
			return nil
		},
	}
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine shard directories into one results directory",
		ArgsUsage: "DIR…",
		UsageText: "smbsim merge DIR… --out DIR [--no-charts]",
		Description: `Combines the results of 'smbsim run|compare|sweep --shard i/n' (each in its
own directory) into exactly what one machine running the whole command
would have written, statistics recomputed from every run. If shards are
missing the result is marked incomplete; finish it with the original
command plus --resume --out DIR. The shards of 'smbsim replicate --shard
i/n' merge into the tables and charts (in --out) of one unsharded
'smbsim replicate'; every shard must be there.

Examples:
  smbsim merge out/part1 out/part2 out/part3 --out out/all
  smbsim merge out/shards/* --out out/baseline-1000`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "merged results directory", Required: true, TakesFile: true},
			&cli.BoolFlag{Name: "no-charts", Usage: "do not draw charts"},
			&cli.BoolFlag{Name: "replace", Usage: "replace the results of another experiment in --out"},
			allowMixedBuildsFlag(),
			quietFlag(),
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			dirs := cmd.Args().Slice()
			if len(dirs) == 0 {
				return usageError(errors.New("merge needs the shard directories: smbsim merge DIR… --out DIR"))
			}
			out := cmd.String("out")
			if replicateShardDirs(dirs) {
				return replicateMerge(ctx, cmd.Root().Writer, seamsOf(cmd).replications, dirs, out, cmd.Bool("no-charts"), cmd.Bool("quiet"))
			}
			if err := experiment.CheckOutDir(out); err != nil {
				return usageError(fmt.Errorf("--out: %w", err))
			}
			rep, err := experiment.MergeContext(ctx, dirs, out, experiment.MergeOptions{Version: version(), Build: seamsOf(cmd).build(), CommandLine: rootArgs(cmd), Replace: cmd.Bool("replace"), AllowMixedBuilds: cmd.Bool("allow-mixed-builds"),
				MemoryLimit: seamsOf(cmd).memoryLimit, Charts: !cmd.Bool("no-charts")})
			if rep == nil {
				return experimentError(err)
			}
			if err != nil {
				return err
			}
			quiet := cmd.Bool("quiet")
			if !quiet {
				w := cmd.Root().Writer
				switch rep.Summary.Command {
				case experiment.CommandRun:
					runTable(w, rep.Summary)
				case experiment.CommandSweep:
					sweepTable(w, rep.Summary)
				default:
					compareTable(w, rep.Summary)
				}
				fmt.Fprintf(w, "\nMerged %d runs from %d directories: %s\n", rep.Completed, len(dirs), out)
			}
			if cmd.Bool("no-charts") {
				return nil
			}
			var output *scenarios.Output
			if s, err := scenarios.Load(out + "/" + results.FileScenario); err == nil {
				output = &s.Output
				if !output.Charts {
					return nil
				}
			}
			return drawCharts(ctx, cmd.Root().Writer, out, output, quiet)
		},
	}
}
