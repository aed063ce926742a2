package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/internal/longtest"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// meanMeasure is the mean over the rows of runs.csv in dir of measure for
// the given variant (or sweep point), and its per-seed values.
func meanMeasure(t *testing.T, dir, variant, measure string) (float64, []float64) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var xs []float64
	for _, r := range rows[1:] {
		if r[0] == variant && r[2] == measure {
			x, err := strconv.ParseFloat(r[3], 64)
			if err != nil {
				t.Fatal(err)
			}
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		t.Fatalf("%s: no %s of %s", dir, measure, variant)
	}
	return stats.Mean(xs), xs
}

// TestSourcesOfHomogeneity reproduces docs/model.md section 4, "Sources of
// homogeneity": how the herding level of the built-in was matched to the
// imitation-heavy market's diversity at the demand shift, and the result
// over 30 seeds with where it holds, and the order over the built-in's 10
// seeds (SMBSIM_LONG=sources, about 30 s of CPU on two cores).
func TestSourcesOfHomogeneity(t *testing.T) {
	longtest.Value(t, "sources")
	root := t.TempDir()
	sweep, ih := filepath.Join(root, "sweep"), filepath.Join(root, "ih")
	mustRun(t, "sweep", "balanced-mix", "--vary", "biases.herding=0.15:0.3:0.05", "--seeds", "12", "--no-charts", "-q", "--out", sweep)
	mustRun(t, "run", "imitation-heavy", "--seeds", "12", "--no-charts", "-q", "--out", ih)
	const div = "shock1_pre_effective_strategies"
	checkSourcesMatching(t, sweep, ih)

	out := filepath.Join(root, "soh")
	mustRun(t, "compare", "sources-of-homogeneity", "--seeds", "30", "--no-charts", "-q", "--out", out)
	want := map[string][2]float64{ // diversity at the demand shift, excess failures (docs/model.md)
		"balanced":          {83.5, 0.093},
		"imitation-heavy":   {55.6, 0.083},
		"herding":           {56.3, 0.115},
		"dominant-platform": {91.9, 0.059},
	}
	for v, w := range want {
		d, _ := meanMeasure(t, out, v, div)
		e, _ := meanMeasure(t, out, v, "shock1_excess_fail_share")
		if math.Abs(d-w[0]) > 0.05 || math.Abs(e-w[1]) > 0.0005 {
			t.Errorf("%s: diversity %.2f, excess %.4f; docs/model.md says %.1f, %.3f", v, d, e, w[0], w[1])
		}
	}
	for v, w := range map[string]float64{"imitation-heavy": 1021, "herding": 818} { // firms in business at the shift
		if a, _ := meanMeasure(t, out, v, "shock1_pre_alive"); math.Abs(a-w) > 0.5 {
			t.Errorf("%s: %.2f firms in business at the demand shift, docs/model.md says %.0f", v, a, w)
		}
	}
	_, h := meanMeasure(t, out, "herding", "shock1_excess_fail_share")
	_, m := meanMeasure(t, out, "imitation-heavy", "shock1_excess_fail_share")
	if p := stats.PairedT(h, m).P; !(p < 0.001) {
		t.Errorf("herding − imitation-heavy at the demand shift: p = %v, docs/model.md says p < 0.001", p)
	}
	sum, err := results.ReadSummary(out)
	if err != nil {
		t.Fatal(err)
	}
	checkSourcesWhere(t, sum)
	checkSourcesPlatform(t, out, sum)
	ten := filepath.Join(root, "ten")
	mustRun(t, "compare", "sources-of-homogeneity", "--no-charts", "-q", "--out", ten)
	prev := math.Inf(1)
	for _, v := range []string{"herding", "balanced", "imitation-heavy", "dominant-platform"} { // docs/model.md: the order over 30 seeds
		e, xs := meanMeasure(t, ten, v, "shock1_excess_fail_share")
		if e >= prev {
			t.Errorf("10 seeds: %s loses %.4f at the demand shift, not fewer than the variant before it (%.4f)", v, e, prev)
		}
		prev = e
		_, ys := meanMeasure(t, out, v, "shock1_excess_fail_share")
		w10, w30 := stats.MeanCI(xs, 0.95), stats.MeanCI(ys, 0.95)
		if w10.High-w10.Low <= w30.High-w30.Low {
			t.Errorf("%s: the interval over 10 seeds (%.4f wide) is not wider than over 30 (%.4f)", v, w10.High-w10.Low, w30.High-w30.Low)
		}
	}
}

