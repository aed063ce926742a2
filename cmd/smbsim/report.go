package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/report"
	"github.com/smbsim/smbsim/results"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write a self-contained HTML workshop report of a results directory",
		ArgsUsage: "DIR",
		UsageText: "smbsim report DIR [--diversity entropy] [--quiet]",
		Description: `Writes DIR/report.html: the findings in plain language with their 95 %
confidence intervals, every chart (inline SVG), the statistics table and the
scenario's parameters. The file needs no network access; open it in a browser
to put it on a projector, or print it to PDF.

Examples:
  smbsim report out/compare-mixes
  smbsim report out/baseline --diversity entropy --quiet`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "diversity", Value: "effective", Usage: "diversity chart metric: effective (number of strategies) or entropy (bits)"},
			quietFlag(),
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			dir, err := resultsDirArg(cmd)
			if err != nil {
				return err
			}
			var opts plots.Options
			switch cmd.String("diversity") {
			case "effective", "effective_strategies":
			case "entropy", "entropy_bits":
				opts.Diversity = "entropy_bits"
			default:
				return usageError(fmt.Errorf("--diversity %q: want effective or entropy", cmd.String("diversity")))
			}
			path, err := interruptible(ctx, func() (string, error) { return report.WriteDirContext(ctx, dir, opts) })
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted: the report of %s was not written; write it with smbsim report %s: %w", dir, dir, ctx.Err())
			}
			if errors.Is(err, results.ErrNoResults) {
				return usageError(err)
			}
			if err != nil {
				return err
			}
			if !cmd.Bool("quiet") {
				fmt.Fprintf(cmd.Root().Writer, "Report: %s\n", path)
			}
			return nil
		},
	}
}
