package serve

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/scenarios"
)

// call sends a request to ws's handler with the facilitator's key (unless
// key is false) and returns the status and body.
func call(t testing.TB, ws *Server, method, path, body string, key bool) (int, []byte) {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if key {
		r.Header.Set("X-Workshop-Key", ws.Key())
	}
	w := httptest.NewRecorder()
	ws.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func state(t testing.TB, ws *Server) State {
	t.Helper()
	code, body := call(t, ws, "GET", "/api/state?rows=1", "", true)
	if code != 200 {
		t.Fatalf("state: %d %s", code, body)
	}
	var st State
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestAPI(t *testing.T) {
	ws := newTestServer(t, "population.firms=200", "simulation.ticks=100", "shocks[1].tick=80")
	tests := []struct {
		name, method, path, body string
		key                      bool
		code                     int
		want                     string // in the body
	}{
		{"no key", "GET", "/api/state", "", false, 403, "facilitator's key"},
		{"wrong key", "GET", "/api/state?key=nope", "", false, 403, "facilitator's key"},
		{"market world", "GET", "/api/state", "", true, 200, `"culture":false`},
		{"step", "POST", "/api/control", `{"action":"step","ticks":10}`, true, 200, `"tick":10`},
		{"unknown action", "POST", "/api/control", `{"action":"fly"}`, true, 400, "unknown action"},
		{"speed out of range", "POST", "/api/control", `{"action":"speed","speed":0}`, true, 400, "between 1 and 1000"},
		{"unknown field", "POST", "/api/control", `{"action":"step","tics":3}`, true, 400, "unknown field"},
		{"fire", "POST", "/api/shock", `{"kind":"downturn","values":{"severity":"0.4","duration":"5"}}`, true, 200, `"fired":[{"tick":11,"kind":"downturn","severity":0.4}]`},
		{"bad severity", "POST", "/api/shock", `{"kind":"downturn","values":{"severity":"3"}}`, true, 400, "severity"},
		{"bad kind", "POST", "/api/shock", `{"kind":"meteor"}`, true, 400, "kind"},
		{"unknown shock key", "POST", "/api/shock", `{"kind":"downturn","values":{"power":"1"}}`, true, 400, "unknown shock key"},
		{"tech needs a dimension", "POST", "/api/shock", `{"kind":"tech_disruption"}`, true, 400, "dimension"},
		{"tech on product", "POST", "/api/shock", `{"kind":"tech_disruption","values":{"dimension":"product"}}`, true, 200, `"kind":"tech_disruption"`},
		{"bad setting", "POST", "/api/settings", `{"values":{"population.mix.imitator":"0.9"}}`, true, 400, "sum to 1"},
		{"unknown setting", "POST", "/api/settings", `{"values":{"population.size":"9"}}`, true, 400, "unknown setting"},
		{"out of range", "POST", "/api/settings", `{"values":{"biases.herding":"2"}}`, true, 400, "biases.herding"},
		{"setting waits for reset", "POST", "/api/settings", `{"values":{"biases.herding":"0.5"}}`, true, 200, `"tick":10`},
		{"rewind", "POST", "/api/rewind", `{"tick":5}`, true, 200, `"branch":1`},
		{"bad branch", "POST", "/api/branch", `{"id":7}`, true, 400, "no branch 7"},
		{"back to branch 0", "POST", "/api/branch", `{"id":0}`, true, 200, `"branch":0`},
		{"compare unknown", "POST", "/api/compare", `{"mode":"both"}`, true, 400, "unknown compare mode"},
		{"compare bad sets", "POST", "/api/compare", `{"mode":"settings","sets":["population.mix.imitator=2"]}`, true, 400, "population.mix.imitator"},
		{"compare no shock", "POST", "/api/compare", `{"mode":"no_shock"}`, true, 200, `"lanes":["baseline","no shock"]`},
		{"reset applied the setting", "POST", "/api/control", `{"action":"reset"}`, true, 200, `"tick":0`},
	}
	for _, tc := range tests {
		code, body := call(t, ws, tc.method, tc.path, tc.body, tc.key)
		if code != tc.code || !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("%s: %s %s %s = %d %.300s; want %d with %s", tc.name, tc.method, tc.path, tc.body, code, body, tc.code, tc.want)
		}
	}
	st := state(t, ws)
	for _, c := range st.Settings {
		if c.Key == "biases.herding" && c.Value != 0.5 {
			t.Errorf("biases.herding = %v after the setting and a reset, want 0.5", c.Value)
		}
	}
}

// TestControlsFollowDeclaration checks that the settings are the engine's
// declared parameters: every key --set accepts for the engine appears, with
// its declared range.
func TestControlsFollowDeclaration(t *testing.T) {
	cs := Controls(scenarios.Default())
	byKey := map[string]Control{}
	for _, c := range cs {
		byKey[c.Key] = c
	}
	for _, k := range []string{"population.firms", "population.mix.imitator", "biases.herding", "network.kind", "strategy.platform", "simulation.base_seed"} {
		if _, ok := byKey[k]; !ok {
			t.Errorf("no control for %s", k)
		}
	}
	if c := byKey["network.kind"]; c.Kind != "enum" || len(c.Values) < 3 {
		t.Errorf("network.kind: %+v, want an enum with the network kinds", c)
	}
	if c := byKey["biases.herding"]; c.Min == nil || *c.Min != 0 || c.Max == nil || *c.Max != 1 {
		t.Errorf("biases.herding range: %+v, want 0 to 1", c)
	}
	if _, ok := byKey["shocks.kind"]; ok {
		t.Error("the [[shocks]] list is a control; shocks are fired, not set")
	}
	// Every control is a key --set accepts with its current value.
	s := scenarios.Default()
	for _, c := range cs {
		a, err := assignment(cs, c.Key, valueText(c))
		if err != nil {
			t.Errorf("%s: %v", c.Key, err)
			continue
		}
		if err := s.Set(a); err != nil {
			t.Errorf("%s: --set %s: %v", c.Key, a, err)
		}
	}
}

// valueText writes a control's value as the page does.
func valueText(c Control) string {
	switch v := c.Value.(type) {
	case []string:
		return strings.Join(v, ", ")
	}
	b, _ := json.Marshal(c.Value)
	return strings.Trim(string(b), `"`)
}

// TestLockstep: both lanes of a comparison are always at the same tick,
// the no-shock lane does not get fired shocks and the settings lane does.
func TestLockstep(t *testing.T) {
	for _, mode := range []string{CompareNoShock, CompareSettings} {
		ws := newTestServer(t, "population.firms=200", "simulation.ticks=60", "shocks[1].tick=55")
		body := `{"mode":"` + mode + `","sets":["population.mix.imitator=0.1","population.mix.innovator=0.5"]}`
		if code, b := call(t, ws, "POST", "/api/compare", body, true); code != 200 {
			t.Fatalf("%s: %d %s", mode, code, b)
		}
		call(t, ws, "POST", "/api/control", `{"action":"step","ticks":20}`, true)
		call(t, ws, "POST", "/api/shock", `{"kind":"downturn","values":{"severity":"0.8"}}`, true)
		call(t, ws, "POST", "/api/control", `{"action":"step","ticks":25}`, true)
		st := state(t, ws)
		if len(st.Rows) != 2 || len(st.Rows[0]) != 45 || len(st.Rows[1]) != 45 {
			t.Fatalf("%s: rows %d lanes", mode, len(st.Rows))
		}
		for i := range st.Rows[0] {
			if st.Rows[0][i][0] != st.Rows[1][i][0] {
				t.Fatalf("%s: row %d at ticks %v and %v", mode, i, st.Rows[0][i][0], st.Rows[1][i][0])
			}
		}
		b := ws.branches[ws.cur]
		got := len(b.lanes[1].w.Config().Shocks) - b.lanes[1].nBase
		want := map[string]int{CompareNoShock: 0, CompareSettings: 1}[mode]
		if got != want {
			t.Errorf("%s: second lane got %d fired shocks, want %d", mode, got, want)
		}
		if mode == CompareNoShock {
			// Same market until the shock, then the downturn makes a difference.
			same := func(i int) bool { return st.Rows[0][i][1] == st.Rows[1][i][1] }
			if !same(20) || same(44) {
				t.Errorf("no-shock lane: diversity equal at tick 21: %v, at tick 45: %v; want equal before the shock, different after", same(20), same(44))
			}
		}
	}
}

// TestPresets saves the settings under a name, changes them, and loads
// the preset back; bad names are refused.
func TestPresets(t *testing.T) {
	s := scenarios.Default()
	if err := s.Set("population.firms=150"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ws, err := New(Options{Scenario: s, Presets: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, body string
		code       int
		want       string
	}{
		{"/api/settings", `{"values":{"biases.herding":"0.7"},"reset":true}`, 200, `"tick":0`},
		{"/api/presets", `{"name":"herd"}`, 200, `"presets":["herd"]`},
		{"/api/presets", `{"name":"../etc"}`, 400, "preset name"},
		{"/api/settings", `{"values":{"biases.herding":"0.1"},"reset":true}`, 200, `"tick":0`},
		{"/api/presets/load", `{"name":"nope"}`, 400, "nope"},
		{"/api/presets/load", `{"name":"herd"}`, 200, `"scenario":"herd"`},
	} {
		if code, body := call(t, ws, "POST", tc.path, tc.body, true); code != tc.code || !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("POST %s %s = %d %.200s; want %d with %s", tc.path, tc.body, code, body, tc.code, tc.want)
		}
	}
	for _, c := range state(t, ws).Settings {
		if c.Key == "biases.herding" && c.Value != 0.7 || c.Key == "population.firms" && c.Value != float64(150) {
			t.Errorf("after loading the preset %s = %v", c.Key, c.Value)
		}
	}
	if _, err := scenarios.Load(dir + "/herd.toml"); err != nil {
		t.Errorf("the preset is not a scenario smbsim run reads: %v", err)
	}
}

// TestMarketView: the market view shows every alive firm, colours the most
// common strategies, and marks as victims exactly the firms that exited
// since the latest shock.
func TestMarketView(t *testing.T) {
	ws := newTestServer(t, "population.firms=300", "simulation.ticks=100", "shocks[1].tick=90")
	call(t, ws, "POST", "/api/control", `{"action":"step","ticks":30}`, true)
	call(t, ws, "POST", "/api/shock", `{"kind":"downturn","values":{"severity":"0.9"}}`, true)
	call(t, ws, "POST", "/api/control", `{"action":"step","ticks":10}`, true)
	_, body := call(t, ws, "GET", "/api/market", "", true)
	var ev struct {
		Lanes []struct {
			Tick, Shock int
			Points      [][5]float64
			Top         []topShare
		}
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatal(err)
	}
	mv := ev.Lanes[0]
	w := ws.branches[0].lanes[0].w
	alive, victims := 0, 0
	for _, f := range w.Firms() {
		switch {
		case f.Died < 0:
			alive++
		case f.Died >= 31:
			victims++
		}
	}
	gotAlive, gotVictims, coloured := 0, 0, 0
	for _, p := range mv.Points {
		if p[4] == 1 {
			gotVictims++
		} else {
			gotAlive++
		}
		if p[2] >= 0 {
			coloured++
		}
	}
	if mv.Tick != 40 || mv.Shock != 31 || gotAlive != alive || gotVictims != victims || victims == 0 {
		t.Errorf("market view at tick %d, shock %d: %d alive, %d victims; want tick 40, shock 31, %d alive, %d victims", mv.Tick, mv.Shock, gotAlive, gotVictims, alive, victims)
	}
	if len(mv.Top) != marketClusters || coloured == 0 {
		t.Errorf("%d clusters, %d coloured points", len(mv.Top), coloured)
	}
}
