package experiment

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

func TestMeasureShock(t *testing.T) {
	// Ticks 1..12; the shock acts at tick 5; level before it (tick 4) is 100.
	alive := []float64{100, 100, 100, 100, 80, 70, 75, 85, 92, 95, 99, 100}
	margin := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0, 0, 0, 0, 0, 0, 0}
	firms := []Firm{
		{Born: 0, Died: -1},                        // alive throughout
		{Born: 0, Died: 3},                         // died before the shock: not at risk
		{Born: 0, Died: 5},                         // dies at the shock's tick: fails
		{Born: 2, Died: 7},                         // fails within the window
		{Born: 1, Died: 9},                         // dies after the window (ticks 5..8)
		{Born: 5, Died: 6},                         // born at the shock: not at risk
		{Type: agents.Adaptive, Born: 4, Died: -1}, // at risk, survives
	}
	e := MeasureShock(5, 4, 100, alive, margin, firms)
	if want := (0.1 + 0.2 + 0.3 + 0.4) / 4; math.Abs(e.PreMargin-want) > 1e-12 {
		t.Errorf("pre margin %v, want %v", e.PreMargin, want)
	}
	if want := 2.0 / 5; e.FailShare != want {
		t.Errorf("fail share %v, want %v", e.FailShare, want)
	}
	if want := 0.3; math.Abs(e.DropDepth-want) > 1e-12 {
		t.Errorf("drop depth %v, want %v", e.DropDepth, want)
	}
	// Below 90 at tick 5; back at ≥ 90 at tick 9: ticks 5,6,7,8,9 = 5.
	if e.RecoveryTicks != 5 {
		t.Errorf("recovery %v, want 5", e.RecoveryTicks)
	}

	// Never recovers.
	e = MeasureShock(5, 4, 100, []float64{100, 100, 100, 100, 50, 50, 60, 70}, margin, nil)
	if !math.IsNaN(e.RecoveryTicks) || !math.IsNaN(e.FailShare) || e.DropDepth != 0.5 {
		t.Errorf("never recovers: %+v", e)
	}
	// No fall below 90 %: recovery 0; a rise is not a negative drop.
	e = MeasureShock(2, 3, 100, []float64{100, 95, 120, 130}, margin, nil)
	if e.RecoveryTicks != 0 || e.DropDepth != 0.05 {
		t.Errorf("mild shock: %+v", e)
	}
	e = MeasureShock(2, 3, 100, []float64{100, 101, 120, 130}, margin, nil)
	if e.DropDepth != 0 {
		t.Errorf("no drop: %+v", e)
	}
	// Shock at tick 1: level is the initial population, no pre-shock margin.
	e = MeasureShock(1, 2, 50, []float64{40, 44, 46}, margin, nil)
	if !math.IsNaN(e.PreMargin) || e.DropDepth != 0.2 || e.RecoveryTicks != 3 {
		t.Errorf("shock at tick 1: %+v", e)
	}
	// Run ended before the shock.
	e = MeasureShock(20, 5, 100, alive, margin, firms)
	if !math.IsNaN(e.FailShare) || !math.IsNaN(e.DropDepth) || !math.IsNaN(e.RecoveryTicks) {
		t.Errorf("shock after the end: %+v", e)
	}
}

