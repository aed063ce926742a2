package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/internal/synth"
	"github.com/smbsim/smbsim/plots/report"
	"github.com/smbsim/smbsim/results"
)

func writeReport(tb testing.TB, c synth.Config) (dir, path string) {
	tb.Helper()
	dir = filepath.Join(tb.TempDir(), c.Scenario)
	if err := synth.Write(dir, c); err != nil {
		tb.Fatal(err)
	}
	path, err := report.WriteDir(dir, plots.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return dir, path
}

// readSynth writes the synthetic results c into a directory named name and
// reads them back.
func readSynth(t *testing.T, name string, c synth.Config) *plots.Results {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := synth.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	r, err := plots.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportContents(t *testing.T) {
	_, path := writeReport(t, synth.Compare())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		"<!DOCTYPE html>",
		`id="findings"`, `id="statistics"`, `id="scenario"`,
		"@media print",
		"After the demand shift at tick 250, ",
		"% (95\u00a0% CI ",
		"failed within 50 ticks",
		"log-rank",
		"population.mix.imitator",
		"shocks[1].kind",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Self-contained: nothing is fetched. Namespace URIs are names, not requests.
	fetch := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:|//)|url\(\s*["']?(https?:|//)|<script|<link|@import`)
	if m := fetch.FindString(html); m != "" {
		t.Errorf("report refers to something outside itself: %q", m)
	}
	if n := strings.Count(html, "<svg"); n != 7 {
		t.Errorf("%d inline charts, want 7", n)
	}
}

func TestFindingsRun(t *testing.T) {
	r := readSynth(t, "run", synth.Run())
	text := strings.Join(report.Findings(r), "\n")
	for _, want := range []string{
		"Scenario “baseline” was run with 3 seeds over 400 ticks.",
		"effective strategies",
		"of the firms in business at the time failed within 50 ticks, background exits included.",
		"excess failures with",
		"fell by ",
		"median firm lifetime",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "log-rank") {
		t.Errorf("one variant, but a log-rank test is mentioned:\n%s", text)
	}
}

func TestFindingsSweep(t *testing.T) {
	r := readSynth(t, "sweep", synth.Sweep())
	text := strings.Join(report.Findings(r), "\n")
	// The findings read the measures the sweep table leads with (diversity
	// at the shock, excess failures), name the parameter that moves each
	// and by how much, with Holm-adjusted paired tests.
	for _, want := range []string{
		"The excess failures after the demand shift (shock 1, tick 250) (beyond the no-shock fork) moves most with population.mix.imitator: averaged over the other points, it is 4.2\u00a0% at population.mix.imitator = 0.1 and 30.5\u00a0% at population.mix.imitator = 0.9 (+26.3 points), paired t-test over 3 seed pairs, Holm-adjusted p = 0.0032",
		"The diversity when the demand shift (shock 1, tick 250) hit moves most with population.mix.imitator",
		"Holm-adjusted over their 2 tests",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("findings lack %q:\n%s", want, text)
		}
	}
}

func TestReportIncomplete(t *testing.T) {
	c := synth.Run()
	c.Incomplete = true
	_, path := writeReport(t, c)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "These results are incomplete: 1 of 3 runs finished."; !strings.Contains(string(b), want) {
		t.Errorf("report lacks %q", want)
	}
}

func TestWriteDirNoResults(t *testing.T) {
	_, err := report.WriteDir(t.TempDir(), plots.Options{})
	if !errors.Is(err, results.ErrNoResults) {
		t.Errorf("err = %v, want ErrNoResults", err)
	}
}

const chromium = "/usr/bin/chromium"

// TestReportInChromium opens the report in headless Chromium: it must load
// without console errors with every chart present and non-empty, give a
// non-trivial screenshot and print to a PDF.
func TestReportInChromium(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not installed (apt-get install -y chromium); skipping the browser test", chromium)
	}
	_, path := writeReport(t, synth.Compare())
	url := "file://" + path
	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	// One browser run loads the page once and dumps the DOM, takes the
	// screenshot and prints to PDF.
	shot := filepath.Join(tmp, "report.png")
	pdf := filepath.Join(tmp, "report.pdf")
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "profile"),
		"--enable-logging=stderr", "--v=0",
		"--dump-dom",
		"--screenshot="+shot, "--window-size=1400,2000", "--hide-scrollbars",
		"--print-to-pdf="+pdf, "--no-pdf-header-footer",
		url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}

	// No console errors or failed loads while the page was open.
	console := regexp.MustCompile(`(?m)^.*(CONSOLE|Uncaught|Failed to load|net::ERR_).*$`)
	for _, line := range console.FindAllString(stderr.String(), -1) {
		t.Errorf("chromium: %s", line)
	}

	// Every chart is in the DOM as a non-empty SVG.
	dom := stdout.String()
	for _, name := range []string{"diversity", "survival", "survival_by_type", "takeover", "market_health", "comparison", "fragility"} {
		re := regexp.MustCompile(`(?s)<figure[^>]*id="chart-` + name + `"[^>]*>\s*<svg(.*?)</svg>`)
		m := re.FindStringSubmatch(dom)
		if m == nil {
			t.Errorf("chart %s: no <svg> in the loaded page", name)
			continue
		}
		if n := strings.Count(m[1], "<path"); n < 20 {
			t.Errorf("chart %s: only %d paths in its <svg>", name, n)
		}
		if !strings.Contains(m[1], "<text") {
			t.Errorf("chart %s: no text in its <svg>", name)
		}
	}

	// The screenshot is the requested size and not blank.
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1400×2000", b)
	}
	nonWhite, total := 0, 0
	colours := map[uint32]bool{}
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			r, g, b, _ := img.At(x, y).RGBA()
			total++
			if r < 0xF000 || g < 0xF000 || b < 0xF000 {
				nonWhite++
			}
			colours[(r>>12)<<8|(g>>12)<<4|b>>12] = true
		}
	}
	if frac := float64(nonWhite) / float64(total); frac < 0.03 || len(colours) < 20 {
		t.Errorf("screenshot looks blank: %.1f %% non-white pixels, %d colours", 100*frac, len(colours))
	}

	// The print to PDF works and has several pages.
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 50_000 {
		t.Errorf("PDF: %d bytes, prefix %q", len(b), b[:min(8, len(b))])
	}
	if n := bytes.Count(b, []byte("/Type /Page\n")) + bytes.Count(b, []byte("/Type /Page/")) + bytes.Count(b, []byte("/Type/Page")); n == 0 && !bytes.Contains(b, []byte("/Count ")) {
		t.Errorf("PDF has no pages")
	}
	if os.Getenv("SMBSIM_REPORT_OUT") != "" {
		out := os.Getenv("SMBSIM_REPORT_OUT")
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, "report.png"), mustRead(t, shot), 0o644)
		os.WriteFile(filepath.Join(out, "report.pdf"), b, 0o644)
		os.WriteFile(filepath.Join(out, "report.html"), mustRead(t, path), 0o644)
	}
}

