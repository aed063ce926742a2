package serve

import (
	"strings"
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
// checks that it advanced, drew its charts and market view, that the
// page is a culture world's (checkPageKind), and that it logged no error.
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
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`api('/api/control', { action: 'speed', speed: 400 }).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS("#run")))
	// seed 1 absorbs at tick 198 (smbsim run stops there too)
	b.waitFor(`W.state.done || Number(document.getElementById('tick').textContent) >= 200`)
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`api('/api/control', { action: 'pause' }).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`!W.state.running && (W.state.done || W.state.tick >= 200)`)
	// regions are counted every simulation.regions_every = 100 ticks: the
	// chart has those values, joined across the ticks between.
	if n := eval[int](b, `W.charts[2].data[0].filter(([, v]) => v !== null).length`); n < 2 {
		t.Errorf("regions chart: %d values", n)
	}
	b.screenshot("culture")
	if segs := eval[int](b, `W.charts[0].segments`); segs < 10 {
		t.Errorf("diversity chart: %d segments drawn", segs)
	}
	checkPageKind(t, b, true)
	b.noErrors()
}

// checkPageKind fails unless the facilitator's page is adapted to the
// world: a culture world shows no shock button, no participants' join
// address, no no-shock comparison and no market-only chart (types,
// margin, initial firms), and
// its charts' x axis spans the ticks run (not simulation.ticks); a market
// world shows a button per shock kind, the join address and the market
// charts over the run's length.
func checkPageKind(t *testing.T, b *browser, culture bool) {
	t.Helper()
	buttons := eval[int](b, `document.querySelectorAll('#shocks button').length`)
	kinds := eval[int](b, `W.state.shock_kinds.length`)
	titles := eval[string](b, `W.charts.map((c) => c.opts.title).join(' | ')`)
	joinShown := eval[bool](b, `document.getElementById('joinurl').offsetParent !== null && document.getElementById('qr').offsetParent !== null`)
	noPeople := eval[bool](b, `document.getElementById('no-people').offsetParent !== null`)
	xMax := eval[int](b, `Math.max(...W.charts.map((c) => c.xMax))`)
	if noShock := eval[bool](b, `document.querySelector('#cmpmode [value="no_shock"]').disabled`); noShock != culture {
		t.Errorf("culture world %v: the no-shock comparison disabled %v", culture, noShock)
	}
	tick := eval[int](b, `W.state.tick`)
	ticks := eval[int](b, `W.state.ticks`)
	market := []string{"Firms alive by type", "Mean margin", "Initial firms in business"}
	cultureCharts := []string{"Distinct strategies", "Cultural regions", "Active links"}
	if culture {
		if buttons != 0 || !strings.Contains(eval[string](b, `document.getElementById('shocks').textContent`), "no market") {
			t.Errorf("culture world: %d shock buttons, want none and a note saying why", buttons)
		}
		if joinShown || !noPeople {
			t.Errorf("culture world: join address shown %v, note shown %v; want the note only", joinShown, noPeople)
		}
		for _, m := range market {
			if strings.Contains(titles, m) {
				t.Errorf("culture world shows the market chart %q (charts: %s)", m, titles)
			}
		}
		for _, m := range cultureCharts {
			if !strings.Contains(titles, m) {
				t.Errorf("culture world lacks the chart %q (charts: %s)", m, titles)
			}
		}
		if xMax < tick || xMax > 2*tick+100 || xMax >= ticks {
			t.Errorf("culture world at tick %d of %d: x axis spans %d ticks, want the ticks run", tick, ticks, xMax)
		}
		return
	}
	if buttons != kinds || kinds < 5 {
		t.Errorf("market world: %d shock buttons for %d kinds", buttons, kinds)
	}
	if !joinShown || noPeople {
		t.Errorf("market world: join address shown %v, no-market note shown %v", joinShown, noPeople)
	}
	for _, m := range market {
		if !strings.Contains(titles, m) {
			t.Errorf("market world lacks the chart %q (charts: %s)", m, titles)
		}
	}
	for _, m := range cultureCharts {
		if strings.Contains(titles, m) {
			t.Errorf("market world shows the culture chart %q (charts: %s)", m, titles)
		}
	}
	if xMax != ticks {
		t.Errorf("market world: x axis spans %d ticks, want the run's %d", xMax, ticks)
	}
}
