package main

import (
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// tailLines prints each variant's tails with their intervals and the
// focus variant's paired contrasts, the focus first whichever order the
// pair was tested in.
func TestTailLines(t *testing.T) {
	n := func(x float64) results.Number { return results.Number(x) }
	s := &results.Summary{Scenario: "mixes", Focus: "b",
		Shocks: []results.ShockInfo{{Index: 1, Kind: "platform_failure", Tick: 100, Label: "platform failure"}},
		Variants: []results.VariantSummary{
			{Name: "a", Measures: map[string]results.MeasureStats{"shock1_cofailure": {N: 50, Mean: 0.25, CILow: 0.2, CIHigh: 0.3},
				"shock1_excess_fail_share": {N: 50, Mean: 0.15, CILow: 0.1, CIHigh: 0.2}}},
			{Name: "b", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": {N: 50, Mean: 0.2, CILow: 0.15, CIHigh: 0.25}}}},
		Tails: []results.Tail{
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "a", N: 50, Median: n(0.1), Q10: n(0.05), Q90: n(0.3),
				Threshold: n(0.2), Collapses: 12, CollapseP: n(0.24), CollapseLow: n(0.13), CollapseHigh: n(0.38), Shortfall: n(0.5), ShortfallLow: n(0.4), ShortfallHigh: n(0.6)},
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "b", N: 50, Median: n(0.2), Q10: n(0.18), Q90: n(0.22),
				Threshold: n(0.2), Collapses: 0, CollapseP: n(0), CollapseLow: n(0), CollapseHigh: n(0.071), Shortfall: n(0.23), ShortfallLow: n(0.22), ShortfallHigh: n(0.24)}},
		TailContrasts: []results.TailContrast{
			{Shock: 1, Measure: "shock1_excess_fail_share", Statistic: results.TailCollapseP, VariantA: "a", VariantB: "b", N: 50, Diff: n(0.24), CILow: n(0.12), CIHigh: n(0.36), P: n(0.0005)}},
	}
	var b strings.Builder
	tailLines(&b, s)
	out := b.String()
	for _, want := range []string{
		"more than 20 % of the firms in business beyond its fork",
		"platform failure (tick 100)\n",
		"a          10.0 % [5.0, 30.0]",
		"12 of 50: 24.0 % [13.0, 38.0]",
		"0 of 50: 0.0 % [0.0, 7.1]",
		"0.250 [0.200, 0.300]",
		"b ◀ focus",
		"b lost 20.0 % [15.0, 25.0] of its firms to the platform failure beyond its no-shock fork on average (a 15.0 % [10.0, 20.0]), and more than 20 % in 0.0 % [0.0, 7.1] of seeds (a 24.0 % [13.0, 38.0]).",
		"b − a, collapse share: −24.0 points (95% CI −36.0 to −12.0, paired permutation p < 0.001)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing blanks: %q", line)
		}
	}
	var none strings.Builder
	tailLines(&none, &results.Summary{Shocks: s.Shocks})
	if none.Len() != 0 {
		t.Errorf("no tails: printed %q", none.String())
	}
}
