package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	setSeams(t, func(s *seams) { s.memoryLimit = limit })
}

// TestWriteFailureExitsOne: failing to write the results (a full disk, a
// directory removed under the run) is a failure (exit 1), not bad usage.
func TestWriteFailureExitsOne(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	orig := testSeams(t).factory
	var once sync.Once
	setSeams(t, func(s *seams) {
		s.factory = func(cfg sim.Config, seed uint64) (experiment.Model, error) {
			once.Do(func() { os.RemoveAll(out) }) // every file written from now on fails
			return orig(cfg, seed)
		}
	})
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
	orig := testSeams(t).factory
	setSeams(t, func(s *seams) {
		s.factory = func(cfg sim.Config, seed uint64) (experiment.Model, error) {
			t.Error("a world was built")
			return orig(cfg, seed)
		}
	})
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

// TestOutNeverDeletesUserFiles is issue 15's thesis case: --out . in a
// directory with files smbsim did not write is refused (exit 2) and every
// file is left as it was.
func TestOutNeverDeletesUserFiles(t *testing.T) {
	dir := t.TempDir()
	thesis := filepath.Join(dir, "variants", "deep", "chapter1.tex")
	os.MkdirAll(filepath.Dir(thesis), 0o755)
	os.WriteFile(thesis, []byte("thesis"), 0o644)
	for _, cmdline := range [][]string{
		args("run", "baseline", "--seeds", "2", "--out", dir, "-q", "--no-charts", small),
		args("compare", "testdata/mixes.toml", "--seeds", "2", "--out", dir, "-q", "--no-charts", "--replace"),
	} {
		r := smbsim(t, cmdline...)
		if r.code != 2 || !strings.Contains(r.stderr, "holds no smbsim results") {
			t.Errorf("%v: exit %d, want 2\n%s", cmdline, r.code, r.stderr)
		}
	}
	if b, err := os.ReadFile(thesis); err != nil || string(b) != "thesis" {
		t.Fatalf("the thesis is gone: %v", err)
	}
}

// TestAnotherExperimentIsNotReplaced: re-running into a results directory
// of another experiment is refused (exit 2) with how to replace it;
// re-running the same command, or asking with --replace, works.
func TestAnotherExperimentIsNotReplaced(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	first := args("run", "baseline", "--seeds", "2", "--out", out, "-q", "--no-charts", small)
	mustRun(t, first...)
	runs, _ := os.ReadFile(filepath.Join(out, "runs.csv"))
	r := smbsim(t, args("run", "baseline", "--seeds", "3", "--out", out, "-q", "--no-charts", small)...)
	if r.code != 2 || !strings.Contains(r.stderr, "another experiment") || !strings.Contains(r.stderr, "--replace") {
		t.Fatalf("exit %d, want 2 and a hint at --replace\n%s", r.code, r.stderr)
	}
	if now, _ := os.ReadFile(filepath.Join(out, "runs.csv")); string(now) != string(runs) {
		t.Error("runs.csv of the first experiment changed")
	}
	mustRun(t, first...)
	mustRun(t, args("run", "baseline", "--seeds", "3", "--out", out, "-q", "--no-charts", "--replace", small)...)
	if m := readManifest(t, out); len(m.Seeds) != 3 {
		t.Errorf("after --replace the manifest has %d seeds", len(m.Seeds))
	}
}

// TestInProgressRefused: plot, report and merge refuse a directory whose
// manifest says it is being written (or its writer was killed).
func TestInProgressRefused(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	mustRun(t, args("run", "baseline", "--seeds", "2", "--out", out, "-q", "--no-charts", small)...)
	path := filepath.Join(out, "manifest.json")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), `"status": "complete"`, `"status": "in_progress"`, 1)), 0o644)
	for _, cmdline := range [][]string{
		{"plot", out},
		{"report", out},
		{"merge", out, "--out", filepath.Join(t.TempDir(), "m")},
	} {
		r := smbsim(t, cmdline...)
		if r.code != 2 || !strings.Contains(r.stderr, "in progress") {
			t.Errorf("%v: exit %d, want 2 and 'in progress'\n%s", cmdline, r.code, r.stderr)
		}
	}
}

// TestIdenticalRunsDifferOnlyInManifest: two runs of the same command, a
// second apart, write identical files (charts in every format and the
// report included) except manifest.json, as docs/outputs.md says.
func TestIdenticalRunsDifferOnlyInManifest(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	mustRun(t, args("run", "baseline", "--seeds", "2", "--out", a, "-q", small)...)
	time.Sleep(1100 * time.Millisecond) // a new second for every time stamp
	mustRun(t, args("run", "baseline", "--seeds", "2", "--out", b, "-q", small)...)
	fa, fb := readDir(t, a), readDir(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%d files against %d", len(fa), len(fb))
	}
	pdfs := 0
	for name, ca := range fa {
		if strings.HasSuffix(name, ".pdf") {
			pdfs++
		}
		if name != "manifest.json" && fb[name] != ca {
			t.Errorf("%s differs between two identical runs", name)
		}
	}
	if pdfs == 0 || fa["report.html"] == "" {
		t.Errorf("no PDF charts (%d) or no report written", pdfs)
	}
}
