package present

import (
	"math"
	"slices"

	"github.com/smbsim/smbsim/results"
)

// The measures the shock headline reads, as suffixes of shock<k>_….
const (
	HeadlineMeasure = "excess_fail_share"        // what variants and shocks are ranked by
	HeadlineFailed  = "fail_share"               // the raw share, background exits included
	HeadlineBefore  = "pre_effective_strategies" // the diversity the shock found
)

// Contrast is the mean difference A − B of a measure between two
// variants, from its mean test in summary.json (the paired t-test when the
// variants share seeds, Welch's otherwise), turned to read A − B whichever
// order the pair was tested in.
type Contrast struct {
	A, B   string
	Diff   float64 // A − B; NaN when not available
	Lo, Hi float64 // its 95 % interval; NaN when there is none (one seed)
	P      float64
	Test   string // results.TestPairedT or results.TestWelch; "" when the pair has no mean test
}

// Tested reports whether the pair has a mean test with a difference.
func (c Contrast) Tested() bool { return c.Test != "" && !math.IsNaN(c.Diff) }

// IsMeanTest reports whether t tests a mean difference: the paired t-test
// (variants sharing seeds) or Welch's (independent samples).
func IsMeanTest(t results.Test) bool {
	return t.Test == results.TestPairedT || t.Test == results.TestWelch
}

// TestName is the reader-facing name of a mean-difference test.
func TestName(test string) string {
	if test == results.TestPairedT {
		return "paired t-test over seeds"
	}
	return "Welch t-test"
}

// MeanContrast returns the mean difference a − b of measure from the mean
// tests of s, with its interval and p; Test is "" (and the figures NaN)
// when the pair was not tested.
func MeanContrast(s *results.Summary, measure, a, b string) Contrast {
	nan := math.NaN()
	c := Contrast{A: a, B: b, Diff: nan, Lo: nan, Hi: nan, P: nan}
	for _, t := range s.Tests {
		if t.Measure != measure || !IsMeanTest(t) {
			continue
		}
		switch {
		case t.VariantA == a && t.VariantB == b:
			c.Diff, c.Lo, c.Hi = float64(t.EffectSize), float64(t.EffectCILow), float64(t.EffectCIHigh)
		case t.VariantA == b && t.VariantB == a:
			c.Diff, c.Lo, c.Hi = -float64(t.EffectSize), -float64(t.EffectCIHigh), -float64(t.EffectCILow)
		default:
			continue
		}
		c.P, c.Test = float64(t.P), t.Test
		return c
	}
	return c
}

// HeadlineRow is one variant's line of a shock's headline.
type HeadlineRow struct {
	Variant string
	Excess  results.MeasureStats // shock<k>_excess_fail_share
	Failed  results.MeasureStats // shock<k>_fail_share (N = 0 when absent)
	Before  results.MeasureStats // shock<k>_pre_effective_strategies (N = 0 when absent)
	// Tail is the distribution over seeds of the variant's excess
	// failures (quantiles, collapses above the threshold, expected
	// shortfall; N = 0 when absent), CoFailure the mean co-failure κ of
	// the firms the shock killed (N = 0 when absent).
	Tail      results.Tail
	CoFailure results.MeasureStats
}

// ShockHeadline is what one shock did to each variant: the variants
// ranked by the failures the shock caused beyond the background.
type ShockHeadline struct {
	Shock   results.ShockInfo
	Measure string // shock<k>_excess_fail_share
	// Rows are the variants whose mean excess failures are measured
	// (not NaN), largest first; ties keep the summary's order. A variant
	// without the measure, or with a NaN mean, is left out, and so is a
	// variant's copy under a control (IsCopy: compare --control), which is
	// compared in WhereItHolds only.
	Rows []HeadlineRow
	// Steps[i] is Rows[i] − Rows[i+1].
	Steps []Contrast
	// Focus is, when the summary names a focus variant (meta.focus), the
	// focus − every other variant of the summary that is not a controlled
	// copy, in summary order, ranked or not (Test "" where there is no
	// test).
	Focus []Contrast
	// FocusRank is the focus variant's index in Rows, −1 if absent.
	FocusRank int
	// TailContrasts are the paired contrasts of the collapse share and the
	// expected shortfall: focus − every other variant, or every pair
	// without a focus (empty for a run, or without tails).
	TailContrasts []TailContrast
}

// FocusAgainst returns the focus − variant contrast, if there is one.
func (h ShockHeadline) FocusAgainst(variant string) (Contrast, bool) {
	for _, c := range h.Focus {
		if c.B == variant {
			return c, true
		}
	}
	return Contrast{}, false
}

