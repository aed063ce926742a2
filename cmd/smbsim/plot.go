package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/results"
)

func plotCommand() *cli.Command {
	return &cli.Command{
		Name:      "plot",
		Usage:     "redraw the charts of a results directory without re-running",
		ArgsUsage: "DIR",
		UsageText: "smbsim plot DIR [--format png,svg,pdf] [--dpi N] [--diversity entropy] [--quiet]",
		Description: `Reads the result files in DIR (written by run, compare or sweep) and
writes every chart the data supports to DIR/charts:
` + wrapWords(strings.Join(plots.ChartNames(), ", ")+".", 76) + `
Charts whose data is absent (e.g. no shocks, one variant) are skipped
(docs/outputs.md, charts/, says when each is drawn).

Examples:
  smbsim plot out/baseline
  smbsim plot out/compare-mixes --format svg --dpi 240`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "png,svg,pdf", Usage: "comma-separated chart formats: png, svg, pdf"},
			&cli.IntFlag{Name: "dpi", Usage: "PNG resolution in dots per inch", DefaultText: fmt.Sprintf("%d, i.e. 1600×900 px", plots.DefaultDPI)},
			&cli.StringFlag{Name: "diversity", Value: "effective", Usage: "diversity chart metric: effective (number of strategies) or entropy (bits)"},
			&cli.StringFlag{Name: "sweep-measure", Usage: "measure of the sweep chart, e.g. final_effective_strategies", DefaultText: "diversity, failures and margin"},
			quietFlag(),
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			dir, err := resultsDirArg(cmd)
			if err != nil {
				return err
			}
			opts := plots.Options{DPI: int(cmd.Int("dpi")), SweepMeasure: cmd.String("sweep-measure")}
			for _, f := range strings.Split(cmd.String("format"), ",") {
				if f = strings.TrimSpace(f); f != "" {
					opts.Formats = append(opts.Formats, f)
				}
			}
			switch cmd.String("diversity") {
			case "effective", "effective_strategies":
				opts.Diversity = "effective_strategies"
			case "entropy", "entropy_bits":
				opts.Diversity = "entropy_bits"
			default:
				return usageError(fmt.Errorf("--diversity %q: want effective or entropy", cmd.String("diversity")))
			}
			if opts.DPI < 0 {
				return usageError(fmt.Errorf("--dpi %d: want a positive resolution", opts.DPI))
			}
			paths, err := interruptible(ctx, func() ([]string, error) { return plots.RenderDirContext(ctx, dir, opts) })
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted: the charts of %s may be incomplete; draw them again with smbsim plot %s: %w", dir, dir, ctx.Err())
			}
			if errors.Is(err, results.ErrNoResults) || errors.Is(err, plots.ErrFormat) {
				return usageError(err)
			}
			if err != nil {
				return err
			}
			if cmd.Bool("quiet") {
				return nil
			}
			if len(paths) == 0 {
				fmt.Fprintf(cmd.Root().Writer, "No charts: %s has no data to draw.\n", dir)
				return nil
			}
			fmt.Fprintf(cmd.Root().Writer, "Charts: %s/charts (%d files)\n", strings.TrimRight(dir, "/"), len(paths))
			return nil
		},
	}
}

// resultsDirArg returns the one DIR argument of plot and report, checking
// that it is a directory with results; problems are usage errors (exit 2).
func resultsDirArg(cmd *cli.Command) (string, error) {
	if cmd.Args().Len() != 1 {
		return "", usageError(fmt.Errorf("%s: want one results directory, e.g. smbsim %s out/baseline", cmd.Name, cmd.Name))
	}
	dir := cmd.Args().First()
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", usageError(fmt.Errorf("%s: results directory %s does not exist (run smbsim run, compare or sweep first)", cmd.Name, dir))
	case err != nil:
		return "", usageError(fmt.Errorf("%s: %w", cmd.Name, err))
	case !st.IsDir():
		return "", usageError(fmt.Errorf("%s: %s is not a directory", cmd.Name, dir))
	}
	if m, err := results.ReadManifest(dir); err == nil && m.InProgress() {
		return "", usageError(fmt.Errorf("%s: %s is in progress (being written, or the smbsim writing it was killed): its files may mix runs or experiments; wait for it, or finish it with its command plus --resume", cmd.Name, dir))
	}
	return dir, nil
}

// wrapWords breaks s into lines of at most width bytes at spaces (a
// longer word stands alone on its line).
func wrapWords(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
