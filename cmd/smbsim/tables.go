package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// fmtNum prints a figure for people (present.Num).
func fmtNum(v results.Number) string { return present.Num(float64(v)) }

// fmtCI prints "mean [low, high]" of measure name, the three with the
// same decimals and the interval cut at the measure's possible range (no
// negative ticks or shares); shares in percent.
func fmtCI(name string, m results.MeasureStats) string {
	if m.N == 0 || math.IsNaN(float64(m.Mean)) {
		return "–"
	}
	v, lo, hi := present.Estimate(name, float64(m.Mean), float64(m.CILow), float64(m.CIHigh))
	unit := ""
	if results.InPercent(name) {
		unit = " %"
	}
	if math.IsNaN(float64(m.CILow)) {
		return v + unit
	}
	return fmt.Sprintf("%s%s [%s, %s]", v, unit, lo, hi)
}

// runTable prints the headline — for each shock, the market it found and
// the failures it caused beyond the background, ranked when there are
// several — then each measure's mean and 95 % interval across seeds.
func runTable(w io.Writer, s *results.Summary) {
	if len(s.Variants) == 0 {
		return
	}
	v := s.Variants[0]
	fmt.Fprintf(w, "%s: %d runs (mean [95%% CI] across seeds)\n", s.Scenario, v.Runs)
	shockRanking(w, s)
	tailLines(w, s)
	aftermathNote(w, s)
	fmt.Fprintln(w)
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tmean [95% CI]\tn")
	group := 0
	for _, name := range measureOrder(s) {
		m, ok := v.Measures[name]
		if !ok || m.N == 0 {
			continue // not measured in any run (margins without a market)
		}
		if k := shockOf(name); k != group {
			group = k
			fmt.Fprintf(tw, "\t\t\n%s\t\t\n", shockHeader(s, k))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", name, fmtCI(name, m), m.N)
	}
	tw.Flush()
	writeTrimmed(w, buf.String())
}

// writeTrimmed writes a table without the padding tabwriter leaves at the
// end of its group header lines.
func writeTrimmed(w io.Writer, table string) {
	for _, line := range strings.SplitAfter(table, "\n") {
		io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n")))
	}
}

// shockOf returns k of a per-shock measure name shock<k>_…, 0 for others.
func shockOf(name string) int {
	k, _, _ := results.SplitShockMeasure(name)
	return k
}

// shockHeader names shock k for a group of its measures: "shock 3 —
// regulation (tick 450)"; k = 0 is the group of whole-run measures.
func shockHeader(s *results.Summary, k int) string {
	if k == 0 {
		return "whole run"
	}
	if k > len(s.Shocks) {
		return fmt.Sprintf("shock %d (a later variant's)", k)
	}
	sh := s.Shocks[k-1]
	h := fmt.Sprintf("shock %d — %s (tick %d", k, sh.Name(), sh.Tick)
	if sh.Duration > 0 {
		h += fmt.Sprintf(" for %d", sh.Duration)
	}
	return h + ")"
}

// shockRanking prints, for the single variant of a run, each shock's
// excess failures and the diversity it found, ranked by excess failures
// (present.RankShocks), then the shocks it could not measure.
func shockRanking(w io.Writer, s *results.Summary) {
	ranked, unmeasured := present.RankShocks(s, 0)
	rows := append(ranked, unmeasured...)
	if len(rows) == 0 {
		return
	}
	title := "Shock"
	if len(rows) > 1 {
		title = "Shocks ranked by excess failures"
	}
	fmt.Fprintf(w, "\n%s (excess failures = share of the firms alive at the shock that exit within the window, minus the share that exit in the same market without that shock, paired per seed):\n\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "shock\ttick\tdiversity when it hit (eff. strategies)\texcess failures\tfailed (incl. background)")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d. %s\t%d\t%s\t%s\t%s\n", r.Shock.Index, r.Shock.Label, r.Shock.Tick, fmtCI("pre_effective_strategies", r.Before), fmtPctCI("shock0_excess_fail_share", r.Excess), fmtPctCI("shock0_fail_share", r.Failed))
	}
	tw.Flush()
}

