package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/replicate"
	"github.com/smbsim/smbsim/results"
)

func replicateCommand() *cli.Command {
	return &cli.Command{
		Name:      "replicate",
		Usage:     "rerun the field's canonical published results and set ours beside them",
		UsageText: "smbsim replicate [NAME…] [--list] [--full] [--out DIR] [--workers N] [--markdown]",
		Description: `Runs each named replication (all when none is named): the model reduced
to the published one, ours beside the published figures with intervals,
the test applied, and a chart with the published points overlaid
(DIR/NAME.png and .svg). Exits with status 1 when a result leaves its
band. docs/validation.md holds the output of 'smbsim replicate --markdown'.

Examples:
  smbsim replicate --list              # what can be replicated, with run times
  smbsim replicate                     # every replication at its quick size
  smbsim replicate axelrod-1997 --full # the reference size`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "list", Usage: "list the replications and their sizes"},
			&cli.BoolFlag{Name: "full", Usage: "the reference sizes of docs/validation.md (see --list for run times)"},
			&cli.StringFlag{Name: "out", Value: filepath.Join("out", "replicate"), Usage: "directory of the charts"},
			&cli.IntFlag{Name: "workers", Usage: "parallel runs", DefaultText: "all cores"},
			&cli.BoolFlag{Name: "markdown", Usage: "print the docs/validation.md section instead of tables"},
			&cli.StringFlag{Name: "size", Hidden: true, Usage: "tiny: the tests' size"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			out := cmd.Root().Writer
			if cmd.Bool("list") {
				for _, r := range replicate.All() {
					fmt.Fprintf(out, "%-20s %s\n", r.Name, r.About)
					fmt.Fprintf(out, "%-20s source: %s\n", "", r.Citation)
					fmt.Fprintf(out, "%-20s quick: %s; --full: %s\n", "", r.Quick, r.Full)
				}
				return nil
			}
			var list []replicate.Replication
			for _, name := range cmd.Args().Slice() {
				r, err := replicate.Find(name)
				if err != nil {
					return usageError(err)
				}
				list = append(list, r)
			}
			if len(list) == 0 {
				list = replicate.All()
			}
			if w := cmd.Int("workers"); w < 0 {
				return usageError(fmt.Errorf("--workers %d: need at least 1 worker (or 0 for all cores)", w))
			}
			opts := replicate.Options{Size: replicate.Quick, Workers: int(cmd.Int("workers"))}
			if cmd.Bool("full") {
				opts.Size = replicate.Full
			}
			switch cmd.String("size") {
			case "":
			case "tiny":
				opts.Size = replicate.Tiny
			default:
				return usageError(fmt.Errorf("--size %q: only tiny", cmd.String("size")))
			}
			dir := cmd.String("out")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("charts directory: %w", err)
			}
			var failed []string
			if cmd.Bool("markdown") && !cmd.Args().Present() {
				replicate.WriteIndex(out)
			}
			for i, r := range list {
				res, err := r.Run(ctx, opts)
				if err != nil {
					return fmt.Errorf("%s: %w", r.Name, err)
				}
				if i > 0 && !cmd.Bool("markdown") {
					fmt.Fprintln(out)
				}
				if cmd.Bool("markdown") {
					replicate.WriteMarkdown(out, res, replicateCommandLine(r.Name, opts.Size))
				} else {
					replicate.WriteText(out, res)
				}
				for _, f := range []string{"png", "svg"} {
					path := filepath.Join(dir, res.Chart.Name+"."+f)
					if err := results.WriteFile(path, func(w io.Writer) error { return res.Chart.Render(w, f, 0) }); err != nil {
						return fmt.Errorf("%s: chart: %w", r.Name, err)
					}
					if !cmd.Bool("markdown") && f == "png" {
						fmt.Fprintf(out, "  chart: %s (%.0f s)\n", path, res.Seconds)
					}
				}
				if bad := res.Failed(); len(bad) > 0 {
					failed = append(failed, fmt.Sprintf("%s (%d of %d results outside their band)", r.Name, len(bad), len(res.Checks)))
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("results outside their band: %v", failed)
			}
			return nil
		},
	}
}

// replicateCommandLine is the command that reproduces a replication at
// size s.
func replicateCommandLine(name string, s replicate.Size) string {
	switch s {
	case replicate.Full:
		return "smbsim replicate " + name + " --full"
	case replicate.Tiny:
		return "smbsim replicate " + name + " --size tiny"
	}
	return "smbsim replicate " + name
}
