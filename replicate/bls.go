package replicate

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

// blsSurvivalAges are the ages (ticks = months) of the BLS survival
// figures: 1, 5 and 10 years.
var blsSurvivalAges = [3]int{12, 60, 120}

// blsSurvivalShare is the survival of US private-sector establishments
// born in March 1994 after 1, 5 and 10 years (BLS Business Employment
// Dynamics, The Economics Daily, 1 November 2018).
var blsSurvivalShare = [3]float64{0.796, 0.496, 0.336}

// blsYearHazard is the same cohort's share failing in each year of age
// among those alive at its start, 1 − S(y)/S(y−1), from the same table.
var blsYearHazard = []float64{0.204, 0.144, 0.110, 0.104, 0.087, 0.089, 0.082, 0.077, 0.068, 0.059}

// blsBurnIn: entrants born after this tick (the initial shakeout over)
// are followed.
const blsBurnIn = 100

func blsSurvival() Replication {
	return Replication{
		Name:     "bls-survival",
		Citation: "U.S. Bureau of Labor Statistics, Business Employment Dynamics: survival of private-sector establishments opened in March 1994 (The Economics Daily, 1 November 2018).",
		About:    "entrant survival after 1, 5 and 10 years and the hazard by year of age, on the engine defaults",
		Quick:    "20 seeds (about 1 s of CPU time)",
		Full:     "100 seeds (5 s of CPU time)",
		Run:      runBLS,
	}
}

// entrantLives returns the lifetimes (age in ticks, exit observed) of the
// firms of w born after burnIn, censored at the run's end.
func entrantLives(w *sim.World, burnIn int) []stats.Lifetime {
	var out []stats.Lifetime
	end := w.Tick()
	for _, r := range w.Firms() {
		if r.Born > burnIn {
			out = append(out, stats.Lifetime{T: float64(r.Age(end)), Event: !r.Censored()})
		}
	}
	return out
}

// survivalAt is the Kaplan–Meier estimate at age a (NaN beyond the last
// observation).
func survivalAt(km []stats.KMPoint, a float64, lastT float64) float64 {
	if a > lastT {
		return math.NaN()
	}
	s := 1.0
	for _, p := range km {
		if p.T > a {
			break
		}
		s = p.Survival
	}
	return s
}

