package serve

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smbsim/smbsim/scenarios"
)

// TestPageSettingsAndLockstep changes a setting through the generated
// controls (the run restarts with it), then turns on the no-shock
// comparison: while it runs, both markets' charts stay on the same tick,
// and rewinding starts a second branch that keeps the first.
func TestPageSettingsAndLockstep(t *testing.T) {
	ws := newTestServer(t, "population.firms=400")
	b := newBrowser(t, ws, 1280, 720)
	b.do(chromedp.Navigate(b.facilitatorURL()))
	b.waitFor(`typeof W !== 'undefined' && W.charts.length === 4 && W.state !== null && document.getElementById('set-population.firms') !== null`)
	b.do(
		chromedp.SetValue(chromedp.CSS(`[id="set-population.firms"]`), "250"),
		chromedp.Click(chromedp.CSS("#apply")),
	)
	b.waitFor(`W.state.settings.some((c) => c.key === 'population.firms' && c.value === 250)`)
	b.do(chromedp.SetValue(chromedp.CSS("#cmpmode"), "no_shock"), chromedp.Click(chromedp.CSS("#cmpapply")))
	b.waitFor(`W.state.lanes.length === 2 && W.charts[0].opts.series.length === 2`)
	b.do(chromedp.Click(chromedp.CSS("#run")))
	b.waitFor(`W.charts[0].data[0].length >= 60`)
	b.do(chromedp.Click(chromedp.CSS(`#shocks button[data-kind="downturn"]`)))
	b.waitFor(`W.charts[0].data[0].length >= 120`)
	// Lockstep: the two markets' series end on the same tick at every update.
	for range 5 {
		same := eval[bool](b, `(() => { const d = W.charts[0].data; return d[0][d[0].length-1][0] === d[1][d[1].length-1][0]; })()`)
		if !same {
			t.Fatal("the two markets' charts are on different ticks")
		}
	}
	b.do(chromedp.Click(chromedp.CSS("#run")))
	b.screenshot("lockstep")
	b.do(chromedp.SetValue(chromedp.CSS("#snap"), "50"), chromedp.Click(chromedp.CSS("#rewind")))
	b.waitFor(`W.state.branches.length === 2 && W.state.branch === 1 && W.state.tick === 50 && W.charts[0].ghosts.length === 1`)
	if n := eval[int](b, `W.charts[3].data[0].length`); n != 50 {
		t.Errorf("after rewinding to tick 50 the charts hold %d ticks", n)
	}
	b.noErrors()
}

// TestPageCultureWorld loads the facilitator's page on a culture world
// wider than 64 bits (F = 10, q = 100: the culture engine), runs it and
// checks that it advanced, drew its charts and market view, and that the
// page logged no error.
func TestPageCultureWorld(t *testing.T) {
	s, err := scenarios.Open("axelrod")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{`strategy.dimensions=["f1","f2","f3","f4","f5","f6","f7","f8","f9","f10"]`, "strategy.options=100"} {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	if cfg := s.Config(); !cfg.RunsCulture() {
		t.Fatal("not a culture world")
	}
	ws, err := New(Options{Scenario: s})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, ws, 1280, 720)
	b.do(chromedp.Navigate(b.facilitatorURL()))
	b.waitFor(`typeof W !== 'undefined' && W.charts.length === 4 && W.state !== null`)
	b.do(chromedp.Click(chromedp.CSS("#run")))
	b.waitFor(`Number(document.getElementById('tick').textContent) >= 30`)
	b.do(chromedp.Click(chromedp.CSS("#run")))
	b.screenshot("culture")
	if segs := eval[int](b, `W.charts[0].segments`); segs < 10 {
		t.Errorf("diversity chart: %d segments drawn", segs)
	}
	b.noErrors()
}