// fmtPctCI prints share measure name and its interval in percent, the
// interval cut at the measure's possible range.
func fmtPctCI(name string, m results.MeasureStats) string {
	if m.N == 0 || math.IsNaN(float64(m.Mean)) {
		return "–"
	}
	lo, hi := results.ClipInterval(name, float64(m.CILow), float64(m.CIHigh))
	m.CILow, m.CIHigh = results.Number(lo), results.Number(hi)
	one := func(v results.Number) string { return present.Minus(fmt.Sprintf("%.1f", 100*float64(v))) }
	if math.IsNaN(float64(m.CILow)) {
		return one(m.Mean) + " %"
	}
	return fmt.Sprintf("%s %% [%s, %s]", one(m.Mean), one(m.CILow), one(m.CIHigh))
}

// aftermathNote says when runs ended inside a shock's aftermath, where
// final values describe a market still moving after the shock.
func aftermathNote(w io.Writer, s *results.Summary) {
	var parts []string
	for _, v := range s.Variants {
		m, ok := v.Measures["final_in_aftermath"]
		if !ok || m.N == 0 || !(float64(m.Mean) > 0) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %.0f of %d", v.Name, float64(m.Mean)*float64(m.N), m.N))
	}
	if len(parts) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNote: runs ending inside a shock's aftermath (%s): their final_* values describe a market still moving after the shock (not back to the level of its no-shock fork), not its settled state; compare diversity when the shock hit.\n", strings.Join(parts, ", "))
}

// measureOrder lists the measures of the summary in runs.csv order.
func measureOrder(s *results.Summary) []string {
	return experiment.MeasureNames(len(s.Shocks)+extraShocks(s), s.Horizons)
}

// extraShocks counts shocks of later variants beyond the first's.
func extraShocks(s *results.Summary) int {
	n := 0
	for _, v := range s.Variants {
		for k := len(s.Shocks) + 1; ; k++ {
			if _, ok := v.Measures[fmt.Sprintf("shock%d_fail_share", k)]; !ok {
				break
			}
			n = max(n, k-len(s.Shocks))
		}
	}
	return n
}

// keyMeasures are the columns a workshop facilitator reads: for each
// shock, the diversity of the market it hit and the failures it caused
// beyond the background (with the raw share, background included), then
// final diversity and mean margin.
func keyMeasures(s *results.Summary) (names, headers []string) {
	for k := 1; k <= len(s.Shocks)+extraShocks(s); k++ {
		label := fmt.Sprintf("shock %d", k)
		if k <= len(s.Shocks) {
			label = s.Shocks[k-1].Label
		}
		names = append(names, fmt.Sprintf("shock%d_pre_effective_strategies", k), fmt.Sprintf("shock%d_excess_fail_share", k), fmt.Sprintf("shock%d_fail_share", k))
		headers = append(headers, "diversity when "+label+" hit", "excess failures ("+label+")", "failed incl. background")
		if target := fmt.Sprintf("shock%d_target_share", k); measured(s, target) {
			names = append(names, target)
			headers = append(headers, "firms on the option hit")
		}
	}
	final := "final diversity"
	if anyAftermath(s) {
		final += " †"
	}
	last, lastLabel := lastKeyMeasure(s)
	names = append(names, "final_effective_strategies", last)
	headers = append(headers, final, strings.TrimSpace(lastLabel))
	return names, headers
}

// lastKeyMeasure is the key measure after final diversity: the mean margin
// of a market, or, without a market (payoff-only runs such as
// lazer-friedman, where diversity ends at 1 and the result is how fit the
// solution everyone converged on is), the final mean fitness.
func lastKeyMeasure(s *results.Summary) (name, label string) {
	if !measured(s, "mean_margin") && measured(s, "final_mean_fitness") {
		return "final_mean_fitness", "  final mean fitness"
	}
	return "mean_margin", "  mean margin"
}

// measured reports whether some variant has a value of measure name.
func measured(s *results.Summary, name string) bool {
	for _, v := range s.Variants {
		if m, ok := v.Measures[name]; ok && m.N > 0 && !math.IsNaN(float64(m.Mean)) {
			return true
		}
	}
	return false
}

func anyAftermath(s *results.Summary) bool {
	for _, v := range s.Variants {
		if m, ok := v.Measures["final_in_aftermath"]; ok && float64(m.Mean) > 0 {
			return true
		}
	}
	return false
}

