package present

import (
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// whereSummary is a compare of focus f against g, and both again under
// control c, with one horizon: every paired test given by diff and p.
func whereSummary(tests map[string][2]float64) *results.Summary {
	s := &results.Summary{Focus: "f", Horizons: []int{12, 60},
		Shocks:   []results.ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 10, Label: "demand shift"}},
		Variants: []results.VariantSummary{{Name: "f"}, {Name: "g"}, {Name: "f+c"}, {Name: "g+c"}}}
	for key, dp := range tests {
		m, pair, _ := strings.Cut(key, "|")
		a, b, _ := strings.Cut(pair, "-")
		s.Tests = append(s.Tests, results.Test{Measure: m, VariantA: a, VariantB: b, Design: results.DesignPaired,
			Test: results.TestPairedT, P: results.Number(dp[1]), Effect: results.EffectMeanDiff,
			EffectSize: results.Number(dp[0]), EffectCILow: results.Number(dp[0] - 0.01), EffectCIHigh: results.Number(dp[0] + 0.01)})
	}
	return s
}

// The order holds only when every horizon, basis and control agrees with
// the headline's significant sign; a reversal under the control is named.
func TestWhereItHolds(t *testing.T) {
	all := map[string][2]float64{"shock1_excess_fail_share|f-g": {-0.02, 0.001}}
	for _, ctl := range []string{"", "+c"} {
		for _, b := range []string{"share", "firms", "revenue"} {
			for _, h := range []string{"12", "60"} {
				all["shock1_excess_fail_"+b+"_h"+h+"|f"+ctl+"-g"+ctl] = [2]float64{-0.02, 0.001}
			}
		}
	}
	r, ok := WhereItHolds(whereSummary(all), 1, "g")
	if !ok || r.Reference != -1 || len(r.Cells) != 12 || !r.Holds() {
		t.Fatalf("all fewer: %+v (holds %v)", r, r.Holds())
	}
	lines := r.Lines()
	if last := lines[len(lines)-1]; !strings.Contains(last, "at every horizon, on every basis and under every control") {
		t.Errorf("last line %q", last)
	}
	// Under the control, the share basis at 60 months reverses.
	all["shock1_excess_fail_share_h60|f+c-g+c"] = [2]float64{0.03, 0.01}
	// Written the other way round (g+c − f+c) it must be turned.
	delete(all, "shock1_excess_fail_firms_h12|f+c-g+c")
	all["shock1_excess_fail_firms_h12|g+c-f+c"] = [2]float64{-4, 0.2}
	r, _ = WhereItHolds(whereSummary(all), 1, "g")
	if r.Holds() {
		t.Fatal("holds despite a reversal")
	}
	text := strings.Join(r.Lines(), "\n")
	for _, want := range []string{"60 months, share of firms, with c: more", "12 months, number of firms, with c: no difference", "with c, number of firms: no difference at 12 (+4.0 firms"} {
		if !strings.Contains(text, want) {
			t.Errorf("lines lack %q:\n%s", want, text)
		}
	}
	// No horizons (an older summary): nothing to say.
	s := whereSummary(all)
	s.Horizons = nil
	if _, ok := WhereItHolds(s, 1, "g"); ok {
		t.Error("robustness without horizons")
	}
}

// With the composition-standardised measure in the summary, its contrast
// is one more cell, and a headline difference that standardising removes
// is named as a change "standardised to the pooled type × age composition".
func TestWhereItHoldsStandardised(t *testing.T) {
	all := map[string][2]float64{"shock1_excess_fail_share|f-g": {-0.02, 0.001}}
	for _, b := range []string{"share", "firms", "revenue"} {
		for _, h := range []string{"12", "60"} {
			all["shock1_excess_fail_"+b+"_h"+h+"|f-g"] = [2]float64{-0.02, 0.001}
		}
	}
	s := whereSummary(all)
	s.Variants = s.Variants[:2] // no control run
	s.World = &results.WorldInfo{ShockWindow: 50}
	r, _ := WhereItHolds(s, 1, "g")
	if len(r.Cells) != 6 || !r.Holds() {
		t.Fatalf("without the standardised measure: %d cells, holds %v", len(r.Cells), r.Holds())
	}
	all["shock1_std_excess_fail_share|f-g"] = [2]float64{-0.001, 0.6}
	s.Tests = whereSummary(all).Tests
	r, _ = WhereItHolds(s, 1, "g")
	if len(r.Cells) != 7 || r.Holds() {
		t.Fatalf("standardised, no difference: %d cells, holds %v", len(r.Cells), r.Holds())
	}
	c := r.Cells[6]
	if c.Control != Standardised || c.Horizon != 50 || c.Basis != "share" || c.Sign() != 0 {
		t.Errorf("standardised cell %+v", c)
	}
	text := strings.Join(r.Lines(), "\n")
	for _, want := range []string{"standardised to the pooled type × age composition, share of firms: no difference at 50", "it changes at 50 months, share of firms, standardised to the pooled type × age composition: no difference"} {
		if !strings.Contains(text, want) {
			t.Errorf("lines lack %q:\n%s", want, text)
		}
	}
}

// A variant's copy under a control (<variant>+<control>) is left out of
// the ranking and of the focus contrasts of the headline, with a focus or
// without; where it holds is where it is compared.
func TestHeadlineLeavesOutControlledCopies(t *testing.T) {
	s := whereSummary(map[string][2]float64{
		"shock1_excess_fail_share|f-g":     {-0.02, 0.001},
		"shock1_excess_fail_share|f-f+c":   {0.01, 0.01},
		"shock1_excess_fail_share|f+c-g+c": {0.01, 0.5},
	})
	for i, mean := range []float64{0.08, 0.10, 0.07, 0.09} {
		s.Variants[i].Measures = map[string]results.MeasureStats{"shock1_excess_fail_share": {N: 4, Mean: results.Number(mean)}}
	}
	for _, focus := range []string{"f", ""} {
		s.Focus = focus
		hs := Headline(s)
		if len(hs) != 1 {
			t.Fatalf("focus %q: %d headlines", focus, len(hs))
		}
		var ranked []string
		for _, r := range hs[0].Rows {
			ranked = append(ranked, r.Variant)
		}
		if strings.Join(ranked, ",") != "g,f" || len(hs[0].Steps) != 1 {
			t.Errorf("focus %q: ranked %v (%d steps), want g,f", focus, ranked, len(hs[0].Steps))
		}
		for _, c := range hs[0].Focus {
			if c.B != "g" {
				t.Errorf("focus %q: focus contrast against %s", focus, c.B)
			}
		}
	}
	if !IsCopy(s, "f+c") || IsCopy(s, "f") || IsCopy(s, "h+c") {
		t.Error("IsCopy")
	}
}
