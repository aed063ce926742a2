package sim

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/agents"
)

// idealsAt runs cfg to tick t and returns every segment's ideal.
func idealsAt(t *testing.T, cfg Config, seed uint64, tick int) []uint64 {
	t.Helper()
	w, err := New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	for w.Tick() < tick {
		w.Step()
	}
	out := make([]uint64, len(w.market.seg))
	for g := range w.market.seg {
		out[g] = w.market.seg[g].ideal
	}
	return out
}

func sameIdeals(a, b []uint64) bool {
	for g := range a {
		if a[g] != b[g] {
			return false
		}
	}
	return len(a) == len(b)
}

// Demand shifts compose: when a temporary shift ends, the practices it
// changed go back to what the other shifts made of them, not to the
// initial ideal.
func TestDemandShiftsCompose(t *testing.T) {
	base := DefaultConfig()
	base.Population.Firms = 120
	base.Ticks = 60
	perm := Shock{Kind: DemandShift, Tick: 10, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}
	temp := Shock{Kind: DemandShift, Tick: 20, Duration: 10, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}
	t.Run("successive", func(t *testing.T) {
		cfg := base
		cfg.Shocks = []Shock{perm, temp}
		onlyPerm := base
		onlyPerm.Shocks = []Shock{perm}
		afterPerm := idealsAt(t, onlyPerm, 4, 12)
		during := idealsAt(t, cfg, 4, 25)
		after := idealsAt(t, cfg, 4, 35)
		if sameIdeals(during, afterPerm) {
			t.Fatal("the temporary shift changed no ideal")
		}
		if !sameIdeals(after, afterPerm) {
			t.Errorf("after the temporary shift ends the ideals are %x, want the permanent shift's %x", after, afterPerm)
		}
		initial := idealsAt(t, base, 4, 1)
		if sameIdeals(after, initial) {
			t.Error("the permanent shift was undone")
		}
	})
	t.Run("overlapping", func(t *testing.T) {
		long := Shock{Kind: DemandShift, Tick: 10, Duration: 30, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}
		short := Shock{Kind: DemandShift, Tick: 15, Duration: 5, Severity: 0.75, Sector: -1, Segment: -1, Dimension: -1, Option: -1}
		cfg := base
		cfg.Shocks = []Shock{long, short}
		onlyLong := base
		onlyLong.Shocks = []Shock{long}
		if got, want := idealsAt(t, cfg, 9, 25), idealsAt(t, onlyLong, 9, 12); !sameIdeals(got, want) {
			t.Errorf("after the short shift ends: %x, want the long shift's %x", got, want)
		}
		if got, want := idealsAt(t, cfg, 9, 45), idealsAt(t, base, 9, 1); !sameIdeals(got, want) {
			t.Errorf("after both end: %x, want the initial ideals %x", got, want)
		}
	})
}

