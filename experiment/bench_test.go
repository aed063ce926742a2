package experiment

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

// BenchmarkCompare runs a compare of three strategy mixes over 8 seeds each
// with the real engine (200 firms, 200 ticks), on 1 worker up to all cores,
// and reports runs per second: the throughput scaling of the worker pool.
func BenchmarkCompare(b *testing.B) {
	mixes := []sim.Mix{{Imitator: 0.8, Innovator: 0.1, Specialist: 0.05, Adaptive: 0.05},
		{Imitator: 0.25, Innovator: 0.25, Specialist: 0.25, Adaptive: 0.25},
		{Imitator: 0.1, Innovator: 0.6, Specialist: 0.2, Adaptive: 0.1}}
	p := &Plan{Command: CommandCompare, Scenario: "bench", Every: 10}
	for i, m := range mixes {
		c := sim.DefaultConfig()
		c.Ticks, c.Population.Firms, c.Population.Mix = 200, 200, m
		c.Shocks = []sim.Shock{{Kind: sim.DemandShift, Tick: 120, Severity: 0.5, Sector: -1, Option: -1}}
		p.Variants = append(p.Variants, Variant{Name: fmt.Sprintf("mix%d", i+1), Config: c})
	}
	for s := range 8 {
		p.Seeds = append(p.Seeds, uint64(s+1))
	}
	if _, err := SimFactory(p.Variants[0].Config, 1); err != nil {
		b.Skip("engine not available:", err)
	}
	for w := 1; w <= runtime.NumCPU(); w *= 2 {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			dir := b.TempDir()
			for b.Loop() {
				if _, err := Execute(context.Background(), p, Options{Out: dir, Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p.Jobs()*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
