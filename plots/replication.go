package plots

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ReplicationSeries is one curve of our results: Y at X with a 95 %
// interval [Lo, Hi] drawn as a band (Lo, Hi may be nil). With Points it
// is drawn as markers with whiskers instead of a line and a band.
type ReplicationSeries struct {
	Label     string
	X, Y      []float64
	Lo, Hi    []float64
	Points    bool
	Published bool // a published figure: black markers, no line
}

// ReplicationPanel is one panel of a replication chart: our series, the
// published points over them, and vertical marks (a published threshold,
// e.g. a critical value) at Marks with labels MarkLabels.
type ReplicationPanel struct {
	Title, XLabel, YLabel string
	Series                []ReplicationSeries
	Marks                 []float64
	MarkLabels            []string
	Nominal               []string // category names of x = 0, 1, …; nil for a numeric x
	Percent               bool     // y is a share in [0, 1], labelled as a percentage
	LogY                  bool     // y on a log scale (counts spanning decades)
	YMin                  float64  // lower end of the y axis when YMinSet
	YMinSet               bool
}

// ReplicationChart draws ours beside the published figures of one
// replication (smbsim replicate): one panel per ReplicationPanel, side by
// side, published figures as black triangles drawn under ours, ours in
// the palette. A Percent panel's y label gains " (%)".
func ReplicationChart(name, title, caption string, panels []ReplicationPanel) *Chart {
	var row []*plot.Plot
	var legend []legendEntry
	seen := map[string]bool{}
	for _, rp := range panels {
		ylabel := rp.YLabel
		if rp.Percent && !strings.Contains(ylabel, "%") {
			ylabel += " (%)"
		}
		p := newPanel(rp.Title, rp.XLabel, ylabel)
		if rp.Percent {
			percentAxis(&p.Y)
		}
		// The published points first, under ours: where the two agree our
		// smaller marker shows inside his.
		thumbs := make([]plot.Thumbnailer, len(rp.Series))
		for i, s := range rp.Series {
			if s.Published {
				g := draw.GlyphStyle{Color: black, Radius: vg.Points(6), Shape: draw.PyramidGlyph{}}
				addPoints(p, s.X, s.Y, g)
				thumbs[i] = glyphThumb{g}
			}
		}
		colour := 0
		for i, s := range rp.Series {
			thumb := thumbs[i]
			if !s.Published {
				c := OkabeIto[colour%len(OkabeIto)]
				colour++
				if s.Points {
					g := draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
					addWhiskers(p, s.X, s.Lo, s.Hi, c)
					addPoints(p, s.X, s.Y, g)
					thumb = glyphThumb{g}
				} else {
					if s.Lo != nil && s.Hi != nil {
						if b := bandPolygon(s.X, s.Lo, s.Hi, c); b != nil {
							p.Add(b)
						}
					}
					p.Add(meanLine(s.X, s.Y, c))
					thumb = lineThumb{s: variantStyle{color: c}, band: s.Lo != nil}
				}
			}
			if !seen[s.Label] {
				seen[s.Label] = true
				legend = append(legend, legendEntry{label: s.Label, thumbs: []plot.Thumbnailer{thumb}})
			}
		}
		for i, x := range rp.Marks {
			p.Add(vline{x: x, label: rp.MarkLabels[i]})
		}
		if rp.Nominal != nil {
			p.NominalX(rp.Nominal...)
			p.X.Min, p.X.Max = -0.5, float64(len(rp.Nominal))-0.5
		}
		if rp.LogY {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		}
		if rp.YMinSet {
			p.Y.Min = rp.YMin
		}
		row = append(row, p)
	}
	return &Chart{Name: name, Title: title, Caption: caption, grid: [][]*plot.Plot{row}, legend: legend, legendBelow: len(row) > 1}
}

// addPoints adds markers at the finite points of (x, y).
func addPoints(p *plot.Plot, x, y []float64, g draw.GlyphStyle) {
	var xys plotter.XYs
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			xys = append(xys, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	if len(xys) == 0 {
		return
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		return
	}
	s.GlyphStyle = g
	p.Add(s)
}

// addWhiskers adds a vertical line from lo to hi at each x.
func addWhiskers(p *plot.Plot, x, lo, hi []float64, c color.Color) {
	for i := range x {
		if lo == nil || hi == nil || math.IsNaN(lo[i]) || math.IsNaN(hi[i]) {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: x[i], Y: lo[i]}, {X: x[i], Y: hi[i]}})
		if err != nil {
			continue
		}
		l.LineStyle = draw.LineStyle{Color: c, Width: 2}
		p.Add(l)
	}
}

// vline is a dashed vertical line at x across the panel, labelled at its
// top.
type vline struct {
	x     float64
	label string
}

// Plot implements plot.Plotter.
func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	if x < c.Min.X || x > c.Max.X {
		return
	}
	c.StrokeLine2(draw.LineStyle{Color: black, Width: 1.5, Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}, x, c.Min.Y, x, c.Max.Y)
	s := textStyle(sansRegular, sizeNote, black)
	s.XAlign, s.YAlign = draw.XLeft, draw.YTop
	c.FillText(s, vg.Point{X: x + 4, Y: c.Max.Y - 2}, v.label)
}

// DataRange implements plot.DataRanger: the line's x, no y extent.
func (v vline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return v.x, v.x, math.Inf(1), math.Inf(-1)
}