// TestReportFitsTheWindow opens the report in headless Chromium in a narrow
// window (700 px: a tablet, or half a projected screen): nothing may stick
// out past it (the contents line once did, at 1400 px with many charts: its
// links were joined without a space to break at; wide tables did at 700).
func TestReportFitsTheWindow(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not installed (apt-get install -y chromium); skipping the browser test", chromium)
	}
	_, path := writeReport(t, synth.Compare())
	tmp := t.TempDir()
	probed := filepath.Join(tmp, "probed.html")
	html := strings.Replace(string(mustRead(t, path)), "</body>", overflowProbe+"</body>", 1)
	if err := os.WriteFile(probed, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--window-size=700,900", "--hide-scrollbars",
		"--virtual-time-budget=5000", "--dump-dom", "file://"+probed)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`<pre id="overflow">(.*?)</pre>`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the overflow probe did not run:\n%.2000s", stderr.String())
	}
	if m[1] != "ok" {
		t.Errorf("the report scrolls sideways at 700 px: %s", m[1])
	}
}

// overflowProbe writes "ok", or the page's width and what sticks out past
// the window, into <pre id="overflow"> once the page has loaded.
const overflowProbe = `<script>
window.addEventListener('load', function () {
  var w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push('page ' + document.documentElement.scrollWidth + ' px wide in a ' + w + ' px window');
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w + 1 && out.length < 10) out.push(e.tagName.toLowerCase() + ' ' + (e.textContent || '').slice(0, 30) + ' ends at ' + Math.round(r.right) + ' px');
  });
  var pre = document.createElement('pre'); pre.id = 'overflow'; pre.textContent = out.length ? out.join('; ') : 'ok';
  document.body.appendChild(pre);
});
</script>`

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIncompleteOverview: the findings of incomplete results do not claim
// the planned number of seeds under the banner that says fewer finished.
func TestIncompleteOverview(t *testing.T) {
	for _, tc := range []struct {
		c    synth.Config
		want string
	}{
		{synth.Run(), "was run with 1 of 3 planned seeds"},
		{synth.Compare(), "each with 1–5 of 5 planned seeds"},
	} {
		c := tc.c
		c.Incomplete = true
		r := readSynth(t, c.Scenario, c)
		text := strings.Join(report.Findings(r), "\n")
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: findings lack %q:\n%s", c.Scenario, tc.want, text)
		}
		if strings.Contains(text, fmt.Sprintf("with %d seeds", len(c.Seeds))) {
			t.Errorf("%s: findings of incomplete results claim all %d seeds:\n%s", c.Scenario, len(c.Seeds), text)
		}
	}
}

