package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// sensitivityMethod is the sensitivity design of the results ("" if none).
func (r *Results) sensitivityMethod() string {
	if r.Manifest == nil || r.Manifest.Plan.Design == nil || len(r.Sensitivity) == 0 {
		return ""
	}
	return r.Manifest.Plan.Design.Method
}

// SensitivityOf returns measure m's rows of index ix, by parameter.
func (r *Results) SensitivityOf(m, ix string) map[string]results.SensitivityRow {
	out := map[string]results.SensitivityRow{}
	for _, row := range r.Sensitivity {
		if row.Measure == m && row.Index == ix {
			out[row.Parameter] = row
		}
	}
	return out
}

// SensitivityMeasures are the measures the sensitivity charts and the
// report rank the parameters for: those of the comparison chart that
// sensitivity.csv has.
func (r *Results) SensitivityMeasures() []string {
	var out []string
	for _, m := range r.comparisonMeasures() {
		if len(r.SensitivityOf(m, results.IndexSeedShare)) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// sobolChart draws, per key measure, each parameter's total (ST) and
// first-order (S1) Sobol' index with its 95 % bootstrap interval, the
// parameters ranked by the first measure's ST.
func sobolChart(r *Results) *Chart {
	if r.sensitivityMethod() != results.DesignSobol {
		return nil
	}
	measures := r.SensitivityMeasures()
	if len(measures) == 0 {
		return nil
	}
	params := slices.Clone(r.Layout.Params)
	first := r.SensitivityOf(measures[0], results.IndexST)
	slices.SortStableFunc(params, func(a, b string) int { return cmp.Compare(first[a].Value, first[b].Value) }) // largest at the top
	n := len(params)
	stStyle := draw.GlyphStyle{Color: OkabeIto[0], Radius: markerRadius, Shape: draw.CircleGlyph{}}
	s1Style := draw.GlyphStyle{Color: OkabeIto[1], Radius: markerRadius, Shape: draw.TriangleGlyph{}}
	var row []*plot.Plot
	for _, m := range measures {
		title, _ := r.measureAxis(m)
		p := newPanel(title, "Share of the variance over the ranges", "")
		st, s1 := r.SensitivityOf(m, results.IndexST), r.SensitivityOf(m, results.IndexS1)
		var items []interval
		for i, k := range params {
			for _, e := range []struct {
				row   results.SensitivityRow
				off   float64
				style draw.GlyphStyle
			}{{st[k], 0.15, stStyle}, {s1[k], -0.15, s1Style}} {
				if math.IsNaN(e.row.Value) {
					continue
				}
				items = append(items, interval{pos: float64(i) + e.off, v: e.row.Value, lo: e.row.CILow, hi: e.row.CIHigh, color: e.style.Color, glyph: e.style.Shape})
			}
		}
		p.Add(&intervalMarks{items: items, horizontal: true})
		rowAxes(p, n)
		if p.X.Max < 1 {
			p.X.Max = math.Max(p.X.Max, 0.5)
		}
		row = append(row, p)
	}
	labels := make([]string, n)
	for i, k := range params {
		labels[i] = k
	}
	share := r.seedShares(measures)
	caption := fmt.Sprintf("Sobol' indices over the swept ranges, %d points × %d seeds (each point's output is the mean of its seeds). ST (circle): the share of the output's variance that involves the parameter, alone or with others; S1 (triangle): the share it explains alone; ST − S1: its interactions. Bars: 95 %% bootstrap intervals. Replicate noise — variance between seeds at the same point, as a share of the runs' variance: %s.", len(r.Variants), r.seedCount(), share)
	return &Chart{
		Title:   "Which parameters move the results? Sobol' indices",
		Caption: caption,
		grid:    [][]*plot.Plot{row},
		legend: []legendEntry{
			{label: "ST (total)", thumbs: []plot.Thumbnailer{glyphThumb{stStyle}}},
			{label: "S1 (first order)", thumbs: []plot.Thumbnailer{glyphThumb{s1Style}}},
		},
		legendBelow:  true,
		rowLabels:    labels,
		rowLabelHead: "parameter",
	}
}

// seedShares lists each measure's seed share, e.g. "excess failures 56 %".
func (r *Results) seedShares(measures []string) string {
	var parts []string
	for _, m := range measures {
		if s, ok := r.SensitivityOf(m, results.IndexSeedShare)[results.SeedsParameter]; ok && !math.IsNaN(s.Value) {
			title, _ := r.measureAxis(m)
			parts = append(parts, fmt.Sprintf("%s %.0f %%", strings.ToLower(title[:1])+title[1:], 100*s.Value))
		}
	}
	return strings.Join(parts, "; ")
}

// morrisChart draws, per key measure, each parameter's μ* (across)
// against σ (up), labelled: far right = influential, high = interacting
// or non-linear.
func morrisChart(r *Results) *Chart {
	if r.sensitivityMethod() != results.DesignMorris {
		return nil
	}
	measures := r.SensitivityMeasures()
	if len(measures) == 0 {
		return nil
	}
	style := draw.GlyphStyle{Color: OkabeIto[0], Radius: markerRadius, Shape: draw.CircleGlyph{}}
	var row []*plot.Plot
	for _, m := range measures {
		title, _ := r.measureAxis(m)
		unit := ""
		if results.InPercent(m) {
			unit = " (percentage points)"
		}
		p := newPanel(title, "μ*: mean |effect| of the whole range"+unit, "σ of the effects"+unit)
		ms, sg := r.SensitivityOf(m, results.IndexMuStar), r.SensitivityOf(m, results.IndexSigma)
		var xys plotter.XYs
		var labels []string
		for _, k := range r.Layout.Params {
			if a, ok := ms[k]; ok && !math.IsNaN(a.Value) && !math.IsNaN(sg[k].Value) {
				xys = append(xys, plotter.XY{X: a.Value, Y: sg[k].Value})
				labels = append(labels, shortKey(k))
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			continue
		}
		sc.GlyphStyle = style
		lb := pointLabels{xys: xys, labels: labels, style: textStyle(sansRegular, sizeLegend, black)}
		// σ = μ*: effects of one sign lie below it, effects that change
		// sign (or strong interactions) above.
		hi := 0.0
		for _, xy := range xys {
			hi = math.Max(hi, math.Max(xy.X, xy.Y))
		}
		diag, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: hi * 1.1, Y: hi * 1.1}})
		diag.LineStyle = draw.LineStyle{Color: midGrey, Width: 1, Dashes: []vg.Length{4, 4}}
		p.Add(diag, sc, lb)
		p.X.Min, p.Y.Min = 0, 0
		p.X.Max = math.Max(p.X.Max, hi*1.3) // room for the labels
		p.Y.Max = math.Max(p.Y.Max, hi*1.15)
		if results.InPercent(m) {
			percentAxis(&p.X)
			percentAxis(&p.Y)
		}
		row = append(row, p)
	}
	if len(row) == 0 {
		return nil
	}
	grid := [][]*plot.Plot{row}
	if len(row) > 2 { // two panels a row: room for the labels
		grid = nil
		for i := 0; i < len(row); i += 2 {
			pair := []*plot.Plot{row[i], nil}
			if i+1 < len(row) {
				pair[1] = row[i+1]
			}
			grid = append(grid, pair)
		}
	}
	d := r.Manifest.Plan.Design
	caption := fmt.Sprintf("Morris elementary effects: %d trajectories of %d levels, %d points × %d seeds (each point's output is the mean of its seeds). Across, μ*: how much the measure changes, on average, when the parameter moves over its whole range (further right: more influential). Up, σ: how much that change varies between trajectories (high: the effect depends on the other parameters, or is non-linear). Dashed: σ = μ*. Replicate noise — variance between seeds at the same point, as a share of the runs' variance: %s.",
		d.Base, d.Levels, len(r.Variants), r.seedCount(), r.seedShares(measures))
	return &Chart{
		Title:   "Which parameters matter? Morris screening (μ* against σ)",
		Caption: caption,
		grid:    grid,
		height:  figHeight * vg.Length(max(1, len(grid))) * 0.75,
	}
}

