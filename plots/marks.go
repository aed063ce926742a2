package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band opacity and line widths.
const (
	bandAlpha = 0.22
	lineWidth = 2.5
)

// bandPolygon returns the shaded area between lo and hi (same x values)
// as a polygon of the upper curve followed by the lower curve reversed.
// Runs of points where either bound is NaN break the band into separate
// rings. It returns nil when no point has both bounds.
func bandPolygon(x, lo, hi []float64, c color.RGBA) *plotter.Polygon {
	var rings []plotter.XYer
	var up, down plotter.XYs
	flush := func() {
		if len(up) >= 2 {
			ring := make(plotter.XYs, 0, 2*len(up))
			ring = append(ring, up...)
			for i := len(down) - 1; i >= 0; i-- {
				ring = append(ring, down[i])
			}
			rings = append(rings, ring)
		}
		up, down = nil, nil
	}
	for i := range x {
		if math.IsNaN(lo[i]) || math.IsNaN(hi[i]) || math.IsNaN(x[i]) {
			flush()
			continue
		}
		up = append(up, plotter.XY{X: x[i], Y: hi[i]})
		down = append(down, plotter.XY{X: x[i], Y: lo[i]})
	}
	flush()
	if len(rings) == 0 {
		return nil
	}
	p, err := plotter.NewPolygon(rings...)
	if err != nil {
		return nil
	}
	p.Color = alpha(c, bandAlpha)
	p.LineStyle = draw.LineStyle{Color: color.Transparent, Width: 0}
	return p
}

