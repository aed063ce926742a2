package plots

import (
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

func TestECDFSteps(t *testing.T) {
	x, y := ecdfSteps([]float64{0.1, 0.2, 0.2, 0.5})
	if !slices.Equal(x, []float64{0.1, 0.1, 0.2, 0.2, 0.2, 0.2, 0.5, 0.5}) || !slices.Equal(y, []float64{0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1}) {
		t.Errorf("ecdfSteps = %v, %v", x, y)
	}
}

// The tails chart has a panel per shock with tails, a step line per
// variant with one step per seed, and says how many seeds collapsed.
func TestTailsChart(t *testing.T) {
	r := &Results{Dir: results.Dir{Summary: results.Summary{
		Shocks: []results.ShockInfo{{Index: 1, Kind: "downturn", Tick: 5}, {Index: 2, Kind: "demand_shift", Tick: 9}},
		Tails: []results.Tail{
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "a", N: 3, Threshold: 0.2, Collapses: 1},
			{Shock: 1, Measure: "shock1_excess_fail_share", Variant: "b", N: 3, Threshold: 0.2, Collapses: 0},
		}}}}
	for _, v := range []string{"a", "b"} {
		for seed, x := range []float64{0.05, 0.1, 0.3} {
			if v == "b" {
				x /= 2
			}
			r.Runs = append(r.Runs, results.RunRow{Variant: v, Seed: uint64(seed + 1), Measure: "shock1_excess_fail_share", Value: x})
		}
	}
	r.index()
	c := tailsChart(r)
	if c == nil {
		t.Fatal("no tails chart")
	}
	if m := c.DataMarks(); !slices.Equal(m, []int{12}) { // one panel (shock 2 has no tails), 2 variants × 3 seeds × 2 points
		t.Errorf("data marks %v, want [12]", m)
	}
	if !strings.Contains(c.Caption, "θ = 20 %") || !strings.Contains(c.Caption, "a 1 of 3, b 0 of 3") {
		t.Errorf("caption %q", c.Caption)
	}
	r.Summary.Tails = nil
	if tailsChart(r) != nil {
		t.Error("a chart without tails")
	}
}
