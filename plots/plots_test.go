package plots_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/plots/internal/synth"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata/")

// fixtures are the synthetic results directories the tests render, with
// the charts each must produce.
var fixtures = []struct {
	name   string
	config func() synth.Config
	charts []string
}{
	{"compare", synth.Compare, []string{"diversity", "survival", "survival_by_type", "takeover", "market_health", "comparison", "fragility"}},
	{"run", synth.Run, []string{"diversity", "survival", "survival_by_type", "takeover", "market_health", "fragility"}},
	{"sweep", synth.Sweep, []string{"diversity", "survival", "survival_by_type", "takeover", "market_health", "comparison", "fragility", "sweep"}},
	{"sweep2", synth.Sweep2, []string{"diversity", "survival", "survival_by_type", "takeover", "market_health", "comparison", "sweep"}},
}

// writeFixture writes a synthetic results directory and returns its path.
func writeFixture(tb testing.TB, c synth.Config) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), c.Scenario)
	if err := synth.Write(dir, c); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func names(cs []*plots.Chart) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// TestGoldenSVG renders every chart of every fixture as SVG and compares
// it byte for byte with testdata/<fixture>/<chart>.svg. Set
// SMBSIM_CHARTS_OUT to a directory to also get PNGs to look at.
func TestGoldenSVG(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			dir := writeFixture(t, fx.config())
			r, err := plots.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			charts := plots.Charts(r, plots.Options{})
			if got := names(charts); !slices.Equal(got, fx.charts) {
				t.Errorf("charts = %v, want %v", got, fx.charts)
			}
			for _, c := range charts {
				var buf bytes.Buffer
				if err := c.Render(&buf, "svg", 0); err != nil {
					t.Fatalf("%s: %v", c.Name, err)
				}
				golden := filepath.Join("testdata", fx.name, c.Name+".svg")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				} else {
					want, err := os.ReadFile(golden)
					if err != nil {
						t.Fatalf("%v (run go test ./plots/... -update to create it)", err)
					}
					if !bytes.Equal(buf.Bytes(), want) {
						t.Errorf("%s differs from %s (if the change is intended, run go test ./plots/... -update)", c.Name, golden)
					}
				}
				if out := os.Getenv("SMBSIM_CHARTS_OUT"); out != "" {
					var png bytes.Buffer
					if err := c.Render(&png, "png", 0); err != nil {
						t.Fatal(err)
					}
					p := filepath.Join(out, fx.name, c.Name+".png")
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, png.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

func TestRenderDir(t *testing.T) {
	dir := writeFixture(t, synth.Compare())
	paths, err := plots.RenderDir(dir, plots.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 7*3 {
		t.Errorf("wrote %d files, want 21: %v", len(paths), paths)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(p) {
		case ".png":
			if !bytes.HasPrefix(b, []byte("\x89PNG")) {
				t.Errorf("%s: not a PNG", p)
			}
		case ".pdf":
			if !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Errorf("%s: not a PDF", p)
			}
		case ".svg":
			if !bytes.Contains(b, []byte("<svg")) {
				t.Errorf("%s: not an SVG", p)
			}
		}
	}
	// No temporary files are left behind.
	entries, err := os.ReadDir(filepath.Join(dir, "charts"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestRenderDirPNGSize(t *testing.T) {
	dir := writeFixture(t, synth.Run())
	for _, tc := range []struct{ dpi, w, h int }{{0, 1600, 900}, {320, 3200, 1800}} {
		paths, err := plots.RenderDir(dir, plots.Options{Formats: []string{"png"}, DPI: tc.dpi})
		if err != nil {
			t.Fatal(err)
		}
		w, h := pngSize(t, paths[0])
		if w != tc.w || h != tc.h {
			t.Errorf("dpi %d: %s is %d×%d px, want %d×%d", tc.dpi, paths[0], w, h, tc.w, tc.h)
		}
	}
}

func pngSize(t *testing.T, path string) (int, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 24 {
		t.Fatalf("%s: too short for a PNG", path)
	}
	be := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	return be(b[16:20]), be(b[20:24])
}

// TestRenderDirRemovesStale checks that a chart whose data has gone is not
// left behind from an earlier render.
func TestRenderDirRemovesStale(t *testing.T) {
	dir := writeFixture(t, synth.Compare())
	stale := filepath.Join(dir, "charts", "sweep.svg")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("<svg/>"), 0o644)
	if _, err := plots.RenderDir(dir, plots.Options{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale %s still there (err %v)", stale, err)
	}
}

func TestRenderDirErrors(t *testing.T) {
	if _, err := plots.RenderDir(filepath.Join(t.TempDir(), "missing"), plots.Options{}); err == nil {
		t.Error("missing directory: no error")
	}
	empty := t.TempDir()
	if _, err := plots.RenderDir(empty, plots.Options{}); err == nil || !strings.Contains(err.Error(), "no smbsim results") {
		t.Errorf("empty directory: err = %v", err)
	}
	dir := writeFixture(t, synth.Run())
	if _, err := plots.RenderDir(dir, plots.Options{Formats: []string{"gif"}}); err == nil {
		t.Error("format gif: no error")
	}
}

// TestTimeseriesWithoutVariant checks that a run's timeseries (no variant
// column) is attributed to the scenario, and that stats are computed from
// it when stats.csv is absent.
func TestTimeseriesWithoutVariant(t *testing.T) {
	dir := writeFixture(t, synth.Run())
	if err := os.Remove(filepath.Join(dir, "stats.csv")); err != nil {
		t.Fatal(err)
	}
	r, err := plots.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Variants, []string{"baseline"}) {
		t.Errorf("variants = %v", r.Variants)
	}
	rows := r.Stat("baseline", "effective_strategies")
	if len(rows) == 0 {
		t.Fatal("no stats computed from timeseries.csv")
	}
	if rows[0].N != 3 || !(rows[0].CILow < rows[0].Mean && rows[0].Mean < rows[0].CIHigh) {
		t.Errorf("first row = %+v", rows[0])
	}
}

func TestFlattenScenario(t *testing.T) {
	dir := writeFixture(t, synth.Compare())
	r, err := plots.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range r.ScenarioParams {
		got[p.Key] = p.Value
	}
	for k, v := range map[string]string{
		"name":                    "imitation-study",
		"population.mix.imitator": "0.4",
		"shocks[1].kind":          "demand_shift",
		"output.shock_window":     "50",
		"strategy.dimensions":     "marketing, operations, product, pricing, channel, platform, automation, culture",
		"variants[3].set.population.mix.imitator": "0.74",
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if r.ShockWindow() != 50 {
		t.Errorf("ShockWindow = %d", r.ShockWindow())
	}
}
