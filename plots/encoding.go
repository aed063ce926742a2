package plots

import (
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// variantStyle is how one variant is drawn in every chart: a colour, a
// line dash pattern and a marker shape.
type variantStyle struct {
	color  color.RGBA
	dashes []vg.Length // nil: solid
	glyph  draw.GlyphDrawer
}

// dashPatterns tell lines of the same colour apart: solid, dashed, dotted,
// dash-dot.
var dashPatterns = [][]vg.Length{nil, {10, 5}, {2.5, 4}, {10, 4, 2.5, 4}}

// factorEncoding is the encoding of a factorial sweep of two parameters:
// the parameter with more levels (up to eight) by colour, the other (up to
// four levels) by dash pattern and marker.
type factorEncoding struct {
	colorKey, dashKey       string
	colorLevels, dashLevels []string
}

// encoding returns the two-factor encoding of a factorial sweep, or false
// when the results are not one.
func (r *Results) encoding() (factorEncoding, bool) {
	params := r.SweepParams()
	if len(params) != 2 || !r.isFactorial() {
		return factorEncoding{}, false
	}
	points := r.sweepPoints()
	if len(points) == 0 {
		points = r.Variants
	}
	a, _ := r.axisValues(params[0], points)
	b, _ := r.axisValues(params[1], points)
	e := factorEncoding{params[0], params[1], a, b}
	if len(b) > len(a) {
		e = factorEncoding{params[1], params[0], b, a}
	}
	if len(e.colorLevels) > len(OkabeIto) || len(e.dashLevels) > len(dashPatterns) {
		return factorEncoding{}, false
	}
	return e, true
}

// isFactorial reports whether the sweep points are every combination of
// the swept values (a full grid) rather than a sample such as a Latin
// hypercube.
func (r *Results) isFactorial() bool {
	params := r.SweepParams()
	points := r.sweepPoints()
	if len(params) == 0 || len(points) == 0 {
		return false
	}
	cells := 1
	for _, k := range params {
		vals, _ := r.axisValues(k, points)
		cells *= len(vals)
	}
	seen := map[string]bool{}
	for _, p := range points {
		key := ""
		for _, k := range params {
			key += r.SweepValues(p)[k] + "\x00"
		}
		seen[key] = true
	}
	return len(seen) == cells && len(points) == cells
}

// style returns the drawing style of variant i (its index in r.Variants).
// Up to eight variants get the Okabe–Ito colours; a two-factor sweep
// encodes one factor by colour and the other by dash pattern and marker;
// other long lists repeat the colours with a new dash pattern per eight.
func (r *Results) style(i int) variantStyle {
	if i < 0 {
		return variantStyle{color: midGrey, glyph: draw.CircleGlyph{}}
	}
	if e, ok := r.encoding(); ok && i < len(r.Variants) {
		vals := r.SweepValues(r.Variants[i])
		ci, di := slices.Index(e.colorLevels, vals[e.colorKey]), slices.Index(e.dashLevels, vals[e.dashKey])
		if ci >= 0 && di >= 0 {
			return variantStyle{color: OkabeIto[ci], dashes: dashPatterns[di], glyph: variantGlyph(di)}
		}
	}
	s := variantStyle{color: OkabeIto[i%len(OkabeIto)], glyph: variantGlyph(i)}
	if len(r.Variants) > len(OkabeIto) {
		s.dashes = dashPatterns[(i/len(OkabeIto))%len(dashPatterns)]
	}
	return s
}

// styledLine is a mean line in a variant's style.
func (r *Results) styledLine(x, y []float64, i int) plot.Plotter {
	s := r.style(i)
	l := meanLine(x, y, s.color)
	if l == nil {
		return nil
	}
	l.Dashes = s.dashes
	return l
}

// lineThumb is a legend thumbnail: a line in a variant's style, over a
// light band when bands are drawn.
type lineThumb struct {
	s    variantStyle
	band bool
}

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	if t.band {
		swatch{alpha(t.s.color, bandAlpha)}.Thumbnail(c)
	}
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: t.s.color, Width: lineWidth, Dashes: t.s.dashes}, c.Min.X, y, c.Max.X, y)
}

// label is the name of a variant in charts: the variant name, or for a
// sweep point its swept values ("herding 0.25, kind ring"), which say more
// than the point's name.
func (r *Results) label(v string) string {
	vals := r.SweepValues(v)
	if len(vals) == 0 {
		return v
	}
	parts := make([]string, 0, len(vals))
	for _, k := range r.SweepParams() {
		parts = append(parts, shortKey(k)+" "+vals[k])
	}
	return strings.Join(parts, ", ")
}

// rowLabels returns the labels of the variants for a list of rows, first
// variant first, and a header: for a sweep, the values only ("0.25, ring")
// under a header naming the parameters ("herding, kind"); otherwise the
// variant names and no header.
func (r *Results) rowLabels() (labels []string, head string) {
	params := r.SweepParams()
	for _, v := range r.Variants {
		vals := r.SweepValues(v)
		if len(vals) == 0 || len(params) == 0 {
			if v == r.Summary.Focus {
				v += " (focus)" // the variant the scenario is about (meta.focus)
			}
			labels = append(labels, v)
			continue
		}
		parts := make([]string, len(params))
		for i, k := range params {
			parts[i] = vals[k]
		}
		labels = append(labels, strings.Join(parts, ", "))
	}
	if len(params) > 0 && r.Summary.Sweep != nil || len(r.Sweep) > 0 {
		keys := make([]string, len(params))
		for i, k := range params {
			keys[i] = shortKey(k)
		}
		head = strings.Join(keys, ", ")
	}
	return labels, head
}
