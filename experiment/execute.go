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
	// AllowMixedBuilds lets Resume keep runs made by another build than
	// p.Build; manifest.json then lists both in mixed_builds.
	AllowMixedBuilds bool
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
//
// It has three phases: prepare claims the directory, settles what a
// resume keeps and marks the directory in progress; writeRuns runs the
// pool and writes and journals every run in job order; commit makes the
// results final (see durable.go for what a kill leaves at each point).
func Execute(ctx context.Context, p *Plan, opt Options) (*Report, error) {
	e, err := prepare(ctx, p, opt)
	if err != nil {
		return nil, err
	}
	defer e.close()
	if err := e.writeRuns(); err != nil {
		return nil, err
	}
	return e.commit()
}

// execution is the state of one Execute between its phases.
type execution struct {
	ctx     context.Context
	p       *Plan
	opt     Options
	workers int
	factory Factory
	now     func() time.Time
	info    finishInfo
	jobs    func(yield func(int) bool) // the jobs of the shard, in order
	done    map[int]bool               // jobs kept from an earlier invocation (--resume)
	src     *dirSource                 // where the kept runs are read back from
	partial string
	jn      *journal
	w       *runWriter
	agg     *aggregator
	cancel  context.CancelFunc // stops the pool
	pl      *pool

	runErr             error // the first run that failed
	completed, resumed int
	closers            []func()
}

// close releases what prepare took, last taken first.
func (e *execution) close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
}

