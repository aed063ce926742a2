package experiment

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/smbsim/smbsim/results"
)

// MergeOptions stamps the merged manifest.
type MergeOptions struct {
	// Replace allows replacing the results of another experiment in the
	// output directory (by default Merge refuses).
	Replace     bool
	Version     string
	Build       string // this program's build (see Plan.Build)
	CommandLine []string
	// AllowMixedBuilds lets Merge combine runs made by different builds
	// (of the inputs, and of this program); manifest.json lists them.
	AllowMixedBuilds bool
	// MemoryLimit caps the memory merging may need (Plan.MergeFootprint),
	// in bytes; 0 means the machine's memory (MachineMemory).
	MemoryLimit uint64
	// Charts counts, in that estimate, the charts drawn after the merge.
	Charts bool
	Now    func() time.Time // nil means time.Now
}

// Merge combines results directories of the same experiment — typically
// the shard directories written with --shard i/n — into out. The result is
// byte-identical to what a single Execute of the whole plan writes (apart
// from manifest.json's times and command line): runs are read back in job
// order and every statistic is recomputed from them.
//
// Runs missing from every input leave the merged result incomplete (status
// "incomplete" and an error); Execute with Resume on out can then finish
// it. A run present in several inputs must be the same in each (else
// Merge refuses).
func Merge(dirs []string, out string, opt MergeOptions) (*Report, error) {
	return MergeContext(context.Background(), dirs, out, opt)
}

