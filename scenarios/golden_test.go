package scenarios

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/scenarios.md")

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./scenarios -update and review the diff", path)
	}
}

func TestStarterGolden(t *testing.T) {
	got, err := Starter("baseline")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "starter_baseline.toml"), got)
}

// The scenario reference is generated from the key table and the
// defaults, so it cannot drift from them.
func TestReferenceUpToDate(t *testing.T) {
	golden(t, filepath.Join("..", "docs", "scenarios.md"), []byte(referenceMarkdown()))
}
