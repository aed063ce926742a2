package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// behaviourTypes is the display order of firm behaviour types.
var behaviourTypes = []string{"imitator", "innovator", "specialist", "adaptive"}

// typeColors colours behaviour types when a single variant is shown.
var typeColors = map[string]color.RGBA{
	"imitator":   OkabeIto[1],
	"innovator":  OkabeIto[2],
	"specialist": OkabeIto[3],
	"adaptive":   OkabeIto[0],
}

// SurvivalRows returns the Kaplan–Meier rows of survival.csv for one
// variant and type (group), by t.
func (r *Results) SurvivalRows(variant, typ string) []results.SurvivalRow {
	var out []results.SurvivalRow
	for _, row := range r.Survival {
		if row.Variant == variant && row.Type == typ {
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].T < out[j].T })
	return out
}

// addSurvivalCurve draws a Kaplan–Meier step curve with its Greenwood band
// in style st: the band on p now, the line appended to lines (drawn last,
// above every band).
func addSurvivalCurve(p *plot.Plot, rows []results.SurvivalRow, st variantStyle, lines *[]plot.Plotter) {
	c := st.color
	t := make([]float64, len(rows))
	s := make([]float64, len(rows))
	lo := make([]float64, len(rows))
	hi := make([]float64, len(rows))
	for i, row := range rows {
		t[i], s[i], lo[i], hi[i] = row.T, row.Survival, row.CILow, row.CIHigh
		if math.IsNaN(lo[i]) {
			lo[i] = s[i]
		}
		if math.IsNaN(hi[i]) {
			hi[i] = s[i]
		}
	}
	x, y := stepXY(t, s)
	_, ylo := stepXY(t, lo)
	_, yhi := stepXY(t, hi)
	if b := bandPolygon(x, ylo, yhi, c); b != nil {
		p.Add(b)
	}
	if l := meanLine(x, y, c); l != nil {
		l.Dashes = st.dashes
		*lines = append(*lines, l)
	}
}

func survivalPanel(title, ylabel string) *plot.Plot {
	p := newPanel(title, "Firm age (months since entry)", ylabel)
	percentAxis(&p.Y)
	p.Y.Min, p.Y.Max = 0, 1
	return p
}

func (r *Results) seedCount() int {
	if n := len(r.Summary.Seeds); n > 0 {
		return n
	}
	seeds := map[uint64]bool{}
	for _, row := range r.Timeseries {
		seeds[row.Seed] = true
	}
	for _, row := range r.Runs {
		seeds[row.Seed] = true
	}
	return len(seeds)
}

func survivalCaption(r *Results) string {
	s := "Kaplan–Meier estimate of the share of firms still in business at each age"
	if n := r.seedCount(); n > 0 {
		s += fmt.Sprintf(", firms pooled over %d seeds", n)
	}
	s += "; shaded band: 95 % confidence interval (Greenwood)."
	return s
}

// logrankCaption states the log-rank test across variants, or "" when
// there is no comparison.
func logrankCaption(r *Results) string {
	lr := r.Summary.Logrank
	if lr == nil || len(r.Variants) < 2 {
		return ""
	}
	return fmt.Sprintf("Log-rank test of equal survival across the %d variants: χ² = %.1f, df = %d, %s.",
		len(r.Variants), lr.Chi2, lr.DF, present.P(float64(lr.P)))
}

// blsSurvival is the survival of US private-sector establishments that
// opened in March 1994, by months since opening (U.S. Bureau of Labor
// Statistics, Business Employment Dynamics; The Economics Daily, 1 November
// 2018): the figures the demography is calibrated to (docs/validation.md).
var blsSurvival = [][2]float64{{12, 0.796}, {60, 0.496}, {120, 0.336}}

