package main

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportComparesNoControlledCopy: with compare --control, the report's
// findings may list the controlled copies (<variant>+<control>) but never
// test one against the focus or as an extreme; copies are compared only in the answer's
// where-it-holds lines.
func TestReportComparesNoControlledCopy(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ctl")
	mustRun(t, append([]string{"compare", "compare-mixes", "--seeds", "3", "-q", "--out", out,
		"--control", "market.equal_cash_at_shock=true"}, small...)...)
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `id="findings"`)
	if i < 0 {
		t.Fatal("no findings section")
	}
	tag := regexp.MustCompile(`<[^>]+>`)
	// A variant's figure followed by its test against the focus, as the
	// findings write it: … in “name” (paired t-test over seeds p = …).
	tested := regexp.MustCompile(`“[^”]+\+equal_cash_at_shock” \((paired|Welch)`)
	for _, li := range regexp.MustCompile(`(?s)<li[^>]*>(.*?)</li>`).FindAllStringSubmatch(s[i:], -1) {
		text := html.UnescapeString(tag.ReplaceAllString(li[1], ""))
		if tested.MatchString(text) {
			t.Errorf("a finding tests against a controlled copy: %.300s", text)
		}
	}
}
