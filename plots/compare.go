package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// interval is one estimate drawn as a marker with a 95 % error bar.
type interval struct {
	pos       float64 // position on the categorical axis
	v, lo, hi float64 // estimate and bounds on the value axis
	color     color.Color
	glyph     draw.GlyphDrawer
}

// intervalMarks draws estimates with error bars; horizontal puts values on
// the x axis.
type intervalMarks struct {
	items      []interval
	horizontal bool
}

const (
	markerRadius = 6
	capHalf      = 6
)

// Plot implements plot.Plotter.
func (m *intervalMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, it := range m.items {
		ls := draw.LineStyle{Color: it.color, Width: 2.5}
		if !math.IsNaN(it.lo) && !math.IsNaN(it.hi) {
			if m.horizontal {
				y, x0, x1 := trY(it.pos), trX(it.lo), trX(it.hi)
				c.StrokeLine2(ls, x0, y, x1, y)
				c.StrokeLine2(ls, x0, y-capHalf, x0, y+capHalf)
				c.StrokeLine2(ls, x1, y-capHalf, x1, y+capHalf)
			} else {
				x, y0, y1 := trX(it.pos), trY(it.lo), trY(it.hi)
				c.StrokeLine2(ls, x, y0, x, y1)
				c.StrokeLine2(ls, x-capHalf, y0, x+capHalf, y0)
				c.StrokeLine2(ls, x-capHalf, y1, x+capHalf, y1)
			}
		}
		pt := vg.Point{X: trX(it.v), Y: trY(it.pos)}
		if !m.horizontal {
			pt = vg.Point{X: trX(it.pos), Y: trY(it.v)}
		}
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: it.color, Radius: markerRadius, Shape: it.glyph}, pt)
	}
}

// DataRange implements plot.DataRanger.
func (m *intervalMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	vmin, vmax := math.Inf(1), math.Inf(-1)
	pmin, pmax := math.Inf(1), math.Inf(-1)
	for _, it := range m.items {
		for _, v := range []float64{it.v, it.lo, it.hi} {
			if !math.IsNaN(v) {
				vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
			}
		}
		pmin, pmax = math.Min(pmin, it.pos), math.Max(pmax, it.pos)
	}
	if m.horizontal {
		return vmin, vmax, pmin, pmax
	}
	return pmin, pmax, vmin, vmax
}

// GlyphBoxes implements plot.GlyphBoxer so that markers and caps are not
// clipped at the edges.
func (m *intervalMarks) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := vg.Length(math.Max(markerRadius, capHalf))
	var out []plot.GlyphBox
	for _, it := range m.items {
		for _, v := range []float64{it.v, it.lo, it.hi} {
			if math.IsNaN(v) {
				continue
			}
			b := plot.GlyphBox{Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}}
			if m.horizontal {
				b.X, b.Y = p.X.Norm(v), p.Y.Norm(it.pos)
			} else {
				b.X, b.Y = p.X.Norm(it.pos), p.Y.Norm(v)
			}
			out = append(out, b)
		}
	}
	return out
}

// cmpPanel is one panel of the comparison chart: a measure for each
// variant (names[i] is variant i's, "" when it has none, e.g. a shock
// of another scenario), with the shock it belongs to (nil for whole-run
// measures).
type cmpPanel struct {
	names []string
	shock *results.AlignedShock
}

// measure is the panel's measure name for titles and ranges: the first
// variant's that has one.
func (c cmpPanel) measure() string {
	for _, n := range c.names {
		if n != "" {
			return n
		}
	}
	return ""
}

// alignedShocks returns the shocks of the variants matched by kind and
// tick (results.Summary.AlignedShocks), with K indexed like r.Variants.
func (r *Results) alignedShocks() []results.AlignedShock {
	if len(r.Summary.Variants) == len(r.Variants) {
		return r.Summary.AlignedShocks()
	}
	var out []results.AlignedShock
	for _, s := range r.Shocks() {
		a := results.AlignedShock{ShockInfo: s, K: make([]int, len(r.Variants))}
		for i := range a.K {
			a.K[i] = s.Index
		}
		out = append(out, a)
	}
	return out
}

