package experiment

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// detailPlan is testPlan at an output detail.
func detailPlan(cmd string, seeds int, d results.Detail) *Plan {
	p := testPlan(cmd, seeds)
	p.Detail = d
	return p
}

// seedsIn returns the distinct seeds (second column) of a per-run CSV
// file's rows.
func seedsIn(t *testing.T, path string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	for _, rec := range readCSV(t, path)[1:] {
		seen[rec[1]] = true
	}
	return seen
}

// What each output.detail keeps of the runs: summary the first three
// seeds' time series and no firms, series every run's time series, full
// firms too; the files across seeds are the same at every level.
func TestDetailLevels(t *testing.T) {
	dirs := map[results.Detail]string{}
	for _, c := range []struct {
		detail     results.Detail
		tsSeeds    int
		firms      bool
		firstSeeds bool // timeseries.csv holds seeds 100, 101, 102
	}{
		{results.DetailSummary, 3, false, true},
		{results.DetailSeries, 5, false, false},
		{results.DetailFull, 5, true, false},
		{"", 5, true, false}, // a plan without a detail keeps everything
	} {
		dir := filepath.Join(t.TempDir(), "out")
		rep := execute(t, detailPlan(CommandCompare, 5, c.detail), Options{Out: dir, Workers: 2})
		dirs[c.detail] = dir
		ts := seedsIn(t, filepath.Join(dir, results.FileTimeseries))
		if len(ts) != c.tsSeeds || c.firstSeeds && !(ts["100"] && ts["101"] && ts["102"]) {
			t.Errorf("detail %q: timeseries.csv holds seeds %v, want %d", c.detail, ts, c.tsSeeds)
		}
		if _, err := os.Stat(filepath.Join(dir, results.FileFirms)); c.firms == errors.Is(err, os.ErrNotExist) {
			t.Errorf("detail %q: firms.csv present = %v, want %v", c.detail, !c.firms, c.firms)
		}
		if n := len(seedsIn(t, filepath.Join(dir, results.FileRuns))); n != 5 {
			t.Errorf("detail %q: runs.csv holds %d seeds, want every one", c.detail, n)
		}
		if rep.Manifest.Plan.Detail != c.detail {
			t.Errorf("manifest plan detail %q, want %q", rep.Manifest.Plan.Detail, c.detail)
		}
	}
	for _, name := range []string{results.FileStats, results.FileSurvival, results.FileComparison, results.FileTests, results.FileSummary, results.FileRuns, results.FileExcess} {
		a := readDir(t, dirs[results.DetailSummary])[name]
		if b := readDir(t, dirs[results.DetailFull])[name]; a != b || a == "" {
			t.Errorf("%s differs between detail summary and full (or is empty)", name)
		}
	}
	// summary.json gives every run's last tick, which the time series of
	// detail summary no longer holds.
	s, err := results.ReadSummary(dirs[results.DetailSummary])
	if err != nil {
		t.Fatal(err)
	}
	d, err := results.ReadDir(dirs[results.DetailSummary])
	if err != nil {
		t.Fatal(err)
	}
	if ends := d.RunEnds(); len(ends) != 10 || ends[0] != s.Variants[0].PerSeed[0].LastTick || ends[0] != 40 {
		t.Errorf("run ends %v, want 10 runs of 40 ticks", ends)
	}
}

// At detail summary, shards merged and an interrupted run resumed give
// the files of one uninterrupted run, byte for byte.
func TestDetailSummaryMergeAndResume(t *testing.T) {
	const seeds = 5
	plan := func() *Plan { return detailPlan(CommandCompare, seeds, results.DetailSummary) }
	dir := t.TempDir()
	single := filepath.Join(dir, "single")
	execute(t, plan(), Options{Out: single, Workers: 2})
	var shards []string
	for i := 1; i <= 2; i++ {
		d := filepath.Join(dir, "shard"+string(rune('0'+i)))
		execute(t, plan(), Options{Out: d, Workers: 2, Shard: Shard{i, 2}})
		if n := len(seedsIn(t, filepath.Join(d, results.FileTimeseries))); n < 2 {
			t.Errorf("shard %d keeps the time series of %d seeds: merge needs every run's", i, n)
		}
		shards = append(shards, d)
	}
	merged := filepath.Join(dir, "merged")
	merge(t, shards, merged)
	sameResults(t, single, merged)

	part := filepath.Join(dir, "part")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rep, err := Execute(ctx, plan(), Options{Out: part, Workers: 1, Factory: cancelAfter(4, cancel), Now: fixedNow})
	if !errors.Is(err, ErrInterrupted) || rep.Manifest.Status != results.StatusIncomplete {
		t.Fatalf("interrupt: %v, %+v", err, rep.Manifest.Status)
	}
	// Incomplete results keep every finished run's time series and firms.
	if _, err := os.Stat(filepath.Join(part, results.FileFirms)); err != nil {
		t.Errorf("incomplete results without firms.csv: %v", err)
	}
	if _, err := Execute(context.Background(), plan(), Options{Out: part, Workers: 2, Resume: true, Factory: newFake, Now: fixedNow}); err != nil {
		t.Fatal(err)
	}
	sameResults(t, single, part)
}

// At detail summary only the first three seeds' option shares are
// recorded; series records every run's.
func TestDetailShares(t *testing.T) {
	for _, c := range []struct {
		detail results.Detail
		seeds  int
	}{{results.DetailSummary, 3}, {results.DetailSeries, 5}} {
		p := detailPlan(CommandRun, 5, c.detail)
		cfg := testConfig(30, 40)
		cfg.Shocks = []sim.Shock{{Kind: sim.PlatformFailure, Tick: 15, Duration: 3, Severity: 0.5, Sector: -1, Option: 0}}
		p.Variants[0].Config = cfg
		dir := filepath.Join(t.TempDir(), "out")
		execute(t, p, Options{Out: dir, Factory: SimFactory})
		got := seedsIn(t, filepath.Join(dir, results.FileShares))
		if len(got) != c.seeds {
			t.Errorf("detail %s: shares.csv holds seeds %v, want %d", c.detail, got, c.seeds)
		}
		if top := seedsIn(t, filepath.Join(dir, results.FileStrategies)); len(top) != 1 {
			t.Errorf("detail %s: strategies.csv holds seeds %v, want the first", c.detail, top)
		}
		if !strings.Contains(readDir(t, dir)[results.FileShares], "platform") {
			t.Errorf("detail %s: no platform shares", c.detail)
		}
	}
}
