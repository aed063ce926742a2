package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// pctRange prints a share and its interval in percent, with the share's
// decimals: "8.3 % [7.2, 9.3]"; only the value without an interval.
func pctRange(v, lo, hi results.Number) string {
	if math.IsNaN(float64(v)) {
		return "–"
	}
	a, l, h := plots.FormatSame(100*float64(v), 100*float64(lo), 100*float64(hi))
	if v == 0 && hi > 0 { // no event: the upper bound's decimals
		h, l, a = plots.FormatSame(100*float64(hi), 100*float64(lo), 0)
	}
	if math.IsNaN(float64(lo)) {
		return minus(a) + " %"
	}
	return fmt.Sprintf("%s %% [%s, %s]", minus(a), minus(l), minus(h))
}

// tailLines prints, for each shock, the tails across seeds of every
// variant's excess failures (summary.json "tails"): the spread of the
// per-seed values, the expected shortfall of the worst 10 % of seeds, the
// share of seeds in which the shock killed more than θ of the firms beyond
// the fork, and the co-failure κ of the firms it killed; then the paired
// contrasts of the focus variant (or, without one, of every pair).
func tailLines(w io.Writer, s *results.Summary) {
	for k := 1; k <= len(s.Shocks); k++ {
		var tails []results.Tail
		for _, t := range s.Tails {
			if t.Shock == k && t.Measure == fmt.Sprintf("shock%d_excess_fail_share", k) && t.N > 0 {
				tails = append(tails, t)
			}
		}
		if len(tails) == 0 {
			continue
		}
		sh := s.Shocks[k-1]
		fmt.Fprintf(w, "\n%s (tick %d), tails across seeds: excess failures per seed (10 %%, 50 %%, 90 %% of seeds), the mean of the worst 10 %% of seeds, and the seeds in which it killed more than %s of the firms beyond the fork (collapse; exact 95 %% CI); co-failure κ: 0 = its victims spread at random over what firms share, 1 = all on what it hit:\n",
			sh.Name(), sh.Tick, pct(tails[0].Threshold))
		var buf strings.Builder
		tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  variant\tmedian [10 %, 90 %]\tworst 10 % [95% CI]\tcollapse [95% CI]\tco-failure κ [95% CI]")
		for _, t := range tails {
			name := t.Variant
			if name == s.Focus {
				name += " ◀ focus"
			}
			collapse := fmt.Sprintf("%d of %d: %s", t.Collapses, t.N, pctRange(t.CollapseP, t.CollapseLow, t.CollapseHigh))
			cf := "–"
			for _, v := range s.Variants {
				if m, ok := v.Measures[fmt.Sprintf("shock%d_cofailure", k)]; ok && v.Name == t.Variant {
					cf = fmtCI(fmt.Sprintf("shock%d_cofailure", k), m)
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", name, pctRange(t.Median, t.Q10, t.Q90),
				pctRange(t.Shortfall, t.ShortfallLow, t.ShortfallHigh), collapse, cf)
		}
		tw.Flush()
		writeTrimmed(w, buf.String())
		for _, c := range s.TailContrasts {
			if c.Shock != k || c.Measure != tails[0].Measure || (s.Focus != "" && c.VariantA != s.Focus && c.VariantB != s.Focus) {
				continue
			}
			a, b, d, lo, hi := c.VariantA, c.VariantB, c.Diff, c.CILow, c.CIHigh
			if c.VariantB == s.Focus { // the focus first
				a, b, d, lo, hi = b, a, -d, -hi, -lo
			}
			what := "collapse share"
			if c.Statistic == results.TailShortfall {
				what = "worst 10 %"
			}
			fmt.Fprintf(w, "  %s − %s, %s: %s points (95%% CI %s to %s, paired permutation %s)\n",
				a, b, what, points(d), points(lo), points(hi), stats.FormatP(float64(c.P)))
		}
	}
}
