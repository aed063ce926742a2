package simbench

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"

	"github.com/smbsim/smbsim/sim"
)

// Options selects the workloads of Suite.
type Options struct {
	Quick   bool // a run of a few seconds: small sizes, short runs, no 1,000,000 firms
	Workers int  // workers of the parallel multi-seed run (0: GOMAXPROCS)

	// Only runs just the named workloads: BigMarket, Absorb or AxelrodEvents.
	Only string

	// Isolate, if set, runs the named workload in a fresh process and
	// returns its result, so that its peak RSS is its own: the memory of
	// earlier workloads stays mapped in this process. Only the 1,000,000-
	// firm market uses it.
	Isolate func(name string) (Result, error)
}

// BigMarket is the name of the 1,000,000-firm workload.
const BigMarket = "market-1M"

// AxelrodEvents names the Axelrod workloads of a fixed number of events
// (10×10 and 100×100 measured at the end, 100×100 measured every tick),
// which --only can run alone: the figures docs/perf/axelrod-vs-c.sh sets
// beside the C loop's.
const AxelrodEvents = "axelrod"

// Absorb names the Axelrod-to-absorption workloads (naive loop against
// the culture world's automatic engine), which --only can run alone.
const Absorb = "absorb"

// Suite runs the reference workloads in order, smallest first (peak RSS is
// process-wide and only grows, so each figure is the peak so far), and
// passes each result to report as soon as it is measured.
func Suite(opts Options, report func(Result)) error {
	type market struct{ n, warm, ticks int }
	markets := []market{{1_000, 200, 3000}, {10_000, 200, 600}, {100_000, 200, 60}}
	seeds, msWarm, msTicks := 8, 100, 200
	events := 2_000_000
	big := market{1_000_000, 40, 20}
	if opts.Quick {
		markets = []market{{1_000, 200, 500}, {10_000, 200, 200}}
		seeds, msWarm, msTicks = 4, 50, 100
	}
	switch opts.Only {
	case Absorb:
		return absorbSuite(opts, report)
	case AxelrodEvents:
		return axelrodWorkloads(events, report)
	}
	if opts.Only != "" {
		if opts.Only != BigMarket {
			return fmt.Errorf("unknown workload %q (only %s, %s or %s can run alone)", opts.Only, BigMarket, Absorb, AxelrodEvents)
		}
		r, err := bigMarket(big.n, big.warm, big.ticks)
		if err != nil {
			return err
		}
		report(r)
		return nil
	}
	for _, m := range markets {
		r, err := Market(m.n, m.warm, m.ticks, 1)
		if err != nil {
			return err
		}
		report(r)
	}
	if err := multiSeedWorkloads(opts, seeds, msWarm, msTicks, report); err != nil {
		return err
	}
	if err := axelrodWorkloads(events, report); err != nil {
		return err
	}
	if err := absorbSuite(opts, report); err != nil {
		return err
	}
	if !opts.Quick {
		return bigMarketWorkload(opts, big.n, big.warm, big.ticks, report)
	}
	return nil
}

// axelrodWorkloads runs events events of Axelrod's model on the 10×10
// and the 100×100 lattice, measured at the end (as the C loop of
// docs/perf/axelrod.c and replicate's runs), then on the 100×100 lattice
// measured every tick.
func axelrodWorkloads(events int, report func(Result)) error {
	for _, w := range []struct {
		side    int
		perTick bool
	}{{10, false}, {100, false}, {100, true}} {
		r, err := Axelrod(w.side, events, w.perTick)
		if err != nil {
			return err
		}
		report(r)
	}
	return nil
}

// multiSeedWorkloads runs the same seeds of the 10,000-firm market on one
// worker and on opts.Workers (all cores by default), reports both, and
// fails when their results differ.
func multiSeedWorkloads(opts Options, seeds, warm, ticks int, report func(Result)) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	one, p1, err := MultiSeed(10_000, warm, ticks, seeds, 1)
	if err != nil {
		return err
	}
	report(one)
	all, pn, err := MultiSeed(10_000, warm, ticks, seeds, workers)
	if err != nil {
		return err
	}
	same := true
	for k := range p1 {
		same = same && p1[k] == pn[k]
	}
	verdict := "identical results"
	if !same {
		verdict = "RESULTS DIFFER"
	}
	all.Note = fmt.Sprintf("%.2f× the throughput of 1 worker; %s on %d and 1 worker(s)", all.FirmTicksPerSec/one.FirmTicksPerSec, verdict, workers)
	report(all)
	if !same {
		return fmt.Errorf("multi-seed runs on %d workers differ from runs on 1 worker", workers)
	}
	return nil
}

// bigMarketWorkload runs the big market, in its own process when
// opts.Isolate is set, and reports it.
func bigMarketWorkload(opts Options, n, warm, ticks int, report func(Result)) error {
	var r Result
	var err error
	if opts.Isolate != nil {
		r, err = opts.Isolate(BigMarket)
	} else {
		// Return the memory of the earlier workloads to the OS, so
		// that the peak RSS is mostly this world's.
		debug.FreeOSMemory()
		r, err = bigMarket(n, warm, ticks)
	}
	if err != nil {
		return err
	}
	report(r)
	return nil
}

// bigMarket runs the market with n firms and compares its cost per firm
// with the 10,000-firm market's over the same ticks (the market's state
// changes with time: early ticks, with every firm alive and most
// strategies distinct, cost more per firm). The small run is short, so it
// takes the median of 5.
func bigMarket(n, warm, ticks int) (Result, error) {
	r, err := Market(n, warm, ticks, 1)
	if err != nil {
		return r, err
	}
	var runs []float64
	for range 5 {
		s, err := Market(10_000, warm, ticks, 1)
		if err != nil {
			return r, err
		}
		runs = append(runs, s.FirmTicksPerSec)
	}
	slices.Sort(runs)
	small := runs[len(runs)/2]
	r.Note += fmt.Sprintf("; per firm %.2f× the cost of 10,000 firms over the same ticks (%.3g firm-ticks/s)", small/r.FirmTicksPerSec, small)
	return r, nil
}

// absorbSuite runs Axelrod's model to absorption with the naive loop and
// with the culture world's automatic engine (rejection-free where events
// mostly fail). The two engines' runs are equal in distribution but not
// the same runs, and the time to absorption is heavy-tailed near q_c, so
// the speed-up is the ratio of events per second over all runs (the ratio
// of the expected times to absorption), with more runs of the cheaper
// automatic engine, and the ratio of the median times per run.
func absorbSuite(opts Options, report func(Result)) error {
	absorb := []struct{ side, f, q, runs, autoRuns int }{{10, 5, 10, 200, 200}, {32, 5, 15, 10, 10}, {50, 10, 55, 5, 40}}
	if opts.Quick {
		absorb = []struct{ side, f, q, runs, autoRuns int }{{10, 5, 10, 50, 50}, {32, 5, 15, 2, 2}}
	}
	for _, a := range absorb {
		naive, naiveMedian, err := axelrodAbsorb(a.side, a.f, a.q, a.runs, sim.CultureNaive, true)
		if err != nil {
			return err
		}
		report(naive)
		fast, fastMedian, err := axelrodAbsorb(a.side, a.f, a.q, a.autoRuns, "", false)
		if err != nil {
			return err
		}
		fast.Note += fmt.Sprintf("; %.2f× the naive loop's events per second (expected time to absorption), %.2f× faster by median time per run",
			fast.EventsPerSec/naive.EventsPerSec, naiveMedian/fastMedian)
		report(fast)
	}
	return nil
}
