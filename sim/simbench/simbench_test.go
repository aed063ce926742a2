package simbench

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

// BenchmarkMarket measures the reference market at several sizes after
// the initial shakeout, in firm-ticks per second (alive firms).
func BenchmarkMarket(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("firms=%d", n), func(b *testing.B) {
			benchWorld(b, Reference(n), 200)
		})
	}
}

// BenchmarkMarketShape varies one dimension of the 10,000-firm reference
// market at a time: segments per sector, network degree, sectors.
func BenchmarkMarketShape(b *testing.B) {
	shapes := []struct {
		name string
		edit func(c *sim.Config)
	}{
		{"reference", func(c *sim.Config) {}},
		{"segments=1x1", func(c *sim.Config) { c.Market.Sectors, c.Market.SegmentsPerSector, c.Market.MainstreamShare = 1, 1, 1 }},
		{"segments=3x8", func(c *sim.Config) { c.Market.SegmentsPerSector = 8 }},
		{"segments=6x8", func(c *sim.Config) { c.Market.Sectors, c.Market.SegmentsPerSector = 6, 8 }},
		{"degree=4", func(c *sim.Config) { c.Network.Degree = 4 }},
		{"degree=16", func(c *sim.Config) { c.Network.Degree = 16 }},
		{"degree=32", func(c *sim.Config) { c.Network.Degree = 32 }},
		{"complete", func(c *sim.Config) { c.Network.Kind = sim.Complete }},
	}
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			c := Reference(10_000)
			s.edit(&c)
			benchWorld(b, c, 200)
		})
	}
}

func benchWorld(b *testing.B, c sim.Config, warm int) {
	w, err := sim.New(c, 1)
	if err != nil {
		b.Fatal(err)
	}
	for range warm {
		w.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	firms := 0
	cpu := processCPU()
	for b.Loop() {
		firms += w.Alive()
		w.Step()
	}
	cpu = processCPU() - cpu
	b.ReportMetric(float64(firms)/b.Elapsed().Seconds(), "firm-ticks/s")
	if cpu > 0 { // per CPU second: steadier than per second on a shared machine
		b.ReportMetric(float64(firms)/cpu, "firm-ticks/cpu-s")
	}
	b.ReportMetric(float64(firms)/float64(b.N), "alive")
}

// BenchmarkAxelrod measures Axelrod's model through the engine (F=5,
// q=10), in events per second; one tick is side² events.
func BenchmarkAxelrod(b *testing.B) {
	for _, side := range []int{10, 100} {
		b.Run(fmt.Sprintf("%dx%d", side, side), func(b *testing.B) {
			w, err := sim.New(AxelrodConfig(side, 5, 10), 1)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				w.Step()
			}
			b.ReportMetric(float64(b.N*side*side)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// TestWorkersChangeNothing checks that multi-seed results do not depend
// on the number of workers.
func TestWorkersChangeNothing(t *testing.T) {
	_, one, err := MultiSeed(1000, 20, 30, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, two, err := MultiSeed(1000, 20, 30, 4, 3)
	if err != nil {
		t.Fatal(err)
	}
	for k := range one {
		if one[k] != two[k] {
			t.Fatalf("seed %d: fingerprint %#x on 1 worker, %#x on 3", k+1, one[k], two[k])
		}
	}
}

// TestOnlyAxelrod checks that --only axelrod runs the two Axelrod
// workloads of a fixed number of events, and nothing else, and that they
// report the CPU time they used where the system gives it.
func TestOnlyAxelrod(t *testing.T) {
	var names, regions []string
	err := Suite(Options{Only: AxelrodEvents}, func(r Result) {
		names = append(names, r.Name)
		regions = append(regions, r.Note[strings.LastIndex(r.Note, ", ")+2:])
		if r.EventsPerSec <= 0 || r.CPUSeconds < 0 || r.CPUSeconds > 10*r.Seconds+1 {
			t.Errorf("%s: events/s %g, CPU %g s over %g s of wall time", r.Name, r.EventsPerSec, r.CPUSeconds, r.Seconds)
		}
		if runtime.GOOS == "linux" && r.CPUSeconds == 0 {
			t.Errorf("%s: no CPU time on Linux", r.Name)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"axelrod-10x10", "axelrod-100x100", "axelrod-100x100/tick"}; !slices.Equal(names, want) {
		t.Fatalf("--only axelrod ran %v, want %v", names, want)
	}
	// Measured on demand or every tick, the 100×100 run is the same run.
	if regions[1] != regions[2] || !strings.HasSuffix(regions[1], "regions at the end") {
		t.Errorf("100×100 measured at the end: %q; every tick: %q", regions[1], regions[2])
	}
	if err := Suite(Options{Only: "axelrod-2"}, func(Result) {}); err == nil || !strings.Contains(err.Error(), AxelrodEvents) {
		t.Errorf("an unknown workload: error %v, want one naming %q", err, AxelrodEvents)
	}
}
