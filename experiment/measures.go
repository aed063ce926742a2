package experiment

import (
	"fmt"
	"math"

	"github.com/smbsim/smbsim/sim"
)

// finalMeasures are the metrics reported at the last tick, as measure
// "final_<metric>".
var finalMeasures = []int{
	sim.MAlive, sim.MEffective, sim.MEntropy, sim.MDistinct, sim.MTopShare,
	sim.MPairwise, sim.MRegions, sim.MLargestRegion, sim.MMeanMargin, sim.MHHI,
}

// shockMeasureSuffixes are the measures reported for each shock k as
// "shock<k>_<suffix>".
var shockMeasureSuffixes = []string{"pre_margin", "fail_share", "drop_depth", "recovery_ticks"}

// MeasureNames returns the per-run measures of a run with the given number
// of shocks, in the order of runs.csv: the final metrics, mean_margin, then
// four measures per shock.
func MeasureNames(shocks int) []string {
	names := make([]string, 0, len(finalMeasures)+1+len(shockMeasureSuffixes)*shocks)
	all := sim.MetricNames()
	for _, m := range finalMeasures {
		names = append(names, "final_"+all[m])
	}
	names = append(names, "mean_margin")
	for k := 1; k <= shocks; k++ {
		for _, s := range shockMeasureSuffixes {
			names = append(names, fmt.Sprintf("shock%d_%s", k, s))
		}
	}
	return names
}

// ShockEffect is what a shock did to the population of one run.
type ShockEffect struct {
	PreMargin     float64 // mean of mean_margin over the 10 ticks before the shock
	FailShare     float64 // share of the firms alive at the shock that exit within the window
	DropDepth     float64 // (alive at the shock − min alive in the window) / alive at the shock, ≥ 0
	RecoveryTicks float64 // ticks until alive is back to 90 %; NaN if never
}

// MeasureShock computes the effect of a shock acting first at tick t.
//
// alive[i] and margin[i] are the metrics after tick i+1 (so alive[t-2] is
// the level just before the shock acts); alive0 is the population before
// the first tick. The window is ticks t … t+w−1, clipped to the run.
// "Alive at the shock" is the level just before tick t. RecoveryTicks is 0
// when alive never falls below 90 % of that level within the window;
// otherwise it is r such that tick t+r−1 is the first tick after the fall
// with alive back at ≥ 90 % (so r counts the shock's own tick), NaN if that
// never happens before the run ends. firms gives the fail share: firms
// born before t and not dead before t, that die in the window. All
// measures are NaN when the run ended before the shock.
func MeasureShock(t, w int, alive0 float64, alive, margin []float64, firms []Firm) ShockEffect {
	nan := math.NaN()
	e := ShockEffect{nan, nan, nan, nan}
	last := len(alive) // last tick of the run
	if t < 1 {
		return e
	}
	// Pre-shock margin: ticks max(1, t−10) … t−1.
	sum, n := 0.0, 0
	for tick := max(1, t-preShockTicks); tick <= t-1 && tick <= last; tick++ {
		if v := margin[tick-1]; !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	if n > 0 {
		e.PreMargin = sum / float64(n)
	}
	if t > last {
		return e
	}
	end := min(t+w-1, last) // last tick of the window
	level := alive0
	if t >= 2 {
		level = alive[t-2]
	}
	// Fail share from the firm records.
	atRisk, failed := 0, 0
	for _, f := range firms {
		if f.Born >= t || (f.Died >= 0 && f.Died < t) {
			continue
		}
		atRisk++
		if f.Died >= 0 && f.Died <= end {
			failed++
		}
	}
	if atRisk > 0 {
		e.FailShare = float64(failed) / float64(atRisk)
	}
	if level > 0 && !math.IsNaN(level) {
		lo := level
		for tick := t; tick <= end; tick++ {
			lo = math.Min(lo, alive[tick-1])
		}
		e.DropDepth = (level - lo) / level
		threshold := 0.9 * level
		fell := 0
		for tick := t; tick <= end; tick++ {
			if alive[tick-1] < threshold {
				fell = tick
				break
			}
		}
		if fell == 0 {
			e.RecoveryTicks = 0
		} else {
			for tick := fell + 1; tick <= last; tick++ {
				if alive[tick-1] >= threshold {
					e.RecoveryTicks = float64(tick - t + 1)
					break
				}
			}
		}
	}
	return e
}

// meanSkipNaN is the mean of the non-NaN values (NaN if none).
func meanSkipNaN(xs []float64) float64 {
	sum, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// computeMeasures fills the per-run measures of a finished run.
// alive and margin hold every tick's values; final the last tick's metrics.
func computeMeasures(cfg *sim.Config, window int, final, alive, margin []float64, firms []Firm) []float64 {
	out := make([]float64, 0, len(finalMeasures)+1+4*len(cfg.Shocks))
	for _, m := range finalMeasures {
		v := math.NaN()
		if final != nil {
			v = final[m]
		}
		out = append(out, v)
	}
	out = append(out, meanSkipNaN(margin))
	for _, sh := range cfg.Shocks {
		e := MeasureShock(sh.Tick, window, float64(cfg.Population.Firms), alive, margin, firms)
		out = append(out, e.PreMargin, e.FailShare, e.DropDepth, e.RecoveryTicks)
	}
	return out
}
