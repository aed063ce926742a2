package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// TestMain lets the test binary run one Execute in a child process that
// exits abruptly, as SIGKILL would, at a chosen point (SMBSIM_KILL_AT).
func TestMain(m *testing.M) {
	if spec := os.Getenv("SMBSIM_KILL_AT"); spec != "" {
		os.Exit(killedChild(spec))
	}
	if name := os.Getenv("SMBSIM_PEAK_PLAN"); name != "" {
		os.Exit(peakChild(name, os.Getenv("SMBSIM_PEAK_DIR")))
	}
	if dirs := os.Getenv("SMBSIM_PEAK_MERGE"); dirs != "" {
		os.Exit(mergeChild(dirs, os.Getenv("SMBSIM_PEAK_DIR")))
	}
	os.Exit(m.Run())
}

// killSpec is a child process's task: run cmd with seeds into out,
// exiting with status 9 at the n-th time it passes stage.
type killSpec struct {
	stage          string
	n              int
	out, cmd       string
	seeds, workers int
	resume         bool
	replace        bool
}

func (k killSpec) String() string {
	return fmt.Sprintf("%s,%d,%s,%s,%d,%d,%t,%t", k.stage, k.n, k.out, k.cmd, k.seeds, k.workers, k.resume, k.replace)
}

func killedChild(spec string) int {
	f := strings.Split(spec, ",")
	if len(f) != 8 {
		fmt.Fprintln(os.Stderr, "bad SMBSIM_KILL_AT", spec)
		return 2
	}
	n, _ := strconv.Atoi(f[1])
	seeds, _ := strconv.Atoi(f[4])
	workers, _ := strconv.Atoi(f[5])
	seen := 0
	killHook = func(stage string) {
		if stage == f[0] {
			if seen++; seen == n {
				os.Exit(9)
			}
		}
	}
	_, err := Execute(context.Background(), testPlan(f[3], seeds), Options{Out: f[2], Workers: workers, Factory: newFake,
		Now: fixedNow, Resume: f[6] == "true", Replace: f[7] == "true"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// runKilled runs k in a child process and reports whether it was killed.
func runKilled(t *testing.T, k killSpec) bool {
	t.Helper()
	c := exec.Command(os.Args[0], "-test.run=^$")
	c.Env = append(os.Environ(), "SMBSIM_KILL_AT="+k.String())
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return false
	case errors.As(err, &ee) && ee.ExitCode() == 9:
		return true
	}
	t.Fatalf("child %v: %v\n%s", k, err, out)
	return false
}

func manifestStatus(t *testing.T, dir string) string {
	t.Helper()
	m, err := results.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m.Status
}

// resume finishes dir in this process and returns how many runs it kept.
func resume(t *testing.T, dir, cmd string, seeds int) int {
	t.Helper()
	rep, err := Execute(context.Background(), testPlan(cmd, seeds), Options{Out: dir, Workers: 2, Factory: newFake, Now: fixedNow, Resume: true})
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if rep.Manifest.Status != results.StatusComplete {
		t.Fatalf("status after resume: %s", rep.Manifest.Status)
	}
	return rep.Resumed
}

// TestKillThenResume kills a run at every kind of point (a run's rows half
// written, after k runs, between the renames of the final commit, before
// the manifest) and checks that --resume keeps every run that had finished
// and ends byte-identical to an uninterrupted run, leaving no temporary
// files.
func TestKillThenResume(t *testing.T) {
	const cmd, seeds = CommandCompare, 5 // 10 runs
	full := filepath.Join(t.TempDir(), "full")
	execute(t, testPlan(cmd, seeds), Options{Out: full, Workers: 2})
	for _, tc := range []struct {
		stage    string
		n        int
		wantKept int // runs --resume must keep
	}{
		{"journalled", 1, 1},
		{"journalled", 6, 6},
		{"written", 4, 3}, // the 4th run's rows were being written
		{"rename", 2, 10}, // between renames of the final commit
		{"committed", 1, 10},
		{"summary", 1, 10}, // aggregates written, manifest not yet
	} {
		t.Run(fmt.Sprintf("%s-%d", tc.stage, tc.n), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if !runKilled(t, killSpec{stage: tc.stage, n: tc.n, out: dir, cmd: cmd, seeds: seeds, workers: 2}) {
				t.Fatal("the child was not killed")
			}
			if s := manifestStatus(t, dir); s != results.StatusInProgress {
				t.Errorf("status after the kill: %q, want %q", s, results.StatusInProgress)
			}
			if kept := resume(t, dir, cmd, seeds); kept != tc.wantKept {
				t.Errorf("resume kept %d runs, want %d", kept, tc.wantKept)
			}
			sameResults(t, full, dir)
			assertNoTemporaries(t, dir)
		})
	}
}

// TestKillDuringResume: kills during a resume (after an interrupt, and
// during a recovery) lose nothing either.
func TestKillDuringResume(t *testing.T) {
	const cmd, seeds = CommandSweep, 6 // 12 runs
	full := filepath.Join(t.TempDir(), "full")
	execute(t, testPlan(cmd, seeds), Options{Out: full, Workers: 2})
	dir := filepath.Join(t.TempDir(), "out")

	// Interrupted (Ctrl-C) after 3 runs: committed, incomplete.
	ctx, cancel := context.WithCancel(context.Background())
	rep, err := Execute(ctx, testPlan(cmd, seeds), Options{Out: dir, Workers: 1, Factory: cancelAfter(3, cancel), Now: fixedNow})
	cancel()
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v", err)
	}
	base := rep.Completed
	// A resume killed after 7 runs were journalled (the 3 read back first).
	if !runKilled(t, killSpec{stage: "journalled", n: 7, out: dir, cmd: cmd, seeds: seeds, workers: 2, resume: true}) {
		t.Fatal("resume 1 was not killed")
	}
	// The next resume killed while recovering, after combining.
	if !runKilled(t, killSpec{stage: "combined", n: 1, out: dir, cmd: cmd, seeds: seeds, workers: 2, resume: true}) {
		t.Fatal("resume 2 was not killed")
	}
	// And the next one after 9 runs.
	if !runKilled(t, killSpec{stage: "journalled", n: 9, out: dir, cmd: cmd, seeds: seeds, workers: 2, resume: true}) {
		t.Fatal("resume 3 was not killed")
	}
	if kept := resume(t, dir, cmd, seeds); kept != 9 || base != 3 {
		t.Errorf("the last resume kept %d runs (want 9); the interrupt kept %d (want 3)", kept, base)
	}
	sameResults(t, full, dir)
	assertNoTemporaries(t, dir)
}

func assertNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			t.Errorf("left behind: %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestInProgressBeforeReplacing: a second experiment replacing a finished
// one marks the manifest in progress before it changes any file, so a kill
// can never leave old summary and new data under a manifest that says
// complete; merge refuses such a directory.
func TestInProgressBeforeReplacing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	execute(t, testPlan(CommandCompare, 3), Options{Out: out})
	for _, stage := range []string{"written", "journalled", "rename", "summary"} {
		if !runKilled(t, killSpec{stage: stage, n: 1, out: out, cmd: CommandCompare, seeds: 4, workers: 1, replace: true}) {
			t.Fatalf("%s: not killed", stage)
		}
		if s := manifestStatus(t, out); s != results.StatusInProgress {
			t.Errorf("killed at %s: manifest says %q over files of two experiments", stage, s)
		}
		_, err := Merge([]string{out}, filepath.Join(dir, "merged-"+stage), MergeOptions{})
		if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "in progress") {
			t.Errorf("merge of an in-progress directory: %v", err)
		}
	}
}

// TestNeverRemovesForeignFiles: --out that holds files smbsim did not
// write and no smbsim manifest is refused and left as it was; in a results
// directory, only smbsim's own files are replaced or removed.
func TestNeverRemovesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	thesis := filepath.Join(dir, "variants", "deep", "chapter1.tex")
	os.MkdirAll(filepath.Dir(thesis), 0o755)
	os.WriteFile(thesis, []byte("thesis"), 0o644)
	os.WriteFile(filepath.Join(dir, "tests.csv"), []byte("mine"), 0o644)
	_, err := Execute(context.Background(), testPlan(CommandRun, 2), Options{Out: dir, Factory: newFake})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "holds no smbsim results") {
		t.Fatalf("err = %v", err)
	}
	for _, path := range []string{thesis, filepath.Join(dir, "tests.csv")} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, results.FileManifest)); err == nil {
		t.Error("a manifest was written into a foreign directory")
	}
	// Merge refuses it too.
	shard := filepath.Join(t.TempDir(), "shard")
	execute(t, testPlan(CommandRun, 2), Options{Out: shard})
	if _, err := Merge([]string{shard}, dir, MergeOptions{}); !errors.Is(err, ErrBadInput) {
		t.Errorf("merge into a foreign directory: %v", err)
	}

	// A results directory with the user's own files beside smbsim's.
	res := filepath.Join(t.TempDir(), "res")
	execute(t, testPlan(CommandCompare, 2), Options{Out: res})
	notes := filepath.Join(res, "notes.txt")
	mine := filepath.Join(res, results.DirVariants, "mine.txt")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	os.WriteFile(notes, []byte("notes"), 0o644)
	os.WriteFile(mine, []byte("mine"), 0o644)
	stale := []string{".stats.csv.tmp-123", ".timeseries.csv.tmp-9"}
	for _, name := range stale {
		os.WriteFile(filepath.Join(res, name), []byte("x"), 0o644)
	}
	execute(t, testPlan(CommandRun, 2), Options{Out: res, Replace: true})
	for _, path := range []string{notes, mine} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("a file smbsim did not write is gone: %v", err)
		}
	}
	for _, name := range append(stale, results.FileTests) {
		if _, err := os.Stat(filepath.Join(res, name)); err == nil {
			t.Errorf("%s of the earlier results is still there", name)
		}
	}
}

