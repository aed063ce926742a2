package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure geometry: 16:9, 10 × 5.625 inches.
const (
	figWidth  = 10 * vg.Inch
	figHeight = 5.625 * vg.Inch
)

// DefaultDPI is the PNG resolution used when Options.DPI is 0: it renders
// the 10-inch-wide figures at 1600×900 px, sharp on a projector.
const DefaultDPI = 160

// Font sizes in points on a 10-inch-wide figure: at projector size the
// tick labels are about 29 px high.
const (
	sizeTitle   = 20
	sizePanel   = 16
	sizeAxis    = 15
	sizeTick    = 13
	sizeLegend  = 14
	sizeCaption = 12
	sizeNote    = 12
)

// OkabeIto is the Okabe–Ito colour-blind-safe palette in the order charts
// assign it to variants: blue, vermillion, bluish green, reddish purple,
// orange, sky blue, black, yellow.
var OkabeIto = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

var (
	black     = color.RGBA{0x22, 0x22, 0x22, 0xFF}
	darkGrey  = color.RGBA{0x55, 0x55, 0x55, 0xFF}
	midGrey   = color.RGBA{0x88, 0x88, 0x88, 0xFF}
	gridGrey  = color.RGBA{0xE4, 0xE4, 0xE4, 0xFF}
	otherGrey = color.RGBA{0xD0, 0xD0, 0xD0, 0xFF}
)

// variantGlyph is the marker shape of the i-th variant, so that points
// are told apart without colour too.
func variantGlyph(i int) draw.GlyphDrawer {
	switch i % 5 {
	case 0:
		return draw.CircleGlyph{}
	case 1:
		return draw.BoxGlyph{}
	case 2:
		return draw.PyramidGlyph{}
	case 3:
		return draw.RingGlyph{}
	default:
		return draw.SquareGlyph{}
	}
}

// alpha returns c with opacity a in [0,1] (non-premultiplied).
func alpha(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{c.R, c.G, c.B, uint8(math.Round(a * 255))}
}

// Fonts: Liberation Sans (metric-compatible with Arial), bundled with
// gonum/plot so that output is identical on every machine.
var (
	sansRegular = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold    = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

func textStyle(f font.Font, size float64, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(f, vg.Length(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// newPanel returns a plot styled for projection: large sans-serif text,
// light grid, no frame clutter.
func newPanel(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(sansBold, sizePanel, black)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = 6
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = textStyle(sansRegular, sizeAxis, black)
		ax.Tick.Label = textStyle(sansRegular, sizeTick, black)
		ax.Tick.Marker = niceTicks{}
		ax.LineStyle.Color = darkGrey
		ax.LineStyle.Width = 1
		ax.Tick.LineStyle.Color = darkGrey
		ax.Tick.LineStyle.Width = 1
		ax.Tick.Length = 5
		ax.Padding = 2
	}
	p.X.Label.TextStyle.XAlign = draw.XCenter
	p.X.Label.TextStyle.YAlign = draw.YBottom
	p.X.Tick.Label.XAlign = draw.XCenter
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Label.TextStyle.XAlign = draw.XCenter
	p.Y.Label.TextStyle.YAlign = draw.YBottom
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.X.Label.Padding = 4
	p.Y.Label.Padding = 6
	p.Legend.TextStyle = textStyle(sansRegular, sizeLegend, black)
	p.Add(&grid{})
	return p
}

// percentAxis makes ax show shares in [0,1] as percentages.
func percentAxis(ax *plot.Axis) { ax.Tick.Marker = niceTicks{percent: true} }

// niceTicks places about five labelled ticks at round numbers, with
// minor ticks between them. With percent, values in [0,1] are labelled
// 0–100.
type niceTicks struct {
	percent bool
	n       int // about this many labelled ticks; 0 means 5
}

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	if !finiteRange(min, max) {
		return nil
	}
	if !(max > min) {
		return []plot.Tick{{Value: min, Label: t.label(min, 1)}}
	}
	n := t.n
	if n <= 0 {
		n = 5
	}
	step := niceStep((max - min) / float64(n))
	var ticks []plot.Tick
	first := math.Ceil(min/step-1e-9) * step
	if first+step == first { // a step below the values' precision: one tick
		return []plot.Tick{{Value: min, Label: t.label(min, step)}}
	}
	for v := first; v <= max+step*1e-9 && len(ticks) < maxTicks; v += step {
		v = math.Round(v/step) * step
		if v == 0 {
			v = 0 // no "-0"
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: t.label(v, step)})
	}
	// Minor ticks halfway.
	for k := 0; k <= maxTicks; k++ {
		v := first - step/2 + float64(k)*step
		if v > max {
			break
		}
		if v >= min {
			ticks = append(ticks, plot.Tick{Value: v})
		}
	}
	return ticks
}

func (t niceTicks) label(v, step float64) string {
	if t.percent {
		v *= 100
		step *= 100
	}
	decimals := 0
	if step < 1 {
		decimals = int(-math.Floor(math.Log10(step) + 1e-9))
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if math.Abs(v) >= 10000 && decimals == 0 {
		s = thousands(s)
	}
	return strings.Replace(s, "-", "−", 1)
}

// thousands inserts thin spaces between groups of three digits.
func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(' ')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// niceStep rounds a raw tick step to 1, 2 or 5 times a power of ten,
// preferring the smaller step (more ticks) unless it is much too small.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= raw/1.7 {
			return m * p
		}
	}
	return 10 * p
}

// maxTicks bounds the ticks of an axis, whatever its range.
const maxTicks = 100

// finiteRange reports whether both bounds of an axis are finite numbers.
func finiteRange(min, max float64) bool {
	return !math.IsNaN(min) && !math.IsNaN(max) && !math.IsInf(min, 0) && !math.IsInf(max, 0)
}

// log10Ticks labels an axis whose data are log10 of the values shown: at
// 1, 2 and 5 times powers of ten, with unlabelled minor ticks at the other
// integers. (Drawing log10 values on a linear axis keeps gonum/plot's axis
// label centred, which its LogScale does not.)
type log10Ticks struct{}

// Ticks implements plot.Ticker.
func (log10Ticks) Ticks(min, max float64) []plot.Tick {
	if !finiteRange(min, max) || max-min > maxTicks || !(max > min) {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(min); e <= math.Ceil(max); e++ {
		for m := 1.0; m < 10; m++ {
			lv := e + math.Log10(m)
			if lv < min-1e-9 || lv > max+1e-9 {
				continue
			}
			t := plot.Tick{Value: lv}
			if m == 1 || m == 2 || m == 5 {
				t.Label = thousands(strconv.FormatFloat(m*math.Pow(10, e), 'f', -1, 64))
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// grid draws light horizontal and vertical lines at the major ticks.
type grid struct{ noVertical bool }

// Plot implements plot.Plotter.
func (g *grid) Plot(c draw.Canvas, p *plot.Plot) {
	sty := draw.LineStyle{Color: gridGrey, Width: 0.75}
	trX, trY := p.Transforms(&c)
	if !g.noVertical {
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			if t.IsMinor() || t.Value < p.X.Min || t.Value > p.X.Max {
				continue
			}
			x := trX(t.Value)
			c.StrokeLine2(sty, x, c.Min.Y, x, c.Max.Y)
		}
	}
	for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if t.IsMinor() || t.Value < p.Y.Min || t.Value > p.Y.Max {
			continue
		}
		y := trY(t.Value)
		c.StrokeLine2(sty, c.Min.X, y, c.Max.X, y)
	}
}
