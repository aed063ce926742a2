package present

import (
	"fmt"
	"math"
	"strconv"

	"github.com/smbsim/smbsim/results"
)

// HeadlineCoFailure is the per-shock measure suffix of the co-failure κ
// that the headline shows with the tails.
const HeadlineCoFailure = "cofailure"

// TailContrast is a paired contrast of a tail statistic between two
// variants (summary.json "tail_contrasts"), turned to read A − B.
type TailContrast struct {
	A, B      string
	Statistic string  // results.TailCollapseP or results.TailShortfall
	Diff      float64 // A − B
	Lo, Hi    float64 // 95 % bootstrap interval
	P         float64 // paired permutation p
	N         int     // seeds both measured
}

// tailOf returns the tail of measure for variant, N = 0 when absent.
func tailOf(s *results.Summary, measure, variant string) results.Tail {
	for _, t := range s.Tails {
		if t.Measure == measure && t.Variant == variant {
			return t
		}
	}
	nan := results.Number(math.NaN())
	return results.Tail{Measure: measure, Variant: variant, Mean: nan, Q10: nan, Median: nan, Q90: nan, Max: nan,
		Threshold: nan, CollapseP: nan, CollapseLow: nan, CollapseHigh: nan, TailShare: nan, Shortfall: nan, ShortfallLow: nan, ShortfallHigh: nan}
}

// TailContrasts returns the paired tail contrasts of measure in s: with a
// focus variant, the focus − every other variant; without, every pair as
// tested. Each statistic in summary order.
func TailContrasts(s *results.Summary, measure string) []TailContrast {
	var out []TailContrast
	for _, c := range s.TailContrasts {
		if c.Measure != measure {
			continue
		}
		tc := TailContrast{A: c.VariantA, B: c.VariantB, Statistic: c.Statistic, Diff: float64(c.Diff),
			Lo: float64(c.CILow), Hi: float64(c.CIHigh), P: float64(c.P), N: c.N}
		switch {
		case s.Focus == "":
		case c.VariantA == s.Focus:
		case c.VariantB == s.Focus:
			tc.A, tc.B, tc.Diff, tc.Lo, tc.Hi = tc.B, tc.A, -tc.Diff, -tc.Hi, -tc.Lo
		default:
			continue
		}
		out = append(out, tc)
	}
	return out
}

// HasTail reports whether the row has the tail of its excess failures
// across seeds (summary.json written before tails existed has none).
func (r HeadlineRow) HasTail() bool { return r.Tail.N > 0 }

// Threshold writes a share set by the user (a collapse threshold) in
// percent as given, without rounding noise: 0.2 → "20 %", 0.125 → "12.5 %".
func Threshold(x float64) string {
	return Minus(strconv.FormatFloat(math.Round(1e6*100*x)/1e6, 'g', -1, 64)) + " %"
}

// row returns the headline row of variant, if ranked.
func (h ShockHeadline) row(variant string) (HeadlineRow, bool) {
	for _, r := range h.Rows {
		if r.Variant == variant {
			return r, true
		}
	}
	return HeadlineRow{}, false
}

// pctCI writes a share and its interval in percent, one decimal: "8.3 %
// [7.2, 9.3]" (without the interval when it is not available).
func pctCI(v, lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return Fixed(100*v, 1) + " %"
	}
	return Fixed(100*v, 1) + " % [" + Fixed(100*lo, 1) + ", " + Fixed(100*hi, 1) + "]"
}

// MeanAndTail is the headline's sentence on mean and tail together, for
// variant a against variant b on the shock of h: "imitation-heavy lost
// 8.3 % [7.2, 9.3] of its firms to the demand shift beyond its no-shock
// fork on average (balanced 9.4 % [8.5, 10.2]), and more than 20 % in 2.0
// % of seeds [0.1, 10.6] (balanced 4.0 % [0.5, 13.7])": the mean excess
// failures with their t-intervals, and the share of seeds above the
// collapse threshold with their exact intervals. ok is false when either
// variant lacks the mean or the tail.
func MeanAndTail(h ShockHeadline, a, b string) (sentence string, ok bool) {
	ra, okA := h.row(a)
	rb, okB := h.row(b)
	if !okA || !okB || !ra.HasTail() || !rb.HasTail() {
		return "", false
	}
	mean := func(r HeadlineRow) string {
		return pctCI(float64(r.Excess.Mean), float64(r.Excess.CILow), float64(r.Excess.CIHigh))
	}
	collapse := func(r HeadlineRow) string {
		return pctCI(float64(r.Tail.CollapseP), float64(r.Tail.CollapseLow), float64(r.Tail.CollapseHigh))
	}
	return fmt.Sprintf("%s lost %s of its firms to the %s beyond its no-shock fork on average (%s %s), and more than %s in %s of seeds (%s %s)",
		a, mean(ra), h.Shock.Name(), b, mean(rb), Threshold(float64(ra.Tail.Threshold)), collapse(ra), b, collapse(rb)), true
}
