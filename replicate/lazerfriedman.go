package replicate

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

func lazerFriedman2007() Replication {
	return Replication{
		Name:     "lazer-friedman-2007",
		Citation: "Lazer, D. and Friedman, A. (2007). The network structure of exploration and exploitation. Administrative Science Quarterly 52(4), 667–694.",
		About:    "the linear network starts slower on an NK landscape (N = 20, K = 5), overtakes the complete network and ends higher",
		Quick:    "100 landscapes (4 s of CPU time)",
		Full:     "1,000 landscapes (37 s of CPU time)",
		Run:      runLazerFriedman,
	}
}

// LazerFriedmanCurves runs the built-in lazer-friedman scenario's variants
// over seeds 1…n and returns, per variant, each seed's mean score after
// every round (index 0: the initial state, NaN).
func LazerFriedmanCurves(ctx context.Context, n, workers int) (names []string, curves [][][]float64, err error) {
	return lazerFriedmanCurves(ctx, Options{Workers: max(1, workers)}, n)
}

// lazerFriedmanCurves is LazerFriedmanCurves with o's workers and units
// (each seed of each variant is a unit).
func lazerFriedmanCurves(ctx context.Context, o Options, n int) (names []string, curves [][][]float64, err error) {
	s, err := scenarios.Open("lazer-friedman")
	if err != nil {
		return nil, nil, err
	}
	vs, err := s.Variants()
	if err != nil {
		return nil, nil, err
	}
	for _, v := range vs {
		names = append(names, v.Name)
		cfg := v.Config()
		runs, err := runUnits(ctx, o, n, make([]float64, cfg.Ticks+1), func(i int) ([]float64, error) {
			w, err := sim.New(cfg, uint64(i+1))
			if err != nil {
				return nil, err
			}
			curve := []float64{math.NaN()}
			for w.Step() || len(curve) <= cfg.Ticks {
				curve = append(curve, w.Metrics()[sim.MMeanFitness])
				if w.Done() {
					break
				}
			}
			return curve, nil
		})
		if err != nil {
			return nil, nil, err
		}
		curves = append(curves, runs)
	}
	return names, curves, nil
}

// column returns every run's value at round r.
func column(runs [][]float64, r int) []float64 {
	x := make([]float64, len(runs))
	for i := range runs {
		x[i] = runs[i][r]
	}
	return x
}

// LazerFriedmanCrossover is the first round from which the linear
// network's mean score stays at least the complete one's (−1 if the linear
// network is behind at the last round).
func LazerFriedmanCrossover(lin, comp [][]float64) int {
	rounds := len(lin[0]) - 1
	for r := rounds; r >= 1; r-- {
		if stats.Mean(column(lin, r)) < stats.Mean(column(comp, r)) {
			if r == rounds {
				return -1
			}
			return r + 1
		}
	}
	return 1
}

func runLazerFriedman(ctx context.Context, o Options) (*Result, error) {
	start := time.Now()
	n := map[Size]int{Tiny: 20, Quick: 100, Full: 1000}[o.Size]
	names, curves, err := lazerFriedmanCurves(ctx, o, n)
	if err != nil {
		return nil, err
	}
	if len(names) != 2 || names[0] != "linear" || names[1] != "complete" {
		return nil, fmt.Errorf("lazer-friedman variants %v, want [linear complete]", names)
	}
	lin, comp := curves[0], curves[1]
	rounds := len(lin[0]) - 1
	res := &Result{
		Name:  "lazer-friedman-2007",
		Title: "Lazer and Friedman (2007), *The network structure of exploration and exploitation*: on an NK landscape (N = 20, K = 5), the totally connected network of 100 agents leads early, the linear network overtakes it and ends higher.",
		Setup: fmt.Sprintf("The built-in `lazer-friedman` scenario, variants `linear` (a ring, two neighbours) and `complete`, over %d landscapes (seeds 1–%d, the same landscape for both networks), %d rounds; score (f/f_max)^8.", n, n, rounds),
		Band:  "paired t-tests over the same landscapes, t > 3.3 (two-sided p < 0.001), and a crossover within the run. We could read their result only through the abstract and secondary descriptions, not their figure's plotted values: the comparison is of the pattern.",
	}
	pt := func(a, b [][]float64, r int) (float64, float64) {
		x, y := column(a, r), column(b, r)
		return stats.PairedDiffCI(x, y, 0.95).Mean, stats.PairedT(x, y).Statistic
	}
	d5, t5 := pt(comp, lin, 5)
	dN, tN := pt(lin, comp, rounds)
	cross := LazerFriedmanCrossover(lin, comp)
	ciAt := func(runs [][]float64, r int) string { s, _ := ci(column(runs, r), 3); return s }
	res.Checks = []Check{
		{Quantity: "round 5: complete − linear mean score", Ours: fmt.Sprintf("%.3f (complete %s, linear %s)", d5, ciAt(comp, 5), ciAt(lin, 5)), Published: "> 0 (complete ahead early)", Test: fmt.Sprintf("paired t = %.1f > 3.3", t5), Pass: t5 > 3.3},
		{Quantity: fmt.Sprintf("round %d: linear − complete mean score", rounds), Ours: fmt.Sprintf("%.3f (linear %s, complete %s)", dN, ciAt(lin, rounds), ciAt(comp, rounds)), Published: "> 0 (linear ends higher)", Test: fmt.Sprintf("paired t = %.1f > 3.3", tN), Pass: tN > 3.3},
		{Quantity: "crossover round", Ours: fmt.Sprint(cross), Published: "within the run", Test: fmt.Sprintf("2 ≤ round ≤ %d", rounds), Pass: cross >= 2 && cross <= rounds},
	}
	var series []plots.ReplicationSeries
	for v, runs := range curves {
		x, y, lo, hi := make([]float64, rounds), make([]float64, rounds), make([]float64, rounds), make([]float64, rounds)
		for r := 1; r <= rounds; r++ {
			iv := stats.MeanCI(column(runs, r), 0.95)
			x[r-1], y[r-1], lo[r-1], hi[r-1] = float64(r), iv.Mean, iv.Low, iv.High
		}
		series = append(series, plots.ReplicationSeries{Label: "smbsim, " + names[v], X: x, Y: y, Lo: lo, Hi: hi})
	}
	panel := plots.ReplicationPanel{Title: "Mean score by round", XLabel: "round", YLabel: "mean score (f/f_max)^8", Series: series}
	if cross > 0 {
		panel.Marks, panel.MarkLabels = []float64{float64(cross)}, []string{fmt.Sprintf("crossover, round %d", cross)}
	}
	if o.partial() { // a shard's or a count's placeholder runs: no chart
		return res, nil
	}
	res.Chart = plots.ReplicationChart("lazer-friedman-2007",
		"Lazer and Friedman (2007): the linear network overtakes the complete one",
		fmt.Sprintf("Mean score of 100 agents over %d landscapes, with its 95 %% interval (band). Their figure's values are not available to us, so no published points are drawn: the published result is the pattern (complete ahead early, linear ahead at the end).", n),
		[]plots.ReplicationPanel{panel})
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}
