package experiment

import (
	"testing"

	"github.com/smbsim/smbsim/sim"
)

func TestZZEstimateProbe(t *testing.T) {
	p := testPlan(CommandRun, 1)
	cfg := sim.DefaultConfig()
	cfg.Population.Firms = 20
	cfg.Ticks = 200000
	cfg.Shocks = []sim.Shock{{Kind: sim.DemandShift, Tick: 20, Severity: 0.5, Sector: -1, Segment: 0, Option: -1}}
	p.Variants[0].Config = cfg
	p.Every = 1
	peak := peakHeap(func() {
		execute(t, p, Options{Out: t.TempDir(), Workers: 1, Factory: SimFactory})
	})
	t.Logf("peak heap %s, NumMetrics %d", FormatBytes(peak), sim.NumMetrics)
}