func runBLS(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	n := map[Size]int{Tiny: 3, Quick: 20, Full: 100}[o.Size]
	cfg := sim.DefaultConfig()
	surv, hz, err := blsSeeds(ctx, o, cfg, n)
	if err != nil {
		return nil, err
	}
	res := &Result{
		Name:  "bls-survival",
		Title: "U.S. Bureau of Labor Statistics, Business Employment Dynamics: of the private-sector establishments opened in March 1994, 79.6 % were open after one year, 49.6 % after five and 33.6 % after ten; the yearly hazard 1 − S(y)/S(y−1) falls with age.",
		Setup: fmt.Sprintf("The engine defaults (`sim.DefaultConfig()`, %d ticks of one month), %d seeds; entrants born after tick %d, censored at the last tick; survival is the Kaplan–Meier estimate, the hazard of year y the exits at an age in (12(y−1), 12y] per firm-year at risk; mean [95 %% t-interval over seeds].", cfg.Ticks, n, blsBurnIn),
		Band:  "survival within 5 points of BLS (the calibration tolerance of issue 12; model.md section 3.5 names the four calibrated parameters); each year's hazard within 0.05 of BLS; the hazard falling with age after the first year (mean of year 2 > year 5 > year 10). The hazard was not a calibration target.",
	}
	var survival, hazard blsSeries
	for k, a := range blsSurvivalAges {
		survival.check(res, surv[k], float64(a)/12, blsSurvivalShare[k], fmt.Sprintf("entrant survival at %d months", a))
	}
	means := make([]float64, len(hz))
	for y := range hz {
		means[y] = hazard.check(res, hz[y], float64(y+1), blsYearHazard[y], fmt.Sprintf("hazard in year %d of age", y+1))
	}
	res.Checks = append(res.Checks, Check{
		Quantity: "hazard falls with age after year 1", Ours: fmt.Sprintf("years 2, 5, 10: %.3f, %.3f, %.3f", means[1], means[4], means[9]),
		Published: fmt.Sprintf("%.3f, %.3f, %.3f", blsYearHazard[1], blsYearHazard[4], blsYearHazard[9]), Test: "year 2 > year 5 > year 10", Pass: means[1] > means[4] && means[4] > means[9],
	})
	if o.partial() { // a shard's or a count's placeholder runs: no chart
		return res, nil
	}
	res.Chart = plots.ReplicationChart("bls-survival",
		"Entrant survival and hazard: smbsim beside the BLS March 1994 cohort",
		fmt.Sprintf("Ours: mean over %d seeds of the engine defaults with its 95 %% interval, entrants born after tick %d (one tick = one month). Black: BLS Business Employment Dynamics, establishments opened in March 1994.", n, blsBurnIn),
		[]plots.ReplicationPanel{
			{Title: "Survival of entrants", XLabel: "years since entry", YLabel: "still open", Percent: true, YMin: 0, YMinSet: true,
				Series: survival.series()},
			{Title: "Hazard by year of age", XLabel: "year of age", YLabel: "exits per firm-year at risk", YMin: 0, YMinSet: true,
				Series: hazard.series()},
		})
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// blsSeeds runs n seeds of cfg and returns, per seed, the entrants'
// Kaplan–Meier survival at each of blsSurvivalAges (surv[age][seed]) and
// their hazard in each year of age (hz[year][seed]).
func blsSeeds(ctx context.Context, o Options, cfg sim.Config, n int) (surv, hz [][]float64, err error) {
	years := len(blsYearHazard)
	surv = make([][]float64, len(blsSurvivalAges))
	for k := range surv {
		surv[k] = make([]float64, n)
	}
	hz = make([][]float64, years)
	for y := range hz {
		hz[y] = make([]float64, n)
	}
	// A unit: one seed's survival at each age, then its hazard in each year.
	units, err := runUnits(ctx, o, n, make([]float64, len(blsSurvivalAges)+years), func(i int) ([]float64, error) {
		w, err := sim.New(cfg, uint64(i+1))
		if err != nil {
			return nil, err
		}
		if err := w.Run(ctx, nil); err != nil {
			return nil, err
		}
		lives := entrantLives(w, blsBurnIn)
		km := stats.KaplanMeier(lives, 0.95)
		out := make([]float64, 0, len(blsSurvivalAges)+years)
		for _, a := range blsSurvivalAges {
			out = append(out, survivalAt(km, float64(a), float64(w.Tick()-blsBurnIn)))
		}
		return append(out, stats.IntervalHazard(lives, 12, years)[:years]...), nil
	})
	if err != nil {
		return nil, nil, err
	}
	for i, u := range units {
		for k := range surv {
			surv[k][i] = u[k]
		}
		for y := range hz {
			hz[y][i] = u[len(surv)+y]
		}
	}
	return surv, hz, nil
}

// blsSeries is one panel of the BLS chart: ours (mean and 95 % interval
// over seeds) and the BLS figure, at each x.
type blsSeries struct {
	x, y, lo, hi, published []float64
}

// check adds the check of ours (one value per seed) against the BLS figure
// pub to res and the point at x to the series; it returns our mean.
func (b *blsSeries) check(res *Result, seeds []float64, x, pub float64, quantity string) float64 {
	s, iv := ci(seeds, 3)
	res.Checks = append(res.Checks, Check{
		Quantity: quantity, Ours: s, Published: fmt.Sprintf("%.3f", pub),
		Test: fmt.Sprintf("|ours − BLS| = %.3f ≤ 0.05", math.Abs(iv.Mean-pub)), Pass: math.Abs(iv.Mean-pub) <= 0.05,
	})
	b.x, b.y, b.lo, b.hi = append(b.x, x), append(b.y, iv.Mean), append(b.lo, iv.Low), append(b.hi, iv.High)
	b.published = append(b.published, pub)
	return iv.Mean
}

// series is the panel's two series, ours and the BLS cohort's.
func (b *blsSeries) series() []plots.ReplicationSeries {
	return []plots.ReplicationSeries{
		{Label: "smbsim", X: b.x, Y: b.y, Lo: b.lo, Hi: b.hi, Points: true},
		{Label: "BLS 1994 cohort", X: b.x, Y: b.published, Published: true},
	}
}
