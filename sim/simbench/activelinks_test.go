package simbench

import (
	"context"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

// BenchmarkActiveLinksPerChange runs the active-link engine to absorption
// at F = 10, q = 55, 50×50 over 8 seeds and reports its cost per change
// (the engine's cost is almost all per change: the skipped events are one
// draw per change).
func BenchmarkActiveLinksPerChange(b *testing.B) {
	cfg := AxelrodConfig(50, 10, 55)
	cfg.StopWhenAbsorbed = true
	var changes uint64
	for b.Loop() {
		for s := uint64(1); s <= 8; s++ {
			c, err := sim.NewCulture(cfg, s, sim.CultureActiveLinks)
			if err != nil {
				b.Fatal(err)
			}
			if err := c.Run(context.Background(), 0); err != nil {
				b.Fatal(err)
			}
			changes += c.Stats().Changes
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(changes), "ns/change")
}
