package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestMain lets the test binary act as the smbsim program, so tests can run
// it as separate processes (shards): with SMBSIM_TEST_MAIN=1 it runs the
// command line and exits.
func TestMain(m *testing.M) {
	if os.Getenv("SMBSIM_TEST_MAIN") == "1" {
		ignoreBrokenPipe()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, os.Args, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// result is one invocation of the program.
type result struct {
	code           int
	stdout, stderr string
}

// seamsByTest holds, per test, the seams the test gave the program
// (withBuild, withMemoryLimit, …); smbsim runs the program with them.
var seamsByTest sync.Map // testing.TB → seams

// testSeams returns the seams test t gave the program, else the defaults.
func testSeams(t testing.TB) seams {
	if s, ok := seamsByTest.Load(t); ok {
		return s.(seams)
	}
	return defaultSeams()
}

// setSeams changes the seams of the program's runs in test t.
func setSeams(t testing.TB, change func(*seams)) {
	s := testSeams(t)
	change(&s)
	seamsByTest.Store(t, s)
	t.Cleanup(func() { seamsByTest.Delete(t) })
}

// smbsim runs the program in-process with args (without the program name).
func smbsim(t testing.TB, args ...string) result {
	t.Helper()
	return smbsimCtx(t, context.Background(), args...)
}

func smbsimCtx(t testing.TB, ctx context.Context, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runWith(ctx, testSeams(t), append([]string{"smbsim"}, args...), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// mustRun runs the program and fails the test unless it exits 0.
func mustRun(t testing.TB, args ...string) result {
	t.Helper()
	r := smbsim(t, args...)
	if r.code != 0 {
		t.Fatalf("smbsim %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// small are the flags that make a built-in quick: 60 firms, 40 ticks.
var small = []string{"--set", "population.firms=60", "--set", "simulation.ticks=40", "--set", "shocks[1].tick=20"}

func args(parts ...any) []string {
	var out []string
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		default:
			panic(fmt.Sprintf("args: %T", p))
		}
	}
	return out
}

// readDir returns every file under dir (relative path → content).
func readDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameResults fails unless dirs a and b hold the same files, byte for
// byte, apart from manifest.json (times, command line) and charts.
func sameResults(t testing.TB, a, b string) {
	t.Helper()
	fa, fb := readDir(t, a), readDir(t, b)
	for _, m := range []map[string]string{fa, fb} {
		for name := range m {
			if name == "manifest.json" || strings.HasPrefix(name, "charts"+string(filepath.Separator)) {
				delete(m, name)
			}
		}
	}
	var names []string
	for name := range fa {
		names = append(names, name)
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		ca, oka := fa[name]
		cb, okb := fb[name]
		switch {
		case !oka || !okb:
			t.Errorf("%s: only in one of %s, %s", name, a, b)
		case ca != cb:
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
	if len(names) < 8 {
		t.Errorf("only %d result files compared: %v", len(names), names)
	}
}
