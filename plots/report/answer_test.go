package report

import (
	"math"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/results"
)

// ms is a measure across seeds with its interval.
func ms(mean, lo, hi float64) results.MeasureStats {
	return results.MeasureStats{N: 10, Mean: results.Number(mean), CILow: results.Number(lo), CIHigh: results.Number(hi)}
}

// oneVariant is a run of one variant over seeds with the given shocks and
// their excess failures (shock<k>_excess_fail_share; absent when excess
// has fewer entries, no mean when NaN).
func oneVariant(seeds, window int, shocks []results.ShockInfo, excess []results.MeasureStats) *plots.Results {
	m := map[string]results.MeasureStats{}
	for i, e := range excess {
		m[results.ShockMeasureName(i+1, "excess_fail_share")] = e
	}
	s := results.Summary{Command: "run", Shocks: shocks, Variants: []results.VariantSummary{{Name: "market", Measures: m}},
		World: &results.WorldInfo{ShockWindow: window, Description: "What do the shocks cost?"}}
	for i := range seeds {
		s.Seeds = append(s.Seeds, uint64(i+1))
	}
	return &plots.Results{Dir: results.Dir{Summary: s}, Variants: []string{"market"}}
}

var (
	demandShift = results.ShockInfo{Index: 1, Kind: "demand_shift", Tick: 100}
	platformOut = results.ShockInfo{Index: 2, Kind: "platform_failure", Tick: 200, Label: "platform outage"}
	downturn    = results.ShockInfo{Index: 3, Kind: "downturn", Tick: 300}
)

// TestAnswerRanking: for a single variant with several shocks the answer
// names the shock that caused the most failures beyond the background and
// the one that caused the fewest, with their figures in the report's
// rounding; ties keep the schedule order, a shock whose runs ended before
// it is not ranked, and one shock gets a sentence of its own.
func TestAnswerRanking(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name   string
		shocks []results.ShockInfo
		excess []results.MeasureStats
		want   string
	}{
		{"no shock", nil, nil, ""},
		{"no mean", []results.ShockInfo{demandShift}, []results.MeasureStats{ms(nan, nan, nan)}, ""},
		{"one shock", []results.ShockInfo{demandShift}, []results.MeasureStats{ms(0.093, 0.082, 0.104)},
			"In this market, the demand shift at tick 100 caused 9.3\u00a0% (8.2–10.4\u00a0%) excess failures among the firms in business."},
		{"three shocks", []results.ShockInfo{demandShift, platformOut, downturn},
			[]results.MeasureStats{ms(0.05, 0.04, 0.06), ms(0.021, -0.003, 0.045), ms(0.125, 0.11, 0.14)},
			"In this market, the downturn at tick 300 caused the most failures beyond the background, 12.5\u00a0% (11.0–14.0\u00a0%) excess failures, " +
				"and the platform outage at tick 200 the fewest, 2.1\u00a0% (−0.3 to 4.5\u00a0%) excess failures; later shocks hit a market already changed by the earlier ones."},
		{"tie keeps the schedule order", []results.ShockInfo{demandShift, platformOut, downturn},
			[]results.MeasureStats{ms(0.05, 0.04, 0.06), ms(0.05, 0.03, 0.07), ms(0.01, 0, 0.02)},
			"In this market, the demand shift at tick 100 caused the most failures beyond the background, 5.0\u00a0% (4.0–6.0\u00a0%) excess failures, " +
				"and the downturn at tick 300 the fewest, 1.0\u00a0% (0.0–2.0\u00a0%) excess failures; later shocks hit a market already changed by the earlier ones."},
		{"a shock after the runs ended is not ranked", []results.ShockInfo{demandShift, platformOut, downturn},
			[]results.MeasureStats{ms(0.05, 0.04, 0.06), ms(0.08, 0.07, 0.09), ms(nan, nan, nan)},
			"In this market, the platform outage at tick 200 caused the most failures beyond the background, 8.0\u00a0% (7.0–9.0\u00a0%) excess failures, " +
				"and the demand shift at tick 100 the fewest, 5.0\u00a0% (4.0–6.0\u00a0%) excess failures; later shocks hit a market already changed by the earlier ones."},
		{"no interval", []results.ShockInfo{demandShift}, []results.MeasureStats{ms(0.093, nan, nan)},
			"In this market, the demand shift at tick 100 caused 9.3\u00a0% excess failures among the firms in business."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := oneVariant(10, 50, c.shocks, c.excess)
			if got := answerRanking(r); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			o := openingOf(r)
			switch {
			case c.want == "" && (o == nil || len(o.Answer) != 0 || o.Caveats != nil):
				t.Errorf("without an answer the opening is the question alone: %+v", o)
			case c.want != "" && (o == nil || len(o.Answer) != 1 || o.Answer[0] != c.want || len(o.Caveats) == 0):
				t.Errorf("the opening does not give the answer and its caveats: %+v", o)
			}
		})
	}
}

// TestCaveats: the caveats give the seeds, the significance level, the
// window over which excess failures count (or that it is the shock
// window, when the results do not record it), whether runs ended inside a
// shock's aftermath, and that the answer is the model's.
func TestCaveats(t *testing.T) {
	const (
		chance    = "The figures are means over %d seeds with 95\u00a0% intervals; a difference with p\u00a0≥\u00a00.05 may be chance, and among many tests about 1 in 20 reaches p\u00a0<\u00a00.05 by chance alone."
		excess    = "Excess failures count the firms in business when the shock hit that failed %s, minus those that failed in the same market run without the shock (same seeds and draws); other horizons or ways of counting may rank the variants differently."
		aftermath = "Some runs end inside a shock's aftermath, so their final values describe a market still moving."
		model     = "The answer holds for this scenario's parameters: a simulation shows what the model's rules imply, not a forecast."
	)
	cases := []struct {
		name      string
		seeds     int
		window    int
		aftermath float64 // mean of final_in_aftermath; NaN: not measured
		want      []string
	}{
		{"settled runs", 10, 50, 0, []string{strings.Replace(chance, "%d", "10", 1), strings.Replace(excess, "%s", "within 50 ticks", 1), model}},
		{"in an aftermath", 3, 24, 0.4, []string{strings.Replace(chance, "%d", "3", 1), strings.Replace(excess, "%s", "within 24 ticks", 1), aftermath, model}},
		{"window not recorded", 30, 0, math.NaN(), []string{strings.Replace(chance, "%d", "30", 1), strings.Replace(excess, "%s", "within the shock window", 1), model}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := oneVariant(c.seeds, c.window, []results.ShockInfo{demandShift}, []results.MeasureStats{ms(0.05, 0.04, 0.06)})
			if !math.IsNaN(c.aftermath) {
				r.Summary.Variants[0].Measures["final_in_aftermath"] = ms(c.aftermath, 0, 1)
			}
			got := caveats(r)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
