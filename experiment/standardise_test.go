package experiment

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// strata builds one run's strata of shock 1 from (type, band, at risk,
// failed, failed in the fork) tuples.
func strata(rows ...[5]int) []Stratum {
	var out []Stratum
	for _, r := range rows {
		out = append(out, Stratum{Shock: 1, Type: agents.Type(r[0]), Band: r[1], AtRisk: r[2], Failed: r[3], FailedFork: r[4]})
	}
	return out
}

// A constructed case with a known answer: two mixes whose imitators lose
// 10 % and innovators 30 % to the shock in both, with the cohorts made up
// 80/20 and 20/80. Their crude excess differs (14 % vs 26 %); standardised
// to the pooled 50/50 composition both are 20 %: the difference was all
// composition.
func TestStandardisedExcessKnownCase(t *testing.T) {
	imit, innov := int(agents.Imitator), int(agents.Innovator)
	a := strata([5]int{imit, 2, 80, 10, 2}, [5]int{innov, 2, 20, 7, 1})
	b := strata([5]int{imit, 2, 20, 3, 1}, [5]int{innov, 2, 80, 30, 6})
	crude := func(run []Stratum) float64 {
		n, d := 0, 0
		for _, s := range run {
			n, d = n+s.AtRisk, d+s.Failed-s.FailedFork
		}
		return float64(d) / float64(n)
	}
	if ca, cb := crude(a), crude(b); math.Abs(ca-0.14) > 1e-12 || math.Abs(cb-0.26) > 1e-12 {
		t.Fatalf("crude excess %v and %v, want 0.14 and 0.26", ca, cb)
	}
	w := StandardWeights([][]Stratum{a, b}, 1)
	if len(w) != 1 || w[0][stratumIndex(agents.Imitator, 2)] != 0.5 || w[0][stratumIndex(agents.Innovator, 2)] != 0.5 {
		t.Fatalf("pooled weights %v, want imitators and innovators of 60+ at 0.5 each", w)
	}
	for name, run := range map[string][]Stratum{"a": a, "b": b} {
		if got := StandardisedExcess(run, 1, w[0]); math.Abs(got-0.2) > 1e-12 {
			t.Errorf("%s: standardised excess %v, want 0.2", name, got)
		}
		// Standardised to its own composition, a run's excess is its crude excess.
		own := StandardWeights([][]Stratum{run}, 1)
		if got := StandardisedExcess(run, 1, own[0]); math.Abs(got-crude(run)) > 1e-12 {
			t.Errorf("%s: standardised to its own cohort %v, want the crude %v", name, got, crude(run))
		}
	}
	// A stratum the run has no firm in drops out and the rest is rescaled;
	// a shock not compared is NaN.
	c := strata([5]int{imit, 2, 10, 1, 0})
	if got := StandardisedExcess(c, 1, w[0]); math.Abs(got-0.1) > 1e-12 {
		t.Errorf("one stratum: %v, want its rate 0.1", got)
	}
	if got := StandardisedExcess(c, 2, w[0]); !math.IsNaN(got) {
		t.Errorf("shock 2 not compared: %v, want NaN", got)
	}
	if w := StandardWeights(nil, 1); !math.IsNaN(w[0][0]) {
		t.Errorf("weights of no run: %v, want NaN", w[0])
	}
}

func TestAgeBand(t *testing.T) {
	for _, c := range []struct{ age, band int }{{0, 0}, {11, 0}, {12, 1}, {59, 1}, {60, 2}, {300, 2}} {
		if got := ageBand(c.age); got != c.band {
			t.Errorf("age %d: band %d, want %d", c.age, got, c.band)
		}
	}
}

// In real runs strata.csv partitions each shock's at-risk cohort: over a
// run's strata the excess failures sum to its crude excess
// (shock<k>_excess_fail_share), and the standardised excess is in
// summary.json and tests.csv.
func TestStrataPartitionTheCohort(t *testing.T) {
	shift := sim.Shock{Kind: sim.DemandShift, Tick: 25, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}
	p := simPlan([]sim.Shock{shift}, 4)
	p.Variants[1].Config.Shocks = []sim.Shock{shift} // the same shock: the two are tested against each other
	dir := t.TempDir()
	execute(t, p, Options{Out: dir, Factory: SimFactory})
	m := runMeasures(t, dir)
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		v    string
		seed uint64
	}
	atRisk, excess, rows := map[key]int{}, map[key]int{}, map[key]int{}
	for _, r := range d.Strata {
		if r.Shock != 1 {
			continue
		}
		k := key{r.Variant, r.Seed}
		atRisk[k] += r.AtRisk
		excess[k] += r.Failed - r.FailedFork
		rows[k]++
	}
	if len(rows) != 8 {
		t.Fatalf("strata.csv covers %d runs, want 8", len(rows))
	}
	for k, n := range rows {
		if n != numStrata {
			t.Errorf("%v: %d strata, want %d", k, n, numStrata)
		}
		want := m[k.v][results.FormatSeed(k.seed)]["shock1_excess_fail_share"]
		if got := float64(excess[k]) / float64(atRisk[k]); math.Abs(got-want) > 1e-12 || atRisk[k] == 0 {
			t.Errorf("%v: strata give excess %v over %d firms, runs.csv %v", k, got, atRisk[k], want)
		}
	}
	s, err := results.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	std := results.ShockMeasureName(1, StdExcessSuffix)
	for _, v := range s.Variants {
		if ms, ok := v.Measures[std]; !ok || ms.N != 4 || math.IsNaN(float64(ms.Mean)) {
			t.Errorf("%s: %s = %+v, want a mean over 4 seeds", v.Name, std, ms)
		}
	}
	tested := false
	for _, tt := range s.Tests {
		tested = tested || tt.Measure == std && tt.Test == results.TestPairedT
	}
	if !tested {
		t.Errorf("tests.csv has no paired test of %s", std)
	}
}
