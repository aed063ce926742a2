package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

// cancelAtTick wraps a model and cancels the context when it reaches tick.
type cancelAtTick struct {
	Model
	tick   int
	cancel context.CancelFunc
}

func (m *cancelAtTick) Step() bool {
	ok := m.Model.Step()
	if m.Tick() == m.tick {
		m.cancel()
	}
	return ok
}

// TestCancelBuildsNoFurtherWorld: after a cancel, no worker builds the
// next queued world (with millions of firms that takes seconds, and made
// Ctrl-C take 18–20 s).
func TestCancelBuildsNoFurtherWorld(t *testing.T) {
	for _, workers := range []int{1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		var built atomic.Int64
		factory := func(cfg sim.Config, seed uint64) (Model, error) {
			m, err := newFake(cfg, seed)
			if err != nil {
				return nil, err
			}
			m.(*fakeModel).sleep = 0
			if built.Add(1) == 1 {
				return &cancelAtTick{Model: m, tick: 3, cancel: cancel}, nil
			}
			// Later worlds stay busy until the cancel.
			return &blockUntil{Model: m, ctx: ctx}, nil
		}
		_, err := Execute(ctx, testPlan(CommandRun, 20), Options{Out: t.TempDir(), Workers: workers, Factory: factory, Now: fixedNow})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("workers=%d: err = %v, want interrupted", workers, err)
		}
		// Each worker may have been building one world when the cancel
		// came; none starts another.
		if n := built.Load(); n > int64(workers) {
			t.Errorf("workers=%d: %d worlds were built, at most %d may be (one per worker at the cancel)", workers, n, workers)
		}
	}
}

// blockUntil is a model whose first step waits for ctx to be cancelled.
type blockUntil struct {
	Model
	ctx context.Context
}

func (m *blockUntil) Step() bool {
	<-m.ctx.Done()
	return m.Model.Step()
}

