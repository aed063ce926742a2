package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/plots"
)

// TestBadInput checks that every kind of mistake gets exit status 2 (or 1
// for a failed run) and a message that says what is wrong.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	syntax := write("syntax.toml", "[simulation]\nticks = = 5\n")
	unknownKey := write("unknown.toml", "[market]\nbase_margn = 0.3\n")
	wrongType := write("type.toml", "[population]\nfirms = \"many\"\n")
	outOfRange := write("range.toml", "[market]\nbase_margin = 1.5\n")
	badMix := write("mix.toml", "[population.mix]\nimitator = 0.5\ninnovator = 0.5\nspecialist = 0.5\nadaptive = 0\n")
	lateShock := write("late.toml", "[simulation]\nticks = 100\n\n[[shocks]]\nkind = \"downturn\"\ntick = 300\n")
	bigDegree := write("degree.toml", "[population]\nfirms = 10\n\n[network]\nkind = \"ring\"\ndegree = 12\n")
	several := write("several.toml", "[market]\nbase_margin = -1\nsectors = 0\n\n[biases]\nherding = 2\n")
	aFile := write("a-file", "not a directory\n")
	deep := write("deep.toml", "[meta]\ndescription = "+strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)+"\n")
	existing := write("existing.toml", "# exists\n")
	twice := write("twice.toml", "market.base_margin = 0.3\n[market]\nsectors = 2\n")
	inline := write("inline.toml", "market = { sectors = 2 }\nmarket.base_margin = 0.3\n")
	resultsOfOther := filepath.Join(dir, "other")
	skipWithoutEngine(t)
	mustRun(t, args("run", "testdata/small.toml", "--seeds", "1", "--out", resultsOfOther, "--no-charts", "-q")...)

	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of stderr
	}{
		{"syntax error", []string{"run", syntax}, 2, []string{"syntax.toml:2", "syntax error"}},
		{"unknown key", []string{"run", unknownKey}, 2, []string{"unknown.toml:2", "base_margn", "did you mean", "base_margin"}},
		{"wrong type", []string{"run", wrongType}, 2, []string{"type.toml:2", "population.firms"}},
		{"out of range", []string{"run", outOfRange}, 2, []string{"range.toml:2", "market.base_margin", "1.5"}},
		{"mix not summing to 1", []string{"run", badMix}, 2, []string{"mix.toml", "sum to 1"}},
		{"shock after the end", []string{"run", lateShock}, 2, []string{"late.toml", "shocks[1].tick", "300"}},
		{"degree not below firms", []string{"run", bigDegree}, 2, []string{"degree.toml", "network.degree"}},
		{"all problems at once", []string{"validate", several}, 2, []string{"market.base_margin", "market.sectors", "biases.herding"}},
		{"missing file", []string{"run", filepath.Join(dir, "nope.toml")}, 2, []string{"nope.toml", "cannot read"}},
		{"unknown built-in", []string{"run", "baselin"}, 2, []string{"unknown scenario", "baselin", "baseline"}},
		{"unknown flag", []string{"run", "--sedes", "3"}, 2, []string{"sedes"}},
		{"unknown command", []string{"rnu"}, 2, []string{"unknown command", "rnu"}},
		{"set without value", []string{"run", "--set", "market.base_margin"}, 2, []string{"key=value"}},
		{"set unknown key", []string{"run", "--set", "market.nope=1"}, 2, []string{"market.nope"}},
		{"set out of range", []string{"run", "--set", "biases.herding=3"}, 2, []string{"biases.herding"}},
		{"set wrong type", []string{"run", "--set", "population.firms=lots"}, 2, []string{"population.firms"}},
		{"zero seeds", []string{"run", "--seeds", "0"}, 2, []string{"--seeds 0: simulation.seeds: must be an integer between 1 and 100000"}},
		{"seed beyond 64 bits", []string{"run", "--seed", "9223372036854775808"}, 2, []string{"--seed 9223372036854775808: simulation.base_seed: expected a non-negative integer, got 9223372036854775808 (out of range: at most 9223372036854775807)"}},
		{"set integer beyond 64 bits", []string{"run", "--set", "simulation.ticks=99999999999999999999"}, 2, []string{"got 99999999999999999999 (out of range"}},
		{"deeply nested file", []string{"validate", deep}, 2, []string{"deep.toml:2:25: nested 13 levels deep"}},
		{"endless file", []string{"validate", "/dev/zero"}, 2, []string{"/dev/zero: the file is larger than 1048576 bytes"}},
		{"zero ticks", []string{"run", "--ticks", "0"}, 2, []string{"simulation.ticks"}},
		{"bad shard index", []string{"run", "--shard", "0/3"}, 2, []string{"--shard", "1 ≤ i ≤ n"}},
		{"bad shard syntax", []string{"run", "--shard", "two"}, 2, []string{"--shard", "i/n"}},
		{"zero workers", []string{"run", "--workers", "0"}, 2, []string{"--workers"}},
		{"out is a file", []string{"run", "testdata/small.toml", "--out", aFile}, 2, []string{"--out", "is a file"}},
		{"out under a file", []string{"run", "testdata/small.toml", "--out", filepath.Join(aFile, "sub")}, 2, []string{"--out", "cannot create"}},
		{"resume other experiment", []string{"run", "testdata/small.toml", "--seeds", "2", "--out", resultsOfOther, "--resume"}, 2, []string{"--resume", "different experiment"}},
		{"run two scenarios", []string{"run", "baseline", "downturn"}, 2, []string{"compare"}},
		{"compare one plain scenario", []string{"compare", "baseline"}, 2, []string{"two or more scenarios"}},
		{"compare nothing", []string{"compare"}, 2, []string{"two or more"}},
		{"compare same name twice", []string{"compare", "baseline", "baseline"}, 2, []string{"named \"baseline\""}},
		{"sweep without vary", []string{"sweep", "testdata/small.toml"}, 2, []string{"nothing to sweep", "--vary"}},
		{"sweep bad vary", []string{"sweep", "testdata/small.toml", "--vary", "biases.herding"}, 2, []string{"--vary", "key=v1,v2"}},
		{"sweep unknown key", []string{"sweep", "testdata/small.toml", "--vary", "biases.hearding=0,1"}, 2, []string{"biases.hearding"}},
		{"sweep bad value", []string{"sweep", "testdata/small.toml", "--vary", "biases.herding=0,7"}, 2, []string{"p002", "biases.herding"}},
		{"sweep bad design", []string{"sweep", "testdata/small.toml", "--vary", "biases.herding=0,1", "--design", "random"}, 2, []string{"--design", "lhs"}},
		{"validate nothing", []string{"validate"}, 2, []string{"at least one file"}},
		{"merge without out", []string{"merge", dir}, 2, []string{"out"}},
		{"merge a non-results dir", []string{"merge", dir, "--out", filepath.Join(dir, "m")}, 2, []string{"manifest.json"}},
		{"init over a file", []string{"init", "--out", existing}, 2, []string{"already exists"}},
		{"init unknown", []string{"init", "nope"}, 2, []string{"unknown scenario"}},
		{"show unknown", []string{"show", "nope"}, 2, []string{"unknown scenario"}},
		{"show nothing", []string{"show"}, 2, []string{"show takes one"}},
		{"bench unknown workload", []string{"bench", "--only", "market-2M"}, 2, []string{"--only", "market-2M", "market-1M"}},
		{"bench with an argument", []string{"bench", "now"}, 2, []string{"no arguments"}},
		{"table defined twice", []string{"run", twice}, 2, []string{"twice.toml:2:1: market: already defined by dotted keys at line 1"}},
		{"inline table extended", []string{"validate", inline}, 2, []string{"inline.toml:2:1: market: an inline table (line 1) is complete"}},
		{"set invalid UTF-8", []string{"run", "--set", "meta.description=\xff"}, 2, []string{"invalid UTF-8"}},
		{"set key invalid UTF-8", []string{"run", "--dry-run", "--set", "market.\xff=1"}, 2, []string{"invalid UTF-8"}},
		{"set bomb echoed in short", []string{"run", "--dry-run", "--set", "meta.description=" + strings.Repeat("[", 100_000)}, 2, []string{"--set meta.description=[[[", "bytes more"}},
		{"vary bomb echoed in short", []string{"sweep", "--dry-run", "--vary", "meta.description=a," + strings.Repeat("[", 60_000), "baseline"}, 2, []string{"sweep point p002", "bytes more"}},
		{"vary invalid UTF-8", []string{"sweep", "--dry-run", "--vary", "meta.description=a,\xff", "baseline"}, 2, []string{"invalid UTF-8"}},
		// Flag values and names in the program's words (issue 23 part 8).
		{"seeds not a number", []string{"run", "--seeds", "abc"}, 2, []string{`--seeds: "abc" is not a whole number`}},
		{"int flag not a number", []string{"run", "--workers", "abc"}, 2, []string{`--workers: "abc" is not a whole number (run 'smbsim run --help' for usage)`}},
		{"int flag a fraction", []string{"plot", "x", "--dpi", "1.5"}, 2, []string{`--dpi: "1.5" is not a whole number`}},
		{"int flag out of range", []string{"sweep", "x", "--samples", "99999999999999999999"}, 2, []string{`--samples: "99999999999999999999" is out of range`}},
		{"misspelt flag", []string{"run", "--no-chart"}, 2, []string{`unknown flag --no-chart; did you mean "--no-charts"?`}},
		{"misspelt command", []string{"comapre", "a", "b"}, 2, []string{`unknown command "comapre"; did you mean "compare"?`}},
		{"unknown command before a flag", []string{"sensitivity", "baseline", "--seeds", "3"}, 2, []string{`unknown command "sensitivity"`}},
		{"enum did you mean", []string{"run", "--set", "network.kind=smal_world"}, 2, []string{`--set network.kind=smal_world: must be one of`, `did you mean "small_world"?`}},
		{"decimal comma", []string{"run", "--set", "biases.herding=0,5"}, 2, []string{`--set biases.herding=0,5: expected a number, got "0,5"`, "write 0.5"}},
		{"set mix blamed on --set", []string{"run", "testdata/small.toml", "--set", "population.mix.imitator=0.9"}, 2, []string{"--set population.mix.imitator=0.9: population.mix: shares must sum to 1"}},
		{"help of an unknown command", []string{"help", "foo"}, 2, []string{`unknown command "foo"`}},
		{"completion of an unknown shell", []string{"completion", "tcsh"}, 2, []string{`no script for the shell "tcsh"`, "bash, zsh, fish"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := smbsim(t, tt.args...)
			if len(r.stderr) > 8000 {
				t.Errorf("a message of %d bytes", len(r.stderr))
			}
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tt.code, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
	if len(tests) < 20 {
		t.Fatalf("only %d bad inputs", len(tests))
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, c := range []string{"run", "compare", "sweep", "merge", "validate", "scenarios", "show", "init", "version"} {
		r := smbsim(t, c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "smbsim "+c) {
			t.Errorf("%s --help: exit %d\n%s%s", c, r.code, r.stdout, r.stderr)
		}
		if c != "version" && c != "scenarios" && !strings.Contains(r.stdout, "Examples") && !strings.Contains(r.stdout, "smbsim "+c+" ") {
			t.Errorf("%s --help has no examples:\n%s", c, r.stdout)
		}
	}
	r := smbsim(t, "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "Examples") {
		t.Errorf("--help: exit %d\n%s", r.code, r.stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "--help"}, "smbsim help [COMMAND]"},
		{[]string{"help"}, "COMMANDS:"},
		{[]string{"help", "compare"}, "smbsim compare A B"},
		{[]string{"h", "run"}, "smbsim run [SCENARIO]"},
		{[]string{"completion", "--help"}, "smbsim completion bash|zsh|fish|pwsh"},
		{[]string{"completion"}, "smbsim completion bash|zsh|fish|pwsh"},
	} {
		if r := smbsim(t, c.args...); r.code != 0 || !strings.Contains(r.stdout, c.want) {
			t.Errorf("%v: exit %d, want 0 and %q\n%s%s", c.args, r.code, c.want, r.stdout, r.stderr)
		}
	}
}

// plot --help lists every chart smbsim draws.
func TestPlotHelpListsEveryChart(t *testing.T) {
	r := mustRun(t, "plot", "--help")
	help := strings.Join(strings.Fields(r.stdout), " ")
	for _, name := range plots.ChartNames() {
		if !strings.Contains(help, " "+name+",") && !strings.Contains(help, " "+name+".") {
			t.Errorf("plot --help does not list the %s chart:\n%s", name, r.stdout)
		}
	}
}

func TestScenarioCommands(t *testing.T) {
	r := mustRun(t, "scenarios")
	for _, name := range []string{"baseline", "imitation-heavy", "platform-dominance", "axelrod"} {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("scenarios lacks %s:\n%s", name, r.stdout)
		}
	}
	if r := mustRun(t, "show", "downturn"); !strings.Contains(r.stdout, "[[shocks]]") {
		t.Errorf("show downturn:\n%s", r.stdout)
	}
	if r := mustRun(t, "show", "baseline", "--resolved"); !strings.Contains(r.stdout, "base_margin") {
		t.Errorf("show --resolved:\n%.300s", r.stdout)
	}
	out := filepath.Join(t.TempDir(), "mine.toml")
	mustRun(t, "init", "platform-dominance", "--out", out)
	if r := mustRun(t, "validate", out, "testdata/small.toml"); !strings.Contains(r.stdout, "mine.toml: ok") {
		t.Errorf("validate:\n%s", r.stdout)
	}
	if r := mustRun(t, "version"); !strings.HasPrefix(r.stdout, "smbsim ") {
		t.Errorf("version: %q", r.stdout)
	}
}

// A file name cannot drive the terminal: validate escapes it when it
// reports the file as ok, as the problems of a bad one are escaped.
func TestValidateEscapesNames(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a\x1b]0;pwned\x07.toml")
	bad := filepath.Join(dir, "b\x1b[2J.toml")
	for p, src := range map[string]string{good: "[simulation]\nticks = 50\n", bad: "[simulation]\nticks = 0\n"} {
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := smbsim(t, "validate", good, bad)
	if strings.ContainsRune(r.stdout+r.stderr, 0x1b) || strings.ContainsRune(r.stdout+r.stderr, 0x07) {
		t.Errorf("raw control characters in the output:\n%q\n%q", r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, `a\x1b]0;pwned\x07.toml: ok`) || !strings.Contains(r.stderr, `b\x1b[2J.toml:2:1: simulation.ticks`) {
		t.Errorf("names not shown escaped:\n%s\n%s", r.stdout, r.stderr)
	}
}
