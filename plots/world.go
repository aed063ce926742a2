package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HasMarket reports whether the results come from a world with a market
// (revenue, cash, exit and entry). A culture-only world such as Axelrod's
// has none: no survival or market charts are drawn for it.
func (r *Results) HasMarket() bool {
	if w := r.Summary.World; w != nil && !w.Market {
		return false
	}
	return r.HasMetric("mean_margin") || len(r.Survival) > 0 && r.HasMetric("hhi")
}

// timeLabel is the label of every axis of calendar time. In a market a
// tick is one month (docs/model.md, Demography); in a world without one
// (Axelrod, Lazer–Friedman) a tick is one round of the agents' rule, with
// no calendar meaning.
func (r *Results) timeLabel() string {
	if r.HasMarket() {
		return "Time (ticks = months)"
	}
	return "Time (ticks)"
}

// seriesTicks returns the number of recorded ticks of metric in the
// variant with the most.
func (r *Results) seriesTicks(metric string) int {
	n := 0
	for _, v := range r.Variants {
		n = max(n, len(r.Stat(v, metric)))
	}
	return n
}

// regionsChart draws the number of regions of identical strategies and the
// share of firms in the largest one over time, when they were measured
// more than once (simulation.regions_every).
func regionsChart(r *Results) *Chart {
	if r.seriesTicks("regions") < 2 {
		return nil
	}
	legend := variantLegend(r, func(v string) bool { return len(r.Stat(v, "regions")) > 0 }, true)
	var row []*plot.Plot
	if p := seriesPanel(r, "regions", "Regions", "Regions of identical strategies (count)", true, false, 0); p != nil {
		row = append(row, p)
	}
	if p := seriesPanel(r, "largest_region", "Largest region", "Firms in the largest region (%)", true, false, 0); p != nil {
		percentAxis(&p.Y)
		p.Y.Min, p.Y.Max = 0, 1
		row = append(row, p)
	}
	if len(row) == 0 {
		return nil
	}
	return &Chart{
		Title: "Regions of identical strategies: does one strategy take over or do several persist?",
		Caption: bandCaption(r, "regions") + " A region is a connected group of neighbouring firms with identical strategies (Axelrod 1997); " +
			"the largest region's share of firms is the order parameter of Castellano, Marsili & Vespignani (2000): near 100 % when one strategy spans the network, low when it stays fragmented.",
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
}

// cohortSurvivalChart draws the calendar-time survival of the firms
// present at tick 0, on which the shocks can be marked (the other survival
// charts use firm age, on which they cannot).
func cohortSurvivalChart(r *Results) *Chart {
	if !r.HasMarket() || len(r.Shocks()) == 0 {
		return nil
	}
	p := newPanel("", r.timeLabel(), "Firms of the initial cohort still in business (%)")
	percentAxis(&p.Y)
	if m := newShockMarks(r.Shocks(), true, figWidth-300); m != nil {
		p.Add(m)
	}
	var lines []plot.Plotter
	var legend []legendEntry
	xmax := 0.0
	for i, v := range r.Variants {
		rows := r.SurvivalRows(v, "initial_cohort")
		if len(rows) == 0 {
			continue
		}
		addSurvivalCurve(p, rows, r.style(i), &lines)
		legend = append(legend, legendEntry{label: r.label(v), thumbs: []plot.Thumbnailer{lineThumb{s: r.style(i), band: true}}})
		xmax = math.Max(xmax, rows[len(rows)-1].T)
	}
	if len(lines) == 0 {
		return nil
	}
	p.Add(lines...)
	p.X.Min, p.X.Max = 0, math.Max(xmax, 1)
	p.Y.Min, p.Y.Max = 0, 1
	legend = append(legend, legendEntry{label: "shock", thumbs: []plot.Thumbnailer{&shockMarks{}}})
	caption := "Kaplan–Meier estimate of the share of the firms present at the start (tick 0) still in business at each tick"
	if n := r.seedCount(); n > 0 {
		caption += fmt.Sprintf(", pooled over %d seeds", n)
	}
	caption += "; shaded band: 95 % confidence interval (Greenwood). Calendar time, so that each shock (dashed line; shaded while it lasts) sits where it struck: a fall after a line counts firms that closed after that shock struck, for whatever reason. Entrants are not in this curve."
	return &Chart{
		Title:   "The first firms through the shocks: survival of the initial cohort over time",
		Caption: caption,
		grid:    [][]*plot.Plot{{p}},
		legend:  legend,
	}
}

// shockMeasureSpecs are the per-shock measures the shocks chart compares.
// The first, excess failures, is drawn when the results have the
// counterfactual.
var shockMeasureSpecs = []struct{ suffix, title, label string }{
	{"excess_fail_share", "Excess failures", "% of firms, beyond background"},
	{"fail_share", "Firms failing", "% of firms, with background"},
	{"drop_depth", "Depth of the drop", "% fewer firms alive at the low point"},
	{"recovery_ticks", "Time to recover", "Months to get back to 90 % of firms"},
}

// shocksChart compares the scheduled shocks with each other: one row per
// shock, one panel per measure, a marker per variant. It is drawn when a
// scenario has two or more shocks.
func shocksChart(r *Results) *Chart {
	shocks := r.Shocks()
	if len(shocks) < 2 {
		return nil
	}
	n := len(shocks)
	names := make([]string, n)
	for k, s := range shocks {
		names[n-1-k] = fmt.Sprintf("%d. %s (tick %d)", s.Index, s.Name(), s.Tick) // first shock at the top
	}
	nv := len(r.Variants)
	var row []*plot.Plot
	for _, spec := range shockMeasureSpecs {
		p := newPanel(spec.title, spec.label, "")
		var items []interval
		for k, s := range shocks {
			m := fmt.Sprintf("shock%d_%s", s.Index, spec.suffix)
			for i, v := range r.Variants {
				e, ok := r.Estimate(v, m)
				if !ok || math.IsNaN(e.Mean) {
					continue
				}
				lo, hi := results.ClipInterval(m, e.CILow, e.CIHigh)
				pos := float64(n-1-k) + (float64(i)-float64(nv-1)/2)*0.7/float64(max(nv, 1))
				st := r.style(i)
				items = append(items, interval{pos: pos, v: e.Mean, lo: lo, hi: hi, color: st.color, glyph: st.glyph})
			}
		}
		if len(items) == 0 {
			continue
		}
		p.Add(&intervalMarks{items: items, horizontal: true})
		if spec.suffix != "recovery_ticks" {
			percentAxis(&p.X)
		}
		rowAxes(p, n)
		row = append(row, p)
	}
	if len(row) == 0 {
		return nil
	}
	win := "the window"
	if w := r.ShockWindow(); w > 0 {
		win = fmt.Sprintf("%d ticks", w)
	}
	excess := ""
	if r.hasMeasure(fmt.Sprintf("shock%d_excess_fail_share", shocks[0].Index)) {
		excess = "Excess failures: failing minus the share of the same firms that exit in the same market run without that shock (same seeds and draws). "
	}
	caption := fmt.Sprintf("Marker: mean over %d seeds; bar: 95 %% confidence interval of the mean, cut at the measure's possible range. "+excess+
		"Failing: share of the firms alive at the shock that exit within %s after it, background exits included; drop: the fall of firms alive to its lowest point in that window; "+
		"recovery: ticks until firms alive are back to 90 %% of their level at the shock, over the runs that got back (a missing marker: none did). "+
		"Later shocks hit a market already changed by the earlier ones.", r.seedCount(), win)
	c := &Chart{
		Title:     "Which shock hurts most? Each scheduled shock compared",
		Caption:   caption,
		grid:      [][]*plot.Plot{row},
		rowLabels: names,
	}
	if nv > 1 {
		c.legend = variantGlyphLegend(r)
		c.legendBelow = true
	}
	return c
}

// variantGlyphLegend is the legend of variants drawn as markers.
func variantGlyphLegend(r *Results) []legendEntry {
	var out []legendEntry
	for i, v := range r.Variants {
		st := r.style(i)
		out = append(out, legendEntry{label: r.label(v), thumbs: []plot.Thumbnailer{
			glyphThumb{draw.GlyphStyle{Color: st.color, Radius: markerRadius, Shape: st.glyph}},
		}})
	}
	return out
}

// refLines draws labelled horizontal reference lines across a panel.
type refLines struct {
	values []float64
	labels []string
}

// Plot implements plot.Plotter.
func (l refLines) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: midGrey, Width: 1.2, Dashes: []vg.Length{3, 3}}
	sty := textStyle(sansRegular, sizeNote-1, darkGrey)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	for i, v := range l.values {
		if v < p.Y.Min || v > p.Y.Max {
			continue
		}
		y := trY(v)
		c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
		// A white box behind the label keeps it readable where a shock's
		// dashed line or band crosses it.
		at := vg.Point{X: c.Min.X + 4, Y: y + 2}
		box := sty.Rectangle(l.labels[i]).Add(at)
		box.Min.X -= 2
		box.Max.X += 2
		box.Min.Y = max(box.Min.Y, y+1) // the reference line stays whole
		c.FillPolygon(color.NRGBA{255, 255, 255, 230}, []vg.Point{
			box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y},
		})
		c.FillText(sty, at, l.labels[i])
	}
}

