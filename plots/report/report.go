// Package report writes smbsim's workshop report: one self-contained HTML
// file (inline SVG charts, embedded fonts, no scripts or network access)
// with the findings in plain language, every chart, the statistics and the
// scenario's parameters, and a print stylesheet for clean PDFs.
package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"path/filepath"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// FileName is the report's name inside a results directory.
const FileName = results.FileReport

// WriteDir reads the results in dir and writes dir/report.html atomically.
// It returns the path written. Errors from reading wrap
// [results.ErrNoResults] when dir holds no results.
func WriteDir(dir string, opts plots.Options) (string, error) {
	return WriteDirContext(context.Background(), dir, opts)
}

// WriteDirContext is [WriteDir] that stops drawing the charts when ctx is
// done (an interrupt) and then returns ctx's error, writing nothing.
func WriteDirContext(ctx context.Context, dir string, opts plots.Options) (string, error) {
	r, err := plots.ReadDir(dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName)
	results.RemoveTemps(dir, FileName) // left by a killed report
	if err := results.WriteFile(path, func(w io.Writer) error { return RenderContext(ctx, w, r, opts) }); err != nil {
		return "", fmt.Errorf("write report: %w", err)
	}
	return path, nil
}

// Render writes the HTML report of r to w.
func Render(w io.Writer, r *plots.Results, opts plots.Options) error {
	return RenderContext(context.Background(), w, r, opts)
}

// RenderContext is [Render] that stops drawing the charts when ctx is
// done and then returns ctx's error.
func RenderContext(ctx context.Context, w io.Writer, r *plots.Results, opts plots.Options) error {
	d := data{
		Title:    reportTitle(r),
		Scenario: r.Name(),
		Findings: Findings(r),
	}
	d.Meta = meta(r)
	d.Warning = warning(r)
	d.Description = r.Description()
	d.Opening = openingOf(r)
	for _, c := range plots.Charts(r, opts) {
		var buf bytes.Buffer
		if err := c.RenderContext(ctx, &buf, "svg", 0); err != nil {
			return fmt.Errorf("chart %s: %w", c.Name, err)
		}
		d.Charts = append(d.Charts, chart{ID: "chart-" + c.Name, Name: c.Name, Title: c.Title, SVG: inlineSVG(buf.String(), c.Title)})
	}
	d.Sensitivity = sensitivityReport(r)
	d.Discovery = r.DiscoverySentence()
	d.Stats = statsTable(r)
	d.Tests = testsTable(r)
	d.Params = paramRows(r)
	fonts, err := fontFaces()
	if err != nil {
		return err
	}
	d.Fonts = fonts
	return page.Execute(w, d)
}

// reportTitle names the experiment: the scenario, and for a sweep what
// it varied.
func reportTitle(r *plots.Results) string {
	if params := r.SweepParams(); len(params) > 0 && (r.Summary.Command == "sweep" || len(r.Sweep) > 0) {
		keys := make([]string, len(params))
		for i, k := range params {
			keys[i] = k
		}
		return fmt.Sprintf("smbsim sweep of %s: %d points over %s", r.Name(), len(r.Variants), strings.Join(keys, " × "))
	}
	if len(r.Variants) > 1 {
		return fmt.Sprintf("smbsim comparison: %s (%d variants)", r.Name(), len(r.Variants))
	}
	return "smbsim report: " + r.Name()
}

type data struct {
	Title, Scenario, Description string
	Meta                         []string
	Warning                      string
	Findings                     []string
	Opening                      *opening
	Sensitivity                  *sensitivitySection
	Discovery                    string
	Charts                       []chart
	Stats                        *table
	Tests                        *table
	Params                       []paramRow
	Fonts                        template.CSS
}

type chart struct {
	ID, Name, Title string
	SVG             template.HTML
}

type table struct {
	Head []string
	Rows [][]string
	Note string
}

type paramRow struct {
	Section    string // non-empty on the first row of a section
	Key, Value string
}

