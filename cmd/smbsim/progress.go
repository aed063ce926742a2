package main

import (
	"fmt"
	"io"
	"time"

	"github.com/smbsim/smbsim/experiment"
)

// progressLines prints a line of progress at most once per interval, and
// only when something changed since the last line.
type progressLines struct {
	w        io.Writer
	counts   func() (runs, totalRuns, ticks, totalTicks int64)
	start    time.Time
	every    time.Duration
	last     time.Time // when the last line was printed (start before the first)
	lastRuns int64
	lastTick int64
}

// tick prints a line if the interval has passed since the last one and
// the experiment moved. It reports whether it printed.
func (p *progressLines) tick(now time.Time) bool {
	runs, totalRuns, ticks, totalTicks := p.counts()
	if now.Sub(p.last) < p.every || (runs == p.lastRuns && ticks == p.lastTick) {
		return false
	}
	p.last, p.lastRuns, p.lastTick = now, runs, ticks
	fmt.Fprintln(p.w, progressLine(runs, totalRuns, ticks, totalTicks, now.Sub(p.start)))
	return true
}

// progressLine is one line of progress, e.g.
// "progress: 12/600 runs, 3 % of ticks, 1m30s elapsed, about 48m left".
// The share of ticks assumes every run reaches its tick limit, so a run
// that stops early makes the estimate of the time left pessimistic.
func progressLine(runs, totalRuns, ticks, totalTicks int64, elapsed time.Duration) string {
	s := fmt.Sprintf("progress: %d/%d runs", runs, totalRuns)
	if totalTicks <= 0 {
		return s + fmt.Sprintf(", %s elapsed", elapsed.Round(time.Second))
	}
	frac := min(float64(ticks)/float64(totalTicks), 1)
	s += fmt.Sprintf(", %.0f %% of ticks, %s elapsed", 100*frac, elapsed.Round(time.Second))
	if frac > 0 && frac < 1 {
		left := time.Duration(float64(elapsed) * (1 - frac) / frac)
		s += fmt.Sprintf(", about %s left", left.Round(time.Second))
	}
	return s
}

// startProgressLines prints progress lines to w every interval until the
// returned func is called.
func startProgressLines(w io.Writer, prog *experiment.Progress, every time.Duration) func() {
	now := time.Now()
	counts := func() (int64, int64, int64, int64) {
		return prog.Runs(), prog.TotalRuns.Load(), prog.Ticks(), prog.TotalTicks.Load()
	}
	p := &progressLines{w: w, counts: counts, start: now, every: every, last: now}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(min(every, time.Second))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				p.tick(now)
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

// printPlan prints what an experiment command would do, one "key: value"
// per line, for --dry-run: people read it, and deploy/slurm.sh reads the
// results directory and the charts setting from it.
func printPlan(w io.Writer, p *experiment.Plan, es expSettings, charts bool) {
	est := p.Footprint(es.workers, es.shard)
	yes := map[bool]string{true: "yes", false: "no"}
	fmt.Fprintf(w, "command: %s\n", p.Command)
	fmt.Fprintf(w, "scenario: %s\n", p.Scenario)
	fmt.Fprintf(w, "variants: %d\n", len(p.Variants))
	fmt.Fprintf(w, "seeds: %d\n", len(p.Seeds))
	if !es.shard.Whole() {
		fmt.Fprintf(w, "shard: %s\n", es.shard)
	}
	fmt.Fprintf(w, "runs: %d\n", est.Runs)
	fmt.Fprintf(w, "workers: %d\n", es.workers)
	fmt.Fprintf(w, "memory: at least %s\n", experiment.FormatBytes(est.Memory))
	fmt.Fprintf(w, "out: %s\n", es.out)
	fmt.Fprintf(w, "charts: %s\n", yes[charts])
	fmt.Fprintf(w, "quiet: %s\n", yes[es.quiet])
}