// comparisonPanels are the panels of the comparison chart, the headline
// first: for each shock (matched across variants by kind and tick), the
// diversity of the market when it hit and the failures it caused beyond
// the background (the raw failure share for results without the
// counterfactual), then final diversity and the mean margin. Panels no
// variant has a value for are left out.
func (r *Results) comparisonPanels() []cmpPanel {
	var ps []cmpPanel
	all := func(m string) cmpPanel {
		c := cmpPanel{names: make([]string, len(r.Variants))}
		for i := range c.names {
			c.names[i] = m
		}
		return c
	}
	for _, a := range r.alignedShocks() {
		a := a
		for _, suffix := range []string{"pre_effective_strategies", "excess_fail_share"} {
			c := cmpPanel{names: make([]string, len(r.Variants)), shock: &a}
			for i := range c.names {
				c.names[i], _ = a.Measure(i, suffix)
			}
			if suffix == "excess_fail_share" && !r.hasAnyMeasure(c.names) {
				for i := range c.names {
					c.names[i], _ = a.Measure(i, "fail_share")
				}
			}
			ps = append(ps, c)
		}
	}
	if !r.HasMarket() {
		// Without a market the score the firms compare is their fitness
		// (Lazer–Friedman): how high they climbed is the result.
		ps = append(ps, all("final_mean_fitness"))
	}
	ps = append(ps, all("final_effective_strategies"), all("mean_margin"))
	var out []cmpPanel
	for _, c := range ps {
		if r.hasAnyMeasure(c.names) {
			out = append(out, c)
		}
	}
	return out
}

// hasAnyMeasure reports whether some variant i has a measured value of
// names[i].
func (r *Results) hasAnyMeasure(names []string) bool {
	for i, v := range r.Variants {
		if i < len(names) && names[i] != "" {
			if e, ok := r.Estimate(v, names[i]); ok && !math.IsNaN(e.Mean) {
				return true
			}
		}
	}
	return false
}

// hasMeasure reports whether some variant has a measured value of m.
func (r *Results) hasMeasure(m string) bool {
	for _, v := range r.Variants {
		if e, ok := r.Estimate(v, m); ok && !math.IsNaN(e.Mean) {
			return true
		}
	}
	return false
}

// inAftermath reports whether some run ended inside a shock's aftermath,
// where final values describe a market still moving after the shock.
func (r *Results) inAftermath() bool {
	for _, v := range r.Variants {
		if e, ok := r.Estimate(v, "final_in_aftermath"); ok && e.Mean > 0 {
			return true
		}
	}
	return false
}

// measureAxis returns the short panel title and axis label of a measure.
func (r *Results) measureAxis(m string) (title, label string) {
	switch m {
	case "final_effective_strategies":
		if r.inAftermath() {
			return "Diversity at the end (in a shock's aftermath)", "Effective number of strategies"
		}
		return "Diversity at the end", "Effective number of strategies"
	case "mean_margin":
		return "Mean margin over the run", "Share of revenue"
	case "final_alive":
		return "Firms at the end", "Firms alive (count)"
	case "final_entropy_bits":
		return "Diversity at the end", "Strategy entropy (bits)"
	case "final_mean_fitness":
		return "Fitness at the end", "Mean fitness of the firms"
	}
	if k, rest, ok := results.SplitShockMeasure(m); ok {
		name := fmt.Sprintf("shock %d", k)
		for _, s := range r.Shocks() {
			if s.Index == k {
				name = s.Name()
			}
		}
		win := "within the window"
		if w := r.ShockWindow(); w > 0 {
			win = fmt.Sprintf("within %d ticks", w)
		}
		switch rest {
		case "pre_effective_strategies":
			return "Diversity when the " + name + " hit", "Effective number of strategies"
		case "excess_fail_share":
			return "Excess failures after the " + name, "% of firms alive at the shock"
		case "fail_share":
			return "Firms failing after the " + name, "% of firms alive at the shock, failing " + win + " (background included)"
		case "pre_margin":
			return "Margin before the " + name, "Mean margin (share of revenue)"
		case "drop_depth":
			return "Drop after the " + name, "% fewer firms alive at the low point"
		case "recovery_ticks":
			return "Recovery after the " + name, "Months to get back to 90 % of firms"
		}
	}
	h := present.Label(m, r.Shocks())
	return h, h
}

