package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/internal/longtest"
	"github.com/smbsim/smbsim/stats"
)

// The emergence results at several horizons (docs/model.md, section 4):
// each of the four patterns measured at ticks 100, 200, 500 and 1000 over
// 20 seeds, and the fragility result against each shock's no-shock fork,
// with two controls. Slow (a few minutes), so it runs only with
// SMBSIM_LONG=horizons (make validate-long); it prints the table of the docs and
// asserts, at every horizon, the direction it measured wherever the
// paired difference is clear (p < 0.01), so that a change of the model
// that moves a result is caught, reversals included.

var horizons = []int{100, 200, 500, 1000}

func longTest(t *testing.T) {
	t.Helper()
	longtest.Value(t, "horizons")
}

// atHorizons runs cfg to the last horizon for each seed and returns, per
// horizon, measure(w) of each seed.
func atHorizons(t *testing.T, cfg Config, measure func(w *World) float64) [][]float64 {
	t.Helper()
	cfg.Ticks = horizons[len(horizons)-1]
	out := make([][]float64, len(horizons))
	for seed := uint64(1); seed <= emergenceSeeds; seed++ {
		w, err := New(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		h := 0
		for !w.Done() {
			w.Step()
			if h < len(horizons) && w.Tick() == horizons[h] {
				out[h] = append(out[h], measure(w))
				h++
			}
		}
		for ; h < len(horizons); h++ { // a run that ended early
			out[h] = append(out[h], measure(w))
		}
	}
	return out
}

// runMean returns a measure that reads metric k at the horizon.
func runMean(k int) func(w *World) float64 {
	return func(w *World) float64 { return w.Metrics()[k] }
}

// pairedLine formats "a [ci] vs b [ci], paired a−b d [ci], p" and returns
// the sign of a clear difference (0 when p ≥ 0.01).
func pairedLine(a, b []float64, digits int) (string, int) {
	ia, ib := stats.MeanCI(a, 0.95), stats.MeanCI(b, 0.95)
	d := stats.PairedDiffCI(a, b, 0.95)
	p := stats.PairedT(a, b).P
	f := fmt.Sprintf("%%.%df", digits)
	s := fmt.Sprintf(f+" ["+f+", "+f+"] vs "+f+" ["+f+", "+f+"]; a−b "+f+" ["+f+", "+f+"], p = %.2g",
		ia.Mean, ia.Low, ia.High, ib.Mean, ib.Low, ib.High, d.Mean, d.Low, d.High, p)
	sign := 0
	if p < 0.01 {
		sign = 1
		if d.Mean < 0 {
			sign = -1
		}
	}
	return s, sign
}

// expectSigns checks the measured signs against those the docs report.
func expectSigns(t *testing.T, what string, got, want []int) {
	t.Helper()
	for h := range got {
		if got[h] != want[h] {
			t.Errorf("%s at tick %d: sign of a − b is %d, the docs report %d: the model's result changed; rerun and update docs/model.md", what, horizons[h], got[h], want[h])
		}
	}
}

func TestEmergenceHorizons(t *testing.T) {
	longTest(t)
	base := emergenceConfig()
	var report strings.Builder
	row := func(format string, a ...any) { fmt.Fprintf(&report, format+"\n", a...) }

	// 1. Mix: effective strategies.
	imit := atHorizons(t, withMix(base, Mix{Imitator: 0.9, Innovator: 0.05, Specialist: 0.05}), runMean(MEffective))
	bal := atHorizons(t, withMix(base, Mix{Imitator: 0.25, Innovator: 0.25, Specialist: 0.25, Adaptive: 0.25}), runMean(MEffective))
	innov := atHorizons(t, withMix(base, Mix{Imitator: 0.1, Innovator: 0.9}), runMean(MEffective))
	var s1, s2 []int
	for h, tick := range horizons {
		l1, g1 := pairedLine(imit[h], bal[h], 1)
		l2, g2 := pairedLine(bal[h], innov[h], 1)
		row("1 mix, tick %d: 90%% imitators vs balanced %s | balanced vs 90%% innovators %s", tick, l1, l2)
		s1, s2 = append(s1, g1), append(s2, g2)
	}

	// 3. Crowding: mean margin and mean profit over the run so far.
	crowd := withMix(base, Mix{Imitator: 0.9, Innovator: 0.05, Specialist: 0.05})
	crowd.Biases.Herding = 0.5
	diff := withMix(base, Mix{Imitator: 0.1, Innovator: 0.3, Specialist: 0.6})
	running := func(cfg Config) ([][]float64, [][]float64) {
		cfg.Ticks = horizons[len(horizons)-1]
		margin, profit := make([][]float64, len(horizons)), make([][]float64, len(horizons))
		for seed := uint64(1); seed <= emergenceSeeds; seed++ {
			w, err := New(cfg, seed)
			if err != nil {
				t.Fatal(err)
			}
			sm, sp, h := 0.0, 0.0, 0
			for !w.Done() {
				w.Step()
				sm += w.Metrics()[MMeanMargin]
				sp += meanProfit(w)
				if h < len(horizons) && w.Tick() == horizons[h] {
					margin[h] = append(margin[h], sm/float64(w.Tick()))
					profit[h] = append(profit[h], sp/float64(w.Tick()))
					h++
				}
			}
			for ; h < len(horizons); h++ {
				margin[h] = append(margin[h], sm/float64(w.Tick()))
				profit[h] = append(profit[h], sp/float64(w.Tick()))
			}
		}
		return margin, profit
	}
	cm, cp := running(crowd)
	dm, dp := running(diff)
	var s3, s3p []int
	for h, tick := range horizons {
		l, g := pairedLine(cm[h], dm[h], 3)
		lp, gp := pairedLine(cp[h], dp[h], 4)
		row("3 crowding, ticks 1–%d: mean margin crowded vs specialising %s | mean operating profit %s", tick, l, lp)
		s3, s3p = append(s3, g), append(s3p, gp)
	}

	// 4. Density: effective strategies, 80 % imitators, degree 16 vs 2.
	dens := withMix(base, Mix{Imitator: 0.8, Innovator: 0.1, Specialist: 0.1})
	sparse, dense := dens, dens
	sparse.Network.Degree, dense.Network.Degree = 2, 16
	ds := atHorizons(t, dense, runMean(MEffective))
	ss := atHorizons(t, sparse, runMean(MEffective))
	var s4 []int
	for h, tick := range horizons {
		l, g := pairedLine(ds[h], ss[h], 1)
		row("4 density, tick %d: degree 16 vs degree 2 %s", tick, l)
		s4 = append(s4, g)
	}

	// 2. Fragility: herding 0.8 vs none; excess failures against the fork,
	// a shock at each horizon but the last (the window must fit).
	var s2f, s2d, s2c, s2k, s2m []int
	herd := base
	herd.Biases.Herding = 0.8
	for _, at := range horizons[:3] {
		shift := Shock{Kind: DemandShift, Tick: at, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1}
		down := Shock{Kind: Downturn, Tick: at, Severity: 0.3, Sector: -1, Dimension: -1, Option: -1}
		hx, hpre := forkExcess(t, herd, shift, false)
		bx, bpre := forkExcess(t, base, shift, false)
		l, g := pairedLine(hx, bx, 3)
		row("2 fragility, demand shift at %d: excess fail share herding vs none %s; before it: herding pairwise %.3f cash %.2f, none pairwise %.3f cash %.2f",
			at, l, mean(hpre[0]), mean(hpre[1]), mean(bpre[0]), mean(bpre[1]))
		s2f = append(s2f, g)
		hd, _ := forkExcess(t, herd, down, false)
		bd, _ := forkExcess(t, base, down, false)
		l, g = pairedLine(hd, bd, 3)
		row("2 control, untargeted downturn (σ 0.3) at %d: excess fail share herding vs none %s", at, l)
		s2d = append(s2d, g)
		he, _ := forkExcess(t, herd, shift, true)
		be, _ := forkExcess(t, base, shift, true)
		l, g = pairedLine(he, be, 3)
		row("2 control, equal cash (every firm %d) at the demand shift at %d: excess fail share herding vs none %s", equalCash, at, l)
		s2c = append(s2c, g)
		// The model's controls (market.cash_at_shock, market.equal_cash_at_shock):
		// cash in proportion to each firm's fixed-cost scale, at the shift's
		// first tick in the run and its fork.
		hl, bl := herd, base
		hl.Market.CashAtShock, bl.Market.CashAtShock = equalCash, equalCash
		hk, _ := forkExcess(t, hl, shift, false)
		bk, _ := forkExcess(t, bl, shift, false)
		l, g = pairedLine(hk, bk, 3)
		row("2 control, market.cash_at_shock = %d at the demand shift at %d: excess fail share herding vs none %s", equalCash, at, l)
		s2k = append(s2k, g)
		hm, bm := herd, base
		hm.Market.EqualCashAtShock, bm.Market.EqualCashAtShock = true, true
		hq, _ := forkExcess(t, hm, shift, false)
		bq, _ := forkExcess(t, bm, shift, false)
		l, g = pairedLine(hq, bq, 3)
		row("2 control, market.equal_cash_at_shock at the demand shift at %d: excess fail share herding vs none %s", at, l)
		s2m = append(s2m, g)
	}
	t.Log("\n" + report.String())

	// What the docs report (docs/model.md, section 4), sign of a − b where
	// clear at p < 0.01, else 0.
	expectSigns(t, "1 imitators − balanced", s1, horizonSigns["mix-imit-bal"])
	expectSigns(t, "1 balanced − innovators", s2, horizonSigns["mix-bal-innov"])
	expectSigns(t, "3 margin crowded − specialising", s3, horizonSigns["margin"])
	expectSigns(t, "3 profit crowded − specialising", s3p, horizonSigns["profit"])
	expectSigns(t, "4 degree 16 − degree 2", s4, horizonSigns["density"])
	expectSigns(t, "2 excess, herding − none", append(s2f, 0), horizonSigns["fragility"])
	expectSigns(t, "2 downturn control", append(s2d, 0), horizonSigns["downturn"])
	expectSigns(t, "2 equal-cash control", append(s2c, 0), horizonSigns["equal-cash"])
	expectSigns(t, "2 cash_at_shock control", append(s2k, 0), horizonSigns["cash-at-shock"])
	expectSigns(t, "2 equal_cash_at_shock control", append(s2m, 0), horizonSigns["equal-cash-at-shock"])
}

// horizonSigns are the directions docs/model.md reports, per horizon
// (100, 200, 500, 1000; the fragility rows have no shock at 1000).
var horizonSigns = map[string][]int{
	"mix-imit-bal":  {-1, -1, -1, -1},
	"mix-bal-innov": {-1, -1, -1, 0},
	"margin":        {-1, -1, -1, -1},
	"profit":        {-1, -1, -1, -1},
	"density":       {-1, 1, 1, 1},
	"fragility":     {1, 1, 1, 0},
	"downturn":      {0, -1, -1, 0},
	"equal-cash":    {0, 0, -1, 0},
	// The model's controls, measured at the first horizons in 2026-12 (issue 20).
	"cash-at-shock":       {1, 1, 1, 0},
	"equal-cash-at-shock": {1, 1, 1, 0},
}

// equalCash is the cash every firm holds just before the shock in the
// equal-cash control.
const equalCash = 5

func mean(xs []float64) float64 { return stats.MeanCI(xs, 0.95).Mean }

// meanProfit is the mean profit average (EMA of operating profit) of the
// alive firms.
func meanProfit(w *World) float64 {
	sum, n := 0.0, 0
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) {
			sum += w.profitAvg[i]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// forkExcess runs cfg with shock sh for each seed, forks the world just
// before the shock, and returns each seed's excess fail share over 50
// ticks (shocked − fork, among the firms alive at the shock) and, per
// seed, the mean pairwise distance and mean cash just before it. With
// equal set, every alive firm's cash is set to equalCash before the fork.
func forkExcess(t *testing.T, cfg Config, sh Shock, equal bool) (excess []float64, pre [2][]float64) {
	t.Helper()
	const window = 50
	cfg.Shocks = []Shock{sh}
	cfg.Ticks = sh.Tick + window
	for seed := uint64(1); seed <= emergenceSeeds; seed++ {
		w, err := New(cfg, seed)
		if err != nil {
			t.Fatal(err)
		}
		for w.Tick() < sh.Tick-1 {
			w.Step()
		}
		pre[0] = append(pre[0], w.Metrics()[MPairwise])
		pre[1] = append(pre[1], w.Metrics()[MMeanCash])
		if equal {
			for i := 0; i < w.n; i++ {
				if w.isAlive(i) {
					w.cash[i] = equalCash
				}
			}
		}
		f := w.Fork(0)
		for w.Tick() < sh.Tick+window-1 {
			w.Step()
			f.Step()
		}
		excess = append(excess, windowFails(w, sh.Tick)-windowFails(f, sh.Tick))
	}
	return excess, pre
}

// windowFails is the share of the firms alive at tick at that have exited
// since.
func windowFails(w *World, at int) float64 {
	alive, failed := 0, 0
	for _, r := range w.Firms() {
		if r.Born < at && (r.Died < 0 || r.Died >= at) {
			alive++
			if r.Died >= at {
				failed++
			}
		}
	}
	return float64(failed) / float64(alive)
}