// isShare reports whether a key measure is a share printed in percent.
func isShare(name string) bool { return strings.HasSuffix(name, "fail_share") }

// tableWidth is the width the terminal tables fit: a table wider than
// this is split (see variantTable).
const tableWidth = 120

// keyRow is one row of the variant table: a measure for every variant
// (names[i] is variant i's measure, "" when it has none, e.g. a shock it
// did not have).
type keyRow struct {
	label string
	names []string
}

// keyRows are the rows of the variant table, grouped under headers: for
// each shock (matched across variants by kind and tick), the diversity of
// the market it hit and the failures it caused beyond the background
// (with the raw share, background included), then the whole run's final
// diversity and mean margin. A header is a row without names.
func keyRows(s *results.Summary) []keyRow {
	n := len(s.Variants)
	var rows []keyRow
	for _, a := range s.AlignedShocks() {
		h := fmt.Sprintf("%s (tick %d", a.Name(), a.Tick)
		if a.Duration > 0 {
			h += fmt.Sprintf(" for %d", a.Duration)
		}
		rows = append(rows, keyRow{label: h + ")"})
		ms := []struct{ suffix, label string }{
			{"pre_effective_strategies", "  diversity when it hit"},
			{"excess_fail_share", "  excess failures"},
			{"fail_share", "  failed incl. background"},
			{"target_share", "  firms on the option hit"},
		}
		if a.Kind == "downturn" { // who goes first: the least and the most cash at the shock
			ms = append(ms, struct{ suffix, label string }{"excess_fail_cash_q1", "  excess, least-cash quarter"},
				struct{ suffix, label string }{"excess_fail_cash_q4", "  excess, most-cash quarter"})
		}
		for _, m := range ms {
			r := keyRow{label: m.label, names: make([]string, n)}
			any := false
			for i := range n {
				if name, ok := a.Measure(i, m.suffix); ok {
					r.names[i] = name
					any = any || measured(s, name)
				}
			}
			if any {
				rows = append(rows, r)
			}
		}
	}
	final := "  final diversity"
	if anyAftermath(s) {
		final += " †"
	}
	rows = append(rows, keyRow{label: "whole run"})
	last, lastLabel := lastKeyMeasure(s)
	for _, m := range []struct{ name, label string }{{"final_effective_strategies", final}, {last, lastLabel}} {
		r := keyRow{label: m.label, names: make([]string, n)}
		for i := range n {
			r.names[i] = m.name
		}
		rows = append(rows, r)
	}
	return rows
}

// variantTable prints the key measures with a column per variant, a row
// per measure; when the variants do not fit tableWidth side by side, it
// prints several tables of as many variants as fit.
func variantTable(w io.Writer, s *results.Summary) {
	rows := keyRows(s)
	n := len(s.Variants)
	cells := make([][]string, len(rows)) // [row][variant]
	labelW := 0
	for r, row := range rows {
		labelW = max(labelW, utf8.RuneCountInString(row.label))
		cells[r] = make([]string, n)
		if row.names == nil {
			continue
		}
		for i, name := range row.names {
			m, ok := s.Variants[i].Measures[name]
			switch {
			case name == "":
				cells[r][i] = "(no such shock)"
			case !ok:
				cells[r][i] = "n/a"
			case isShare(name):
				cells[r][i] = fmtPctCI(name, m)
			default:
				cells[r][i] = fmtCI(name, m)
			}
		}
	}
	heads := make([]string, n)
	colW := make([]int, n)
	for i, v := range s.Variants {
		heads[i] = fmt.Sprintf("%s (%d runs)", v.Name, v.Runs)
		if v.Name == s.Focus {
			heads[i] += " ◀"
		}
		colW[i] = utf8.RuneCountInString(heads[i])
		for r := range rows {
			colW[i] = max(colW[i], utf8.RuneCountInString(cells[r][i]))
		}
	}
	for from := 0; from < n; {
		to, width := from, labelW
		for to < n && (to == from || width+2+colW[to] <= tableWidth) {
			width += 2 + colW[to]
			to++
		}
		if from > 0 {
			fmt.Fprintln(w)
		}
		var buf strings.Builder
		tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "\t%s\n", strings.Join(heads[from:to], "\t"))
		for r, row := range rows {
			fmt.Fprintf(tw, "%s\t%s\n", row.label, strings.Join(cells[r][from:to], "\t"))
		}
		tw.Flush()
		writeTrimmed(w, buf.String())
		from = to
	}
}

