package main

import (
	"math"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// TestFocusPowerSkipsUnmeasuredSeeds: a seed in which the headline measure
// is missing (NaN) is left out of the power estimate, as the paired tests
// leave it out; it must not read as "identical runs".
func TestFocusPowerSkipsUnmeasuredSeeds(t *testing.T) {
	seeds := func(xs ...float64) []results.SeedMeasures {
		out := make([]results.SeedMeasures, len(xs))
		for i, x := range xs {
			out[i] = results.SeedMeasures{Seed: uint64(i + 1), Measures: map[string]results.Number{"final_effective_strategies": results.Number(x)}}
		}
		return out
	}
	s := &results.Summary{Focus: "a", Variants: []results.VariantSummary{
		{Name: "a", PerSeed: seeds(10, 12, math.NaN(), 11, 13)},
		{Name: "b", PerSeed: seeds(8, 11, 9, 9, 10)},
	}}
	lines := focusPower(s)
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1: %q", len(lines), lines)
	}
	if strings.Contains(lines[0], "identical runs") {
		t.Errorf("a seed without the measure read as identical runs: %s", lines[0])
	}
	if !strings.Contains(lines[0], "the 4 run suffice") && !strings.Contains(lines[0], "4 ran") {
		t.Errorf("want the 4 measured pairs counted: %s", lines[0])
	}
}
