package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smbsim/smbsim/configs"
	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/report"
)

// chartCase is one experiment whose charts and report are checked.
type chartCase struct {
	name string
	args []string // smbsim command line (without --out, -q, --no-charts)
	// want lists charts that must be drawn, absent charts that must not.
	want, absent []string
}

// builtinChartCases runs every built-in scenario (compare for a file with
// [[variants]]) with 2 seeds, and the sweeps a workshop runs: a 2×5
// factorial grid, an 8-sample Latin hypercube and a 12-point grid, whose
// labels are the longest the charts must fit.
func builtinChartCases(t *testing.T) []chartCase {
	entries, err := configs.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var cases []chartCase
	market := []string{"diversity", "survival", "survival_by_type", "market_health", "takeover"}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".toml")
		if name == e.Name() {
			continue
		}
		b, err := configs.FS.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		c := chartCase{name: name, args: []string{"run", name, "--seeds", "2"}, want: market}
		if bytes.Contains(b, []byte("[[variants]]")) {
			c.args[0] = "compare"
			c.want = append(slices.Clone(market), "comparison")
		}
		switch name {
		case "axelrod":
			c.want = []string{"diversity", "regions", "takeover"}
			c.absent = []string{"survival", "survival_by_type", "cohort_survival", "market_health", "platforms", "shares", "fragility", "tails"}
		case "lazer-friedman":
			c.want = []string{"diversity", "fitness", "comparison"}
			c.absent = []string{"survival", "survival_by_type", "cohort_survival", "market_health", "platforms", "shares", "fragility", "tails"}
		case "platform-dominance":
			c.want = append(c.want, "platforms", "shares", "cohort_survival", "fragility", "tails")
		case "shock-battery":
			c.want = append(c.want, "platforms", "shares", "shocks", "cohort_survival", "fragility", "tails")
		}
		cases = append(cases, c)
	}
	small := []string{"--seeds", "2", "--ticks", "200", "--set", "population.firms=200", "--set", "shocks[1].tick=100"}
	cases = append(cases,
		chartCase{name: "sweep-2x5", args: append([]string{"sweep", "baseline", "--vary", "biases.herding=0:1:0.25", "--vary", "network.kind=ring,small_world"}, small...),
			want: []string{"diversity", "sweep", "comparison", "survival"}},
		chartCase{name: "sweep-lhs8", args: append([]string{"sweep", "baseline", "--design", "lhs", "--samples", "8", "--vary", "market.crowding_penalty=0:0.2:0.01", "--vary", "biases.herding=0:1:0.05"}, small...),
			want: []string{"diversity", "sweep", "comparison"}},
		chartCase{name: "sweep-12", args: append([]string{"sweep", "baseline", "--vary", "market.crowding_penalty=0.02,0.05,0.1,0.15", "--vary", "network.kind=ring,small_world,scale_free"}, small...),
			want: []string{"diversity", "sweep", "comparison", "survival"}},
	)
	return cases
}

