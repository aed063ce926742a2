package serve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smbsim/smbsim/scenarios"
)

// newTestServer returns a workshop on the baseline scenario with
// population.firms firms, changed by sets.
func newTestServer(t testing.TB, sets ...string) *Server {
	t.Helper()
	s := scenarios.Default()
	for _, a := range sets {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := New(Options{Scenario: s})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestPageRunsAndFiresShock loads the facilitator's page at projector size
// in a real browser, runs the market, fires a shock with its button and
// checks that the run advanced, the shock is marked on every chart, the
// charts drew point by point (not from scratch each update), and the page
// logged no error.
func TestPageRunsAndFiresShock(t *testing.T) {
	ws := newTestServer(t, "population.firms=1000")
	b := newBrowser(t, ws, 1280, 720)
	b.do(chromedp.Navigate(b.facilitatorURL()))
	b.waitFor(`typeof W !== 'undefined' && W.charts.length === 4 && W.state !== null`)
	b.do(chromedp.Click(chromedp.CSS("#run")))
	b.waitFor(`Number(document.getElementById('tick').textContent) >= 40`)
	b.do(chromedp.Click(chromedp.CSS(`#shocks button[data-kind="downturn"]`)))
	b.waitFor(`W.state.fired.length === 1 && W.charts.every((c) => c.marks.some((m) => m.label.includes('downturn')))`)
	b.waitFor(`Number(document.getElementById('tick').textContent) >= 80`)
	segs := eval[int](b, `W.charts[0].segments`)
	full := eval[int](b, `W.charts[0].fullDraws`)
	if segs < 40 || full > segs/4 {
		t.Errorf("diversity chart: %d segments drawn one by one, %d full redraws; want most updates incremental", segs, full)
	}
	b.screenshot("facilitator")
	checkPageKind(t, b, false)
	b.do(chromedp.Click(chromedp.CSS("#run")))
	ws.mu.Lock()
	fired := ws.branches[ws.cur].fired()
	ws.mu.Unlock()
	if len(fired) != 1 || fired[0].Kind != "downturn" || fired[0].Tick < 41 {
		t.Fatalf("fired shocks %+v, want one downturn after tick 40", fired)
	}
	// The page's "Save workshop" link gives the workshop scenario with the
	// fired shock at its tick (TestServeWorkshopReplays in cmd/smbsim runs
	// such a file with smbsim run).
	saved, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.getElementById('save').href).then((r) => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[[shocks]]\nkind = \"downturn\"\ntick = %d\n", fired[0].Tick)
	if !strings.Contains(saved, want) || !strings.Contains(saved, "seeds = 1") {
		t.Errorf("Save workshop gives:\n%s\nwant a scenario with one run and\n%s", saved, want)
	}
	b.noErrors()
}
