package serve

import (
	"errors"
	"fmt"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/sim"
)

// model is one lane's simulation: a World, or for a culture world
// (sim.Config.RunsCulture, as smbsim run decides) the culture engine, so
// that the workshop shows the same runs as smbsim run.
type model interface {
	experiment.Model // as smbsim run steps and reads it
	Config() sim.Config
	// options returns a function giving strategy s's option on dimension
	// d (valid until the next Step).
	options() func(s uint64, d int) int
	// counted returns the strategy as TopStrategies gives it of a firm's
	// strategy s (Firms), so that the two compare.
	counted(s uint64) uint64
	clone() model
	// market returns the World when the lane runs one (shocks and
	// participants' firms need it), else an error saying why not.
	market() (*sim.World, error)
}

// newModel builds the lane's simulation of cfg with seed: the model
// experiment.SimFactory builds for smbsim run.
func newModel(cfg sim.Config, seed uint64) (model, error) {
	m, err := experiment.SimFactory(cfg, seed)
	if err != nil {
		return nil, err
	}
	switch m := m.(type) {
	case *sim.Culture:
		return cultureLane{m}, nil
	case *sim.World:
		return worldLane{m}, nil
	}
	return nil, fmt.Errorf("serve: no lane for a %T", m)
}

type worldLane struct{ *sim.World }

func (w worldLane) options() func(s uint64, d int) int { return w.Layout().Get }
func (w worldLane) counted(s uint64) uint64            { return s }
func (w worldLane) clone() model                       { return worldLane{w.World.Clone()} }
func (w worldLane) market() (*sim.World, error)        { return w.World, nil }

type cultureLane struct{ *sim.Culture }

func (c cultureLane) options() func(s uint64, d int) int { return c.StrategyOption }
func (c cultureLane) counted(s uint64) uint64            { return c.CountedStrategy(s) }
func (c cultureLane) clone() model                       { return cultureLane{c.Culture.Clone()} }

// errCulture says why a culture world's lane has no market.
var errCulture = errors.New("a culture world (market.enabled = false, every firm an Axelrod imitator) has no market: shocks and steered firms need one")

func (c cultureLane) market() (*sim.World, error) { return nil, errCulture }
