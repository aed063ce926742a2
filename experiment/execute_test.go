package experiment

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/stats"
)

func TestWorkersDoNotChangeResults(t *testing.T) {
	for _, cmd := range []string{CommandRun, CommandCompare, CommandSweep} {
		t.Run(cmd, func(t *testing.T) {
			dir := t.TempDir()
			one, four := filepath.Join(dir, "one"), filepath.Join(dir, "four")
			execute(t, testPlan(cmd, 9), Options{Out: one, Workers: 1, Factory: slowFactory})
			execute(t, testPlan(cmd, 9), Options{Out: four, Workers: 4, Factory: slowFactory})
			sameResults(t, one, four)
			files := readDir(t, one)
			want := []string{results.FileTimeseries, results.FileFirms, results.FileStats, results.FileSurvival, results.FileStrategies, results.FileShares, results.FileRuns, results.FileExcess, results.FileStrata, results.FileComparison, results.FileSummary, results.FileScenario, results.FileManifest}
			if cmd != CommandRun {
				want = append(want, results.FileTests)
			}
			if cmd == CommandSweep {
				want = append(want, results.FileSweep, results.FileSweepRuns)
				checkSweepRuns(t, one)
			}
			for _, name := range want {
				if _, ok := files[name]; !ok {
					t.Errorf("%s not written", name)
				}
			}
			if len(files) != len(want) {
				t.Errorf("wrote %d files, want %d", len(files), len(want))
			}
		})
	}
}

func TestPoolOrder(t *testing.T) {
	// Jobs finish in reverse order of their index; outcomes come back in order.
	todo := []int{0, 2, 3, 5, 8, 9, 11}
	release := make([]chan struct{}, 12)
	for i := range release {
		release[i] = make(chan struct{})
	}
	var running atomic.Int32
	p := startPool(context.Background(), slices.Values(todo), 3, func(ctx context.Context, j int) (*RunResult, error) {
		running.Add(1)
		defer running.Add(-1)
		<-release[j]
		return &RunResult{Job: j}, nil
	})
	go func() {
		for i := len(todo) - 1; i >= 0; i-- {
			close(release[todo[i]])
		}
	}()
	for _, j := range todo {
		o := p.next()
		if o.err != nil || o.res.Job != j {
			t.Fatalf("next() = %+v, %v; want job %d", o.res, o.err, j)
		}
	}
}

func TestPoolCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	todo := make([]int, 50)
	for i := range todo {
		todo[i] = i
	}
	p := startPool(ctx, slices.Values(todo), 2, func(ctx context.Context, j int) (*RunResult, error) {
		if j == 5 {
			cancel()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return &RunResult{Job: j}, nil
	})
	finished, cancelled := 0, 0
	for _, j := range todo {
		o := p.next()
		switch {
		case o.err == nil && o.res.Job == j:
			finished++
		case errors.Is(o.err, context.Canceled):
			cancelled++
		default:
			t.Fatalf("job %d: %+v %v", j, o.res, o.err)
		}
	}
	if finished < 1 || cancelled == 0 || finished+cancelled != len(todo) {
		t.Errorf("finished %d, cancelled %d", finished, cancelled)
	}
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestOnlineStatsMatchDirect(t *testing.T) {
	dir := t.TempDir()
	p := testPlan(CommandCompare, 7)
	execute(t, p, Options{Out: dir, Workers: 3})
	// Collect the series per (variant, tick, metric) from timeseries.csv.
	ts := readCSV(t, filepath.Join(dir, results.FileTimeseries))
	metrics := sim.MetricNames()
	values := map[string][]float64{}
	for _, rec := range ts[1:] {
		for m, name := range metrics {
			x, err := results.ParseFloat(rec[3+m])
			if err != nil {
				t.Fatal(err)
			}
			key := rec[0] + "|" + rec[2] + "|" + name
			values[key] = append(values[key], x)
		}
	}
	st := readCSV(t, filepath.Join(dir, results.FileStats))
	if got := strings.Join(st[0], ","); got != "variant,tick,metric,n,mean,sd,ci_low,ci_high" {
		t.Fatalf("stats header %s", got)
	}
	rows := 0
	for _, rec := range st[1:] {
		xs := values[rec[0]+"|"+rec[1]+"|"+rec[2]]
		iv := stats.MeanCI(xs, 0.95)
		n, _ := strconv.Atoi(rec[3])
		if n != iv.N {
			t.Fatalf("%v: n %d, direct %d", rec, n, iv.N)
		}
		for i, want := range []float64{iv.Mean, iv.SD, iv.Low, iv.High} {
			got, _ := results.ParseFloat(rec[4+i])
			if !near(got, want) {
				t.Fatalf("%v column %d: online %v, direct %v", rec, 4+i, got, want)
			}
		}
		rows++
	}
	if rows == 0 {
		t.Fatal("stats.csv is empty")
	}
	// comparison.csv against runs.csv.
	runs := readCSV(t, filepath.Join(dir, results.FileRuns))
	per := map[string][]float64{}
	for _, rec := range runs[1:] {
		x, _ := results.ParseFloat(rec[3])
		per[rec[0]+"|"+rec[2]] = append(per[rec[0]+"|"+rec[2]], x)
	}
	cmp := readCSV(t, filepath.Join(dir, results.FileComparison))
	for _, rec := range cmp[1:] {
		if _, suffix, _ := results.SplitShockMeasure(rec[1]); suffix == StdExcessSuffix {
			continue // computed across runs, not in runs.csv
		}
		iv := stats.MeanCI(per[rec[0]+"|"+rec[1]], 0.95)
		got, _ := results.ParseFloat(rec[3])
		if !near(got, iv.Mean) {
			t.Errorf("%v: mean %v, direct %v", rec, got, iv.Mean)
		}
	}
	if len(cmp) != 1+len(SummaryMeasureNames(1, DefaultHorizons))+len(SummaryMeasureNames(2, DefaultHorizons)) {
		t.Errorf("comparison.csv has %d rows", len(cmp)-1)
	}
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestShardsMergeEqualSingleRun(t *testing.T) {
	for _, cmd := range []string{CommandRun, CommandCompare} {
		t.Run(cmd, func(t *testing.T) {
			dir := t.TempDir()
			single := filepath.Join(dir, "single")
			execute(t, testPlan(cmd, 7), Options{Out: single, Workers: 2})
			var shards []string
			for i := 1; i <= 3; i++ {
				d := filepath.Join(dir, "shard"+strconv.Itoa(i))
				execute(t, testPlan(cmd, 7), Options{Out: d, Workers: 2, Shard: Shard{i, 3}})
				shards = append(shards, d)
			}
			merged := filepath.Join(dir, "merged")
			// Shard order must not matter.
			rep := merge(t, []string{shards[2], shards[0], shards[1]}, merged)
			if rep.Manifest.Status != results.StatusComplete || rep.Completed != rep.Total {
				t.Errorf("merged manifest: %+v", rep.Manifest)
			}
			sameResults(t, single, merged)
		})
	}
}

// --shard 1/1 (deploy/slurm.sh with SHARDS=1) is the whole plan, yet it
// is merged like any shard: its directory keeps every run's series and
// firms even where complete results would not (output.detail below
// full), and its merge is one machine's run.
func TestShardOfOneMerges(t *testing.T) {
	dir := t.TempDir()
	p := func() *Plan { p := testPlan(CommandCompare, 3); p.Detail = results.DetailSummary; return p }
	single, shard, merged := filepath.Join(dir, "single"), filepath.Join(dir, "shard"), filepath.Join(dir, "merged")
	execute(t, p(), Options{Out: single})
	execute(t, p(), Options{Out: shard, Shard: Shard{1, 1}})
	if _, err := os.Stat(filepath.Join(shard, "firms.csv")); err != nil {
		t.Errorf("shard 1/1 lacks firms.csv: %v", err)
	}
	merge(t, []string{shard}, merged)
	sameResults(t, single, merged)
}

func TestMergeMissingShard(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a")
	execute(t, testPlan(CommandCompare, 4), Options{Out: a, Shard: Shard{1, 2}})
	rep, err := Merge([]string{a}, filepath.Join(dir, "m"), MergeOptions{})
	if err == nil || !strings.Contains(err.Error(), "only 4 of 8 runs") {
		t.Fatalf("err = %v", err)
	}
	if rep.Manifest.Status != results.StatusIncomplete {
		t.Errorf("status %s", rep.Manifest.Status)
	}
	// Finishing it with --resume gives the full result.
	execute(t, testPlan(CommandCompare, 4), Options{Out: filepath.Join(dir, "m"), Resume: true})
	execute(t, testPlan(CommandCompare, 4), Options{Out: filepath.Join(dir, "full")})
	sameResults(t, filepath.Join(dir, "m"), filepath.Join(dir, "full"))
}

func TestMergeRejectsOtherExperiment(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	execute(t, testPlan(CommandCompare, 4), Options{Out: a, Shard: Shard{1, 2}})
	other := testPlan(CommandCompare, 4)
	other.Seeds[0] = 999
	execute(t, other, Options{Out: b, Shard: Shard{2, 2}})
	if _, err := Merge([]string{a, b}, filepath.Join(dir, "m"), MergeOptions{}); err == nil || !strings.Contains(err.Error(), "different experiments") {
		t.Fatalf("err = %v", err)
	}
}

// cancelAfter cancels the context once n runs have finished.
func cancelAfter(n int64, cancel context.CancelFunc) Factory {
	var started atomic.Int64
	return func(cfg sim.Config, seed uint64) (Model, error) {
		if started.Add(1) > n {
			cancel()
		}
		return newFake(cfg, seed)
	}
}

func TestInterruptedRunResumes(t *testing.T) {
	for _, workers := range []int{1, 3} {
		t.Run("workers="+strconv.Itoa(workers), func(t *testing.T) {
			dir := t.TempDir()
			full, part := filepath.Join(dir, "full"), filepath.Join(dir, "part")
			execute(t, testPlan(CommandSweep, 6), Options{Out: full, Workers: workers})

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rep, err := Execute(ctx, testPlan(CommandSweep, 6), Options{Out: part, Workers: workers, Factory: cancelAfter(5, cancel), Now: fixedNow})
			if !errors.Is(err, ErrInterrupted) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want interrupted", err)
			}
			if rep.Manifest.Status != results.StatusIncomplete || rep.Completed == 0 || rep.Completed >= rep.Total {
				t.Fatalf("manifest after interrupt: status %s, %d of %d runs", rep.Manifest.Status, rep.Completed, rep.Total)
			}
			// The finished runs are in the files.
			runs := readCSV(t, filepath.Join(part, results.FileRuns))
			seen := map[string]bool{}
			for _, rec := range runs[1:] {
				seen[rec[0]+"/"+rec[1]] = true
			}
			if len(seen) != rep.Completed {
				t.Errorf("runs.csv holds %d runs, manifest says %d", len(seen), rep.Completed)
			}

			rep, err = Execute(context.Background(), testPlan(CommandSweep, 6), Options{Out: part, Workers: workers, Resume: true, Factory: newFake, Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Resumed == 0 || rep.Manifest.Status != results.StatusComplete {
				t.Errorf("resume: resumed %d, status %s", rep.Resumed, rep.Manifest.Status)
			}
			sameResults(t, full, part)
		})
	}
}

func TestResumeRejectsOtherExperiment(t *testing.T) {
	dir := t.TempDir()
	execute(t, testPlan(CommandCompare, 3), Options{Out: dir})
	other := testPlan(CommandCompare, 3)
	other.Every = 5
	_, err := Execute(context.Background(), other, Options{Out: dir, Resume: true, Factory: newFake})
	if err == nil || !strings.Contains(err.Error(), "different experiment") {
		t.Fatalf("err = %v", err)
	}
}

func TestFailingRunKeepsFinishedRuns(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	factory := func(cfg sim.Config, seed uint64) (Model, error) {
		if seed == 103 {
			return nil, boom
		}
		return newFake(cfg, seed)
	}
	rep, err := Execute(context.Background(), testPlan(CommandRun, 6), Options{Out: dir, Workers: 1, Factory: factory, Now: fixedNow})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if rep.Manifest.Status != results.StatusIncomplete || rep.Completed != 3 {
		t.Errorf("status %s, completed %d", rep.Manifest.Status, rep.Completed)
	}
}

func TestParseShard(t *testing.T) {
	for _, s := range []string{"1/1", "2/8", " 8/8"} {
		if _, err := ParseShard(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"0/4", "5/4", "1", "a/b", "1/0", "-1/2", ""} {
		if _, err := ParseShard(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	sh := Shard{2, 3}
	var got []int
	for j := range 9 {
		if sh.Has(j) {
			got = append(got, j)
		}
	}
	if len(got) != 3 || got[0] != 1 || got[1] != 4 || got[2] != 7 {
		t.Errorf("shard 2/3 has %v", got)
	}
}

// checkSweepRuns checks that sweep_runs.csv holds every run of runs.csv,
// one row per run with its point's parameter values and a column per
// measure.
func checkSweepRuns(t *testing.T, dir string) {
	t.Helper()
	d, err := results.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.SweepRuns) != len(d.Summary.Variants)*len(d.Summary.Seeds) {
		t.Fatalf("sweep_runs.csv: %d rows, want %d", len(d.SweepRuns), len(d.Summary.Variants)*len(d.Summary.Seeds))
	}
	type key struct {
		point, measure string
		seed           uint64
	}
	runs := map[key]float64{}
	for _, r := range d.Runs {
		runs[key{r.Variant, r.Measure, r.Seed}] = r.Value
	}
	values := map[string]map[string]string{}
	for _, row := range d.Sweep {
		values[row.Variant] = row.Values
	}
	n := 0
	for _, row := range d.SweepRuns {
		if fmt.Sprint(row.Values) != fmt.Sprint(values[row.Variant]) {
			t.Errorf("%s: values %v, sweep.csv has %v", row.Variant, row.Values, values[row.Variant])
		}
		for i, m := range d.Layout.Measures {
			want, ok := runs[key{row.Variant, m, row.Seed}]
			if !ok {
				if !math.IsNaN(row.Measures[i]) {
					t.Errorf("%s seed %d %s: %v, not in runs.csv", row.Variant, row.Seed, m, row.Measures[i])
				}
				continue
			}
			if fmt.Sprint(want) != fmt.Sprint(row.Measures[i]) {
				t.Errorf("%s seed %d %s: %v, runs.csv has %v", row.Variant, row.Seed, m, row.Measures[i], want)
			}
			n++
		}
	}
	if n != len(d.Runs) || n == 0 {
		t.Errorf("sweep_runs.csv has %d values, runs.csv %d", n, len(d.Runs))
	}
}
