package plots

import (
	"fmt"
	"math"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// maxBandVariants is the number of variants above which time-series
// charts draw mean lines only: more overlapping bands are unreadable.
const maxBandVariants = 8

// seriesPanel draws one metric over time: per variant a shaded 95 %
// band and the mean line. It returns nil if no variant has the metric.
func seriesPanel(r *Results, metric, title, ylabel string, fromZero bool, shockLabels bool, approxW vg.Length) *plot.Plot {
	return seriesPanelScale(r, metric, title, ylabel, fromZero, false, shockLabels, approxW)
}

// logRatio is the spread (largest over smallest mean) above which a
// diversity axis switches to a log scale: a collapse from hundreds of
// strategies to a few would otherwise flatten the differences that matter.
const logRatio = 30

// seriesPanelScale is seriesPanel with an optional log scale, used when the
// means span more than logRatio.
func seriesPanelScale(r *Results, metric, title, ylabel string, fromZero, allowLog bool, shockLabels bool, approxW vg.Length) *plot.Plot {
	if !r.HasMetric(metric) {
		return nil
	}
	p := newPanel(title, r.timeLabel(), ylabel)
	if m := newShockMarks(r.Shocks(), shockLabels, approxW); m != nil {
		p.Add(m)
	}
	n := len(r.Variants)
	var lines []plot.Plotter
	xmin, xmax := math.Inf(1), math.Inf(-1)
	// Log scale when the means span a wide range of positive values.
	useLog, floor := false, 0.0
	if allowLog {
		useLog, floor = r.logFloor(metric)
	}
	for i, v := range r.Variants {
		rows := r.Stat(v, metric)
		if len(rows) == 0 {
			continue
		}
		x := make([]float64, len(rows))
		mean := make([]float64, len(rows))
		lo := make([]float64, len(rows))
		hi := make([]float64, len(rows))
		for j, row := range rows {
			x[j], mean[j] = float64(row.Tick), row.Mean
			lo[j], hi[j] = results.ClipInterval(metric, row.CILow, row.CIHigh)
			if useLog {
				// A band cannot reach zero on a log axis: clip it at the floor.
				mean[j], lo[j], hi[j] = math.Log10(mean[j]), math.Log10(math.Max(lo[j], floor)), math.Log10(hi[j])
			}
			xmin, xmax = math.Min(xmin, x[j]), math.Max(xmax, x[j])
		}
		c := r.style(i).color
		if n <= maxBandVariants {
			if b := bandPolygon(x, lo, hi, c); b != nil {
				p.Add(b)
			}
		}
		if l := r.styledLine(x, mean, i); l != nil {
			lines = append(lines, l)
		}
	}
	p.Add(lines...)
	if xmax > xmin {
		p.X.Min, p.X.Max = startAtZero(xmin, xmax), xmax
	}
	if useLog {
		logYAxis(p, floor)
	} else {
		roundYAxis(p, fromZero)
	}
	return p
}

// logFloor reports whether the means of metric span more than logRatio
// (all positive), and the floor of a log axis for them: the largest 1, 2
// or 5 times a power of ten below the data.
func (r *Results) logFloor(metric string) (useLog bool, floor float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range r.Variants {
		for _, row := range r.Stat(v, metric) {
			if !math.IsNaN(row.Mean) {
				lo, hi = math.Min(lo, row.Mean), math.Max(hi, row.Mean)
			}
		}
	}
	if !(lo > 0 && hi/lo > logRatio) {
		return false, 0
	}
	d := math.Pow(10, math.Floor(math.Log10(lo*0.9)))
	floor = d
	for _, m := range []float64{2, 5} {
		if m*d <= lo*0.9 {
			floor = m * d
		}
	}
	return true, floor
}

// logYAxis labels p's y axis, which holds log10 of the values, from floor
// up to the next power of ten, unless that leaves most of a decade empty
// (a band just above 1 000 would stretch to 10 000).
func logYAxis(p *plot.Plot, floor float64) {
	p.Y.Tick.Marker = log10Ticks{}
	p.Y.Min = math.Log10(floor)
	if top := math.Ceil(p.Y.Max - 1e-9); top-p.Y.Max <= 0.5 {
		p.Y.Max = top
	} else {
		p.Y.Max += 0.05
	}
	p.Y.Label.Text = logLabel(p.Y.Label.Text)
}

// roundYAxis starts p's y axis at zero (with fromZero) and ends it at a
// round number just above the data, so that the top has a label.
func roundYAxis(p *plot.Plot, fromZero bool) {
	if fromZero && p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	if step := niceStep((p.Y.Max - p.Y.Min) / 5); step > 0 {
		if top := math.Ceil(p.Y.Max/step-1e-9) * step; top-p.Y.Max < 0.15*(p.Y.Max-p.Y.Min) {
			p.Y.Max = top
		}
	}
}

// variantLegend is the legend of the variants that have data, with band
// thumbnails (or plain lines when bands are off).
func variantLegend(r *Results, has func(v string) bool, withShocks bool) []legendEntry {
	n := len(r.Variants)
	var out []legendEntry
	for i, v := range r.Variants {
		if has != nil && !has(v) {
			continue
		}
		th := []plot.Thumbnailer{lineThumb{s: r.style(i), band: n <= maxBandVariants}}
		out = append(out, legendEntry{label: r.label(v), thumbs: th})
	}
	if withShocks && len(r.Shocks()) > 0 {
		out = append(out, legendEntry{label: "shock", thumbs: []plot.Thumbnailer{&shockMarks{}}})
	}
	return out
}

// seedsPhrase describes how many seeds the stats rows of metric pool.
func seedsPhrase(r *Results, metric string) string {
	lo, hi := math.MaxInt, 0
	for _, v := range r.Variants {
		for _, row := range r.Stat(v, metric) {
			lo, hi = min(lo, row.N), max(hi, row.N)
		}
	}
	switch {
	case hi == 0:
		return "seeds"
	case lo == hi && hi == 1:
		return "1 seed"
	case lo == hi:
		return fmt.Sprintf("%d seeds", hi)
	}
	return fmt.Sprintf("%d–%d seeds", lo, hi)
}

func bandCaption(r *Results, metric string) string {
	s := "Line: mean over " + seedsPhrase(r, metric)
	if len(r.Variants) > 1 {
		s += " per variant"
	}
	switch {
	case seedsPhrase(r, metric) == "1 seed":
		s += " (one run: no band, a confidence interval needs two seeds or more)"
	case len(r.Variants) <= maxBandVariants:
		s += "; shaded band: 95 % confidence interval of that mean"
	}
	s += "."
	if len(r.Shocks()) > 0 {
		s += " " + shockKey(r.Shocks())
	}
	if r.stoppedEarly() {
		s += " Runs that stopped because nothing could change any more count with their final state from then on."
	}
	return s
}

// stoppedEarly reports whether some run ended before simulation.ticks
// (stop_when_absorbed).
func (r *Results) stoppedEarly() bool {
	limit, ok := r.TickLimit()
	if !ok {
		return false
	}
	for _, t := range r.RunEnds() {
		if t < limit {
			return true
		}
	}
	return false
}

func diversityChart(r *Results, opts Options) *Chart {
	metric := opts.Diversity
	if metric == "" {
		metric = "effective_strategies"
	}
	ylabel, expl := "Effective number of strategies", "The effective number of strategies is the number of equally common strategies that would give the same diversity (the inverse Simpson index, 1/Σ p²)."
	if metric == "entropy_bits" {
		ylabel, expl = "Strategy entropy (bits)", "Entropy of the distribution of firms over strategies; each bit doubles the effective number of strategies."
	}
	legend := variantLegend(r, func(v string) bool { return len(r.Stat(v, metric)) > 0 }, true)
	p := seriesPanelScale(r, metric, "", ylabel, true, metric == "effective_strategies", true, figWidth-legendWidth(legend)-100)
	if p == nil {
		return nil
	}
	if _, ok := p.Y.Tick.Marker.(log10Ticks); ok {
		expl += " Log scale: each step up the axis multiplies the number of strategies, so that the early collapse and the later differences both show."
	}
	return &Chart{
		Title:   diversityTitle(r),
		Caption: bandCaption(r, metric) + " " + expl,
		grid:    [][]*plot.Plot{{p}},
		legend:  legend,
	}
}

func marketHealthChart(r *Results) *Chart {
	type panel struct {
		metric, title, ylabel string
	}
	specs := []panel{
		{"alive", "Firms in business", "Firms alive (count)"},
		{"mean_margin", "Profitability", "Mean margin (share of revenue)"},
		{"hhi", "Revenue concentration", "HHI (0 = dispersed, 1 = monopoly)"},
	}
	if !r.HasMarket() {
		return nil
	}
	legend := variantLegend(r, func(v string) bool { return len(r.Stat(v, "alive")) > 0 }, true)
	var row []*plot.Plot
	for _, s := range specs {
		p := seriesPanel(r, s.metric, s.title, s.ylabel, true, false, 0)
		if p == nil {
			continue
		}
		if s.metric == "hhi" {
			hhiAxis(p)
		}
		row = append(row, p)
	}
	if len(row) == 0 {
		return nil
	}
	caption := bandCaption(r, "alive")
	if r.HasMetric("hhi") {
		caption += " HHI: the sum of squared revenue shares; dotted lines mark the usual thresholds (US merger guidelines, 2010): below 0.15 unconcentrated, 0.15–0.25 moderately, above 0.25 highly concentrated."
	}
	return &Chart{
		Title:       "Market health over time: firms alive, profitability and concentration",
		Caption:     caption,
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
}

// startAtZero returns 0 for a time axis that starts just after 0 (runs
// record from tick 1), so that the axis reads from the start; else xmin.
func startAtZero(xmin, xmax float64) float64 {
	if xmin > 0 && xmin <= 0.05*xmax {
		return 0
	}
	return xmin
}

// logLabel is an axis label marked as logarithmic, shortened for the
// effective number of strategies.
func logLabel(l string) string {
	if l == "Effective number of strategies" {
		l = "Effective strategies"
	}
	return l + " (log scale)"
}

// hhiAxis gives an HHI panel its meaning: an axis from 0 to at least 0.3
// with the thresholds of moderately (0.15) and highly (0.25) concentrated
// markets, so that a move within the unconcentrated range does not look
// like a jump in concentration.
func hhiAxis(p *plot.Plot) {
	p.Y.Min = 0
	p.Y.Max = math.Max(0.3, p.Y.Max)
	p.Add(refLines{values: []float64{0.15, 0.25}, labels: []string{"moderately concentrated", "highly concentrated"}})
}

func diversityTitle(r *Results) string {
	if !r.HasMarket() {
		return "Strategy diversity over time: how many distinct strategies remain"
	}
	return "Strategy diversity over time: how many distinct business models remain"
}
