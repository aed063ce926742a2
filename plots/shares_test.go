package plots

import (
	"slices"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// TestShareSeries reads one run's option shares from shares.csv rows, in
// tick and option order, and lists the seeds and dimensions in file order.
func TestShareSeries(t *testing.T) {
	r := &Results{Dir: results.Dir{Shares: []results.ShareRow{
		{Variant: "a", Seed: 2, Tick: 1, Dimension: "platform", Option: 0, Share: 0.75},
		{Variant: "a", Seed: 2, Tick: 1, Dimension: "platform", Option: 1, Share: 0.25},
		{Variant: "a", Seed: 2, Tick: 2, Dimension: "platform", Option: 1, Share: 1},
		{Variant: "a", Seed: 2, Tick: 1, Dimension: "product", Option: 3, Share: 1},
		{Variant: "a", Seed: 1, Tick: 1, Dimension: "platform", Option: 0, Share: 0.5},
		{Variant: "b", Seed: 2, Tick: 1, Dimension: "platform", Option: 0, Share: 0.1},
	}}}
	s := r.shareSeries("a", 2, "platform")
	if s == nil {
		t.Fatal("no series")
	}
	if len(s.ticks) != 2 || s.ticks[0] != 1 || s.ticks[1] != 2 {
		t.Errorf("ticks %v", s.ticks)
	}
	if len(s.options) != 2 || s.options[0] != 0 || s.options[1] != 1 {
		t.Errorf("options %v", s.options)
	}
	// Option 0 has no row at tick 2 (no firm on it): 0.
	want := [][]float64{{0.75, 0}, {0.25, 1}}
	for i := range want {
		for j := range want[i] {
			if s.shares[i][j] != want[i][j] {
				t.Errorf("share of option %d at tick %v = %v, want %v", s.options[i], s.ticks[j], s.shares[i][j], want[i][j])
			}
		}
	}
	if got := r.shareSeeds("a"); len(got) != 2 || got[0] != 2 || got[1] != 1 {
		t.Errorf("seeds %v", got)
	}
	if got := r.shareDimensions(); len(got) != 2 || got[0] != "platform" || got[1] != "product" {
		t.Errorf("dimensions %v", got)
	}
	if r.shareSeries("a", 3, "platform") != nil {
		t.Error("a series for a seed without rows")
	}
}

// TestShareHits checks which option the shares chart marks as hit: a
// fixed option as given, the most used one at the last recorded tick
// before a shock aimed at the most used option, none for a drawn one.
func TestShareHits(t *testing.T) {
	s := &shareSeries{dimension: "platform", ticks: []float64{98, 99, 100, 101}, options: []int{0, 1, 2},
		shares: [][]float64{{0.5, 0.2, 0.2, 0.2}, {0.3, 0.5, 0.1, 0.1}, {0.2, 0.3, 0.7, 0.7}}}
	for _, tc := range []struct {
		target string
		want   []int
	}{
		{"most used", []int{1}}, // option 1 leads at tick 99, the last before the shock at 100
		{"2", []int{2}},
		{"random", nil},
		{"", nil},
	} {
		r := &Results{Dir: results.Dir{Summary: results.Summary{
			Shocks: []results.ShockInfo{{Index: 1, Kind: "platform_failure", Tick: 100}},
			World:  &results.WorldInfo{Market: true, Platform: "platform", ShockDimensions: []string{"platform"}, ShockTargets: []string{tc.target}},
		}}}
		if got := r.hitOptions(s); !slices.Equal(got, tc.want) {
			t.Errorf("target %q: hit %v, want %v", tc.target, got, tc.want)
		}
	}
}
