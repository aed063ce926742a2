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
