// Package plots draws smbsim's charts from a results directory (the CSV and
// JSON files the experiment commands write, see docs/outputs.md), read
// only through package results, never from engine internals.
//
// [ReadDir] reads a results directory into [Results]; [Charts] builds every
// chart the data supports; [RenderDir] does both and writes the charts
// into dir/charts as PNG, SVG and PDF. Variants keep one colour (from the
// Okabe–Ito palette, by variant order) across all charts of a run.
package plots

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/smbsim/smbsim/results"
)

// Options controls rendering.
type Options struct {
	Formats []string // any of "png", "svg", "pdf"; empty means all three
	DPI     int      // PNG resolution; 0 means the projector-friendly default (DefaultDPI: 1600×900 px)
	// Diversity is the metric of the diversity chart: "effective_strategies"
	// (default) or "entropy_bits".
	Diversity string
	// SweepMeasure is the measure of the sweep chart; empty means final
	// diversity, the failure share after the first shock and the mean margin.
	SweepMeasure string
}

// ErrFormat is returned for a chart format other than png, svg and pdf.
var ErrFormat = errors.New("unknown chart format")

// Formats are the chart file formats RenderDir writes by default.
var Formats = []string{"png", "svg", "pdf"}

// chartTable is every chart, in drawing order: its name, which is its
// file name (charts/<name>.svg) and the name the report and the docs use,
// written here only; and its builder, which returns nil when the results
// do not support the chart.
var chartTable = [...]struct {
	name  string
	build func(*Results, Options) *Chart
}{
	{"diversity", diversityChart},
	{"fitness", func(r *Results, _ Options) *Chart { return fitnessChart(r) }},
	{"regions", func(r *Results, _ Options) *Chart { return regionsChart(r) }},
	{"survival", func(r *Results, _ Options) *Chart { return survivalChart(r) }},
	{"survival_by_type", func(r *Results, _ Options) *Chart { return survivalByTypeChart(r) }},
	{"cohort_survival", func(r *Results, _ Options) *Chart { return cohortSurvivalChart(r) }},
	{"takeover", func(r *Results, _ Options) *Chart { return takeoverChart(r) }},
	{"platforms", func(r *Results, _ Options) *Chart { return platformsChart(r) }},
	{"shares", func(r *Results, _ Options) *Chart { return sharesChart(r) }},
	{"market_health", func(r *Results, _ Options) *Chart { return marketHealthChart(r) }},
	{"comparison", func(r *Results, _ Options) *Chart { return comparisonChart(r) }},
	{"excess", func(r *Results, _ Options) *Chart { return excessChart(r) }},
	{"shocks", func(r *Results, _ Options) *Chart { return shocksChart(r) }},
	{"fragility", func(r *Results, _ Options) *Chart { return fragilityChart(r) }},
	{"tails", func(r *Results, _ Options) *Chart { return tailsChart(r) }},
	{"sweep", sweepChart},
	{"sobol", func(r *Results, _ Options) *Chart { return sobolChart(r) }},
	{"morris", func(r *Results, _ Options) *Chart { return morrisChart(r) }},
	{"discovery", func(r *Results, _ Options) *Chart { return discoveryChart(r) }},
}

// ChartNames returns the names of all charts, in the order Charts returns
// them.
func ChartNames() []string {
	out := make([]string, len(chartTable))
	for i, c := range chartTable {
		out[i] = c.name
	}
	return out
}

// Charts builds every chart that the results support, in the order of
// ChartNames; charts whose data is absent are left out.
func Charts(r *Results, opts Options) []*Chart {
	var out []*Chart
	for _, c := range chartTable {
		if ch := c.build(r, opts); ch != nil {
			ch.Name = c.name
			out = append(out, ch)
		}
	}
	return out
}

// RenderDir reads the results in dir and writes every chart that the data
// supports into dir/charts, each file written under a temporary name and
// renamed. Chart files of the same formats left from an earlier render
// whose data is now absent are removed. It returns the paths written.
func RenderDir(dir string, opts Options) ([]string, error) {
	return RenderDirContext(context.Background(), dir, opts)
}

// RenderDirContext is [RenderDir] that stops when ctx is done (an
// interrupt), leaving the charts written so far, and returns ctx's error.
func RenderDirContext(ctx context.Context, dir string, opts Options) ([]string, error) {
	formats, err := checkFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	r, err := ReadDir(dir)
	if err != nil {
		return nil, err
	}
	charts := Charts(r, opts)
	out := filepath.Join(dir, results.DirCharts)
	if fi, err := os.Lstat(out); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link: smbsim never writes through a link in a results directory; remove it", out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("charts directory: %w", err)
	}
	removeChartTemps(out) // left by a killed plot
	var written []string
	made := map[string]bool{}
	for _, c := range charts {
		for _, f := range formats {
			path := filepath.Join(out, c.Name+"."+f)
			if err := ctx.Err(); err != nil {
				return written, err
			}
			if err := results.WriteFile(path, func(w io.Writer) error { return c.RenderContext(ctx, w, f, opts.DPI) }); err != nil {
				return written, fmt.Errorf("chart %s: %w", c.Name, err)
			}
			written = append(written, path)
			made[path] = true
		}
	}
	for _, name := range ChartNames() {
		for _, f := range formats {
			path := filepath.Join(out, name+"."+f)
			if !made[path] {
				if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
					return written, fmt.Errorf("remove stale chart: %w", err)
				}
			}
		}
	}
	return written, nil
}

// removeChartTemps removes the temporary files of charts in the charts
// directory out that a killed process left.
func removeChartTemps(out string) {
	for _, name := range ChartNames() {
		for _, f := range Formats {
			results.RemoveTemps(out, name+"."+f)
		}
	}
}

// RemoveCharts removes the charts (every chart name, in every format)
// and their temporary files from the results directory dir, and its
// charts directory if that is then empty: results drawn without charts
// keep none of an earlier experiment's. Other files are left.
func RemoveCharts(dir string) error {
	out := filepath.Join(dir, results.DirCharts)
	if fi, err := os.Lstat(out); err != nil || !fi.IsDir() {
		return nil // none, or a link or file that is not smbsim's to remove
	}
	removeChartTemps(out)
	for _, name := range ChartNames() {
		for _, f := range Formats {
			if err := os.Remove(filepath.Join(out, name+"."+f)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove old chart: %w", err)
			}
		}
	}
	os.Remove(out) // only if now empty
	return nil
}

func checkFormats(fs []string) ([]string, error) {
	if len(fs) == 0 {
		return Formats, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		f = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(f), "."))
		switch f {
		case "png", "svg", "pdf":
		default:
			return nil, fmt.Errorf("%w %q (want png, svg or pdf)", ErrFormat, f)
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}