// TestChartsOfEveryScenario runs every built-in scenario and the
// workshop sweeps for real (short), draws their charts and reports, and
// checks that each scenario gets the charts of its story, that every
// panel of every chart has data, and that the findings hold no number a
// facilitator should not read (NaN, exponent notation, negative shares).
// With Chromium installed it then lays out every chart in the report at
// 1400 px and checks that no text is clipped or overlaps other text.
func TestChartsOfEveryScenario(t *testing.T) {
	skipWithoutEngine(t)
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	root := t.TempDir()
	var reports []string
	for _, c := range builtinChartCases(t) {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(root, c.name)
			mustRun(t, append(c.args, "--out", out, "--no-charts", "-q")...)
			r, err := plots.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			var drawn []string
			for _, ch := range plots.Charts(r, plots.Options{}) {
				drawn = append(drawn, ch.Name)
				marks := ch.DataMarks()
				if len(marks) == 0 {
					t.Errorf("chart %s has no panels", ch.Name)
				}
				for i, n := range marks {
					if n == 0 {
						t.Errorf("chart %s: panel %d draws no data", ch.Name, i+1)
					}
				}
				if ch.Name == "comparison" && r.Summary.Focus != "" && !strings.Contains(ch.Caption, "(focus)") {
					t.Errorf("comparison chart does not say which variant is the focus")
				}
				if ch.Name == "comparison" && c.name == "lazer-friedman" && !strings.Contains(ch.Title, "fitness") {
					t.Errorf("lazer-friedman's comparison chart does not compare fitness (%q)", ch.Title)
				}
				if ch.Name == "fitness" && r.HasMarket() == strings.Contains(ch.Title, "Problem solving") {
					t.Errorf("fitness chart titled %q (market: %v): problem solving is the story without a market only", ch.Title, r.HasMarket())
				}
				if ch.Name == "fragility" && len(marks) != len(r.Shocks()) {
					t.Errorf("fragility chart has %d panels for %d shocks", len(marks), len(r.Shocks()))
				}
				if ch.Name == "tails" && (len(marks) != len(r.Shocks()) || !strings.Contains(ch.Caption, "collapse threshold θ = 20 %")) {
					t.Errorf("tails chart has %d panels for %d shocks, caption %q", len(marks), len(r.Shocks()), ch.Caption)
				}
			}
			for _, w := range c.want {
				if !slices.Contains(drawn, w) {
					t.Errorf("chart %s not drawn (drawn: %v)", w, drawn)
				}
			}
			for _, a := range c.absent {
				if slices.Contains(drawn, a) {
					t.Errorf("chart %s drawn, but it has no meaning here", a)
				}
			}
			path, err := report.WriteDir(out, plots.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkReportText(t, c.name, string(b))
			reports = append(reports, path)
		})
	}
	checkLayoutInChromium(t, reports)
}

// checkReportText checks the words and numbers of a report outside its
// charts.
// signedRowsOut drops the table rows of signed differences against the
// no-shock fork (excess failures, revenue lost, at every horizon): each of
// their cells may be negative.
func signedRowsOut(html string) string {
	rows := strings.Split(html, "<tr")
	kept := rows[:1]
	for _, r := range rows[1:] {
		if before, _, ok := strings.Cut(r, "</tr>"); ok && (strings.Contains(before, "Excess failures") || strings.Contains(before, "Share of revenue lost")) {
			_, after, _ := strings.Cut(r, "</tr>")
			kept = append(kept, ">"+after)
			continue
		}
		kept = append(kept, r)
	}
	return strings.Join(kept, "<tr")
}

func checkReportText(t *testing.T, name, html string) {
	t.Helper()
	text := regexp.MustCompile(`(?s)<svg.*?</svg>|<style>.*?</style>`).ReplaceAllString(html, "")
	// Differences against the no-shock fork are signed: a shocked market
	// can lose fewer firms or less revenue than its fork. Their estimates
	// (a mean and an interval) may be negative.
	signed := regexp.MustCompile(`(Excess failures|Share of revenue lost)[^%]*%[^%]*%|[-−]?\d+(\.\d+)?\x{a0}%( \([^)]*\))? excess failures|The shocks ranked by excess failures.*?Later shocks`).ReplaceAllString(signedRowsOut(text), "")
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`NaN|Inf\b`),
		regexp.MustCompile(`\d[eE][-+]?\d`),                // exponent notation
		regexp.MustCompile(`[-−]\d+(\.\d+)?\s*(\x{a0})?%`), // a negative share
		regexp.MustCompile(`at age 0\b`),
		regexp.MustCompile(`−\d+(\.\d+)?–\d`), // "−1.5–18.2" reads as a range of negatives
		regexp.MustCompile(`\[n\x{a0}=\x{a0}0\]`),
	} {
		txt := text
		if strings.Contains(bad.String(), "%") {
			txt = signed
		}
		if m := bad.FindString(txt); m != "" {
			t.Errorf("%s: report has %q", name, m)
		}
	}
	if name == "axelrod" {
		for _, bad := range []string{"the market had", "Firm survival", "over 100000 ticks", "Mean margin"} {
			if strings.Contains(text, bad) {
				t.Errorf("axelrod report says %q, but there is no market / the runs stopped early", bad)
			}
		}
		if !strings.Contains(text, "regions of identical strategies") {
			t.Errorf("axelrod report does not state its regions")
		}
	}
	for scenario, want := range map[string]string{
		"compare-mixes":      "not used: every variant sets its own",
		"lazer-friedman":     "Mean fitness on the landscape",
		"platform-dominance": "the platform that failed was used by",
		"shock-battery":      "The shocks ranked by excess failures, largest first: the ",
		"sweep-2x5":          "smbsim sweep of baseline: 10 points over biases.herding × network.kind",
	} {
		if name == scenario && !strings.Contains(text, want) {
			t.Errorf("%s: report lacks %q", name, want)
		}
	}
	if n := strings.Count(text, "Excess failures are the share"); n > 1 {
		t.Errorf("%s: report defines excess failures %d times", name, n)
	}
	if strings.HasPrefix(name, "sweep") && !strings.Contains(text, "moves most with") && !strings.Contains(text, "As ") {
		t.Errorf("%s: findings do not say which parameter moves which measure", name)
	}
}

