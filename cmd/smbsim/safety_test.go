package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/sim"
)

func TestBenchRejectsNegativeWorkers(t *testing.T) {
	r := smbsim(t, "bench", "--quick", "--workers", "-1")
	if r.code != 2 || !strings.Contains(r.stderr, "--workers -1") {
		t.Fatalf("bench --workers -1: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

// withMemoryLimit sets the memory limit of experiments for one test.
func withMemoryLimit(t *testing.T, limit uint64) {
	orig := memoryLimit
	memoryLimit = limit
	t.Cleanup(func() { memoryLimit = orig })
}

// TestWriteFailureExitsOne: failing to write the results (a full disk, a
// directory removed under the run) is a failure (exit 1), not bad usage.
func TestWriteFailureExitsOne(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	orig := modelFactory
	var once sync.Once
	modelFactory = func(cfg sim.Config, seed uint64) (experiment.Model, error) {
		once.Do(func() { os.RemoveAll(out) }) // every file written from now on fails
		return orig(cfg, seed)
	}
	t.Cleanup(func() { modelFactory = orig })
	r := smbsim(t, args("run", "baseline", "--seeds", "2", "--out", out, "--no-charts", "-q", small)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a write failure)\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "write") {
		t.Errorf("the message does not say writing failed:\n%s", r.stderr)
	}
}

// TestTooBigRefused: settings that validate but need more memory than the
// machine has are refused before anything runs, with exit 2.
func TestTooBigRefused(t *testing.T) {
	withMemoryLimit(t, 256<<20)
	out := filepath.Join(t.TempDir(), "res")
	orig := modelFactory
	modelFactory = func(cfg sim.Config, seed uint64) (experiment.Model, error) {
		t.Error("a world was built")
		return orig(cfg, seed)
	}
	t.Cleanup(func() { modelFactory = orig })
	r := smbsim(t, "run", "baseline", "--seeds", "2", "--set", "population.firms=5000000", "--out", out, "--no-charts")
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"needs at least", "more than 256 MiB", "population.firms"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestHugeSweepRefusedBeforeBuilding: a sweep too big for the machine is
// refused from its size before its points are built, and an interrupt
// while the points are built stops it before anything runs.
func TestHugeSweepRefusedBeforeBuilding(t *testing.T) {
	withMemoryLimit(t, 1<<30)
	out := filepath.Join(t.TempDir(), "res")
	r := smbsim(t, "sweep", "baseline", "--vary", "biases.herding=0:1:0.0005", "--seeds", "1000", "--out", out)
	if r.code != 2 || !strings.Contains(r.stderr, "needs at least") {
		t.Fatalf("exit %d, want 2 with the memory estimate\n%s", r.code, r.stderr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = smbsimCtx(t, ctx, "sweep", "baseline", "--vary", "biases.herding=0:1:0.01", "--seeds", "2", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "nothing ran") {
		t.Fatalf("interrupted sweep: exit %d, want 1 and 'nothing ran'\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err == nil {
		t.Error("an interrupted sweep preparation wrote results")
	}
}
