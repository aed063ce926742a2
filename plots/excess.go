package plots

import (
	"fmt"
	"math"
	"strings"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// excessBases are the counting bases of excess_stats.csv as the chart
// shows them: the basis, the panel title, the y axis and the factor from
// the file's value to the axis.
var excessBases = []struct {
	basis, title, short, ylabel string
	scale                       float64
}{
	{"share", "As a share of firms", "share of firms", "% of the firms in business", 100},
	{"firms", "As a number of firms", "firms", "Firms", 1},
	{"revenue", "As a share of revenue", "share of revenue", "% of their revenue", 100},
}

// excessChart draws each shock's effect over time from excess_stats.csv:
// one row per shock, one panel per counting basis, for each variant its
// mean excess failures (run − no-shock fork, cumulated since the shock)
// with the 95 % band across seeds; dotted vertical lines mark the
// horizons of the summary. Nil without effect curves.
func excessChart(r *Results) *Chart {
	if len(r.ExcessStats) == 0 {
		return nil
	}
	type key struct {
		variant, basis string
		shock          int
	}
	curves := map[key][]results.ExcessStatRow{}
	maxShock := 0
	for _, row := range r.ExcessStats {
		if row.Versus != "" {
			continue
		}
		k := key{row.Variant, row.Basis, row.Shock}
		curves[k] = append(curves[k], row)
		maxShock = max(maxShock, row.Shock)
	}
	var grid [][]*plot.Plot
	for s := 1; s <= maxShock; s++ {
		name := fmt.Sprintf("Shock %d", s)
		if s <= len(r.Shocks()) {
			name = r.Shocks()[s-1].Name()
		}

		var row []*plot.Plot
		for _, b := range excessBases {
			title := b.title
			if maxShock > 1 {
				title = strings.ToUpper(name[:1]) + name[1:] + ": " + b.short
			}
			p := newPanel(title, "Ticks since the shock (months)", b.ylabel)
			xmax := 0.0
			var lines []plot.Plotter
			for i, v := range r.Variants {
				rows := curves[key{v, b.basis, s}]
				if len(rows) == 0 {
					continue
				}
				x, mean, lo, hi := make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows)), make([]float64, len(rows))
				for j, row := range rows {
					x[j], mean[j] = float64(row.Ticks), row.Mean*b.scale
					lo[j], hi[j] = row.CILow*b.scale, row.CIHigh*b.scale
					xmax = math.Max(xmax, x[j])
				}
				if len(r.Variants) <= maxBandVariants {
					if band := bandPolygon(x, lo, hi, r.style(i).color); band != nil {
						p.Add(band)
					}
				}
				if l := r.styledLine(x, mean, i); l != nil {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				continue
			}
			zero, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: xmax, Y: 0}})
			zero.Color, zero.Width = darkGrey, vg.Points(0.6)
			p.Add(zero)
			p.Add(lines...)
			for _, h := range r.Summary.Horizons {
				if float64(h) <= xmax {
					l, _ := plotter.NewLine(plotter.XYs{{X: float64(h), Y: p.Y.Min}, {X: float64(h), Y: p.Y.Max}})
					l.Color, l.Width, l.Dashes = midGrey, vg.Points(0.8), []vg.Length{vg.Points(2), vg.Points(2)}
					p.Add(l)
				}
			}
			p.X.Min, p.X.Max = 0, xmax
			row = append(row, p)
		}
		if len(row) > 0 {
			grid = append(grid, row)
		}
	}
	if len(grid) == 0 {
		return nil
	}
	legend := variantLegend(r, func(v string) bool {
		for s := 1; s <= maxShock; s++ {
			if len(curves[key{v, "share", s}]) > 0 {
				return true
			}
		}
		return false
	}, false)
	title := "What each shock did over time: failures beyond its no-shock fork"
	if maxShock == 1 && len(r.Shocks()) > 0 {
		title = "What the " + r.Shocks()[0].Name() + " did over time: failures beyond its no-shock fork"
	}
	return &Chart{
		Title: title,
		Caption: "Excess failures: among the firms in business when the shock hit, those that failed in the run minus those that failed in its fork without the shock (same state, same random draws), " +
			"cumulated over the ticks since the shock; counted as a share of those firms, as a number of firms, and as a share of their revenue before the shock. " +
			"Lines: mean over seeds; bands: 95 % t-intervals; dotted lines: the horizons of output.horizons. A curve that rises and then falls means deaths brought forward, not deaths added.",
		grid:        grid,
		legend:      legend,
		legendBelow: true,
		height:      vg.Length(math.Max(1, 0.3+0.6*float64(len(grid)))) * figHeight,
	}
}
