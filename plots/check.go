package plots

import (
	"reflect"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// DataMarks returns, for each panel of the chart (row by row), how many
// data marks it draws: points of lines, rings of bands and stacked areas,
// markers of estimates. A panel with none shows empty axes. Grid lines,
// shock markers and reference lines are not data. It is what tests use to
// check that every chart of every scenario has something to show.
func (c *Chart) DataMarks() []int {
	var out []int
	for _, row := range c.grid {
		for _, p := range row {
			if p != nil {
				out = append(out, panelMarks(p))
			}
		}
	}
	return out
}

// panelMarks counts a panel's data marks. gonum/plot keeps a plot's
// plotters unexported, so they are read by reflection (read-only).
func panelMarks(p *plot.Plot) int {
	v := reflect.ValueOf(p).Elem().FieldByName("plotters")
	n := 0
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i).Elem() // the plotter behind the interface
		switch e.Type() {
		case reflect.TypeOf(&plotter.Line{}):
			n += e.Elem().FieldByName("XYs").Len()
		case reflect.TypeOf(&plotter.Polygon{}):
			n += e.Elem().FieldByName("XYs").Len()
		case reflect.TypeOf(&intervalMarks{}):
			n += e.Elem().FieldByName("items").Len()
		}
	}
	return n
}

// PanelTitles returns the titles of the chart's panels, row by row.
func (c *Chart) PanelTitles() []string {
	var out []string
	for _, row := range c.grid {
		for _, p := range row {
			if p != nil {
				out = append(out, p.Title.Text)
			}
		}
	}
	return out
}
