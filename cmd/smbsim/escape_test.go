package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --dry-run refuses exactly what the run refuses before running (with
// the same exit status), and changes nothing.
func TestDryRunRefusesWhatRunRefuses(t *testing.T) {
	skipWithoutEngine(t)
	base := []string{"run", "testdata/small.toml", "--seeds", "2", "--no-charts", "--quiet"}
	cases := []struct {
		name  string
		setup func(t *testing.T, out string) []string // extra flags
		want  int
	}{
		{"fresh", func(t *testing.T, out string) []string { return nil }, 0},
		{"foreign directory", func(t *testing.T, out string) []string {
			os.MkdirAll(out, 0o755)
			os.WriteFile(filepath.Join(out, "thesis.tex"), []byte("mine"), 0o644)
			return nil
		}, 2},
		{"another experiment", func(t *testing.T, out string) []string {
			mustRun(t, "run", "testdata/small.toml", "--seeds", "3", "--no-charts", "--quiet", "--out", out)
			return nil
		}, 2},
		{"another experiment, --replace", func(t *testing.T, out string) []string {
			mustRun(t, "run", "testdata/small.toml", "--seeds", "3", "--no-charts", "--quiet", "--out", out)
			return []string{"--replace"}
		}, 0},
		{"resume of another shard", func(t *testing.T, out string) []string {
			mustRun(t, append(base, "--shard", "1/2", "--out", out)...)
			return []string{"--resume"}
		}, 2},
		{"resume of another build", func(t *testing.T, out string) []string {
			withBuild(t, "sha256:other")
			mustRun(t, append(base, "--out", out)...)
			withBuild(t, "sha256:this")
			return []string{"--resume"}
		}, 2},
		{"too big", func(t *testing.T, out string) []string {
			withMemoryLimit(t, 1<<10)
			return nil
		}, 2},
		{"a link inside", func(t *testing.T, out string) []string {
			mustRun(t, append(base, "--out", out)...)
			os.Remove(filepath.Join(out, "runs.csv"))
			os.Symlink(filepath.Join(t.TempDir(), "elsewhere.csv"), filepath.Join(out, "runs.csv"))
			return nil
		}, 2},
		{"out is a file", func(t *testing.T, out string) []string {
			os.WriteFile(out, []byte("x"), 0o644)
			return nil
		}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dry, real := filepath.Join(dir, "dry"), filepath.Join(dir, "real")
			flagsDry := c.setup(t, dry)
			flagsReal := c.setup(t, real)
			before := snapshot(t, dry)
			rd := smbsim(t, append(append(append([]string{}, base...), "--out", dry, "--dry-run"), flagsDry...)...)
			rr := smbsim(t, append(append(append([]string{}, base...), "--out", real), flagsReal...)...)
			if rd.code != c.want || rr.code != c.want {
				t.Errorf("dry run exit %d, run exit %d, want %d\ndry: %s\nrun: %s", rd.code, rr.code, c.want, rd.stderr, rr.stderr)
			}
			if after := snapshot(t, dry); after != before {
				t.Errorf("--dry-run changed the directory:\n%s\nthen\n%s", before, after)
			}
		})
	}
}

// snapshot lists the files under dir with their sizes ("" if dir is absent).
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err == nil {
			b.WriteString(path + " " + fi.Mode().String() + " " + fi.ModTime().String() + "\n")
		}
		return nil
	})
	return b.String()
}

