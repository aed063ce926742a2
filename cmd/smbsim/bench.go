package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/sim/simbench"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:      "bench",
		Usage:     "measure the engine's speed and memory on fixed reference workloads",
		UsageText: "smbsim bench [--quick] [--json] [--workers N]",
		Description: `Runs, in this process: the reference market (10,000 firms by default
scenario: D=8, Q=8, 12 segments, small world of degree 8, revision 0.1,
every metric every tick) at 1,000 / 10,000 / 100,000 / 1,000,000 firms; 8
seeds of the 10,000-firm market on 1 worker and on all cores (checking the
results are identical); and Axelrod's culture model (F=5, q=10, 2,000,000
events) on 10×10 and 100×100 lattices, measured at the end as the C loop of
docs/perf/axelrod.c is, and on 100×100 measured every tick
(axelrod-100x100/tick); and Axelrod's model run to
absorption by the naive loop (the engine's World) and by the culture
world's automatic engine (rejection-free active links where events mostly
fail) at F=5 q=10 10×10, F=5 q=15 32×32 and F=10 q=55 50×50, from seed 1
(at F=10 q=55, 5 naive runs and 40 automatic ones). Firm-ticks count alive
firms.
peak_rss is the process's peak so far (VmHWM), so workloads run smallest
first. cpu_seconds (single-run market and Axelrod workloads) is the
process's CPU time over the measured part: on a shared machine, compare
work per CPU second rather than per wall second. The full set takes about two minutes on 2 cores; --quick a few
seconds. See docs/performance.md.

Examples:
  smbsim bench                  # the full set, as a table
  smbsim bench --quick          # a few seconds: a smoke test of the engine's speed
  smbsim bench --json > bench.jsonl
  smbsim bench --only absorb    # Axelrod to absorption: naive loop against active links
  smbsim bench --only axelrod   # Axelrod's events per second alone (docs/perf/axelrod-vs-c.sh)`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "quick", Usage: "short runs, no 1,000,000-firm market"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per workload instead of a table"},
			&cli.IntFlag{Name: "workers", Usage: "workers of the parallel multi-seed run", DefaultText: "all cores"},
			&cli.StringFlag{Name: "only", Usage: "run just these workloads: absorb (Axelrod to absorption, naive loop against the rejection-free engine; about a minute), axelrod (2,000,000 events of Axelrod's model on 10×10 and 100×100, and 100×100 measured every tick; a few seconds), or market-1M"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return usageError(fmt.Errorf("bench takes no arguments"))
			}
			if w := cmd.Int("workers"); w < 0 {
				return usageError(fmt.Errorf("--workers %d: need at least 1 worker (or 0 for all cores)", w))
			}
			out := cmd.Root().Writer
			opts := simbench.Options{Quick: cmd.Bool("quick"), Workers: int(cmd.Int("workers")), Only: cmd.String("only")}
			if opts.Only != "" && opts.Only != simbench.BigMarket && opts.Only != simbench.Absorb && opts.Only != simbench.AxelrodEvents {
				return usageError(fmt.Errorf("--only: unknown workload %q (only %s, %s or %s run alone)", opts.Only, simbench.BigMarket, simbench.Absorb, simbench.AxelrodEvents))
			}
			if seamsOf(cmd).isolateBench && opts.Only == "" {
				opts.Isolate = benchChild
			}
			if cmd.Bool("json") {
				enc := json.NewEncoder(out)
				return simbench.Suite(opts, func(r simbench.Result) { enc.Encode(r) })
			}
			fmt.Fprintf(out, "smbsim %s, %s/%s, %d CPUs\n", version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
			const row = "%-22s %9s %6s %4s %7s %8s %12s %10s %11s %9s\n"
			fmt.Fprintf(out, row, "workload", "firms", "ticks", "runs", "workers", "seconds", "firm-ticks/s", "events/s", "allocs/tick", "peak RSS")
			err := simbench.Suite(opts, func(r simbench.Result) {
				ev := "-"
				if r.EventsPerSec > 0 {
					ev = fmt.Sprintf("%.3g", r.EventsPerSec)
				}
				fmt.Fprintf(out, row, r.Name, fmt.Sprint(r.Firms), fmt.Sprint(r.Ticks), fmt.Sprint(r.Runs), fmt.Sprint(r.Workers),
					fmt.Sprintf("%.2f", r.Seconds), fmt.Sprintf("%.3g", r.FirmTicksPerSec), ev,
					fmt.Sprintf("%.2f", r.AllocsPerTick), fmt.Sprintf("%.0f MiB", float64(r.PeakRSSBytes)/(1<<20)))
				if r.Note != "" {
					fmt.Fprintf(out, "  %s\n", r.Note)
				}
			})
			return err
		},
	}
}

// benchChild runs `smbsim bench --only name --json` with this executable
// and returns the result it prints.
func benchChild(name string) (simbench.Result, error) {
	exe, err := os.Executable()
	if err != nil {
		return simbench.Result{}, err
	}
	c := exec.Command(exe, "bench", "--only", name, "--json")
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		return simbench.Result{}, fmt.Errorf("workload %s in a child process: %w", name, err)
	}
	var r simbench.Result
	if err := json.Unmarshal(out, &r); err != nil {
		return simbench.Result{}, fmt.Errorf("workload %s in a child process: %w", name, err)
	}
	r.Note += "; run in a process of its own"
	return r, nil
}