// prepare validates the plan and its size, claims opt.Out, settles what a
// resume keeps (recovering a killed invocation's runs), marks the
// directory in progress, and starts the journal, the writer and the pool.
func prepare(ctx context.Context, p *Plan, opt Options) (_ *execution, err error) {
	if err := p.Validate(); err != nil {
		return nil, badInput(err)
	}
	e := &execution{ctx: ctx, p: p, opt: opt, workers: opt.Workers, factory: opt.Factory, now: opt.Now}
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	if e.workers <= 0 {
		e.workers = runtime.NumCPU()
	}
	if e.factory == nil {
		e.factory = SimFactory
	}
	if e.now == nil {
		e.now = time.Now
	}
	started := e.now()
	if err := p.Footprint(e.workers, opt.Shard).Check(opt.MemoryLimit); err != nil {
		return nil, err
	}
	fp := p.Fingerprint()
	old, unlock, err := claimOut(opt.Out, "--out")
	if err != nil {
		return nil, err
	}
	e.closers = append(e.closers, unlock)
	mixed, err := admit(p, opt, old, fp)
	if err != nil {
		return nil, err
	}
	cleanTemps(opt.Out)
	e.jobs = opt.Shard.jobs(p)

	e.done = map[int]bool{}
	fresh := true
	if opt.Resume && old != nil && old.Plan.Fingerprint == fp {
		m := old
		if m.InProgress() {
			// Killed while writing: keep every run it finished.
			if m, err = recoverDir(opt.Out, p, m, fp); err != nil {
				return nil, fmt.Errorf("--resume: %w", err)
			}
		}
		if e.done, err = completedJobs(p, m); err != nil {
			return nil, badInput(fmt.Errorf("--resume: %s: %w", opt.Out, err))
		}
		if len(e.done) > 0 {
			if e.src, err = openDir(opt.Out, p); err != nil {
				return nil, badInput(fmt.Errorf("--resume: %w", err)) // damaged results
			}
			e.closers = append(e.closers, e.src.close)
		}
		if t, err := time.Parse(time.RFC3339, m.Started); err == nil {
			started = t
		}
		fresh = false
	}
	total := opt.Shard.count(p.Jobs())
	e.info = finishInfo{started: started, total: total, shard: opt.Shard.String(), fingerprint: fp, mixedBuilds: mixed}
	// From here on the directory changes: say so first.
	if _, err := markInProgress(opt.Out, p, e.info, e.done); err != nil {
		return nil, err
	}
	if fresh {
		removeStale(opt.Out, p, old)
	}
	e.partial = filepath.Join(opt.Out, results.DirPartial)
	if err := os.RemoveAll(e.partial); err != nil {
		return nil, err
	}
	if err := os.Mkdir(e.partial, 0o755); err != nil {
		return nil, err
	}
	if e.jn, err = createJournal(e.partial, fp); err != nil {
		return nil, err
	}
	e.closers = append(e.closers, e.jn.close)

	if prog := opt.Progress; prog != nil {
		totalTicks := int64(0)
		for vi, v := range p.Variants {
			n := opt.Shard.count((vi+1)*len(p.Seeds)) - opt.Shard.count(vi*len(p.Seeds))
			totalTicks += int64(n) * int64(v.Config.Ticks)
		}
		prog.TotalRuns.Store(int64(total))
		prog.TotalTicks.Store(totalTicks)
	}
	// A shard's runs are read back by smbsim merge, so it keeps every
	// run's series and firms; so does --shard 1/1 (SHARDS=1 on Slurm),
	// although it is the whole plan.
	if e.w, err = newRunWriter(opt.Out, e.partial, p, opt.Shard.Count > 0); err != nil {
		return nil, err
	}
	todo := func(yield func(int) bool) {
		for j := range e.jobs {
			if !e.done[j] && !yield(j) {
				return
			}
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	e.cancel = cancel
	e.closers = append(e.closers, cancel)
	e.pl = startPool(runCtx, todo, e.workers, func(ctx context.Context, j int) (*RunResult, error) {
		return runJob(ctx, p, j, e.factory, opt.Progress, e.partial)
	})
	e.agg = newAggregator(p)
	return e, nil
}

// admit applies the rules on what a plan may do to the results old
// (nil: none) already in opt.Out: another experiment's are replaced only
// with Replace; a resume keeps only the same shard's runs, of the same
// build unless AllowMixedBuilds (then it returns the builds mixed).
func admit(p *Plan, opt Options, old *results.Manifest, fp string) (mixed []string, err error) {
	if old == nil {
		return nil, nil
	}
	if old.Plan.Fingerprint != fp {
		if opt.Replace {
			return nil, nil
		}
		if opt.Resume {
			return nil, badInput(fmt.Errorf("--resume: %s holds results of a different experiment (%s); resume with the command that made them, use another --out, or add --replace (without --resume) to replace them", opt.Out, describe(old)))
		}
		return nil, badInput(fmt.Errorf("%s holds the results of another experiment (%s); use another --out, or add --replace to replace them", opt.Out, describe(old)))
	}
	if !opt.Resume {
		return nil, nil
	}
	if old.Shard != opt.Shard.String() {
		return nil, badInput(fmt.Errorf("--resume: %s holds shard %q, not %q; resume with the same --shard", opt.Out, old.Shard, opt.Shard.String()))
	}
	if old.CompletedRuns > 0 || old.InProgress() {
		if mixed, err = mixBuilds(p.Build, []*results.Manifest{old}, opt.AllowMixedBuilds); err != nil {
			return nil, badInput(fmt.Errorf("--resume: %s: %w; or run without --resume to replace its runs", opt.Out, err))
		}
	}
	return mixed, nil
}

// Check returns the error Execute would return before running anything
// — an invalid plan, too big for the memory, an unusable or foreign
// directory, another experiment's results without Replace, a resume that
// does not fit, a directory being written — without changing anything:
// what --dry-run refuses. (A directory that does not exist yet is not
// created, so only its nearest existing parent is checked.)
func Check(p *Plan, opt Options) error {
	if err := p.Validate(); err != nil {
		return badInput(err)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if err := p.Footprint(workers, opt.Shard).Check(opt.MemoryLimit); err != nil {
		return err
	}
	if opt.Out == "" {
		return badInput(errors.New("no output directory: pass --out DIR"))
	}
	fi, err := os.Stat(opt.Out)
	switch {
	case err == nil && !fi.IsDir():
		return badInput(fmt.Errorf("output directory %s is a file: choose another --out", opt.Out))
	case err != nil:
		parent := filepath.Dir(filepath.Clean(opt.Out))
		for {
			if pi, err := os.Stat(parent); err == nil {
				if !pi.IsDir() {
					return badInput(fmt.Errorf("cannot create output directory %s: %s is a file; choose another --out", opt.Out, parent))
				}
				return nil
			}
			if next := filepath.Dir(parent); next != parent {
				parent = next
				continue
			}
			return nil
		}
	}
	unlock, err := lockDir(opt.Out)
	if err != nil {
		return err
	}
	defer unlock()
	old, err := inspectOut(opt.Out)
	if err != nil {
		return badInput(fmt.Errorf("--out: %w", err))
	}
	_, err = admit(p, opt, old, p.Fingerprint())
	return err
}

// keep writes a run to the partial files, journals it and adds it to the
// aggregates.
func (e *execution) keep(r *RunResult) error {
	err := e.w.write(r)
	var sizes [numPerRun]int64
	if err == nil {
		atKillPoint("written")
		sizes, err = e.w.checkpoint()
	}
	if err == nil {
		err = e.jn.add(r.Job, sizes)
		atKillPoint("journalled")
	}
	if err == nil {
		err = e.agg.add(r)
	}
	r.release()
	if err != nil {
		e.cancel()
		e.w.abort()
		return fmt.Errorf("writing results to %s: %w", e.opt.Out, err)
	}
	e.completed++
	return nil
}

// readBack keeps job j from the runs of an earlier invocation.
func (e *execution) readBack(j int) error {
	r, err := e.src.read(j)
	if err != nil {
		e.cancel()
		e.w.abort()
		return badInput(fmt.Errorf("--resume: reading back the finished runs: %w", err)) // damaged results
	}
	e.resumed++
	if prog := e.opt.Progress; prog != nil {
		vi, _ := e.p.job(j)
		prog.runs.Add(1)
		prog.ticks.Add(int64(e.p.Variants[vi].Config.Ticks))
	}
	return e.keep(r)
}

// writeRuns keeps every run in job order: those read back and those the
// pool finishes, until the pool stops (all done, interrupted, or a run
// failed: e.runErr).
func (e *execution) writeRuns() error {
	last := -1 // the last job handled in order
	for j := range e.jobs {
		if e.done[j] {
			if err := e.readBack(j); err != nil {
				return err
			}
			last = j
			continue
		}
		o := e.pl.next()
		if o.undispatched {
			// The pool stopped (interrupted or a run failed): no
			// later job will run; keep only the finished runs after j.
			break
		}
		last = j
		if o.err != nil {
			if e.runErr == nil && !isCancel(o.err) {
				e.runErr = o.err
				e.cancel() // a failing run stops the others; finished runs are kept
			}
			continue
		}
		if err := e.keep(o.res); err != nil {
			return err
		}
	}
	rest := make([]int, 0, len(e.done))
	for j := range e.done {
		if j > last {
			rest = append(rest, j)
		}
	}
	slices.Sort(rest)
	for _, j := range rest {
		if err := e.readBack(j); err != nil {
			return err
		}
	}
	return nil
}

// commit makes the written runs final: the journal's commit line, the
// partial files renamed into place, the aggregates, summary and, last,
// the manifest; then the partial directory goes. The error says why not
// every run is in.
func (e *execution) commit() (*Report, error) {
	out, total := e.opt.Out, e.info.total
	// An interrupt before this point already stopped the runs: the
	// statistics of those finished are written (the manifest then says
	// incomplete). One from now on, while they are computed, stops that
	// too: the manifest stays in_progress and --resume finishes.
	if e.ctx.Err() == nil {
		e.agg.stopped = func() bool { return e.ctx.Err() != nil }
	} else {
		// Interrupted while the runs went on: their statistics are
		// written only if that takes at most statsAfterInterrupt, so that
		// Ctrl-C ends the program within a second; else the manifest
		// stays in_progress and --resume finishes.
		deadline := time.Now().Add(statsAfterInterrupt)
		e.agg.stopped = func() bool { return time.Now().After(deadline) }
	}
	if err := e.jn.commit(); err != nil {
		e.w.abort()
		return nil, fmt.Errorf("writing results to %s: %w", out, err)
	}
	if err := e.w.commit(e.completed == total); err != nil {
		return nil, err
	}
	e.info.finished = e.now()
	atKillPoint("committed")
	rep, err := finish(out, e.p, e.agg, e.info)
	if err != nil {
		return nil, err
	}
	e.jn.close()
	os.RemoveAll(e.partial)
	rep.Resumed = e.resumed
	switch {
	case e.runErr != nil:
		return rep, e.runErr
	case e.completed < total && e.ctx.Err() != nil:
		return rep, fmt.Errorf("%w after %d of %d runs: %w", ErrInterrupted, e.completed, total, e.ctx.Err())
	case e.completed < total:
		return rep, fmt.Errorf("only %d of %d runs finished", e.completed, total)
	}
	return rep, nil
}

// statsAfterInterrupt is the longest the statistics of the finished runs
// may take after an interrupt stopped the runs.
const statsAfterInterrupt = 500 * time.Millisecond

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
	tomlFrom          string   // merge: copy scenario.toml and variants/ from this directory
	mixedBuilds       []string // the builds whose runs are combined, when allowed to mix
}

// finish writes the aggregate files, summary.json, scenario.toml and, last,
// manifest.json.
func finish(dir string, p *Plan, agg *aggregator, fi finishInfo) (*Report, error) {
	s := agg.summarize()
	if agg.interrupted() {
		return nil, errAggregatesInterrupted(dir, agg.runs())
	}
	if err := agg.writeAggregates(dir, s); err != nil {
		return nil, err
	}
	if agg.interrupted() {
		return nil, errAggregatesInterrupted(dir, agg.runs())
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

// errAggregatesInterrupted is the error of an interrupt while the
// statistics of runs finished runs were computed or written into dir.
func errAggregatesInterrupted(dir string, runs int) error {
	return fmt.Errorf("%w while the statistics of the %d finished runs were computed: the runs are saved in %s (manifest status %q); to finish, run the same command again with --resume: %w",
		ErrInterrupted, runs, dir, results.StatusInProgress, context.Canceled)
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
	m.Build, m.MixedBuilds = p.Build, fi.mixedBuilds
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
			if b, err := results.ReadPlain(path, results.MaxDocumentSize); err == nil {
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

// mixBuilds checks that the runs of the manifests were made by build, the
// program combining them. It returns nil when they all were; the builds
// combined (sorted) when they were not and allow is set; otherwise an
// error naming the builds. Results written before builds were recorded
// have none, which counts as a build of its own.
func mixBuilds(build string, ms []*results.Manifest, allow bool) ([]string, error) {
	set := map[string]bool{build: true}
	for _, m := range ms {
		if len(m.MixedBuilds) > 0 {
			for _, b := range m.MixedBuilds {
				set[b] = true
			}
			continue
		}
		set[m.Build] = true
	}
	if len(set) == 1 {
		return nil, nil
	}
	builds := slices.Sorted(maps.Keys(set))
	if allow {
		return builds, nil
	}
	names := make([]string, len(builds))
	for i, b := range builds {
		names[i] = b
		if b == "" {
			names[i] = "unrecorded (an older smbsim)"
		}
		if b == build {
			names[i] += " (this program)"
		}
	}
	return nil, fmt.Errorf("its runs were made by another build of smbsim (builds %s); results of different builds are never combined unless --allow-mixed-builds is given (it is recorded in manifest.json)", strings.Join(names, ", "))
}
