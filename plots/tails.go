package plots

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// thresholdLine is a dashed vertical line at x across a panel: the
// collapse threshold of the tails chart.
type thresholdLine struct{ x float64 }

// Plot implements plot.Plotter.
func (l thresholdLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(l.x)
	c.StrokeLine2(draw.LineStyle{Color: black, Width: 1.5, Dashes: []vg.Length{6, 4}}, x, c.Min.Y, x, c.Max.Y)
}

// DataRange implements plot.DataRanger: the line's x, any y.
func (l thresholdLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return l.x, l.x, math.Inf(1), math.Inf(-1)
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (l thresholdLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: black, Width: 1.5, Dashes: []vg.Length{6, 4}}, c.Min.X, y, c.Max.X, y)
}

// ecdfSteps returns the step line of the empirical distribution function
// of xs (sorted, no NaN): from (x₁, 0) up by 1/n at each value.
func ecdfSteps(xs []float64) (x, y []float64) {
	n := float64(len(xs))
	for i, v := range xs {
		x = append(x, v, v)
		y = append(y, float64(i)/n, float64(i+1)/n)
	}
	return x, y
}

// tailsChart draws, for every shock with tails in summary.json, the
// distribution over seeds of each variant's excess failures: one step line
// (empirical distribution function) per variant, the share of seeds whose
// excess failures were at most the value across, with the collapse
// threshold θ marked; one panel per shock, sharing the horizontal scale.
// Not drawn for a sweep.
func tailsChart(r *Results) *Chart {
	type panel struct {
		s     results.ShockInfo
		tails []results.Tail
	}
	var panels []panel
	for _, s := range r.Shocks() {
		var ts []results.Tail
		for _, t := range r.Summary.Tails {
			if t.Shock == s.Index && t.Measure == results.ShockMeasureName(s.Index, "excess_fail_share") && t.N > 0 {
				ts = append(ts, t)
			}
		}
		if len(ts) > 0 {
			panels = append(panels, panel{s, ts})
		}
	}
	// A sweep's many points are compared by the sweep chart instead.
	if len(panels) == 0 || len(r.Runs) == 0 || r.Summary.Sweep != nil {
		return nil
	}
	values := map[string][]float64{} // "variant\x00measure" → per-seed values
	for _, row := range r.Runs {
		if !math.IsNaN(row.Value) {
			k := row.Variant + "\x00" + row.Measure
			values[k] = append(values[k], row.Value)
		}
	}
	theta := float64(panels[0].tails[0].Threshold)
	xmin, xmax := math.Min(0, theta), theta
	var plots []*plot.Plot
	hasVariant := make([]bool, len(r.Variants))
	var counts []string
	for _, pn := range panels {
		p := newPanel("", "", "")
		percentAxis(&p.X)
		percentAxis(&p.Y)
		p.Add(thresholdLine{theta})
		var parts []string
		for _, t := range pn.tails {
			i := r.VariantIndex(t.Variant)
			xs := slices.Clone(values[t.Variant+"\x00"+t.Measure])
			if i < 0 || len(xs) == 0 {
				continue
			}
			slices.Sort(xs)
			xmin, xmax = math.Min(xmin, xs[0]), math.Max(xmax, xs[len(xs)-1])
			x, y := ecdfSteps(xs)
			if l := r.styledLine(x, y, i); l != nil {
				p.Add(l)
			}
			hasVariant[i] = true
			if len(r.Variants) > 1 {
				parts = append(parts, fmt.Sprintf("%s %d of %d", r.label(t.Variant), t.Collapses, t.N))
			} else {
				parts = append(parts, fmt.Sprintf("%d of %d", t.Collapses, t.N))
			}
		}
		p.Y.Min, p.Y.Max = 0, 1
		if len(panels) > 1 {
			p.Title.Text = fmt.Sprintf("%d. %s (tick %d)", pn.s.Index, pn.s.Name(), pn.s.Tick)
		}
		plots = append(plots, p)
		counts = append(counts, fmt.Sprintf("%s: %s", pn.s.Name(), strings.Join(parts, ", ")))
	}
	var ax plot.Axis
	ax.Min, ax.Max = xmin, xmax
	padRange(&ax, 0.05)
	for i, p := range plots {
		p.X.Min, p.X.Max = ax.Min, ax.Max
		p.X.Label.Text = "Excess failures (% of the firms in business at the shock)"
		if len(plots) > 1 {
			p.X.Label.Text = "Excess failures (%)"
		}
		if len(plots) > 3 {
			p.X.Tick.Marker = niceTicks{n: 2, percent: true}
		}
		if i == 0 {
			p.Y.Label.Text = "Seeds with at most this (%)"
			if len(plots) > 1 { // short enough for a narrow panel; the caption says the rest
				p.Y.Label.Text = "Seeds (%)"
			}
		}
	}
	th := present.Threshold(theta)
	legend := []legendEntry{{label: "collapse threshold " + th, thumbs: []plot.Thumbnailer{thresholdLine{}}}}
	for i, ok := range hasVariant {
		if ok && len(r.Variants) > 1 { // a single variant needs no legend
			legend = append(legend, legendEntry{label: r.label(r.Variants[i]), thumbs: []plot.Thumbnailer{lineThumb{s: r.style(i)}}})
		}
	}
	s := panels[0].s
	title := fmt.Sprintf("How bad can it get? Excess failures after the %s, seed by seed", s.Name())
	if len(panels) > 1 {
		title = "How bad can it get? Excess failures after each shock, seed by seed"
	}
	caption := "One step line per variant: up, the share of seeds (runs) whose excess failures — the share of the firms in business at the shock that failed within the shock window minus the share that failed in the same market run without the shock — were at most the value across; each step is one seed. " +
		"A line further right has worse seeds. The dashed line is the collapse threshold θ = " + th + " (output.collapse_threshold): seeds right of it collapsed (" + strings.Join(counts, "; ") + ")."
	if len(panels) > 1 {
		caption += " Every panel has the same horizontal scale."
	}
	return &Chart{
		Title:       title,
		Caption:     caption,
		grid:        [][]*plot.Plot{plots},
		legend:      legend,
		legendBelow: len(plots) > 1,
	}
}