// pointLabels labels points, each on the first side of its point (right
// above, right below, left above, left below) where it overlaps no label
// placed before and stays inside the panel. It reserves no room outside
// the data area (the panel's range leaves room instead), so that aligned
// panels keep their size.
type pointLabels struct {
	xys    plotter.XYs
	labels []string
	style  draw.TextStyle
}

// Plot implements plot.Plotter.
func (l pointLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var placed []vg.Rectangle
	const gap = 9
	for i, xy := range l.xys {
		x, y := trX(xy.X), trY(xy.Y)
		size := l.style.Rectangle(l.labels[i]).Size()
		offs := []vg.Point{{X: gap, Y: 2}, {X: gap, Y: -size.Y - 2}, {X: -gap - size.X, Y: 2}, {X: -gap - size.X, Y: -size.Y - 2},
			{X: -size.X / 2, Y: gap}, {X: -size.X / 2, Y: -gap - size.Y}, {X: gap, Y: -size.Y / 2}, {X: -gap - size.X, Y: -size.Y / 2},
			{X: gap, Y: 2 + size.Y}, {X: gap, Y: -2*size.Y - 2}, {X: gap, Y: 2 + 2*size.Y}, {X: gap, Y: -3*size.Y - 2}}
		best, bestScore, far := vg.Rectangle{}, -1, false
		for k, off := range offs {
			box := vg.Rectangle{Min: vg.Point{X: x + off.X, Y: y + off.Y}, Max: vg.Point{X: x + off.X + size.X, Y: y + off.Y + size.Y}}
			score := 0
			if box.Min.X >= c.Min.X && box.Max.X <= c.Max.X && box.Min.Y >= c.Min.Y && box.Max.Y <= c.Max.Y {
				score += 2
			}
			if !slices.ContainsFunc(placed, func(r vg.Rectangle) bool {
				return box.Min.X < r.Max.X && r.Min.X < box.Max.X && box.Min.Y < r.Max.Y && r.Min.Y < box.Max.Y
			}) {
				score++
			}
			if score > bestScore {
				best, bestScore, far = box, score, k >= 8
			}
		}
		box := best
		if far { // a label moved away from its point: a leader line to it
			ly := box.Min.Y
			if box.Min.Y > y {
				ly = box.Min.Y
			} else {
				ly = box.Max.Y
			}
			c.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, x, y, box.Min.X, ly)
		}
		placed = append(placed, box)
		sty := l.style
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
		c.FillText(sty, box.Min, l.labels[i])
	}
}

