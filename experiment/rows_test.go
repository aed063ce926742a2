package experiment

import (
	"testing"

	"github.com/smbsim/smbsim/agents"
)

// TestFirmRowRoundTrip: every field of a firm, the demography's age, size
// and revenue included, survives firms.csv's row type both ways.
func TestFirmRowRoundTrip(t *testing.T) {
	for _, f := range []Firm{
		{ID: 4, Type: agents.Innovator, Sector: 2, Born: 10, Died: 42, Initial: "0-1", Final: "2-3", Age: 32, Size: 1.5, Revenue: 0.25},
		{ID: 5, Type: agents.Adaptive, Sector: 0, Born: 0, Died: -1, Initial: "1-1", Final: "1-2", Age: 500, Size: 0.75, Revenue: 2},
	} {
		row := firmRow("v", 7, &f)
		got, err := firmOf(&row)
		if err != nil {
			t.Fatal(err)
		}
		if got != f {
			t.Errorf("round trip: %+v, want %+v", got, f)
		}
	}
}
