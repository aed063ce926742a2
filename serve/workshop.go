package serve

import (
	"bytes"
	"fmt"
	"io"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/sim"
)

// workshopScenario returns the scenario of branch b's first lane as
// `smbsim run` replays it: the branch's settings with one run at the
// workshop's seed, and every shock fired live appended as a [[shocks]]
// entry at the tick it acted from, in the order fired.
func workshopScenario(b *branch) (*scenarios.Scenario, error) {
	var buf bytes.Buffer
	if err := b.scen.WriteTOML(&buf); err != nil {
		return nil, err
	}
	dims := b.scen.Config().Strategy.Dimensions
	for _, sh := range b.fired() {
		buf.WriteString(shockTOML(sh, dims))
	}
	s, err := scenarios.Parse(b.scen.Path, buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the workshop's scenario does not read back (a bug): %w", err)
	}
	if err := s.Set("simulation.seeds=1"); err != nil {
		return nil, err
	}
	return s, nil
}

// writeWorkshop writes branch b's workshop scenario as TOML.
func writeWorkshop(w io.Writer, b *branch) error {
	s, err := workshopScenario(b)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# smbsim workshop: branch %d at tick %d, %d shock(s) fired live.\n# Replay: smbsim run FILE\n", b.ID, b.tick(), len(b.fired()))
	if b.steered > 0 {
		fmt.Fprintf(&buf, "# Not replayed: %d choice(s) of participants steering firms.\n", b.steered)
	}
	if err := s.WriteTOML(&buf); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// writeTimeseries writes lane l's metrics as timeseries.csv of a single
// run (package results owns the format): the ticks `smbsim run` records,
// every output.every ticks and the last.
func writeTimeseries(w io.Writer, b *branch, l *lane) error {
	lay := results.Layout{Variant: b.scen.Name, Metrics: sim.MetricNames()}
	enc, err := results.NewEncoder[results.TimeseriesRow](w, lay)
	if err != nil {
		return err
	}
	every := max(b.scen.Every(), 1)
	row := results.TimeseriesRow{Variant: b.scen.Name, Seed: b.scen.Runs.BaseSeed}
	for i, m := range l.met {
		tick := i + 1
		if tick%every != 0 && !(tick == len(l.met) && l.w.Done()) {
			continue
		}
		row.Tick, row.Values = tick, m
		if err := enc.Encode(&row); err != nil {
			return err
		}
	}
	return enc.Flush()
}
