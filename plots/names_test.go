package plots_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/plots"
)

// TestChartNamesDocumented ties the docs to the one list of chart names:
// docs/outputs.md's charts/ row names every chart, and every charts/<name>
// file the docs and README point at is a chart smbsim draws.
func TestChartNamesDocumented(t *testing.T) {
	names := plots.ChartNames()
	outputs, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(outputs), "\n") {
		if strings.HasPrefix(l, "| `charts/` |") {
			row = l
		}
	}
	if row == "" {
		t.Fatal("docs/outputs.md has no | `charts/` | row")
	}
	for _, n := range names {
		if !strings.Contains(row, "`"+n+"`") {
			t.Errorf("docs/outputs.md's charts/ row does not name the %s chart", n)
		}
	}
	docs, _ := filepath.Glob("../docs/*.md")
	ref := regexp.MustCompile("charts/([a-z0-9_]+)\\.(png|svg|pdf)")
	for _, path := range append(docs, "../README.md") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(names, m[1]) {
				t.Errorf("%s points at %s, which is no chart smbsim draws (plots.ChartNames: %s)", path, m[0], strings.Join(names, ", "))
			}
		}
	}
}
