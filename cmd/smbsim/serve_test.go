package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/serve"
)

// TestServeWorkshopReplays is the promise of "save workshop": a workshop
// with shocks fired live, and a branch rewound from a snapshot with another
// shock, each saved as a scenario, replays with `smbsim run` to the same
// timeseries.csv as the workshop's own data, byte for byte.
func TestServeWorkshopReplays(t *testing.T) {
	s := scenarios.Default()
	for _, a := range []string{"population.firms=300", "simulation.ticks=120", "shocks[1].tick=100", "simulation.base_seed=5", "output.every=1"} {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	ws, err := serve.New(serve.Options{Scenario: s})
	if err != nil {
		t.Fatal(err)
	}
	post := func(path, body string) {
		t.Helper()
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("X-Workshop-Key", ws.Key())
		w := httptest.NewRecorder()
		ws.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("POST %s %s: %d %s", path, body, w.Code, w.Body)
		}
	}
	get := func(path string) []byte {
		t.Helper()
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("X-Workshop-Key", ws.Key())
		w := httptest.NewRecorder()
		ws.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	post("/api/control", `{"action":"step","ticks":30}`)
	post("/api/shock", `{"kind":"downturn","values":{"severity":"0.4","duration":"10"}}`)
	post("/api/control", `{"action":"step","ticks":20}`)
	post("/api/shock", `{"kind":"demand_shift","values":{"segment":"-1"}}`)
	post("/api/control", `{"action":"step","ticks":200}`)
	post("/api/rewind", `{"tick":26}`) // the snapshot at tick 25: before both shocks
	post("/api/shock", `{"kind":"tech_disruption","values":{"dimension":"product","severity":"0.7"}}`)
	post("/api/control", `{"action":"step","ticks":200}`)

	dir := t.TempDir()
	for _, branch := range []string{"0", "1"} {
		toml := get("/api/workshop.toml?branch=" + branch)
		want := get("/api/timeseries.csv?branch=" + branch)
		n := bytes.Count(toml, []byte("[[shocks]]"))
		if wantN := map[string]int{"0": 3, "1": 2}[branch]; n != wantN {
			t.Errorf("branch %s: workshop has %d shocks, want %d:\n%s", branch, n, wantN, toml)
		}
		file := filepath.Join(dir, "workshop"+branch+".toml")
		if err := os.WriteFile(file, toml, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out"+branch)
		mustRun(t, "run", file, "--out", out, "--no-charts", "--quiet")
		got, err := os.ReadFile(filepath.Join(out, "timeseries.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("branch %s: smbsim run's timeseries.csv (%d bytes) differs from the workshop's (%d bytes)", branch, len(got), len(want))
		}
		if c := bytes.Count(want, []byte("\n")); c != 121 {
			t.Errorf("branch %s: the workshop's timeseries.csv has %d lines, want 121 (header and 120 ticks)", branch, c)
		}
	}
}

// TestServeRunSeeds: "run N seeds" hands the workshop's scenario, fired
// shocks included, to smbsim run and links the report when it is done.
func TestServeRunSeeds(t *testing.T) {
	s := scenarios.Default()
	for _, a := range []string{"population.firms=60", "simulation.ticks=40", "shocks[1].tick=30"} {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	ws, err := serve.New(serve.Options{Scenario: s, RunSeeds: runSeeds, RunsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) string {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("X-Workshop-Key", ws.Key())
		w := httptest.NewRecorder()
		ws.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	do("POST", "/api/control", `{"action":"step","ticks":10}`)
	do("POST", "/api/shock", `{"kind":"downturn"}`)
	do("POST", "/api/seeds", `{"seeds":3}`)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(do("GET", "/api/state", ""), `"status":"done"`) {
		if st := do("GET", "/api/state", ""); strings.Contains(st, `"status":"failed"`) || time.Now().After(deadline) {
			t.Fatalf("run not done: %s", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if body := do("GET", "/runs/run-0/results/report.html", ""); !strings.Contains(body, "<html") {
		t.Errorf("report link does not serve the report: %.200s", body)
	}
	toml, err := os.ReadFile(filepath.Join(dir, "run-0", "results", "scenario.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(toml, []byte(`kind = "downturn"`)) || !bytes.Contains(toml, []byte("seeds = 3")) {
		t.Errorf("the runner did not get the workshop's scenario with 3 seeds:\n%s", toml)
	}
}

// TestServeCultureWorld: the workshop runs a culture world wider than 64
// bits (cmd/smbsim/testdata/wide-culture.toml) on the culture engine, as
// smbsim run does: its saved workshop replays with smbsim run to the same
// timeseries.csv, byte for byte; a branch rewound to a snapshot steps to
// the same rows as the first (the snapshot is an exact clone); the market
// view colours the most common strategies; a shock and a participant's
// joining are refused with a reason (a culture world has no market); the
// state says it is a culture world and its chart rows carry the culture
// charts' metrics as timeseries.csv records them.
func TestServeCultureWorld(t *testing.T) {
	s, err := scenarios.Open("testdata/wide-culture.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("output.every=1"); err != nil {
		t.Fatal(err)
	}
	ws, err := serve.New(serve.Options{Scenario: s})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string, code int) []byte {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("X-Workshop-Key", ws.Key())
		w := httptest.NewRecorder()
		ws.ServeHTTP(w, r)
		if w.Code != code {
			t.Fatalf("%s %s %s: %d %s, want %d", method, path, body, w.Code, w.Body, code)
		}
		return w.Body.Bytes()
	}
	do("POST", "/api/control", `{"action":"step","ticks":40}`, 200)
	var mv struct {
		Lanes []struct {
			Points [][5]float64
			Top    []struct{ Strategy string }
		}
	}
	if err := json.Unmarshal(do("GET", "/api/market", "", 200), &mv); err != nil {
		t.Fatal(err)
	}
	coloured := 0
	for _, p := range mv.Lanes[0].Points {
		if p[2] >= 0 {
			coloured++
		}
	}
	if len(mv.Lanes[0].Points) != 144 || coloured == 0 || len(mv.Lanes[0].Top) == 0 || strings.Count(mv.Lanes[0].Top[0].Strategy, "-") != 9 {
		t.Errorf("market view: %d points, %d coloured, top %v; want 144 sites, some coloured, strategies of 10 options", len(mv.Lanes[0].Points), coloured, mv.Lanes[0].Top)
	}
	if body := do("POST", "/api/shock", `{"kind":"downturn"}`, 400); !bytes.Contains(body, []byte("culture world")) {
		t.Errorf("shock: %s", body)
	}
	r := httptest.NewRequest("POST", "/p/api/join", strings.NewReader(`{"code":"`+ws.Code()+`","name":"Ann"}`))
	w := httptest.NewRecorder()
	ws.ServeHTTP(w, r)
	if w.Code != 400 || !strings.Contains(w.Body.String(), "culture world") {
		t.Errorf("join: %d %s, want 400 naming the culture world", w.Code, w.Body)
	}
	do("POST", "/api/control", `{"action":"step","ticks":10000}`, 200) // to absorption
	first := do("GET", "/api/timeseries.csv?branch=0", "", 200)
	checkCultureCharts(t, do("GET", "/api/state?rows=1", "", 200), first)
	do("POST", "/api/rewind", `{"tick":26}`, 200)
	do("POST", "/api/control", `{"action":"step","ticks":10000}`, 200)
	if again := do("GET", "/api/timeseries.csv?branch=1", "", 200); !bytes.Equal(again, first) {
		t.Errorf("the branch rewound to tick 25 stepped to other rows (%d bytes, first %d)", len(again), len(first))
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "workshop.toml")
	if err := os.WriteFile(file, do("GET", "/api/workshop.toml?branch=0", "", 200), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	mustRun(t, "run", file, "--seeds", "1", "--out", out, "--no-charts", "--quiet")
	got, err := os.ReadFile(filepath.Join(out, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, first) || bytes.Count(first, []byte("\n")) < 30 {
		t.Errorf("smbsim run's timeseries.csv (%d bytes) differs from the workshop's (%d bytes)", len(got), len(first))
	}
}

// checkCultureCharts fails unless the state (with rows) says it is a
// culture world and its rows' distinct_strategies, regions and
// active_edges are timeseries.csv's, tick by tick (null where the CSV is
// empty: regions between counts).
func checkCultureCharts(t *testing.T, state, csvData []byte) {
	t.Helper()
	var st struct {
		Culture bool
		Columns []string
		Rows    [][][]*float64
	}
	if err := json.Unmarshal(state, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Culture {
		t.Error(`state of a culture world: "culture" is false`)
	}
	recs, err := csv.NewReader(bytes.NewReader(csvData)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(names []string, name string) int {
		i := slices.Index(names, name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, names)
		}
		return i
	}
	byTick := map[string][]string{}
	for _, r := range recs[1:] {
		byTick[r[col(recs[0], "tick")]] = r
	}
	checked, regions := 0, 0
	for _, row := range st.Rows[0] {
		rec, ok := byTick[strconv.FormatFloat(*row[0], 'g', -1, 64)]
		if !ok {
			continue
		}
		for _, name := range []string{"distinct_strategies", "regions", "active_edges"} {
			v, want := row[col(st.Columns, name)], rec[col(recs[0], name)]
			got := ""
			if v != nil {
				got = strconv.FormatFloat(*v, 'g', -1, 64)
			}
			if got != want {
				t.Fatalf("tick %s: %s %q in the chart row, %q in timeseries.csv", rec[col(recs[0], "tick")], name, got, want)
			}
			if name == "regions" && v != nil {
				regions++
			}
		}
		checked++
	}
	if checked < 30 || regions < 2 {
		t.Errorf("%d chart rows checked against timeseries.csv, %d with regions; want at least 30 and 2", checked, regions)
	}
}
