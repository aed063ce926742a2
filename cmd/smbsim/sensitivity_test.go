package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// A Morris screening and a Sobol' analysis run from the command line as
// sweeps: sensitivity.csv holds every parameter's indices with intervals
// and the seed share, the terminal ranks the parameters, and the file is
// byte-identical whatever the workers, and after shards and merge.
func TestSensitivitySweeps(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	vary := []string{"--vary", "biases.herding=0:1", "--vary", "market.crowding_penalty=0:0.2", "--vary", "population.initial_cash=4:12"}
	for _, c := range []struct {
		design  string
		extra   []string
		points  int
		indices []string
		head    string
	}{
		{"morris", []string{"--samples", "3", "--candidates", "6"}, 3 * 4, []string{"mu", "mu_star", "sigma"}, "Morris screening: 12 points × 2 seeds"},
		{"sobol", []string{"--samples", "4", "--second-order"}, 4 * 8, []string{"S1", "ST", "S2"}, "Sobol' analysis: 32 points × 2 seeds"},
	} {
		t.Run(c.design, func(t *testing.T) {
			out := filepath.Join(dir, c.design)
			base := args("sweep", "baseline", "--design", c.design, c.extra, vary, "--seeds", "2", "--no-charts", small)
			r := mustRun(t, args(base, "--out", out, "--workers", "2")...)
			for _, want := range []string{c.head, "rank  parameter", "biases.herding", "% of the runs' variance is between seeds", "sensitivity.csv"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
				}
			}
			rows, _, err := results.ReadRows[results.SensitivityRow](out, results.Layout{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			for _, row := range rows {
				seen[row.Index]++
				if row.Measure == "final_alive" && row.Index != results.IndexSeedShare && row.Index != results.IndexS2 &&
					!(row.CILow <= row.Value && row.Value <= row.CIHigh) {
					t.Errorf("%+v: value outside its interval", row)
				}
			}
			for _, ix := range append(c.indices, results.IndexSeedShare) {
				if seen[ix] == 0 {
					t.Errorf("no %s rows in sensitivity.csv", ix)
				}
			}
			m := readManifest(t, out)
			if m.Plan.Design == nil || m.Plan.Design.Method != c.design || len(m.Plan.Variants) != c.points {
				t.Fatalf("manifest design %+v, %d points; want %s with %d", m.Plan.Design, len(m.Plan.Variants), c.design, c.points)
			}
			if _, err := os.Stat(filepath.Join(out, results.FileTests)); err == nil {
				if b, _ := os.ReadFile(filepath.Join(out, results.FileTests)); strings.Count(string(b), "\n") > 1 {
					t.Error("a sensitivity design wrote pairwise tests between its points")
				}
			}
			want, _ := os.ReadFile(filepath.Join(out, results.FileSensitivity))
			one := filepath.Join(dir, c.design+"-1")
			mustRun(t, args(base, "--out", one, "--workers", "1", "--quiet")...)
			if got, _ := os.ReadFile(filepath.Join(one, results.FileSensitivity)); string(got) != string(want) {
				t.Error("sensitivity.csv differs between 1 and 2 workers")
			}
			var shards []string
			for i := 1; i <= 2; i++ {
				d := filepath.Join(dir, c.design+"-shard"+string(rune('0'+i)))
				mustRun(t, args(base, "--out", d, "--shard", string(rune('0'+i))+"/2", "--quiet")...)
				if _, err := os.Stat(filepath.Join(d, results.FileSensitivity)); err == nil {
					t.Errorf("shard %d wrote sensitivity.csv from half the runs", i)
				}
				shards = append(shards, d)
			}
			// Charts and report: the design's chart, and the report's
			// ranking section.
			mustRun(t, "plot", out, "--format", "svg")
			if _, err := os.Stat(filepath.Join(out, "charts", c.design+".svg")); err != nil {
				t.Errorf("no %s chart: %v", c.design, err)
			}
			mustRun(t, "report", out)
			if b, _ := os.ReadFile(filepath.Join(out, "report.html")); !strings.Contains(string(b), "Sensitivity: which parameters matter") || !strings.Contains(string(b), "ranks first") {
				t.Error("report lacks the sensitivity section")
			}
			merged := filepath.Join(dir, c.design+"-merged")
			mustRun(t, append([]string{"merge", "--out", merged, "--no-charts", "--quiet"}, shards...)...)
			if got, _ := os.ReadFile(filepath.Join(merged, results.FileSensitivity)); string(got) != string(want) {
				t.Error("merged shards' sensitivity.csv differs from the single run's")
			}
		})
	}
}

func TestSensitivityErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"step range", []string{"--design", "sobol", "--vary", "biases.herding=0:1:0.1"}, []string{"low:high"}},
		{"string key", []string{"--design", "morris", "--vary", "network.kind=0:1"}, []string{"network.kind", "not a number"}},
		{"odd levels", []string{"--design", "morris", "--levels", "3", "--vary", "biases.herding=0:1"}, []string{"--levels 3", "even"}},
		{"few samples", []string{"--design", "sobol", "--samples", "1", "--vary", "biases.herding=0:1"}, []string{"--samples 1"}},
		{"few candidates", []string{"--design", "morris", "--samples", "10", "--candidates", "5", "--vary", "biases.herding=0:1"}, []string{"--candidates 5"}},
		{"bad value", []string{"--design", "morris", "--vary", "biases.herding=0:7"}, []string{"biases.herding"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := smbsim(t, args("sweep", "testdata/small.toml", c.args, "--dry-run")...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

// smbsim discover finds a PRIM box over a sweep's runs, writes the
// trajectory and the box, and the report says where the condition holds.
func TestDiscover(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "lhs")
	mustRun(t, args("sweep", "baseline", "--design", "lhs", "--samples", "12", "--vary", "biases.herding=0:1:0.05", "--vary", "market.crowding_penalty=0:0.2:0.01",
		"--seeds", "2", "--no-charts", "-q", "--out", out, small)...)
	// The condition holds exactly where herding ≥ 0.5: the box must
	// restrict herding alone, from below, with full coverage and density.
	r := mustRun(t, "discover", out, "--where", "final_effective_strategies < 1000", "--where", "biases.herding >= 0.5")
	for _, want := range []string{"holds mostly where biases.herding ≥", "coverage 1.00", "density 1.00"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	box, _, err := results.ReadRows[results.DiscoveryBoxRow](out, results.Layout{})
	if err != nil || len(box) != 2 {
		t.Fatalf("discovery_box.csv: %v, %d rows", err, len(box))
	}
	for _, b := range box {
		if b.Restricted != (b.Parameter == "biases.herding") {
			t.Errorf("%s restricted = %v", b.Parameter, b.Restricted)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "report.html")); !strings.Contains(string(b), "Scenario discovery") {
		t.Error("report lacks the discovery section")
	}
	if _, err := os.Stat(filepath.Join(out, "charts", "discovery.svg")); err != nil {
		t.Errorf("no discovery chart: %v", err)
	}
	for _, c := range []struct{ where, want string }{
		{"no_such > 1", "neither a measure nor a swept parameter"},
		{"final_alive ~ 3", "want a measure or parameter"},
		{"final_alive < -1", "holds at no point"},
	} {
		if r := smbsim(t, "discover", out, "--where", c.where, "--no-charts"); r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("--where %q: exit %d, stderr %q; want 2 and %q", c.where, r.code, r.stderr, c.want)
		}
	}
}

// Every compare says whether its seeds suffice; --seeds auto adds seeds
// until the headline intervals are within --precision (or the cap), the
// same seeds whatever the workers.
func TestSeedGuidance(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	r := mustRun(t, args("compare", "testdata/mixes.toml", "--seeds", "3", "--no-charts", "--out", filepath.Join(dir, "c"))...)
	for _, want := range []string{"Do 3 seeds suffice?", "of the mean", "seeds"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("compare stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "do NOT suffice") && !strings.Contains(r.stdout, "suffice for the headline measures") {
		t.Errorf("no verdict on the seeds:\n%s", r.stdout)
	}
	var seeds []string
	for _, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "auto"+w)
		r := mustRun(t, args("compare", "testdata/mixes.toml", "--seeds", "auto", "--precision", "0.6", "--max-seeds", "9", "--no-charts", "--workers", w, "--out", out)...)
		if !strings.Contains(r.stderr, "--seeds auto: ") {
			t.Errorf("--seeds auto says nothing:\n%s", r.stderr)
		}
		m := readManifest(t, out)
		if len(m.Seeds) < 5 || len(m.Seeds) > 9 {
			t.Errorf("--seeds auto ran %d seeds, want 5 to 9", len(m.Seeds))
		}
		seeds = append(seeds, fmt.Sprint(m.Seeds))
	}
	if seeds[0] != seeds[1] {
		t.Errorf("--seeds auto chose %s with 1 worker and %s with 2", seeds[0], seeds[1])
	}
	for _, bad := range [][]string{{"--seeds", "many"}, {"--seeds", "auto", "--shard", "1/2"}, {"--precision", "0"}} {
		if r := smbsim(t, args("compare", "testdata/mixes.toml", bad, "--no-charts", "--out", filepath.Join(dir, "bad"))...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", bad, r.code, r.stderr)
		}
	}
}
