package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/replicate"
	"github.com/smbsim/smbsim/results"
)

// replicateUnitsFile is the file a replicate shard writes in its --out.
const replicateUnitsFile = "replicate-units.gob"

func replicateCommand() *cli.Command {
	return &cli.Command{
		Name:      "replicate",
		Usage:     "rerun the field's canonical published results and set ours beside them",
		UsageText: "smbsim replicate [NAME…] [--list] [--full] [--out DIR] [--workers N] [--markdown] [--shard i/n [--resume]] [--dry-run]",
		Description: `Runs each named replication (all when none is named): the model reduced
to the published one, ours beside the published figures with intervals,
the test applied, and a chart with the published points overlaid
(DIR/NAME.png and .svg). Exits with status 1 when a result leaves its
band. docs/validation.md holds the output of 'smbsim replicate --markdown'.

Shards: with --shard i/n only the i-th of n slices of the runs is computed
(run u of a replication when u mod n = i − 1), into DIR/` + replicateUnitsFile + `;
'smbsim merge' of the n shard directories then prints the tables and draws
the charts exactly as one unsharded run would (deploy/slurm.sh runs it on
a Slurm cluster: SHARDS=8 deploy/slurm.sh replicate --full).

Examples:
  smbsim replicate --list              # what can be replicated, with run times
  smbsim replicate                     # every replication at its quick size
  smbsim replicate axelrod-1997 --full # the reference size
  smbsim replicate --full --shard 1/2 --out out/rep1 && smbsim replicate --full --shard 2/2 --out out/rep2
  smbsim merge out/rep1 out/rep2 --out out/replicate`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "list", Usage: "list the replications and their sizes"},
			&cli.BoolFlag{Name: "full", Usage: "the reference sizes of docs/validation.md (see --list for run times)"},
			&cli.StringFlag{Name: "out", Usage: "directory of the charts (with --shard: of the shard's runs)", DefaultText: "out/replicate, with --shard i/n out/replicate.shard-i-of-n"},
			&cli.IntFlag{Name: "workers", Usage: "parallel runs", DefaultText: "all cores"},
			&cli.BoolFlag{Name: "markdown", Usage: "print the docs/validation.md section instead of tables"},
			&cli.StringFlag{Name: "shard", Usage: "compute only slice i of n of the runs (e.g. 2/8) into --out; combine the shards with 'smbsim merge'"},
			&cli.BoolFlag{Name: "resume", Usage: "with --shard: do nothing when --out already holds this shard's runs"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan (runs, directory) without running"},
			&cli.StringFlag{Name: "size", Hidden: true, Usage: "tiny: the tests' size"},
		},
		Action: replicateAction,
	}
}

