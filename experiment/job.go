package experiment

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// Progress counts finished runs and ticks while an experiment runs. It is
// safe for concurrent use: workers add, a progress display polls.
type Progress struct {
	// TotalRuns and TotalTicks are set by Execute before the first run
	// starts (ticks assume every run reaches its tick limit).
	TotalRuns, TotalTicks atomic.Int64
	runs, ticks           atomic.Int64
}

// Runs returns the runs finished so far (including runs read back by
// --resume).
func (p *Progress) Runs() int64 { return p.runs.Load() }

// Ticks returns the ticks simulated so far.
func (p *Progress) Ticks() int64 { return p.ticks.Load() }

// runJob runs job j of the plan to its end and returns its result. It
// returns ctx's error when cancelled mid-run.
//
// A long run's earlier recorded rows are spilled to a file in spillDir
// (see spillRows); the caller releases the result once it is written.
func runJob(ctx context.Context, p *Plan, j int, factory Factory, prog *Progress, spillDir string) (_ *RunResult, err error) {
	vi, si := p.job(j)
	v := &p.Variants[vi]
	seed := p.Seeds[si]
	if err := ctx.Err(); err != nil {
		return nil, err // building a world can take seconds: not after a cancel
	}
	m, err := build(ctx, factory, v.Config, seed)
	if err != nil {
		return nil, fmt.Errorf("variant %q, seed %d: %w", v.Name, seed, err)
	}
	res := &RunResult{Job: j, Variant: vi, Seed: seed}
	defer func() {
		if err != nil {
			res.release()
		}
	}()
	every := p.every()
	wantTop := si == 0
	wantShares := si < results.SummarySeeds || p.detail() != results.DetailSummary
	k := p.topK()
	var top []sim.StrategyShare
	ser := newSeries(v.Config.Ticks)
	var forks []*forkRun
	world, canFork := m.(*sim.World)
	if canFork && !p.NoCounterfactual && len(v.Config.Shocks) > 0 {
		forks = make([]*forkRun, len(v.Config.Shocks))
	}
	var final []float64
	sharer, _ := m.(optionSharer)
	var dims []int
	if sharer != nil {
		dims = shareDims(&v.Config)
	}
	var shares []float64
	// Option shares at the recorded ticks, thinned so that a run records
	// at most maxShareTicks of them and maxShareRows rows (they are kept in
	// memory to the end).
	shareEvery, _ := shareStride(&v.Config, every)
	for !m.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if forks != nil {
			for k, sh := range v.Config.Shocks {
				if sh.Tick == m.Tick()+1 {
					f, err := runFork(ctx, world, k, p.forkWindow())
					if err != nil {
						return nil, err
					}
					forks[k] = f
				}
			}
		}
		m.Step()
		tick := m.Tick()
		met := m.Metrics()
		if len(met) != sim.NumMetrics {
			return nil, fmt.Errorf("variant %q, seed %d, tick %d: model returned %d metrics, want %d", v.Name, seed, tick, len(met), sim.NumMetrics)
		}
		// Ticks are 1, 2, …; keep the per-tick series the shock measures need.
		for len(ser.alive) < tick-1 { // a model that skipped ticks: repeat the last value
			ser.repeat()
		}
		ser.add(met)
		done := m.Done()
		if tick%every == 0 || done {
			if len(res.Rows) >= spillRows {
				if err := res.spillRows(spillDir); err != nil {
					return nil, err
				}
			}
			res.Rows = append(res.Rows, Row{Tick: tick, Metrics: append([]float64(nil), met...)})
			if wantShares && (tick%shareEvery == 0 || done) {
				for _, d := range dims {
					shares = sharer.OptionShares(shares, d)
					for o, x := range shares {
						res.Shares = append(res.Shares, results.ShareRow{Tick: tick, Dimension: v.Config.Strategy.Dimensions[d], Option: o, Share: x})
					}
				}
			}
			if wantTop {
				if len(res.Top) >= spillRows {
					if err := res.spillTop(spillDir); err != nil {
						return nil, err
					}
				}
				top = m.TopStrategies(top, k)
				for r, s := range top {
					res.Top = append(res.Top, TopRow{Tick: tick, Rank: r + 1, Strategy: m.FormatStrategy(s.Strategy), Share: s.Share})
				}
			}
		}
		if done {
			final = res.Rows[len(res.Rows)-1].Metrics
		}
		if prog != nil {
			prog.ticks.Add(1)
		}
	}
	res.LastTick = m.Tick()
	recs := m.Firms()
	res.Firms = make([]Firm, len(recs))
	for i, r := range recs {
		res.Firms[i] = Firm{ID: r.ID, Type: r.Type, Sector: r.Sector, Born: r.Born, Died: r.Died,
			Initial: m.FormatStrategy(r.Initial), Final: m.FormatStrategy(r.Final),
			Age: r.Age(res.LastTick), Size: r.Size, Revenue: r.Revenue}
	}
	res.Measures, res.Excess, res.Strata = computeMeasures(&v.Config, p.shockWindow(), p.horizons(), final, ser, res.Firms, forks)
	if prog != nil {
		prog.runs.Add(1)
	}
	return res, nil
}

func last(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[len(xs)-1]
}

// runFork forks w just before shock k's first tick and runs the fork
// without shock k over the shock window (ticks T … T+window−1, or until
// the fork's run ends), keeping its metrics and when the firms of the
// at-risk cohort failed in it (its firm records are dropped).
func runFork(ctx context.Context, w *sim.World, k, window int) (*forkRun, error) {
	f := w.Fork(k)
	t := w.Tick() + 1
	fr := &forkRun{start: t, s: newSeries(window), cohort: shockGroups(w, k)}
	before := w.Firms()
	fr.revenue = make([]float64, len(before))
	for i, r := range before {
		fr.revenue[i] = math.NaN()
		if r.Died < 0 {
			fr.revenue[i] = r.Revenue
		}
	}
	for !f.Done() && f.Tick() < t+window-1 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f.Step()
		fr.s.add(f.Metrics())
	}
	// Keep when the cohort's firms failed in the fork; drop its firms.
	recs := f.Firms()
	for i := range fr.cohort {
		c := &fr.cohort[i]
		c.forkDied = recs[c.id].Died
	}
	return fr, nil
}

// build runs factory, returning ctx's error as soon as ctx is done:
// building a world of millions of firms takes seconds, and an interrupt is
// honoured at once. The abandoned build ends on its own and its world is
// dropped (the program is then on its way out).
func build(ctx context.Context, factory Factory, cfg sim.Config, seed uint64) (Model, error) {
	type built struct {
		m   Model
		err error
	}
	ch := make(chan built, 1)
	go func() {
		m, err := factory(cfg, seed)
		ch <- built{m, err}
	}()
	select {
	case b := <-ch:
		return b.m, b.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
