package experiment

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
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
		return nil, err
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
	if err := CheckOutDir(opt.Out); err != nil {
		return nil, err
	}
	fp := p.Fingerprint()
	var jobs []int
	for j := range p.Jobs() {
		if opt.Shard.Has(j) {
			jobs = append(jobs, j)
		}
	}

	done := map[int]bool{}
	var src *dirSource
	fresh := true
	if opt.Resume {
		m, err := ReadManifest(opt.Out)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Nothing to resume: start afresh.
		case err != nil:
			return nil, fmt.Errorf("--resume: %w", err)
		default:
			if m.Plan.Fingerprint != fp {
				return nil, fmt.Errorf("--resume: %s holds results of a different experiment (other scenario, seeds or settings); use another --out, or drop --resume to overwrite it", opt.Out)
			}
			if m.Shard != opt.Shard.String() {
				return nil, fmt.Errorf("--resume: %s holds shard %q, not %q; resume with the same --shard", opt.Out, m.Shard, opt.Shard.String())
			}
			if done, err = completedJobs(p, m); err != nil {
				return nil, fmt.Errorf("--resume: %s: %w", opt.Out, err)
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

	var todo []int
	totalTicks := int64(0)
	for _, j := range jobs {
		vi, _ := p.job(j)
		totalTicks += int64(p.Variants[vi].Config.Ticks)
		if !done[j] {
			todo = append(todo, j)
		}
	}
	prog := opt.Progress
	if prog != nil {
		prog.TotalRuns.Store(int64(len(jobs)))
		prog.TotalTicks.Store(totalTicks)
	}

	w, err := newRunWriter(opt.Out, p, !opt.Shard.Whole())
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl := startPool(runCtx, todo, workers, func(ctx context.Context, j int) (*RunResult, error) {
		return runJob(ctx, p, j, factory, prog)
	})

	agg := newAggregator(p)
	var runErr error
	completed, resumed := 0, 0
	for _, j := range jobs {
		var r *RunResult
		if done[j] {
			r, err = src.read(j)
			if err != nil {
				cancel()
				w.abort()
				return nil, fmt.Errorf("--resume: reading back the finished runs: %w", err)
			}
			resumed++
			if prog != nil {
				vi, _ := p.job(j)
				prog.runs.Add(1)
				prog.ticks.Add(int64(p.Variants[vi].Config.Ticks))
			}
		} else {
			o := pl.next()
			if o.err != nil {
				if runErr == nil && !isCancel(o.err) {
					runErr = o.err
					cancel() // a failing run stops the others; finished runs are kept
				}
				continue
			}
			r = o.res
		}
		if err := w.write(r); err != nil {
			cancel()
			w.abort()
			return nil, fmt.Errorf("writing results to %s: %w", opt.Out, err)
		}
		agg.add(r)
		completed++
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	rep, err := finish(opt.Out, p, agg, finishInfo{
		started: started, finished: now(), total: len(jobs), shard: opt.Shard.String(), fingerprint: fp,
		tomlFrom: "",
	})
	if err != nil {
		return nil, err
	}
	rep.Resumed = resumed
	switch {
	case runErr != nil:
		return rep, runErr
	case completed < len(jobs) && ctx.Err() != nil:
		return rep, fmt.Errorf("%w after %d of %d runs: %w", ErrInterrupted, completed, len(jobs), ctx.Err())
	case completed < len(jobs):
		return rep, fmt.Errorf("only %d of %d runs finished", completed, len(jobs))
	}
	return rep, nil
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
