package experiment

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/smbsim/smbsim/results"
)

// Options controls how Execute runs a plan.
type Options struct {
	Out     string // results directory, created if needed
	Workers int    // runs in parallel; 0 means runtime.NumCPU()
	Shard   Shard  // run only this slice of the jobs (zero: all)
	Resume  bool   // keep the runs already complete in Out and run only the others
	// Replace allows replacing the results of another experiment in Out
	// (by default Execute refuses: only a re-run of the same experiment
	// replaces results without being asked).
	Replace  bool
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
	Summary   *results.Summary
	Manifest  *results.Manifest
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
	fp := p.Fingerprint()
	old, unlock, err := claimOut(opt.Out, "--out")
	if err != nil {
		return nil, err
	}
	defer unlock()
	if old != nil && old.Plan.Fingerprint != fp && !opt.Replace {
		if opt.Resume {
			return nil, badInput(fmt.Errorf("--resume: %s holds results of a different experiment (%s); resume with the command that made them, use another --out, or add --replace (without --resume) to replace them", opt.Out, describe(old)))
		}
		return nil, badInput(fmt.Errorf("%s holds the results of another experiment (%s); use another --out, or add --replace to replace them", opt.Out, describe(old)))
	}
	cleanTemps(opt.Out)
	jobs := opt.Shard.jobs(p)

	done := map[int]bool{}
	var src *dirSource
	fresh := true
	if opt.Resume && old != nil && old.Plan.Fingerprint == fp {
		m := old
		if m.Shard != opt.Shard.String() {
			return nil, badInput(fmt.Errorf("--resume: %s holds shard %q, not %q; resume with the same --shard", opt.Out, m.Shard, opt.Shard.String()))
		}
		if m.InProgress() {
			// Killed while writing: keep every run it finished.
			if m, err = recoverDir(opt.Out, p, m, fp); err != nil {
				return nil, fmt.Errorf("--resume: %w", err)
			}
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
	total := opt.Shard.count(p.Jobs())
	info := finishInfo{started: started, total: total, shard: opt.Shard.String(), fingerprint: fp}
	// From here on the directory changes: say so first.
	if _, err := markInProgress(opt.Out, p, info, done); err != nil {
		return nil, err
	}
	if fresh {
		removeStale(opt.Out, p, old)
	}
	partial := filepath.Join(opt.Out, results.DirPartial)
	if err := os.RemoveAll(partial); err != nil {
		return nil, err
	}
	if err := os.Mkdir(partial, 0o755); err != nil {
		return nil, err
	}
	jn, err := createJournal(partial, fp)
	if err != nil {
		return nil, err
	}
	defer jn.close()

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

	w, err := newRunWriter(opt.Out, partial, p, !opt.Shard.Whole())
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	pl := startPool(runCtx, todo, workers, func(ctx context.Context, j int) (*RunResult, error) {
		return runJob(ctx, p, j, factory, opt.Progress, partial)
	})

	agg := newAggregator(p)
	var runErr error
	completed, resumed := 0, 0
	keep := func(r *RunResult) error {
		err := w.write(r)
		var sizes [numPerRun]int64
		if err == nil {
			atKillPoint("written")
			sizes, err = w.checkpoint()
		}
		if err == nil {
			err = jn.add(r.Job, sizes)
			atKillPoint("journalled")
		}
		if err == nil {
			err = agg.add(r)
		}
		r.release()
		if err != nil {
			cancel()
			w.abort()
			return fmt.Errorf("writing results to %s: %w", opt.Out, err)
		}
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
	if err := jn.commit(); err != nil {
		w.abort()
		return nil, fmt.Errorf("writing results to %s: %w", opt.Out, err)
	}
	if err := w.commit(completed == total); err != nil {
		return nil, err
	}
	info.finished = now()
	atKillPoint("committed")
	rep, err := finish(opt.Out, p, agg, info)
	if err != nil {
		return nil, err
	}
	jn.close()
	os.RemoveAll(partial)
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

// describe names the experiment of a manifest for messages.
func describe(m *results.Manifest) string {
	parts := []string{}
	if len(m.Command) > 0 {
		parts = append(parts, "made by '"+strings.Join(m.Command, " ")+"'")
	} else if m.Scenario != "" {
		parts = append(parts, "scenario "+m.Scenario)
	}
	if m.Finished != "" {
		parts = append(parts, "finished "+m.Finished)
	}
	if m.Status != "" && m.Status != results.StatusComplete {
		parts = append(parts, "status "+m.Status)
	}
	if len(parts) == 0 {
		return "written by another version of smbsim"
	}
	return strings.Join(parts, ", ")
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
	completed := map[string][]uint64{}
	for vi, v := range p.Variants {
		completed[v.Name] = append([]uint64{}, agg.variants[vi].seeds...)
	}
	atKillPoint("summary")
	m := newManifest(p, fi, completed)
	m.Status = results.StatusIncomplete
	if m.CompletedRuns == fi.total {
		m.Status = results.StatusComplete
	}
	if err := results.WriteManifest(dir, m); err != nil {
		return nil, err
	}
	return &Report{Dir: dir, Summary: s, Manifest: m, Completed: m.CompletedRuns, Total: fi.total}, nil
}

// newManifest is the manifest of the plan's results holding the runs of
// completed (variant name → seeds, in job order); Status is left to set.
func newManifest(p *Plan, fi finishInfo, completed map[string][]uint64) *results.Manifest {
	m := &results.Manifest{
		Version:        p.Version,
		GoVersion:      goVersion(),
		Command:        p.CommandLine,
		Scenario:       p.Scenario,
		ScenarioHash:   p.ScenarioHash,
		Seeds:          p.Seeds,
		Started:        fi.started.UTC().Format(time.RFC3339),
		CompletedSeeds: map[string][]uint64{},
		TotalRuns:      fi.total,
		Shard:          fi.shard,
		Plan:           p.info(),
	}
	if !fi.finished.IsZero() {
		m.Finished = fi.finished.UTC().Format(time.RFC3339)
	}
	if m.Command == nil {
		m.Command = []string{}
	}
	m.Plan.Fingerprint = fi.fingerprint
	for _, v := range p.Variants {
		seeds := completed[v.Name]
		if seeds == nil {
			seeds = []uint64{}
		}
		m.CompletedSeeds[v.Name] = seeds
		m.CompletedRuns += len(seeds)
	}
	return m
}

// markInProgress writes the manifest with status "in_progress", listing
// the runs done (jobs) that the committed per-run files hold. It comes
// before anything else in dir changes.
func markInProgress(dir string, p *Plan, fi finishInfo, done map[int]bool) (*results.Manifest, error) {
	m := newManifest(p, fi, seedsOf(p, done))
	m.Status = results.StatusInProgress
	if err := results.WriteManifest(dir, m); err != nil {
		return nil, err
	}
	return m, nil
}

// seedsOf lists the jobs by variant name, seeds in job order.
func seedsOf(p *Plan, jobs map[int]bool) map[string][]uint64 {
	out := map[string][]uint64{}
	for _, j := range slices.Sorted(maps.Keys(jobs)) {
		vi, si := p.job(j)
		out[p.Variants[vi].Name] = append(out[p.Variants[vi].Name], p.Seeds[si])
	}
	return out
}

// writeScenarioFiles writes scenario.toml and variants/<name>.toml, or
// copies them from another results directory (those it holds).
func writeScenarioFiles(dir string, p *Plan, from string) error {
	scenario := func() []byte { return p.ScenarioTOML }
	variant := func(v *Variant) []byte { return v.TOML }
	if from != "" {
		read := func(path string) []byte {
			if b, err := os.ReadFile(path); err == nil {
				return b
			}
			return nil
		}
		scenario = func() []byte { return read(filepath.Join(from, results.FileScenario)) }
		variant = func(v *Variant) []byte { return read(filepath.Join(from, results.DirVariants, v.Name+".toml")) }
	}
	if b := scenario(); b != nil {
		if err := results.WriteBytes(filepath.Join(dir, results.FileScenario), b); err != nil {
			return err
		}
	}
	for i := range p.Variants {
		b := variant(&p.Variants[i])
		if b == nil {
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, results.DirVariants), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Join(dir, results.DirVariants), err)
		}
		if err := results.WriteBytes(filepath.Join(dir, results.DirVariants, p.Variants[i].Name+".toml"), b); err != nil {
			return err
		}
	}
	return nil
}
