package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A culture world wider than 64 bits (F = 10, q = 100 and q = 80) runs
// through run, compare and sweep on the culture engine, with the same
// result files, byte for byte, whatever the workers, after shards and
// merge and after an interrupt and --resume; culture.engine changes the
// runs (another engine draws other events) but not what is written.
func TestWideCultureRuns(t *testing.T) {
	dir := t.TempDir()
	wide := "testdata/wide-culture.toml"
	for _, q := range []string{"100", "80"} {
		t.Run("q"+q, func(t *testing.T) {
			base := args("run", wide, "--set", "strategy.options="+q, "--seeds", "4", "--no-charts", "-q", "--detail", "full") // firms.csv
			one, two := filepath.Join(dir, q, "one"), filepath.Join(dir, q, "two")
			mustRun(t, args(base, "--workers", "1", "--out", one)...)
			mustRun(t, args(base, "--workers", "2", "--out", two)...)
			sameResults(t, one, two)
			s1, s2, merged := filepath.Join(dir, q, "s1"), filepath.Join(dir, q, "s2"), filepath.Join(dir, q, "merged")
			mustRun(t, args(base, "--shard", "1/2", "--out", s1)...)
			mustRun(t, args(base, "--shard", "2/2", "--out", s2)...)
			mustRun(t, "merge", s1, s2, "--out", merged, "--no-charts", "-q")
			sameResults(t, one, merged)
			part := filepath.Join(dir, q, "part")
			if r := smbsimCtx(t, interruptAfter(t, 3), args(base, "--workers", "1", "--out", part)...); r.code != 1 {
				t.Fatalf("interrupted run: exit %d\n%s", r.code, r.stderr)
			}
			mustRun(t, args(base, "--workers", "1", "--out", part, "--resume")...)
			sameResults(t, one, part)

			firms, err := os.ReadFile(filepath.Join(one, "firms.csv"))
			if err != nil {
				t.Fatal(err)
			}
			// A strategy of 10 options, each up to q − 1 (wider than 64 bits).
			lines := strings.Split(string(firms), "\n")
			col := slices.Index(strings.Split(lines[0], ","), "initial")
			if f := strings.Split(lines[1], ","); col < 0 || len(f) <= col || strings.Count(f[col], "-") != 9 {
				t.Errorf("firms.csv: %q, %q", lines[0], lines[1])
			}
			naive := filepath.Join(dir, q, "naive")
			mustRun(t, args(base, "--set", "culture.engine=naive", "--out", naive)...)
			a, b := readDir(t, one), readDir(t, naive)
			if a["runs.csv"] == b["runs.csv"] || len(a["runs.csv"]) == 0 {
				t.Error("culture.engine = naive made the same runs as auto")
			}
		})
	}
	r := mustRun(t, "compare", wide, "axelrod", "--seeds", "3", "--out", filepath.Join(dir, "compare"))
	if !strings.Contains(r.stdout, "wide-culture") {
		t.Errorf("compare table:\n%s", r.stdout)
	}
	for _, f := range []string{"report.html", "charts/regions.png", "charts/diversity.png", "tests.csv"} {
		if _, err := os.Stat(filepath.Join(dir, "compare", f)); err != nil {
			t.Error(err)
		}
	}
	mustRun(t, "sweep", wide, "--vary", "strategy.options=80,100", "--vary", "culture.engine=naive,active_links", "--seeds", "2",
		"--out", filepath.Join(dir, "sweep"), "--no-charts", "-q")
}

// A strategy wider than 64 bits outside a culture world, and the engine
// key asked of a market, are invalid scenarios: exit 2, naming the file,
// line, key and what is allowed.
func TestWideCultureRefused(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/wide-culture.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(src), "enabled = false", "enabled = true", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", bad, "--out", filepath.Join(dir, "o1")}, []string{"bad.toml:14:", "strategy.dimensions", "70 bits", "fit in 64 bits", "market.enabled = false"}},
		{[]string{"run", "baseline", "--set", "culture.engine=naive", "--out", filepath.Join(dir, "o2")}, []string{"culture.engine", "only a culture world", `use "auto"`}},
		{[]string{"run", "testdata/wide-culture.toml", "--set", "strategy.options=300", "--out", filepath.Join(dir, "o3")}, []string{"strategy.options", "2 to 256"}},
		{[]string{"run", "axelrod", "--set", "culture.engine=fast", "--out", filepath.Join(dir, "o4")}, []string{"culture.engine", "auto, naive, active_links"}},
	} {
		r := smbsim(t, c.args...)
		if r.code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", c.args, r.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, r.stderr)
			}
		}
	}
}

// Runs that stop early (absorbed) count in their final state at the later
// recorded ticks: after shards and merge too, which once lost the tick
// limit and wrote each run's stopping tick into stats.csv.
func TestAbsorbedRunsMerge(t *testing.T) {
	dir := t.TempDir()
	base := args("run", "axelrod", "--seeds", "4", "--no-charts", "-q")
	one, s1, s2, merged := filepath.Join(dir, "one"), filepath.Join(dir, "s1"), filepath.Join(dir, "s2"), filepath.Join(dir, "merged")
	mustRun(t, args(base, "--out", one)...)
	mustRun(t, args(base, "--shard", "1/2", "--out", s1)...)
	mustRun(t, args(base, "--shard", "2/2", "--out", s2)...)
	mustRun(t, "merge", s1, s2, "--out", merged, "--no-charts", "-q")
	sameResults(t, one, merged)
}
