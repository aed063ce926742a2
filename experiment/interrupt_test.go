package experiment

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// within fails t unless f returns before the watchdog (a generous bound:
// what is checked is that f returns at all, not how fast).
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("did not return after the interrupt")
	}
}

// An interrupt while a world is being built is honoured at once, without
// waiting for the build (a 5M-firm world takes seconds).
func TestInterruptWhileBuilding(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	building := make(chan struct{}, 16)
	factory := func(cfg sim.Config, seed uint64) (Model, error) {
		building <- struct{}{}
		<-release // a build that never ends while the test runs
		return newFake(cfg, seed)
	}
	go func() { <-building; cancel() }()
	var err error
	within(t, func() {
		_, err = Execute(ctx, testPlan(CommandCompare, 3), Options{Out: filepath.Join(t.TempDir(), "out"), Workers: 2, Factory: factory, Now: fixedNow})
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Errorf("err = %v, want interrupted", err)
	}
}

// An interrupt after the last run, while the statistics are computed,
// stops them: the manifest stays in_progress, and --resume finishes with
// the results of an uninterrupted run.
func TestInterruptWhileAggregating(t *testing.T) {
	dir := t.TempDir()
	full, part := filepath.Join(dir, "full"), filepath.Join(dir, "part")
	execute(t, testPlan(CommandSweep, 4), Options{Out: full})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	killHook = func(stage string) {
		if stage == "committed" {
			cancel()
		}
	}
	rep, err := Execute(ctx, testPlan(CommandSweep, 4), Options{Out: part, Factory: newFake, Now: fixedNow})
	killHook = nil
	if !errors.Is(err, ErrInterrupted) || rep != nil {
		t.Fatalf("err = %v, report %v: want interrupted without a report", err, rep)
	}
	if m, err := results.ReadManifest(part); err != nil || m.Status != results.StatusInProgress {
		t.Fatalf("manifest after the interrupt: %v %v", m, err)
	}
	rep = execute(t, testPlan(CommandSweep, 4), Options{Out: part, Resume: true})
	if rep.Manifest.Status != results.StatusComplete {
		t.Errorf("after --resume: %s", rep.Manifest.Status)
	}
	sameResults(t, full, part)
}

// aggregatorOf reads back the runs of the complete results in dir of
// plan p into a new aggregator.
func aggregatorOf(t *testing.T, p *Plan, dir string) *aggregator {
	t.Helper()
	src, err := openDir(dir, p)
	if err != nil {
		t.Fatal(err)
	}
	defer src.close()
	agg := newAggregator(p)
	for j := range p.Jobs() {
		r, err := src.read(j)
		if err != nil {
			t.Fatal(err)
		}
		if err := agg.add(r); err != nil {
			t.Fatal(err)
		}
	}
	return agg
}

// stopAfter makes a's interrupt check report an interrupt from its n-th
// call on, and returns the count of calls.
func stopAfter(a *aggregator, n int) *int {
	calls := 0
	a.stopped = func() bool { calls++; return calls >= n }
	return &calls
}

// An interrupt while the tails are bootstrapped (2,000 resamples per tail
// and per contrast) stops them at the next tail or contrast.
func TestInterruptInTails(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	p := testPlan(CommandCompare, 6)
	execute(t, p, Options{Out: dir})
	tails, contrasts := aggregatorOf(t, p, dir).tails()
	if len(tails) < 4 || len(contrasts) == 0 {
		t.Fatalf("the plan has %d tails and %d contrasts: too few to interrupt", len(tails), len(contrasts))
	}
	all := len(tails) + len(contrasts)
	for _, n := range []int{1, 2, 3, 6} {
		a := aggregatorOf(t, p, dir)
		calls := stopAfter(a, n)
		gotT, gotC := a.tails()
		// Each check passed lets one tail or one pair's two contrasts
		// through; the first that reports the interrupt returns.
		if done := len(gotT) + len(gotC); done > 2*(n-1) || done >= all || *calls != n {
			t.Errorf("interrupted at check %d: %d of %d tails and contrasts computed, %d checks; want at most %d and no check after the interrupt", n, done, all, *calls, 2*(n-1))
		}
	}
}

// An interrupt while the aggregate files are written stops at the next
// recorded tick: no stats.csv (nor its temporary file) is left, and the
// error says how to finish.
func TestInterruptWritingAggregates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	p := testPlan(CommandCompare, 3)
	execute(t, p, Options{Out: dir})
	a := aggregatorOf(t, p, dir)
	s := a.summarize()
	into := t.TempDir()
	calls := stopAfter(a, 3)
	err := a.writeAggregates(into, s)
	if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("err = %v, want an interrupt saying --resume", err)
	}
	if *calls != 3 {
		t.Errorf("%d checks, want 3 (one per recorded tick until the interrupt)", *calls)
	}
	if left := readDir(t, into); len(left) != 0 {
		t.Errorf("files left after the interrupt: %v", slices.Collect(maps.Keys(left)))
	}
}