// measureOf returns the measure of a variant, N = 0 and NaN when absent.
func measureOf(v *results.VariantSummary, name string) (results.MeasureStats, bool) {
	if m, ok := v.Measures[name]; ok {
		return m, true
	}
	nan := results.Number(math.NaN())
	return results.MeasureStats{Mean: nan, SD: nan, CILow: nan, CIHigh: nan}, false
}

// measured reports whether m has a mean.
func measured(m results.MeasureStats, ok bool) bool { return ok && !math.IsNaN(float64(m.Mean)) }

// Headline returns the headline of every shock of s, in schedule order:
// the one computation of the ranking and the mean tests behind it, which
// the terminal tables and the report both render.
func Headline(s *results.Summary) []ShockHeadline {
	var out []ShockHeadline
	// Shocks are matched across variants by kind and tick (scenarios
	// compared with each other may differ): a variant is in a shock's
	// headline only if it had that shock.
	for _, a := range s.AlignedShocks() {
		h := ShockHeadline{Shock: a.ShockInfo, Measure: results.ShockMeasureName(a.Index, HeadlineMeasure), FocusRank: -1}
		for i := range s.Variants {
			v := &s.Variants[i]
			if IsCopy(s, v.Name) {
				continue // compared only where the contrast holds (WhereItHolds)
			}
			name, had := a.Measure(i, HeadlineMeasure)
			if !had {
				continue
			}
			ex, ok := measureOf(v, name)
			if !measured(ex, ok) {
				continue
			}
			failed, _ := measureOf(v, results.ShockMeasureName(a.K[i], HeadlineFailed))
			before, _ := measureOf(v, results.ShockMeasureName(a.K[i], HeadlineBefore))
			cf, _ := measureOf(v, results.ShockMeasureName(a.K[i], HeadlineCoFailure))
			h.Rows = append(h.Rows, HeadlineRow{Variant: v.Name, Excess: ex, Failed: failed, Before: before,
				Tail: tailOf(s, name, v.Name), CoFailure: cf})
		}
		slices.SortStableFunc(h.Rows, func(a, b HeadlineRow) int { return descending(a.Excess.Mean, b.Excess.Mean) })
		for i := 0; i+1 < len(h.Rows); i++ {
			h.Steps = append(h.Steps, MeanContrast(s, h.Measure, h.Rows[i].Variant, h.Rows[i+1].Variant))
		}
		for i, r := range h.Rows {
			if r.Variant == s.Focus {
				h.FocusRank = i
			}
		}
		if s.Focus != "" {
			for _, v := range s.Variants {
				if v.Name != s.Focus && !IsCopy(s, v.Name) {
					h.Focus = append(h.Focus, MeanContrast(s, h.Measure, s.Focus, v.Name))
				}
			}
		}
		h.TailContrasts = TailContrasts(s, h.Measure)
		out = append(out, h)
	}
	return out
}

// RankedShock is one shock in a variant's ranking of shocks.
type RankedShock struct {
	Shock  results.ShockInfo
	Excess results.MeasureStats // shock<k>_excess_fail_share
	Failed results.MeasureStats // shock<k>_fail_share
	Before results.MeasureStats // shock<k>_pre_effective_strategies
}

// RankShocks ranks the shocks of variant v of s by the failures each
// caused beyond the background, largest first (ties in schedule order):
// ranked are those with a mean; unmeasured those whose excess failures
// the variant has as a measure without a mean (the runs ended before the
// shock), in schedule order.
func RankShocks(s *results.Summary, v int) (ranked, unmeasured []RankedShock) {
	if v < 0 || v >= len(s.Variants) {
		return nil, nil
	}
	vs := &s.Variants[v]
	for _, sh := range s.VariantShocks(v) {
		ex, ok := measureOf(vs, results.ShockMeasureName(sh.Index, HeadlineMeasure))
		if !ok {
			continue
		}
		failed, _ := measureOf(vs, results.ShockMeasureName(sh.Index, HeadlineFailed))
		before, _ := measureOf(vs, results.ShockMeasureName(sh.Index, HeadlineBefore))
		r := RankedShock{Shock: sh, Excess: ex, Failed: failed, Before: before}
		if measured(ex, ok) {
			ranked = append(ranked, r)
		} else {
			unmeasured = append(unmeasured, r)
		}
	}
	slices.SortStableFunc(ranked, func(a, b RankedShock) int { return descending(a.Excess.Mean, b.Excess.Mean) })
	return ranked, unmeasured
}

// descending orders larger values first (neither is NaN).
func descending(a, b results.Number) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
