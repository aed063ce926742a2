package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"
	"golang.org/x/term"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/report"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
)

// experimentFlags are shared by run, compare and sweep.
func experimentFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "seeds", Usage: "number of seeds (runs per variant), overriding simulation.seeds; or auto: add seeds (5, then more, deterministically) until every headline interval is within --precision of its mean, or --max-seeds", DefaultText: "the scenario's"},
		&cli.FloatFlag{Name: "precision", Value: defaultPrecision, Usage: "the interval half-width, relative to the mean, that the seed guidance (and --seeds auto) asks of every headline measure"},
		&cli.IntFlag{Name: "max-seeds", Value: defaultMaxSeeds, Usage: "--seeds auto: stop at this many seeds"},
		&cli.Uint64Flag{Name: "seed", Usage: "base seed: runs use seeds S, S+1, …; overrides simulation.base_seed", DefaultText: "the scenario's"},
		&cli.IntFlag{Name: "ticks", Usage: "ticks per run; overrides simulation.ticks", DefaultText: "the scenario's"},
		&cli.StringFlag{Name: "out", Usage: "results directory (with --shard i/n: out/<name>.shard-i-of-n)", DefaultText: "out/<scenario-name>", TakesFile: true},
		&cli.StringFlag{Name: "detail", Usage: "what the results keep of each run, overriding output.detail: summary (every run's measures; the first three seeds' time series), series (every run's time series and option shares) or full (also firms.csv, a row per firm)", DefaultText: "the scenario's, summary"},
		&cli.IntFlag{Name: "workers", Value: runtime.NumCPU(), Usage: "runs in parallel", DefaultText: "all cores"},
		&cli.StringSliceFlag{Name: "set", Usage: "override a scenario key, e.g. --set market.base_margin=0.3 (repeatable)"},
		quietFlag(),
		&cli.BoolFlag{Name: "no-charts", Usage: "do not draw charts"},
		&cli.StringFlag{Name: "shard", Usage: "run only slice i of n of the runs (e.g. 2/8), into its own --out; combine with 'smbsim merge'"},
		&cli.BoolFlag{Name: "resume", Usage: "keep the runs already complete in --out and run only the missing ones"},
		&cli.BoolFlag{Name: "replace", Usage: "replace the results of another experiment in --out (re-running the same command replaces its own results without it)"},
		allowMixedBuildsFlag(),
		&cli.BoolFlag{Name: "dry-run", Usage: "check the scenario and print the plan (runs, results directory, charts) without running"},
	}
}

// allowMixedBuildsFlag lets --resume and merge combine the runs of two
// builds of smbsim.
func allowMixedBuildsFlag() cli.Flag {
	return &cli.BoolFlag{Name: "allow-mixed-builds", Usage: "let --resume keep (merge: combine) runs made by another build of smbsim; manifest.json lists the builds in mixed_builds"}
}

// expSettings are the parsed shared flags.
type expSettings struct {
	out      string
	workers  int
	shard    experiment.Shard
	quiet    bool
	noCharts bool
	resume   bool
	replace  bool
	dryRun   bool
	mixed    bool // --allow-mixed-builds
	// autoSeeds: --seeds auto; precision and maxSeeds steer it and the
	// seed guidance.
	autoSeeds bool
	precision float64
	maxSeeds  int
}

func readExpSettings(cmd *cli.Command) (expSettings, error) {
	es := expSettings{out: cmd.String("out"), workers: cmd.Int("workers"), quiet: cmd.Bool("quiet"),
		noCharts: cmd.Bool("no-charts"), resume: cmd.Bool("resume"), replace: cmd.Bool("replace"), dryRun: cmd.Bool("dry-run"), mixed: cmd.Bool("allow-mixed-builds")}
	es.precision, es.maxSeeds = cmd.Float("precision"), cmd.Int("max-seeds")
	if cmd.IsSet("seeds") {
		_, auto, err := parseSeeds(cmd.String("seeds"))
		if err != nil {
			return es, err
		}
		es.autoSeeds = auto
	}
	if !(es.precision > 0 && es.precision < 10) {
		return es, usageError(fmt.Errorf("--precision %v: want a share of the mean between 0 and 10, e.g. 0.1 for ±10 %%", es.precision))
	}
	if es.autoSeeds && (es.maxSeeds < autoStartSeeds || es.maxSeeds > 100_000) {
		return es, usageError(fmt.Errorf("--max-seeds %d: want between %d and 100000", es.maxSeeds, autoStartSeeds))
	}
	if es.workers < 1 {
		return es, usageError(fmt.Errorf("--workers %d: need at least 1 worker", es.workers))
	}
	if s := cmd.String("shard"); s != "" {
		sh, err := experiment.ParseShard(s)
		if err != nil {
			return es, usageError(fmt.Errorf("--shard: %w", err))
		}
		es.shard = sh
	}
	return es, nil
}

