package plots

import (
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// topProbe records the top of the data area it is drawn into.
type topProbe struct{ top *vg.Length }

func (t topProbe) Plot(c draw.Canvas, _ *plot.Plot) { *t.top = c.Max.Y }

// TestPanelTopsAligned: the data areas of a row start at the same height
// whatever the length of their y-axis labels and titles (the platforms
// chart's first panel, with a label longer than its data area, used to
// start higher than its neighbours).
func TestPanelTopsAligned(t *testing.T) {
	labels := []string{
		"Firms on the most used platform (%)",
		"Effective number of platforms",
		"Firms using it (%)",
	}
	titles := []string{"Leading platform", "Platforms in use", "Firms on the option the last shock hit"}
	tops := make([]vg.Length, len(labels))
	var row []*plot.Plot
	for i, l := range labels {
		p := newPanel(titles[i], "Time (ticks = months)", l)
		line, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 500, Y: float64(i + 1)}})
		if err != nil {
			t.Fatal(err)
		}
		p.Add(line, topProbe{&tops[i]})
		row = append(row, p)
	}
	// The platforms chart's room: a title and caption over several lines
	// and a legend below the panels.
	c := &Chart{
		Name:        "probe",
		Title:       "Platform dominance: how many firms share one platform, and how many the shock hit",
		Caption:     strings.Repeat("A caption long enough to take four lines under the chart. ", 8),
		grid:        [][]*plot.Plot{row},
		legend:      []legendEntry{{label: "platform-dominance", thumbs: []plot.Thumbnailer{lineThumb{s: (&Results{}).style(0), band: true}}}},
		legendBelow: true,
	}
	if err := c.Render(io.Discard, "svg", 0); err != nil {
		t.Fatal(err)
	}
	for i := range tops {
		if tops[i] == 0 {
			t.Fatalf("panel %d not drawn", i+1)
		}
		if d := math.Abs(float64(tops[i] - tops[0])); d > 0.5 {
			t.Errorf("panel %d's data area starts %.1f pt from panel 1's (tops %v)", i+1, d, tops)
		}
	}
}