// targetShocks are the shocks that hit one option of a practice (a
// platform, a product practice, a regulated option).
func (r *Results) targetShocks() []results.ShockInfo {
	var out []results.ShockInfo
	for _, s := range r.Shocks() {
		if r.targetsOption(s) {
			out = append(out, s)
		}
	}
	return out
}

// targetsOption reports whether shock s hits one option of a practice: a
// platform failure, a technology disruption, or a regulation of a
// practice (a shocks[k].dimension) rather than of a sector.
func (r *Results) targetsOption(s results.ShockInfo) bool {
	switch s.Kind {
	case "platform_failure", "tech_disruption":
		return true
	case "regulation":
		return r.shockDimension(s) != ""
	}
	return false
}

// platformsChart shows how concentrated firms are on platforms and how
// many used the option a shock hit: the leading platform's share, the
// effective number of platforms, and the share of firms on the option hit
// by the last option shock. It is drawn when a shock hit one option.
func platformsChart(r *Results) *Chart {
	if !r.HasMarket() || !r.HasMetric("shock_target_share") {
		return nil
	}
	var row []*plot.Plot
	if p := seriesPanel(r, "platform_top_share", "Leading platform", "Firms on the most used platform (%)", true, false, 0); p != nil {
		percentAxis(&p.Y)
		p.Y.Min, p.Y.Max = 0, 1
		row = append(row, p)
	}
	if p := seriesPanel(r, "platform_effective", "Platforms in use", "Effective number of platforms", true, false, 0); p != nil {
		row = append(row, p)
	}
	title := "Firms on the option the shock hit"
	if ts := r.targetShocks(); len(ts) > 1 {
		title = "Firms on the option the last shock hit"
	}
	if p := seriesPanel(r, "shock_target_share", title, "Firms using it (%)", true, false, 0); p != nil {
		percentAxis(&p.Y)
		p.Y.Min, p.Y.Max = 0, 1
		if len(row) > 0 {
			p.X.Min, p.X.Max = row[0].X.Min, row[0].X.Max // the same time axis as its neighbours
		}
		row = append(row, p)
	}
	if len(row) == 0 {
		return nil
	}
	legend := variantLegend(r, func(v string) bool { return len(r.Stat(v, "shock_target_share")) > 0 }, true)
	caption := bandCaption(r, "platform_top_share") +
		" Leading platform: the share of firms on whichever platform is most used at that tick; effective number of platforms: 1/Σ p² over the platforms' shares (1 when every firm uses one platform). " +
		"Right: the share of firms using the option that a platform failure, technology disruption or regulation hit (a shock aimed at \"the most used\" option hits the one most used when it strikes), from the tick it struck"
	if len(r.targetShocks()) > 1 {
		caption += "; each later such shock takes over the line"
	}
	caption += "."
	return &Chart{
		Title:       "Platform dominance: how many firms share one platform, and how many the shock hit",
		Caption:     caption,
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
}

// TargetShareAtShock returns the mean share of firms, across seeds, on the
// option shock s hit, at the end of the tick it struck, with its 95 %
// interval: the per-run measure shock<k>_target_share, or, in results
// older than it, the shock_target_share metric of that tick; false when
// it was not measured (not an option shock, or no data).
func (r *Results) TargetShareAtShock(variant string, s results.ShockInfo) (results.StatRow, bool) {
	if !r.targetsOption(s) {
		return results.StatRow{}, false
	}
	if e, ok := r.Estimate(variant, fmt.Sprintf("shock%d_target_share", s.Index)); ok && !math.IsNaN(e.Mean) {
		return results.StatRow{Variant: variant, Metric: "shock_target_share", Tick: s.Tick, N: e.N, Mean: e.Mean, SD: math.NaN(), CILow: e.CILow, CIHigh: e.CIHigh}, true
	}
	for _, row := range r.Stat(variant, "shock_target_share") {
		if row.Tick == s.Tick && !math.IsNaN(row.Mean) {
			return row, true
		}
	}
	return results.StatRow{}, false
}

// fitnessChart draws the mean fitness of firms on an NK landscape over
// time (mean_fitness; in the payoff-only mode the mean score), when the
// scenario has a landscape.
func fitnessChart(r *Results) *Chart {
	p := seriesPanel(r, "mean_fitness", "", "Mean fitness of the firms", false, true, figWidth-300)
	if p == nil {
		return nil
	}
	legend := variantLegend(r, func(v string) bool { return len(r.Stat(v, "mean_fitness")) > 0 }, true)
	title := "Problem solving on a rugged landscape: mean fitness over time"
	if r.HasMarket() {
		// In a market fitness is one part of a firm's payoff, not the
		// problem the firms solve.
		title = "How well the firms' practices fit together: mean fitness over time"
	}
	return &Chart{
		Title: title,
		Caption: bandCaption(r, "mean_fitness") + " Fitness is the firms' NK fitness f of their strategy (practices that interact, docs/model.md); " +
			"in the payoff-only mode it is the score (f / f_max)^exponent that the firms compare. Higher is better.",
		grid:   [][]*plot.Plot{{p}},
		legend: legend,
	}
}
