package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// fmtNum prints a figure for people: about four significant digits, "–"
// when not measured.
func fmtNum(v results.Number) string {
	x := float64(v)
	switch a := math.Abs(x); {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "–"
	case x == 0:
		return "0"
	case a >= 1000:
		return fmt.Sprintf("%.0f", x)
	case a >= 100:
		return fmt.Sprintf("%.1f", x)
	case a >= 1:
		return fmt.Sprintf("%.2f", x)
	case a >= 0.001:
		return fmt.Sprintf("%.3f", x)
	case a >= 0.0001:
		return fmt.Sprintf("%.4f", x)
	default:
		return plots.FormatSig(x, 3) // no exponent notation for people
	}
}

// fmtCI prints "mean [low, high]" of measure name, the three with the
// same decimals and the interval cut at the measure's possible range (no
// negative ticks or shares); shares in percent.
func fmtCI(name string, m results.MeasureStats) string {
	if m.N == 0 || math.IsNaN(float64(m.Mean)) {
		return "–"
	}
	v, lo, hi := plots.FormatEstimate(name, float64(m.Mean), float64(m.CILow), float64(m.CIHigh))
	unit := ""
	if plots.IsShareMeasure(name) {
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
	k, _, _ := plots.ShockMeasure(name)
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
// excess failures and the diversity it found, ranked by excess failures.
func shockRanking(w io.Writer, s *results.Summary) {
	v := s.Variants[0]
	type row struct {
		k                   int
		excess, pre, failed results.MeasureStats
	}
	var rows []row
	for k := 1; k <= len(s.Shocks); k++ {
		ex, ok := v.Measures[fmt.Sprintf("shock%d_excess_fail_share", k)]
		if !ok {
			continue
		}
		rows = append(rows, row{k, ex, v.Measures[fmt.Sprintf("shock%d_pre_effective_strategies", k)], v.Measures[fmt.Sprintf("shock%d_fail_share", k)]})
	}
	if len(rows) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmpDesc(a.excess.Mean, b.excess.Mean) })
	title := "Shock"
	if len(rows) > 1 {
		title = "Shocks ranked by excess failures"
	}
	fmt.Fprintf(w, "\n%s (excess failures = share of the firms alive at the shock that exit within the window, minus the share that exit in the same market without that shock, paired per seed):\n\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "shock\ttick\tdiversity when it hit (eff. strategies)\texcess failures\tfailed (incl. background)")
	for _, r := range rows {
		sh := s.Shocks[r.k-1]
		fmt.Fprintf(tw, "%d. %s\t%d\t%s\t%s\t%s\n", r.k, sh.Label, sh.Tick, fmtCI("pre_effective_strategies", r.pre), fmtPctCI("shock0_excess_fail_share", r.excess), fmtPctCI("shock0_fail_share", r.failed))
	}
	tw.Flush()
}

// cmpDesc orders NaN last and larger values first.
func cmpDesc(a, b results.Number) int {
	x, y := float64(a), float64(b)
	switch {
	case math.IsNaN(x) && math.IsNaN(y):
		return 0
	case math.IsNaN(x):
		return 1
	case math.IsNaN(y):
		return -1
	case x > y:
		return -1
	case x < y:
		return 1
	}
	return 0
}

// fmtPctCI prints share measure name and its interval in percent, the
// interval cut at the measure's possible range.
func fmtPctCI(name string, m results.MeasureStats) string {
	if m.N == 0 || math.IsNaN(float64(m.Mean)) {
		return "–"
	}
	lo, hi := plots.ClipInterval(name, float64(m.CILow), float64(m.CIHigh))
	m.CILow, m.CIHigh = results.Number(lo), results.Number(hi)
	one := func(v results.Number) string { return minus(fmt.Sprintf("%.1f", 100*float64(v))) }
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
	names = append(names, "final_effective_strategies", "mean_margin")
	headers = append(headers, final, "mean margin")
	return names, headers
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

// compareTable prints, per variant, the key measures with 95 % intervals,
// then, for every pair of variants, the paired differences.
func compareTable(w io.Writer, s *results.Summary) {
	names, headers := keyMeasures(s)
	fmt.Fprintf(w, "%s: %d variants × %d seeds (mean [95%% CI]; diversity = effective strategies; excess failures = failed after the shock minus failed in the same market without it, paired per seed)\n\n", s.Scenario, len(s.Variants), len(s.Seeds))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "variant\truns\t%s\n", strings.Join(headers, "\t"))
	for _, v := range s.Variants {
		name := v.Name
		if v.Name == s.Focus {
			name += " ◀ focus"
		}
		cells := []string{name, fmt.Sprint(v.Runs)}
		for _, n := range names {
			m, ok := v.Measures[n]
			switch {
			case !ok:
				cells = append(cells, "n/a")
			case isShare(n):
				cells = append(cells, fmtPctCI(n, m))
			default:
				cells = append(cells, fmtCI(n, m))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if s.Focus != "" {
		fmt.Fprintf(w, "◀ focus: the variant this scenario is about (meta.focus); below, every other variant is compared with it.\n")
	}
	if anyAftermath(s) {
		fmt.Fprintln(w, "† some runs end inside a shock's aftermath (see below): final diversity is then not the market's settled diversity.")
	}
	shockHeadlines(w, s)
	aftermathNote(w, s)

	fmt.Fprintf(w, "\nDifferences between variants (A − B; paired t-test on the per-seed differences when the variants share seeds, Welch otherwise; Wilcoxon signed-rank in tests.csv; differences of shares in percentage points):\n\n")
	var buf strings.Builder
	tw = tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tA\tB\tdesign\tA − B [95% CI]\tp\t")
	rows, group := 0, 0
	for _, n := range names {
		for _, t := range s.Tests {
			if t.Measure != n || !meanTest(t) {
				continue
			}
			if k := shockOf(n); k != group {
				group = k
				fmt.Fprintf(tw, "%s\t\t\t\t\t\t\n", shockHeader(s, k))
			}
			mark := ""
			if float64(t.P) < 0.05 {
				mark = "*"
			}
			scale, unit := 1.0, ""
			if plots.IsShareMeasure(n) { // differences of shares in percentage points
				scale, unit = 100, " pts"
			}
			e, lo, hi := plots.FormatSame(scale*float64(t.EffectSize), scale*float64(t.EffectCILow), scale*float64(t.EffectCIHigh))
			diff := e + unit
			if !math.IsNaN(float64(t.EffectCILow)) {
				diff += fmt.Sprintf(" [%s, %s]", lo, hi) // one precision for the effect and its bounds
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n, t.VariantA, t.VariantB, t.Design, diff, stats.FormatP(float64(t.P)), mark)
			rows++
		}
	}
	tw.Flush()
	writeTrimmed(w, buf.String())
	if rows == 0 {
		fmt.Fprintln(w, "(no tests: they need at least two runs per variant)")
	} else {
		fmt.Fprintln(w, "* p < 0.05")
	}
	if lr := s.Logrank; lr != nil && !math.IsNaN(float64(lr.Chi2)) {
		fmt.Fprintf(w, "\nFirm survival (log-rank test over all variants): χ² = %s, df = %d, %s\n", fmtNum(lr.Chi2), lr.DF, stats.FormatP(float64(lr.P)))
	}
}

// meanTest reports whether t is the test of a mean difference: the paired
// t-test, or Welch's where the seeds differ.
func meanTest(t results.Test) bool {
	return t.Test == results.TestPairedT || t.Test == results.TestWelch
}

// shockHeadlines says, for each shock, how the variants rank by the
// failures the shock caused beyond the background, with the diversity each
// market had when it hit, and the paired difference between each variant
// and the next in the ranking.
func shockHeadlines(w io.Writer, s *results.Summary) {
	if len(s.Variants) < 2 {
		return
	}
	for k := 1; k <= len(s.Shocks); k++ {
		name := fmt.Sprintf("shock%d_excess_fail_share", k)
		pre := fmt.Sprintf("shock%d_pre_effective_strategies", k)
		var order []int
		for i, v := range s.Variants {
			if m, ok := v.Measures[name]; ok && !math.IsNaN(float64(m.Mean)) {
				order = append(order, i)
			}
		}
		if len(order) < 2 {
			continue
		}
		slices.SortStableFunc(order, func(a, b int) int {
			return cmpDesc(s.Variants[a].Measures[name].Mean, s.Variants[b].Measures[name].Mean)
		})
		fmt.Fprintf(w, "\n%s (tick %d), excess failures, largest first:\n", s.Shocks[k-1].Label, s.Shocks[k-1].Tick)
		for r, i := range order {
			v := s.Variants[i]
			line := fmt.Sprintf("  %d. %s: %s of its firms beyond the background (diversity when it hit %s)",
				r+1, v.Name, fmtPctCI(name, v.Measures[name]), fmtCI(pre, v.Measures[pre]))
			if r+1 < len(order) {
				next := s.Variants[order[r+1]]
				if d, lo, hi, p, ok := pairDiff(s, name, v.Name, next.Name); ok {
					line += fmt.Sprintf("; %.1f points more than %s", 100*float64(d), next.Name)
					if !math.IsNaN(float64(lo)) {
						line += fmt.Sprintf(" (95%% CI %s to %s, %s)", points(lo), points(hi), stats.FormatP(float64(p)))
					}
				}
			}
			fmt.Fprintln(w, line)
		}
		focusLines(w, s, name)
	}
}

// focusLines compares the focus variant (meta.focus) with every other
// variant on measure name: the paired difference with its interval and p.
func focusLines(w io.Writer, s *results.Summary, name string) {
	if s.Focus == "" {
		return
	}
	for _, v := range s.Variants {
		if v.Name == s.Focus {
			continue
		}
		line := fmt.Sprintf("  focus %s − %s: ", s.Focus, v.Name)
		d, lo, hi, p, ok := pairDiff(s, name, s.Focus, v.Name)
		switch {
		case !ok || math.IsNaN(float64(d)):
			line += "no test (it needs at least two runs per variant)"
		case math.IsNaN(float64(lo)):
			line += fmt.Sprintf("%s points", points(d))
		default:
			line += fmt.Sprintf("%s points (95%% CI %s to %s, %s)", points(d), points(lo), points(hi), stats.FormatP(float64(p)))
		}
		fmt.Fprintln(w, line)
	}
}

// pairDiff returns the mean difference a − b of a measure from the tests,
// with its interval and p, whichever order the pair was tested in.
func pairDiff(s *results.Summary, measure, a, b string) (d, lo, hi, p results.Number, ok bool) {
	for _, t := range s.Tests {
		if t.Measure != measure || !meanTest(t) {
			continue
		}
		switch {
		case t.VariantA == a && t.VariantB == b:
			return t.EffectSize, t.EffectCILow, t.EffectCIHigh, t.P, true
		case t.VariantA == b && t.VariantB == a:
			return -t.EffectSize, -t.EffectCIHigh, -t.EffectCILow, t.P, true
		}
	}
	return 0, 0, 0, 0, false
}

// pct prints a share as a percentage.
func pct(v results.Number) string { return fmt.Sprintf("%.1f %%", 100*float64(v)) }

// points prints a difference of shares in percentage points.
func points(v results.Number) string { return minus(fmt.Sprintf("%+.1f", 100*float64(v))) }

// minus writes a leading minus sign as "−", as the other figures of the
// tables are.
func minus(s string) string { return strings.Replace(s, "-", "−", 1) }

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
