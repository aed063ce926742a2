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
