package experiment

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/sim"
)

// Memory model of an experiment, in bytes (docs/performance.md measures
// the engine's cost per firm). The figures are lower bounds: firms that
// enter during a run add to them. Those marked "peak" are calibrated on
// the peak resident memory of plans each dominated by them
// (TestEstimateMatchesPeak, make validate-memory), so they include the
// garbage collector's headroom.
const (
	worldBytesPerFirm  = 300 // the engine's state per firm, network excluded
	worldBytesPerLink  = 6   // per neighbour of a firm
	resultBytesPerFirm = 100 // a firm's record in a finished run (firms.csv row)
	rowBytes           = sim.NumMetrics*8 + 48
	seriesBytesPerTick = sim.NumMetrics*32 + 64 // one accumulator per metric and recorded tick, per variant
	runBytes           = 64                     // per finished run: its seed and measures (plus 8 per measure)
	testBytes          = 2 * 2200               // peak, per measure and pair of variants: two tests, held, in summary.json and in tests.csv
	topBytes           = 100                    // per strategy listed in strategies.csv (first seed of a variant)
	forkBytesPerFirm   = 64                     // peak, per firm and shock: kept to the run's end, the fork's at-risk cohort (ID, co-failure group, failure tick in the fork, cash at the shock: 40 bytes) and revenues before the shock (8 bytes); the rest is garbage the collector has not yet returned
	shareBytes         = 100                    // peak, per row of shares.csv held with its run
	chartRowBytes      = sim.NumMetrics*16 + 96 // per row of timeseries.csv read back for the charts
	chartShareBytes    = 64                     // per row of shares.csv read back for the charts
	chartTestBytes     = 600                    // per row of tests.csv read back for the charts
	mergeBytesPerByte  = 5                      // peak, per byte of a run's per-run files that merge reads back
)

// Footprint is what an experiment is expected to need before it starts:
// its runs and an estimate of its memory.
type Footprint struct {
	Runs    int64 // runs to do (of the shard)
	Workers int   // workers that build worlds at the same time

	World      uint64 // the largest world (twice that with a shock's counterfactual fork), per worker
	Forks      uint64 // the counterfactual forks' at-risk cohorts a run keeps (one per shock), per worker
	InFlight   uint64 // the largest finished run waiting to be written (option shares included), per slot of the reorder buffer
	Top        uint64 // the strategies.csv rows of a variant's first seed, held with its run
	Series     uint64 // per-tick statistics across runs, of every variant
	Measures   uint64 // the per-run measures kept for the tests and summary.json
	Pairs      uint64 // pairs of variants tested against each other (compare, sweep)
	Tests      uint64 // those tests
	Aggregates uint64 // Series + Measures + Tests
	// Charts is what drawing the charts reads back after the runs: every
	// run's recorded ticks and option shares, and the tests. Counted in
	// Memory only when the plan draws charts (Plan.Charts).
	Charts uint64
	// Memory is the total: Workers × (World + Forks) + 2·Workers × InFlight
	// + Top + Aggregates, or Charts if larger and drawn.
	Memory uint64
}

// Footprint returns the memory and runs of executing the plan's shard on
// workers workers.
func (p *Plan) Footprint(workers int, sh Shard) Footprint {
	return p.footprint(len(p.Variants), func(i int) *Variant { return &p.Variants[i] }, workers, sh)
}

// FootprintPoints is the Footprint of the plan with points variants that
// are all like the variant like: what a sweep will need, known before its
// points are built.
func (p *Plan) FootprintPoints(like *Variant, points, workers int, sh Shard) Footprint {
	return p.footprint(points, func(int) *Variant { return like }, workers, sh)
}