// checkSourcesMatching checks how the herding level was matched: the mean
// diversity at the demand shift of herding 0.15, 0.2, 0.25 and 0.3 over 12
// seeds against imitation-heavy's, and that 0.3 is the closest.
func checkSourcesMatching(t *testing.T, sweep, ih string) {
	t.Helper()
	const div = "shock1_pre_effective_strategies"
	target, _ := meanMeasure(t, ih, "imitation-heavy", div)
	if math.Abs(target-58.2) > 0.05 {
		t.Errorf("imitation-heavy: diversity at the demand shift %.2f over 12 seeds, docs/model.md says 58.2", target)
	}
	best, bestGap := "", math.Inf(1)
	for i, w := range []float64{73.9, 66.2, 69.4, 58.9} { // herding 0.15, 0.2, 0.25, 0.3
		p := fmt.Sprintf("p%03d", i+1)
		m, _ := meanMeasure(t, sweep, p, div)
		if math.Abs(m-w) > 0.05 {
			t.Errorf("%s: diversity at the demand shift %.2f, docs/model.md says %.1f", p, m, w)
		}
		if gap := math.Abs(m - target); gap < bestGap {
			best, bestGap = p, gap
		}
	}
	if best != "p004" {
		t.Errorf("the herding level closest to imitation-heavy's diversity is %s, the built-in uses 0.3 (p004)", best)
	}
}

// checkSourcesPlatform checks docs/model.md's platform failure: the share
// of firms on the failed platform, the excess failures, and that only
// herding − imitation-heavy differs (p = 0.009).
func checkSourcesPlatform(t *testing.T, out string, s *results.Summary) {
	t.Helper()
	names := []string{"balanced", "imitation-heavy", "herding", "dominant-platform"}
	on := []float64{0.34, 0.37, 0.39, 0.44}
	excess := []float64{0.027, 0.024, 0.034, 0.030}
	for i, v := range names {
		o, _ := meanMeasure(t, out, v, "shock2_target_share")
		e, _ := meanMeasure(t, out, v, "shock2_excess_fail_share")
		if math.Abs(o-on[i]) > 0.005 || math.Abs(e-excess[i]) > 0.0005 {
			t.Errorf("%s at the platform failure: %.4f on the platform, excess %.4f; docs/model.md says %.2f, %.3f", v, o, e, on[i], excess[i])
		}
		for _, b := range names[i+1:] {
			c := present.MeanContrast(s, "shock2_excess_fail_share", v, b)
			if v == "imitation-heavy" && b == "herding" {
				if math.Round(c.P*1000) != 9 {
					t.Errorf("herding − imitation-heavy at the platform failure: p = %.4f, docs/model.md says 0.009", c.P)
				}
			} else if !(c.P > 0.05) {
				t.Errorf("%s − %s at the platform failure: p = %.4f, docs/model.md says p > 0.05", v, b, c.P)
			}
		}
	}
}