// Links inside a results directory are never followed: a run, a resume
// and --replace refuse them and leave what they point at untouched.
func TestLinksInsideResultsRefused(t *testing.T) {
	skipWithoutEngine(t)
	base := []string{"run", "testdata/small.toml", "--seeds", "2", "--quiet"}
	outside := t.TempDir()
	victim := filepath.Join(outside, "precious.csv")
	os.WriteFile(victim, []byte(strings.Repeat("keep\n", 1000)), 0o644)
	for _, c := range []struct {
		name, link string
		flags      []string
	}{
		{"charts directory", "charts", nil},
		{"a chart", "charts/diversity.png", nil},
		{"resume truncating a per-run file", "timeseries.csv", []string{"--resume"}},
		{"replace removing a file", "tests.csv", []string{"--replace", "--seeds", "3"}},
		{"a variant file", "variants/x.toml", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "res")
			mustRun(t, append(base, "--out", out)...)
			link := filepath.Join(out, c.link)
			os.RemoveAll(link)
			os.MkdirAll(filepath.Dir(link), 0o755)
			target := victim
			if c.link == "charts" {
				target = outside
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, outside)
			r := smbsim(t, append(append(append([]string{}, base...), "--out", out), c.flags...)...)
			if r.code != 2 || !strings.Contains(r.stderr, "symbolic link") {
				t.Errorf("exit %d, want 2 naming the link\n%s", r.code, r.stderr)
			}
			if after := snapshot(t, outside); after != before {
				t.Errorf("the outside directory changed:\n%s\nthen\n%s", before, after)
			}
			if b, _ := os.ReadFile(victim); len(b) != 5000 {
				t.Errorf("the outside file has %d bytes, want 5000", len(b))
			}
		})
	}
}

// --replace --no-charts removes the charts of the experiment replaced;
// plot and report remove the temporary files a killed plot or report left.
func TestChartsNeverStale(t *testing.T) {
	skipWithoutEngine(t)
	out := filepath.Join(t.TempDir(), "res")
	mustRun(t, "run", "testdata/small.toml", "--seeds", "2", "--quiet", "--out", out)
	if _, err := os.Stat(filepath.Join(out, "charts", "diversity.png")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(out, "charts", "mine.txt"), []byte("x"), 0o644)
	mustRun(t, "run", "testdata/small.toml", "--seeds", "3", "--quiet", "--no-charts", "--replace", "--out", out)
	entries, _ := os.ReadDir(filepath.Join(out, "charts"))
	if len(entries) != 1 || entries[0].Name() != "mine.txt" {
		t.Errorf("charts/ after --replace --no-charts: %v, want only the user's mine.txt", entries)
	}
	leftovers := []string{"charts/.diversity.png.tmp-123", ".report.html.tmp-456"}
	for _, l := range leftovers {
		os.WriteFile(filepath.Join(out, l), []byte("half"), 0o644)
	}
	mustRun(t, "plot", out)
	mustRun(t, "report", out)
	for _, l := range leftovers {
		if _, err := os.Stat(filepath.Join(out, l)); err == nil {
			t.Errorf("%s left by a killed process is still there", l)
		}
	}
}

// Damaged results given to merge or --resume are one class of failure:
// exit 2, whatever the damage, with a bounded message.
func TestDamagedResultsExitTwo(t *testing.T) {
	skipWithoutEngine(t)
	base := []string{"run", "testdata/small.toml", "--seeds", "4", "--quiet", "--no-charts"}
	damages := map[string]func(path string){
		"bad row": func(path string) {
			b, _ := os.ReadFile(path)
			os.WriteFile(path, append(b, []byte("x,y,z\n")...), 0o644)
		},
		"bad header": func(path string) {
			b, _ := os.ReadFile(path)
			os.WriteFile(path, append([]byte("nonsense,"), b...), 0o644)
		},
		"long line": func(path string) {
			b, _ := os.ReadFile(path)
			os.WriteFile(path, append(b, []byte(strings.Repeat("9", 2<<20)+"\n")...), 0o644)
		},
		"missing": func(path string) { os.Remove(path) },
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s1, s2 := filepath.Join(dir, "s1"), filepath.Join(dir, "s2")
			mustRun(t, append(base, "--shard", "1/2", "--out", s1)...)
			mustRun(t, append(base, "--shard", "2/2", "--out", s2)...)
			damage(filepath.Join(s2, "timeseries.csv"))
			r := smbsim(t, "merge", s1, s2, "--out", filepath.Join(dir, "m"), "--quiet", "--no-charts")
			if r.code != 2 || len(r.stderr) > 4000 {
				t.Errorf("merge: exit %d (want 2), %d bytes of message\n%.500s", r.code, len(r.stderr), r.stderr)
			}
			r = smbsim(t, append(base, "--shard", "2/2", "--out", s2, "--resume")...)
			if r.code != 2 || len(r.stderr) > 4000 {
				t.Errorf("--resume: exit %d (want 2), %d bytes of message\n%.500s", r.code, len(r.stderr), r.stderr)
			}
		})
	}
}
