package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --detail (output.detail) changes what the results keep of each run, not
// the statistics or the charts: at summary (the default) timeseries.csv
// holds the first three seeds' rows and there is no firms.csv; at full every
// run's rows and firms.csv; the files across seeds and every chart are
// the same bytes.
func TestDetailFlag(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	out := map[string]map[string]string{}
	for _, level := range []string{"", "summary", "series", "full"} {
		o := filepath.Join(dir, "d"+level)
		a := []string{"compare", "testdata/mixes.toml", "--seeds", "4", "--out", o, "-q", "--set", `output.formats=["svg"]`}
		if level != "" {
			a = append(a, "--detail", level)
		}
		mustRun(t, a...)
		out[level] = readDir(t, o)
	}
	seeds := func(csv string) int {
		seen := map[string]bool{}
		for i, line := range strings.Split(strings.TrimSpace(csv), "\n") {
			if f := strings.Split(line, ","); i > 0 && len(f) > 2 {
				seen[f[1]] = true
			}
		}
		return len(seen)
	}
	for level, want := range map[string]struct {
		ts    int
		firms bool
	}{"": {3, false}, "summary": {3, false}, "series": {4, false}, "full": {4, true}} {
		f := out[level]
		if n := seeds(f["timeseries.csv"]); n != want.ts {
			t.Errorf("--detail %q: timeseries.csv holds %d seeds, want %d", level, n, want.ts)
		}
		if _, ok := f["firms.csv"]; ok != want.firms {
			t.Errorf("--detail %q: firms.csv written = %v, want %v", level, ok, want.firms)
		}
		if !strings.Contains(f["scenario.toml"], `detail = "`+map[string]string{"": "summary"}[level]+level+`"`) {
			t.Errorf("--detail %q: scenario.toml lacks the level", level)
		}
	}
	charts := 0
	for name, a := range out["full"] {
		switch {
		case strings.HasPrefix(name, "charts"):
			charts++
		case !strings.Contains(" stats.csv survival.csv comparison.csv tests.csv excess_stats.csv summary.json runs.csv excess.csv strategies.csv ", " "+name+" "):
			continue
		}
		if out["summary"][name] != a {
			t.Errorf("%s differs between --detail summary and full", name)
		}
	}
	if charts < 5 {
		t.Errorf("only %d charts drawn", charts)
	}
	// A single run of a platform scenario: the shares chart draws its first
	// three seeds, which summary keeps.
	var shares [2]map[string]string
	for i, level := range []string{"summary", "full"} {
		o := filepath.Join(dir, "platform-"+level)
		mustRun(t, args("run", "platform-dominance", "--seeds", "4", "--out", o, "-q", "--detail", level, "--set", `output.formats=["svg"]`, small)...)
		shares[i] = readDir(t, o)
	}
	if shares[0]["charts/shares.svg"] == "" || shares[0]["charts/shares.svg"] != shares[1]["charts/shares.svg"] {
		t.Error("the shares chart of a single run differs between --detail summary and full (or is not drawn)")
	}
	r := smbsim(t, "run", "--detail", "some", "--dry-run")
	if r.code != 2 || !strings.Contains(r.stderr, `--detail some: output.detail: must be one of summary, series, full`) {
		t.Errorf("--detail some: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCompareFilesOutput: compare of scenario files uses the first file's
// [output] for every variant (one results directory) and, unless quiet,
// names the keys another file sets otherwise.
func TestCompareFilesOutput(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.toml")
	if err := os.WriteFile(other, append(src, "\n[output]\nshock_window = 10\ndetail = \"full\"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	same := filepath.Join(dir, "same.toml")
	if err := os.WriteFile(same, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		files []string
		quiet bool
		note  string
	}{
		{"other output", []string{"testdata/small.toml", other}, false,
			"note: " + other + " sets other output.shock_window, output.detail; every variant uses the [output] of testdata/small.toml (one results directory)\n"},
		{"other output, quiet", []string{"testdata/small.toml", other}, true, ""},
		{"same output", []string{"testdata/small.toml", same}, false, ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprint("out", i))
			a := append([]string{"compare"}, c.files...)
			a = append(a, "--seeds", "1", "--no-charts", "--out", out)
			if c.quiet {
				a = append(a, "-q")
			}
			r := mustRun(t, a...)
			if got := strings.Contains(r.stderr, "note: "); got != (c.note != "") || !strings.Contains(r.stderr, c.note) {
				t.Errorf("stderr:\n%s\nwant the note %q", r.stderr, c.note)
			}
			if _, err := os.Stat(filepath.Join(out, "firms.csv")); err == nil {
				t.Error("firms.csv written: the second file's output.detail = full was used")
			}
		})
	}
}
