package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/experiment/stats"
)

// fmtNum prints a figure for people: about four significant digits, "–"
// when not measured.
func fmtNum(v experiment.Number) string {
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
		return fmt.Sprintf("%.2e", x)
	}
}

// fmtCI prints "mean [low, high]".
func fmtCI(m experiment.MeasureStats) string {
	if m.N == 0 {
		return "–"
	}
	if math.IsNaN(float64(m.CILow)) {
		return fmtNum(m.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", fmtNum(m.Mean), fmtNum(m.CILow), fmtNum(m.CIHigh))
}

// runTable prints each measure's mean and 95 % interval across seeds.
func runTable(w io.Writer, s *experiment.Summary) {
	if len(s.Variants) == 0 {
		return
	}
	v := s.Variants[0]
	fmt.Fprintf(w, "%s: %d runs\n\n", s.Scenario, v.Runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tmean [95% CI]\tn")
	for _, name := range measureOrder(s) {
		m, ok := v.Measures[name]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", name, fmtCI(m), m.N)
	}
	tw.Flush()
}

// measureOrder lists the measures of the summary in runs.csv order.
func measureOrder(s *experiment.Summary) []string {
	return experiment.MeasureNames(len(s.Shocks) + extraShocks(s))
}

// extraShocks counts shocks of later variants beyond the first's.
func extraShocks(s *experiment.Summary) int {
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

// keyMeasures are the columns a workshop facilitator reads: the share of
// firms failing after each shock, final diversity and mean margin.
func keyMeasures(s *experiment.Summary) (names, headers []string) {
	for k := 1; k <= len(s.Shocks)+extraShocks(s); k++ {
		label := fmt.Sprintf("shock %d", k)
		if k <= len(s.Shocks) {
			label = fmt.Sprintf("%s (tick %d)", s.Shocks[k-1].Label, s.Shocks[k-1].Tick)
		}
		names = append(names, fmt.Sprintf("shock%d_fail_share", k))
		headers = append(headers, "failed after "+label)
	}
	names = append(names, "final_effective_strategies", "mean_margin")
	headers = append(headers, "final diversity (eff. strategies)", "mean margin")
	return names, headers
}

// compareTable prints, per variant, the key measures with 95 % intervals,
// then the pairs of variants that differ.
func compareTable(w io.Writer, s *experiment.Summary) {
	names, headers := keyMeasures(s)
	fmt.Fprintf(w, "%s: %d variants × %d seeds (mean [95%% CI])\n\n", s.Scenario, len(s.Variants), len(s.Seeds))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "variant\truns\t%s\n", strings.Join(headers, "\t"))
	for _, v := range s.Variants {
		cells := []string{v.Name, fmt.Sprint(v.Runs)}
		for _, n := range names {
			m, ok := v.Measures[n]
			if !ok {
				cells = append(cells, "n/a")
				continue
			}
			cells = append(cells, fmtCI(m))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	shockHeadlines(w, s)

	// Which pairs differ on the key measures (Welch t-test, difference of means).
	fmt.Fprintf(w, "\nDifferences between variants (A − B, Welch t-test; Mann–Whitney U in tests.csv):\n\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tA\tB\tA − B [95% CI]\tp\t")
	rows := 0
	for _, n := range names {
		for _, t := range s.Tests {
			if t.Measure != n || t.Test != experiment.TestWelch {
				continue
			}
			mark := ""
			if float64(t.P) < 0.05 {
				mark = "*"
			}
			diff := fmtSigned(t.EffectSize)
			if !math.IsNaN(float64(t.EffectCILow)) {
				diff += fmt.Sprintf(" [%s, %s]", fmtSigned(t.EffectCILow), fmtSigned(t.EffectCIHigh))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", n, t.VariantA, t.VariantB, diff, stats.FormatP(float64(t.P)), mark)
			rows++
		}
	}
	tw.Flush()
	if rows == 0 {
		fmt.Fprintln(w, "(no tests: they need at least two runs per variant)")
	} else {
		fmt.Fprintln(w, "* p < 0.05")
	}
	if lr := s.Logrank; lr != nil && !math.IsNaN(float64(lr.Chi2)) {
		fmt.Fprintf(w, "\nFirm survival (log-rank test over all variants): χ² = %s, df = %d, %s\n", fmtNum(lr.Chi2), lr.DF, stats.FormatP(float64(lr.P)))
	}
}

// shockHeadlines says, for each shock, which variant lost the largest
// share of its firms, by how much more than the variant that lost the
// least, and how sure that is.
func shockHeadlines(w io.Writer, s *experiment.Summary) {
	if len(s.Variants) < 2 {
		return
	}
	printed := false
	for k := 1; k <= len(s.Shocks); k++ {
		name := fmt.Sprintf("shock%d_fail_share", k)
		hi, lo := -1, -1
		for i, v := range s.Variants {
			m, ok := v.Measures[name]
			if !ok || math.IsNaN(float64(m.Mean)) {
				continue
			}
			if hi < 0 || m.Mean > s.Variants[hi].Measures[name].Mean {
				hi = i
			}
			if lo < 0 || m.Mean < s.Variants[lo].Measures[name].Mean {
				lo = i
			}
		}
		if hi < 0 || hi == lo {
			continue
		}
		a, b := s.Variants[hi], s.Variants[lo]
		if !printed {
			fmt.Fprintln(w)
			printed = true
		}
		line := fmt.Sprintf("After %s (tick %d): %s lost the largest share of its firms (%s), %.1f points more than %s",
			s.Shocks[k-1].Label, s.Shocks[k-1].Tick, a.Name, pct(a.Measures[name].Mean), 100*float64(a.Measures[name].Mean-b.Measures[name].Mean), b.Name)
		for _, t := range s.Tests {
			if t.Measure != name || t.Test != experiment.TestWelch {
				continue
			}
			sign := experiment.Number(0)
			switch {
			case t.VariantA == a.Name && t.VariantB == b.Name:
				sign = 1
			case t.VariantA == b.Name && t.VariantB == a.Name:
				sign = -1
			default:
				continue
			}
			lowCI, highCI := sign*t.EffectCILow, sign*t.EffectCIHigh
			if sign < 0 {
				lowCI, highCI = highCI, lowCI
			}
			if !math.IsNaN(float64(lowCI)) {
				line += fmt.Sprintf(" (95%% CI %s to %s points, %s)", points(lowCI), points(highCI), stats.FormatP(float64(t.P)))
			}
		}
		fmt.Fprintln(w, line+".")
	}
}

// pct prints a share as a percentage.
func pct(v experiment.Number) string { return fmt.Sprintf("%.1f %%", 100*float64(v)) }

// points prints a difference of shares in percentage points.
func points(v experiment.Number) string { return fmt.Sprintf("%+.1f", 100*float64(v)) }

func fmtSigned(v experiment.Number) string {
	s := fmtNum(v)
	if float64(v) > 0 {
		return "+" + s
	}
	return s
}

// sweepTable prints each point's parameter values and key measures.
func sweepTable(w io.Writer, s *experiment.Summary) {
	if s.Sweep == nil {
		compareTable(w, s)
		return
	}
	names, headers := keyMeasures(s)
	fmt.Fprintf(w, "%s sweep: %d points × %d seeds (mean [95%% CI])\n\n", s.Scenario, len(s.Variants), len(s.Seeds))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "point\t%s\t%s\n", strings.Join(s.Sweep.Params, "\t"), strings.Join(headers, "\t"))
	for i, v := range s.Variants {
		cells := []string{v.Name}
		for _, k := range s.Sweep.Params {
			cells = append(cells, s.Sweep.Points[i].Values[k])
		}
		for _, n := range names {
			if m, ok := v.Measures[n]; ok {
				cells = append(cells, fmtCI(m))
			} else {
				cells = append(cells, "n/a")
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nTests between every pair of points: tests.csv; one row per point and measure: sweep.csv; one row per run with its parameters: sweep_runs.csv")
}
