// Package replicate reruns canonical published results of the field with
// smbsim's engine and sets ours beside the published figures: Axelrod's
// (1997) culture model, Castellano, Marsili and Vespignani's (2000)
// order–disorder transition, Lazer and Friedman's (2007) networks on an
// NK landscape, and the BLS survival of new establishments. Each
// replication states the test it applies and whether every result lies in
// its band; `smbsim replicate` runs them and docs/validation.md is
// generated from their output.
package replicate

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/stats"
)

// Size is how much a replication runs.
type Size int

const (
	// Tiny is the size the package's own tests run: seconds.
	Tiny Size = iota
	// Quick is the default of smbsim replicate: minutes for the whole set
	// on 2 cores.
	Quick
	// Full is smbsim replicate --full: the sizes of docs/validation.md's
	// reference figures.
	Full
)

// Options are a replication's run settings.
type Options struct {
	Size    Size
	Workers int // parallel runs; 0 means GOMAXPROCS
	// Units, when set, runs a shard of the replication's runs, counts them
	// or replays them from the shards (see Units); nil runs them all.
	Units *Units
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Check is one result set beside its published figure.
type Check struct {
	Quantity  string // what is compared, e.g. "F=5 q=10: mean regions"
	Ours      string // our figure with its interval
	Published string // the published figure
	Test      string // the test and its outcome, e.g. "P(10-run mean this far) = 0.21"
	Pass      bool   // the result lies in its band
}

// Result is a replication's outcome: its checks and its chart.
type Result struct {
	Name    string
	Title   string // the published work and what it showed
	Setup   string // what we ran: model reduction, sizes, seeds
	Band    string // when a check passes
	Checks  []Check
	Notes   []string // what the comparison does not cover
	Chart   *plots.Chart
	Seconds float64 // not printed in the doc (it varies)
}

// Failed returns the checks outside their band.
func (r *Result) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}

// Replication is one published result that smbsim reruns.
type Replication struct {
	Name     string // command-line name, e.g. "axelrod-1997"
	Citation string // the published work
	About    string // one line: what is compared
	Quick    string // the quick size and its run time on 2 cores
	Full     string // the --full size and its run time
	Run      func(ctx context.Context, o Options) (*Result, error)
}

// All returns every replication, in the order smbsim replicate runs them.
func All() []Replication {
	return []Replication{axelrod1997(), castellano2000(), lazerFriedman2007(), blsSurvival()}
}

// Find returns the replication of list called name.
func Find(list []Replication, name string) (Replication, error) {
	var names []string
	for _, r := range list {
		if r.Name == name {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return Replication{}, fmt.Errorf("unknown replication %q (have %s)", name, strings.Join(names, ", "))
}

// parallel calls f(i) for i in [0, n) on up to workers goroutines and
// returns the first error. Each f writes only its own index's results, so
// the outcome does not depend on workers.
func parallel(ctx context.Context, n, workers int, f func(i int) error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := 0
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := first != nil || i >= n
				mu.Unlock()
				if stop {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
				if err := f(i); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// testRNG is the fixed stream of the resampling tests: a replication's
// tests give the same p-values on every run.
func testRNG(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(0x5eed_2025, stream)) }

// resamples is the number of bootstrap draws of the small-sample tests.
const resamples = 20000

// plausibleLevel: a small-sample published figure passes when the
// probability of one as far from our distribution's centre is at least
// this.
const plausibleLevel = 0.01

// ci formats a mean with its 95 % t-interval over seeds.
func ci(xs []float64, digits int) (string, stats.Interval) {
	iv := stats.MeanCI(xs, 0.95)
	if math.IsNaN(iv.Low) || iv.Low == iv.High {
		return fmt.Sprintf("%.*f", digits, iv.Mean), iv
	}
	return fmt.Sprintf("%.*f [%.*f, %.*f]", digits, iv.Mean, digits, iv.Low, digits, iv.High), iv
}

// WriteText prints r as a table for the terminal.
func WriteText(w io.Writer, r *Result) {
	fmt.Fprintf(w, "%s — %s\n", r.Name, r.Title)
	fmt.Fprintf(w, "  %s\n", r.Setup)
	rows := [][]string{{"", "quantity", "ours", "published", "test"}}
	for _, c := range r.Checks {
		mark := "ok"
		if !c.Pass {
			mark = "OUT"
		}
		rows = append(rows, []string{mark, c.Quantity, c.Ours, c.Published, c.Test})
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString("  ")
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(cell))))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "  band: %s\n", r.Band)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// WriteMarkdown prints r as the section docs/validation.md holds.
func WriteMarkdown(w io.Writer, r *Result, command string) {
	fmt.Fprintf(w, "### %s\n\n", r.Name)
	fmt.Fprintf(w, "%s\n\n%s Reproduce with `%s`.\n\n", r.Title, r.Setup, command)
	fmt.Fprintln(w, "| quantity | ours | published | test | in band |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, c := range r.Checks {
		in := "yes"
		if !c.Pass {
			in = "**no**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Quantity, c.Ours, c.Published, c.Test, in)
	}
	fmt.Fprintf(w, "\nBand: %s\n", r.Band)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\n%s\n", n)
	}
	fmt.Fprintln(w)
}

// WriteIndex prints the Markdown list of the replications with their
// sources and sizes, the head of docs/validation.md's generated section.
func WriteIndex(w io.Writer) {
	fmt.Fprintln(w, "| replication | published result | quick size (`smbsim replicate NAME`) | `--full` size |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range All() {
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", r.Name, r.Citation, r.Quick, r.Full)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "CPU times are the user time of `/usr/bin/time smbsim replicate NAME` (with `--full`: measured on 2026-12-05, each run whole) on a shared 2-core machine. The `--full` sizes also run as shards, on one machine or a Slurm cluster: `smbsim replicate --full --shard i/n --out DIR_i` computes every n-th run of each replication (runs u with u mod n = i − 1) and `smbsim merge DIR_1 … DIR_n --out DIR` prints the tables and draws the charts of the unsharded run, byte for byte (`TestShardsReplayAsOneRun`); `SHARDS=8 deploy/slurm.sh replicate --full` submits the shards and the merge (the tables in `OUT.slurm/logs/merge.log`).")
	fmt.Fprintln(w)
}
