package results

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/outputs.md's generated lists of measures")

// TestMeasuresDoc requires docs/outputs.md's lists of measures to be what
// the table of measures says (MeasuresMarkdown of each scope, between the
// markers); with -update it rewrites them.
func TestMeasuresDoc(t *testing.T) {
	const path = "../docs/outputs.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, s := range []struct {
		name  string
		scope Scope
	}{{"metric", ScopeMetric}, {"run", ScopeRun}, {"shock", ScopeShock}, {"horizon", ScopeHorizon}} {
		begin := "<!-- BEGIN measures " + s.name + ": generated from results/measures.go by `go test ./results -run MeasuresDoc -update`; do not edit. -->\n"
		end := "<!-- END measures " + s.name + " -->\n"
		i, j := strings.Index(doc, begin), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Errorf("%s: no generated list of %s measures (%q … %q)", path, s.name, begin, end)
			continue
		}
		got, want := doc[i+len(begin):j], MeasuresMarkdown(s.scope)
		if got == want {
			continue
		}
		if *update {
			doc = doc[:i+len(begin)] + want + doc[j:]
			continue
		}
		t.Errorf("%s: the list of %s measures differs from the table of measures; regenerate with go test ./results -run MeasuresDoc -update (then go test ./cmd/smbsim -run README -update)\n--- got\n%s--- want\n%s", path, s.name, got, want)
	}
	if *update && doc != string(b) {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
