package experiment

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/smbsim/smbsim/experiment/results"
)

// Options controls how Execute runs a plan.
type Options struct {
	Out      string    // results directory, created if needed
	Workers  int       // runs in parallel; 0 means runtime.NumCPU()
	Shard    Shard     // run only this slice of the jobs (zero: all)
	Resume   bool      // keep the runs already complete in Out and run only the others
	Factory  Factory   // builds a run's model; nil means SimFactory
	Progress *Progress // counters for a progress display; may be nil
	// MemoryLimit refuses plans whose estimated memory exceeds it (bytes);
	// 0 means the machine's memory (MachineMemory).
	MemoryLimit uint64
	// Now stamps manifest.json; nil means time.Now.
	Now func() time.Time
}

// Report says what Execute or Merge wrote.
type Report struct {
	Dir       string
	Summary   *Summary
	Manifest  *Manifest
	Completed int // runs in the results
	Total     int // runs of the plan (of the shard, for a shard)
	Resumed   int // runs read back from an earlier, interrupted invocation
}

// ErrInterrupted is wrapped by Execute's error when the context was
// cancelled before every run finished; the results of the finished runs
// were written and the manifest says "incomplete".
var ErrInterrupted = errors.New("interrupted")

// Execute runs the plan's jobs (or the shard's slice of them) on a worker
// pool and writes the results directory opt.Out. The files do not depend
// on opt.Workers.
//
// When ctx is cancelled, no new run starts, runs in progress are
// abandoned, every finished run is written, the manifest is marked
// incomplete, and the error wraps both ErrInterrupted and ctx's error. A
// later Execute with Resume set runs only what is missing.
func Execute(ctx context.Context, p *Plan, opt Options) (*Report, error) {
	if err := p.Validate(); err != nil {
		return nil, badInput(err)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	factory := opt.Factory
	if factory == nil {
		factory = SimFactory
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	started := now()
	if err := p.Estimate(workers, opt.Shard).Check(opt.MemoryLimit); err != nil {
		return nil, err
	}
	if err := CheckOutDir(opt.Out); err != nil {
		return nil, badInput(err)
	}
	fp := p.Fingerprint()
	jobs := opt.Shard.jobs(p)

	done := map[int]bool{}
	var src *dirSource
	fresh := true
	if opt.Resume {
		m, err := ReadManifest(opt.Out)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Nothing to resume: start afresh.
		case err != nil:
			return nil, badInput(fmt.Errorf("--resume: %w", err))
		default:
			if m.Plan.Fingerprint != fp {
				return nil, badInput(fmt.Errorf("--resume: %s holds results of a different experiment (other scenario, seeds or settings); use another --out, or drop --resume to overwrite it", opt.Out))
			}
			if m.Shard != opt.Shard.String() {
				return nil, badInput(fmt.Errorf("--resume: %s holds shard %q, not %q; resume with the same --shard", opt.Out, m.Shard, opt.Shard.String()))
			}
			if done, err = completedJobs(p, m); err != nil {
				return nil, badInput(fmt.Errorf("--resume: %s: %w", opt.Out, err))
			}
			if len(done) > 0 {
				if src, err = openDir(opt.Out, p); err != nil {
					return nil, fmt.Errorf("--resume: %w", err)
				}
				defer src.close()
			}
			if t, err := time.Parse(time.RFC3339, m.Started); err == nil {
				started = t
			}
			fresh = false
		}
	}
	if fresh {
		removeStale(opt.Out, p)
	}

	total := opt.Shard.count(p.Jobs())
	if prog := opt.Progress; prog != nil {
		totalTicks := int64(0)
		for vi, v := range p.Variants {
			n := opt.Shard.count((vi+1)*len(p.Seeds)) - opt.Shard.count(vi*len(p.Seeds))
			totalTicks += int64(n) * int64(v.Config.Ticks)
		}
		prog.TotalRuns.Store(int64(total))
		prog.TotalTicks.Store(totalTicks)
	}
	todo := func(yield func(int) bool) {
		for j := range jobs {
			if !done[j] && !yield(j) {
				return
			}
		}
	}

	w, err := newRunWriter(opt.Out, p, !opt.Shard.Whole())
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl := startPool(runCtx, todo, workers, func(ctx context.Context, j int) (*RunResult, error) {
		return runJob(ctx, p, j, factory, opt.Progress)
	})

	agg := newAggregator(p)
	var runErr error
	completed, resumed := 0, 0
	keep := func(r *RunResult) error {
		if err := w.write(r); err != nil {
			cancel()
			w.abort()
			return fmt.Errorf("writing results to %s: %w", opt.Out, err)
		}
		agg.add(r)
		completed++
		return nil
	}
	readBack := func(j int) error {
		r, err := src.read(j)
		if err != nil {
			cancel()
			w.abort()
			return fmt.Errorf("--resume: reading back the finished runs: %w", err)
		}
		resumed++
		if prog := opt.Progress; prog != nil {
			vi, _ := p.job(j)
			prog.runs.Add(1)
			prog.ticks.Add(int64(p.Variants[vi].Config.Ticks))
		}
		return keep(r)
	}
	last := -1 // the last job handled in order
	for j := range jobs {
		if done[j] {
			if err := readBack(j); err != nil {
				return nil, err
			}
			last = j
			continue
		}
		o := pl.next()
		if o.undispatched {
			// The pool stopped (interrupted or a run failed): no
			// later job will run; keep only the finished runs after j.
			break
		}
		last = j
		if o.err != nil {
			if runErr == nil && !isCancel(o.err) {
				runErr = o.err
				cancel() // a failing run stops the others; finished runs are kept
			}
			continue
		}
		if err := keep(o.res); err != nil {
			return nil, err
		}
	}
	if len(done) > 0 {
		rest := make([]int, 0, len(done))
		for j := range done {
			if j > last {
				rest = append(rest, j)
			}
		}
		slices.Sort(rest)
		for _, j := range rest {
			if err := readBack(j); err != nil {
				return nil, err
			}
		}
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	rep, err := finish(opt.Out, p, agg, finishInfo{
		started: started, finished: now(), total: total, shard: opt.Shard.String(), fingerprint: fp,
		tomlFrom: "",
	})
	if err != nil {
		return nil, err
	}
	rep.Resumed = resumed
	switch {
	case runErr != nil:
		return rep, runErr
	case completed < total && ctx.Err() != nil:
		return rep, fmt.Errorf("%w after %d of %d runs: %w", ErrInterrupted, completed, total, ctx.Err())
	case completed < total:
		return rep, fmt.Errorf("only %d of %d runs finished", completed, total)
	}
	return rep, nil
}

// ErrBadInput is matched (errors.Is) by the errors of Execute and Merge
// that come from what they were given — an invalid plan, an unusable or
// foreign directory, an experiment too big for the machine — rather than
// from running or writing. The command line exits with status 2 for them.
var ErrBadInput = errors.New("bad input")

type inputError struct{ error }

func (e inputError) Unwrap() error        { return e.error }
func (e inputError) Is(target error) bool { return target == ErrBadInput }

func badInput(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// removeStale deletes output files of an earlier command that this plan
// would not overwrite, so a directory never mixes two experiments.
func removeStale(dir string, p *Plan) {
	stale := []string{results.FileTests, results.FileSweep}
	if p.Command != CommandRun {
		stale = stale[:0]
		if p.Command != CommandSweep {
			stale = append(stale, results.FileSweep)
		}
	}
	if p.NoTimeseries {
		stale = append(stale, results.FileTimeseries)
	}
	if p.NoFirms {
		stale = append(stale, results.FileFirms)
	}
	for _, name := range stale {
		os.Remove(filepath.Join(dir, name))
	}
	os.RemoveAll(filepath.Join(dir, results.DirVariants))
}

type finishInfo struct {
	started, finished time.Time
	total             int
	shard             string
	fingerprint       string
	tomlFrom          string // merge: copy scenario.toml and variants/ from this directory
}

// finish writes the aggregate files, summary.json, scenario.toml and, last,
// manifest.json.
func finish(dir string, p *Plan, agg *aggregator, fi finishInfo) (*Report, error) {
	s := agg.summarize()
	if err := agg.writeAggregates(dir, s); err != nil {
		return nil, err
	}
	if err := results.WriteSummary(dir, s); err != nil {
		return nil, err
	}
	if err := writeScenarioFiles(dir, p, fi.tomlFrom); err != nil {
		return nil, err
	}
	m := &Manifest{
		Version:        p.Version,
		GoVersion:      goVersion(),
		Command:        p.CommandLine,
		Scenario:       p.Scenario,
		ScenarioHash:   p.ScenarioHash,
		Seeds:          p.Seeds,
		Started:        fi.started.UTC().Format(time.RFC3339),
		Finished:       fi.finished.UTC().Format(time.RFC3339),
		CompletedSeeds: map[string][]uint64{},
		TotalRuns:      fi.total,
		Shard:          fi.shard,
		Plan:           p.info(),
	}
	if m.Command == nil {
		m.Command = []string{}
	}
	m.Plan.Fingerprint = fi.fingerprint
	for vi, v := range p.Variants {
		m.CompletedSeeds[v.Name] = append([]uint64{}, agg.variants[vi].seeds...)
		m.CompletedRuns += len(agg.variants[vi].seeds)
	}
	m.Status = results.StatusIncomplete
	if m.CompletedRuns == fi.total {
		m.Status = results.StatusComplete
	}
	if err := results.WriteManifest(dir, m); err != nil {
		return nil, err
	}
	return &Report{Dir: dir, Summary: s, Manifest: m, Completed: m.CompletedRuns, Total: fi.total}, nil
}

// writeScenarioFiles writes scenario.toml and variants/<name>.toml, or
// copies them from another results directory.
func writeScenarioFiles(dir string, p *Plan, from string) error {
	if from != "" {
		if b, err := os.ReadFile(filepath.Join(from, results.FileScenario)); err == nil {
			if err := results.WriteBytes(filepath.Join(dir, results.FileScenario), b); err != nil {
				return err
			}
		}
		for _, v := range p.Variants {
			src := filepath.Join(from, results.DirVariants, v.Name+".toml")
			b, err := os.ReadFile(src)
			if err != nil {
				continue
			}
			if err := os.MkdirAll(filepath.Join(dir, results.DirVariants), 0o755); err != nil {
				return err
			}
			if err := results.WriteBytes(filepath.Join(dir, results.DirVariants, v.Name+".toml"), b); err != nil {
				return err
			}
		}
		return nil
	}
	if p.ScenarioTOML != nil {
		if err := results.WriteBytes(filepath.Join(dir, results.FileScenario), p.ScenarioTOML); err != nil {
			return err
		}
	}
	for _, v := range p.Variants {
		if v.TOML == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, results.DirVariants), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Join(dir, results.DirVariants), err)
		}
		if err := results.WriteBytes(filepath.Join(dir, results.DirVariants, v.Name+".toml"), v.TOML); err != nil {
			return err
		}
	}
	return nil
}
