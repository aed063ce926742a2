package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/smbsim/smbsim/agents"
)

// axelrodVariants are pure Axelrod worlds (see pureAxelrod) of several
// shapes: bounded and wrapped lattices, von Neumann and Moore neighbours,
// a ring and a small world, 1 to 4 bits per practice, regions measured
// every 7 ticks.
func axelrodVariants() []struct {
	name string
	cfg  Config
} {
	var v []struct {
		name string
		cfg  Config
	}
	add := func(name string, features, traits int, nw NetworkConfig, firms, ticks int) {
		c := axelrodConfig(features, traits)
		c.Network = nw
		c.Population.Firms = firms
		c.Ticks = ticks
		c.RegionsEvery = 7
		v = append(v, struct {
			name string
			cfg  Config
		}{name, c})
	}
	add("grid10-F5q10", 5, 10, NetworkConfig{Kind: Lattice, Width: 10, Height: 10, Neighbourhood: VonNeumann}, 100, 3000)
	add("grid20-moore-wrap-F3q2", 3, 2, NetworkConfig{Kind: Lattice, Width: 20, Height: 20, Neighbourhood: Moore, Wrap: true}, 400, 400)
	add("grid30-F10q16", 10, 16, NetworkConfig{Kind: Lattice, Width: 30, Height: 30, Neighbourhood: VonNeumann}, 900, 300)
	add("ring-F4q5", 4, 5, NetworkConfig{Kind: Ring, Degree: 6}, 500, 300)
	add("smallworld-F8q3", 8, 3, NetworkConfig{Kind: SmallWorld, Degree: 6, Rewire: 0.1}, 500, 300)
	add("grid100-F5q10", 5, 10, NetworkConfig{Kind: Lattice, Width: 100, Height: 100, Neighbourhood: VonNeumann}, 10000, 60)
	return v
}

// TestAxelrodFastPathPinned pins pure Axelrod runs to the fingerprints
// (every metric of every tick, every firm record) of the general decision
// loop they were recorded with, before decideAxelrod existed: the fast
// path must make the same draws and moves.
func TestAxelrodFastPathPinned(t *testing.T) {
	want := map[string][2]uint64{ // without, with StopWhenAbsorbed
		"grid10-F5q10":           {0x749ae185f5de71ff, 0x86484a4a590bf3f1},
		"grid20-moore-wrap-F3q2": {0x62ee8c2b05af8a88, 0x62ee8c2b05af8a88},
		"grid30-F10q16":          {0xc06c02a63e23adc, 0xc06c02a63e23adc},
		"ring-F4q5":              {0xfa7a7ea79848a4c3, 0xfa7a7ea79848a4c3},
		"smallworld-F8q3":        {0x7f1b282a38d00d29, 0x7f1b282a38d00d29},
		"grid100-F5q10":          {0x5755d333bcb2d6d8, 0x5755d333bcb2d6d8},
	}
	for _, v := range axelrodVariants() {
		for k, stop := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stop=%v", v.name, stop), func(t *testing.T) {
				c := v.cfg
				c.StopWhenAbsorbed = stop
				w, err := New(c, 5)
				if err != nil {
					t.Fatal(err)
				}
				if !w.pureAxelrod() {
					t.Fatal("not a pure Axelrod world")
				}
				if got := fingerprint(t, c, 5); got != want[v.name][k] {
					t.Errorf("fingerprint %#x, want %#x", got, want[v.name][k])
				}
			})
		}
	}
}

// TestAxelrodFastPathInvariants checks the kept counts, active edges
// included, after every tick of pure Axelrod runs.
func TestAxelrodFastPathInvariants(t *testing.T) {
	for _, v := range axelrodVariants() {
		t.Run(v.name, func(t *testing.T) {
			c := v.cfg
			c.Ticks = min(c.Ticks, 200)
			w, err := New(c, 9)
			if err != nil {
				t.Fatal(err)
			}
			for w.Step() {
				checkInvariants(t, w)
			}
			checkInvariants(t, w)
		})
	}
}

