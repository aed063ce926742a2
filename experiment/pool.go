package experiment

import (
	"context"
)

// outcome is a finished (or abandoned) job.
type outcome struct {
	res *RunResult
	err error
	// undispatched: the pool stopped before this job started (err says
	// why), and so it did for every later job.
	undispatched bool
}

// pool runs jobs on a fixed number of workers and hands their outcomes back
// strictly in job order, whatever order they finish in. At most window jobs
// are running or waiting to be consumed at any time (a reorder buffer), so
// memory stays bounded however many jobs there are. The jobs are
// enumerated lazily: the pool never holds a list of them.
type pool struct {
	ring   []chan outcome // outcome of the i-th job travels through ring[i%window]
	tokens chan struct{}  // one per job dispatched and not yet consumed
	pos    int            // next position to consume

	stopped    chan struct{} // closed when the dispatcher stops
	dispatched int           // jobs dispatched; read only after stopped is closed
	stopErr    error         // why the dispatcher stopped early (nil: all dispatched)
}

// dispatch is one job handed to a worker: its position in the order of
// consumption and its job index.
type dispatch struct{ pos, job int }

// startPool starts running exec(ctx, j) on workers goroutines for each job
// j that todo yields, in order. Call next once per job todo yields, in
// order. When ctx is cancelled no further jobs start; next reports ctx's
// error for them.
func startPool(ctx context.Context, todo func(yield func(int) bool), workers int, exec func(context.Context, int) (*RunResult, error)) *pool {
	workers = max(1, workers)
	window := 2 * workers
	p := &pool{
		ring:    make([]chan outcome, window),
		tokens:  make(chan struct{}, window),
		stopped: make(chan struct{}),
	}
	for i := range p.ring {
		p.ring[i] = make(chan outcome, 1)
	}
	work := make(chan dispatch)
	go func() {
		defer close(p.stopped)
		defer close(work)
		i := 0
		for j := range todo {
			select {
			case p.tokens <- struct{}{}:
			case <-ctx.Done():
				p.stopErr = ctx.Err()
				return
			}
			select {
			case work <- dispatch{i, j}:
			case <-ctx.Done():
				// Cancelled while every worker was busy: do not hand
				// out another job (it would build a whole world first).
				<-p.tokens
				p.stopErr = ctx.Err()
				return
			}
			i++
			p.dispatched = i
		}
	}()
	for range workers {
		go func() {
			for d := range work {
				var o outcome
				if err := ctx.Err(); err != nil {
					o.err = err
				} else {
					o.res, o.err = exec(ctx, d.job)
				}
				p.ring[d.pos%window] <- o
			}
		}()
	}
	return p
}

// next waits for the outcome of the next job.
func (p *pool) next() outcome {
	i := p.pos
	p.pos++
	slot := p.ring[i%len(p.ring)]
	select {
	case o := <-slot:
		<-p.tokens
		return o
	case <-p.stopped:
		if i < p.dispatched {
			o := <-slot
			<-p.tokens
			return o
		}
		return outcome{err: p.stopErr, undispatched: true}
	}
}