// With two options a demand shift still moves the ideal away from the
// mainstream in every practice it can, never leaving it on the mode.
func TestDemandShiftTwoOptions(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Strategy.Options = 2
	cfg.Population.Firms = 120
	cfg.Ticks = 40
	cfg.Shocks = []Shock{{Kind: DemandShift, Tick: 20, Severity: 1, Sector: -1, Segment: -1, Dimension: -1, Option: -1}}
	for seed := uint64(1); seed <= 10; seed++ {
		w, err := New(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		for w.Tick() < 19 {
			w.Step()
		}
		before := make([]uint64, len(w.market.seg))
		modes := make([]uint64, len(w.market.bestProf))
		for g := range before {
			before[g] = w.market.seg[g].ideal
		}
		w.modesAt = -1 // entry may have cached the modes of the tick's start
		for s := range modes {
			modes[s], _ = w.modalStrategy(s)
		}
		w.Step()
		l := w.lay
		for g, seg := range w.market.seg {
			mode := modes[g/w.market.k]
			for d := 0; d < l.D; d++ {
				if l.Get(seg.ideal, d) == l.Get(mode, d) {
					t.Errorf("seed %d, segment %d, practice %d: ideal left on the mainstream's option", seed, g, d)
				}
				if l.Get(before[g], d) != l.Get(mode, d) && l.Get(seg.ideal, d) != l.Get(before[g], d) {
					t.Errorf("seed %d, segment %d, practice %d: an ideal already off the mainstream moved onto it", seed, g, d)
				}
			}
		}
	}
}

// A herd move leaves an adaptive firm's Roth–Erev propensities unchanged;
// only a pilot's end (or, without pilots, a move of its own) changes them.
func TestHerdMoveDoesNotReinforce(t *testing.T) {
	for _, window := range []int{0, 4} {
		cfg := DefaultConfig()
		cfg.Population.Firms = 50
		cfg.Population.Mix = Mix{Adaptive: 1}
		cfg.Behaviour.PilotWindow = window
		w, err := New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		before := w.propens[0]
		w.commit(0, w.strat[0]^1, agents.Herd, agents.Imitator)
		if w.propens[0] != before {
			t.Errorf("pilot window %d: herd move changed the propensities %v → %v", window, before, w.propens[0])
		}
		w.commit(1, w.strat[1]^1, agents.Imitate, agents.Imitator)
		if changed := w.propens[1] != before; changed != (window == 0) {
			t.Errorf("pilot window %d: own move changed propensities: %v", window, changed)
		}
	}
}

// mean_margin and mean_cash are means over the firms alive after the
// tick, not counting those that exit in it. Without revisions no move
// changes cash or classes after the market clears, so the means can be
// recomputed from the alive firms.
func TestMarketMeansOverAliveFirms(t *testing.T) {
	cfg := smallConfig()
	cfg.Behaviour.Revision = 0
	w, err := New(cfg, 11)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for w.Step() {
		m := w.Metrics()
		margin, cash, n := 0.0, 0.0, 0
		for i := 0; i < w.n; i++ {
			if w.isAlive(i) {
				margin += w.cl.out[w.cls[i]].mu
				cash += w.cash[i]
				n++
			}
		}
		if n == 0 || m[MExits] == 0 {
			continue
		}
		checked++
		if got, want := m[MMeanMargin], margin/float64(n); math.Abs(got-want) > 1e-9 {
			t.Fatalf("tick %d: mean_margin %v, mean over alive firms %v", w.Tick(), got, want)
		}
		if got, want := m[MMeanCash], cash/float64(n); math.Abs(got-want) > 1e-9 {
			t.Fatalf("tick %d: mean_cash %v, mean over alive firms %v", w.Tick(), got, want)
		}
	}
	if checked == 0 {
		t.Fatal("no tick with exits: the test checks nothing")
	}
}

// entropy_bits is exactly 0 when every firm uses one strategy.
func TestEntropyOfOneStrategy(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 37
	cfg.Population.InitialSimilarity = 1
	cfg.Behaviour.Revision = 0
	cfg.Market.EntryRate = 0
	w, err := New(cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	w.Step()
	if m := w.Metrics(); m[MDistinct] != 1 || m[MEntropy] != 0 {
		t.Errorf("distinct %v, entropy %v, want 1 and exactly 0", m[MDistinct], m[MEntropy])
	}
}

// With demand drift on, a segment's ideal is at every tick what its
// drifted base ideal and the demand shifts in force make of it: drift and
// shifts compose, and a temporary shift that ends keeps the drift.
func TestDemandShiftsComposeWithDrift(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 120
	cfg.Ticks = 80
	cfg.Market.Drift, cfg.Market.NicheTurnover = 0.3, 0.1
	cfg.Shocks = []Shock{
		{Kind: DemandShift, Tick: 10, Severity: 0.5, Sector: -1, Segment: -1, Dimension: -1, Option: -1},
		{Kind: DemandShift, Tick: 20, Duration: 15, Severity: 0.75, Sector: -1, Segment: -1, Dimension: -1, Option: -1},
		{Kind: DemandShift, Tick: 25, Duration: 30, Severity: 0.25, Sector: 1, Segment: 0, Dimension: -1, Option: -1},
	}
	w, err := New(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for w.Step() {
		c := w.Clone()
		c.shocks.composeIdeals(c)
		for g := range w.market.seg {
			if got, want := w.market.seg[g].ideal, c.market.seg[g].ideal; got != want {
				t.Fatalf("tick %d, segment %d: ideal %x, composed from base and shifts %x", w.Tick(), g, got, want)
			}
			if w.market.seg[g].ideal != w.market.seg[g].baseIdeal {
				changed++
			}
		}
	}
	if changed == 0 {
		t.Fatal("no shift in force changed an ideal: the test checks nothing")
	}
}

// shiftedPractices has mean severity·D and moves nothing as the severity
// goes to 0; an integer severity·D draws nothing from the stream.
func TestShiftedPractices(t *testing.T) {
	r := newStream(1, 99)
	for _, tc := range []struct {
		sev  float64
		d    int
		want float64
	}{{1e-12, 8, 0}, {0.1, 8, 0.8}, {0.3, 8, 2.4}, {0.5, 8, 4}, {1, 8, 8}} {
		sum := 0
		const n = 20000
		for range n {
			sum += shiftedPractices(tc.sev, tc.d, r)
		}
		if got := float64(sum) / n; math.Abs(got-tc.want) > 0.03 {
			t.Errorf("severity %g, D %d: mean %.3f practices, want %.3f", tc.sev, tc.d, got, tc.want)
		}
	}
	a, b := newStream(1, 99), newStream(1, 99)
	shiftedPractices(0.5, 8, a)
	if a.Uint64() != b.Uint64() {
		t.Error("severity·D integer: shiftedPractices drew from the stream")
	}
}

// Under the equal-move-costs control every move costs imitate_cost;
// without it each kind costs its own.
func TestMoveCost(t *testing.T) {
	c := DefaultConfig().Market
	for _, tc := range []struct {
		mv        agents.Move
		own, flat float64
	}{{agents.Imitate, 0.25, 0.25}, {agents.Herd, 0.25, 0.25}, {agents.Incremental, 0.5, 0.25},
		{agents.Radical, 2, 0.25}, {agents.Specialise, 0.5, 0.25}, {agents.NoMove, 0, 0}} {
		c.EqualMoveCosts = false
		if got := c.MoveCost(tc.mv); got != tc.own {
			t.Errorf("move %v: cost %v, want %v", tc.mv, got, tc.own)
		}
		c.EqualMoveCosts = true
		if got := c.MoveCost(tc.mv); got != tc.flat {
			t.Errorf("move %v, equal move costs: cost %v, want %v", tc.mv, got, tc.flat)
		}
	}
}

// Under the equal-cash-at-shock control, at a shock's first tick every firm
// in business holds the same cash per unit of its fixed-cost scale
// ω + (1−ω)·S², in the run and in its no-shock fork alike, total cash
// unchanged; without it, and at ticks where no shock starts, cash is
// untouched.
func TestEqualCashAtShock(t *testing.T) {
	const shockTick = 20
	for _, on := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Population.Firms = 200
		cfg.Ticks = 40
		cfg.Market.EqualCashAtShock = on
		cfg.Shocks = []Shock{{Kind: DemandShift, Tick: shockTick, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}}
		w, err := New(cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		for w.Tick() < shockTick-2 {
			w.Step()
		}
		// One tick before the shock's tick: no shock starts, nothing changes.
		quiet := w.Clone()
		quiet.tick++
		before := append([]float64(nil), quiet.cash...)
		quiet.shocks.apply(quiet)
		for i := range before {
			if quiet.cash[i] != before[i] {
				t.Fatalf("equal cash %v: tick %d (no shock starts) changed firm %d's cash", on, quiet.tick, i)
			}
		}
		w.Step()
		om := cfg.Demography.Overhead
		scale := func(i int) float64 { s := w.demo[i].size; return om + (1-om)*s*s }
		sum, cost := 0.0, 0.0
		before = append([]float64(nil), w.cash...)
		for i := range before {
			if w.isAlive(i) {
				sum += before[i]
				cost += scale(i)
			}
		}
		per := sum / cost
		spread, sizes := 0.0, map[float64]bool{}
		for i := range before {
			if w.isAlive(i) {
				spread = math.Max(spread, math.Abs(before[i]-per*scale(i)))
				sizes[w.demo[i].size] = true
			}
		}
		if spread == 0 || len(sizes) < 2 {
			t.Fatal("cash is already equal per unit of cost, or every size is the same, before the shock: the test cannot tell")
		}
		for name, c := range map[string]*World{"run": w.Clone(), "fork": w.Fork(0)} {
			c.tick++ // the shock's tick: what Step does first
			c.shocks.apply(c)
			total := 0.0
			for i := range before {
				switch {
				case !c.isAlive(i) || !on:
					if c.cash[i] != before[i] {
						t.Errorf("equal cash %v, %s: firm %d's cash %v, want it untouched %v", on, name, i, c.cash[i], before[i])
					}
				case math.Abs(c.cash[i]-per*scale(i)) > 1e-9*math.Abs(per):
					t.Errorf("equal cash, %s: firm %d has cash %v, want %v per unit of cost × %v", name, i, c.cash[i], per, scale(i))
				}
				if c.isAlive(i) {
					total += c.cash[i]
				}
			}
			if math.Abs(total-sum) > 1e-9*math.Abs(sum) {
				t.Errorf("equal cash %v, %s: total cash %v, want %v", on, name, total, sum)
			}
		}
	}
}

// market.cash_at_shock fixes the level: every firm in business holds that
// cash times its fixed-cost scale at the shock's first tick, in the run
// and in the fork, whatever the market held.
func TestCashAtShock(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 200
	cfg.Ticks = 40
	cfg.Market.CashAtShock = 5
	cfg.Shocks = []Shock{{Kind: Downturn, Tick: 20, Severity: 0.3, Sector: -1, Segment: -1, Dimension: -1, Option: -1}}
	w, err := New(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	for w.Tick() < 19 {
		w.Step()
	}
	om := cfg.Demography.Overhead
	for name, c := range map[string]*World{"run": w.Clone(), "fork": w.Fork(0)} {
		c.tick++
		c.shocks.apply(c)
		for i := range c.cash {
			if s := c.demo[i].size; c.isAlive(i) && math.Abs(c.cash[i]-5*(om+(1-om)*s*s)) > 1e-12 {
				t.Fatalf("%s: firm %d has cash %v, want 5 × its cost scale %v", name, i, c.cash[i], om+(1-om)*s*s)
			}
		}
	}
}
