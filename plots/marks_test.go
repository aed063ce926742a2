package plots

import (
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// TestShockLabels checks that a shock's label is centred on its own line
// (never over a neighbouring interval), that crowded names turn into the
// shocks' numbers, and that the caption keys the numbers.
func TestShockLabels(t *testing.T) {
	battery := []results.ShockInfo{
		{Index: 1, Kind: "demand_shift", Tick: 150, Duration: 50},
		{Index: 2, Kind: "tech_disruption", Tick: 250},
		{Index: 3, Kind: "platform_failure", Tick: 350, Duration: 30},
		{Index: 4, Kind: "downturn", Tick: 450, Duration: 50},
		{Index: 5, Kind: "regulation", Tick: 550},
	}
	tests := []struct {
		name   string
		shocks []results.ShockInfo
		labels bool
		width  float64
		want   []string
	}{
		{"one shock, wide", battery[:1], true, 1000, []string{"demand shift"}},
		{"one shock, narrow panel", battery[:1], false, 0, []string{"demand shift"}},
		{"five shocks, wide: names in two rows", battery, true, 1000, []string{"demand shift", "tech disruption", "platform failure", "downturn", "regulation"}},
		{"five shocks, narrow panel: numbers", battery, false, 0, []string{"1", "2", "3", "4", "5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := plot.New()
			p.X.Min, p.X.Max = 0, 600
			m := newShockMarks(tc.shocks, tc.labels, vgLength(tc.width))
			texts, _ := m.layout(p)
			if strings.Join(texts, "|") != strings.Join(tc.want, "|") {
				t.Errorf("labels %q, want %q", texts, tc.want)
			}
			for i, b := range m.GlyphBoxes(p) {
				if b.X != p.X.Norm(float64(tc.shocks[i].Tick)) || b.Rectangle.Min.X != -b.Rectangle.Max.X {
					t.Errorf("shock %d: label box %+v not centred on its line at %v", i+1, b, p.X.Norm(float64(tc.shocks[i].Tick)))
				}
			}
		})
	}
	if got := shockKey(battery[:2]); got != "Dashed lines: shocks, by number where the names do not fit: 1 demand shift (tick 150), 2 tech disruption (tick 250)." {
		t.Errorf("shockKey = %q", got)
	}
	if got := shockKey(battery[:1]); got != "Dashed line: the demand shift at tick 150." {
		t.Errorf("shockKey = %q", got)
	}
}

func vgLength(x float64) vg.Length { return vg.Length(x) }