// rowAxes sets the axes of a panel with one row per item (variant or
// shock), item 0 at the bottom, its values along X: X starts at zero
// (honest magnitudes: counts and shares start at zero) with room for the
// markers; Y has a grid line at each row, whose names are drawn left of
// the panels (Chart.rowLabels).
func rowAxes(p *plot.Plot, n int) {
	if p.X.Min > 0 {
		p.X.Min = 0
	}
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	p.X.Max += 0.06 * (p.X.Max - p.X.Min) // room for the markers
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	ticks := make([]plot.Tick, n)
	for i := range n {
		ticks[i] = plot.Tick{Value: float64(i)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
}

func comparisonChart(r *Results) *Chart {
	if len(r.Variants) < 2 {
		return nil
	}
	cps := r.comparisonPanels()
	if len(cps) == 0 {
		return nil
	}
	n := len(r.Variants)
	names := make([]string, n)
	labels, head := r.rowLabels()
	for i := range r.Variants {
		names[n-1-i] = labels[i] // first variant at the top
	}
	var measures []string
	var panels []*plot.Plot
	for _, cp := range cps {
		m := cp.measure()
		measures = append(measures, m)
		title, label := r.measureAxis(m)
		if a := cp.shock; a != nil {
			// Each shock named with its own tick: scenarios compared
			// with each other may have the same kind at other ticks.
			title = fmt.Sprintf("%s (tick %d)", title, a.Tick)
		}
		p := newPanel(title, label, "")
		r.comparisonMarks(p, m, cp.names)
		panels = append(panels, p)
	}
	// Small multiples of a fixed size: two panels a row (a shock's two
	// measures side by side), as many rows as needed; the figure grows
	// downwards instead of squeezing the panels.
	cols := min(len(panels), 3)
	if len(r.alignedShocks()) > 0 {
		cols = min(len(panels), 2)
	}
	grid := wrapPanels(panels, cols)
	height := figHeight
	if rows := len(grid); rows > 1 {
		panelH := max(2.3*vg.Inch, vg.Length(n)*0.3*vg.Inch+1.2*vg.Inch)
		height = 1.9*vg.Inch + vg.Length(rows)*panelH
	}
	return &Chart{
		Title:        comparisonTitle(measures),
		Caption:      r.comparisonCaption(),
		grid:         grid,
		rowLabels:    names,
		rowLabelHead: head,
		height:       height,
	}
}

// comparisonMarks adds to panel p each variant's mean of measure m (its
// per-variant name names[i], "" for a variant without it) with its 95 %
// interval clipped to the measure's range, one row per variant, the first
// at the top.
func (r *Results) comparisonMarks(p *plot.Plot, m string, names []string) {
	n := len(r.Variants)
	var items []interval
	for i, v := range r.Variants {
		if names[i] == "" {
			continue
		}
		e, ok := r.Estimate(v, names[i])
		if !ok || math.IsNaN(e.Mean) {
			continue
		}
		lo, hi := results.ClipInterval(m, e.CILow, e.CIHigh)
		st := r.style(i)
		items = append(items, interval{pos: float64(n - 1 - i), v: e.Mean, lo: lo, hi: hi,
			color: st.color, glyph: st.glyph})
	}
	p.Add(&intervalMarks{items: items, horizontal: true})
	if results.InPercent(m) {
		percentAxis(&p.X)
	}
	rowAxes(p, n)
}

// comparisonCaption says what the comparison chart's marks are, and where
// the variants' shocks or aftermaths make a panel read differently.
func (r *Results) comparisonCaption() string {
	seeds := r.seedCount()
	caption := fmt.Sprintf("Marker: mean over %d seeds; bar: 95 %% confidence interval of the mean, cut at the measure's possible range.", seeds)
	if len(r.Shocks()) > 0 {
		caption += " Diversity when the shock hit: mean of the 10 ticks before it. Excess failures: share of the firms alive at the shock that exit within the window, minus the share that exit in the same market run without the shock (same seeds and draws)."
	}
	if r.Summary.ShocksDiffer() {
		caption += " The variants ran different shocks: a shock's panels show the variants that had it (the same kind at the same tick)."
	}
	if r.inAftermath() {
		caption += " Some runs end inside a shock's aftermath: diversity at the end is then not the market's settled diversity."
	}
	if r.Summary.Focus != "" && r.VariantIndex(r.Summary.Focus) >= 0 {
		caption += " (focus): the variant the scenario is about."
	}
	return caption
}

// comparisonTitle names what the comparison panels of measures show.
func comparisonTitle(measures []string) string {
	var what []string
	shock, margin := false, false
	for _, m := range measures {
		switch {
		case strings.HasPrefix(m, "shock"):
			shock = true
		case m == "mean_margin":
			margin = true
		case m == "final_mean_fitness":
			what = append(what, "fitness")
		}
	}
	if shock {
		what = append(what, "diversity when the shock hit", "fragility")
	} else {
		what = append(what, "diversity at the end")
	}
	if margin {
		what = append(what, "profitability")
	}
	title := "Comparison of variants: " + what[0]
	if k := len(what); k > 1 {
		title = "Comparison of variants: " + strings.Join(what[:k-1], ", ") + " and " + what[k-1]
	}
	return title
}

// fragilityChart plots, for every shock of the scenario, each run's
// diversity when the shock hit against the failures the shock caused
// beyond the background: one panel per shock (small multiples sharing the
// vertical scale), one marker per run. Results without the counterfactual
// fall back to the raw failure share, results without the pre-shock
// diversity to the pre-shock margin.
func fragilityChart(r *Results) *Chart {
	var panels []*plot.Plot
	var drawn []results.ShockInfo
	var excess, diversity bool
	hasVariant := make([]bool, len(r.Variants))
	for _, a := range r.alignedShocks() {
		p, ex, div, ok := fragilityPanel(r, a, hasVariant)
		if !ok {
			continue
		}
		panels, drawn = append(panels, p), append(drawn, a.ShockInfo)
		excess, diversity = excess || ex, diversity || div
	}
	if len(panels) == 0 {
		return nil
	}
	win := "within the window"
	if w := r.ShockWindow(); w > 0 {
		win = fmt.Sprintf("within %d ticks", w)
	}
	xLabel, yLabel := "Mean margin in the 10 ticks before the shock (share of revenue)", "Firms failing "+win+", background included (%)"
	if diversity {
		xLabel = "Diversity when the shock hit (effective strategies, 10 ticks before)"
	}
	if excess {
		yLabel = "Excess failures " + win + " (% of firms alive at the shock)"
	}
	fragilityAxes(panels, drawn, excess, diversity, xLabel, yLabel)
	title, caption := fragilityWords(drawn, excess, diversity, win)
	var legend []legendEntry
	for i, ok := range hasVariant {
		if ok && len(r.Variants) > 1 { // a single variant needs no legend
			legend = append(legend, legendEntry{label: r.label(r.Variants[i]), thumbs: []plot.Thumbnailer{
				glyphThumb{draw.GlyphStyle{Color: r.style(i).color, Radius: markerRadius, Shape: r.style(i).glyph}},
			}})
		}
	}
	// Small multiples of a fixed size, three a row, as many rows as
	// needed (fragilityAxes labels the first of each row).
	cols := min(len(panels), 3)
	grid := wrapPanels(panels, cols)
	height := figHeight
	if len(grid) > 1 {
		height = 2.2*vg.Inch + vg.Length(len(grid))*3*vg.Inch
	}
	return &Chart{
		Title:       title,
		Caption:     caption,
		height:      height,
		grid:        grid,
		legend:      legend,
		legendBelow: len(panels) > 1,
	}
}

// fragilityAxes gives the fragility panels one vertical scale, so that
// shocks compare, and their titles and axis labels: a row of small
// multiples, the first panel holding the vertical axis label.
func fragilityAxes(panels []*plot.Plot, drawn []results.ShockInfo, excess, diversity bool, xLabel, yLabel string) {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, p := range panels {
		ymin, ymax = math.Min(ymin, p.Y.Min), math.Max(ymax, p.Y.Max)
	}
	var ax plot.Axis
	ax.Min, ax.Max = math.Min(ymin, 0), ymax
	padRange(&ax, 0.08)
	if ax.Min < 0 && !excess { // excess failures can be negative
		ax.Min = 0
	}
	// Small multiples of a fixed size, three a row, as many rows as
	// needed; the first panel of each row holds the vertical axis label.
	cols := min(len(panels), 3)
	for i, p := range panels {
		p.Y.Min, p.Y.Max = ax.Min, ax.Max
		padRange(&p.X, 0.05)
		p.X.Label.Text = xLabel
		if len(panels) > 1 {
			s := drawn[i]
			p.Title.Text = fmt.Sprintf("%d. %s (tick %d)", i+1, s.Name(), s.Tick)
			p.X.Label.Text = "Effective strategies"
			if !diversity {
				p.X.Label.Text = "Mean margin"
			}
		}
		if i%cols == 0 {
			p.Y.Label.Text = yLabel
			if len(panels) > 1 { // short enough for a narrow panel; the caption says the rest
				p.Y.Label.Text = "Failures, background included (%)"
				if excess {
					p.Y.Label.Text = "Excess failures (%)"
				}
			}
		}
	}
}

// fragilityWords are the fragility chart's title and caption for the
// shocks drawn; win says over which window failures count.
func fragilityWords(drawn []results.ShockInfo, excess, diversity bool, win string) (title, caption string) {
	s := drawn[0]
	which := fmt.Sprintf("the %s (tick %d)", s.Name(), s.Tick)
	if len(drawn) > 1 {
		which = "each shock (one panel per shock, with its tick)"
	}
	across := fmt.Sprintf("Across: how profitable the market was just before %s, the mean margin over the 10 ticks before it. ", which)
	title = fmt.Sprintf("Efficient but fragile? Margin vs. losses in the %s", s.Name())
	if diversity {
		across = fmt.Sprintf("Across: diversity just before %s, the effective number of strategies over the 10 ticks before it (further left: more homogeneous). ", which)
		title = fmt.Sprintf("Homogeneous and fragile? Diversity vs. losses in the %s", s.Name())
	}
	if len(drawn) > 1 {
		title = strings.Replace(title, "in the "+s.Name(), "in each shock", 1)
	}
	up := "Up: the share of the firms alive at the shock that exit " + win + " after it, background exits included (higher: more firms lost)."
	if excess {
		up = "Up: excess failures, the share of the firms alive at the shock that exit " + win + " after it minus the share that exit in the same market run without that shock (same seeds and draws; higher: more firms lost to the shock, below 0: fewer than without it)."
	}
	caption = "One marker per run (seed). " + across + up
	if len(drawn) > 1 {
		caption += " Every panel has the same vertical scale; each panel its own horizontal one. Later shocks hit a market already changed by the earlier ones."
	}
	return title, caption
}

// fragilityPanel is the panel of shock s: one marker per run, across its
// diversity when s hit (or its margin before s), up its excess failures
// (or its failures with the background). It marks in hasVariant the
// variants it draws; ok is false when no run has both measures.
func fragilityPanel(r *Results, a results.AlignedShock, hasVariant []bool) (p *plot.Plot, excess, diversity, ok bool) {
	names := func(suffix string) []string {
		out := make([]string, len(r.Variants))
		for i := range out {
			out[i], _ = a.Measure(i, suffix)
		}
		return out
	}
	xms, yms := names("pre_effective_strategies"), names("excess_fail_share")
	excess = r.hasAnyMeasure(yms)
	if !excess {
		yms = names("fail_share")
	}
	diversity = r.hasAnyMeasure(xms)
	if !diversity {
		xms = names("pre_margin")
	}
	type key struct {
		variant string
		seed    uint64
	}
	xs, ys := map[key]float64{}, map[key]float64{}
	var keys []key
	for _, row := range r.Runs {
		i := r.VariantIndex(row.Variant)
		if i < 0 || i >= len(xms) || xms[i] == "" {
			continue // a variant without this shock
		}
		k := key{row.Variant, row.Seed}
		switch row.Measure {
		case xms[i]:
			xs[k] = row.Value
			keys = append(keys, k)
		case yms[i]:
			ys[k] = row.Value
		}
	}
	points := make([][]interval, len(r.Variants))
	count := 0
	for _, k := range keys {
		x, okx := xs[k]
		y, oky := ys[k]
		i := r.VariantIndex(k.variant)
		if !okx || !oky || i < 0 || math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		// Translucent markers so that overlapping runs stay visible.
		points[i] = append(points[i], interval{pos: x, v: y, lo: math.NaN(), hi: math.NaN(), color: alpha(r.style(i).color, 0.8), glyph: r.style(i).glyph})
		count++
	}
	if count == 0 {
		return nil, false, false, false
	}
	p = newPanel("", "", "")
	percentAxis(&p.Y)
	for i, pts := range points {
		if len(pts) > 0 {
			p.Add(&intervalMarks{items: pts})
			hasVariant[i] = true
		}
	}
	return p, excess, diversity, true
}

// padRange widens an axis by frac of its range on both sides (at least a
// little when the range is empty).
func padRange(ax *plot.Axis, frac float64) {
	d := ax.Max - ax.Min
	if d <= 0 {
		d = math.Max(math.Abs(ax.Max), 1)
	}
	ax.Min -= d * frac
	ax.Max += d * frac
}

// comparisonMeasures are the measures of the comparison chart's panels,
// each named as the first variant that has it names it.
func (r *Results) comparisonMeasures() []string {
	var out []string
	for _, c := range r.comparisonPanels() {
		out = append(out, c.measure())
	}
	return out
}

// wrapPanels lays panels out as small multiples, cols a row, as many rows
// as needed; the last row is padded with empty cells so that every panel
// keeps the same size.
func wrapPanels(panels []*plot.Plot, cols int) [][]*plot.Plot {
	var grid [][]*plot.Plot
	for k := 0; k < len(panels); k += cols {
		row := panels[k:min(k+cols, len(panels)):min(k+cols, len(panels))]
		for len(row) < cols {
			row = append(row, nil)
		}
		grid = append(grid, row)
	}
	return grid
}