// TestPoolEnumeratesLazily: the pool takes its jobs one at a time from an
// iterator, so an endless list of jobs is fine and nothing is listed up
// front; after a cancel it stops asking for more.
func TestPoolEnumeratesLazily(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var yielded atomic.Int64
	endless := func(yield func(int) bool) {
		for j := 0; ; j++ {
			yielded.Add(1)
			if !yield(j) {
				return
			}
		}
	}
	const workers, stopAt = 2, 10
	p := startPool(ctx, endless, workers, func(ctx context.Context, j int) (*RunResult, error) {
		if j == stopAt {
			cancel()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &RunResult{Job: j}, nil
	})
	for i := 0; ; i++ {
		o := p.next()
		if o.undispatched {
			break
		}
		if o.err == nil && o.res.Job != i {
			t.Fatalf("outcome %d is job %d", i, o.res.Job)
		}
	}
	if n := yielded.Load(); n > stopAt+2*workers+2 {
		t.Errorf("the pool took %d jobs from the iterator after a cancel at job %d", n, stopAt)
	}
}

func TestShardJobs(t *testing.T) {
	p := testPlan(CommandCompare, 7) // 14 jobs
	for _, sh := range []Shard{{}, {1, 1}, {1, 3}, {2, 3}, {3, 3}, {5, 20}, {14, 14}} {
		var want, got []int
		for j := range p.Jobs() {
			if sh.Has(j) {
				want = append(want, j)
			}
		}
		for j := range sh.jobs(p) {
			got = append(got, j)
		}
		if len(got) != len(want) || sh.count(p.Jobs()) != len(want) {
			t.Fatalf("shard %v: jobs %v (count %d), want %v", sh, got, sh.count(p.Jobs()), want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("shard %v: jobs %v, want %v", sh, got, want)
			}
		}
	}
}

// TestEstimateRefusesTooBig: settings that pass validation but need more
// memory than the machine has are refused before anything runs or is
// written, with a message that says what to change.
func TestEstimateRefusesTooBig(t *testing.T) {
	p := testPlan(CommandRun, 2)
	p.Variants[0].Config.Population.Firms = 50_000_000
	p.Variants[0].Config.Ticks = 10_000_000
	if err := p.Validate(); err != nil {
		t.Fatalf("the plan should be valid: %v", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	var built atomic.Int64
	factory := func(cfg sim.Config, seed uint64) (Model, error) {
		built.Add(1)
		return newFake(cfg, seed)
	}
	_, err := Execute(context.Background(), p, Options{Out: out, Workers: 2, Factory: factory, MemoryLimit: 8 << 30})
	if !errors.Is(err, ErrTooBig) || !errors.Is(err, ErrBadInput) {
		t.Fatalf("err = %v, want ErrTooBig and ErrBadInput", err)
	}
	for _, want := range []string{"needs at least", "GiB", "more than 8.0 GiB", "population.firms", "--workers"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if built.Load() != 0 {
		t.Errorf("%d worlds were built before the refusal", built.Load())
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--out was created before the refusal: %v", err)
	}
	// The same plan at a small size runs.
	p.Variants[0].Config.Population.Firms, p.Variants[0].Config.Ticks = 30, 40
	execute(t, p, Options{Out: out, Workers: 2, MemoryLimit: 8 << 30})
}

func TestEstimateScales(t *testing.T) {
	base := testPlan(CommandCompare, 10)
	e := base.Footprint(1, Shard{})
	if e.Runs != 20 || e.Memory == 0 {
		t.Fatalf("estimate %+v", e)
	}
	grow := func(name string, f func(p *Plan) int, wantFactor float64) {
		t.Helper()
		p := testPlan(CommandCompare, 10)
		w := f(p)
		got := p.Footprint(w, Shard{})
		if r := float64(got.Memory) / float64(e.Memory); r < wantFactor {
			t.Errorf("%s: memory ×%.2f, want at least ×%.1f (%+v vs %+v)", name, r, wantFactor, got, e)
		}
	}
	// The tests between variants, one per measure and pair, do not grow
	// with firms or ticks: with the 9 measures per shock of the default
	// horizons and the 4 by quarter of cash they are a larger part of
	// this small plan's memory.
	grow("100× firms", func(p *Plan) int {
		for i := range p.Variants {
			p.Variants[i].Config.Population.Firms *= 100
		}
		return 1
	}, 11)
	grow("1000× ticks", func(p *Plan) int {
		for i := range p.Variants {
			p.Variants[i].Config.Ticks *= 1000
		}
		return 1
	}, 90)
	grow("4 workers", func(p *Plan) int { return 4 }, 1.5)
	// Tests between variants grow with the square of the variants.
	many := testPlan(CommandSweep, 2)
	for len(many.Variants) < 2000 {
		v := many.Variants[0]
		many.Variants = append(many.Variants, v)
	}
	if e := many.Footprint(1, Shard{}); e.Aggregates < 1<<30 {
		t.Errorf("a sweep of 2000 points: %s of statistics, want over 1 GiB for its 2 million pairs of tests", FormatBytes(e.Aggregates))
	}
	// Each shock's counterfactual keeps its at-risk cohort of firms.
	shocks := testPlan(CommandRun, 1)
	cfg := &shocks.Variants[0].Config
	cfg.Population.Firms = 20000
	for len(cfg.Shocks) < 1000 {
		cfg.Shocks = append(cfg.Shocks, cfg.Shocks[0])
	}
	if e := shocks.Footprint(1, Shard{}); e.Forks < 1<<30 {
		t.Errorf("1000 shocks of 20000 firms: %s of counterfactual cohorts, want over 1 GiB", FormatBytes(e.Forks))
	}
	shocks.NoCounterfactual = true
	if e := shocks.Footprint(1, Shard{}); e.Forks != 0 {
		t.Errorf("without counterfactuals: %s of counterfactual firm records", FormatBytes(e.Forks))
	}
	// Option shares are bounded per run (maxShareRows), and counted.
	opts := testPlan(CommandRun, 1)
	oc := &opts.Variants[0].Config
	oc.Strategy.Options, oc.Ticks = 65536, 60
	if _, rows := shareStride(oc, opts.every()); rows > maxShareRows+65536 || rows < 65536 {
		t.Errorf("65536 options: %d share rows per run", rows)
	}
	if e := opts.Footprint(1, Shard{}); e.InFlight < 65536*shareBytes {
		t.Errorf("65536 options: %s held per run", FormatBytes(e.InFlight))
	}
	// Charts count only when drawn, and then what they read back.
	long := testPlan(CommandRun, 1000)
	long.Variants[0].Config.Ticks = 5000
	long.Every = 1
	e0 := long.Footprint(1, Shard{})
	long.Charts = true
	if e1 := long.Footprint(1, Shard{}); e1.Memory <= e0.Memory || e1.Memory != e1.Charts {
		t.Errorf("charts of 1000 runs of 5000 ticks: %s without, %s with (charts %s)", FormatBytes(e0.Memory), FormatBytes(e1.Memory), FormatBytes(e1.Charts))
	}
	if e := base.Footprint(2, Shard{2, 3}); e.Runs != 7 {
		t.Errorf("shard 2/3 of 20 runs: %d runs", e.Runs)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 3 << 20: "3.0 MiB", 41 << 30: "41 GiB", 1 << 62: "4.0 EiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestMergeRejectsDisagreeingCopies: two copies of the same shard that
// differ are refused instead of silently taking the first; identical
// copies are fine.
func TestMergeRejectsDisagreeingCopies(t *testing.T) {
	dir := t.TempDir()
	a, a2, bad, b := filepath.Join(dir, "a"), filepath.Join(dir, "a2"), filepath.Join(dir, "bad"), filepath.Join(dir, "b")
	execute(t, testPlan(CommandCompare, 4), Options{Out: a, Shard: Shard{1, 2}})
	execute(t, testPlan(CommandCompare, 4), Options{Out: a2, Shard: Shard{1, 2}})
	execute(t, testPlan(CommandCompare, 4), Options{Out: b, Shard: Shard{2, 2}})
	other := func(cfg sim.Config, seed uint64) (Model, error) { return newFake(cfg, seed+1000) }
	execute(t, testPlan(CommandCompare, 4), Options{Out: bad, Shard: Shard{1, 2}, Factory: other})

	if _, err := Merge([]string{a, b, a2}, filepath.Join(dir, "ok"), MergeOptions{Now: fixedNow}); err != nil {
		t.Fatalf("identical copies: %v", err)
	}
	_, err := Merge([]string{a, b, bad}, filepath.Join(dir, "m"), MergeOptions{Now: fixedNow})
	if err == nil || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "copies differ") {
		t.Fatalf("err = %v, want the copies of a run to be found different", err)
	}
	if !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), bad) {
		t.Errorf("the message does not name both directories: %v", err)
	}
}

// TestSpilledRunsWriteTheSameFiles: a run whose earlier rows go to a spill
// file (long runs) writes exactly what a run held in memory writes.
func TestSpilledRunsWriteTheSameFiles(t *testing.T) {
	dir := t.TempDir()
	inMemory, spilled := filepath.Join(dir, "mem"), filepath.Join(dir, "spill")
	p := testPlan(CommandCompare, 3)
	p.Every = 1
	execute(t, p, Options{Out: inMemory, Workers: 2})
	orig := spillRows
	spillRows = 7 // 41 rows per run: spilled five times
	defer func() { spillRows = orig }()
	execute(t, testPlanEvery1(), Options{Out: spilled, Workers: 2})
	sameResults(t, inMemory, spilled)
}

func testPlanEvery1() *Plan {
	p := testPlan(CommandCompare, 3)
	p.Every = 1
	return p
}

// TestLongRunHoldsFewRows: a long run keeps at most spillRows recorded
// rows (and top-strategy rows) in memory; the others are on disk and come
// back in order.
func TestLongRunHoldsFewRows(t *testing.T) {
	orig := spillRows
	spillRows = 100
	defer func() { spillRows = orig }()
	p := testPlan(CommandRun, 1)
	p.Variants[0].Config = testConfig(5000, 10)
	p.Every = 1
	fast := func(cfg sim.Config, seed uint64) (Model, error) {
		m, err := newFake(cfg, seed)
		if err == nil {
			m.(*fakeModel).sleep = 0
		}
		return m, err
	}
	r, err := runJob(context.Background(), p, 0, fast, nil, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer r.release()
	if k := p.topK(); len(r.Rows) > 100 || len(r.Top) > 100+k {
		t.Errorf("%d rows and %d top rows held in memory, want at most 100 and %d", len(r.Rows), len(r.Top), 100+k)
	}
	n, prev := 0, 0
	err = r.eachRow(func(row *Row, last bool) error {
		n++
		if row.Tick != prev+1 || last != (n == 5000) {
			return fmt.Errorf("row %d: tick %d after %d, last %v", n, row.Tick, prev, last)
		}
		prev = row.Tick
		return nil
	})
	if err != nil || n != 5000 {
		t.Fatalf("%d rows read back: %v", n, err)
	}
	tops := 0
	if err := r.eachTop(func(*TopRow) error { tops++; return nil }); err != nil || tops < 5000 {
		t.Errorf("%d top rows read back: %v", tops, err)
	}
}

// sharerModel is a fake model that reports option shares: an even split
// over four options.
type sharerModel struct{ *fakeModel }

func (sharerModel) OptionShares(dst []float64, d int) []float64 {
	return append(dst[:0], 0.25, 0.25, 0.25, 0.25)
}

// TestLongRunThinsShares: a run longer than maxShareTicks recorded ticks
// keeps at most that many ticks of option shares (and its last tick); a
// short run keeps every recorded tick.
func TestLongRunThinsShares(t *testing.T) {
	for _, c := range []struct{ ticks, wantTicks int }{{50, 50}, {2 * maxShareTicks, maxShareTicks}, {2*maxShareTicks + 3, (2*maxShareTicks+3)/3 + 1}} {
		p := testPlan(CommandRun, 1)
		p.Variants[0].Config = testConfig(c.ticks, 10)
		p.Every = 1
		factory := func(cfg sim.Config, seed uint64) (Model, error) {
			m, err := newFake(cfg, seed)
			if err != nil {
				return nil, err
			}
			m.(*fakeModel).sleep = 0
			return sharerModel{m.(*fakeModel)}, nil
		}
		r, err := runJob(context.Background(), p, 0, factory, nil, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ticks := map[int]bool{}
		for _, s := range r.Shares {
			ticks[s.Tick] = true
		}
		r.release()
		if len(ticks) != c.wantTicks || !ticks[c.ticks] {
			t.Errorf("%d ticks: shares at %d ticks (last recorded: %v), want %d and the last", c.ticks, len(ticks), ticks[c.ticks], c.wantTicks)
		}
	}
}

// Merge estimates its own memory (Plan.MergeFootprint: every run read back,
// the statistics of all) and refuses beyond the limit before it writes
// anything, as Execute does; the same merge within the limit runs.
func TestMergeRefusesBeyondMemory(t *testing.T) {
	dir := t.TempDir()
	p := testPlan(CommandCompare, 4)
	var shards []string
	for i := 1; i <= 2; i++ {
		d := filepath.Join(dir, "s"+strconv.Itoa(i))
		execute(t, p, Options{Out: d, Shard: Shard{i, 2}})
		shards = append(shards, d)
	}
	est := p.MergeFootprint(1 << 20)
	if est.World != 0 || est.Forks != 0 || est.InFlight < 1<<20 || est.Aggregates == 0 || est.Memory < est.Aggregates+2*est.InFlight {
		t.Fatalf("merge estimate %+v: no world, but the runs read back and the aggregates", est)
	}
	if withCharts := *p; true {
		withCharts.Charts = true
		if c := withCharts.MergeFootprint(0); c.Memory < c.Charts || c.Charts == 0 {
			t.Errorf("with charts: %+v", c)
		}
	}
	m, err := readPlanned(shards[0])
	if err != nil {
		t.Fatal(err)
	}
	q := planFromManifest(m)
	have := make([]map[int]bool, len(shards))
	for i, d := range shards {
		mi, _ := readPlanned(d)
		if have[i], err = completedJobs(q, mi); err != nil {
			t.Fatal(err)
		}
	}
	est = mergeFootprint(q, shards, have)
	if full := p.MergeFootprint(0); est.Series != full.Series || est.Measures != full.Measures || est.Tests != full.Tests || est.InFlight == 0 {
		t.Errorf("merge's estimate from the manifests %+v: its aggregates differ from the plan's %+v, or no run read back", est, full)
	}
	out := filepath.Join(dir, "m")
	_, err = Merge(shards, out, MergeOptions{MemoryLimit: est.Memory - 1})
	if !errors.Is(err, ErrTooBig) || !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "merge: ") {
		t.Fatalf("err = %v, want a merge refused as too big (ErrTooBig, ErrBadInput)", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--out was created before the refusal: %v", err)
	}
	if _, err := Merge(shards, out, MergeOptions{MemoryLimit: est.Memory}); err != nil {
		t.Fatal(err)
	}
}
