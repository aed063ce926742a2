package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeDocs are the documents the README carries a copy of, so that the
// README alone is a complete reference.
var readmeDocs = []string{"docs/scenarios.md", "docs/outputs.md"}

// embedDoc replaces the text between the BEGIN and END markers for doc in
// readme with doc's content, headings moved one level down.
func embedDoc(readme, doc, content string) (string, bool) {
	begin := "<!-- BEGIN " + doc
	end := "<!-- END " + doc + " -->"
	i := strings.Index(readme, begin)
	if i < 0 {
		return readme, false
	}
	j := strings.Index(readme[i:], "\n")
	k := strings.Index(readme, end)
	if j < 0 || k < i+j {
		return readme, false
	}
	var b strings.Builder
	fenced := false
	for line := range strings.Lines(content) {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			line = "#" + line
		}
		b.WriteString(line)
	}
	body := strings.TrimRight(b.String(), "\n")
	return readme[:i+j+1] + "\n" + body + "\n\n" + readme[k:], true
}

// TestREADMEReference checks that README.md holds the current scenario
// reference and output formats. After editing them, run
//
//	go test ./cmd/smbsim -run README -update
func TestREADMEReference(t *testing.T) {
	root := filepath.Join("..", "..")
	path := filepath.Join(root, "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := string(readme)
	for _, doc := range readmeDocs {
		content, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		if want, ok = embedDoc(want, doc, string(content)); !ok {
			t.Fatalf("README.md has no BEGIN/END markers for %s", doc)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != string(readme) {
		t.Errorf("README.md's copy of %v is out of date: run go test ./cmd/smbsim -run README -update", readmeDocs)
	}
}

// TestLayoutPaths checks that every path the README's layout paragraph and
// docs/layout.md name (a backquoted word ending in / or .go) exists.
func TestLayoutPaths(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, doc := range []string{"README.md", "docs/layout.md"} {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if doc == "README.md" {
			i := strings.Index(text, "Layout: ")
			if i < 0 {
				t.Fatal("README.md has no Layout: paragraph")
			}
			text = text[i:]
			text = text[:strings.Index(text, "\n\n")]
		}
		n := 0
		for _, part := range strings.Split(text, "`")[1:] {
			if strings.ContainsAny(part, " \n") || !(strings.HasSuffix(part, "/") || strings.HasSuffix(part, ".go")) {
				continue
			}
			n++
			if _, err := os.Stat(filepath.Join(root, part)); err != nil {
				t.Errorf("%s names %s, which does not exist", doc, part)
			}
		}
		if n < 10 {
			t.Errorf("%s: only %d paths found; is the check reading the right text?", doc, n)
		}
	}
}
