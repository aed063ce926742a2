package experiment

import (
	"context"
	"fmt"
	"sync/atomic"

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
func runJob(ctx context.Context, p *Plan, j int, factory Factory, prog *Progress) (*RunResult, error) {
	vi, si := p.job(j)
	v := &p.Variants[vi]
	seed := p.Seeds[si]
	m, err := factory(v.Config, seed)
	if err != nil {
		return nil, fmt.Errorf("variant %q, seed %d: %w", v.Name, seed, err)
	}
	res := &RunResult{Job: j, Variant: vi, Seed: seed}
	every := p.every()
	wantTop := si == 0
	k := p.topK()
	var top []sim.StrategyShare
	alive := make([]float64, 0, v.Config.Ticks)
	margin := make([]float64, 0, v.Config.Ticks)
	var final []float64
	for !m.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.Step()
		tick := m.Tick()
		met := m.Metrics()
		if len(met) != sim.NumMetrics {
			return nil, fmt.Errorf("variant %q, seed %d, tick %d: model returned %d metrics, want %d", v.Name, seed, tick, len(met), sim.NumMetrics)
		}
		// Ticks are 1, 2, …; keep the per-tick series the shock measures need.
		for len(alive) < tick-1 { // a model that skipped ticks: repeat the last value
			alive = append(alive, last(alive))
			margin = append(margin, last(margin))
		}
		alive = append(alive, met[sim.MAlive])
		margin = append(margin, met[sim.MMeanMargin])
		done := m.Done()
		if tick%every == 0 || done {
			res.Rows = append(res.Rows, Row{Tick: tick, Metrics: append([]float64(nil), met...)})
			if wantTop {
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
	res.Measures = computeMeasures(&v.Config, p.shockWindow(), final, alive, margin, res.Firms)
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
