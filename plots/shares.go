package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
)

// sharesOptions is how many options of a dimension the shares chart draws
// in colour (those with the highest peak share); the others are one grey
// layer.
const sharesOptions = 6

// sharesPanelOptions is sharesOptions when each panel (a practice of its
// own) has its own legend under it.
const sharesPanelOptions = 4

// sharesPanels is how many panels the shares chart draws at most.
const sharesPanels = 4

// shareSeries is the share of firms on each option of one dimension over
// time, in one run. Runs are not averaged: which platform comes to
// dominate differs from seed to seed, and a mean over seeds would hide
// that one does.
type shareSeries struct {
	variant, dimension string
	seed               uint64
	ticks              []float64
	options            []int       // option numbers, in order
	shares             [][]float64 // [option index][tick index]
}

// shareSeries reads the rows of shares.csv of one run and dimension.
func (r *Results) shareSeries(variant string, seed uint64, dim string) *shareSeries {
	type key struct{ tick, option int }
	sum, n := map[key]float64{}, map[key]int{}
	ticks, options := map[int]bool{}, map[int]bool{}
	for _, row := range r.Shares {
		if row.Variant != variant || row.Seed != seed || row.Dimension != dim || math.IsNaN(row.Share) {
			continue
		}
		k := key{row.Tick, row.Option}
		sum[k] += row.Share
		n[k]++
		ticks[row.Tick], options[row.Option] = true, true
	}
	if len(ticks) == 0 {
		return nil
	}
	s := &shareSeries{variant: variant, dimension: dim, seed: seed}
	tl := make([]int, 0, len(ticks))
	for t := range ticks {
		tl = append(tl, t)
	}
	sort.Ints(tl)
	for o := range options {
		s.options = append(s.options, o)
	}
	sort.Ints(s.options)
	for _, t := range tl {
		s.ticks = append(s.ticks, float64(t))
	}
	s.shares = make([][]float64, len(s.options))
	for i, o := range s.options {
		s.shares[i] = make([]float64, len(tl))
		for j, t := range tl {
			if c := n[key{t, o}]; c > 0 {
				s.shares[i][j] = sum[key{t, o}] / float64(c)
			}
		}
	}
	return s
}

// shareHit is an option of a share series that a shock hit in its run.
type shareHit struct {
	option int
	shock  results.ShockInfo
}

// hits lists the options of s's dimension that shocks hit in its run: a
// fixed option, or for a shock aimed at the most used option the one most
// used at the last tick recorded before it (drawn targets are not known).
func (r *Results) hits(s *shareSeries) []shareHit {
	var out []shareHit
	for _, sh := range r.targetShocks() {
		if r.shockDimension(sh) != s.dimension {
			continue
		}
		target := r.shockTarget(sh)
		if o, err := strconv.Atoi(target); err == nil {
			out = append(out, shareHit{o, sh})
			continue
		}
		if target != results.TargetMostUsed {
			continue
		}
		j := sort.SearchFloat64s(s.ticks, float64(sh.Tick)) - 1 // the last recorded tick before the shock
		if j < 0 {
			continue
		}
		best := -1
		for i := range s.options {
			if best < 0 || s.shares[i][j] > s.shares[best][j] {
				best = i
			}
		}
		if best >= 0 {
			out = append(out, shareHit{s.options[best], sh})
		}
	}
	return out
}

// hitOptions lists the options of s that shocks hit in its run.
func (r *Results) hitOptions(s *shareSeries) []int {
	var out []int
	for _, h := range r.hits(s) {
		out = append(out, h.option)
	}
	return out
}

// shareSeeds lists the seeds of variant in shares.csv, in file order.
func (r *Results) shareSeeds(variant string) []uint64 {
	var seeds []uint64
	for _, row := range r.Shares {
		if row.Variant == variant && !slices.Contains(seeds, row.Seed) {
			seeds = append(seeds, row.Seed)
		}
	}
	return seeds
}

// shareDimensions lists the dimensions in shares.csv, the platform first.
func (r *Results) shareDimensions() []string {
	var dims []string
	for _, row := range r.Shares {
		if !slices.Contains(dims, row.Dimension) {
			dims = append(dims, row.Dimension)
		}
	}
	return dims
}

// dimensionShocks names the shocks that hit one option of dimension dim:
// "platform failure, tick 300".
func (r *Results) dimensionShocks(dim string) []string {
	var out []string
	for _, s := range r.targetShocks() {
		d := r.shockDimension(s)
		if d == dim {
			out = append(out, fmt.Sprintf("%s, tick %d", s.Name(), s.Tick))
		}
	}
	return out
}