// meta lists what the results are: command, seeds, dates, version.
func meta(r *plots.Results) []string {
	var out []string
	if c := r.Summary.Command; c != "" {
		out = append(out, "command: smbsim "+c)
	}
	if n := len(r.Variants); n > 0 {
		out = append(out, fmt.Sprintf("variants: %d", n))
	}
	if n := len(r.Summary.Seeds); n > 0 {
		out = append(out, fmt.Sprintf("seeds: %d per variant", n))
	}
	// Not the time the results were finished (manifest.json has it): the
	// report of identical results is identical (docs/outputs.md).
	if m := r.Manifest; m != nil && m.Version != "" {
		out = append(out, "version: "+m.Version)
	}
	return out
}

// warning flags incomplete results.
func warning(r *plots.Results) string {
	m := r.Manifest
	if m == nil || m.Status == "" || m.Complete() {
		return ""
	}
	s := fmt.Sprintf("These results are %s", m.Status)
	done := 0
	for _, seeds := range m.CompletedSeeds { // variant → seeds finished
		done += len(seeds)
	}
	if total := len(r.Summary.Seeds) * len(r.Variants); total > 0 {
		s += fmt.Sprintf(": %d of %d runs finished", done, total)
	}
	return s + ". The numbers cover only the finished runs; finish them with the same command plus --resume."
}

// finishedSeeds returns the fewest and most seeds any variant finished,
// from the manifest of results that are not complete (ok false for
// complete results or when the manifest does not say).
func finishedSeeds(r *plots.Results) (lo, hi int, ok bool) {
	m := r.Manifest
	if m == nil || m.Status == "" || m.Complete() || m.CompletedSeeds == nil {
		return 0, 0, false
	}
	for i, v := range r.Variants {
		n := len(m.CompletedSeeds[v])
		if i == 0 || n < lo {
			lo = n
		}
		hi = max(hi, n)
	}
	return lo, hi, len(r.Variants) > 0
}

// inlineSVG turns a standalone SVG document into an element for HTML: no
// XML prolog, an accessible title, sized by CSS.
func inlineSVG(svg, title string) template.HTML {
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	if j := strings.Index(svg, ">"); j >= 0 {
		svg = svg[:j] + ` role="img" class="chart"` + ">\n<title>" + template.HTMLEscapeString(title) + "</title>" + svg[j+1:]
	}
	return template.HTML(svg)
}

