package experiment

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/experiment/stats"
	"github.com/smbsim/smbsim/sim"
)

// Number is a float64 that marshals to JSON as null when it is NaN or
// infinite (not measured), and otherwise in its shortest exact form.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler (null is NaN).
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = Number(f)
	return err
}

// Summary is the content of summary.json.
type Summary struct {
	Scenario string           `json:"scenario"`
	Command  string           `json:"command"`
	Metrics  []string         `json:"metrics"`
	Seeds    []uint64         `json:"seeds"`
	Shocks   []ShockInfo      `json:"shocks"`
	Variants []VariantSummary `json:"variants"`
	Tests    []Test           `json:"tests"`
	Logrank  *Logrank         `json:"logrank,omitempty"`
	Sweep    *SweepInfo       `json:"sweep,omitempty"`
}

// ShockInfo describes one scheduled shock.
type ShockInfo struct {
	Index    int     `json:"index"` // 1-based, in scenario order: the k of shock<k>_* measures
	Kind     string  `json:"kind"`
	Tick     int     `json:"tick"`
	Duration int     `json:"duration"`
	Severity float64 `json:"severity"`
	Label    string  `json:"label"`
}

// VariantSummary is one variant's measures across seeds and per seed.
type VariantSummary struct {
	Name     string                  `json:"name"`
	Runs     int                     `json:"runs"`
	Measures map[string]MeasureStats `json:"measures"`
	PerSeed  []SeedMeasures          `json:"per_seed"`
}

// MeasureStats is a measure's mean across seeds with its 95 % t-interval.
type MeasureStats struct {
	N      int    `json:"n"`
	Mean   Number `json:"mean"`
	SD     Number `json:"sd"`
	CILow  Number `json:"ci_low"`
	CIHigh Number `json:"ci_high"`
}

// SeedMeasures holds the measures of one run.
type SeedMeasures struct {
	Seed     uint64            `json:"seed"`
	Measures map[string]Number `json:"measures"`
}

// Test is one two-sample comparison of a measure between two variants.
type Test struct {
	Measure      string `json:"measure"`
	VariantA     string `json:"variant_a"`
	VariantB     string `json:"variant_b"`
	Test         string `json:"test"` // "welch_t" or "mann_whitney_u"
	Statistic    Number `json:"statistic"`
	P            Number `json:"p"`
	Effect       string `json:"effect"` // "mean_difference" (a − b) or "cliffs_delta"
	EffectSize   Number `json:"effect_size"`
	EffectCILow  Number `json:"effect_ci_low"`
	EffectCIHigh Number `json:"effect_ci_high"`
}

// Test and effect names.
const (
	TestWelch         = "welch_t"
	TestMannWhitney   = "mann_whitney_u"
	EffectMeanDiff    = "mean_difference"
	EffectCliffsDelta = "cliffs_delta"
)

// Logrank is the log-rank test of the variants' survival curves (all
// firms): overall, and for every pair.
type Logrank struct {
	Chi2  Number        `json:"chi2"`
	DF    int           `json:"df"`
	P     Number        `json:"p"`
	Pairs []LogrankPair `json:"pairs"`
}

// LogrankPair is the log-rank test between two variants.
type LogrankPair struct {
	VariantA string `json:"variant_a"`
	VariantB string `json:"variant_b"`
	Chi2     Number `json:"chi2"`
	P        Number `json:"p"`
}

// SweepInfo lists a sweep's parameters and the values of each point.
type SweepInfo struct {
	Params []string     `json:"params"`
	Points []SweepPoint `json:"points"`
}

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Name   string            `json:"name"`
	Values map[string]string `json:"values"`
}

// MeasureOrder returns the measure names of the plan, in output order: the
// measures of the variant with the most shocks.
func (p *Plan) MeasureOrder() []string {
	n := 0
	for _, v := range p.Variants {
		n = max(n, len(v.Config.Shocks))
	}
	return MeasureNames(n)
}

func intervalOf(w stats.Welford) MeasureStats {
	iv := stats.TInterval(w, confidence)
	return MeasureStats{N: iv.N, Mean: Number(iv.Mean), SD: Number(iv.SD), CILow: Number(iv.Low), CIHigh: Number(iv.High)}
}

func welfordOf(xs []float64) stats.Welford {
	var w stats.Welford
	for _, x := range xs {
		w.Add(x)
	}
	return w
}

// shockInfos describes the shocks of cfg.
func shockInfos(cfg *sim.Config, labels []string) []ShockInfo {
	out := make([]ShockInfo, 0, len(cfg.Shocks))
	for i, sh := range cfg.Shocks {
		label := strings.ReplaceAll(string(sh.Kind), "_", " ")
		if i < len(labels) && labels[i] != "" {
			label = labels[i]
		}
		out = append(out, ShockInfo{Index: i + 1, Kind: string(sh.Kind), Tick: sh.Tick, Duration: sh.Duration, Severity: sh.Severity, Label: label})
	}
	return out
}