// sourcesWhere is docs/model.md's where-it-holds line of the sources of
// homogeneity: a − b of a measure of tests.csv over the 30 seeds, its
// difference as the doc rounds it (points for shares, firms for counts)
// and its sign by the paired t-test (present.Significance; 0: no
// difference).
var sourcesWhere = []struct {
	measure, a, b string
	diff          float64
	sign          int
	p             string // as docs/model.md writes it (present.P); "" where the doc gives none
}{
	{"shock1_excess_fail_share_h12", "herding", "imitation-heavy", 0.9, 1, "p < 0.001"},
	{"shock1_excess_fail_share_h60", "herding", "imitation-heavy", 3.1, 1, "p < 0.001"},
	{"shock1_excess_fail_share_h120", "herding", "imitation-heavy", 2.5, 1, "p < 0.001"},
	{"shock1_excess_fail_revenue_h12", "herding", "imitation-heavy", 0.4, 1, "p < 0.001"},
	{"shock1_excess_fail_revenue_h60", "herding", "imitation-heavy", 2.9, 1, "p < 0.001"},
	{"shock1_excess_fail_revenue_h120", "herding", "imitation-heavy", 2.9, 1, "p < 0.001"},
	{"shock1_std_excess_fail_share", "herding", "imitation-heavy", 3.3, 1, "p < 0.001"},
	{"shock1_excess_fail_firms_h12", "herding", "imitation-heavy", 4.8, 1, "p = 0.029"},
	{"shock1_excess_fail_firms_h60", "herding", "imitation-heavy", 5.1, 0, "p = 0.37"},
	{"shock1_excess_fail_firms_h120", "herding", "imitation-heavy", -12.1, 0, "p = 0.1"},
	{"shock1_pre_alive", "herding", "imitation-heavy", -203.2, -1, ""},
	{"shock1_excess_fail_share_h12", "herding", "balanced", 0.5, 0, "p = 0.065"},
	{"shock1_excess_fail_firms_h12", "herding", "balanced", 3.2, 0, "p = 0.14"},
	{"shock1_excess_fail_revenue_h12", "herding", "balanced", 0.3, 1, ""},
	{"shock1_excess_fail_share_h12", "dominant-platform", "imitation-heavy", -0.4, 0, ""},
	{"shock1_excess_fail_firms_h12", "dominant-platform", "imitation-heavy", -4.6, 0, ""},
	{"shock1_excess_fail_revenue_h12", "dominant-platform", "imitation-heavy", -0.0, 0, ""},
	{"shock2_excess_fail_share_h60", "herding", "imitation-heavy", 1.0, 1, "p = 0.0089"},
	{"shock2_excess_fail_revenue_h60", "herding", "imitation-heavy", 0.4, 1, "p = 0.029"},
	{"shock2_std_excess_fail_share", "herding", "imitation-heavy", 0.9, 0, "p = 0.072"},
}

