package report_test

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/report"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// TestEndToEnd runs the experiment layer with the real model (small) for
// each command, reads the directory back through package results, and
// draws every chart and the report from it. Seeds start above
// math.MaxInt64: seeds are uint64 from the engine to the charts.
func TestEndToEnd(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Population.Firms = 60
	cfg.Ticks = 80
	cfg.Shocks = []sim.Shock{{Kind: sim.DemandShift, Tick: 40, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1}}
	imit := cfg
	imit.Biases.Herding = 0.8
	seeds := []uint64{math.MaxInt64, math.MaxInt64 + 1}
	plans := map[string]*experiment.Plan{
		experiment.CommandRun: {Command: experiment.CommandRun, Scenario: "e2e",
			Variants: []experiment.Variant{{Name: "e2e", Config: cfg}}},
		experiment.CommandCompare: {Command: experiment.CommandCompare, Scenario: "e2e-compare", Focus: "herd",
			Variants: []experiment.Variant{{Name: "base", Config: cfg}, {Name: "herd", Config: imit}}},
		experiment.CommandSweep: {Command: experiment.CommandSweep, Scenario: "e2e-sweep", Params: []string{"biases.herding"},
			Variants: []experiment.Variant{{Name: "p001", Config: cfg, Values: []string{"0.3"}}, {Name: "p002", Config: imit, Values: []string{"0.8"}}}},
	}
	wantCharts := map[string][]string{
		experiment.CommandRun:     {"diversity", "survival", "fragility"},
		experiment.CommandCompare: {"diversity", "survival", "comparison", "fragility"},
		experiment.CommandSweep:   {"diversity", "survival", "sweep"},
	}
	for cmd, p := range plans {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			p.Seeds, p.Every, p.ScenarioTOML = seeds, 4, []byte("name = \""+p.Scenario+"\"\n[simulation]\nticks = 80\n")
			dir := filepath.Join(t.TempDir(), cmd)
			if _, err := experiment.Execute(context.Background(), p, experiment.Options{Out: dir, Workers: 2}); err != nil {
				t.Fatal(err)
			}
			d, err := results.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if d.Manifest == nil || !d.Manifest.Complete() || !slices.Equal(d.Summary.Seeds, seeds) ||
				len(d.Timeseries) == 0 || d.Timeseries[0].Seed != seeds[0] || len(d.Stats) == 0 || len(d.Survival) == 0 ||
				len(d.Runs) == 0 || len(d.Comparison) == 0 || len(d.Strategies) == 0 {
				t.Fatalf("results read back incompletely: manifest %+v, %d timeseries rows", d.Manifest, len(d.Timeseries))
			}
			if (cmd != experiment.CommandRun) != (len(d.Tests) > 0) || (cmd == experiment.CommandSweep) != (len(d.Sweep) > 0) {
				t.Errorf("tests.csv: %d rows, sweep.csv: %d rows", len(d.Tests), len(d.Sweep))
			}

			r, err := plots.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var drawn []string
			for _, c := range plots.Charts(r, plots.Options{}) {
				var buf bytes.Buffer
				if err := c.Render(&buf, "svg", 0); err != nil {
					t.Errorf("chart %s: %v", c.Name, err)
				}
				if !strings.Contains(buf.String(), "<svg") {
					t.Errorf("chart %s: no SVG", c.Name)
				}
				drawn = append(drawn, c.Name)
			}
			for _, name := range wantCharts[cmd] {
				if !slices.Contains(drawn, name) {
					t.Errorf("chart %s not drawn (drawn: %v)", name, drawn)
				}
			}
			var html bytes.Buffer
			if err := report.Render(&html, r, plots.Options{}); err != nil {
				t.Fatal(err)
			}
			title := map[string]string{
				experiment.CommandRun:     "<h1>smbsim report: e2e</h1>",
				experiment.CommandCompare: "<h1>smbsim comparison: e2e-compare (2 variants)</h1>",
				experiment.CommandSweep:   "<h1>smbsim sweep of e2e-sweep: 2 points over biases.herding</h1>",
			}[cmd]
			wants := []string{title, "seeds: 2 per variant", `id="chart-diversity"`}
			if cmd == experiment.CommandCompare {
				// The answer puts the tail beside the mean and says where
				// the focus contrast holds (horizons, bases).
				wants = append(wants, "Averages hide joint failures: herd lost ", "of seeds (base ",
					"Where it holds, “herd” − “base”: share of firms: ")
			}
			for _, want := range wants {
				if !strings.Contains(html.String(), want) {
					t.Errorf("report lacks %q", want)
				}
			}
		})
	}
}
