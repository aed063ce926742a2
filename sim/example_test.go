package sim_test

import (
	"context"
	"fmt"

	"github.com/smbsim/smbsim/sim"
)

// A researcher's use of the Go API: build a world from a config, step it
// through an observer and read metrics and firm records.
func Example() {
	cfg := sim.DefaultConfig()
	cfg.Population.Firms = 200
	cfg.Ticks = 100
	cfg.Shocks = []sim.Shock{{Kind: sim.Downturn, Tick: 50, Duration: 20, Severity: 0.4, Sector: -1, Dimension: -1, Option: -1}}

	w, err := sim.New(cfg, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	names := sim.MetricNames()
	exits := 0
	obs := sim.ObserverFunc(func(w *sim.World) {
		exits += int(w.Metrics()[sim.MExits])
	})
	if err := w.Run(context.Background(), obs); err != nil {
		fmt.Println(err)
		return
	}
	m := w.Metrics()
	fmt.Printf("tick %d: %s=%v, exits over the run=%d\n", w.Tick(), names[sim.MAlive], m[sim.MAlive], exits)
	fmt.Println("firms that ever lived:", len(w.Firms()))
	// Output:
	// tick 100: alive=169, exits over the run=123
	// firms that ever lived: 292
}

// Invalid configurations are rejected with every problem named by its
// scenario key and allowed range.
func ExampleConfig_Validate() {
	cfg := sim.DefaultConfig()
	cfg.Market.BaseMargin = 1.5
	cfg.Network.Degree = 7
	fmt.Println(cfg.Validate())
	// Output:
	// market.base_margin = 1.5: must be between 0 and 1
	// network.degree = 7: must be even, at least 2 and less than population.firms (1000)
}