// overrides returns the changes the flags ask for, in the order they are
// applied: --ticks, --seeds, --seed (as "--seeds 5"), then every --set
// key=value.
func overrides(cmd *cli.Command) []string {
	var out []string
	if cmd.IsSet("ticks") {
		out = append(out, "--ticks "+strconv.Itoa(cmd.Int("ticks")))
	}
	if cmd.IsSet("seeds") {
		if n, auto, err := parseSeeds(cmd.String("seeds")); err == nil && !auto {
			out = append(out, "--seeds "+strconv.Itoa(n))
		} else if err == nil {
			out = append(out, "--seeds "+strconv.Itoa(autoStartSeeds))
		}
	}
	if cmd.IsSet("seed") {
		out = append(out, "--seed "+strconv.FormatUint(cmd.Uint64("seed"), 10))
	}
	if cmd.IsSet("detail") {
		out = append(out, "--detail "+cmd.String("detail"))
	}
	return append(out, cmd.StringSlice("set")...)
}

// flagKeys are the scenario keys the shorthand flags set.
var flagKeys = map[string]string{"--ticks": "simulation.ticks", "--seeds": "simulation.seeds", "--seed": "simulation.base_seed", "--detail": "output.detail"}

// applyOverride applies one entry of overrides to s: "--seeds 5" sets
// simulation.seeds, and a problem with it names --seeds; anything else is
// a --set key=value.
func applyOverride(s *scenarios.Scenario, o string) error {
	if flag, value, ok := strings.Cut(o, " "); ok {
		if key, ok := flagKeys[flag]; ok {
			return s.SetAs(o, key+"="+value)
		}
	}
	return s.Set(o)
}