// MergeContext is Merge that stops when ctx is done (Ctrl-C), while runs
// are read or while the statistics are computed: the output's manifest
// then stays in_progress, the inputs are untouched, and the error wraps
// ErrInterrupted; merging again finishes.
func MergeContext(ctx context.Context, dirs []string, out string, opt MergeOptions) (*Report, error) {
	if len(dirs) == 0 {
		return nil, badInput(errors.New("merge: no directories given: list the shard directories to merge"))
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	absOut, _ := filepath.Abs(out)
	manifests := make([]*results.Manifest, len(dirs))
	for i, d := range dirs {
		if abs, _ := filepath.Abs(d); abs == absOut {
			return nil, badInput(fmt.Errorf("merge: --out %s is also an input; write the merged results to a new directory", out))
		}
		m, err := readPlanned(d)
		if err != nil {
			return nil, badInput(fmt.Errorf("merge: %s: %w", d, err))
		}
		if m.InProgress() {
			return nil, badInput(fmt.Errorf("merge: %s is in progress (being written, or its process was killed): its files may mix runs; finish it with its command plus --resume, then merge", d))
		}
		if i > 0 && m.Plan.Fingerprint != manifests[0].Plan.Fingerprint {
			return nil, badInput(fmt.Errorf("merge: %s and %s hold different experiments (other scenario, seeds or settings); merge only the shards of one command", dirs[0], d))
		}
		manifests[i] = m
	}
	mixed, err := mixBuilds(opt.Build, manifests, opt.AllowMixedBuilds)
	if err != nil {
		return nil, badInput(fmt.Errorf("merge: %w", err))
	}
	p := planFromManifest(manifests[0])
	p.Version, p.CommandLine, p.Build, p.Charts = opt.Version, opt.CommandLine, opt.Build, opt.Charts
	started := now()
	sources := make([]*dirSource, len(dirs))
	have := make([]map[int]bool, len(dirs))
	for i, d := range dirs {
		var err error
		if have[i], err = completedJobs(p, manifests[i]); err != nil {
			return nil, badInput(fmt.Errorf("merge: %s: %w", d, err))
		}
		if t, err := time.Parse(time.RFC3339, manifests[i].Started); err == nil && t.Before(started) {
			started = t
		}
	}
	if err := mergeFootprint(p, dirs, have).Check(opt.MemoryLimit); err != nil {
		return nil, badInput(fmt.Errorf("merge: %w (merging reads every run and computes the statistics of all: merge on a machine with more memory)", err))
	}
	fp := manifests[0].Plan.Fingerprint
	old, unlock, err := claimOut(out, "merge: --out")
	if err != nil {
		return nil, err
	}
	defer unlock()
	if old != nil && old.Plan.Fingerprint != fp && !opt.Replace {
		return nil, badInput(fmt.Errorf("merge: %s holds the results of another experiment (%s); use another --out, or add --replace to replace them", out, describe(old)))
	}
	cleanTemps(out)
	for i, d := range dirs {
		if len(have[i]) == 0 {
			continue
		}
		var err error
		if sources[i], err = openDir(d, p); err != nil {
			return nil, badInput(fmt.Errorf("merge: %w", err))
		}
		defer sources[i].close()
	}
	info := finishInfo{started: started, total: p.Jobs(), fingerprint: fp, tomlFrom: dirs[0], mixedBuilds: mixed}
	if _, err := markInProgress(out, p, info, nil); err != nil {
		return nil, err
	}
	removeStale(out, p, old)
	w, err := newRunWriter(out, "", p, false)
	if err != nil {
		return nil, err
	}
	agg := newAggregator(p)
	agg.stopped = func() bool { return ctx.Err() != nil }
	for j := range p.Jobs() {
		if agg.interrupted() {
			w.abort()
			return nil, errMergeInterrupted(out, ctx)
		}
		var r *RunResult
		from := -1
		for i := range dirs {
			if !have[i][j] {
				continue
			}
			ri, err := sources[i].read(j)
			if err != nil {
				w.abort()
				return nil, badInput(fmt.Errorf("merge: %w", err)) // a damaged input directory
			}
			if r == nil {
				r, from = ri, i
				continue
			}
			// Two copies of one run (the same shard given twice, or
			// overlapping shards) must agree.
			if diff := runDiff(r, ri); diff != "" {
				w.abort()
				vi, _ := p.job(j)
				return nil, badInput(fmt.Errorf("merge: the run of variant %q with seed %d is in both %s and %s, and the copies differ (%s): they were not made by the same program and settings; merge only one copy of each shard",
					p.Variants[vi].Name, r.Seed, dirs[from], dirs[i], diff))
			}
		}
		if r == nil {
			continue
		}
		if err := w.write(r); err != nil {
			w.abort()
			return nil, fmt.Errorf("merge: writing %s: %w", out, err)
		}
		if err := agg.add(r); err != nil {
			w.abort()
			return nil, fmt.Errorf("merge: %w", err)
		}
	}
	if err := w.commit(agg.runs() == p.Jobs()); err != nil {
		return nil, err
	}
	info.finished = now()
	rep, err := finish(out, p, agg, info)
	if errors.Is(err, ErrInterrupted) {
		return nil, errMergeInterrupted(out, ctx)
	}
	if err != nil {
		return nil, err
	}
	if rep.Completed < rep.Total {
		return rep, fmt.Errorf("merge: only %d of %d runs are in the inputs (missing shards?); the result is marked incomplete — run the missing shards and merge again, or finish it with --resume --out %s", rep.Completed, rep.Total, out)
	}
	return rep, nil
}

// mergeFootprint is the memory estimate of merging the runs have[i] of
// dirs[i] by the plan p read from their manifest. The manifest has no
// variant's tick limit: the world's stands for every variant's. The
// largest run is the largest mean size of a run in one input's per-run
// files.
func mergeFootprint(p *Plan, dirs []string, have []map[int]bool) Footprint {
	q := *p
	q.Variants = slices.Clone(p.Variants)
	for i := range q.Variants {
		q.Variants[i].Config.Ticks = cmp.Or(q.Variants[i].Config.Ticks, p.World.Ticks)
	}
	var most uint64
	for i, d := range dirs {
		var size uint64
		for _, name := range perRunNames {
			if fi, err := os.Stat(filepath.Join(d, name)); err == nil {
				size += uint64(fi.Size())
			}
		}
		if n := uint64(len(have[i])); n > 0 {
			most = max(most, size/n)
		}
	}
	return q.MergeFootprint(most)
}

// errMergeInterrupted says that a merge into out stopped for ctx.
func errMergeInterrupted(out string, ctx context.Context) error {
	return fmt.Errorf("%w: merge stopped before it finished; %s is left in_progress (the inputs are untouched): run the same merge again: %w",
		ErrInterrupted, out, context.Cause(ctx))
}

// runDiff says how two results of the same run differ ("" when they are
// the same; NaN equals NaN).
func runDiff(a, b *RunResult) string {
	same := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	switch {
	case a.LastTick != b.LastTick:
		return fmt.Sprintf("last tick %d vs %d", a.LastTick, b.LastTick)
	case len(a.Measures) != len(b.Measures):
		return "number of measures"
	case len(a.Rows) != len(b.Rows):
		return fmt.Sprintf("%d vs %d time series rows", len(a.Rows), len(b.Rows))
	case len(a.Firms) != len(b.Firms):
		return fmt.Sprintf("%d vs %d firms", len(a.Firms), len(b.Firms))
	case len(a.Top) != len(b.Top):
		return "top strategies"
	case len(a.Shares) != len(b.Shares):
		return "option shares"
	case len(a.Excess) != len(b.Excess):
		return "effect curves"
	case len(a.Strata) != len(b.Strata):
		return "cohort strata"
	}
	for m := range a.Measures {
		if !same(a.Measures[m], b.Measures[m]) {
			return fmt.Sprintf("measure %d: %v vs %v", m+1, a.Measures[m], b.Measures[m])
		}
	}
	for i := range a.Rows {
		ra, rb := &a.Rows[i], &b.Rows[i]
		if ra.Tick != rb.Tick || len(ra.Metrics) != len(rb.Metrics) {
			return fmt.Sprintf("time series row %d", i+1)
		}
		for m := range ra.Metrics {
			if !same(ra.Metrics[m], rb.Metrics[m]) {
				return fmt.Sprintf("tick %d, metric %d: %v vs %v", ra.Tick, m+1, ra.Metrics[m], rb.Metrics[m])
			}
		}
	}
	for i := range a.Firms {
		if a.Firms[i] != b.Firms[i] {
			return fmt.Sprintf("firm %d", a.Firms[i].ID)
		}
	}
	for i := range a.Top {
		if ta, tb := a.Top[i], b.Top[i]; ta.Tick != tb.Tick || ta.Rank != tb.Rank || ta.Strategy != tb.Strategy || !same(ta.Share, tb.Share) {
			return fmt.Sprintf("top strategies at tick %d", ta.Tick)
		}
	}
	for i := range a.Shares {
		if sa, sb := a.Shares[i], b.Shares[i]; sa.Tick != sb.Tick || sa.Dimension != sb.Dimension || sa.Option != sb.Option || !same(sa.Share, sb.Share) {
			return fmt.Sprintf("option shares at tick %d", sa.Tick)
		}
	}
	for i := range a.Excess {
		if xa, xb := a.Excess[i], b.Excess[i]; xa.Shock != xb.Shock || xa.Basis != xb.Basis || xa.Ticks != xb.Ticks || !same(xa.Value, xb.Value) {
			return fmt.Sprintf("effect curve of shock %d (%s) at %d ticks", xa.Shock, xa.Basis, xa.Ticks)
		}
	}
	for i := range a.Strata {
		if a.Strata[i] != b.Strata[i] {
			return fmt.Sprintf("cohort stratum of shock %d (%s, %s)", a.Strata[i].Shock, a.Strata[i].Type, AgeBands[a.Strata[i].Band])
		}
	}
	return ""
}
