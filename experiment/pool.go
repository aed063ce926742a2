package experiment

import (
	"context"
)

// outcome is a finished (or abandoned) job.
type outcome struct {
	res *RunResult
	err error
}

// pool runs jobs on a fixed number of workers and hands their outcomes back
// strictly in job order, whatever order they finish in. At most window jobs
// are running or waiting to be consumed at any time (a reorder buffer), so
// memory stays bounded however many jobs there are.
type pool struct {
	todo   []int
	ring   []chan outcome // outcome of todo[i] travels through ring[i%window]
	tokens chan struct{}  // one per job dispatched and not yet consumed
	pos    int            // next position of todo to consume

	stopped    chan struct{} // closed when the dispatcher stops
	dispatched int           // jobs dispatched; read only after stopped is closed
	stopErr    error         // why the dispatcher stopped early (nil: all dispatched)
}

// startPool starts running exec(ctx, j) for each j of todo on workers
// goroutines. Call next once per job of todo, in order. When ctx is
// cancelled no further jobs start; next reports ctx's error for them.
func startPool(ctx context.Context, todo []int, workers int, exec func(context.Context, int) (*RunResult, error)) *pool {
	workers = max(1, min(workers, len(todo)))
	window := 2 * workers
	p := &pool{
		todo:    todo,
		ring:    make([]chan outcome, window),
		tokens:  make(chan struct{}, window),
		stopped: make(chan struct{}),
	}
	for i := range p.ring {
		p.ring[i] = make(chan outcome, 1)
	}
	work := make(chan int)
	go func() {
		defer close(p.stopped)
		defer close(work)
		for i := range todo {
			select {
			case p.tokens <- struct{}{}:
			case <-ctx.Done():
				p.stopErr = ctx.Err()
				return
			}
			if err := ctx.Err(); err != nil {
				<-p.tokens
				p.stopErr = err
				return
			}
			work <- i
			p.dispatched = i + 1
		}
	}()
	for range workers {
		go func() {
			for i := range work {
				r, err := exec(ctx, todo[i])
				p.ring[i%window] <- outcome{r, err}
			}
		}()
	}
	return p
}

// next waits for the outcome of the next job of todo.
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
		return outcome{err: p.stopErr}
	}
}