// TestAxelrodGeneralLoopInvariants runs Axelrod worlds that the fast path
// does not take (synchronous; revision below 1), whose many moves per tick
// make the general loops pause the per-move active-edge updates, and
// checks the kept counts after every tick.
func TestAxelrodGeneralLoopInvariants(t *testing.T) {
	for _, v := range axelrodVariants()[:3] {
		for _, edit := range []func(c *Config){
			func(c *Config) { c.Schedule = Synchronous },
			func(c *Config) { c.Behaviour.Revision = 0.9 },
		} {
			c := v.cfg
			c.Ticks = min(c.Ticks, 100)
			edit(&c)
			w, err := New(c, 11)
			if err != nil {
				t.Fatal(err)
			}
			if w.pureAxelrod() {
				t.Fatal("a pure Axelrod world")
			}
			for w.Step() {
				checkInvariants(t, w)
			}
			checkInvariants(t, w)
		}
	}
}

// TestMeasureOnDemand checks that a world measuring on demand returns what
// one measuring every tick does whenever it is read: the metrics (bit for
// bit), the most common strategies, the option shares, the regions and
// the firm records, read at irregular ticks (the pending moves of pure
// Axelrod ticks then span several ticks), across a steered firm that
// turns the ticks general (settling the pending moves first), and in a
// market world. The counts behind them are checked from scratch.
func TestMeasureOnDemand(t *testing.T) {
	type variant struct {
		name string
		cfg  Config
	}
	var vs []variant
	for _, v := range axelrodVariants() {
		v.cfg.Ticks = min(v.cfg.Ticks, 240)
		vs = append(vs, variant{v.name, v.cfg})
	}
	market := smallConfig()
	market.Ticks = 120
	vs = append(vs, variant{"market", market})
	read := func(tick int) bool { return tick <= 3 || tick%17 == 0 || tick%29 == 5 }
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			every, err := New(v.cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			lazy, err := New(v.cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			lazy.MeasureOnDemand()
			reads := 0
			for {
				more := every.Step()
				if lazy.Step() != more {
					t.Fatalf("tick %d: Step disagrees", every.Tick())
				}
				if every.Tick() == 100 { // a steered firm: the next ticks are not pure Axelrod
					for _, w := range []*World{every, lazy} {
						if err := w.SetRule(0, agents.Innovator); err != nil {
							t.Fatal(err)
						}
					}
				}
				if more && !read(every.Tick()) {
					continue
				}
				reads++
				sameReadings(t, every, lazy)
				checkInvariants(t, lazy)
				if !more {
					break
				}
			}
			if reads < 6 {
				t.Fatalf("only %d readings", reads)
			}
		})
	}
}

// sameReadings fails unless worlds a and b read the same now.
func sameReadings(t *testing.T, a, b *World) {
	t.Helper()
	tick := a.Tick()
	ma, mb := a.Metrics(), b.Metrics()
	for k := range ma {
		if math.Float64bits(ma[k]) != math.Float64bits(mb[k]) {
			t.Fatalf("tick %d: %s = %v measuring every tick, %v on demand", tick, metricNames[k], ma[k], mb[k])
		}
	}
	if ta, tb := a.TopStrategies(nil, 5), b.TopStrategies(nil, 5); !slices.Equal(ta, tb) {
		t.Fatalf("tick %d: top strategies %v, on demand %v", tick, ta, tb)
	}
	if oa, ob := a.OptionShares(nil, 0), b.OptionShares(nil, 0); !slices.Equal(oa, ob) {
		t.Fatalf("tick %d: option shares %v, on demand %v", tick, oa, ob)
	}
	ra, la := a.RegionsLargest()
	rb, lb := b.RegionsLargest()
	if ra != rb || la != lb {
		t.Fatalf("tick %d: regions %d/%d, on demand %d/%d", tick, ra, la, rb, lb)
	}
	if !slices.Equal(a.Firms(), b.Firms()) {
		t.Fatalf("tick %d: firm records differ", tick)
	}
}