// TestMeasureTable ties the measures written to the table of measures
// (results.Measures): every engine metric and every per-run measure has a
// row, every row names something written, and no name is written twice.
func TestMeasureTable(t *testing.T) {
	metrics := map[string]bool{}
	for _, m := range sim.MetricNames() {
		metrics[m] = true
		if _, ok := results.LookupMetric(m); !ok {
			t.Errorf("engine metric %s has no row in results.Measures (add one in results/measures.go)", m)
		}
	}
	const shocks = 2
	horizons := []int{12, 60}
	written := map[string]bool{}
	for _, name := range SummaryMeasureNames(shocks, horizons) {
		if written[name] {
			t.Errorf("measure %s written twice", name)
		}
		written[name] = true
		if _, ok := results.LookupMeasure(name); !ok {
			t.Errorf("measure %s has no row in results.Measures (add one in results/measures.go)", name)
		}
	}
	for _, m := range results.Measures() {
		var ok bool
		switch m.Scope {
		case results.ScopeMetric:
			ok = metrics[m.Name]
		case results.ScopeRun:
			ok = written[m.Name]
		case results.ScopeShock:
			ok = written[results.ShockMeasureName(1, m.Name)] && written[results.ShockMeasureName(shocks, m.Name)]
		case results.ScopeHorizon:
			ok = written[results.HorizonMeasureName(1, m.Name, 12)] && written[results.HorizonMeasureName(shocks, m.Name, 60)]
		}
		if !ok {
			t.Errorf("row %s (scope %d) names nothing the engine or experiment writes", m.Name, m.Scope)
		}
		if !(m.Lo < m.Hi) || m.Label == "" {
			t.Errorf("row %s: range [%v, %v], label %q", m.Name, m.Lo, m.Hi, m.Label)
		}
		if (m.Scope == results.ScopeShock || m.Scope == results.ScopeHorizon) && !strings.Contains(m.Label, "{shock}") {
			t.Errorf("row %s: a per-shock label names its shock with {shock}: %q", m.Name, m.Label)
		}
	}
	// runs.csv order: the final metrics, the run measures, then shock by
	// shock its measures and its excess failures at each horizon and basis.
	names := MeasureNames(shocks, horizons)
	if !strings.HasPrefix(names[0], "final_") || names[len(names)-1] != results.HorizonMeasureName(shocks, "excess_fail_"+Bases[len(Bases)-1], 60) {
		t.Errorf("measure order: %v", names)
	}
	if m, ok := results.LookupMeasure("shock2_excess_fail_firms_h60"); !ok || m.Kind != results.Count || !strings.Contains(m.Label, "60 months") {
		t.Errorf("shock2_excess_fail_firms_h60: row %+v, %v", m, ok)
	}
}

func TestMeasureCounterfactual(t *testing.T) {
	// Shock at tick 3, window 3 (ticks 3..5); alive at the shock 100.
	s := newSeries(6)
	for tick, a := range []float64{100, 100, 90, 80, 85, 95} {
		s.add(metricsRow(map[int]float64{sim.MAlive: a, sim.MRevenue: 10, sim.MEffective: 4}))
		if tick >= 2 {
			s.revenue[tick] = 8
		}
	}
	s.effective[4] = 3
	f := &forkRun{start: 3, s: newSeries(3)}
	for _, a := range []float64{98, 97, 96} {
		f.s.add(metricsRow(map[int]float64{sim.MAlive: a, sim.MRevenue: 10, sim.MEffective: 4}))
	}
	firms := []Firm{{Born: 0, Died: -1}, {Born: 0, Died: 3}, {Born: 0, Died: 4}, {Born: 1, Died: 9}}
	f.cohort = cohortOf(3, []Firm{{Born: 0, Died: -1}, {Born: 0, Died: 5}, {Born: 0, Died: -1}, {Born: 1, Died: 9}})
	c := MeasureCounterfactual(3, 3, 100, s, firms, f)
	if c.BackgroundFailShare != 0.25 || c.ExcessFailShare != 0.25 {
		t.Errorf("fail shares: %+v", c)
	}
	if want := (97 - 80) / 100.0; math.Abs(c.ExcessDropDepth-want) > 1e-15 {
		t.Errorf("excess drop depth %v, want %v", c.ExcessDropDepth, want)
	}
	if want := 6 / 30.0; math.Abs(c.RevenueLostShare-want) > 1e-15 {
		t.Errorf("revenue lost %v, want %v", c.RevenueLostShare, want)
	}
	if c.EffectiveGap != -0.25 || c.End != 5 {
		t.Errorf("gap %v at %d, want -0.25 at 5", c.EffectiveGap, c.End)
	}
	// A fork that ended early cuts the window.
	f.s.alive, f.s.revenue, f.s.effective = f.s.alive[:1], f.s.revenue[:1], f.s.effective[:1]
	if c := MeasureCounterfactual(3, 3, 100, s, firms, f); c.End != 3 {
		t.Errorf("short fork: end %d, want 3", c.End)
	}
	// The run ended before the shock: nothing measured.
	if c := MeasureCounterfactual(9, 3, 100, s, firms, f); !math.IsNaN(c.ExcessFailShare) {
		t.Errorf("shock after the end: %+v", c)
	}
}