// The compare findings lead with each variant's diversity when the shock
// hit and its excess failures, ranked, with the paired differences.
func TestFindingsCompareHeadline(t *testing.T) {
	r := readSynth(t, "compare", synth.Compare())
	f := report.Findings(r)
	if len(f) < 2 {
		t.Fatalf("findings: %v", f)
	}
	head := f[1]
	for _, want := range []string{"excess failures with", "effective strategies when it hit", "Differences: ", "paired t-test over seeds",
		"background exits are not counted"} {
		if !strings.Contains(head, want) {
			t.Errorf("headline lacks %q:\n%s", want, head)
		}
	}
	for _, v := range r.Variants {
		if !strings.Contains(head, "“"+v+"”") {
			t.Errorf("headline does not name variant %s:\n%s", v, head)
		}
	}
	// Efficiency against fragility is judged on excess failures.
	all := strings.Join(f, "\n")
	if !strings.Contains(all, "Efficiency and fragility") || !strings.Contains(all, "to the shock (beyond the background)") {
		t.Errorf("efficiency-and-fragility finding not on excess failures:\n%s", all)
	}
}

// With meta.focus the headline names the variant the scenario is about
// and compares every other variant with it.
func TestFindingsFocus(t *testing.T) {
	c := synth.Compare()
	c.Focus = "mixed"
	r := readSynth(t, "compare", c)
	f := report.Findings(r)
	if !strings.Contains(f[0], "The scenario is about “mixed”") {
		t.Errorf("overview does not name the focus:\n%s", f[0])
	}
	head := f[1]
	for _, want := range []string{"“mixed” (the variant this scenario is about): ", "“mixed” − “balanced”: ", "“mixed” − “imitation-heavy”: "} {
		if !strings.Contains(head, want) {
			t.Errorf("headline lacks %q:\n%s", want, head)
		}
	}
	if strings.Contains(head, "“balanced” − ") || strings.Contains(head, "“imitation-heavy” − ") {
		t.Errorf("headline compares variants other than the focus:\n%s", head)
	}
}

