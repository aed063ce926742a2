package experiment

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/results"
)

// p_holm adjusts each test's p over the tests of the same measure by the
// same test (one per pair of variants), never across measures or tests.
func TestHolmByFamily(t *testing.T) {
	nan := math.NaN()
	type row struct {
		measure, test string
		p, want       float64
	}
	cases := []struct {
		name string
		rows []row
	}{
		{"a family of one keeps its p", []row{
			{"m", results.TestPairedT, 0.03, 0.03},
			{"m", results.TestWilcoxon, 0.04, 0.04},
			{"n", results.TestPairedT, 0.2, 0.2},
		}},
		{"three pairs: Holm as R's p.adjust", []row{ // p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03 0.06 0.06
			{"m", results.TestPairedT, 0.01, 0.03},
			{"m", results.TestWilcoxon, 0.5, 1},
			{"m", results.TestPairedT, 0.04, 0.06},
			{"m", results.TestWilcoxon, 0.5, 1},
			{"m", results.TestPairedT, 0.03, 0.06},
			{"m", results.TestWilcoxon, 0.01, 0.03},
		}},
		{"families of other measures do not mix", []row{
			{"m", results.TestPairedT, 0.01, 0.02},
			{"n", results.TestPairedT, 0.01, 0.01},
			{"m", results.TestPairedT, 0.02, 0.02},
		}},
		{"an untested pair stays empty and does not count", []row{
			{"m", results.TestPairedT, nan, nan},
			{"m", results.TestPairedT, 0.02, 0.04},
			{"m", results.TestPairedT, 0.03, 0.04},
		}},
	}
	for _, c := range cases {
		tests := make([]results.Test, len(c.rows))
		for i, r := range c.rows {
			tests[i] = results.Test{Measure: r.measure, Test: r.test, P: results.Number(r.p)}
		}
		holmByFamily(tests)
		for i, r := range c.rows {
			got := float64(tests[i].PHolm)
			if math.IsNaN(r.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-r.want) > 1e-12) {
				t.Errorf("%s: row %d (%s %s p = %v): p_holm %v, want %v", c.name, i, r.measure, r.test, r.p, got, r.want)
			}
		}
	}
}
