package sim

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/agents"
)

// TestAddShockReplays pins the promise of AddShock: a shock added to a
// running world acts exactly as the same shock listed in the configuration
// from the start, tick for tick, metric for metric.
func TestAddShockReplays(t *testing.T) {
	for _, kind := range []ShockKind{DemandShift, TechDisruption, PlatformFailure, Downturn, Regulation} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Population.Firms = 200
			cfg.Ticks = 60
			cfg.Shocks = []Shock{{Kind: Downturn, Tick: 50, Duration: 5, Severity: 0.3, Sector: -1, Dimension: -1, Option: -1}}
			sh := DefaultShock()
			sh.Kind, sh.Tick, sh.Duration = kind, 21, 10
			if kind == TechDisruption {
				sh.Dimension = 2
			}
			live, err := New(cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			planned := cfg
			planned.Shocks = append(append([]Shock(nil), cfg.Shocks...), sh)
			ref, err := New(planned, 7)
			if err != nil {
				t.Fatal(err)
			}
			for live.Tick() < 20 {
				live.Step()
				ref.Step()
			}
			if _, err := live.AddShock(Shock{Kind: kind, Tick: 20, Severity: 0.5, Dimension: -1, Option: -1}); err == nil {
				t.Fatal("AddShock accepted a shock at the current tick")
			}
			bad := sh
			bad.Severity = 2
			if _, err := live.AddShock(bad); err == nil {
				t.Fatal("AddShock accepted severity 2")
			}
			if k, err := live.AddShock(sh); err != nil || k != 1 {
				t.Fatalf("AddShock = %d, %v; want 1, nil", k, err)
			}
			for ref.Step() {
				live.Step()
				a, b := ref.Metrics(), live.Metrics()
				for m := range a {
					if math.Float64bits(a[m]) != math.Float64bits(b[m]) {
						t.Fatalf("tick %d: %s = %v live, %v planned", ref.Tick(), metricNames[m], b[m], a[m])
					}
				}
			}
			if live.Step() {
				t.Fatal("live world runs past its end")
			}
		})
	}
}

// TestSetRule: a steered firm follows its new rule, the alive-by-type
// counts follow it, and firms not in business cannot be steered.
func TestSetRule(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 200
	cfg.Ticks = 50
	cfg.Shocks = nil
	w, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	w.Step()
	id := -1
	for _, f := range w.Firms() {
		if f.Died < 0 && f.Type == agents.Imitator {
			id = f.ID
			break
		}
	}
	before := w.Metrics()[MAliveSpecialist]
	if err := w.SetRule(id, agents.Specialist); err != nil {
		t.Fatal(err)
	}
	w.measure()
	if f, _ := w.Firm(id); f.Type != agents.Specialist || w.Metrics()[MAliveSpecialist] != before+1 {
		t.Errorf("after SetRule: type %v, alive specialists %v (were %v)", f.Type, w.Metrics()[MAliveSpecialist], before)
	}
	if err := w.SetRule(id, agents.Adaptive); err == nil {
		t.Error("SetRule accepted the adaptive rule")
	}
	if err := w.SetRule(len(w.Firms())+5, agents.Innovator); err == nil {
		t.Error("SetRule accepted a firm that does not exist")
	}
	for w.Step() {
		m := w.Metrics()
		if sum := m[MAliveImitator] + m[MAliveInnovator] + m[MAliveSpecialist] + m[MAliveAdaptive]; sum != m[MAlive] {
			t.Fatalf("tick %d: alive by type sums to %v, alive %v", w.Tick(), sum, m[MAlive])
		}
	}
}