// summarize computes summary.json from the aggregated runs.
func (a *aggregator) summarize() *Summary {
	p := a.plan
	s := &Summary{
		Scenario: p.Scenario,
		Command:  p.Command,
		Metrics:  sim.MetricNames(),
		Seeds:    append([]uint64{}, p.Seeds...),
		Shocks:   shockInfos(&p.Variants[0].Config, p.ShockLabels),
		Tests:    []Test{},
	}
	for vi, v := range p.Variants {
		va := &a.variants[vi]
		names := MeasureNames(len(v.Config.Shocks))
		vs := VariantSummary{Name: v.Name, Runs: len(va.seeds), Measures: map[string]MeasureStats{}, PerSeed: []SeedMeasures{}}
		for m, name := range names {
			vs.Measures[name] = intervalOf(welfordOf(va.measureValues(m)))
		}
		for i, seed := range va.seeds {
			sm := SeedMeasures{Seed: seed, Measures: map[string]Number{}}
			for m, x := range va.measures[i] {
				if m < len(names) {
					sm.Measures[names[m]] = Number(x)
				}
			}
			vs.PerSeed = append(vs.PerSeed, sm)
		}
		s.Variants = append(s.Variants, vs)
	}
	if p.Command != CommandRun && len(p.Variants) > 1 {
		s.Tests = a.tests()
		s.Logrank = a.logrank()
	}
	if p.Command == CommandSweep {
		si := &SweepInfo{Params: append([]string{}, p.Params...), Points: []SweepPoint{}}
		for _, v := range p.Variants {
			pt := SweepPoint{Name: v.Name, Values: map[string]string{}}
			for i, k := range p.Params {
				pt.Values[k] = v.Values[i]
			}
			si.Points = append(si.Points, pt)
		}
		s.Sweep = si
	}
	return s
}

// tests compares every pair of variants on every measure both have.
func (a *aggregator) tests() []Test {
	p := a.plan
	order := p.MeasureOrder()
	var out []Test
	for m, name := range order {
		for i := range p.Variants {
			ni := len(MeasureNames(len(p.Variants[i].Config.Shocks)))
			if m >= ni {
				continue
			}
			xa := a.variants[i].measureValues(m)
			for j := i + 1; j < len(p.Variants); j++ {
				nj := len(MeasureNames(len(p.Variants[j].Config.Shocks)))
				if m >= nj {
					continue
				}
				xb := a.variants[j].measureValues(m)
				w := stats.WelchT(xa, xb)
				d, dlo, dhi := stats.DiffCI(xa, xb, confidence)
				out = append(out, Test{Measure: name, VariantA: p.Variants[i].Name, VariantB: p.Variants[j].Name,
					Test: TestWelch, Statistic: Number(w.Statistic), P: Number(w.P),
					Effect: EffectMeanDiff, EffectSize: Number(d), EffectCILow: Number(dlo), EffectCIHigh: Number(dhi)})
				u := stats.MannWhitneyU(xa, xb)
				cd, clo, chi := nan, nan, nan
				if countNonNaN(xa) > 0 && countNonNaN(xb) > 0 {
					cd, clo, chi = stats.CliffsDeltaCI(xa, xb, confidence)
				}
				out = append(out, Test{Measure: name, VariantA: p.Variants[i].Name, VariantB: p.Variants[j].Name,
					Test: TestMannWhitney, Statistic: Number(u.Statistic), P: Number(u.P),
					Effect: EffectCliffsDelta, EffectSize: Number(cd), EffectCILow: Number(clo), EffectCIHigh: Number(chi)})
			}
		}
	}
	if out == nil {
		out = []Test{}
	}
	return out
}

func countNonNaN(xs []float64) int {
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			n++
		}
	}
	return n
}

// logrank tests the variants' all-firm survival curves against each other.
func (a *aggregator) logrank() *Logrank {
	groups := make([]*lifeTable, len(a.variants))
	for i := range a.variants {
		groups[i] = &a.variants[i].survival[groupAll]
	}
	chi2, df, p := logRank(groups)
	lr := &Logrank{Chi2: Number(chi2), DF: df, P: Number(p), Pairs: []LogrankPair{}}
	for i := range groups {
		for j := i + 1; j < len(groups); j++ {
			c, _, pp := logRank([]*lifeTable{groups[i], groups[j]})
			lr.Pairs = append(lr.Pairs, LogrankPair{VariantA: a.plan.Variants[i].Name, VariantB: a.plan.Variants[j].Name, Chi2: Number(c), P: Number(pp)})
		}
	}
	return lr
}

// encodeJSON renders v indented, with a trailing newline.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
