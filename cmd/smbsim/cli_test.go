package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// commandNames returns the commands listed by smbsim --help.
func commandNames(t *testing.T) []string {
	t.Helper()
	r := mustRun(t, "--help")
	_, list, ok := strings.Cut(r.stdout, "COMMANDS:\n")
	if !ok {
		t.Fatalf("--help has no COMMANDS section:\n%s", r.stdout)
	}
	list, _, _ = strings.Cut(list, "\n\n")
	var names []string
	for line := range strings.Lines(list) {
		name := strings.TrimSuffix(strings.Fields(line)[0], ",")
		if name != "help" {
			names = append(names, name)
		}
	}
	if len(names) < 13 {
		t.Fatalf("only %d commands in --help: %v", len(names), names)
	}
	return names
}

// TestHelpOfEveryCommand checks every command's help: it has examples,
// and no flag shows its default twice (a "(default …)" in the usage and
// the one the help adds).
func TestHelpOfEveryCommand(t *testing.T) {
	twice := regexp.MustCompile(`(?i)\(default.*\(default`)
	for _, c := range commandNames(t) {
		r := smbsim(t, c, "--help")
		if r.code != 0 {
			t.Errorf("%s --help: exit %d\n%s", c, r.code, r.stderr)
			continue
		}
		if !strings.Contains(r.stdout, "Example") {
			t.Errorf("%s --help has no examples:\n%s", c, r.stdout)
		}
		for line := range strings.Lines(r.stdout) {
			if twice.MatchString(line) || strings.Contains(line, "(default: 0)") {
				t.Errorf("%s --help shows a default twice or a meaningless one: %s", c, strings.TrimSpace(line))
			}
		}
	}
	if r := mustRun(t, "sweep", "--help"); !strings.Contains(r.stdout, "out/<scenario-name>-sweep") {
		t.Errorf("sweep --help does not give its default --out:\n%s", r.stdout)
	}
}

func TestBuildVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "f0bd3fadd6631a8ee233fcddd8808c2956978e3f"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "devel"},
		{"go test or go run", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"tagged, no VCS", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{"clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261124043334-f0bd3fadd663"},
			Settings: settings("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-11-24T04:33:34Z", "vcs.modified", "false")},
			"v0.0.0-20261124043334-f0bd3fadd663 (revision " + rev + ")"},
		{"modified tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: settings("vcs.revision", rev, "vcs.modified", "true")},
			"devel (revision " + rev + ", modified)"},
	}
	for _, tt := range tests {
		if got := buildVersionFrom(tt.bi).String(); got != tt.want {
			t.Errorf("%s: version %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestVersionInManifest checks that manifest.json records the version
// smbsim version prints.
func TestVersionInManifest(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	mustRun(t, args("run", "--seeds", "1", small, "--out", out, "--no-charts", "-q")...)
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `"version": "` + version() + `"`; !strings.Contains(string(b), want) {
		t.Errorf("manifest.json lacks %s:\n%.400s", want, b)
	}
	r := mustRun(t, "version")
	if first, _, _ := strings.Cut(r.stdout, "\n"); first != "smbsim "+readBuildVersion().Module {
		t.Errorf("version prints %q", r.stdout)
	}
}

// TestQuietEverywhere checks that every command that reports what it
// did accepts --quiet and then prints nothing. (Commands whose output is
// the product — show, scenarios, version, completion, bench — have none.)
func TestQuietEverywhere(t *testing.T) {
	skipWithoutEngine(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "res")
	mustRun(t, args("run", "--seeds", "2", small, "--out", out, "--no-charts", "--quiet", "--detail", "full")...) // complete results to merge
	for _, a := range [][]string{
		{"plot", out, "--format", "svg", "--quiet"},
		{"report", out, "-q"},
		{"merge", out, "--out", filepath.Join(dir, "merged"), "--no-charts", "--quiet"},
		args("run", "--seeds", "1", small, "--out", filepath.Join(dir, "r2"), "--no-charts", "--quiet"),
		{"validate", "baseline", "compare-mixes", "--quiet"},
		{"init", "axelrod", "--out", filepath.Join(dir, "mine.toml"), "-q"},
	} {
		r := mustRun(t, a...)
		if r.stdout != "" || r.stderr != "" {
			t.Errorf("%v printed\nstdout: %s\nstderr: %s", a, r.stdout, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err != nil {
		t.Errorf("report --quiet: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "charts", "diversity.svg")); err != nil {
		t.Errorf("plot --quiet: %v", err)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := mustRun(t, "completion", shell)
		if !strings.Contains(r.stdout, "smbsim") || !strings.Contains(r.stdout, "--generate-shell-completion") {
			t.Errorf("completion %s:\n%.300s", shell, r.stdout)
		}
	}
	if r := mustRun(t, "completion", "bash"); !strings.Contains(r.stdout, "complete -o bashdefault -o default -F __smbsim_bash_autocomplete smbsim") {
		t.Errorf("the bash script does not register a completion for smbsim:\n%s", r.stdout)
	}
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"--generate-shell-completion"}, []string{"run:", "compare:", "sweep:", "completion:"}, []string{"compare-mixes"}},
		{[]string{"run", "--generate-shell-completion"}, []string{"baseline:", "compare-mixes:", "axelrod:"}, []string{"--seeds"}},
		{[]string{"compare", "imitation-heavy", "--generate-shell-completion"}, []string{"balanced-mix:"}, nil},
		{[]string{"run", "--se", "--generate-shell-completion"}, []string{"--seeds", "--seed", "--set"}, []string{"baseline", "--out"}},
		{[]string{"plot", "--d", "--generate-shell-completion"}, []string{"--dpi", "--diversity"}, nil},
	}
	for _, tt := range tests {
		r := mustRun(t, tt.args...)
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: no %q in\n%s", tt.args, w, r.stdout)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(r.stdout, w) {
				t.Errorf("%v: %q in\n%s", tt.args, w, r.stdout)
			}
		}
	}
}

// TestDryRun checks that --dry-run prints the plan, with the results
// directory the command would use, and writes nothing.
func TestDryRun(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"run"}, []string{"command: run", "scenario: baseline", "runs: 10", "out: out/baseline", "charts: yes", "quiet: no"}},
		{[]string{"compare", "--seeds", "2", "compare-mixes", "--no-charts"}, []string{"variants: 3", "runs: 6", "out: out/compare-mixes", "charts: no"}},
		{[]string{"compare", "imitation-heavy", "balanced-mix", "--seeds", "3", "-q"}, []string{"runs: 6", "out: out/imitation-heavy-vs-balanced-mix", "quiet: yes"}},
		{[]string{"sweep", "baseline", "--vary", "biases.herding=0,1", "--seeds", "2"}, []string{"variants: 2", "runs: 4", "out: out/baseline-sweep"}},
		{[]string{"run", "--seeds", "10", "--shard", "2/3"}, []string{"shard: 2/3", "runs: 3", "out: out/baseline.shard-2-of-3", "charts: no"}},
		{[]string{"run", "--out", "a", "--out", "my results", "--workers", "3"}, []string{"out: my results", "workers: 3"}},
	}
	for _, tt := range tests {
		r := mustRun(t, append(tt.args, "--dry-run")...)
		for _, w := range tt.want {
			if !strings.Contains(r.stdout, w+"\n") {
				t.Errorf("%v --dry-run: no %q in\n%s", tt.args, w, r.stdout)
			}
		}
	}
	if _, err := os.Stat("out"); err == nil {
		t.Error("--dry-run created out/")
	}
	if r := smbsim(t, "run", "--set", "population.firms=-1", "--dry-run"); r.code != exitUsage {
		t.Errorf("--dry-run of an invalid scenario: exit %d, want %d", r.code, exitUsage)
	}
}