// sharesChart draws, when a shock hits one option of a practice, who uses
// which platform (and which option of each
// dimension a shock hits) over time in single runs, from shares.csv:
// stacked shares of firms per option. Panels: for one variant with only a
// platform dimension, its first seeds; with more dimensions, each
// dimension in the first seed; with several variants, the first seed of
// each, platform only.
func sharesChart(r *Results) *Chart {
	dims := r.shareDimensions()
	if len(dims) == 0 || !r.HasMarket() || len(r.targetShocks()) == 0 {
		return nil // drawn where a shock hits one option: the story of who was on it
	}
	if len(r.Variants) > 1 {
		dims = dims[:1] // the platform (or the first dimension) for every variant
	}
	data := r.sharesData(dims)
	if len(data) == 0 {
		return nil
	}
	total := len(data)
	data = pickSpread(data, sharesPanels)
	multiDim := len(dims) > 1
	var row []*plot.Plot
	var legend []legendEntry
	var below [][]legendEntry
	coloured := 0
	if multiDim {
		// Option numbers of different practices are unrelated: each panel
		// has its own colours and legend.
		for k, s := range data {
			ranked, colour := optionColours([]*shareSeries{s}, sharesPanelOptions, r.hitOptions(s))
			row = append(row, r.sharesPanel(s, k, len(data), multiDim, ranked, colour))
			below = append(below, optionLegend(s.dimension, ranked, colour))
			coloured = max(coloured, len(ranked))
		}
	} else {
		var must []int
		for _, s := range data {
			must = append(must, r.hitOptions(s)...)
		}
		ranked, colour := optionColours(data, sharesOptions, must)
		for k, s := range data {
			row = append(row, r.sharesPanel(s, k, len(data), multiDim, ranked, colour))
		}
		legend = optionLegend(data[0].dimension, ranked, colour)
		coloured = len(ranked)
	}
	title := "Who uses which platform: shares of firms over time"
	if multiDim {
		title = "Who uses which option: the platform and the practices the shocks hit, over time"
	}
	c := &Chart{
		Title:       title,
		Caption:     r.sharesCaption(data, total, coloured, multiDim),
		grid:        [][]*plot.Plot{row},
		legend:      legend,
		legendBelow: true,
	}
	if multiDim {
		c.below = [][][]legendEntry{below}
		c.height = figHeight * 5 / 4 // room for a legend under each panel
	}
	return c
}

// optionLegend names the coloured options of practice dim ("platform 3")
// and the grey rest.
func optionLegend(dim string, ranked []int, colour map[int]int) []legendEntry {
	var legend []legendEntry
	for _, o := range ranked {
		legend = append(legend, legendEntry{label: fmt.Sprintf("%s %d", dim, o), thumbs: []plot.Thumbnailer{swatch{OkabeIto[colour[o]]}}})
	}
	return append(legend, legendEntry{label: "other options", thumbs: []plot.Thumbnailer{swatch{otherGrey}}})
}

// sharesData picks the runs the shares chart shows: for one variant with
// one dimension its first three seeds; otherwise, for each dimension, the
// first seed of each variant.
func (r *Results) sharesData(dims []string) []*shareSeries {
	var data []*shareSeries
	if len(r.Variants) == 1 && len(dims) == 1 {
		seeds := r.shareSeeds(r.Variants[0])
		for _, seed := range seeds[:min(len(seeds), 3)] {
			if s := r.shareSeries(r.Variants[0], seed, dims[0]); s != nil {
				data = append(data, s)
			}
		}
		return data
	}
	for _, d := range dims {
		for _, v := range r.Variants {
			if seeds := r.shareSeeds(v); len(seeds) > 0 {
				if s := r.shareSeries(v, seeds[0], d); s != nil {
					data = append(data, s)
				}
			}
		}
	}
	return data
}

// optionColours gives colours by option number, the same in every panel:
// the options in must (those a shock hit), then those with the highest
// peak share in any panel, k in all, get them. ranked
// lists those options in increasing order; colour maps each to its index
// in OkabeIto.
func optionColours(data []*shareSeries, k int, must []int) (ranked []int, colour map[int]int) {
	peak := map[int]float64{}
	for _, s := range data {
		for i, o := range s.options {
			for _, x := range s.shares[i] {
				peak[o] = math.Max(peak[o], x)
			}
		}
	}
	for _, o := range must {
		if !slices.Contains(ranked, o) && len(ranked) < k {
			ranked = append(ranked, o)
		}
	}
	for _, o := range topByPeak(peak, k) {
		if !slices.Contains(ranked, o) && len(ranked) < k {
			ranked = append(ranked, o)
		}
	}
	sort.Ints(ranked)
	colour = map[int]int{}
	for i, o := range ranked {
		colour[o] = i
	}
	return ranked, colour
}

