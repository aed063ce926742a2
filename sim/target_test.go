package sim

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// weightedOption draws each option with probability equal to its share of
// the alive firms: over 40,000 draws every option's frequency is within
// 4 standard errors of its share, and unused options are never drawn.
func TestWeightedOption(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 400
	w, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	d, q := cfg.Strategy.PlatformDim, w.lay.Q
	r := rand.New(rand.NewPCG(1, 2))
	const n = 40000
	hits := make([]int, q)
	for range n {
		hits[w.weightedOption(d, r)]++
	}
	for o := range q {
		p := float64(w.dimCount[d*q+o]) / float64(w.aliveN)
		got := float64(hits[o]) / n
		if se := math.Sqrt(p * (1 - p) / n); math.Abs(got-p) > 4*se || (p == 0 && hits[o] > 0) {
			t.Errorf("option %d: drawn %.4f of the time, share %.4f", o, got, p)
		}
	}
}

// A platform failure with target = random hits each of the Q platforms
// about equally often over seeds, and the same one for the same seed.
func TestRandomTargetOverSeeds(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 60
	cfg.Ticks = 3
	cfg.Shocks = []Shock{{Kind: PlatformFailure, Tick: 2, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1, Target: TargetRandom}}
	q := cfg.Strategy.Options
	hits := make([]int, q)
	const seeds = 800
	for seed := range uint64(seeds) {
		opt := -1
		for range 2 { // twice: the same seed hits the same platform
			w, err := New(cfg, seed)
			if err != nil {
				t.Fatal(err)
			}
			w.Step()
			w.Step()
			d, o := w.ShockTarget(0)
			if d != cfg.Strategy.PlatformDim || (opt >= 0 && o != opt) {
				t.Fatalf("seed %d: target (%d, %d), before %d", seed, d, o, opt)
			}
			opt = o
		}
		hits[opt]++
	}
	p := 1 / float64(q)
	for o, h := range hits {
		if se := math.Sqrt(p * (1 - p) / seeds); math.Abs(float64(h)/seeds-p) > 4*se {
			t.Errorf("platform %d hit in %d of %d seeds, want about %.0f", o, h, seeds, p*seeds)
		}
	}
}

// A target rule other than common needs a shock that hits one option, with
// option = −1; the zero value is common.
func TestTargetProblems(t *testing.T) {
	for _, c := range []struct {
		sh   Shock
		want string // "" = valid
	}{
		{Shock{Kind: PlatformFailure, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1}, ""},
		{Shock{Kind: PlatformFailure, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1, Target: TargetWeighted}, ""},
		{Shock{Kind: TechDisruption, Tick: 5, Severity: 0.5, Sector: -1, Dimension: 1, Option: -1, Target: TargetRandom}, ""},
		{Shock{Kind: Downturn, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1, Target: TargetRandom}, "shocks[1].target = random: only a tech_disruption"},
		{Shock{Kind: Regulation, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1, Target: TargetRandom}, "shocks[1].target = random: only a tech_disruption"},
		{Shock{Kind: PlatformFailure, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: 2, Target: TargetRandom}, "shocks[1].target = random: needs option = -1"},
		{Shock{Kind: PlatformFailure, Tick: 5, Severity: 0.5, Sector: -1, Dimension: -1, Option: -1, Target: "most"}, "shocks[1].target = most: must be one of common, random, weighted"},
	} {
		cfg := DefaultConfig()
		cfg.Shocks = []Shock{c.sh}
		err := cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v, want valid", c.sh, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want %q", c.sh, err, c.want)
		}
	}
}