// cohortOf is the at-risk cohort of a shock at tick t as runFork keeps it,
// from the fork's firm records (index = ID): the firms in business just
// before t, with the tick each failed in the fork.
func cohortOf(t int, fork []Firm) []cohortFirm {
	var out []cohortFirm
	for i, f := range fork {
		if f.Born < t && (f.Died < 0 || f.Died >= t) {
			out = append(out, cohortFirm{id: i, forkDied: f.Died})
		}
	}
	return out
}

func metricsRow(v map[int]float64) []float64 {
	row := make([]float64, sim.NumMetrics)
	for k, x := range v {
		row[k] = x
	}
	return row
}

func randomLifetimes(r *rand.Rand, n int, hazard float64) ([]stats.Lifetime, *lifeTable) {
	var ls []stats.Lifetime
	lt := &lifeTable{}
	for range n {
		t := r.IntN(40)
		ev := r.Float64() < hazard
		ls = append(ls, stats.Lifetime{T: float64(t), Event: ev})
		lt.add(t, ev)
	}
	return ls, lt
}

func TestLifeTableMatchesStats(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var groups [][]stats.Lifetime
	var tables []*lifeTable
	for g := range 3 {
		ls, lt := randomLifetimes(r, 50+30*g, 0.5+0.15*float64(g))
		groups, tables = append(groups, ls), append(tables, lt)
		want := stats.KaplanMeier(ls, 0.95)
		got := lt.kaplanMeier(0.95)
		if len(got) != len(want) {
			t.Fatalf("group %d: %d points, want %d", g, len(got), len(want))
		}
		for i := range want {
			a, b := got[i], want[i]
			if a.T != b.T || a.AtRisk != b.AtRisk || a.Events != b.Events || a.Censored != b.Censored ||
				!same(a.Survival, b.Survival) || !same(a.Low, b.Low) || !same(a.High, b.High) {
				t.Fatalf("group %d point %d: %+v, want %+v", g, i, a, b)
			}
		}
	}
	c1, df1, p1 := logRank(tables)
	c2, df2, p2 := stats.LogRank(groups)
	if !same(c1, c2) || df1 != df2 || !same(p1, p2) {
		t.Errorf("log-rank: (%v, %d, %v), stats: (%v, %d, %v)", c1, df1, p1, c2, df2, p2)
	}
	c1, _, _ = logRank(tables[:2])
	c2, _, _ = stats.LogRank(groups[:2])
	if !same(c1, c2) {
		t.Errorf("pairwise log-rank %v, stats %v", c1, c2)
	}
}

