package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// sweepPoints returns the sweep's point names in order.
func (r *Results) sweepPoints() []string {
	seen := map[string]bool{}
	var out []string
	for _, row := range r.Sweep {
		if !seen[row.Point] {
			seen[row.Point] = true
			out = append(out, row.Point)
		}
	}
	return out
}

func (r *Results) sweepEstimate(point, measure string) (SweepRow, bool) {
	for _, row := range r.Sweep {
		if row.Point == point && row.Measure == measure {
			return row, true
		}
	}
	return SweepRow{}, false
}

// sweepMeasures are the measures drawn against the swept parameters.
func (r *Results) sweepMeasures(opts Options) []string {
	want := []string{"final_effective_strategies"}
	if opts.SweepMeasure != "" {
		want = []string{opts.SweepMeasure}
	} else {
		for _, s := range r.Shocks() {
			want = append(want, fmt.Sprintf("shock%d_fail_share", s.Index))
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
	if len(params) == 2 {
		return sweepHeatChart(r, points, params, measures)
	}
	n := len(points)
	var row []*plot.Plot
	xlabel := "Sweep point"
	var xvals []string
	numeric := false
	if len(params) == 1 {
		xlabel = params[0]
		xvals, numeric = r.axisValues(params[0], points)
	}
	for _, m := range measures {
		title, label := r.measureAxis(m)
		p := newPanel(title, xlabel, label)
		var items []interval
		var lx, ly []float64
		for i, pt := range points {
			e, ok := r.sweepEstimate(pt, m)
			if !ok || math.IsNaN(e.Mean) {
				continue
			}
			x := float64(i)
			if len(params) == 1 {
				v := r.SweepValues(pt)[params[0]]
				if numeric {
					x, _ = strconv.ParseFloat(v, 64)
				} else {
					x = float64(indexOf(xvals, v))
				}
			}
			vi := r.VariantIndex(pt)
			if vi < 0 {
				vi = i
			}
			items = append(items, interval{pos: x, v: e.Mean, lo: e.CILow, hi: e.CIHigh, color: variantColor(vi, max(n, len(r.Variants))), glyph: draw.CircleGlyph{}})
			lx, ly = append(lx, x), append(ly, e.Mean)
		}
		if l := meanLine(lx, ly, midGrey); l != nil {
			l.Width = 1.5
			p.Add(l)
		}
		p.Add(&intervalMarks{items: items})
		if IsShareMeasure(m) {
			percentAxis(&p.Y)
		}
		if p.Y.Min > 0 {
			p.Y.Min = 0
		}
		p.Y.Max += 0.05 * (p.Y.Max - p.Y.Min) // room for the markers
		switch {
		case len(params) == 1 && !numeric:
			p.NominalX(xvals...)
			p.X.Min, p.X.Max = -0.5, float64(len(xvals))-0.5
		case len(params) != 1:
			p.NominalX(points...)
			p.X.Min, p.X.Max = -0.5, float64(n)-0.5
		default:
			// Ticks at the swept values, so that readers see what was run.
			if len(xvals) <= 12 {
				ticks := make([]plot.Tick, len(xvals))
				for i, v := range xvals {
					f, _ := strconv.ParseFloat(v, 64)
					ticks[i] = plot.Tick{Value: f, Label: v}
				}
				p.X.Tick.Marker = plot.ConstantTicks(ticks)
			}
			padRange(&p.X, 0.06)
		}
		row = append(row, p)
	}
	caption := fmt.Sprintf("Marker: mean over %d seeds at each sweep point; bar: 95 %% confidence interval of the mean.", r.seedCount())
	if len(params) > 2 {
		caption += " Points: " + sweepPointList(r, points) + "."
	}
	subject := "the swept parameters"
	if len(params) == 1 {
		subject = params[0]
	}
	return &Chart{
		Name:    "sweep",
		Title:   "Parameter sweep: how outcomes change with " + subject,
		Caption: caption,
		grid:    [][]*plot.Plot{row},
	}
}

func sweepPointList(r *Results, points []string) string {
	parts := make([]string, len(points))
	for i, p := range points {
		parts[i] = r.VariantLabel(p)
	}
	return strings.Join(parts, "; ")
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

func sweepHeatChart(r *Results, points, params, measures []string) *Chart {
	xs, _ := r.axisValues(params[0], points)
	ys, _ := r.axisValues(params[1], points)
	var row []*plot.Plot
	for k, m := range measures {
		title, _ := r.measureAxis(m)
		ylabel := ""
		if k == 0 {
			ylabel = params[1]
		}
		p := newPanel(title, params[0], ylabel)
		h := &heatCells{nx: len(xs), ny: len(ys), share: IsShareMeasure(m)}
		h.vals = make([][]float64, len(ys))
		h.lo = make([][]float64, len(ys))
		h.hi = make([][]float64, len(ys))
		for j := range ys {
			h.vals[j] = nanSlice(len(xs))
			h.lo[j] = nanSlice(len(xs))
			h.hi[j] = nanSlice(len(xs))
		}
		for _, pt := range points {
			vals := r.SweepValues(pt)
			i, j := indexOf(xs, vals[params[0]]), indexOf(ys, vals[params[1]])
			e, ok := r.sweepEstimate(pt, m)
			if i < 0 || j < 0 || !ok {
				continue
			}
			h.vals[j][i], h.lo[j][i], h.hi[j][i] = e.Mean, e.CILow, e.CIHigh
		}
		p.Add(h)
		p.NominalX(xs...)
		p.NominalY(ys...)
		p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(len(ys))-0.5
		row = append(row, p)
	}
	return &Chart{
		Name:    "sweep",
		Title:   fmt.Sprintf("Parameter sweep: outcomes over %s and %s", shortKey(params[0]), shortKey(params[1])),
		Caption: fmt.Sprintf("Each cell: mean over %d seeds with its 95 %% confidence interval below it (left out where the cell is too narrow). Colour runs from dark (lowest in the panel) to yellow (highest).", r.seedCount()),
		grid:    [][]*plot.Plot{row},
	}
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// heatCells draws a grid of coloured cells at integer positions, each
// labelled with its value and interval.
type heatCells struct {
	nx, ny       int
	vals, lo, hi [][]float64 // [y][x]
	share        bool
}

func (h *heatCells) valueRange() (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range h.vals {
		for _, v := range row {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return lo, hi
}

// Plot implements plot.Plotter.
func (h *heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	lo, hi := h.valueRange()
	big := textStyle(sansBold, sizeTick, black)
	for j := range h.ny {
		for i := range h.nx {
			v := h.vals[j][i]
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
			var fill color.Color = otherGrey
			t := 0.5
			if !math.IsNaN(v) {
				if hi > lo {
					t = (v - lo) / (hi - lo)
				}
				fill = viridis(t)
			}
			c.FillPolygon(fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			c.StrokeLines(draw.LineStyle{Color: color.White, Width: 1.5}, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
			var tc color.Color = color.White
			if t > 0.55 || math.IsNaN(v) {
				tc = black
			}
			cx, cy := (x0+x1)/2, (y0+y1)/2
			b := big
			b.Color = tc
			b.XAlign, b.YAlign = draw.XCenter, draw.YBottom
			if math.IsNaN(v) {
				b.YAlign = draw.YCenter
				c.FillText(b, vg.Point{X: cx, Y: cy}, "n/a")
				continue
			}
			c.FillText(b, vg.Point{X: cx, Y: cy + 1}, formatNumber(v, h.share))
			lo, hi := h.lo[j][i], h.hi[j][i]
			if math.IsNaN(lo) || math.IsNaN(hi) {
				continue
			}
			// The interval in brackets, smaller if needed; left out if
			// the cell is too narrow even then.
			r3, r2 := formatRange(lo, hi, h.share, 3), formatRange(lo, hi, h.share, 2)
			room := (x1 - x0) - 6
			for _, cand := range []struct {
				text string
				size float64
			}{{"[" + r3 + "]", sizeNote - 1}, {r3, sizeNote - 2}, {r2, sizeNote - 2}, {r2, sizeNote - 3}} {
				st := textStyle(sansRegular, cand.size, tc)
				st.XAlign, st.YAlign = draw.XCenter, draw.YTop
				if st.Width(cand.text) <= room {
					c.FillText(st, vg.Point{X: cx, Y: cy - 1}, cand.text)
					break
				}
			}
		}
	}
}

// formatRange formats an interval "lo–hi" with sig significant digits,
// shares as whole percentages "12–20 %".
func formatRange(lo, hi float64, share bool, sig int) string {
	if share {
		return strconv.FormatFloat(100*lo, 'f', 0, 64) + "–" + strconv.FormatFloat(100*hi, 'f', 0, 64) + " %"
	}
	return FormatSig(lo, sig) + "–" + FormatSig(hi, sig)
}

// DataRange implements plot.DataRanger.
func (h *heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(h.nx) - 0.5, -0.5, float64(h.ny) - 0.5
}

// formatNumber formats a value for labels: shares as whole percentages,
// other values with three significant digits.
func formatNumber(v float64, share bool) string {
	if share {
		return strconv.FormatFloat(100*v, 'f', 0, 64) + " %"
	}
	return FormatSig(v, 3)
}

// FormatSig formats v with about sig significant digits, without
// exponent notation for everyday magnitudes.
func FormatSig(v float64, sig int) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v == 0 {
		return "0"
	}
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	dec := sig - 1 - mag
	if dec < 0 {
		dec = 0
	}
	if dec > 6 {
		return strconv.FormatFloat(v, 'g', sig, 64)
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	return strings.Replace(s, "-", "−", 1)
}
