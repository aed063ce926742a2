package experiment

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// planOfBuild is testPlan made by the named build.
func planOfBuild(cmd string, seeds int, build string) *Plan {
	p := testPlan(cmd, seeds)
	p.Build = build
	return p
}

// --resume keeps only runs of the same build, unless AllowMixedBuilds,
// which manifest.json records; a fresh run replaces another build's
// results of the same experiment.
func TestResumeRefusesMixedBuilds(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "part")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := Execute(ctx, planOfBuild(CommandCompare, 6, "A"), Options{Out: part, Workers: 1, Factory: cancelAfter(3, cancel), Now: fixedNow}); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want interrupted", err)
	}
	before := readDir(t, part)
	_, err := Execute(context.Background(), planOfBuild(CommandCompare, 6, "B"), Options{Out: part, Resume: true, Factory: newFake, Now: fixedNow})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "another build") || !strings.Contains(err.Error(), "--allow-mixed-builds") {
		t.Fatalf("resume by another build: %v", err)
	}
	if after := readDir(t, part); len(after) != len(before) || after[results.FileManifest] != before[results.FileManifest] {
		t.Error("a refused resume changed the directory")
	}
	// The same build resumes.
	same := filepath.Join(dir, "same")
	cancelled, stop := context.WithCancel(context.Background())
	defer stop()
	Execute(cancelled, planOfBuild(CommandCompare, 6, "A"), Options{Out: same, Workers: 1, Factory: cancelAfter(3, stop), Now: fixedNow})
	rep := execute(t, planOfBuild(CommandCompare, 6, "A"), Options{Out: same, Resume: true})
	if rep.Manifest.Build != "A" || rep.Manifest.MixedBuilds != nil {
		t.Errorf("same build: build %q, mixed %v", rep.Manifest.Build, rep.Manifest.MixedBuilds)
	}
	// Allowed: recorded.
	rep = execute(t, planOfBuild(CommandCompare, 6, "B"), Options{Out: part, Resume: true, AllowMixedBuilds: true})
	if rep.Manifest.Status != results.StatusComplete || !slices.Equal(rep.Manifest.MixedBuilds, []string{"A", "B"}) {
		t.Errorf("allowed: status %s, mixed_builds %v", rep.Manifest.Status, rep.Manifest.MixedBuilds)
	}
	m, err := results.ReadManifest(part)
	if err != nil || !slices.Equal(m.MixedBuilds, []string{"A", "B"}) {
		t.Errorf("manifest.json mixed_builds: %v %v", m, err)
	}
	// Resuming mixed results again still needs the flag, even by B.
	if _, err := Execute(context.Background(), planOfBuild(CommandCompare, 6, "B"), Options{Out: part, Resume: true, Factory: newFake}); !errors.Is(err, ErrBadInput) {
		t.Errorf("resume of mixed results: %v", err)
	}
	// A fresh run of the same experiment replaces them: nothing mixed.
	rep = execute(t, planOfBuild(CommandCompare, 6, "B"), Options{Out: part})
	if rep.Manifest.Build != "B" || rep.Manifest.MixedBuilds != nil {
		t.Errorf("fresh run: build %q, mixed %v", rep.Manifest.Build, rep.Manifest.MixedBuilds)
	}
}

// Merge combines only runs of one build, its own included.
func TestMergeRefusesMixedBuilds(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	execute(t, planOfBuild(CommandCompare, 4, "A"), Options{Out: a, Shard: Shard{1, 2}})
	execute(t, planOfBuild(CommandCompare, 4, "B"), Options{Out: b, Shard: Shard{2, 2}})
	_, err := Merge([]string{a, b}, filepath.Join(dir, "m"), MergeOptions{Build: "A"})
	if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "another build") {
		t.Fatalf("merge of two builds: %v", err)
	}
	execute(t, planOfBuild(CommandCompare, 4, "A"), Options{Out: b, Shard: Shard{2, 2}})
	if _, err := Merge([]string{a, b}, filepath.Join(dir, "m2"), MergeOptions{Build: "C"}); !errors.Is(err, ErrBadInput) {
		t.Fatalf("merge by a third build: %v", err)
	}
	rep, err := Merge([]string{a, b}, filepath.Join(dir, "m3"), MergeOptions{Build: "A"})
	if err != nil || rep.Manifest.Build != "A" || rep.Manifest.MixedBuilds != nil {
		t.Fatalf("merge of one build: %v %+v", err, rep)
	}
	rep, err = Merge([]string{a, b}, filepath.Join(dir, "m4"), MergeOptions{Build: "C", AllowMixedBuilds: true})
	if err != nil || !slices.Equal(rep.Manifest.MixedBuilds, []string{"A", "C"}) {
		t.Fatalf("allowed merge: %v %v", err, rep.Manifest.MixedBuilds)
	}
}
