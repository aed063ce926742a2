package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// pctRange prints a share and its interval in percent with one decimal
// ("8.3 % [7.2, 9.3]"); only the value without an interval.
func pctRange(v, lo, hi results.Number) string {
	if math.IsNaN(float64(v)) {
		return "–"
	}
	a, l, h := present.Fixed(100*float64(v), 1), present.Fixed(100*float64(lo), 1), present.Fixed(100*float64(hi), 1)
	if math.IsNaN(float64(lo)) {
		return a + " %"
	}
	return fmt.Sprintf("%s %% [%s, %s]", a, l, h)
}

// tailLines prints the tails across seeds of every shock's excess
// failures (present.Headline's rows): the spread of the per-seed values,
// the expected shortfall of the worst 10 % of seeds, the share of seeds in
// which the shock killed more than θ of the firms beyond the fork, and the
// co-failure κ of the firms it killed; then the paired tail contrasts (the
// focus variant's, or every pair without a focus). One table with a row
// per shock for a single variant; a table per shock for several.
func tailLines(w io.Writer, s *results.Summary) {
	type block struct {
		h    present.ShockHeadline
		rows []present.HeadlineRow
	}
	var blocks []block
	for _, h := range present.Headline(s) {
		var rows []present.HeadlineRow
		for _, r := range h.Rows {
			if r.HasTail() {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 {
			blocks = append(blocks, block{h, rows})
		}
	}
	if len(blocks) == 0 {
		return
	}
	theta := present.Threshold(float64(blocks[0].rows[0].Tail.Threshold))
	fmt.Fprintf(w, "\nTails across seeds: excess failures per seed (median, and 10 %% and 90 %% of seeds), the mean of the worst 10 %% of seeds (bootstrap 95 %% CI), the seeds in which the shock killed more than %s of the firms in business beyond its fork (collapse; exact 95 %% CI), and co-failure κ of the firms it killed (0: spread at random over what firms share; 1: all on what it hit):\n", theta)
	cells := func(h present.ShockHeadline, r present.HeadlineRow) string {
		t := r.Tail
		return fmt.Sprintf("%s\t%s\t%d of %d: %s\t%s", pctRange(t.Median, t.Q10, t.Q90), pctRange(t.Shortfall, t.ShortfallLow, t.ShortfallHigh),
			t.Collapses, t.N, pctRange(t.CollapseP, t.CollapseLow, t.CollapseHigh),
			fmtCI(results.ShockMeasureName(h.Shock.Index, present.HeadlineCoFailure), r.CoFailure))
	}
	const head = "median [10 %, 90 %]\tworst 10 % [95% CI]\tcollapse [95% CI]\tco-failure κ [95% CI]"
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	if len(s.Variants) == 1 {
		fmt.Fprintln(tw, "  shock\ttick\t"+head)
		for _, b := range blocks {
			fmt.Fprintf(tw, "  %d. %s\t%d\t%s\n", b.h.Shock.Index, b.h.Shock.Name(), b.h.Shock.Tick, cells(b.h, b.rows[0]))
		}
		tw.Flush()
		writeTrimmed(w, buf.String())
		return
	}
	for _, b := range blocks {
		fmt.Fprintf(w, "%s (tick %d)\n", b.h.Shock.Name(), b.h.Shock.Tick)
		fmt.Fprintln(tw, "  variant\t"+head)
		for _, r := range b.rows {
			name := r.Variant
			if name == s.Focus {
				name += " ◀ focus"
			}
			fmt.Fprintf(tw, "  %s\t%s\n", name, cells(b.h, r))
		}
		tw.Flush()
		writeTrimmed(w, buf.String())
		buf.Reset()
		if s.Focus != "" {
			for _, v := range s.Variants {
				if line, ok := present.MeanAndTail(b.h, s.Focus, v.Name); ok && v.Name != s.Focus {
					fmt.Fprintf(w, "  %s.\n", line)
				}
			}
		}
		for _, c := range b.h.TailContrasts {
			what := "collapse share"
			if c.Statistic == results.TailShortfall {
				what = "worst 10 %"
			}
			fmt.Fprintf(w, "  %s − %s, %s: %s points (95%% CI %s to %s, paired permutation %s)\n",
				c.A, c.B, what, present.Points(c.Diff), present.Points(c.Lo), present.Points(c.Hi), present.P(c.P))
		}
	}
}