// An interrupt while a merge reads the runs, or while it computes the
// statistics, leaves the output in_progress and the inputs untouched;
// merging again gives the results of a single run.
func TestInterruptWhileMerging(t *testing.T) {
	dir := t.TempDir()
	single := filepath.Join(dir, "single")
	execute(t, testPlan(CommandCompare, 4), Options{Out: single})
	var shards []string
	for i := 1; i <= 2; i++ {
		d := filepath.Join(dir, "shard"+strconv.Itoa(i))
		execute(t, testPlan(CommandCompare, 4), Options{Out: d, Shard: Shard{i, 2}})
		shards = append(shards, d)
	}
	before := readDir(t, shards[0])
	for _, stage := range []string{"reading", "rename"} {
		t.Run(stage, func(t *testing.T) {
			out := filepath.Join(dir, "merged-"+stage)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if stage == "reading" {
				cancel()
			} else {
				killHook = func(s string) {
					if s == stage {
						cancel()
					}
				}
				defer func() { killHook = nil }()
			}
			rep, err := MergeContext(ctx, shards, out, MergeOptions{Now: fixedNow})
			killHook = nil
			if !errors.Is(err, ErrInterrupted) || rep != nil || !strings.Contains(err.Error(), "merge again") {
				t.Fatalf("err = %v, report %v: want interrupted without a report", err, rep)
			}
			if m, err := results.ReadManifest(out); err != nil || m.Status != results.StatusInProgress {
				t.Fatalf("manifest after the interrupt: %v %v", m, err)
			}
			if !maps.Equal(before, readDir(t, shards[0])) {
				t.Error("the interrupted merge changed an input")
			}
			merge(t, shards, out)
			sameResults(t, single, out)
		})
	}
}

// After an interrupt during the runs, the finished runs' statistics are
// written only if that fits in statsAfterInterrupt (Ctrl-C ends the
// program within a second): here the commit is held past it, so the
// statistics are not computed, the manifest stays in_progress and
// --resume finishes.
func TestInterruptDuringRunsBoundsStatistics(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	killHook = func(stage string) {
		if stage == "committed" {
			time.Sleep(statsAfterInterrupt + 100*time.Millisecond) // statistics as slow as that
		}
	}
	defer func() { killHook = nil }()
	rep, err := Execute(ctx, testPlan(CommandCompare, 6), Options{Out: dir, Workers: 1, Factory: cancelAfter(5, cancel), Now: fixedNow})
	killHook = nil
	if !errors.Is(err, ErrInterrupted) || rep != nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("err = %v, report %v: want interrupted, no report, and --resume", err, rep)
	}
	if m, err := results.ReadManifest(dir); err != nil || m.Status != results.StatusInProgress {
		t.Fatalf("manifest: %v %v, want in_progress", m, err)
	}
	if rep := execute(t, testPlan(CommandCompare, 6), Options{Out: dir, Resume: true}); rep.Manifest.Status != results.StatusComplete {
		t.Errorf("after --resume: %s", rep.Manifest.Status)
	}
}
