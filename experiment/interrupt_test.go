package experiment

import (
	"context"
	"errors"
	"path/filepath"
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
