package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