// TestAnotherExperimentNeedsReplace: results of another experiment are
// never replaced without being asked; re-running the same one is fine.
func TestAnotherExperimentNeedsReplace(t *testing.T) {
	out := t.TempDir()
	execute(t, testPlan(CommandCompare, 3), Options{Out: out})
	before := readDir(t, out)
	for _, resume := range []bool{false, true} {
		_, err := Execute(context.Background(), testPlan(CommandCompare, 4), Options{Out: out, Factory: newFake, Resume: resume})
		if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "--replace") || !strings.Contains(err.Error(), "another experiment") && !strings.Contains(err.Error(), "different experiment") {
			t.Fatalf("resume=%v: err = %v", resume, err)
		}
	}
	after := readDir(t, out)
	if len(after) != len(before) {
		t.Fatalf("files changed: %d before, %d after", len(before), len(after))
	}
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed", name)
		}
	}
	execute(t, testPlan(CommandCompare, 3), Options{Out: out})                // the same experiment again
	execute(t, testPlan(CommandCompare, 4), Options{Out: out, Replace: true}) // asked
	if m, _ := results.ReadManifest(out); len(m.Seeds) != 4 {
		t.Errorf("--replace: manifest has %d seeds", len(m.Seeds))
	}
}

// TestOneWriterPerDirectory: while one process writes a results
// directory, another Execute or Merge into it is refused.
func TestOneWriterPerDirectory(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	out := t.TempDir()
	unlock, err := lockDir(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Execute(context.Background(), testPlan(CommandRun, 2), Options{Out: out, Factory: newFake})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "another smbsim process") {
		t.Errorf("Execute: err = %v", err)
	}
	shard := filepath.Join(t.TempDir(), "s")
	execute(t, testPlan(CommandRun, 2), Options{Out: shard})
	if _, err := Merge([]string{shard}, out, MergeOptions{}); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "another smbsim process") {
		t.Errorf("Merge: err = %v", err)
	}
	unlock()
	execute(t, testPlan(CommandRun, 2), Options{Out: out})
}