// same compares bit for bit, NaN equal to NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// A textbook example: Kaplan–Meier of the 6-MP arm of Freireich et al.
// (1963), as tabulated by Klein & Moeschberger (Table 4.1A).
func TestKaplanMeierTextbook(t *testing.T) {
	events := []int{6, 6, 6, 7, 10, 13, 16, 22, 23}
	censored := []int{6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35}
	lt := &lifeTable{}
	for _, x := range events {
		lt.add(x, true)
	}
	for _, x := range censored {
		lt.add(x, false)
	}
	want := map[float64]float64{6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
	pts := lt.kaplanMeier(0.95)
	if len(pts) != 1+len(want) {
		t.Fatalf("%d points", len(pts))
	}
	for _, p := range pts[1:] {
		if math.Abs(p.Survival-want[p.T]) > 0.0005 {
			t.Errorf("S(%v) = %.4f, want %.3f", p.T, p.Survival, want[p.T])
		}
	}
}

// TestTargetShare: shock<k>_target_share is the shock_target_share metric
// of the shock's first tick for a shock that hits an option, NaN for the
// others and for a shock after the end of the run.
func TestTargetShare(t *testing.T) {
	cfg := sim.DefaultConfig()
	s := newSeries(5)
	for tick := 1; tick <= 5; tick++ {
		met := make([]float64, sim.NumMetrics)
		met[sim.MShockTarget] = math.NaN()
		if tick >= 3 {
			met[sim.MShockTarget] = float64(tick) / 10
		}
		s.add(met)
	}
	for _, c := range []struct {
		sh   sim.Shock
		want float64
	}{
		{sim.Shock{Kind: sim.PlatformFailure, Tick: 3, Dimension: -1}, 0.3},
		{sim.Shock{Kind: sim.TechDisruption, Tick: 4, Dimension: 0}, 0.4},
		{sim.Shock{Kind: sim.Regulation, Tick: 4, Dimension: 1}, 0.4},
		{sim.Shock{Kind: sim.Regulation, Tick: 4, Dimension: -1}, math.NaN()}, // a sector, not an option
		{sim.Shock{Kind: sim.DemandShift, Tick: 3, Dimension: -1}, math.NaN()},
		{sim.Shock{Kind: sim.PlatformFailure, Tick: 9, Dimension: -1}, math.NaN()}, // after the end
	} {
		got := targetShare(&cfg, &c.sh, s)
		if !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s at tick %d: %v, want %v", c.sh.Kind, c.sh.Tick, got, c.want)
		}
	}
	noPlatform := cfg
	noPlatform.Strategy.PlatformDim = -1
	if got := targetShare(&noPlatform, &sim.Shock{Kind: sim.PlatformFailure, Tick: 3}, s); !math.IsNaN(got) {
		t.Errorf("platform failure without a platform dimension: %v", got)
	}
}

// excessCurve counts, tick by tick, the failures of the firms in business
// at the shock in the run minus those in the fork, as a share, a number
// and a share of revenue at the shock; firms born at or after the shock
// and firms already gone do not count.
func TestExcessCurve(t *testing.T) {
	s := newSeries(10)
	for range 10 {
		s.add(metricsRow(map[int]float64{sim.MAlive: 4}))
	}
	// Shock at tick 5; firms 0–3 in business (revenue 1, 2, 3, 4), firm 4
	// died before it, firm 5 was born at it.
	run := []Firm{{ID: 0, Died: 5}, {ID: 1, Died: 7}, {ID: 2, Died: -1}, {ID: 3, Died: 9}, {ID: 4, Died: 3}, {ID: 5, Born: 5, Died: 6}}
	fork := []Firm{{ID: 0, Died: -1}, {ID: 1, Died: 6}, {ID: 2, Died: -1}, {ID: 3, Died: -1}, {ID: 4, Died: 3}, {ID: 5, Born: 5, Died: 5}}
	f := &forkRun{start: 5, s: newSeries(4), cohort: cohortOf(5, fork), revenue: []float64{1, 2, 3, 4, math.NaN()}}
	for range 4 { // the fork reached ticks 5–8
		f.s.add(metricsRow(map[int]float64{sim.MAlive: 4}))
	}
	c := excessCurve(5, 10, s, run, f)
	// h:      1 (t5) 2 (t6) 3 (t7) 4 (t8)
	// run:    +1     .      +1     .       cumulative 1, 1, 2, 2
	// fork:   .      +1     .      .       cumulative 0, 1, 1, 1
	wantFirms := []float64{1, 0, 1, 1}
	wantRev := []float64{1, -1, 1, 1} // run loses firms 0 (1) and 1 (2), the fork firm 1 (2)
	if len(c) != 3 || len(c[1]) != 4 {
		t.Fatalf("curve %v: want 3 bases × 4 ticks (cut where the fork ends)", c)
	}
	for h := range wantFirms {
		if c[1][h] != wantFirms[h] || c[0][h] != wantFirms[h]/4 || c[2][h] != wantRev[h]/10 {
			t.Errorf("h=%d: share %v firms %v revenue %v, want %v %v %v", h+1, c[0][h], c[1][h], c[2][h], wantFirms[h]/4, wantFirms[h], wantRev[h]/10)
		}
	}
}