func survivalChart(r *Results) *Chart {
	if !r.HasMarket() {
		return nil
	}
	var lines, entrantLines []plot.Plotter
	p := survivalPanel("", "Firms still in business (%)")
	pe := survivalPanel("Firms founded during the run", "")
	var legend []legendEntry
	xmax, emax := 0.0, 0.0
	for i, v := range r.Variants {
		rows := r.SurvivalRows(v, "all")
		if len(rows) == 0 {
			continue
		}
		addSurvivalCurve(p, rows, r.style(i), &lines)
		legend = append(legend, legendEntry{label: r.label(v), thumbs: []plot.Thumbnailer{lineThumb{s: r.style(i), band: true}}})
		xmax = math.Max(xmax, rows[len(rows)-1].T)
		if er := r.SurvivalRows(v, "entrants"); len(er) > 1 {
			addSurvivalCurve(pe, er, r.style(i), &entrantLines)
			emax = math.Max(emax, er[len(er)-1].T)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	p.Add(lines...)
	p.X.Min, p.X.Max = 0, math.Max(xmax, 1)
	p.Y.Min, p.Y.Max = 0, 1
	caption := survivalCaption(r)
	if len(legend) > 1 && len(r.typesPresent()) > 1 {
		caption += " Each curve pools the behaviour types in its variant's own proportions: a lead here can come from having more firms of a long-lived type (a composition effect); the survival-by-type chart compares like with like."
	}
	if lr := logrankCaption(r); lr != "" && len(legend) > 1 {
		caption += "\n" + lr
	}
	grid := [][]*plot.Plot{{p}}
	if len(entrantLines) > 0 {
		p.Title.Text = "All firms (the initial firms' shakeout included)"
		pe.Add(entrantLines...)
		ref := glyphThumb{draw.GlyphStyle{Color: black, Radius: markerRadius, Shape: boldCross{}}}
		var pts []plotter.XY
		for _, b := range blsSurvival {
			if b[0] <= emax {
				pts = append(pts, plotter.XY{X: b[0], Y: b[1]})
			}
		}
		if len(pts) > 0 {
			if sc, err := plotter.NewScatter(plotter.XYs(pts)); err == nil {
				sc.GlyphStyle = ref.sty
				pe.Add(sc)
				pe.Title.Text = "Founded during the run (×: US start-ups)"
			}
		}
		// The same age axis as all firms, so that the panels compare.
		pe.X.Min, pe.X.Max = 0, math.Max(math.Max(emax, xmax), 1)
		p.X.Max = pe.X.Max
		pe.Y.Min, pe.Y.Max = 0, 1
		grid = [][]*plot.Plot{{p, pe}}
		caption += " Right: firms founded during the run; ×: US start-ups still open after 12, 60 and 120 months (BLS; docs/validation.md)."
	}
	return &Chart{
		Title:   "Firm survival: share of firms still in business by age",
		Caption: caption,
		grid:    grid,
		legend:  legend,
	}
}

// typesPresent returns the behaviour types with survival rows, in display
// order.
func (r *Results) typesPresent() []string {
	seen := map[string]bool{}
	for _, row := range r.Survival {
		seen[row.Type] = true
	}
	var out []string
	for _, t := range behaviourTypes {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out
}

func typeTitle(t string) string {
	switch t {
	case "imitator":
		return "Imitators"
	case "innovator":
		return "Innovators"
	case "specialist":
		return "Specialists"
	case "adaptive":
		return "Adaptive learners"
	}
	return t
}

func survivalByTypeChart(r *Results) *Chart {
	types := r.typesPresent()
	if len(types) == 0 || !r.HasMarket() {
		return nil
	}
	xmax := 1.0
	for _, row := range r.Survival {
		if row.Type != "initial_cohort" {
			xmax = math.Max(xmax, row.T)
		}
	}
	withData := 0
	for _, v := range r.Variants {
		for _, t := range types {
			if len(r.SurvivalRows(v, t)) > 0 {
				withData++
				break
			}
		}
	}
	if withData == 1 {
		return r.survivalOneMarket(types, xmax)
	}
	// Several markets: one panel per type, one curve per variant.
	var row []*plot.Plot
	for k, t := range types {
		ylabel := ""
		if k == 0 {
			ylabel = "Firms still in business (%)"
		}
		p := survivalPanel(typeTitle(t), ylabel)
		p.X.Label.Text = "Age (months)"
		var lines []plot.Plotter
		for i, v := range r.Variants {
			if rows := r.SurvivalRows(v, t); len(rows) > 0 {
				addSurvivalCurve(p, rows, r.style(i), &lines)
			}
		}
		p.Add(lines...)
		p.X.Min, p.X.Max = 0, xmax
		p.Y.Min, p.Y.Max = 0, 1
		row = append(row, p)
	}
	legend := variantLegend(r, func(v string) bool { return len(r.SurvivalRows(v, "all")) > 0 }, false)
	return &Chart{
		Title: "Firm survival by behaviour type: who stays in business",
		Caption: survivalCaption(r) + " Same scales in every panel. " +
			"The pooled survival chart mixes the types in each variant's proportions: a variant with many firms of a long-lived type can lead the pooled curves while trailing in every panel here (a composition effect), so compare variants type by type here.",
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
}

// survivalOneMarket is the survival-by-type chart of one market: one
// panel, one curve per behaviour type (of types), ages up to xmax.
func (r *Results) survivalOneMarket(types []string, xmax float64) *Chart {
	v := r.Variants[0]
	for _, vv := range r.Variants {
		if len(r.SurvivalRows(vv, types[0])) > 0 {
			v = vv
		}
	}
	p := survivalPanel("", "Firms still in business (%)")
	var lines []plot.Plotter
	var legend []legendEntry
	for _, t := range types {
		rows := r.SurvivalRows(v, t)
		if len(rows) == 0 {
			continue
		}
		c := typeColors[t]
		addSurvivalCurve(p, rows, variantStyle{color: c}, &lines)
		legend = append(legend, legendEntry{label: typeTitle(t), thumbs: []plot.Thumbnailer{bandThumb{c}}})
	}
	p.Add(lines...)
	p.X.Min, p.X.Max = 0, xmax
	p.Y.Min, p.Y.Max = 0, 1
	return &Chart{
		Title:   "Firm survival by behaviour type: who stays in business",
		Caption: survivalCaption(r),
		grid:    [][]*plot.Plot{{p}},
		legend:  legend,
	}
}

// boldCross is a × drawn with lines thick enough to read on a projector
// (draw.CrossGlyph's hairlines vanish beside the survival curves).
type boldCross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (boldCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	ls := draw.LineStyle{Color: sty.Color, Width: 2.5}
	r := sty.Radius
	c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
	c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
}
