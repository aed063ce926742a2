package experiment

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/smbsim/smbsim/internal/longtest"
	"github.com/smbsim/smbsim/sim"
)

// peakPlans are plans each dominated by one thing the memory estimate
// counts, small enough to run in a few seconds: the world, the
// counterfactual forks' state of many shocks, a sweep's pairwise tests,
// per-option shares, long per-tick statistics.
func peakPlans() map[string]*Plan {
	seeds := func(n int) []uint64 {
		s := make([]uint64, n)
		for i := range s {
			s[i] = uint64(1 + i)
		}
		return s
	}
	plan := func(cmd string, cfgs []sim.Config, nseeds int) *Plan {
		p := &Plan{Command: cmd, Scenario: "peak", Seeds: seeds(nseeds), ScenarioTOML: []byte("# peak\n"), Version: "test"}
		for i, c := range cfgs {
			p.Variants = append(p.Variants, Variant{Name: fmt.Sprintf("p%03d", i+1), Config: c})
			if cmd == CommandSweep {
				p.Variants[i].Values = []string{strconv.Itoa(i)}
			}
		}
		if cmd == CommandSweep {
			p.Params = []string{"biases.herding"}
		}
		return p
	}
	small := func(ticks, firms int) sim.Config {
		c := sim.DefaultConfig()
		c.Ticks, c.Population.Firms = ticks, firms
		c.Shocks = nil
		return c
	}
	out := map[string]*Plan{}

	world := small(3, 400_000)
	out["world"] = plan(CommandRun, []sim.Config{world}, 1)

	shocks := small(80, 8000)
	for k := range 60 {
		shocks.Shocks = append(shocks.Shocks, sim.Shock{Kind: sim.DemandShift, Tick: 10 + k, Severity: 0.1, Sector: -1, Option: -1})
	}
	sp := plan(CommandRun, []sim.Config{shocks}, 1)
	sp.ShockWindow = 2
	out["shocks"] = sp

	var points []sim.Config
	for range 120 {
		points = append(points, small(10, 20))
	}
	out["pairs"] = plan(CommandSweep, points, 2)

	opts := small(40, 300)
	opts.Strategy.Dimensions = []string{"platform", "pricing"}
	opts.Strategy.Options = 65536
	opts.Strategy.PlatformDim, opts.Strategy.AutomationDim = 0, -1
	opts.Behaviour.RadicalChanges = 2
	out["options"] = plan(CommandRun, []sim.Config{opts}, 1)

	long := small(60_000, 20)
	lp := plan(CommandCompare, []sim.Config{long, long}, 1)
	lp.Variants[1].Name = "b"
	out["series"] = lp
	return out
}

