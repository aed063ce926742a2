package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"
)

const (
	takeoverTop    = 4 // strategies drawn individually
	takeoverPanels = 4 // variants shown at most
)

// takeoverColors tell the strategies of a takeover panel apart (Okabe–Ito,
// by rank of peak share).
var takeoverColors = []color.RGBA{OkabeIto[0], OkabeIto[1], OkabeIto[2], OkabeIto[4]}

// strategyNames names strategies for an audience by the practices that
// set them apart: for each, the options it takes in the dimensions where
// the strategies listed differ ("product 5, pricing 6"), at most maxWords
// dimensions and a count of the rest. Codes are dash-separated options in
// the order of dims.
func strategyNames(codes, dims []string, maxWords int) []string {
	// More practices per name until the names tell the strategies apart.
	for words := maxWords; ; words++ {
		names := strategyNamesN(codes, dims, words)
		seen, unique := map[string]bool{}, true
		for _, n := range names {
			key := n
			if i := strings.Index(key, ", +"); i >= 0 {
				key = key[:i]
			}
			if seen[key] {
				unique = false
			}
			seen[key] = true
		}
		if unique || words >= len(dims) {
			return names
		}
	}
}

func strategyNamesN(codes, dims []string, maxWords int) []string {
	parts := make([][]string, len(codes))
	for i, c := range codes {
		parts[i] = strings.Split(c, "-")
	}
	var differ []int
	if len(dims) > 0 {
		for d := range dims {
			for i := 1; i < len(parts); i++ {
				if d < len(parts[i]) && d < len(parts[0]) && parts[i][d] != parts[0][d] {
					differ = append(differ, d)
					break
				}
			}
		}
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		if len(dims) == 0 || len(parts[i]) != len(dims) {
			out[i] = c
			continue
		}
		if len(differ) == 0 {
			out[i] = "the leading strategy"
			continue
		}
		// Practices where this strategy's option differs from the most
		// other strategies come first, so that short names still tell the
		// strategies apart.
		order := append([]int(nil), differ...)
		apart := func(d int) int {
			n := 0
			for j := range parts {
				if j != i && d < len(parts[j]) && parts[j][d] != parts[i][d] {
					n++
				}
			}
			return n
		}
		sort.SliceStable(order, func(a, b int) bool { return apart(order[a]) > apart(order[b]) })
		var words []string
		for k, d := range order {
			if k == maxWords {
				words = append(words, fmt.Sprintf("+%d more", len(order)-maxWords))
				break
			}
			words = append(words, dims[d]+" "+parts[i][d])
		}
		out[i] = strings.Join(words, ", ")
	}
	return out
}

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
	var rows []results.StrategyRow
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
	names := topByPeak(peak, takeoverTop)
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
	var row []*plot.Plot
	var belowRow [][]legendEntry
	for k, d := range data {
		p, below := r.takeoverPanel(d, k, len(data))
		row = append(row, p)
		belowRow = append(belowRow, below)
	}
	return &Chart{
		Title:   takeoverTitle(r),
		Caption: r.takeoverCaption(data, total),
		grid:    [][]*plot.Plot{row},
		below:   [][][]legendEntry{belowRow},
	}
}

// takeoverNames names the strategies of d for a legend by practice and
// option ("platform 7, product 3"); with more than two panels (narrow),
// the fewest practices that tell them apart, no count of the rest.
func (r *Results) takeoverNames(d *takeoverData, panels int) []string {
	words := 3
	if len(r.Dimensions()) <= 5 {
		words = 5 // few, short practice names: all of them fit
	}
	if panels <= 2 {
		return strategyNames(d.strategies, r.Dimensions(), words)
	}
	names := strategyNames(d.strategies, r.Dimensions(), 1)
	for i, n := range names {
		if j := strings.Index(n, ", +"); j >= 0 {
			names[i] = n[:j]
		}
	}
	return names
}

// takeoverPanel is the k-th of n panels of the takeover chart, the stacked
// shares of d's strategies, with its legend.
func (r *Results) takeoverPanel(d *takeoverData, k, n int) (*plot.Plot, []legendEntry) {
	title := r.label(d.variant)
	if n == 1 {
		title = ""
	}
	ylabel := ""
	if k == 0 {
		ylabel = "Share of firms (%)"
	}
	p := newPanel(title, r.timeLabel(), ylabel)
	percentAxis(&p.Y)
	lower := make([]float64, len(d.ticks))
	var below []legendEntry
	names := r.takeoverNames(d, n)
	for i := range d.strategies {
		upper := make([]float64, len(d.ticks))
		for j := range d.ticks {
			upper[j] = lower[j] + d.shares[i][j]
		}
		c := takeoverColors[i%len(takeoverColors)]
		p.Add(stackLayer(d.ticks, lower, upper, c))
		below = append(below, legendEntry{label: names[i], thumbs: []plot.Thumbnailer{swatch{c}}})
		lower = upper
	}
	top := make([]float64, len(d.ticks))
	for j := range top {
		top[j] = math.Max(1, lower[j])
	}
	p.Add(stackLayer(d.ticks, lower, top, otherGrey))
	other := "other strategies"
	if n > 2 {
		other = "others"
	}
	below = append(below, legendEntry{label: other, thumbs: []plot.Thumbnailer{swatch{otherGrey}}})
	if m := newShockMarks(r.Shocks(), n == 1, 0); m != nil {
		p.Add(m)
	}
	p.X.Min, p.X.Max = startAtZero(d.ticks[0], d.ticks[len(d.ticks)-1]), d.ticks[len(d.ticks)-1]
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	p.Y.Min, p.Y.Max = 0, 1
	return p, below
}

// takeoverCaption says which runs the takeover chart shows (data, of
// total variants) and how strategies are named.
func (r *Results) takeoverCaption(data []*takeoverData, total int) string {
	seeds := map[uint64]bool{}
	for _, d := range data {
		seeds[d.seed] = true
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
		caption += " Each strategy is named by the options (numbered from 0) it takes in the practices where the strategies shown differ; they agree on the other practices."
		if len(data) > 2 {
			caption += " With several panels, names give the fewest practices that tell the strategies apart."
		}
	}
	if len(r.Shocks()) > 0 {
		caption += " " + shockKey(r.Shocks())
	}
	if total > len(data) {
		caption += fmt.Sprintf(" %d of %d variants shown.", len(data), total)
	}
	return caption
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

func takeoverTitle(r *Results) string {
	if !r.HasMarket() {
		return "Strategy takeover: does one strategy spread through the population?"
	}
	return "Strategy takeover: does one business model spread through the market?"
}
