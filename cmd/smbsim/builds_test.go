package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// withBuild makes the program's runs those of the named build.
func withBuild(t *testing.T, build string) {
	setSeams(t, func(s *seams) { s.build = func() string { return build } })
}

// The build is a hash of the executable: the same for every call.
func TestExecutableBuild(t *testing.T) {
	a, b := executableBuild(), executableBuild()
	if a != b || !strings.HasPrefix(a, "sha256:") || len(a) != len("sha256:")+32 {
		t.Errorf("executableBuild() = %q then %q", a, b)
	}
}

// --resume and merge refuse runs of another build (exit 2) unless
// --allow-mixed-builds, which manifest.json records.
func TestMixedBuildsRefused(t *testing.T) {
	dir := t.TempDir()
	args := []string{"run", "testdata/small.toml", "--seeds", "2", "--no-charts", "--quiet", "--detail", "full"} // complete results to resume
	s1, s2, out := filepath.Join(dir, "s1"), filepath.Join(dir, "s2"), filepath.Join(dir, "all")
	withBuild(t, "sha256:aaaa")
	mustRun(t, append(args, "--shard", "1/2", "--out", s1)...)
	mustRun(t, append(args, "--out", out)...)
	withBuild(t, "sha256:bbbb")
	mustRun(t, append(args, "--shard", "2/2", "--out", s2)...)
	r := smbsim(t, "merge", s1, s2, "--out", filepath.Join(dir, "m"), "--no-charts", "--quiet")
	if r.code != 2 || !strings.Contains(r.stderr, "--allow-mixed-builds") {
		t.Fatalf("merge of two builds: exit %d\n%s", r.code, r.stderr)
	}
	r = smbsim(t, append(args, "--out", out, "--resume")...)
	if r.code != 2 || !strings.Contains(r.stderr, "another build") {
		t.Fatalf("resume by another build: exit %d\n%s", r.code, r.stderr)
	}
	mustRun(t, "merge", s1, s2, "--out", filepath.Join(dir, "m"), "--no-charts", "--quiet", "--allow-mixed-builds")
	m, err := results.ReadManifest(filepath.Join(dir, "m"))
	if err != nil || strings.Join(m.MixedBuilds, ",") != "sha256:aaaa,sha256:bbbb" || m.Build != "sha256:bbbb" {
		t.Fatalf("merged manifest: build %q, mixed %v (%v)", m.Build, m.MixedBuilds, err)
	}
	mustRun(t, append(args, "--out", out, "--resume", "--allow-mixed-builds")...)
}

// A standard output closed early (smbsim run … | head) neither kills the
// program nor leaves the charts undrawn: the run exits 0 with complete
// results, charts and report.
func TestBrokenStdoutFinishes(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody reads: every write to stdout fails with EPIPE
	cmd := exec.Command(os.Args[0], "run", "testdata/small.toml", "--seeds", "2", "--out", out)
	cmd.Env = append(os.Environ(), "SMBSIM_TEST_MAIN=1")
	cmd.Stdout = w
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	w.Close()
	if err != nil {
		t.Fatalf("exit: %v\n%s", err, stderr.String())
	}
	m, err := results.ReadManifest(out)
	if err != nil || m.Status != results.StatusComplete {
		t.Fatalf("manifest: %v %v", m, err)
	}
	for _, f := range []string{"charts/diversity.png", results.FileReport} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}
