// Package simbench holds smbsim's reference performance workloads, shared
// by `smbsim bench` and the package's `go test -bench` benchmarks: the
// reference market at several sizes, a multi-seed run on one and on all
// workers, and Axelrod's culture model run through the engine.
//
// Throughput is counted in firm-ticks: one alive firm stepped through one
// tick. Dead positions (firms that exited and were not replaced) are not
// counted, though the engine still pays a little for them.
package simbench

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smbsim/smbsim/sim"
)

// Result is the measurement of one workload.
type Result struct {
	Name            string  `json:"name"`
	Firms           int     `json:"firms"`   // network positions (initial firms)
	Ticks           int     `json:"ticks"`   // measured ticks per run, after the warm-up
	Runs            int     `json:"runs"`    // runs (seeds)
	Workers         int     `json:"workers"` // goroutines running them
	Seconds         float64 `json:"seconds"` // wall time of the measured ticks
	FirmTicksPerSec float64 `json:"firm_ticks_per_sec"`
	AllocsPerTick   float64 `json:"allocs_per_tick"`
	PeakRSSBytes    int64   `json:"peak_rss_bytes"` // process peak so far (VmHWM), 0 if unknown
	EventsPerSec    float64 `json:"events_per_sec,omitempty"`
	// CPUSeconds is the process's CPU time (user + system) over the
	// measured part, for the single-run market and Axelrod workloads (0
	// where not read). On a shared machine, where wall time includes
	// waiting for a core, work per CPU second is the steadier figure.
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
	// BytesPerFirm is (peak RSS − RSS before building the world −
	// network) / firms, for markets of 1,000,000 firms or more, where the
	// world dominates the process's memory.
	BytesPerFirm float64 `json:"bytes_per_firm,omitempty"`
	Note         string  `json:"note,omitempty"`
}

// Reference returns the reference market with n firms: sim.DefaultConfig
// (D=8, Q=8, 3 sectors × 4 segments, small world of degree 8, revision
// 0.1, every metric every tick) with a tick limit that never stops it.
func Reference(n int) sim.Config {
	c := sim.DefaultConfig()
	c.Population.Firms = n
	c.Ticks = 10_000_000
	return c
}