func (p *Plan) footprint(variants int, variant func(i int) *Variant, workers int, sh Shard) Footprint {
	seeds := len(p.Seeds)
	e := Footprint{Runs: int64(sh.count(variants * seeds)), Workers: max(1, workers)}
	e.Workers = int(min(int64(e.Workers), max(e.Runs, 1)))
	measures := map[int]bool{} // distinct numbers of shocks, for the tests
	for vi := range variants {
		cfg := &variant(vi).Config
		wb := worldBytes(cfg)
		if len(cfg.Shocks) > 0 && !p.NoCounterfactual {
			wb = satMul(wb, 2) // a shock's fork is a second world while it runs
		}
		e.World = max(e.World, wb)
		if len(cfg.Shocks) > 0 && !p.NoCounterfactual {
			e.Forks = max(e.Forks, satMul(uint64(len(cfg.Shocks)), satMul(uint64(max(cfg.Population.Firms, 0)), forkBytesPerFirm)))
		}
		rec := uint64(recordedTicks(cfg.Ticks, p.every()))
		held := min(rec, uint64(spillRows)) // a long run's earlier rows wait on disk
		_, shareRows := shareStride(cfg, p.every())
		run := held*rowBytes + uint64(max(cfg.Ticks, 0))*16 + uint64(max(cfg.Population.Firms, 0))*resultBytesPerFirm + shareRows*shareBytes
		e.InFlight = max(e.InFlight, run)
		e.Top = max(e.Top, min(rec*uint64(p.topK()), uint64(spillRows+p.topK()))*topBytes)
		nm := uint64(len(MeasureNames(len(cfg.Shocks), p.horizons())))
		runs := uint64(sh.count((vi+1)*seeds) - sh.count(vi*seeds))
		e.Series = satAdd(e.Series, rec*seriesBytesPerTick)
		nc := uint64(len(cfg.Shocks) * len(Bases) * p.curveLen()) // effect curve values (aggregator.curves)
		e.Measures = satAdd(e.Measures, runs*(runBytes+8*nm+8*nc))
		e.Charts = satAdd(e.Charts, satMul(runs, satAdd(satMul(rec, chartRowBytes), satMul(shareRows, chartShareBytes))))
		measures[len(cfg.Shocks)] = true
	}
	if v := uint64(variants); p.Command != CommandRun && v > 1 {
		most := 0
		for k := range measures {
			most = max(most, len(MeasureNames(k, p.horizons())))
		}
		e.Pairs = satMul(v, v-1) / 2
		e.Tests = satMul(satMul(e.Pairs, uint64(most)), testBytes)
		e.Charts = satAdd(e.Charts, satMul(satMul(e.Pairs, uint64(2*most)), chartTestBytes))
	}
	e.Aggregates = satAdd(satAdd(e.Series, e.Measures), e.Tests)
	w := uint64(e.Workers)
	e.Memory = satAdd(satAdd(satAdd(satMul(w, satAdd(e.World, e.Forks)), satMul(2*w, e.InFlight)), e.Top), e.Aggregates)
	if p.Charts {
		e.Memory = max(e.Memory, e.Charts)
	}
	return e
}

// MergeFootprint is the memory that merging the plan's results needs (see
// Merge), when the largest run of the inputs takes runBytes in the per-run
// files. No world is built, but the runs are read back one at a time,
// each whole: its CSV fields, its rows in the results files' form and
// again as a run (InFlight, counted twice, as one run waiting per worker
// is); and the statistics of all runs are computed as Execute computes
// them (Aggregates), then the charts are drawn if Charts.
func (p *Plan) MergeFootprint(runBytes uint64) Footprint {
	e := p.Footprint(1, Shard{})
	e.World, e.Forks = 0, 0
	e.InFlight = satMul(runBytes, mergeBytesPerByte)
	e.Memory = satAdd(satAdd(satMul(2, e.InFlight), e.Top), e.Aggregates)
	if p.Charts {
		e.Memory = max(e.Memory, e.Charts)
	}
	return e
}

// worldBytes estimates the engine's memory for one world of cfg.
func worldBytes(cfg *sim.Config) uint64 {
	links := cfg.Network.Degree
	if cfg.Network.Kind == sim.ScaleFree {
		links = 2 * cfg.Network.Attach
	}
	return uint64(max(cfg.Positions(), 0)) * uint64(worldBytesPerFirm+worldBytesPerLink*max(links, 0))
}

// recordedTicks is the number of rows a run of ticks ticks records.
func recordedTicks(ticks, every int) int {
	if ticks < 1 {
		return 0
	}
	return ticks/every + 1
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > ^uint64(0)/a {
		return ^uint64(0)
	}
	return a * b
}

func satAdd(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}

// ErrTooBig is wrapped by the error of an experiment that needs more
// memory than the machine has.
var ErrTooBig = errors.New("experiment too big for this machine")

// Check returns an error wrapping ErrTooBig (and matching ErrBadInput)
// when the estimate exceeds limit bytes; limit 0 means the machine's
// memory (MachineMemory).
func (e Footprint) Check(limit uint64) error {
	what := "the limit given"
	if limit == 0 {
		limit, what = MachineMemory()
	}
	return e.check(limit, what)
}