// checkSourcesWhere checks sourcesWhere against the summary of the 30-seed
// compare, and the claims the doc makes over whole groups of cells: the
// dominant platform loses fewer than every other market at 60 and 120
// months on every basis and standardised (p < 0.001), and at 12 months
// fewer than balanced and herding (p ≤ 0.016); herding loses more than
// balanced at 60 and 120 months, at 12 in revenue, and standardised;
// herding − imitation-heavy at the platform failure differs nowhere else.
func checkSourcesWhere(t *testing.T, s *results.Summary) {
	t.Helper()
	check := func(measure, a, b string, sign int, maxP float64) present.Contrast {
		c := present.MeanContrast(s, measure, a, b)
		if got := (present.Cell{Contrast: c}).Sign(); got != sign || (sign != 0 && !(c.P <= maxP)) {
			t.Errorf("%s, %s − %s: %+.4f, p = %.3g (sign %d); docs/model.md says sign %d, p ≤ %g", measure, a, b, c.Diff, c.P, got, sign, maxP)
		}
		return c
	}
	for _, w := range sourcesWhere {
		c := check(w.measure, w.a, w.b, w.sign, 1)
		d := c.Diff
		if !strings.Contains(w.measure, "firms") && !strings.Contains(w.measure, "alive") {
			d *= 100 // points
		}
		if math.Abs(d-w.diff) > 0.05 {
			t.Errorf("%s, %s − %s: %+.2f, docs/model.md says %+.1f", w.measure, w.a, w.b, d, w.diff)
		}
		if w.p != "" && present.P(c.P) != w.p {
			t.Errorf("%s, %s − %s: %s, docs/model.md says %s", w.measure, w.a, w.b, present.P(c.P), w.p)
		}
		if w.a == "dominant-platform" && !(c.P >= 0.08) {
			t.Errorf("%s, %s − %s: p = %.3g, docs/model.md says p ≥ 0.08", w.measure, w.a, w.b, c.P)
		}
	}
	check("shock1_std_excess_fail_share", "herding", "balanced", 1, 0.05)
	for _, other := range []string{"balanced", "imitation-heavy", "herding"} {
		check("shock1_std_excess_fail_share", "dominant-platform", other, -1, 0.001)
		for _, basis := range []string{"share", "firms", "revenue"} {
			for _, h := range []int{12, 60, 120} {
				m := results.HorizonMeasureName(1, "excess_fail_"+basis, h)
				switch {
				case h > 12:
					check(m, "dominant-platform", other, -1, 0.001)
				case other != "imitation-heavy":
					check(m, "dominant-platform", other, -1, 0.016)
				}
				if h > 12 || basis == "revenue" {
					check(m, "herding", "balanced", 1, 0.05)
				}
				if h != 60 || basis == "firms" {
					check(results.HorizonMeasureName(2, "excess_fail_"+basis, h), "herding", "imitation-heavy", 0, 1)
				}
			}
		}
	}
}

// TestDownturnCashQuarters reproduces docs/model.md section 4, "Who goes
// first in a downturn": the excess failures of the downturn by quarter of
// cash at the shock over 10 seeds (SMBSIM_LONG=downturn, a few seconds).
func TestDownturnCashQuarters(t *testing.T) {
	longtest.Value(t, "downturn")
	out := filepath.Join(t.TempDir(), "downturn")
	mustRun(t, "run", "downturn", "--seeds", "10", "--no-charts", "-q", "--out", out)
	want := []float64{0.141, 0.132, 0.034, 0.002} // docs/model.md, rounded to 0.1 points
	prev := math.Inf(1)
	for q, w := range want {
		m, _ := meanMeasure(t, out, "downturn", "shock1_excess_fail_cash_q"+strconv.Itoa(q+1))
		if math.Abs(m-w) > 0.0006 {
			t.Errorf("q%d: %.4f, docs/model.md says %.3f", q+1, m, w)
		}
		if m > prev {
			t.Errorf("q%d loses more (%.4f) than the quarter with less cash (%.4f)", q+1, m, prev)
		}
		prev = m
	}
}

// TestSectorTemplates checks docs/model.md's reading of the echo chamber:
// watching only one's own sector makes the sectors' strategy mixes more
// distinct (a larger share of the strategy entropy between sectors than with
// half the links across sectors, paired over seeds), yet most of the
// diversity stays within sectors.
func TestSectorTemplates(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sectors")
	mustRun(t, "compare", "echo-chamber", "cross-sector", "--seeds", "12", "--no-charts", "-q", "--out", out)
	const m = "final_between_sector_share"
	echo, xs := meanMeasure(t, out, "echo-chamber", m)
	cross, ys := meanMeasure(t, out, "cross-sector", m)
	d := make([]float64, len(xs))
	for i := range xs {
		d[i] = xs[i] - ys[i]
	}
	r := stats.PairedT(xs, ys)
	if !(stats.Mean(d) > 0 && r.P < 0.01) {
		t.Errorf("echo chamber %.4f, cross-sector %.4f: want a larger share between sectors in the echo chamber at p < 0.01 (p = %.3g)", echo, cross, r.P)
	}
	for _, v := range []float64{echo, cross} {
		if v <= 0.1 || v >= 0.35 {
			t.Errorf("between-sector share %.4f: docs/model.md says about a fifth", v)
		}
	}
}
