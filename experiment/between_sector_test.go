package experiment

import (
	"math"
	"testing"
)

// TestBetweenSectorShare checks the share of strategy entropy between
// sectors on markets whose answer is known.
func TestBetweenSectorShare(t *testing.T) {
	alive := func(sector int, strategy string) Firm { return Firm{Sector: sector, Final: strategy, Died: -1} }
	dead := Firm{Sector: 1, Final: "z", Died: 5}
	cases := []struct {
		name  string
		firms []Firm
		want  float64
	}{
		{"each sector its own template", []Firm{alive(0, "a"), alive(0, "a"), alive(1, "b"), alive(1, "b"), dead}, 1},
		{"same mix in every sector", []Firm{alive(0, "a"), alive(0, "b"), alive(1, "a"), alive(1, "b")}, 0},
		{"one sector", []Firm{alive(0, "a"), alive(0, "b"), alive(0, "c")}, 0},
		// H = log2 3 (a, b, c a third each); within: sector 0 {a, b} 1 bit,
		// sector 1 {c} 0 bits, weights 2/3 and 1/3: I = log2 3 − 2/3.
		{"partly", []Firm{alive(0, "a"), alive(0, "b"), alive(1, "c")}, (math.Log2(3) - 2.0/3) / math.Log2(3)},
		{"one strategy", []Firm{alive(0, "a"), alive(1, "a")}, math.NaN()},
		{"none alive", []Firm{dead}, math.NaN()},
	}
	for _, c := range cases {
		got := betweenSectorShare(c.firms)
		if math.IsNaN(c.want) != math.IsNaN(got) || (!math.IsNaN(c.want) && math.Abs(got-c.want) > 1e-12) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
