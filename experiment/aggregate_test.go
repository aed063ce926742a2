package experiment

import (
	"math"
	"slices"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

// TestStoppedRunKeepsItsFinalState checks that a run stopped before its
// tick limit (absorbed) counts in its final state, with flows at zero, at
// every later recorded tick, and that its off-schedule stop tick is not a
// row of its own.
func TestStoppedRunKeepsItsFinalState(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Ticks = 10
	p := &Plan{Command: CommandRun, Variants: []Variant{{Name: "v", Config: cfg}}, Seeds: []uint64{1, 2}, Every: 2}
	a := newAggregator(p)
	row := func(tick int, alive, entries float64) Row {
		m := make([]float64, sim.NumMetrics)
		m[sim.MAlive], m[sim.MEntries] = alive, entries
		return Row{Tick: tick, Metrics: m}
	}
	full := &RunResult{Job: 0, Seed: 1, LastTick: 10}
	for tick := 2; tick <= 10; tick += 2 {
		full.Rows = append(full.Rows, row(tick, 5, 2))
	}
	stopped := &RunResult{Job: 1, Seed: 2, LastTick: 5, Rows: []Row{row(2, 9, 1), row(4, 8, 1), row(5, 3, 1)}}
	a.add(full)
	a.add(stopped)
	va := &a.variants[0]
	if got, want := va.ticks(), []int{2, 4, 6, 8, 10}; !slices.Equal(got, want) {
		t.Fatalf("ticks %v, want %v", got, want)
	}
	for _, tc := range []struct {
		tick           int
		alive, entries float64
	}{{2, 7, 1.5}, {4, 6.5, 1.5}, {6, 4, 1}, {10, 4, 1}} {
		acc := va.series[tc.tick]
		if n := acc[sim.MAlive].N(); n != 2 {
			t.Errorf("tick %d: n = %d, want 2", tc.tick, n)
		}
		if m := float64(acc[sim.MAlive].Mean()); math.Abs(m-tc.alive) > 1e-12 {
			t.Errorf("tick %d: mean alive %v, want %v", tc.tick, m, tc.alive)
		}
		if m := float64(acc[sim.MEntries].Mean()); math.Abs(m-tc.entries) > 1e-12 {
			t.Errorf("tick %d: mean entries %v, want %v (flows of a stopped run are 0)", tc.tick, m, tc.entries)
		}
	}
}
