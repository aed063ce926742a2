package plots

import (
	"testing"

	"github.com/smbsim/smbsim/results"
)

// TestSurvivalPanelsShareAgeAxis: the entrants' panel has the same age
// axis as all firms', so that the two curves compare at a glance, even
// when the entrants' oldest firm is younger than the initial firms'.
func TestSurvivalPanelsShareAgeAxis(t *testing.T) {
	r := &Results{Dir: results.Dir{Stats: []results.StatRow{{Variant: "a", Tick: 1, Metric: "mean_margin", N: 1, Mean: 0.3}}}}
	for _, typ := range []struct {
		name string
		last float64
	}{{"all", 500}, {"entrants", 300}} {
		for _, tt := range []float64{0, typ.last / 2, typ.last} {
			r.Survival = append(r.Survival, results.SurvivalRow{Variant: "a", Type: typ.name, T: tt, AtRisk: 10, Survival: 1 - tt/1000, CILow: 0.4, CIHigh: 1})
		}
	}
	r.index()
	c := survivalChart(r)
	if c == nil || len(c.grid) != 1 || len(c.grid[0]) != 2 {
		t.Fatalf("want one row of two panels (all firms, entrants), got %+v", c)
	}
	all, entrants := c.grid[0][0], c.grid[0][1]
	if all.X.Max != 500 || entrants.X.Max != all.X.Max || entrants.X.Min != all.X.Min {
		t.Errorf("age axes: all firms %v–%v, entrants %v–%v; want both 0–500", all.X.Min, all.X.Max, entrants.X.Min, entrants.X.Max)
	}
}
