package plots

import (
	"testing"

	"github.com/smbsim/smbsim/results"
)

// TestTimeLabel: a market's time axes say that a tick is a month; a world
// without a market (Axelrod, Lazer–Friedman), where a tick is a round of
// the agents' rule, keeps plain ticks.
func TestTimeLabel(t *testing.T) {
	for _, c := range []struct {
		name   string
		metric string
		market *bool
		want   string
	}{
		{"market", "mean_margin", nil, "Time (ticks = months)"},
		{"market switched off", "mean_fitness", new(false), "Time (ticks)"},
		{"no market measures", "regions", nil, "Time (ticks)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &Results{Dir: results.Dir{Stats: []results.StatRow{{Variant: "a", Tick: 1, Metric: c.metric, N: 1, Mean: 0.5}}}}
			if c.market != nil {
				r.Summary.World = &results.WorldInfo{Market: *c.market}
			}
			r.index()
			if got := r.timeLabel(); got != c.want {
				t.Errorf("timeLabel() = %q, want %q", got, c.want)
			}
		})
	}
}