// peakChild runs the named peak plan (SMBSIM_PEAK_PLAN) into dir, or its
// shard SMBSIM_PEAK_SHARD of 2.
func peakChild(name, dir string) int {
	p := peakPlans()[name]
	if p == nil {
		fmt.Fprintln(os.Stderr, "no peak plan", name)
		return 2
	}
	for i := range p.Variants {
		if err := p.Variants[i].Config.Validate(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	opt := Options{Out: dir, Workers: 1, Now: fixedNow, MemoryLimit: 1 << 40}
	if i, err := strconv.Atoi(os.Getenv("SMBSIM_PEAK_SHARD")); err == nil {
		opt.Shard = Shard{i, 2} // shard i of 2, for TestMergeEstimateMatchesPeak
	}
	if _, err := Execute(context.Background(), p, opt); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestEstimateMatchesPeak runs each peak plan in a child process and
// compares the estimate with the child's peak resident memory: within a
// factor of 2 either way. It takes about a minute and a GB, so it runs
// only with SMBSIM_LONG=memory (make validate-memory).
func TestEstimateMatchesPeak(t *testing.T) {
	longtest.Value(t, "memory")
	// The test binary's own resident memory, which every child has.
	base := peakRSS(t, "none")
	for name, p := range peakPlans() {
		t.Run(name, func(t *testing.T) {
			est := p.Footprint(1, Shard{})
			peak := peakRSS(t, name)
			used := peak - min(base, peak)
			ratio := float64(est.Memory) / float64(used)
			t.Logf("%s: estimate %s (world %s, in flight %s, aggregates %s), peak %s above the base %s: ratio %.2f",
				name, FormatBytes(est.Memory), FormatBytes(est.World), FormatBytes(est.InFlight), FormatBytes(est.Aggregates), FormatBytes(used), FormatBytes(base), ratio)
			if ratio < 0.5 || ratio > 2 {
				t.Errorf("%s: estimate %s, measured %s: not within 2×", name, FormatBytes(est.Memory), FormatBytes(used))
			}
		})
	}
}

// mergeChild merges the results directories dirs (comma-separated) into
// out.
func mergeChild(dirs, out string) int {
	if _, err := Merge(strings.Split(dirs, ","), out, MergeOptions{Now: fixedNow, MemoryLimit: 1 << 40}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestMergeEstimateMatchesPeak compares the memory estimate of merging
// (Plan.MergeFootprint) with the peak resident memory of a child process
// merging the two shards of a peak plan: within a factor of 2 either way.
// The plans whose memory is the world or its forks are left out: a merge
// builds no world. SMBSIM_LONG=memory (make validate-memory).
func TestMergeEstimateMatchesPeak(t *testing.T) {
	longtest.Value(t, "memory")
	base := peakRSS(t, "none")
	for _, name := range []string{"pairs", "options", "series"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var shards []string
			for i := 1; i <= 2; i++ {
				// In a child: a child's peak counts its parent's at the
				// fork (Linux keeps the larger across exec).
				d := filepath.Join(dir, "shard"+strconv.Itoa(i))
				runRSS(t, "SMBSIM_PEAK_PLAN="+name, "SMBSIM_PEAK_DIR="+d, "SMBSIM_PEAK_SHARD="+strconv.Itoa(i))
				shards = append(shards, d)
			}
			m, err := readPlanned(shards[0])
			if err != nil {
				t.Fatal(err)
			}
			q := planFromManifest(m)
			var have []map[int]bool
			for _, d := range shards {
				mi, _ := readPlanned(d)
				h, err := completedJobs(q, mi)
				if err != nil {
					t.Fatal(err)
				}
				have = append(have, h)
			}
			est := mergeFootprint(q, shards, have) // as Merge estimates
			peak := runRSS(t, "SMBSIM_PEAK_MERGE="+strings.Join(shards, ","), "SMBSIM_PEAK_DIR="+filepath.Join(dir, "merged"))
			used := peak - min(base, peak)
			ratio := float64(est.Memory) / float64(used)
			t.Logf("merge %s: estimate %s (in flight %s = %d × the largest run, aggregates %s), peak %s above the base %s: ratio %.2f",
				name, FormatBytes(est.Memory), FormatBytes(est.InFlight), mergeBytesPerByte, FormatBytes(est.Aggregates), FormatBytes(used), FormatBytes(base), ratio)
			if ratio < 0.5 || ratio > 2 {
				t.Errorf("merge %s: estimate %s, measured %s: not within 2×", name, FormatBytes(est.Memory), FormatBytes(used))
			}
		})
	}
}

// peakRSS runs peak plan name in a child and returns its peak resident
// memory in bytes ("none": the test binary doing nothing).
func peakRSS(t *testing.T, name string) uint64 {
	t.Helper()
	if name == "none" {
		return runRSS(t, "SMBSIM_PEAK_PLAN=")
	}
	return runRSS(t, "SMBSIM_PEAK_PLAN="+name, "SMBSIM_PEAK_DIR="+filepath.Join(t.TempDir(), "out"))
}

// runRSS runs the test binary as a child with env added to the
// environment and returns its peak resident memory in bytes.
func runRSS(t *testing.T, env ...string) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", env, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return uint64(ru.Maxrss) * 1024
}
