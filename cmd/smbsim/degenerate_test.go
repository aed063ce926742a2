package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/smbsim/smbsim/plots"
)

// chartDeadline is how long one chart may take to draw in the
// degenerate-data tests: far more than any chart needs (well under a
// second), so that only a hang fails it.
const chartDeadline = 60 * time.Second

// degrade rewrites every CSV file of dir: each cell holding a decimal
// number becomes value ("NaN", "+Inf", …), or with keep ≥ 0 every file
// keeps only its header and its first keep data rows.
func degrade(t *testing.T, dir, value string, keep int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if keep >= 0 && len(rows) > keep+1 {
			rows = rows[:keep+1]
		}
		if value != "" {
			for _, row := range rows[1:] {
				for i, cell := range row {
					if _, err := strconv.ParseFloat(cell, 64); err == nil && strings.ContainsAny(cell, ".eE") {
						row[i] = value
					}
				}
			}
		}
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyDir copies the files of src (not its subdirectories) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// renderWithin draws c as PNG, failing the test (instead of hanging it)
// when drawing takes longer than chartDeadline.
func renderWithin(t *testing.T, c *plots.Chart) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- panicError{p}
			}
		}()
		done <- c.Render(io.Discard, "png", 24)
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("chart %s: %v", c.Name, err)
		}
	case <-time.After(chartDeadline):
		t.Fatalf("chart %s: still drawing after %v (a hang)", c.Name, chartDeadline)
	}
}

type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprint("panic: ", p.v) }

// TestChartsFiniteForAnyData draws every chart over real results whose
// numbers were replaced by NaN, +Inf, −Inf or 1e300, cut to one row per
// file or to none: drawing must end (each chart within a deadline) and
// not panic. The experiments together draw every chart smbsim has,
// among them a comparison of scenarios with different shocks (the
// shock battery against baseline), whose comparison chart once hung.
func TestChartsFiniteForAnyData(t *testing.T) {
	skipWithoutEngine(t)
	if testing.Short() {
		t.Skip("runs three small experiments")
	}
	root := t.TempDir()
	experiments := map[string][]string{
		"battery-vs-baseline": {"compare", "shock-battery", "baseline", "--seeds", "2", "--set", "population.firms=60"},
		"sweep":               {"sweep", "baseline", "--vary", "biases.herding=0,1", "--seeds", "2", "--ticks", "350", "--set", "population.firms=60"},
		"axelrod":             {"run", "axelrod", "--seeds", "2", "--ticks", "200", "--set", "output.every=20"},
		"morris": {"sweep", "baseline", "--design", "morris", "--samples", "2", "--vary", "biases.herding=0:1", "--vary", "market.drift=0:0.02",
			"--seeds", "2", "--ticks", "350", "--set", "population.firms=60"},
		"sobol": {"sweep", "baseline", "--design", "sobol", "--samples", "2", "--vary", "biases.herding=0:1", "--vary", "market.drift=0:0.02",
			"--seeds", "2", "--ticks", "350", "--set", "population.firms=60"},
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range experiments {
			if !yield(k) {
				return
			}
		}
	})
	covered := map[string]bool{}
	modes := []struct {
		name  string
		value string
		keep  int
	}{
		{"nan", "NaN", -1}, {"+inf", "+Inf", -1}, {"-inf", "-Inf", -1}, {"huge", "1e300", -1},
		{"one-row", "", 1}, {"empty", "", 0},
	}
	for _, name := range names {
		src := filepath.Join(root, name)
		mustRun(t, append(experiments[name], "--out", src, "--no-charts", "-q")...)
		if name == "sobol" { // and a PRIM run over its runs, for the discovery chart
			mustRun(t, "discover", src, "--where", "final_effective_strategies < 1000", "--no-charts", "-q")
		}
		r, err := plots.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range plots.Charts(r, plots.Options{}) {
			covered[c.Name] = true
		}
		for _, m := range modes {
			t.Run(name+"/"+m.name, func(t *testing.T) {
				dir := filepath.Join(root, name+"-"+m.name)
				copyDir(t, src, dir)
				degrade(t, dir, m.value, m.keep)
				r, err := plots.ReadDir(dir)
				if err != nil {
					t.Skipf("unreadable after degrading (an error, not a hang): %v", err)
				}
				for _, c := range plots.Charts(r, plots.Options{}) {
					t.Run(c.Name, func(t *testing.T) { renderWithin(t, c) })
				}
			})
		}
	}
	for _, c := range plots.ChartNames() {
		if !covered[c] {
			t.Errorf("chart %s is drawn by none of the experiments: it is not tested over degenerate data", c)
		}
	}
}

// TestInterruptStopsDrawing checks that drawing stops when the context
// is done: RenderContext returns the context's error.
func TestInterruptStopsDrawing(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	mustRun(t, "run", "baseline", "--seeds", "1", "--ticks", "350", "--set", "population.firms=60", "--out", dir, "--no-charts", "-q")
	r, err := plots.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range plots.Charts(r, plots.Options{}) {
		if err := c.RenderContext(ctx, io.Discard, "png", 0); err != context.Canceled {
			t.Errorf("chart %s: RenderContext after an interrupt = %v, want context.Canceled", c.Name, err)
		}
	}
	if _, err := plots.RenderDirContext(ctx, dir, plots.Options{}); err != context.Canceled {
		t.Errorf("RenderDirContext after an interrupt = %v, want context.Canceled", err)
	}
}

// TestCompareDifferentShocks compares scenarios whose shocks differ (the
// shock battery against baseline): a shock is tested only between
// variants that had it, each variant's shocks are in summary.json, the
// chart labels each shock with its own tick, and the tables fit 120
// columns.
func TestCompareDifferentShocks(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	r := mustRun(t, "compare", "shock-battery", "baseline", "--seeds", "2", "--set", "population.firms=60", "--out", dir, "--no-charts")
	res, err := plots.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range res.Summary.Tests {
		if strings.HasPrefix(tt.Measure, "shock") {
			t.Errorf("tests.csv tests %s between %s and %s, which had different shocks", tt.Measure, tt.VariantA, tt.VariantB)
		}
	}
	if v := res.Summary.Variants; len(v) != 2 || len(v[0].Shocks) != 5 || len(v[1].Shocks) != 1 || v[1].Shocks[0].Tick != 300 {
		t.Errorf("summary.json's variants do not hold their own shocks: %+v", v)
	}
	var cmp *plots.Chart
	for _, c := range plots.Charts(res, plots.Options{}) {
		if c.Name == "comparison" {
			cmp = c
		}
	}
	if cmp == nil {
		t.Fatal("no comparison chart")
	}
	titles := strings.Join(cmp.PanelTitles(), "\n")
	for _, want := range []string{"demand shift hit (tick 150)", "demand shift hit (tick 300)"} {
		if !strings.Contains(titles, want) {
			t.Errorf("comparison chart has no panel %q:\n%s", want, titles)
		}
	}
	checkWidth(t, r.stdout)
}

// checkWidth fails for a table line (one with two spaces between cells)
// wider than the terminal tables' width.
func checkWidth(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(strings.TrimSpace(line), "  ") && utf8.RuneCountInString(line) > tableWidth {
			t.Errorf("table line of %d columns (want ≤ %d): %s", utf8.RuneCountInString(line), tableWidth, line)
		}
	}
}
