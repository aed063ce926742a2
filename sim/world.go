package sim

import (
	"context"
	"errors"
)

// World is one run of the model: the firms, the market, the network and
// the schedule of shocks. It is not safe for concurrent use; run many
// worlds in parallel instead.
type World struct {
	cfg  Config
	tick int
	done bool
}

// New builds the world for cfg, drawing every random number from streams
// derived from seed.
func New(cfg Config, seed uint64) (*World, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return nil, errors.New("sim: not implemented yet")
}

// Tick returns the number of completed ticks.
func (w *World) Tick() int { return w.tick }

// Done reports whether the run is over (tick limit reached or absorbed).
func (w *World) Done() bool { return w.done }

// Step advances the world by one tick. It returns false once the run is over.
func (w *World) Step() bool { return false }

// Run steps the world to its end, calling obs after every tick (obs may be
// nil). It stops early with ctx's error when ctx is cancelled.
func (w *World) Run(ctx context.Context, obs Observer) error {
	for !w.done {
		if err := ctx.Err(); err != nil {
			return err
		}
		w.Step()
		if obs != nil {
			obs.Observe(w)
		}
	}
	return nil
}

// Metrics returns the measurements of the last completed tick, in
// MetricNames order; a metric not measured this tick is NaN. The slice is
// owned by the world and overwritten by the next Step.
func (w *World) Metrics() []float64 { return nil }

// Firms returns the record of every firm that ever lived in the run, in ID
// order. Firms still alive have Died = -1 and their current strategy as Final.
func (w *World) Firms() []FirmRecord { return nil }

// TopStrategies appends to dst[:0] the k most common strategies among alive
// firms (ties by smaller packed value) with their shares.
func (w *World) TopStrategies(dst []StrategyShare, k int) []StrategyShare { return dst[:0] }

// FormatStrategy writes a packed strategy as dash-separated options.
func (w *World) FormatStrategy(s uint64) string { return "" }

// Config returns the world's configuration.
func (w *World) Config() Config { return w.cfg }