// A single run that ends inside a shock's aftermath says so next to its
// final diversity, as a comparison does; one that does not, does not.
func TestFindingsRunAftermath(t *testing.T) {
	r := readSynth(t, "run", synth.Run())
	final := func() string {
		for _, f := range report.Findings(r) {
			if strings.HasPrefix(f, "At the end of the run") {
				return f
			}
		}
		t.Fatal("no final-diversity finding")
		return ""
	}
	v := r.Variants[0]
	for _, ended := range []float64{0, 1} {
		r.Comparison = append(r.Comparison, results.Estimate{Variant: v, Measure: "final_in_aftermath", N: 5, Mean: ended, CILow: ended, CIHigh: ended})
		if got := strings.Contains(final(), "inside a shock's aftermath"); got != (ended > 0) {
			t.Errorf("final_in_aftermath %v: finding says so: %v:\n%s", ended, got, final())
		}
		r.Comparison = r.Comparison[:len(r.Comparison)-1]
	}
}

// With meta.focus the final-diversity finding compares the focus with
// every other variant.
func TestFindingsFocusDiversity(t *testing.T) {
	c := synth.Compare()
	c.Focus = "mixed"
	r := readSynth(t, "compare", c)
	for _, f := range report.Findings(r) {
		if strings.HasPrefix(f, "Diversity at the end of the run") {
			for _, want := range []string{"“mixed” kept", "in “balanced”", "in “imitation-heavy”"} {
				if !strings.Contains(f, want) {
					t.Errorf("final diversity lacks %q:\n%s", want, f)
				}
			}
			return
		}
	}
	t.Error("no final-diversity finding")
}

// TestFindingsSweepTies: in a factorial sweep where two values of a
// parameter give the same mean, the findings name the same one every time
// (they were picked in map order, which Go randomises).
func TestFindingsSweepTies(t *testing.T) {
	var rows []results.SweepRow
	for i, a := range []string{"x", "y", "z"} {
		for j, b := range []string{"1", "2"} {
			mean := 2 + float64(j) // a: x and y tie, z is highest
			if i == 2 {
				mean += 5
			}
			rows = append(rows, results.SweepRow{Values: map[string]string{"a": a, "b": b},
				Estimate: results.Estimate{Variant: fmt.Sprintf("p%d%d", i, j), Measure: "final_effective_strategies", N: 3, Mean: mean, CILow: mean - 1, CIHigh: mean + 1}})
		}
	}
	r := &plots.Results{Dir: results.Dir{Path: "ties", Sweep: rows, Layout: results.Layout{Params: []string{"a", "b"}}}}
	first := strings.Join(report.Findings(r), "\n")
	if !strings.Contains(first, "at a = x and") {
		t.Fatalf("the lower of the tied values is not named:\n%s", first)
	}
	for range 40 {
		if got := strings.Join(report.Findings(r), "\n"); got != first {
			t.Fatalf("findings differ between calls:\n%s\n---\n%s", first, got)
		}
	}
}

// TestReportOpening: a comparison's report opens with the answer in words
// (which variant lost the fewest and the most firms to the shock beyond
// the background, and what the paired tests say) and its caveats, in the
// terminal's rounding; no causal sentence that nothing tested.
func TestReportOpening(t *testing.T) {
	c := synth.Compare()
	c.Focus = "mixed"
	r := readSynth(t, "compare", c)
	var b strings.Builder
	if err := report.Render(&b, r, plots.Options{}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<p class="description answer"><strong>Question.</strong> Synthetic test scenario <strong>Answer.</strong> In this market, “balanced” lost the fewest firms to the demand shift at tick 250 beyond the background, `,
		"and “imitation-heavy” the most, ",
		"The paired tests say the differences are unlikely to be chance (“mixed” − “balanced”: &#43;10.9 points, 95 % CI &#43;5.9 to &#43;15.9, p = 0.0025;",
		"<strong>Caveats.</strong> The figures are means over 5 seeds",
		"Paired t-test on the per-seed differences",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"price of fragility", "Welch / Mann", "Welch t-test on the per-seed values"} {
		if strings.Contains(html, bad) {
			t.Errorf("report says %q", bad)
		}
	}
}
