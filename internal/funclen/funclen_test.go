package funclen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The limits of issue 19: no function over MaxLines, fewer than MaxLong
// functions over LongLines.
const (
	MaxLines  = 150
	LongLines = 80
	MaxLong   = 15
)

// TestFunctionLengths holds the repository to the limits. It lists the
// long functions (go test ./internal/funclen -v) so that a failure says
// which to split: into named steps, not arbitrary cuts.
func TestFunctionLengths(t *testing.T) {
	long, err := Over(filepath.Join("..", ".."), LongLines)
	if err != nil {
		t.Fatal(err)
	}
	var list strings.Builder
	for _, f := range long {
		fmt.Fprintf(&list, "\n  %4d  %s:%d %s", f.Lines, f.File, f.Line, f.Name)
	}
	t.Logf("%d non-test functions over %d lines:%s", len(long), LongLines, list.String())
	for _, f := range long {
		if f.Lines > MaxLines {
			t.Errorf("%s:%d %s is %d lines, over %d: split it into named steps", f.File, f.Line, f.Name, f.Lines, MaxLines)
		}
	}
	if len(long) >= MaxLong {
		t.Errorf("%d functions are over %d lines, want fewer than %d: split one before adding another", len(long), LongLines, MaxLong)
	}
}

// TestOverCounts checks the counting on a file whose lengths are known:
// func line to closing brace, methods named with their receiver, test
// files and testdata skipped.
func TestOverCounts(t *testing.T) {
	dir := t.TempDir()
	body := func(n int) string { return strings.Repeat("\t_ = 0\n", n) }
	write := func(name, src string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "package a\n\ntype T[P any] struct{}\n\nfunc short() {\n"+body(2)+"}\n\n"+
		"func (t *T[P]) Long() {\n"+body(3)+"}\n\nfunc exact() {\n"+body(2)+"}\n")
	write("a_test.go", "package a\n\nfunc inTest() {\n"+body(9)+"}\n")
	write("testdata/b.go", "package b\n\nfunc inTestdata() {\n"+body(9)+"}\n")
	got, err := Over(dir, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []Func{{File: "a.go", Name: "T.Long", Line: 10, Lines: 5}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Over = %v, want %v", got, want)
	}
}