func replicateAction(ctx context.Context, cmd *cli.Command) error {
	out := cmd.Root().Writer
	known := seamsOf(cmd).replications
	if cmd.Bool("list") {
		for _, r := range known {
			fmt.Fprintf(out, "%-20s %s\n", r.Name, r.About)
			fmt.Fprintf(out, "%-20s source: %s\n", "", r.Citation)
			fmt.Fprintf(out, "%-20s quick: %s; --full: %s\n", "", r.Quick, r.Full)
		}
		return nil
	}
	var list []replicate.Replication
	for _, name := range cmd.Args().Slice() {
		r, err := replicate.Find(known, name)
		if err != nil {
			return usageError(err)
		}
		list = append(list, r)
	}
	if len(list) == 0 {
		list = known
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
	var shard replicate.Shard
	if s := cmd.String("shard"); s != "" {
		sh, err := experiment.ParseShard(s)
		if err != nil {
			return usageError(fmt.Errorf("--shard: %w", err))
		}
		shard = replicate.Shard{I: sh.Index, N: sh.Count}
	}
	dir := cmd.String("out")
	if dir == "" {
		dir = filepath.Join("out", "replicate")
		if shard.N > 0 {
			dir += fmt.Sprintf(".shard-%d-of-%d", shard.I, shard.N)
		}
	}
	if cmd.Bool("dry-run") {
		return replicateDryRun(ctx, out, list, opts, dir)
	}
	if shard.N > 0 {
		return replicateShard(ctx, cmd, list, opts, shard, dir)
	}
	if cmd.Bool("resume") {
		return usageError(errors.New("--resume needs --shard i/n"))
	}
	if cmd.Bool("markdown") && !cmd.Args().Present() {
		replicate.WriteIndex(out)
	}
	return replicateReport(ctx, out, list, opts, dir, cmd.Bool("markdown"), false, nil)
}

// replicateReport runs the replications and prints them (tables or
// Markdown; nothing when quiet), writes their charts into dir (none when
// dir is ""), and fails when a result leaves its band. With units, the
// runs are read back from shards.
func replicateReport(ctx context.Context, out io.Writer, list []replicate.Replication, opts replicate.Options, dir string, markdown, quiet bool, units *replicate.Units) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("charts directory: %w", err)
		}
	}
	var failed []string
	for i, r := range list {
		if units != nil {
			units.Begin(r.Name)
			opts.Units = units
		}
		res, err := r.Run(ctx, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
		switch {
		case quiet:
		case markdown:
			replicate.WriteMarkdown(out, res, replicateCommandLine(r.Name, opts.Size))
		default:
			if i > 0 {
				fmt.Fprintln(out)
			}
			replicate.WriteText(out, res)
		}
		for _, f := range []string{"png", "svg"} {
			if dir == "" {
				break
			}
			path := filepath.Join(dir, res.Chart.Name+"."+f)
			if err := results.WriteFile(path, func(w io.Writer) error { return res.Chart.Render(w, f, 0) }); err != nil {
				return fmt.Errorf("%s: chart: %w", r.Name, err)
			}
			if !markdown && !quiet && f == "png" {
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
}

// replicateDryRun counts the replications' runs (nothing runs) and prints
// the plan as 'run --dry-run' does, for deploy/slurm.sh.
func replicateDryRun(ctx context.Context, out io.Writer, list []replicate.Replication, opts replicate.Options, dir string) error {
	u := replicate.NewCount(opts.Size)
	runs := 0
	for _, r := range list {
		u.Begin(r.Name)
		opts.Units = u
		if _, err := r.Run(ctx, opts); err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	names, totals := u.Count()
	for k, name := range names {
		fmt.Fprintf(out, "replication: %s, %d runs\n", name, totals[k])
		runs += totals[k]
	}
	fmt.Fprintf(out, "runs: %d\nout: %s\ncharts: yes\nquiet: no\n", runs, dir)
	return nil
}

// replicateShard computes shard's runs of the replications into
// dir/replicateUnitsFile.
func replicateShard(ctx context.Context, cmd *cli.Command, list []replicate.Replication, opts replicate.Options, shard replicate.Shard, dir string) error {
	out := cmd.Root().Writer
	path := filepath.Join(dir, replicateUnitsFile)
	var names []string
	for _, r := range list {
		names = append(names, r.Name)
	}
	if cmd.Bool("resume") {
		if f, err := readUnitFile(path); err == nil && f.Size == opts.Size && f.Shard == shard && slices.Equal(f.Names, names) {
			fmt.Fprintf(out, "replicate shard %d/%d: %s already holds its runs\n", shard.I, shard.N, path)
			return nil
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	u := replicate.NewShard(shard, opts.Size)
	for _, r := range list {
		u.Begin(r.Name)
		opts.Units = u
		if _, err := r.Run(ctx, opts); err != nil {
			return fmt.Errorf("%s: %w", r.Name, err)
		}
	}
	if err := results.WriteFile(path, u.Write); err != nil {
		return err
	}
	fmt.Fprintf(out, "replicate shard %d/%d → %s; combine every shard with: smbsim merge DIR… --out DIR\n", shard.I, shard.N, path)
	return nil
}

func readUnitFile(path string) (*replicate.UnitFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	uf, err := replicate.ReadUnitFile(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return uf, nil
}

// replicateShardDirs reports whether dirs are replicate shards (each
// holds replicateUnitsFile).
func replicateShardDirs(dirs []string) bool {
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, replicateUnitsFile)); err != nil {
			return false
		}
	}
	return len(dirs) > 0
}

// replicateMerge replays the shards of 'smbsim replicate --shard' in dirs:
// the tables (unless quiet) and the charts in out (unless noCharts), as
// one unsharded run.
func replicateMerge(ctx context.Context, w io.Writer, known []replicate.Replication, dirs []string, out string, noCharts, quiet bool) error {
	var files []*replicate.UnitFile
	for _, d := range dirs {
		f, err := readUnitFile(filepath.Join(d, replicateUnitsFile))
		if err != nil {
			return usageError(fmt.Errorf("merge: %w", err))
		}
		files = append(files, f)
	}
	u, err := replicate.Replay(files)
	if err != nil {
		return usageError(fmt.Errorf("merge: %w", err))
	}
	names, size := u.Names()
	var list []replicate.Replication
	for _, name := range names {
		r, err := replicate.Find(known, name)
		if err != nil {
			return usageError(fmt.Errorf("merge: %w", err))
		}
		list = append(list, r)
	}
	if noCharts {
		out = ""
	}
	return replicateReport(ctx, w, list, replicate.Options{Size: size}, out, false, quiet, u)
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
