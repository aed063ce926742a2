package plots

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

// sweepPoints returns the sweep's point names in order.
func (r *Results) sweepPoints() []string {
	seen := map[string]bool{}
	var out []string
	for _, row := range r.Sweep {
		if !seen[row.Variant] {
			seen[row.Variant] = true
			out = append(out, row.Variant)
		}
	}
	return out
}

func (r *Results) sweepEstimate(point, measure string) (results.SweepRow, bool) {
	for _, row := range r.Sweep {
		if row.Variant == point && row.Measure == measure {
			return row, true
		}
	}
	return results.SweepRow{}, false
}

// sweepMeasures are the measures drawn against the swept parameters: with
// a shock, the diversity when the first shock hit and its excess failures
// (the raw failure share for results without the counterfactual) — final
// diversity would show the re-forming after the shock — else final
// diversity; then the mean margin.
func (r *Results) sweepMeasures(opts Options) []string {
	want := []string{"final_effective_strategies"}
	if opts.SweepMeasure != "" {
		want = []string{opts.SweepMeasure}
	} else {
		for _, s := range r.Shocks() {
			excess := fmt.Sprintf("shock%d_excess_fail_share", s.Index)
			if !r.hasMeasure(excess) {
				excess = fmt.Sprintf("shock%d_fail_share", s.Index)
			}
			if pre := fmt.Sprintf("shock%d_pre_effective_strategies", s.Index); r.hasMeasure(pre) {
				want = []string{pre}
			}
			want = append(want, excess)
			break
		}
		want = append(want, "mean_margin")
	}
	var out []string
	for _, m := range want {
		for _, row := range r.Sweep {
			if row.Measure == m && !math.IsNaN(row.Mean) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// axisValues returns the distinct values of a swept key, sorted
// numerically when they all parse as numbers, and whether they do.
func (r *Results) axisValues(key string, points []string) ([]string, bool) {
	seen := map[string]bool{}
	var vals []string
	numeric := true
	for _, p := range points {
		v := r.SweepValues(p)[key]
		if seen[v] {
			continue
		}
		seen[v] = true
		vals = append(vals, v)
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			numeric = false
		}
	}
	if numeric {
		sort.Slice(vals, func(i, j int) bool {
			a, _ := strconv.ParseFloat(vals[i], 64)
			b, _ := strconv.ParseFloat(vals[j], 64)
			return a < b
		})
	}
	return vals, numeric
}

func sweepChart(r *Results, opts Options) *Chart {
	points := r.sweepPoints()
	if len(points) == 0 {
		return nil
	}
	measures := r.sweepMeasures(opts)
	if len(measures) == 0 {
		return nil
	}
	params := r.SweepParams()
	switch {
	case len(params) == 1:
		return sweepLineChart(r, points, params[0], measures)
	case len(params) == 2 && r.isFactorial():
		if e, ok := r.encoding(); ok {
			return sweepInteractionChart(r, points, e, measures)
		}
	}
	return sweepGridChart(r, points, params, measures, r.isFactorial())
}

// sweepX returns the x positions of a swept parameter's values: the values
// themselves when numeric, else their positions.
func (r *Results) sweepX(key string, points []string) (vals []string, numeric bool, x func(string) float64) {
	vals, numeric = r.axisValues(key, points)
	return vals, numeric, func(v string) float64 {
		if numeric {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
		return float64(slices.Index(vals, v))
	}
}

// sweepXAxis sets a panel's x axis for a swept parameter: ticks at the
// values run (when few) or nice ticks, names for nominal values.
func sweepXAxis(p *plot.Plot, vals []string, numeric bool) {
	if !numeric {
		p.NominalX(vals...)
		p.X.Min, p.X.Max = -0.5, float64(len(vals))-0.5
		return
	}
	if len(vals) <= 6 {
		ticks := make([]plot.Tick, len(vals))
		for i, v := range vals {
			f, _ := strconv.ParseFloat(v, 64)
			ticks[i] = plot.Tick{Value: f, Label: v}
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	padRange(&p.X, 0.06)
}

// sweepYAxis fits a measure's value axis: percentages for shares, from
// zero for quantities that cannot be negative.
func sweepYAxis(p *plot.Plot, m string) {
	if results.InPercent(m) {
		percentAxis(&p.Y)
	}
	if lo, _ := results.MeasureRange(m); lo >= 0 && p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	p.Y.Max += 0.05 * (p.Y.Max - p.Y.Min) // room for the markers
}

// sweepLineChart draws one panel per measure against the one swept
// parameter.
func sweepLineChart(r *Results, points []string, key string, measures []string) *Chart {
	vals, numeric, xOf := r.sweepX(key, points)
	var row []*plot.Plot
	for _, m := range measures {
		title, label := r.measureAxis(m)
		p := newPanel(title, key, label)
		var items []interval
		var lx, ly []float64
		for _, pt := range points {
			e, ok := r.sweepEstimate(pt, m)
			if !ok || math.IsNaN(e.Mean) {
				continue
			}
			x := xOf(r.SweepValues(pt)[key])
			lo, hi := results.ClipInterval(m, e.CILow, e.CIHigh)
			items = append(items, interval{pos: x, v: e.Mean, lo: lo, hi: hi, color: OkabeIto[0], glyph: draw.CircleGlyph{}})
			lx, ly = append(lx, x), append(ly, e.Mean)
		}
		sortXY(lx, ly)
		if l := meanLine(lx, ly, midGrey); l != nil {
			l.Width = 1.5
			p.Add(l)
		}
		p.Add(&intervalMarks{items: items})
		sweepYAxis(p, m)
		sweepXAxis(p, vals, numeric)
		row = append(row, p)
	}
	return &Chart{
		Title:   "Parameter sweep: how outcomes change with " + key,
		Caption: fmt.Sprintf("Marker: mean over %d seeds at each value of %s; bar: 95 %% confidence interval of the mean.", r.seedCount(), key),
		grid:    [][]*plot.Plot{row},
	}
}

func sortXY(x, y []float64) {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	xs, ys := append([]float64(nil), x...), append([]float64(nil), y...)
	for i, j := range idx {
		x[i], y[i] = xs[j], ys[j]
	}
}

// sweepInteractionChart draws a two-factor grid: one panel per measure,
// the factor with more levels across, one line per level of the other
// (its dash pattern and marker, as in every chart of the sweep), markers
// coloured by the level across.
func sweepInteractionChart(r *Results, points []string, e factorEncoding, measures []string) *Chart {
	vals, numeric, xOf := r.sweepX(e.colorKey, points)
	var row []*plot.Plot
	// Small offsets keep the intervals of the lines apart.
	span := 1.0
	if numeric && len(vals) > 1 {
		a, _ := strconv.ParseFloat(vals[0], 64)
		b, _ := strconv.ParseFloat(vals[len(vals)-1], 64)
		span = (b - a) / float64(len(vals)-1)
	}
	nd := len(e.dashLevels)
	for _, m := range measures {
		title, label := r.measureAxis(m)
		p := newPanel(title, e.colorKey, label)
		var marks []interval
		for di, dv := range e.dashLevels {
			var lx, ly []float64
			off := (float64(di) - float64(nd-1)/2) * 0.12 * span
			for _, pt := range points {
				pv := r.SweepValues(pt)
				if pv[e.dashKey] != dv {
					continue
				}
				est, ok := r.sweepEstimate(pt, m)
				if !ok || math.IsNaN(est.Mean) {
					continue
				}
				x := xOf(pv[e.colorKey]) + off
				lo, hi := results.ClipInterval(m, est.CILow, est.CIHigh)
				ci := slices.Index(e.colorLevels, pv[e.colorKey])
				marks = append(marks, interval{pos: x, v: est.Mean, lo: lo, hi: hi, color: OkabeIto[max(ci, 0)], glyph: variantGlyph(di)})
				lx, ly = append(lx, x), append(ly, est.Mean)
			}
			sortXY(lx, ly)
			if l := meanLine(lx, ly, darkGrey); l != nil {
				l.Width = 1.5
				l.Dashes = dashPatterns[di]
				p.Add(l)
			}
		}
		p.Add(&intervalMarks{items: marks})
		sweepYAxis(p, m)
		sweepXAxis(p, vals, numeric)
		row = append(row, p)
	}
	var legend []legendEntry
	for di, dv := range e.dashLevels {
		legend = append(legend, legendEntry{label: shortKey(e.dashKey) + " " + dv, thumbs: []plot.Thumbnailer{
			lineThumb{s: variantStyle{color: darkGrey, dashes: dashPatterns[di]}},
			glyphThumb{draw.GlyphStyle{Color: darkGrey, Radius: markerRadius, Shape: variantGlyph(di)}},
		}})
	}
	return &Chart{
		Title: fmt.Sprintf("Parameter sweep: outcomes over %s and %s", shortKey(e.colorKey), shortKey(e.dashKey)),
		Caption: fmt.Sprintf("Marker: mean over %d seeds at one point of the grid; bar: its 95 %% confidence interval. One line per value of %s (line and marker shape, as in the other charts); marker colour: the value of %s, as in the other charts. Lines far from parallel (by more than the bars) suggest that the two parameters interact.",
			r.seedCount(), e.dashKey, e.colorKey),
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
}

// sweepGridChart draws small multiples: a row per measure and a column
// per parameter. For a factorial grid, each panel shows the measure's mean
// over the points at each value of its parameter (a main effect); for a
// sample such as a Latin hypercube, every point with its interval against
// the parameter's value (a scatter per parameter, never a mostly empty
// grid).
func sweepGridChart(r *Results, points, params, measures []string, factorial bool) *Chart {
	var grid [][]*plot.Plot
	for j, key := range params {
		vals, numeric, xOf := r.sweepX(key, points)
		var row []*plot.Plot
		for _, m := range measures {
			ptitle := ""
			if j == 0 {
				ptitle, _ = r.measureAxis(m)
				if results.InPercent(m) {
					ptitle += " (%)"
				}
			}
			p := newPanel(ptitle, key, "")
			var marks []interval
			if factorial {
				for _, v := range vals {
					var ms []float64
					for _, pt := range points {
						if r.SweepValues(pt)[key] != v {
							continue
						}
						if est, ok := r.sweepEstimate(pt, m); ok && !math.IsNaN(est.Mean) {
							ms = append(ms, est.Mean)
						}
					}
					if len(ms) == 0 {
						continue
					}
					lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
					for _, x := range ms {
						lo, hi, sum = math.Min(lo, x), math.Max(hi, x), sum+x
					}
					marks = append(marks, interval{pos: xOf(v), v: sum / float64(len(ms)), lo: lo, hi: hi, color: OkabeIto[0], glyph: draw.CircleGlyph{}})
				}
			} else {
				for _, pt := range points {
					est, ok := r.sweepEstimate(pt, m)
					if !ok || math.IsNaN(est.Mean) {
						continue
					}
					lo, hi := results.ClipInterval(m, est.CILow, est.CIHigh)
					marks = append(marks, interval{pos: xOf(r.SweepValues(pt)[key]), v: est.Mean, lo: lo, hi: hi, color: alpha(OkabeIto[0], 0.85), glyph: draw.CircleGlyph{}})
				}
			}
			p.Add(&intervalMarks{items: marks})
			sweepYAxis(p, m)
			sweepXAxis(p, vals, numeric)
			row = append(row, p)
		}
		grid = append(grid, row)
	}
	caption := fmt.Sprintf("Each row: one swept parameter across; each column: one measure. Marker: the mean over the points of the grid with that value of the parameter (a main effect); bar: the lowest to the highest of those points' means (%d seeds each).", r.seedCount())
	title := "Parameter sweep: the effect of each parameter"
	if !factorial {
		caption = fmt.Sprintf("Each row: one sampled parameter across; each column: one measure. Marker: one sample point's mean over %d seeds against the parameter's value there; bar: its 95 %% confidence interval. The other parameters vary at the same time, which adds scatter: a row whose markers rise or fall shows a parameter that moves the measure.", r.seedCount())
		title = fmt.Sprintf("Sweep of %d sampled points: each measure against each parameter", len(points))
	}
	return &Chart{
		Title:   title,
		Caption: caption,
		grid:    grid,
	}
}