// statsTable is comparison.csv as measures × variants: "mean (lo–hi)".
func statsTable(r *plots.Results) *table {
	measures := r.Measures()
	if len(measures) == 0 {
		return nil
	}
	t := &table{Head: append([]string{"Measure"}, r.Variants...)}
	runs := map[string]int{}
	for _, v := range r.Summary.Variants {
		runs[v.Name] = v.Runs
	}
	partial := false
	for _, m := range measures {
		// A measure no run had (n = 0 everywhere, e.g. margins in a world
		// without a market) is left out.
		measured := false
		for _, v := range r.Variants {
			if e, ok := r.Estimate(v, m); ok && e.N > 0 && !math.IsNaN(e.Mean) {
				measured = true
			}
		}
		if !measured {
			continue
		}
		row := []string{present.Label(m, r.Shocks())}
		for _, v := range r.Variants {
			e, ok := r.Estimate(v, m)
			switch {
			case !ok || e.N == 0 || math.IsNaN(e.Mean):
				row = append(row, "–")
			default:
				cell := withCI(m, e, false)
				if runs[v] > 0 && e.N < runs[v] {
					cell += fmt.Sprintf(" [n%s=%s%d]", nbsp, nbsp, e.N)
					partial = true
				}
				row = append(row, cell)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	t.Note = "Mean over seeds with its 95" + nbsp + "% confidence interval in brackets, cut at the measure's possible range; shares in %."
	for _, m := range measures {
		if m == "final_regions" {
			t.Note += " Regions: connected groups of neighbouring firms with identical strategies (Axelrod 1997); the largest region's share is the order parameter of Castellano, Marsili & Vespignani (2000). On a complete network every strategy is one region."
			break
		}
	}
	if partial {
		t.Note += " [n = k]: only k runs had the measure (e.g. recovered within the run)."
	}
	return t
}

// keyMeasure reports whether a measure is one the report's tests table
// lists: final diversity, margins and what the shocks did.
func keyMeasure(m string) bool {
	switch m {
	case "final_effective_strategies", "final_alive", "mean_margin":
		return true
	}
	return strings.HasPrefix(m, "shock") && (strings.HasSuffix(m, "_fail_share") || strings.HasSuffix(m, "_pre_margin") ||
		strings.HasSuffix(m, "_pre_effective_strategies"))
}

// testsTable lists the mean-difference tests of summary.json on the key
// measures (paired t where variants share seeds, else Welch),
// then the pairwise log-rank tests of firm survival.
func testsTable(r *plots.Results) *table {
	t := &table{Head: []string{"Measure", "Variants", "Test", "p", "Effect [95% CI]"}}
	for _, ts := range r.Summary.Tests {
		if !keyMeasure(ts.Measure) || !present.IsMeanTest(ts) || math.IsNaN(float64(ts.P)) {
			continue // a test of a measure no run had (margins without a market) says nothing
		}
		eff := ""
		if ts.Effect != "" {
			scale, unit := 1.0, ""
			if results.InPercent(ts.Measure) { // differences of shares in points, as in the terminal
				scale, unit = 100, " points"
			}
			e, lo, hi := present.Same(scale*float64(ts.EffectSize), scale*float64(ts.EffectCILow), scale*float64(ts.EffectCIHigh))
			eff = fmt.Sprintf("%s%s [%s, %s]", e, unit, lo, hi)
		}
		t.Rows = append(t.Rows, []string{
			present.Label(ts.Measure, r.Shocks()),
			ts.VariantA + " vs " + ts.VariantB,
			map[bool]string{true: "paired t", false: "Welch t"}[ts.Test == "paired_t"],
			present.PValue(float64(ts.P)),
			eff,
		})
	}
	if lr := r.Summary.Logrank; lr != nil && r.HasMarket() {
		for _, pr := range lr.Pairs {
			if math.IsNaN(float64(pr.Chi2)) {
				continue
			}
			t.Rows = append(t.Rows, []string{"Firm survival", pr.VariantA + " vs " + pr.VariantB, "log-rank",
				present.PValue(float64(pr.P)), fmt.Sprintf("χ² %.1f", pr.Chi2)})
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	t.Note = testsNote(r)
	return t
}

func paramRows(r *plots.Results) []paramRow {
	var out []paramRow
	last := ""
	params := r.ScenarioParams
	perVariant := variantKeys(params)
	for _, p := range params {
		if perVariant[p.Key] {
			p.Value = "(not used: every variant sets its own, see variants below)"
		}
		section := ""
		if i := strings.IndexAny(p.Key, ".["); i >= 0 {
			section = p.Key[:i]
		}
		row := paramRow{Key: p.Key, Value: p.Value}
		if section != last {
			row.Section = section
			if section == "" {
				row.Section = "general"
			}
			last = section
		}
		out = append(out, row)
	}
	return out
}

// variantKeys returns the base scenario's keys that every one of its
// [[variants]] sets (variants[k].… or variants[k].set.…), whose base
// value no run used.
func variantKeys(params []plots.Param) map[string]bool {
	count := map[string]int{}
	variants := map[string]bool{}
	for _, p := range params {
		if !strings.HasPrefix(p.Key, "variants[") {
			continue
		}
		i := strings.Index(p.Key, "].")
		if i < 0 {
			continue
		}
		variants[p.Key[:i]] = true
		key := strings.TrimPrefix(p.Key[i+2:], "set.")
		if key == "name" || key == "description" {
			continue
		}
		count[key]++
	}
	out := map[string]bool{}
	for k, n := range count {
		if n == len(variants) && n > 0 {
			out[k] = true
		}
	}
	return out
}

// fontFaces embeds the chart fonts (Liberation Sans regular and bold, as
// used by the SVG charts) as data URIs, so that text metrics match the
// charts on any machine without network access.
func fontFaces() (template.CSS, error) {
	var b strings.Builder
	for _, f := range []struct {
		weight xfont.Weight
		css    string
	}{{xfont.WeightNormal, "normal"}, {xfont.WeightBold, "bold"}} {
		face := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: f.weight}, 12)
		if face.Face == nil {
			return "", fmt.Errorf("report: font Liberation Sans %s not available", f.css)
		}
		var raw bytes.Buffer
		if _, err := face.Face.WriteSourceTo(nil, &raw); err != nil {
			return "", fmt.Errorf("report: embed font: %w", err)
		}
		fmt.Fprintf(&b, "@font-face{font-family:\"Liberation Sans\";font-style:normal;font-weight:%s;src:url(data:font/ttf;base64,%s) format(\"truetype\");}\n",
			f.css, base64.StdEncoding.EncodeToString(raw.Bytes()))
	}
	return template.CSS(b.String()), nil
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="smbsim">
<title>{{.Title}}</title>
<style>
{{.Fonts}}
:root{--ink:#222;--muted:#555;--rule:#ddd;--accent:#0072B2;--warn:#D55E00}
*{box-sizing:border-box}
html{font-size:18px}
body{margin:0 auto;max-width:1200px;padding:1.5rem 2rem 3rem;font-family:"Liberation Sans",Arial,Helvetica,sans-serif;color:var(--ink);line-height:1.45;background:#fff}
h1{font-size:2rem;margin:0 0 .3rem}
h2{font-size:1.5rem;margin:2.2rem 0 .8rem;padding-bottom:.25rem;border-bottom:2px solid var(--rule)}
.description{font-size:1.1rem;margin:.2rem 0 .5rem}
.meta{color:var(--muted);margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;font-size:.9rem}
.warning{border-left:6px solid var(--warn);background:#fdf0e6;padding:.6rem 1rem;margin:1rem 0;font-weight:bold}
nav{margin:1rem 0;font-size:.95rem;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem}
nav a{color:var(--accent);text-decoration:none}
nav a:hover{text-decoration:underline}
.findings li{margin:.45rem 0;font-size:1.05rem}
figure{margin:1.5rem 0 2rem;padding:0}
svg.chart{display:block;width:100%;height:auto;border:1px solid var(--rule)}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid var(--rule);vertical-align:top}
th{background:#f4f4f4}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
tr.section th{background:#fff;padding-top:.8rem;font-size:1rem;border-bottom:2px solid var(--rule)}
table.params{max-width:900px}
table.params td:first-child{font-family:"Liberation Mono",Consolas,monospace;font-size:.85rem}
.note{color:var(--muted);font-size:.85rem}
footer{margin-top:3rem;color:var(--muted);font-size:.8rem}
@media (max-width:800px){body{padding:1rem}td.num{white-space:normal}th,td{padding:.3rem .35rem}}
@media print{
 @page{size:A4 landscape;margin:12mm}
 html{font-size:11pt}
 body{max-width:none;padding:0}
 nav{display:none}
 h2{break-after:avoid;page-break-after:avoid}
 figure{break-inside:avoid;page-break-inside:avoid;margin:0 0 6mm}
 svg.chart{border:none;max-height:170mm;width:auto;max-width:100%;margin:0 auto}
 table{font-size:9pt}
 tr{break-inside:avoid;page-break-inside:avoid}
 .findings li{font-size:11pt}
 a{color:inherit;text-decoration:none}
}
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{with .Opening}}<p class="description answer">{{with .Question}}<strong>Question.</strong> {{.}} {{end}}{{with .Answer}}<strong>Answer.</strong>{{range .}} {{.}}{{end}} {{end}}{{with .Caveats}}<strong>Caveats.</strong>{{range .}} {{.}}{{end}}{{end}}</p>{{else}}{{with .Description}}<p class="description">{{.}}</p>{{end}}{{end}}
<ul class="meta">{{range .Meta}}<li>{{.}}</li>{{end}}</ul>
{{with .Warning}}<p class="warning">{{.}}</p>{{end}}
</header>
<nav aria-label="Contents"><a href="#findings">Findings</a>{{if .Sensitivity}}<a href="#sensitivity">Sensitivity</a>{{end}}{{range .Charts}}<a href="#{{.ID}}">{{.Name}}</a>{{end}}{{if .Stats}}<a href="#statistics">Statistics</a>{{end}}{{if .Params}}<a href="#scenario">Scenario</a>{{end}}</nav>
<section id="findings">
<h2>Findings</h2>
{{if .Findings}}<ul class="findings">{{range .Findings}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>No summary figures to report.</p>{{end}}
<p class="note">Generated from the result files; a simulation shows what the model's assumptions imply, not a forecast.</p>
</section>
{{with .Sensitivity}}<section id="sensitivity">
<h2>Sensitivity: which parameters matter ({{.Method}})</h2>
<ul class="findings">{{range .Sentences}}<li>{{.}}</li>{{end}}</ul>
{{range .Tables}}<table class="stats"><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if ge $i 2}}<td class="num">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table>
<p class="note">{{.Note}}</p>
{{end}}<p class="note">Intervals: 95 % bootstrap over the design's base samples (Sobol') or trajectories (Morris); each point's output is the mean of its seeds. Every index of every measure is in sensitivity.csv.</p>
</section>{{end}}
{{with .Discovery}}<section id="discovery">
<h2>Scenario discovery</h2>
<p>{{.}}</p>
<p class="note">The box and its limits: discovery_box.csv; the peeling trajectory: discovery.csv and the chart discovery.</p>
</section>{{end}}
{{if .Charts}}<section id="charts">
<h2>Charts</h2>
{{range .Charts}}<figure class="chart-figure" id="{{.ID}}">
{{.SVG}}
</figure>
{{end}}</section>{{end}}
{{with .Stats}}<section id="statistics">
<h2>Statistics</h2>
<table class="stats"><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<td>{{$c}}</td>{{else}}<td class="num">{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table>
<p class="note">{{.Note}}</p>
{{end}}
{{with .Tests}}<h3>Differences between variants</h3>
<table class="tests"><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if ge $i 3}}<td class="num">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody></table>
<p class="note">{{.Note}}</p>
{{end}}{{if .Stats}}</section>{{end}}
{{if .Params}}<section id="scenario">
<h2>Scenario: {{.Scenario}}</h2>
<p class="note">The fully resolved scenario (scenario.toml): every parameter with the value used.</p>
<table class="params"><thead><tr><th>Parameter</th><th>Value</th></tr></thead>
<tbody>{{range .Params}}{{with .Section}}<tr class="section"><th colspan="2">{{.}}</th></tr>{{end}}<tr><td>{{.Key}}</td><td>{{.Value}}</td></tr>
{{end}}</tbody></table>
</section>{{end}}
<footer>Written by smbsim report. Self-contained: charts are inline SVG; no scripts, no network access.</footer>
</body>
</html>
`))

// testsNote names the tests the table shows, from the designs of the
// tests in summary.json: paired where the variants ran the same seeds.
func testsNote(r *plots.Results) string {
	paired, welch := false, false
	for _, ts := range r.Summary.Tests {
		switch ts.Test {
		case results.TestPairedT:
			paired = true
		case results.TestWelch:
			welch = true
		}
	}
	var parts []string
	if paired {
		parts = append(parts, "Paired t-test on the per-seed differences (the variants ran the same seeds; effect: mean of A − B, differences of shares in percentage points); tests.csv adds the Wilcoxon signed-rank test with the rank-biserial correlation.")
	}
	if welch {
		parts = append(parts, "Welch t-test where the variants ran different seeds (effect: mean of A − mean of B); tests.csv adds the Mann–Whitney U test with Cliff's delta.")
	}
	parts = append(parts, fmt.Sprintf("Log-rank test on firm lifetimes. With many comparisons, expect about 1 in 20 to have p < %g by chance.", present.Significance))
	return strings.Join(parts, " ")
}