// Market runs the reference market with n firms: warm ticks (the initial
// shakeout, in which most firms exit), then ticks measured ticks.
func Market(n, warm, ticks int, seed uint64) (Result, error) {
	base := procStatus("VmRSS:")
	w, err := sim.New(Reference(n), seed)
	if err != nil {
		return Result{}, err
	}
	for range warm {
		w.Step()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	firms := 0
	start, cpu := time.Now(), processCPU()
	for range ticks {
		firms += w.Alive()
		w.Step()
	}
	sec := time.Since(start).Seconds()
	cpu = processCPU() - cpu
	runtime.ReadMemStats(&after)
	r := Result{
		Name: fmt.Sprintf("market-%s", size(n)), Firms: n, Ticks: ticks, Runs: 1, Workers: 1,
		Seconds: sec, FirmTicksPerSec: float64(firms) / sec, CPUSeconds: cpu,
		AllocsPerTick: float64(after.Mallocs-before.Mallocs) / float64(ticks),
		PeakRSSBytes:  PeakRSS(),
		Note:          fmt.Sprintf("%d alive of %d at the end (after %d warm-up and %d measured ticks)", w.Alive(), n, warm, ticks),
	}
	if n >= 1_000_000 && r.PeakRSSBytes > 0 {
		r.BytesPerFirm = float64(r.PeakRSSBytes-base-w.NetworkBytes()) / float64(n)
		r.Note += fmt.Sprintf("; peak RSS less the process before the world (%.0f MiB) and the network (%.0f MiB): %.0f B per firm",
			float64(base)/(1<<20), float64(w.NetworkBytes())/(1<<20), r.BytesPerFirm)
	}
	return r, nil
}

func size(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// MultiSeed runs seeds 1..runs of the reference market with n firms on
// the given number of workers (one goroutine each, taking seeds in turn).
// It returns the result and a fingerprint of every run (a hash of every
// metric of every tick), in seed order, so that callers can check that the
// worker count changes nothing.
func MultiSeed(n, warm, ticks, runs, workers int) (Result, []uint64, error) {
	prints := make([]uint64, runs)
	firms := make([]int, runs)
	errs := make([]error, runs)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				w, err := sim.New(Reference(n), uint64(k+1))
				if err != nil {
					errs[k] = err
					continue
				}
				h := fnv.New64a()
				var buf [8]byte
				for t := 0; t < warm+ticks; t++ {
					if t >= warm {
						firms[k] += w.Alive()
					}
					w.Step()
					for _, v := range w.Metrics() {
						u := math.Float64bits(v)
						for b := range buf {
							buf[b] = byte(u >> (8 * b))
						}
						h.Write(buf[:])
					}
				}
				prints[k] = h.Sum64()
			}
		}()
	}
	for k := range runs {
		next <- k
	}
	close(next)
	wg.Wait()
	sec := time.Since(start).Seconds()
	runtime.ReadMemStats(&after)
	total := 0
	for k := range runs {
		if errs[k] != nil {
			return Result{}, nil, errs[k]
		}
		total += firms[k]
	}
	return Result{
		Name: fmt.Sprintf("multiseed-%s-w%d", size(n), workers), Firms: n, Ticks: ticks, Runs: runs, Workers: workers,
		Seconds: sec, FirmTicksPerSec: float64(total) / sec,
		AllocsPerTick: float64(after.Mallocs-before.Mallocs) / float64(runs*(warm+ticks)),
		PeakRSSBytes:  PeakRSS(),
		Note:          fmt.Sprintf("wall time includes building and %d warm-up ticks per run; firm-ticks counted over the last %d", warm, ticks),
	}, prints, nil
}

// AxelrodConfig is Axelrod's (1997) culture model through the engine: a
// side×side bounded lattice with von Neumann neighbours, F features of q
// traits, no market, random asynchronous activation (one tick = side²
// activations), imitation with probability equal to the share of matching
// features. It never stops early, so that a run is a fixed number of
// events.
func AxelrodConfig(side, features, traits int) sim.Config {
	c := sim.DefaultConfig()
	c.Ticks = 10_000_000
	c.Schedule = sim.Asynchronous
	c.Market.Enabled = false
	c.Market.Sectors = 1
	c.Strategy.Dimensions = make([]string, features)
	for i := range c.Strategy.Dimensions {
		c.Strategy.Dimensions[i] = fmt.Sprintf("f%d", i+1)
	}
	c.Strategy.Options = traits
	c.Strategy.PlatformDim, c.Strategy.AutomationDim = -1, -1
	c.Population.Firms = side * side
	c.Population.Mix = sim.Mix{Imitator: 1}
	c.Population.InitialSimilarity, c.Population.InitialFit = 0, 0
	c.Behaviour.Imitation = sim.ImitateAxelrod
	c.Behaviour.Revision = 1
	c.Behaviour.PilotWindow = 0
	c.Network = sim.NetworkConfig{Kind: sim.Lattice, Width: side, Height: side, Neighbourhood: sim.VonNeumann}
	return c
}

