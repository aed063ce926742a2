package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotAndReport runs a small experiment without charts, then redraws
// them with plot and writes the report.
func TestPlotAndReport(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	mustRun(t, "run", "--seeds", "2", "--ticks", "80", "--set", "population.firms=60", "--set", "shocks[1].tick=40", "--out", out, "--no-charts", "-q")
	if _, err := os.Stat(filepath.Join(out, "charts")); err == nil {
		t.Fatal("--no-charts drew charts")
	}

	r := mustRun(t, "plot", out, "--format", "svg,png", "--dpi", "80")
	if !strings.Contains(r.stdout, "charts") {
		t.Errorf("plot output: %q", r.stdout)
	}
	for _, name := range []string{"diversity", "survival", "market_health"} {
		for _, ext := range []string{"svg", "png"} {
			if _, err := os.Stat(filepath.Join(out, "charts", name+"."+ext)); err != nil {
				t.Errorf("plot: %v", err)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "charts", name+".pdf")); err == nil {
			t.Errorf("plot --format svg,png wrote %s.pdf", name)
		}
	}

	r = mustRun(t, "report", out)
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "Findings") {
		t.Errorf("report.html lacks charts or findings")
	}
	if !strings.Contains(r.stdout, "report.html") {
		t.Errorf("report output: %q", r.stdout)
	}
}

func TestPlotReportUsageErrors(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(empty, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plot"}, "want one results directory"},
		{[]string{"plot", filepath.Join(empty, "missing")}, "does not exist"},
		{[]string{"plot", file}, "not a directory"},
		{[]string{"plot", empty}, "no smbsim results"},
		{[]string{"plot", empty, "--diversity", "bits"}, "--diversity"},
		{[]string{"report"}, "want one results directory"},
		{[]string{"report", filepath.Join(empty, "missing")}, "does not exist"},
		{[]string{"report", empty}, "no smbsim results"},
	} {
		r := smbsim(t, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("smbsim %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), r.code, r.stderr, exitUsage, tc.want)
		}
	}
}
