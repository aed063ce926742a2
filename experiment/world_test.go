package experiment

import (
	"slices"
	"testing"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// TestWorldInfo: summary.json's world names what the charts read of the
// scenario — the dimension each shock hits (the platform of a platform
// failure, a disrupted or regulated practice, "" for a regulation of a
// sector or a demand shift) — and merge keeps the manifest's copy.
func TestWorldInfo(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Shocks = []sim.Shock{
		{Kind: sim.DemandShift, Tick: 10, Dimension: -1},
		{Kind: sim.PlatformFailure, Tick: 20, Dimension: -1},
		{Kind: sim.TechDisruption, Tick: 30, Dimension: 2},
		{Kind: sim.Regulation, Tick: 40, Dimension: -1},
		{Kind: sim.Regulation, Tick: 50, Dimension: 6},
	}
	p := &Plan{Description: "d", ShockWindow: 7, Variants: []Variant{{Name: "a", Config: cfg}}}
	w := p.world()
	dims := cfg.Strategy.Dimensions
	want := []string{"", dims[cfg.Strategy.PlatformDim], dims[2], "", dims[6]}
	if !slices.Equal(w.ShockDimensions, want) || w.Platform != dims[cfg.Strategy.PlatformDim] {
		t.Errorf("shock dimensions %q, platform %q; want %q", w.ShockDimensions, w.Platform, want)
	}
	if w.Description != "d" || w.ShockWindow != 7 || w.Ticks != cfg.Simulation.Ticks || w.Market != cfg.Market.Enabled || !slices.Equal(w.Dimensions, dims) {
		t.Errorf("world %+v", w)
	}
	kept := &results.WorldInfo{Ticks: 3}
	if got := (&Plan{World: kept, Variants: p.Variants}).world(); got != kept {
		t.Errorf("a plan rebuilt from a manifest keeps its world: %+v", got)
	}
}