// Axelrod runs events interaction events (rounded up to whole ticks) of
// Axelrod's model with F=5, q=10 on a side×side lattice from a fixed seed.
// One event: a random site, a random von Neumann neighbour, interaction
// with probability overlap/F. With perTick the world measures its metrics
// (and keeps the strategy counts behind them) every tick, as a run whose
// series is recorded; without, it measures on demand
// (sim.World.MeasureOnDemand), here once at the end, as the C loop of
// docs/perf/axelrod.c and replicate's culture runs do.
func Axelrod(side int, events int, perTick bool) (Result, error) {
	n := side * side
	w, err := sim.New(AxelrodConfig(side, 5, 10), 1)
	if err != nil {
		return Result{}, err
	}
	name, how := fmt.Sprintf("axelrod-%dx%d", side, side), "measured at the end"
	if perTick {
		name, how = name+"/tick", "measured every tick"
	} else {
		w.MeasureOnDemand()
	}
	ticks := (events + n - 1) / n
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu := time.Now(), processCPU()
	for range ticks {
		w.Step()
	}
	sec := time.Since(start).Seconds()
	cpu = processCPU() - cpu
	runtime.ReadMemStats(&after)
	return Result{
		Name: name, Firms: n, Ticks: ticks, Runs: 1, Workers: 1,
		Seconds: sec, FirmTicksPerSec: float64(ticks*n) / sec, CPUSeconds: cpu,
		AllocsPerTick: float64(after.Mallocs-before.Mallocs) / float64(ticks),
		PeakRSSBytes:  PeakRSS(),
		EventsPerSec:  float64(ticks*n) / sec,
		Note:          fmt.Sprintf("F=5 q=10, %d events, %s, %d regions at the end", ticks*n, how, w.Regions()),
	}, nil
}

// PeakRSS returns the process's peak resident set size so far (VmHWM in
// /proc/self/status), or 0 where that is not available.
func PeakRSS() int64 { return procStatus("VmHWM:") }

// procStatus returns a size field of /proc/self/status in bytes, or 0
// where that is not available.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}

// AxelrodAbsorb runs seeds 1…runs of Axelrod's model (F features, q
// traits, side×side bounded lattice) to absorption, with the engine's
// naive loop (engine "naive": the World's per-event loop) or a culture
// world's engine (sim.CultureActiveLinks, or "" for the automatic choice),
// and reports the time per run.
func AxelrodAbsorb(side, features, traits, runs int, engine string) (Result, error) {
	r, _, err := axelrodAbsorb(side, features, traits, runs, engine, engine == sim.CultureNaive)
	return r, err
}

// axelrodAbsorb is AxelrodAbsorb, with the median seconds per run.
func axelrodAbsorb(side, features, traits, runs int, engine string, world bool) (Result, float64, error) {
	cfg := AxelrodConfig(side, features, traits)
	cfg.StopWhenAbsorbed = true
	n := side * side
	var events, changes uint64
	secs := make([]float64, 0, runs)
	start := time.Now()
	for s := uint64(1); s <= uint64(runs); s++ {
		t := time.Now()
		if world {
			w, err := sim.New(cfg, s)
			if err != nil {
				return Result{}, 0, err
			}
			w.MeasureOnDemand() // no metrics, as the culture engine here
			if err := w.Run(context.Background(), nil); err != nil {
				return Result{}, 0, err
			}
			events += uint64(w.Tick()) * uint64(n)
		} else {
			c, err := sim.NewCulture(cfg, s, engine)
			if err != nil {
				return Result{}, 0, err
			}
			if err := c.Run(context.Background(), 0); err != nil {
				return Result{}, 0, err
			}
			st := c.Stats()
			events, changes = events+st.LastChange, changes+st.Changes
		}
		secs = append(secs, time.Since(t).Seconds())
	}
	sec := time.Since(start).Seconds()
	name := engine
	if name == "" {
		name = "auto"
	}
	slices.Sort(secs)
	median := (secs[(runs-1)/2] + secs[runs/2]) / 2
	note := fmt.Sprintf("%.3g s per run to absorption (median %.3g s), %.3g events per run", sec/float64(runs), median, float64(events)/float64(runs))
	if changes > 0 {
		note += fmt.Sprintf(", %.3g events per change (all runs), %.3g ns per change all in", float64(events)/float64(changes), sec*1e9/float64(changes))
	}
	return Result{
		Name: fmt.Sprintf("absorb-F%dq%d-%dx%d/%s", features, traits, side, side, name), Firms: n, Runs: runs, Workers: 1,
		Seconds: sec, EventsPerSec: float64(events) / sec, PeakRSSBytes: PeakRSS(), Note: note,
	}, median, nil
}
