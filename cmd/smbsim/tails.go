package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// pctRange prints a share and its interval in percent, all three with the
// share's decimals ("8.30 % [7.20, 9.30]"), or with the upper bound's when
// the share is 0; only the value without an interval.
func pctRange(v, lo, hi results.Number) string {
	if math.IsNaN(float64(v)) {
		return "–"
	}
	a, l, h := present.Same(100*float64(v), 100*float64(lo), 100*float64(hi))
	if v == 0 && hi > 0 { // no event: the upper bound's decimals
		h, l, a = present.Same(100*float64(hi), 100*float64(lo), 0)
	}
	if math.IsNaN(float64(lo)) {
		return a + " %"
	}
	return fmt.Sprintf("%s %% [%s, %s]", a, l, h)
}

// tailLines prints, for each shock, the tails across seeds of every
// variant's excess failures (present.Headline's rows): the spread of the
// per-seed values, the expected shortfall of the worst 10 % of seeds, the
// share of seeds in which the shock killed more than θ of the firms beyond
// the fork, and the co-failure κ of the firms it killed; then the paired
// tail contrasts (the focus variant's, or every pair without a focus).
func tailLines(w io.Writer, s *results.Summary) {
	for _, h := range present.Headline(s) {
		var rows []present.HeadlineRow
		for _, r := range h.Rows {
			if r.HasTail() {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (tick %d), tails across seeds: excess failures per seed (10 %%, 50 %%, 90 %% of seeds), the mean of the worst 10 %% of seeds, and the seeds in which it killed more than %s %% of the firms beyond the fork (collapse; exact 95 %% CI); co-failure κ: 0 = its victims spread at random over what firms share, 1 = all on what it hit:\n",
			h.Shock.Name(), h.Shock.Tick, strconv.FormatFloat(math.Round(1e6*100*float64(rows[0].Tail.Threshold))/1e6, 'g', -1, 64))
		var buf strings.Builder
		tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  variant\tmedian [10 %, 90 %]\tworst 10 % [95% CI]\tcollapse [95% CI]\tco-failure κ [95% CI]")
		for _, r := range rows {
			t := r.Tail
			name := r.Variant
			if name == s.Focus {
				name += " ◀ focus"
			}
			collapse := fmt.Sprintf("%d of %d: %s", t.Collapses, t.N, pctRange(t.CollapseP, t.CollapseLow, t.CollapseHigh))
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", name, pctRange(t.Median, t.Q10, t.Q90),
				pctRange(t.Shortfall, t.ShortfallLow, t.ShortfallHigh), collapse, fmtCI(results.ShockMeasureName(h.Shock.Index, present.HeadlineCoFailure), r.CoFailure))
		}
		tw.Flush()
		writeTrimmed(w, buf.String())
		for _, c := range h.TailContrasts {
			what := "collapse share"
			if c.Statistic == results.TailShortfall {
				what = "worst 10 %"
			}
			fmt.Fprintf(w, "  %s − %s, %s: %s points (95%% CI %s to %s, paired permutation %s)\n",
				c.A, c.B, what, present.Points(c.Diff), present.Points(c.Lo), present.Points(c.Hi), present.P(c.P))
		}
	}
}