func TestProgressLines(t *testing.T) {
	var b bytes.Buffer
	var ticks int64
	counts := func() (int64, int64, int64, int64) { return 0, 4, ticks, 400 }
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progressLines{w: &b, counts: counts, start: t0, every: 30 * time.Second, last: t0}
	if p.tick(t0.Add(40 * time.Second)) {
		t.Error("printed a line although nothing moved")
	}
	ticks = 100
	if p.tick(t0.Add(10 * time.Second)) {
		t.Error("printed a line before the interval passed")
	}
	if !p.tick(t0.Add(60 * time.Second)) {
		t.Error("no line after the interval")
	}
	if p.tick(t0.Add(70 * time.Second)) {
		t.Error("a second line within the interval")
	}
	want := "progress: 0/4 runs, 25 % of ticks, 1m0s elapsed, about 3m0s left\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if got := progressLine(4, 4, 400, 400, time.Minute); got != "progress: 4/4 runs, 100 % of ticks, 1m0s elapsed" {
		t.Errorf("finished: %q", got)
	}
}

// TestProgressWithoutTerminal checks that a run whose stderr is not a
// terminal prints progress lines, unless --quiet.
func TestProgressWithoutTerminal(t *testing.T) {
	skipWithoutEngine(t)
	setSeams(t, func(s *seams) { s.progressEvery = time.Nanosecond }) // a line whenever the run moved
	dir := t.TempDir()
	r := mustRun(t, args("run", "--seeds", "4", "--workers", "1", small, "--out", filepath.Join(dir, "a"), "--no-charts")...)
	if !strings.Contains(r.stderr, "progress: ") {
		t.Errorf("no progress line:\n%s", r.stderr)
	}
	r = mustRun(t, args("run", "--seeds", "4", "--workers", "1", small, "--out", filepath.Join(dir, "b"), "--no-charts", "--quiet")...)
	if r.stderr != "" {
		t.Errorf("--quiet printed:\n%s", r.stderr)
	}
}