// meanLine returns a solid line through the finite points of (x, y).
func meanLine(x, y []float64, c color.Color) *plotter.Line {
	var xys plotter.XYs
	for i := range x {
		if !math.IsNaN(y[i]) && !math.IsNaN(x[i]) {
			xys = append(xys, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	if len(xys) == 0 {
		return nil
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil
	}
	l.Color = c
	l.Width = lineWidth
	return l
}

// stepXY turns a right-continuous step function given at its jump points
// into the corners of its staircase.
func stepXY(t, s []float64) (x, y []float64) {
	for i := range t {
		if i > 0 {
			x = append(x, t[i])
			y = append(y, s[i-1])
		}
		x = append(x, t[i])
		y = append(y, s[i])
	}
	return x, y
}

// shockMarks draws every shock as a dashed vertical line (and a light
// span for its duration) with a label centred above the line, so that a
// label never sits over another shock's interval: the shock's name where
// the names fit side by side (in at most two staggered rows with labels set, one
// otherwise), its
// number (ShockInfo.Index) otherwise; captions key the numbers
// (shockKey).
type shockMarks struct {
	shocks []results.ShockInfo
	// labels allows names in shockNameRows rows (a wide chart); without
	// it names are drawn only if they fit in one row.
	labels bool
	// approxWidth is the expected width of the data area, used to stagger
	// labels that would overlap; 0 for a panel of a row of three.
	approxWidth vg.Length
}

// shockPanelWidth is the data width assumed for a panel of a row of
// three when a caller gives none.
const shockPanelWidth = figWidth/3 - 80

// shockNameRows is how many staggered rows of names a chart takes before
// it numbers its shocks instead.
const shockNameRows = 2

func newShockMarks(shocks []results.ShockInfo, labels bool, approxWidth vg.Length) *shockMarks {
	if len(shocks) == 0 {
		return nil
	}
	if approxWidth <= 0 {
		approxWidth = shockPanelWidth
	}
	return &shockMarks{shocks: shocks, labels: labels, approxWidth: approxWidth}
}

func shockLabelStyle() (sty draw.TextStyle) {
	s := textStyle(sansRegular, sizeNote, darkGrey)
	s.YAlign = draw.YBottom
	s.XAlign = draw.XCenter
	return s
}

// layout returns, per shock, its label and its stagger level (0 = just
// above the data area).
func (m *shockMarks) layout(p *plot.Plot) (texts []string, level []int) {
	names := make([]string, len(m.shocks))
	for i, s := range m.shocks {
		names[i] = s.Name()
	}
	maxRows := 1 // a narrow panel: names in one row or numbers
	if m.labels {
		maxRows = shockNameRows
	}
	if lv, rows := m.stagger(p, names); rows <= maxRows {
		return names, lv
	}
	nums := make([]string, len(m.shocks))
	for i, s := range m.shocks {
		nums[i] = strconv.Itoa(shockNumber(s, i))
	}
	lv, _ := m.stagger(p, nums)
	return nums, lv
}

// shockNumber is the number a chart gives shock s, the i-th listed: its
// index in the scenario.
func shockNumber(s results.ShockInfo, i int) int {
	if s.Index > 0 {
		return s.Index
	}
	return i + 1
}

// stagger gives each label, centred on its shock's line, the lowest row
// where it overlaps no other label, and returns the rows used.
func (m *shockMarks) stagger(p *plot.Plot, texts []string) (level []int, rows int) {
	sty := shockLabelStyle()
	type span struct{ lo, hi vg.Length }
	var taken [][]span
	level = make([]int, len(m.shocks))
	for i, s := range m.shocks {
		if !m.inRange(p, s) {
			continue
		}
		x := vg.Length(p.X.Norm(float64(s.Tick))) * m.approxWidth
		w := sty.Width(texts[i])
		lo, hi := x-w/2, x+w/2
		lv := 0
		for ; lv < len(taken); lv++ {
			free := true
			for _, sp := range taken[lv] {
				if lo < sp.hi+6 && hi > sp.lo-6 {
					free = false
					break
				}
			}
			if free {
				break
			}
		}
		if lv == len(taken) {
			taken = append(taken, nil)
		}
		taken[lv] = append(taken[lv], span{lo, hi})
		level[i] = lv
	}
	return level, len(taken)
}

func (m *shockMarks) inRange(p *plot.Plot, s results.ShockInfo) bool {
	t := float64(s.Tick)
	return t >= p.X.Min && t <= p.X.Max
}

// Plot implements plot.Plotter.
func (m *shockMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, s := range m.shocks {
		if !m.inRange(p, s) || s.Duration <= 0 {
			continue
		}
		x0 := trX(float64(s.Tick))
		x1 := trX(math.Min(float64(s.Tick+s.Duration), p.X.Max))
		c.FillPolygon(color.NRGBA{0, 0, 0, 18}, []vg.Point{
			{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
		})
	}
	line := draw.LineStyle{Color: darkGrey, Width: 1.5, Dashes: []vg.Length{6, 4}}
	sty := shockLabelStyle()
	lh := sty.FontExtents().Height
	texts, level := m.layout(p)
	for i, s := range m.shocks {
		if !m.inRange(p, s) {
			continue
		}
		x := trX(float64(s.Tick))
		c.StrokeLine2(line, x, c.Min.Y, x, c.Max.Y+1+vg.Length(level[i])*lh)
		c.FillText(sty, vg.Point{X: x, Y: c.Max.Y + 2 + vg.Length(level[i])*lh}, texts[i])
	}
}

// GlyphBoxes implements plot.GlyphBoxer: it reserves room for the labels
// above the data area.
func (m *shockMarks) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sty := shockLabelStyle()
	lh := sty.FontExtents().Height
	texts, level := m.layout(p)
	var boxes []plot.GlyphBox
	for i, s := range m.shocks {
		if !m.inRange(p, s) {
			continue
		}
		w := sty.Width(texts[i])
		boxes = append(boxes, plot.GlyphBox{
			X: p.X.Norm(float64(s.Tick)), Y: 1,
			Rectangle: vg.Rectangle{
				Min: vg.Point{X: -w / 2, Y: 2 + vg.Length(level[i])*lh},
				Max: vg.Point{X: w / 2, Y: 2 + vg.Length(level[i]+1)*lh},
			},
		})
	}
	return boxes
}

// shockKey is the caption's sentence on the dashed lines: each shock with
// its number, name and tick, so that numbered lines can be read.
func shockKey(shocks []results.ShockInfo) string {
	switch len(shocks) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("Dashed line: the %s at tick %d.", shocks[0].Name(), shocks[0].Tick)
	}
	parts := make([]string, len(shocks))
	for i, s := range shocks {
		parts[i] = fmt.Sprintf("%d %s (tick %d)", shockNumber(s, i), s.Name(), s.Tick)
	}
	return "Dashed lines: shocks, by number where the names do not fit: " + strings.Join(parts, ", ") + "."
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (m *shockMarks) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: darkGrey, Width: 1.5, Dashes: []vg.Length{6, 4}}, c.Min.X, y, c.Max.X, y)
}

// swatch is a legend thumbnail: a filled box.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.c, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y},
	})
}

// bandThumb is a legend thumbnail: a light band with a line through it.
type bandThumb struct{ c color.RGBA }

// Thumbnail implements plot.Thumbnailer.
func (b bandThumb) Thumbnail(c *draw.Canvas) {
	swatch{alpha(b.c, bandAlpha)}.Thumbnail(c)
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: b.c, Width: lineWidth}, c.Min.X, y, c.Max.X, y)
}

// glyphThumb is a legend thumbnail: one marker.
type glyphThumb struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyphNoClip(g.sty, c.Center()) }

// noop is a plotter that draws nothing.
type noop struct{}

// Plot implements plot.Plotter.
func (noop) Plot(draw.Canvas, *plot.Plot) {}