// compareTable prints, per variant, the key measures with 95 % intervals,
// then, for every pair of variants, the paired differences.
func compareTable(w io.Writer, s *results.Summary) {
	fmt.Fprintf(w, "%s: %d variants × %d seeds (mean [95%% CI]; diversity = effective strategies; excess failures = failed after the shock minus failed in the same market without it, paired per seed)\n\n", s.Scenario, len(s.Variants), len(s.Seeds))
	variantTable(w, s)
	if s.Focus != "" {
		fmt.Fprintf(w, "◀ focus: the variant this scenario is about (meta.focus); below, every other variant is compared with it.\n")
	}
	if anyAftermath(s) {
		fmt.Fprintln(w, "† some runs end inside a shock's aftermath (see below): final diversity is then not the market's settled diversity.")
	}
	if s.ShocksDiffer() {
		fmt.Fprintln(w, "The variants ran different shocks: a shock is compared only between the variants that had it (the same kind at the same tick).")
	}
	shockHeadlines(w, s)
	tailLines(w, s)
	aftermathNote(w, s)

	fmt.Fprintf(w, "\nDifferences between variants (A − B; paired t-test on the per-seed differences when the variants share seeds, Welch otherwise; Wilcoxon signed-rank in tests.csv; differences of shares in percentage points):\n\n")
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tA\tB\tdesign\tA − B [95% CI]\tp\t")
	rows := 0
	var header string
	headers := map[int]string{} // line of the table → the shock header printed above it
	for _, kr := range keyRows(s) {
		if kr.names == nil {
			header = kr.label
			continue
		}
		for _, t := range s.Tests {
			ia, ib := s.VariantIndex(t.VariantA), s.VariantIndex(t.VariantB)
			if ia < 0 || ib < 0 || t.Measure != kr.names[ia] || t.Measure != kr.names[ib] || !present.IsMeanTest(t) {
				continue
			}
			if header != "" {
				headers[rows+1] = header // outside the table: the header does not widen its column
				header = ""
			}
			n := t.Measure
			mark := ""
			if float64(t.P) < present.Significance {
				mark = "*"
			}
			scale, unit := 1.0, ""
			if results.InPercent(n) { // differences of shares in percentage points
				scale, unit = 100, " pts"
			}
			e, lo, hi := present.Same(scale*float64(t.EffectSize), scale*float64(t.EffectCILow), scale*float64(t.EffectCIHigh))
			diff := e + unit
			if !math.IsNaN(float64(t.EffectCILow)) {
				diff += fmt.Sprintf(" [%s, %s]", lo, hi) // one precision for the effect and its bounds
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", strings.TrimLeft(kr.label, " "), t.VariantA, t.VariantB, t.Design, diff, present.P(float64(t.P)), mark)
			rows++
		}
	}
	tw.Flush()
	var table strings.Builder
	for i, line := range strings.SplitAfter(buf.String(), "\n") {
		if h, ok := headers[i]; ok {
			table.WriteString(h + "\n")
		}
		table.WriteString(line)
	}
	writeTrimmed(w, table.String())
	if rows == 0 {
		fmt.Fprintln(w, "(no tests: they need at least two runs per variant)")
	} else {
		fmt.Fprintf(w, "* p < %g\n", present.Significance)
	}
	if lr := s.Logrank; lr != nil && !math.IsNaN(float64(lr.Chi2)) {
		fmt.Fprintf(w, "\nFirm survival (log-rank test over all variants): χ² = %s, df = %d, %s\n", fmtNum(lr.Chi2), lr.DF, present.P(float64(lr.P)))
	}
}

// shockHeadlines says, for each shock, how the variants rank by the
// failures the shock caused beyond the background, with the diversity each
// market had when it hit, and the paired difference between each variant
// and the next in the ranking (present.Headline).
func shockHeadlines(w io.Writer, s *results.Summary) {
	if len(s.Variants) < 2 {
		return
	}
	for _, h := range present.Headline(s) {
		if len(h.Rows) < 2 {
			continue
		}
		fmt.Fprintf(w, "\n%s (tick %d), excess failures, largest first:\n", h.Shock.Label, h.Shock.Tick)
		pre := results.ShockMeasureName(h.Shock.Index, present.HeadlineBefore)
		for r, row := range h.Rows {
			line := fmt.Sprintf("  %d. %s: %s of its firms beyond the background (diversity when it hit %s)",
				r+1, row.Variant, fmtPctCI(h.Measure, row.Excess), fmtCI(pre, row.Before))
			if r < len(h.Steps) {
				if c := h.Steps[r]; c.Tested() {
					line += fmt.Sprintf("; %.1f points more than %s", 100*c.Diff, c.B)
					if !math.IsNaN(c.Lo) {
						line += fmt.Sprintf(" (95%% CI %s to %s, %s)", present.Points(c.Lo), present.Points(c.Hi), present.P(c.P))
					}
				}
			}
			fmt.Fprintln(w, line)
		}
		focusLines(w, s, h)
		whereLines(w, s, h.Shock.Index)
	}
}

// whereLines says, for the focus against every other variant run without
// a control, where its order holds: at which horizons, on which counting
// basis and under which control the focus lost fewer, more or no
// differently many firms (present.WhereItHolds).
func whereLines(w io.Writer, s *results.Summary, k int) {
	controls := present.Controls(s)
	for _, v := range s.Variants {
		if v.Name == s.Focus || strings.HasPrefix(v.Name, s.Focus+"+") || present.IsControlled(v.Name, controls) {
			continue
		}
		r, ok := present.WhereItHolds(s, k, v.Name)
		if !ok {
			return
		}
		fmt.Fprintf(w, "  where it holds, focus %s − %s, excess failures since the shock at each horizon (paired t-test over seeds, p < %g):\n", s.Focus, v.Name, present.Significance)
		for _, l := range r.Lines() {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
}

// focusLines compares the focus variant (meta.focus) with every other
// variant on a shock's excess failures: the paired difference with its
// interval and p.
func focusLines(w io.Writer, s *results.Summary, h present.ShockHeadline) {
	for _, c := range h.Focus {
		line := fmt.Sprintf("  focus %s − %s: ", c.A, c.B)
		switch {
		case !c.Tested():
			line += "no test (it needs at least two runs per variant)"
		case math.IsNaN(c.Lo):
			line += fmt.Sprintf("%s points", present.Points(c.Diff))
		default:
			line += fmt.Sprintf("%s points (95%% CI %s to %s, %s)", present.Points(c.Diff), present.Points(c.Lo), present.Points(c.Hi), present.P(c.P))
		}
		fmt.Fprintln(w, line)
	}
}

// sweepTable prints each point's parameter values and key measures.
func sweepTable(w io.Writer, s *results.Summary) {
	if s.Sweep == nil {
		compareTable(w, s)
		return
	}
	names, headers := keyMeasures(s)
	fmt.Fprintf(w, "%s sweep: %d points × %d seeds (mean [95%% CI]; diversity = effective strategies; excess failures = failed after the shock minus failed in the same market without it, paired per seed)\n\n", s.Scenario, len(s.Variants), len(s.Seeds))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "point\t%s\t%s\n", strings.Join(s.Sweep.Params, "\t"), strings.Join(headers, "\t"))
	for i, v := range s.Variants {
		cells := []string{v.Name}
		for _, k := range s.Sweep.Params {
			cells = append(cells, s.Sweep.Points[i].Values[k])
		}
		for _, n := range names {
			if m, ok := v.Measures[n]; ok {
				cells = append(cells, fmtCI(n, m))
			} else {
				cells = append(cells, "n/a")
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if anyAftermath(s) {
		fmt.Fprintln(w, "† some runs end inside a shock's aftermath: final diversity is then not the market's settled diversity; read diversity when the shock hit.")
	}
	fmt.Fprintln(w, "\nTests between every pair of points: tests.csv; one row per point and measure: sweep.csv; one row per run with its parameters: sweep_runs.csv")
}