// sharesPanel is the k-th of n panels of the shares chart: the stacked
// shares of run s, the ranked options in colour, all others in grey.
func (r *Results) sharesPanel(s *shareSeries, k, n int, multiDim bool, ranked []int, colour map[int]int) *plot.Plot {
	var title string
	switch {
	case multiDim:
		title = s.dimension
	case len(r.Variants) > 1:
		title = r.label(s.variant)
	case n > 1:
		title = fmt.Sprintf("seed %d", s.seed)
	}
	hits := r.hits(s)
	var hitNames []string
	for _, h := range hits {
		hitNames = append(hitNames, fmt.Sprintf("%s %d hit at tick %d", s.dimension, h.option, h.shock.Tick))
	}
	switch {
	case len(hitNames) > 0 && title != "":
		title += ": " + strings.Join(hitNames, "; ")
	case len(hitNames) > 0:
		title = strings.Join(hitNames, "; ")
	case multiDim:
		title += " (" + strings.Join(r.dimensionShocks(s.dimension), "; ") + ")"
	}
	ylabel := ""
	if k == 0 {
		ylabel = "Share of firms (%)"
		if !multiDim {
			ylabel = "Share of firms on each " + s.dimension + " option (%)"
		}
	}
	p := newPanel(title, r.timeLabel(), ylabel)
	percentAxis(&p.Y)
	lower := make([]float64, len(s.ticks))
	var outlines []plot.Plotter // drawn over every layer
	for _, o := range ranked {
		i := slices.Index(s.options, o)
		if i < 0 {
			continue
		}
		upper := make([]float64, len(s.ticks))
		for j := range s.ticks {
			upper[j] = lower[j] + s.shares[i][j]
		}
		p.Add(stackLayer(s.ticks, lower, upper, OkabeIto[colour[o]]))
		if slices.ContainsFunc(hits, func(h shareHit) bool { return h.option == o }) {
			outlines = append(outlines, hitOutline(s.ticks, lower, upper)...)
		}
		lower = upper
	}
	top := make([]float64, len(s.ticks))
	for j := range top {
		top[j] = math.Max(lower[j], 1)
	}
	p.Add(stackLayer(s.ticks, lower, top, otherGrey))
	p.Add(outlines...)
	if m := newShockMarks(r.Shocks(), n == 1, 0); m != nil {
		p.Add(m)
	}
	p.X.Min, p.X.Max = startAtZero(s.ticks[0], s.ticks[len(s.ticks)-1]), s.ticks[len(s.ticks)-1]
	if p.X.Max <= p.X.Min {
		p.X.Max = p.X.Min + 1
	}
	p.Y.Min, p.Y.Max = 0, 1
	return p
}

// sharesCaption says what the shares chart shows: which runs (data, of
// total panels), the coloured options (coloured of them), the shocks.
func (r *Results) sharesCaption(data []*shareSeries, total, coloured int, multiDim bool) string {
	what := "platform"
	if multiDim {
		what = "option of each practice shown"
	}
	seeds := map[uint64]bool{}
	for _, s := range data {
		seeds[s.seed] = true
	}
	var seedList []string
	for _, s := range data {
		if seeds[s.seed] {
			seedList = append(seedList, fmt.Sprint(s.seed))
			delete(seeds, s.seed)
		}
	}
	runs := "in one run (seed " + seedList[0] + ")"
	switch {
	case len(seedList) > 1:
		runs = "in single runs (seeds " + strings.Join(seedList, ", ") + ")"
	case len(r.Variants) > 1:
		runs = "in one run (seed " + seedList[0] + ") of each variant"
	}
	caption := fmt.Sprintf("Stacked share of firms in business using each %s over time, %s: runs are not averaged, because which one comes to dominate differs between runs (shares.csv has every run). "+
		"Options are numbered from 0, as in strategy codes; %d have a colour (those a shock hit, then those with the highest peak share%s), grey: all others.",
		what, runs, coloured, map[bool]string{true: " in each panel", false: ""}[multiDim])
	if multiDim {
		caption += " Panels: the platform and each practice a shock hits one option of."
	}
	if len(r.targetShocks()) > 0 {
		caption += " A shock aimed at \"the most used\" option hits the one most used when it strikes. Outlined, and named in the panel's title: the option a shock hit in that run (for a shock aimed at the most used option, the one most used at the last tick recorded before it; an option drawn at random is not marked); its layer after the shock shows whether firms come back to it."
	}
	if len(r.Shocks()) > 0 {
		caption += " " + shockKey(r.Shocks())
	}
	if total > len(data) {
		caption += fmt.Sprintf(" %d of %d panels shown.", len(data), total)
	}
	return caption
}

// hitOutline is the upper and lower edge of a stacked layer, dark and
// thick: the option a shock hit.
func hitOutline(x, lower, upper []float64) []plot.Plotter {
	var out []plot.Plotter
	for _, y := range [][]float64{lower, upper} {
		if l := meanLine(x, y, darkGrey); l != nil {
			l.Width = 2
			out = append(out, l)
		}
	}
	return out
}

// topByPeak returns the k keys of peak with the highest peaks, highest
// first, ties in key order: the options or strategies a chart has room for.
func topByPeak[K cmp.Ordered](peak map[K]float64, k int) []K {
	keys := make([]K, 0, len(peak))
	for key := range peak {
		keys = append(keys, key)
	}
	sort.Slice(keys, func(i, j int) bool {
		if peak[keys[i]] != peak[keys[j]] {
			return peak[keys[i]] > peak[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > k {
		keys = keys[:k]
	}
	return keys
}