// RankedParameter is a parameter's place in a sensitivity ranking: its
// ranking index (ST for Sobol', μ* for Morris) and the companion index
// (S1, or σ).
type RankedParameter struct {
	Parameter string
	Rank      results.SensitivityRow // ST or mu_star
	Other     results.SensitivityRow // S1 or sigma
	Mu        results.SensitivityRow // Morris only: μ
	// Tied: the interval of Rank overlaps the next parameter's, so the
	// two are not told apart at this design's size.
	Tied bool
}

// RankParameters ranks the parameters of measure m in sensitivity rows
// of the given method, largest first (ties by name).
func RankParameters(rows []results.SensitivityRow, m, method string) []RankedParameter {
	rank, other := results.IndexST, results.IndexS1
	if method == results.DesignMorris {
		rank, other = results.IndexMuStar, results.IndexSigma
	}
	by := map[string]*RankedParameter{}
	var order []string
	for _, r := range rows {
		if r.Measure != m || r.Parameter == results.SeedsParameter || r.Index == results.IndexS2 {
			continue
		}
		p := by[r.Parameter]
		if p == nil {
			p = &RankedParameter{Parameter: r.Parameter}
			by[r.Parameter] = p
			order = append(order, r.Parameter)
		}
		switch r.Index {
		case rank:
			p.Rank = r
		case other:
			p.Other = r
		case results.IndexMu:
			p.Mu = r
		}
	}
	out := make([]RankedParameter, 0, len(order))
	for _, k := range order {
		out = append(out, *by[k])
	}
	slices.SortStableFunc(out, func(a, b RankedParameter) int {
		return cmp.Or(cmp.Compare(b.Rank.Value, a.Rank.Value), strings.Compare(a.Parameter, b.Parameter))
	})
	for i := 0; i+1 < len(out); i++ {
		out[i].Tied = !(out[i].Rank.CILow > out[i+1].Rank.CIHigh)
	}
	return out
}

// SeedShare returns measure m's share of the runs' variance between seeds
// at the same point (NaN if absent).
func SeedShare(rows []results.SensitivityRow, m string) float64 {
	for _, r := range rows {
		if r.Measure == m && r.Index == results.IndexSeedShare {
			return r.Value
		}
	}
	return math.NaN()
}

// Separation says which neighbours of a ranking the intervals cannot tell
// apart, e.g. "herding ≈ crowding_penalty ≈ drift"; "" when every
// neighbour is separated.
func Separation(ranked []RankedParameter) string {
	var groups []string
	var cur []string
	for i, p := range ranked {
		cur = append(cur, p.Parameter)
		if !p.Tied || i == len(ranked)-1 {
			if len(cur) > 1 {
				groups = append(groups, strings.Join(cur, " ≈ "))
			}
			cur = nil
		}
	}
	return strings.Join(groups, "; ")
}