// openScenario opens arg (a file or a built-in name), applies the
// overrides and validates the result.
func openScenario(ctx context.Context, arg string, sets []string) (*scenarios.Scenario, error) {
	s, err := scenarios.OpenContext(ctx, arg)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("interrupted while reading the scenario %s: nothing ran: %w", arg, ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, a := range sets {
		if err := applyOverride(s, a); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, usageError(err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func scenarioTOML(s *scenarios.Scenario) []byte {
	var b bytes.Buffer
	if err := s.WriteTOML(&b); err != nil {
		panic(err) // writes to memory
	}
	return b.Bytes()
}

// basePlan fills the plan fields that come from the (first) scenario.
func basePlan(command string, s *scenarios.Scenario, args []string, build string) *experiment.Plan {
	return &experiment.Plan{
		Command:           command,
		Scenario:          s.Name,
		ScenarioHash:      s.Hash(),
		Seeds:             s.Seeds(),
		Every:             s.Output.Every,
		ShockWindow:       s.Output.ShockWindow,
		Horizons:          s.Output.Horizons,
		TopStrategies:     s.Output.TopStrategies,
		CollapseThreshold: s.Output.CollapseThreshold,
		Detail:            s.Output.Detail,
		NoTimeseries:      !s.Output.Timeseries,
		NoFirms:           !s.Output.Firms,
		NoCounterfactual:  !s.Output.Counterfactual,
		Focus:             s.Focus,
		Description:       s.Description,
		ScenarioTOML:      scenarioTOML(s),
		Version:           version(),
		Build:             build,
		CommandLine:       append([]string{"smbsim"}, args[1:]...),
	}
}

// chartsDrawn reports whether the charts are drawn after the runs: not
// for a shard, with --no-charts, or with output.charts false.
func chartsDrawn(es expSettings, out *scenarios.Output) bool {
	return es.shard.Whole() && !es.noCharts && (out == nil || out.Charts)
}

// defaultOut is out/<name>, or out/<name>.shard-i-of-n for a shard.
func defaultOut(name string, sh experiment.Shard) string {
	if sh.Whole() {
		return "out/" + name
	}
	return fmt.Sprintf("out/%s.shard-%d-of-%d", name, sh.Index, sh.Count)
}

// runPlan executes the plan with a progress display, prints the summary
// table, draws the charts and maps the outcome to an error.
func runPlan(ctx context.Context, cmd *cli.Command, p *experiment.Plan, es expSettings, out *scenarios.Output, table func(io.Writer, *results.Summary)) error {
	if es.out == "" {
		es.out = defaultOut(p.Scenario, es.shard)
	}
	charts := chartsDrawn(es, out)
	p.Charts = charts // the estimate counts what the charts read back
	opts := experiment.Options{Out: es.out, Workers: es.workers, Shard: es.shard, Resume: es.resume, Replace: es.replace,
		Factory: seamsOf(cmd).factory, MemoryLimit: seamsOf(cmd).memoryLimit, AllowMixedBuilds: es.mixed}
	if es.dryRun {
		// Refuse exactly what the run would refuse before running.
		if err := experiment.Check(p, opts); err != nil {
			return experimentError(err)
		}
		printPlan(cmd.Root().Writer, p, es, charts)
		return nil
	}
	stdout, stderr := cmd.Root().Writer, cmd.Root().ErrWriter
	est := p.Footprint(es.workers, es.shard)
	if !es.quiet {
		what := fmt.Sprintf("%d runs", est.Runs)
		if len(p.Variants) > 1 {
			what = fmt.Sprintf("%d runs (%d variants × %d seeds)", est.Runs, len(p.Variants), len(p.Seeds))
		}
		if !es.shard.Whole() {
			what += ", shard " + es.shard.String()
		}
		fmt.Fprintf(stderr, "smbsim %s: %s on %d workers, at least %s of memory → %s\n", p.Command, what, es.workers, experiment.FormatBytes(est.Memory), es.out)
		if limit, _ := experiment.MachineMemory(); seamsOf(cmd).memoryLimit == 0 && limit > 0 && est.Memory <= limit && est.Memory > limit/2 {
			fmt.Fprintf(stderr, "note: that is a lower bound and more than half of this machine's %s: the run may run out of memory (fewer --workers or firms need less)\n", experiment.FormatBytes(limit))
		}
	}
	if es.autoSeeds && (!es.shard.Whole() || es.resume) {
		return usageError(errors.New("--seeds auto decides the seeds from the results as they come: it runs whole experiments, not a --shard or --resume"))
	}
	var rep *experiment.Report
	var err error
	for {
		prog := &experiment.Progress{}
		stop := startProgress(stderr, prog, es.quiet, seamsOf(cmd).progressEvery)
		opts.Progress = prog
		rep, err = experiment.Execute(ctx, p, opts)
		stop()
		if !es.autoSeeds || rep == nil || err != nil {
			break
		}
		// --seeds auto: more seeds until every headline interval is
		// within the precision, or the cap; the next count is what the
		// intervals ask for, at most double, so that the runs thrown
		// away cost at most as much as the last.
		as := assess(rep.Summary, es.precision)
		n := len(p.Seeds)
		if sufficient(as, es.precision) || n >= es.maxSeeds {
			if !es.quiet {
				fmt.Fprintf(stderr, "--seeds auto: %d seeds", n)
				if sufficient(as, es.precision) {
					fmt.Fprintf(stderr, " bring every headline interval within %s of its mean\n", pctText(es.precision))
				} else {
					fmt.Fprintf(stderr, ": stopped at --max-seeds %d before every headline interval was within %s of its mean\n", es.maxSeeds, pctText(es.precision))
				}
			}
			break
		}
		next := n + 1
		for _, a := range as {
			next = max(next, a.need)
		}
		next = min(next, 2*n, es.maxSeeds)
		if !es.quiet {
			fmt.Fprintf(stderr, "--seeds auto: %d seeds are not enough (intervals wider than %s of the mean); running %d\n", n, pctText(es.precision), next)
		}
		base := p.Seeds[0]
		p.Seeds = p.Seeds[:0:0]
		for i := range next {
			p.Seeds = append(p.Seeds, base+uint64(i))
		}
		opts.Replace = true // the results of the smaller run are replaced
	}
	if rep != nil && !charts {
		// No charts of an earlier experiment stay beside these results.
		if err := plots.RemoveCharts(es.out); err != nil {
			return err
		}
	}
	if rep == nil {
		// Nothing was saved: the input was unusable (exit 2) or writing
		// the results failed (exit 1).
		return experimentError(err)
	}
	if err != nil {
		if errors.Is(err, experiment.ErrInterrupted) {
			return fmt.Errorf("interrupted: %d of %d runs finished and are saved in %s (manifest status %q); to finish, run the same command again with --resume",
				rep.Completed, rep.Total, es.out, rep.Manifest.Status)
		}
		return fmt.Errorf("%w; %d of %d runs finished and are saved in %s", err, rep.Completed, rep.Total, es.out)
	}
	if !es.quiet {
		if rep.Resumed > 0 {
			fmt.Fprintf(stderr, "resumed: %d runs were already complete, %d ran now\n", rep.Resumed, rep.Completed-rep.Resumed)
		}
		if es.shard.Whole() {
			table(stdout, rep.Summary)
			if p.Command != experiment.CommandRun {
				printSeedGuidance(stdout, rep.Summary, es.precision)
			}
		}
		fmt.Fprintf(stdout, "\nResults: %s\n", es.out)
	}
	if charts {
		return drawCharts(ctx, stdout, es.out, out, es.quiet)
	}
	return nil
}

// experimentError maps an error of Execute or Merge that left no results
// to its exit status: 2 for what the user gave (plan, directory, size),
// 1 for failures while running or writing (a full disk).
func experimentError(err error) error {
	if errors.Is(err, experiment.ErrBadInput) {
		return usageError(err)
	}
	return err
}

// interruptible runs f, which draws charts or writes the report, and
// returns its result; or, as soon as ctx is done (Ctrl-C), ctx's error,
// leaving f to end with the program: reading a large results directory
// and drawing one chart of it are not interruptible and can take seconds.
// Nothing is lost: charts and report are written to temporary files and
// renamed, and the next plot or report removes the temporary files.
func interruptible[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// drawCharts renders the charts of a results directory.
// An interrupt (ctx done) stops the drawing.
func drawCharts(ctx context.Context, stdout io.Writer, dir string, out *scenarios.Output, quiet bool) error {
	opts := plots.Options{}
	if out != nil {
		opts.Formats, opts.DPI = out.Formats, out.DPI
	}
	paths, err := interruptible(ctx, func() ([]string, error) { return plots.RenderDirContext(ctx, dir, opts) })
	if ctx.Err() != nil {
		return fmt.Errorf("the results are in %s; drawing the charts was interrupted (redraw them with smbsim plot %s): %w", dir, dir, ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("the results are in %s, but drawing the charts failed: %w (rerun with --no-charts to skip them)", dir, err)
	}
	page, err := interruptible(ctx, func() (string, error) { return report.WriteDirContext(ctx, dir, opts) })
	if ctx.Err() != nil {
		return fmt.Errorf("the results are in %s; writing the report was interrupted (write it with smbsim report %s): %w", dir, dir, ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("the results are in %s, but writing the report failed: %w (rerun with --no-charts to skip it)", dir, err)
	}
	if !quiet && len(paths) > 0 {
		fmt.Fprintf(stdout, "Charts:  %s/charts (%d files)\n", dir, len(paths))
		fmt.Fprintf(stdout, "Report:  %s\n", page)
	}
	return nil
}

// startProgress shows a progress bar on stderr while an experiment runs,
// when stderr is a terminal, or else a progress line now and then (see
// startProgressLines); nothing when quiet. The returned func stops it.
func startProgress(stderr io.Writer, prog *experiment.Progress, quiet bool, every time.Duration) func() {
	if quiet {
		return func() {}
	}
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return startProgressLines(stderr, prog, every)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		var bar *progressbar.ProgressBar
		for {
			if total := prog.TotalTicks.Load(); bar == nil && total > 0 {
				bar = progressbar.NewOptions64(total,
					progressbar.OptionSetWriter(f),
					progressbar.OptionShowIts(),
					progressbar.OptionSetItsString("ticks"),
					progressbar.OptionSetPredictTime(true),
					progressbar.OptionSetWidth(30),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish(),
				)
			}
			if bar != nil {
				bar.Describe(fmt.Sprintf("runs %d/%d", prog.Runs(), prog.TotalRuns.Load()))
				_ = bar.Set64(prog.Ticks())
			}
			select {
			case <-done:
				if bar != nil {
					_ = bar.Finish()
				}
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}
