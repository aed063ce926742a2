package present

import (
	"math"

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
