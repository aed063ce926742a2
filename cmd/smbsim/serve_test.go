package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
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
