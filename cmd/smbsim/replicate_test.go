package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/replicate"
)

// TestReplicate runs the replicate command as a user would: --list names
// every replication, an unknown name is bad usage, and a replication at
// the tests' size prints ours beside the published figures, writes its
// chart and exits 0; with --markdown it prints the doc's section.
func TestReplicate(t *testing.T) {
	r := mustRun(t, "replicate", "--list")
	for _, name := range []string{"axelrod-1997", "castellano-2000", "lazer-friedman-2007", "bls-survival"} {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("--list lacks %s:\n%s", name, r.stdout)
		}
	}
	if r := smbsim(t, "replicate", "axelrod-1979"); r.code != exitUsage || !strings.Contains(r.stderr, "axelrod-1997") {
		t.Errorf("unknown replication: exit %d, stderr %q; want exit 2 naming the replications", r.code, r.stderr)
	}
	dir := t.TempDir()
	r = mustRun(t, "replicate", "bls-survival", "--size", "tiny", "--out", dir)
	for _, want := range []string{"entrant survival at 60 months", "0.496", "hazard in year 1 of age", "band:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, f := range []string{"bls-survival.png", "bls-survival.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("chart %s not written: %v", f, err)
		}
	}
	r = mustRun(t, "replicate", "bls-survival", "--size", "tiny", "--out", dir, "--markdown")
	if !strings.HasPrefix(r.stdout, "### bls-survival\n") || !strings.Contains(r.stdout, "| quantity | ours | published | test | in band |") {
		t.Errorf("--markdown output:\n%s", r.stdout)
	}
}

// smbsim replicate --shard i/n writes each shard's runs, and smbsim merge
// of the shard directories prints the tables and draws the charts of one
// unsharded run, byte for byte; --dry-run counts the runs, --resume of a
// finished shard runs nothing, and a missing shard is bad usage.
func TestReplicateShards(t *testing.T) {
	dir := t.TempDir()
	base := []string{"replicate", "axelrod-1997", "lazer-friedman-2007", "--size", "tiny", "--workers", "2"}
	one := mustRun(t, append(base, "--out", filepath.Join(dir, "one"))...)
	r := mustRun(t, append(base, "--dry-run", "--out", filepath.Join(dir, "x"))...)
	for _, want := range []string{"replication: axelrod-1997, 720 runs", "replication: lazer-friedman-2007, 40 runs", "runs: 760\n", "out: " + filepath.Join(dir, "x") + "\n", "charts: yes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--dry-run lacks %q:\n%s", want, r.stdout)
		}
	}
	var shards []string
	for i := 1; i <= 3; i++ {
		d := filepath.Join(dir, "s", string(rune('0'+i)))
		shards = append(shards, d)
		mustRun(t, append(base, "--shard", string(rune('0'+i))+"/3", "--out", d)...)
	}
	if r := mustRun(t, append(base, "--shard", "3/3", "--out", shards[2], "--resume")...); !strings.Contains(r.stdout, "already holds its runs") {
		t.Errorf("--resume of a finished shard: %s", r.stdout)
	}
	if r := smbsim(t, "merge", shards[0], shards[1], "--out", filepath.Join(dir, "m")); r.code != exitUsage || !strings.Contains(r.stderr, "shard 3 of 3 is missing") {
		t.Errorf("merge without shard 3: exit %d\n%s", r.code, r.stderr)
	}
	merged := filepath.Join(dir, "merged")
	m := mustRun(t, append([]string{"merge"}, append(shards, "--out", merged)...)...)
	noCharts := func(s string) string {
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, "chart: ") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if noCharts(m.stdout) != noCharts(one.stdout) || !strings.Contains(m.stdout, "4 → 8 neighbours") {
		t.Errorf("merged tables differ from one run:\n%s\n---- one run:\n%s", m.stdout, one.stdout)
	}
	for _, f := range []string{"axelrod-1997.png", "axelrod-1997.svg", "lazer-friedman-2007.png", "lazer-friedman-2007.svg"} {
		a, err1 := os.ReadFile(filepath.Join(dir, "one", f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil || string(a) != string(b) {
			t.Errorf("%s differs between one run and the merged shards (%v, %v)", f, err1, err2)
		}
	}
	if r := smbsim(t, "replicate", "--resume"); r.code != exitUsage {
		t.Errorf("--resume without --shard: exit %d", r.code)
	}
}

// A result outside its band: the table marks it OUT, the charts are
// still written, and smbsim replicate exits 1 naming the replication; so
// does the merge of its shards. The replication is bls-survival at the
// tests' size with its first check pushed out of its band.
func TestReplicateOutOfBandExits1(t *testing.T) {
	bls, err := replicate.Find(replicate.All(), "bls-survival")
	if err != nil {
		t.Fatal(err)
	}
	run := bls.Run
	bls.Run = func(ctx context.Context, o replicate.Options) (*replicate.Result, error) {
		res, err := run(ctx, o)
		if err == nil && len(res.Checks) > 0 {
			res.Checks[0].Pass = false
		}
		return res, err
	}
	setSeams(t, func(s *seams) { s.replications = []replicate.Replication{bls} })
	dir := t.TempDir()
	r := smbsim(t, "replicate", "--size", "tiny", "--out", filepath.Join(dir, "one"))
	if r.code != exitFailure || !strings.Contains(r.stderr, "results outside their band: [bls-survival (1 of ") {
		t.Errorf("exit %d, stderr %q: want 1 and the replication named", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "  OUT  entrant survival at 12 months") {
		t.Errorf("the table does not mark the check OUT:\n%s", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "one", "bls-survival.png")); err != nil {
		t.Errorf("chart not written: %v", err)
	}
	var shards []string
	for _, s := range []string{"1/2", "2/2"} {
		d := filepath.Join(dir, "s"+s[:1])
		mustRun(t, "replicate", "--size", "tiny", "--shard", s, "--out", d)
		shards = append(shards, d)
	}
	if m := smbsim(t, append([]string{"merge"}, append(shards, "--out", filepath.Join(dir, "m"))...)...); m.code != exitFailure || !strings.Contains(m.stderr, "outside their band") {
		t.Errorf("merge: exit %d, stderr %q: want 1", m.code, m.stderr)
	}
}