// probeJS lists, for every inline chart, each text element whose box
// leaves its SVG's viewport or overlaps another text of the same chart by
// more than a pixel each way.
const probeJS = `<script>
window.addEventListener('load', function () {
  var out = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var id = svg.closest('figure').id, r = svg.getBoundingClientRect(), boxes = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var b = t.getBoundingClientRect();
      if (b.width === 0 || t.textContent.trim() === '') return;
      if (b.left < r.left - 0.5 || b.right > r.right + 0.5 || b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5)
        out.push(id + ': clipped: ' + t.textContent);
      boxes.push([b, t.textContent]);
    });
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i][0], b = boxes[j][0];
      var w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // Lines of one wrapped label (rotated ones too) touch by their line
      // gaps: an overlap counts when it covers over a third of the
      // smaller box both across and up.
      if (w > 0.34 * Math.min(a.width, b.width) && h > 0.34 * Math.min(a.height, b.height)) out.push(id + ': overlap: ' + boxes[i][1] + ' / ' + boxes[j][1]);
    }
  });
  var pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = out.length ? out.join('\n') : 'ok';
  document.body.appendChild(pre);
});
</script>`

// checkLayoutInChromium puts the inline charts of all reports on one page
// (with the reports' own styles and fonts), opens it in headless Chromium
// at 1400 px and checks the probe's findings.
func checkLayoutInChromium(t *testing.T, reports []string) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Logf("%s not installed (apt-get install -y chromium): chart text layout not checked in a browser", chromium)
		return
	}
	if len(reports) == 0 {
		return
	}
	var page strings.Builder
	figure := regexp.MustCompile(`(?s)<figure class="chart-figure" id="chart-([a-z_]+)">.*?</figure>`)
	for i, path := range reports {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		if i == 0 {
			page.WriteString(html[:strings.Index(html, "<body>")+len("<body>")])
		}
		scenario := filepath.Base(filepath.Dir(path))
		for _, m := range figure.FindAllStringSubmatch(html, -1) {
			page.WriteString(strings.Replace(m[0], `id="chart-`+m[1]+`"`, `id="`+scenario+`/`+m[1]+`"`, 1))
		}
	}
	page.WriteString(probeJS + "</body></html>")
	dir := t.TempDir()
	file := filepath.Join(dir, "charts.html")
	if err := os.WriteFile(file, []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1400,900",
		"--virtual-time-budget=10000", "--dump-dom", "file://"+file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`(?s)<pre id="probe">(.*?)</pre>`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("the layout probe did not run in Chromium:\n%.2000s", stderr.String())
	}
	if strings.TrimSpace(m[1]) != "ok" {
		for _, line := range strings.Split(m[1], "\n") {
			t.Errorf("chart text at 1400 px: %s", line)
		}
	}
}