func (e Footprint) check(limit uint64, what0 string) error {
	if limit == 0 || e.Memory <= limit {
		return nil
	}
	w := uint64(e.Workers)
	type part struct {
		bytes      uint64
		what, cure string
	}
	parts := []part{
		{satMul(w, e.World), fmt.Sprintf("%d worker(s) × %s per world", e.Workers, FormatBytes(e.World)),
			"fewer firms (population.firms) or fewer --workers"},
		{satMul(w, e.Forks), fmt.Sprintf("%d worker(s) × %s of counterfactual cohorts (one per shock)", e.Workers, FormatBytes(e.Forks)),
			"fewer shocks or firms, or output.counterfactual = false"},
		{satAdd(satMul(2*w, e.InFlight), e.Top), fmt.Sprintf("%s per finished run waiting to be written", FormatBytes(e.InFlight+e.Top)),
			"fewer recorded ticks (output.every)"},
		{e.Series, fmt.Sprintf("%s of per-tick statistics", FormatBytes(e.Series)),
			"fewer recorded ticks (output.every, simulation.ticks) or fewer variants"},
		{e.Measures, fmt.Sprintf("%s of measures of %d runs", FormatBytes(e.Measures), e.Runs),
			"fewer seeds or variants"},
		{e.Tests, fmt.Sprintf("%s of tests between %d pairs of variants", FormatBytes(e.Tests), e.Pairs),
			"fewer variants (every pair of variants is tested)"},
	}
	if e.Memory == e.Charts && e.Charts > 0 {
		parts = append(parts, part{e.Charts, fmt.Sprintf("%s to draw the charts from the results", FormatBytes(e.Charts)), "--no-charts (draw them later with smbsim plot on a larger machine)"})
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(b.bytes, a.bytes) })
	var what, cures []string
	for _, pt := range parts {
		if pt.bytes == 0 {
			continue
		}
		what = append(what, pt.what)
		if pt.bytes >= e.Memory/10 && !slices.Contains(cures, pt.cure) {
			cures = append(cures, pt.cure)
		}
	}
	return badInput(fmt.Errorf("%w: this experiment needs at least %s of memory (%s), more than %s (%s); use %s",
		ErrTooBig, FormatBytes(e.Memory), strings.Join(what, ", "), FormatBytes(limit), what0, strings.Join(cures, "; or ")))
}

// FormatBytes writes n as a size for people: "512 B", "3.2 MiB", "41 GiB".
func FormatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	x, i := float64(n), -1
	for x >= unit && i < 5 {
		x /= unit
		i++
	}
	prec := 0
	if x < 10 {
		prec = 1
	}
	return strconv.FormatFloat(x, 'f', prec, 64) + " " + string("KMGTPE"[i]) + "iB"
}

// MachineMemory returns the memory this process may use: the smaller of
// the machine's physical memory and the limit of the process's own control
// group (from /proc/self/cgroup, and of each group above it), with a
// description; 0 when it cannot tell.
func MachineMemory() (uint64, string) {
	total, what := uint64(0), ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseUint(f[1], 10, 64); err == nil {
					total, what = kb*1024, "the machine's memory"
				}
			}
		}
	}
	self, _ := os.ReadFile("/proc/self/cgroup")
	if lim, ok := cgroupLimit("/sys/fs/cgroup", self); ok && (total == 0 || lim < total) {
		total, what = lim, "the memory limit of this process's control group"
	}
	return total, what
}

// cgroupLimit returns the smallest memory limit of the control group
// that self (the text of /proc/self/cgroup) names, and of the groups above
// it, under the cgroup file system mounted at root: cgroup v2
// (<root>/<path>/memory.max) and v1 (<root>/memory/<path>/memory.limit_in_bytes).
// A group's path that is not found under root (a container that mounts its
// own group at root) is looked for from root itself. ok is false when no
// group sets a limit.
func cgroupLimit(root string, self []byte) (limit uint64, ok bool) {
	try := func(file string) {
		b, err := os.ReadFile(file)
		if err != nil {
			return
		}
		lim, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || lim == 0 || lim >= 1<<62 { // "max", or v1's "no limit"
			return
		}
		if !ok || lim < limit {
			limit, ok = lim, true
		}
	}
	walk := func(base, path, file string) {
		for p := filepath.Clean("/" + path); ; p = filepath.Dir(p) {
			try(filepath.Join(base, p, file))
			if p == "/" {
				return
			}
		}
	}
	paths := map[string][]string{} // "v2" or "v1" → group paths
	for line := range strings.Lines(string(self)) {
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) != 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "":
			paths["v2"] = append(paths["v2"], f[2])
		case slices.Contains(strings.Split(f[1], ","), "memory"):
			paths["v1"] = append(paths["v1"], f[2])
		}
	}
	if len(paths) == 0 { // no /proc/self/cgroup: the mount's own group
		paths["v2"], paths["v1"] = []string{"/"}, []string{"/"}
	}
	for _, p := range paths["v2"] {
		walk(root, p, "memory.max")
	}
	for _, p := range paths["v1"] {
		walk(filepath.Join(root, "memory"), p, "memory.limit_in_bytes")
	}
	return limit, ok
}
