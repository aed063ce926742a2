package present

import (
	"testing"

	"github.com/smbsim/smbsim/results"
)

// The headline carries each variant's tail and co-failure, and the tail
// contrasts read focus − other whichever order they were computed in.
func TestHeadlineTails(t *testing.T) {
	ms := func(v float64) results.MeasureStats { return results.MeasureStats{N: 9, Mean: results.Number(v)} }
	s := &results.Summary{Focus: "b",
		Shocks: []results.ShockInfo{{Index: 1, Kind: "downturn", Tick: 10}},
		Variants: []results.VariantSummary{
			{Name: "a", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": ms(0.1), "shock1_cofailure": ms(0.3)}},
			{Name: "b", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": ms(0.2)}},
			{Name: "c", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": ms(0.05)}}},
		Tails: []results.Tail{{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "a", N: 9, Collapses: 2}},
		TailContrasts: []results.TailContrast{
			{Shock: 1, Measure: "shock1_excess_fail_share", Statistic: results.TailCollapseP, VariantA: "a", VariantB: "b", Diff: 0.2, CILow: 0.1, CIHigh: 0.3, P: 0.01},
			{Shock: 1, Measure: "shock1_excess_fail_share", Statistic: results.TailShortfall, VariantA: "a", VariantB: "c", Diff: 0.5, CILow: 0.4, CIHigh: 0.6, P: 0.02}},
	}
	h := Headline(s)[0]
	if len(h.Rows) != 3 || h.Rows[1].Variant != "a" || !h.Rows[1].HasTail() || h.Rows[1].Tail.Collapses != 2 || h.Rows[1].CoFailure.Mean != 0.3 {
		t.Fatalf("rows %+v: want a second, with its tail and co-failure", h.Rows)
	}
	if h.Rows[0].HasTail() {
		t.Errorf("b has no tail in the summary, row says %+v", h.Rows[0].Tail)
	}
	want := TailContrast{A: "b", B: "a", Statistic: results.TailCollapseP, Diff: -0.2, Lo: -0.3, Hi: -0.1, P: 0.01}
	if len(h.TailContrasts) != 1 || h.TailContrasts[0] != want {
		t.Errorf("tail contrasts %+v, want only %+v (the a − c contrast does not involve the focus)", h.TailContrasts, want)
	}
	s.Focus = ""
	if got := TailContrasts(s, "shock1_excess_fail_share"); len(got) != 2 || got[0].A != "a" {
		t.Errorf("without focus: %+v, want both pairs as tested", got)
	}
}

func TestThreshold(t *testing.T) {
	for x, want := range map[float64]string{0.2: "20 %", 0.125: "12.5 %", 0.15: "15 %", 1: "100 %"} {
		if got := Threshold(x); got != want {
			t.Errorf("Threshold(%v) = %q, want %q", x, got, want)
		}
	}
}

// MeanAndTail states both variants' means and collapse shares with their
// intervals, and nothing without a tail.
func TestMeanAndTail(t *testing.T) {
	n := func(x float64) results.Number { return results.Number(x) }
	s := &results.Summary{
		Shocks: []results.ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 300, Label: "demand shift"}},
		Variants: []results.VariantSummary{
			{Name: "imitation-heavy", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": {N: 50, Mean: 0.083, CILow: 0.072, CIHigh: 0.093}}},
			{Name: "balanced", Measures: map[string]results.MeasureStats{"shock1_excess_fail_share": {N: 50, Mean: 0.094, CILow: 0.085, CIHigh: 0.102}}}},
		Tails: []results.Tail{
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "imitation-heavy", N: 50, Threshold: 0.2, CollapseP: n(0.02), CollapseLow: n(0.0005), CollapseHigh: n(0.106)},
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "balanced", N: 50, Threshold: 0.2, CollapseP: n(0.04), CollapseLow: n(0.0049), CollapseHigh: n(0.137)}},
	}
	h := Headline(s)[0]
	got, ok := MeanAndTail(h, "imitation-heavy", "balanced")
	want := "imitation-heavy lost 8.3 % [7.2, 9.3] of its firms to the demand shift beyond its no-shock fork on average (balanced 9.4 % [8.5, 10.2]), and more than 20 % in 2.0 % [0.1, 10.6] of seeds (balanced 4.0 % [0.5, 13.7])"
	if !ok || got != want {
		t.Errorf("MeanAndTail =\n%q\nwant\n%q", got, want)
	}
	s.Tails = s.Tails[:1]
	if _, ok := MeanAndTail(Headline(s)[0], "imitation-heavy", "balanced"); ok {
		t.Error("a sentence without balanced's tail")
	}
}