// discoveryChart is PRIM's peeling trade-off (smbsim discover): each box
// of the peeling trajectory at its coverage (across) and density (up),
// the chosen box and the pasted box marked.
func discoveryChart(r *Results) *Chart {
	if len(r.Discovery) == 0 {
		return nil
	}
	var peel plotter.XYs
	var chosen, pasted plotter.XYs
	cond := r.Discovery[0].Condition
	for _, d := range r.Discovery {
		if math.IsNaN(d.Coverage) || math.IsNaN(d.Density) {
			continue
		}
		xy := plotter.XY{X: d.Coverage, Y: d.Density}
		switch {
		case d.Kind == "pasted":
			pasted = append(pasted, xy)
		default:
			peel = append(peel, xy)
			if d.Chosen {
				chosen = append(chosen, xy)
			}
		}
	}
	if len(peel) == 0 {
		return nil
	}
	p := newPanel("Peeling trajectory", "Coverage: share of the runs where the condition holds that lie in the box", "Density: share of the box's runs where it holds")
	line, err := plotter.NewLine(peel)
	if err == nil {
		line.LineStyle = draw.LineStyle{Color: midGrey, Width: 1.5}
		p.Add(line)
	}
	pts, err := plotter.NewScatter(peel)
	if err == nil {
		pts.GlyphStyle = draw.GlyphStyle{Color: midGrey, Radius: 3, Shape: draw.CircleGlyph{}}
		p.Add(pts)
	}
	chosenStyle := draw.GlyphStyle{Color: OkabeIto[0], Radius: markerRadius + 2, Shape: draw.RingGlyph{}}
	pastedStyle := draw.GlyphStyle{Color: OkabeIto[1], Radius: markerRadius, Shape: draw.SquareGlyph{}}
	legend := []legendEntry{{label: "boxes of the peeling trajectory", thumbs: []plot.Thumbnailer{glyphThumb{draw.GlyphStyle{Color: midGrey, Radius: 3, Shape: draw.CircleGlyph{}}}}}}
	for _, m := range []struct {
		xys   plotter.XYs
		style draw.GlyphStyle
		label string
	}{{chosen, chosenStyle, "chosen box (largest harmonic mean of coverage and density)"}, {pasted, pastedStyle, "chosen box after pasting"}} {
		if len(m.xys) == 0 {
			continue
		}
		if s, err := plotter.NewScatter(m.xys); err == nil {
			s.GlyphStyle = m.style
			p.Add(s)
			legend = append(legend, legendEntry{label: m.label, thumbs: []plot.Thumbnailer{glyphThumb{m.style}}})
		}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.02, 0, 1.02
	percentAxis(&p.X)
	percentAxis(&p.Y)
	return &Chart{
		Title:       "Where does " + cond + " hold? PRIM's trade-off between coverage and density",
		Caption:     fmt.Sprintf("PRIM (Friedman and Fisher 1999) over the %d runs: from the box of all runs (coverage 100 %%, bottom right) each step peels 5 %% of the box's runs off one side of one parameter, keeping the peel that raises the density most, until the box would hold fewer than 5 %% of the runs. The box and its limits: discovery_box.csv.", r.Discovery[0].Runs),
		grid:        [][]*plot.Plot{{p}},
		legend:      legend,
		legendBelow: true,
	}
}

// DescribeBox says where a PRIM box lies, from its restricted parameters,
// e.g. "biases.herding ≥ 0.6 and population.initial_cash ≤ 3".
func DescribeBox(box []results.DiscoveryBoxRow) string {
	var parts []string
	for _, b := range box {
		if !b.Restricted {
			continue
		}
		lo, hi := b.Low > b.DataLow, b.High < b.DataHigh
		switch {
		case lo && hi:
			parts = append(parts, fmt.Sprintf("%s between %s and %s", b.Parameter, present.Sig(b.Low, 3), present.Sig(b.High, 3)))
		case lo:
			parts = append(parts, fmt.Sprintf("%s ≥ %s", b.Parameter, present.Sig(b.Low, 3)))
		default:
			parts = append(parts, fmt.Sprintf("%s ≤ %s", b.Parameter, present.Sig(b.High, 3)))
		}
	}
	if len(parts) == 0 {
		return "anywhere in the swept ranges (no parameter restricted)"
	}
	return strings.Join(parts, " and ")
}

// DiscoverySentence is the sentence of a PRIM run, e.g. "The condition
// shock1_excess_fail_share > 0.12 holds mostly where …: coverage 0.81,
// density 0.88, mass 0.20 (41 of 200 runs)"; "" without one.
func (r *Results) DiscoverySentence() string {
	if len(r.Discovery) == 0 || len(r.DiscoveryBox) == 0 {
		return ""
	}
	p := r.Discovery[len(r.Discovery)-1]
	all := r.Discovery[0]
	return fmt.Sprintf("The condition %s holds mostly where %s: coverage %.2f (of the runs where it holds, the share in this box), density %.2f (of the box's runs, the share where it holds), mass %.2f (%d of %d runs; PRIM, peel and paste α = 0.05).",
		p.Condition, DescribeBox(r.DiscoveryBox), p.Coverage, p.Density, p.Mass, p.Runs, all.Runs)
}
