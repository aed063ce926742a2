package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

const (
	takeoverTop    = 4 // strategies drawn individually
	takeoverPanels = 4 // variants shown at most
)

// takeoverTints lighten the variant colour for strategies of lower rank.
var takeoverTints = []float64{0, 0.35, 0.55, 0.72}

// takeoverData is the stacked-area input of one variant.
type takeoverData struct {
	variant    string
	seed       uint64
	ticks      []float64
	strategies []string    // by peak share, highest first
	shares     [][]float64 // [strategy][tick]
	peaks      []float64
}

func (r *Results) takeover(variant string) *takeoverData {
	var rows []StrategyRow
	seed := uint64(math.MaxUint64)
	for _, row := range r.Strategies {
		if row.Variant == variant && row.Seed < seed {
			seed = row.Seed
		}
	}
	for _, row := range r.Strategies {
		if row.Variant == variant && row.Seed == seed {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	tickIdx := map[int]int{}
	var ticks []int
	for _, row := range rows {
		if _, ok := tickIdx[row.Tick]; !ok {
			tickIdx[row.Tick] = 0
			ticks = append(ticks, row.Tick)
		}
	}
	sort.Ints(ticks)
	for i, t := range ticks {
		tickIdx[t] = i
	}
	peak := map[string]float64{}
	for _, row := range rows {
		if !math.IsNaN(row.Share) && row.Share > peak[row.Strategy] {
			peak[row.Strategy] = row.Share
		}
	}
	names := make([]string, 0, len(peak))
	for s := range peak {
		names = append(names, s)
	}
	sort.Slice(names, func(i, j int) bool {
		if peak[names[i]] != peak[names[j]] {
			return peak[names[i]] > peak[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) > takeoverTop {
		names = names[:takeoverTop]
	}
	d := &takeoverData{variant: variant, seed: seed, strategies: names}
	d.ticks = make([]float64, len(ticks))
	for i, t := range ticks {
		d.ticks[i] = float64(t)
	}
	col := map[string]int{}
	for i, s := range names {
		col[s] = i
		d.shares = append(d.shares, make([]float64, len(ticks)))
		d.peaks = append(d.peaks, peak[s])
	}
	for _, row := range rows {
		if i, ok := col[row.Strategy]; ok && !math.IsNaN(row.Share) {
			d.shares[i][tickIdx[row.Tick]] = row.Share
		}
	}
	return d
}

// pickSpread returns at most k items of xs, evenly spaced, first and last
// included.
func pickSpread[T any](xs []T, k int) []T {
	if len(xs) <= k {
		return xs
	}
	out := make([]T, k)
	for i := range k {
		out[i] = xs[int(math.Round(float64(i)*float64(len(xs)-1)/float64(k-1)))]
	}
	return out
}

func takeoverChart(r *Results) *Chart {
	var data []*takeoverData
	for _, v := range r.Variants {
		if d := r.takeover(v); d != nil {
			data = append(data, d)
		}
	}
	if len(data) == 0 {
		return nil
	}
	total := len(data)
	data = pickSpread(data, takeoverPanels)
	n := len(r.Variants)
	var row []*plot.Plot
	var below []legendEntry
	var belowRow [][]legendEntry
	seeds := map[uint64]bool{}
	for k, d := range data {
		seeds[d.seed] = true
		vc := variantColor(r.VariantIndex(d.variant), n)
		title := r.VariantLabel(d.variant)
		if len(data) == 1 {
			title = ""
		}
		ylabel := ""
		if k == 0 {
			ylabel = "Share of firms (%)"
		}
		p := newPanel(title, "Time (ticks)", ylabel)
		percentAxis(&p.Y)
		lower := make([]float64, len(d.ticks))
		below = nil
		for i, s := range d.strategies {
			upper := make([]float64, len(d.ticks))
			for j := range d.ticks {
				upper[j] = lower[j] + d.shares[i][j]
			}
			c := tint(vc, takeoverTints[min(i, len(takeoverTints)-1)])
			p.Add(stackLayer(d.ticks, lower, upper, c))
			below = append(below, legendEntry{label: s, thumbs: []plot.Thumbnailer{swatch{c}}})
			lower = upper
		}
		top := make([]float64, len(d.ticks))
		for j := range top {
			top[j] = math.Max(1, lower[j])
		}
		p.Add(stackLayer(d.ticks, lower, top, otherGrey))
		below = append(below, legendEntry{label: "other strategies", thumbs: []plot.Thumbnailer{swatch{otherGrey}}})
		if m := newShockMarks(r.Shocks(), len(data) == 1, 0); m != nil {
			p.Add(m)
		}
		p.X.Min, p.X.Max = startAtZero(d.ticks[0], d.ticks[len(d.ticks)-1]), d.ticks[len(d.ticks)-1]
		if p.X.Max <= p.X.Min {
			p.X.Max = p.X.Min + 1
		}
		p.Y.Min, p.Y.Max = 0, 1
		row = append(row, p)
		belowRow = append(belowRow, below)
	}
	seedList := make([]string, 0, len(seeds))
	for s := range seeds {
		seedList = append(seedList, fmt.Sprint(s))
	}
	sort.Strings(seedList)
	each := " of each variant"
	if len(data) == 1 {
		each = ""
	}
	caption := fmt.Sprintf("Stacked shares of firms using the %d strategies with the highest peak share, in one run (seed %s)%s; grey: all other strategies.",
		takeoverTop, strings.Join(seedList, ", "), each)
	if dims := r.Dimensions(); len(dims) > 0 {
		caption += " A strategy code lists the option chosen in each practice: " + strings.Join(dims, "-") + "."
	}
	if len(r.Shocks()) > 0 {
		caption += " Dashed lines: shocks."
	}
	if total > len(data) {
		caption += fmt.Sprintf(" %d of %d variants shown.", len(data), total)
	}
	return &Chart{
		Name:    "takeover",
		Title:   "Strategy takeover: does one business model spread through the market?",
		Caption: caption,
		grid:    [][]*plot.Plot{row},
		below:   [][][]legendEntry{belowRow},
	}
}

// stackLayer is the area between lower and upper, outlined in white so
// that neighbouring layers stay distinct.
func stackLayer(x, lower, upper []float64, c color.RGBA) plot.Plotter {
	b := bandPolygon(x, lower, upper, c)
	if b == nil {
		return noop{}
	}
	b.Color = c
	b.LineStyle = draw.LineStyle{Color: color.White, Width: 0.75}
	return b
}
