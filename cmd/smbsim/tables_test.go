package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

func TestShockOf(t *testing.T) {
	for _, c := range []struct {
		name string
		want int
	}{
		{"shock1_fail_share", 1},
		{"shock12_pre_alive", 12},
		{"shock_target_share", 0},
		{"shock1", 0},
		{"shock1x_fail", 0},
		{"final_alive", 0},
		{"mean_margin", 0},
	} {
		if got := shockOf(c.name); got != c.want {
			t.Errorf("shockOf(%q) = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestRunTableGroupsShocks checks that the run table heads each shock's
// measures with the shock's kind and tick, and leaves no trailing blanks.
func TestRunTableGroupsShocks(t *testing.T) {
	ms := func(v float64) results.MeasureStats {
		return results.MeasureStats{N: 2, Mean: results.Number(v), CILow: results.Number(v), CIHigh: results.Number(v)}
	}
	s := &results.Summary{Scenario: "two-shocks",
		Shocks: []results.ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 150, Duration: 50, Label: "demand shift"},
			{Index: 2, Kind: "regulation", Tick: 450}},
		Variants: []results.VariantSummary{{Name: "two-shocks", Runs: 2, Measures: map[string]results.MeasureStats{
			"final_alive": ms(900), "shock1_fail_share": ms(0.3), "shock2_fail_share": ms(0.2)}}}}
	var b strings.Builder
	runTable(&b, s)
	out := b.String()
	i1 := strings.Index(out, "\nshock 1 — demand shift (tick 150 for 50)\nshock1_fail_share ")
	i2 := strings.Index(out, "\nshock 2 — regulation (tick 450)\nshock2_fail_share ")
	if i1 < 0 || i2 < i1 || strings.Index(out, "final_alive") > i1 {
		t.Errorf("shock groups missing or out of order:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing blanks: %q", line)
		}
	}
}

// TestLastKeyMeasure checks that the compare table's whole-run rows end
// with the mean margin of a market, and with the final mean fitness of a
// payoff-only run (lazer-friedman: diversity ends at 1 and fitness is
// the result).
func TestLastKeyMeasure(t *testing.T) {
	ms := func(v float64) results.MeasureStats {
		return results.MeasureStats{N: 2, Mean: results.Number(v), CILow: results.Number(v), CIHigh: results.Number(v)}
	}
	nan := results.MeasureStats{N: 2, Mean: results.Number(math.NaN()), CILow: results.Number(math.NaN()), CIHigh: results.Number(math.NaN())}
	for _, tc := range []struct {
		name     string
		measures map[string]results.MeasureStats
		want     string
	}{
		{"market", map[string]results.MeasureStats{"mean_margin": ms(0.3), "final_mean_fitness": ms(0.6)}, "mean_margin"},
		{"payoff-only", map[string]results.MeasureStats{"mean_margin": nan, "final_mean_fitness": ms(0.76)}, "final_mean_fitness"},
	} {
		s := &results.Summary{Variants: []results.VariantSummary{{Name: "linear", Measures: tc.measures}, {Name: "complete", Measures: tc.measures}}}
		rows := keyRows(s)
		if got := rows[len(rows)-1].names[0]; got != tc.want {
			t.Errorf("%s: last row %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDownturnCashRows checks that a downturn's rows in the compare table
// show the excess failures of the quarters with the least and the most
// cash at the shock, and other shocks' rows do not.
func TestDownturnCashRows(t *testing.T) {
	ms := results.MeasureStats{N: 2, Mean: 0.1, CILow: 0.1, CIHigh: 0.1}
	measures := map[string]results.MeasureStats{"shock1_excess_fail_share": ms, "shock1_excess_fail_cash_q1": ms, "shock1_excess_fail_cash_q4": ms,
		"shock2_excess_fail_share": ms, "shock2_excess_fail_cash_q1": ms, "shock2_excess_fail_cash_q4": ms}
	s := &results.Summary{Shocks: []results.ShockInfo{{Index: 1, Kind: "downturn", Tick: 250}, {Index: 2, Kind: "demand_shift", Tick: 400}},
		Variants: []results.VariantSummary{{Name: "a", Measures: measures}, {Name: "b", Measures: measures}}}
	var got []string
	for _, r := range keyRows(s) {
		if len(r.names) > 0 && strings.Contains(r.names[0], "cash") {
			got = append(got, r.names[0])
		}
	}
	if want := []string{"shock1_excess_fail_cash_q1", "shock1_excess_fail_cash_q4"}; !slices.Equal(got, want) {
		t.Errorf("cash rows %v, want %v", got, want)
	}
}

// TestTablesGolden pins the terminal tables (the headline included) of
// real results: summary.json of built-ins run with 3 seeds (per-seed
// values and the rank tests left out), printed by the table of their
// command. Regenerate with go test ./cmd/smbsim -run TablesGolden -update.
func TestTablesGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/tables/*/summary.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no summaries in testdata/tables: %v", err)
	}
	for _, f := range dirs {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			s, err := results.ReadSummary(dir)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			switch {
			case s.Command == "sweep":
				sweepTable(&b, s)
			case len(s.Variants) > 1:
				compareTable(&b, s)
			default:
				runTable(&b, s)
			}
			golden := filepath.Join(dir, "tables.golden")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/smbsim -run TablesGolden -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("tables differ from %s (if intended, rerun with -update):\n%s", golden, got)
			}
		})
	}
}
