package experiment

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// fakeModel is a tiny deterministic stand-in for the engine: firms die at
// random (more often after a shock), entrants arrive, and the metrics are
// simple functions of the population. It lets the runner be tested without
// the real model, and sleeps a seed-dependent time per tick so that runs
// finish out of order.
type fakeModel struct {
	cfg   sim.Config
	seed  uint64
	rng   *rand.Rand
	tick  int
	done  bool
	met   []float64
	firms []sim.FirmRecord
	sleep time.Duration
}

func newFake(cfg sim.Config, seed uint64) (Model, error) {
	if cfg.Ticks < 1 {
		return nil, fmt.Errorf("fake: ticks must be ≥ 1")
	}
	m := &fakeModel{cfg: cfg, seed: seed, rng: rand.New(rand.NewPCG(seed, 7)), met: make([]float64, sim.NumMetrics)}
	for i := range cfg.Population.Firms {
		m.firms = append(m.firms, sim.FirmRecord{ID: i, Type: agents.Type(i % agents.NumTypes), Sector: i % 3, Born: 0, Died: -1,
			Initial: m.rng.Uint64N(64), Final: 0})
	}
	m.sleep = time.Duration(seed%3) * 20 * time.Microsecond
	return m, nil
}

// slowFactory makes the first job's runs slow, so later ones finish first.
func slowFactory(cfg sim.Config, seed uint64) (Model, error) {
	m, err := newFake(cfg, seed)
	if err == nil && seed%4 == 1 {
		m.(*fakeModel).sleep = 200 * time.Microsecond
	}
	return m, err
}

func (m *fakeModel) Step() bool {
	if m.done {
		return false
	}
	if m.sleep > 0 {
		time.Sleep(m.sleep)
	}
	m.tick++
	hazard := 0.01
	for _, sh := range m.cfg.Shocks {
		if m.tick >= sh.Tick && m.tick < sh.Tick+5 {
			hazard += 0.1 * sh.Severity
		}
	}
	alive, exits := 0, 0
	var perType [agents.NumTypes]int
	for i := range m.firms {
		f := &m.firms[i]
		if f.Died >= 0 {
			continue
		}
		if m.rng.Float64() < hazard {
			f.Died = m.tick
			exits++
			continue
		}
		if m.rng.Float64() < 0.05 {
			f.Final = m.rng.Uint64N(64)
		}
		alive++
		perType[f.Type]++
	}
	entries := 0
	if m.rng.Float64() < 0.3 {
		m.firms = append(m.firms, sim.FirmRecord{ID: len(m.firms), Type: agents.Type(m.rng.IntN(agents.NumTypes)), Born: m.tick, Died: -1, Initial: 5, Final: 5})
		entries, alive = 1, alive+1
		perType[m.firms[len(m.firms)-1].Type]++
	}
	for i := range m.met {
		m.met[i] = float64(m.tick) * float64(i+1) / (1 + m.rng.Float64())
	}
	m.met[sim.MAlive] = float64(alive)
	m.met[sim.MEntries] = float64(entries)
	m.met[sim.MExits] = float64(exits)
	m.met[sim.MMeanMargin] = 0.4 - 0.3*hazard + 0.01*m.rng.NormFloat64()
	for t := range agents.NumTypes {
		m.met[sim.MAliveImitator+t] = float64(perType[t])
	}
	m.done = m.tick >= m.cfg.Ticks
	m.met[sim.MRegions] = math.NaN()
	if m.done || m.tick%7 == 0 {
		m.met[sim.MRegions] = float64(1 + m.rng.IntN(5))
	}
	return !m.done
}

func (m *fakeModel) Done() bool         { return m.done }
func (m *fakeModel) Tick() int          { return m.tick }
func (m *fakeModel) Metrics() []float64 { return m.met }
func (m *fakeModel) Firms() []sim.FirmRecord {
	return append([]sim.FirmRecord(nil), m.firms...)
}
func (m *fakeModel) FormatStrategy(s uint64) string { return fmt.Sprintf("%d-%d", s/8, s%8) }
func (m *fakeModel) TopStrategies(dst []sim.StrategyShare, k int) []sim.StrategyShare {
	count := map[uint64]int{}
	n := 0
	for _, f := range m.firms {
		if f.Died < 0 {
			count[f.Final]++
			n++
		}
	}
	dst = dst[:0]
	for s, c := range count {
		dst = append(dst, sim.StrategyShare{Strategy: s, Share: float64(c) / float64(n)})
	}
	sort.Slice(dst, func(i, j int) bool {
		if dst[i].Share != dst[j].Share {
			return dst[i].Share > dst[j].Share
		}
		return dst[i].Strategy < dst[j].Strategy
	})
	if len(dst) > k {
		dst = dst[:k]
	}
	return dst
}

// testConfig is a small valid configuration with one shock.
func testConfig(ticks, firms int) sim.Config {
	c := sim.DefaultConfig()
	c.Ticks = ticks
	c.Population.Firms = firms
	c.Shocks = []sim.Shock{{Kind: sim.DemandShift, Tick: ticks / 2, Severity: 0.5, Sector: -1, Segment: 0, Option: -1}}
	return c
}

// testPlan is a compare of two variants (the second without shocks and a
// different firm count) over n seeds.
func testPlan(cmd string, seeds int) *Plan {
	a := testConfig(40, 30)
	b := testConfig(40, 24)
	b.Shocks = append(b.Shocks, sim.Shock{Kind: sim.Downturn, Tick: 30, Severity: 1, Sector: -1, Option: -1})
	p := &Plan{Command: cmd, Scenario: "fake", Every: 3, ShockWindow: 8, TopStrategies: 3,
		Variants: []Variant{{Name: "a", Config: a}, {Name: "b", Config: b}}, Version: "test"}
	if cmd == CommandRun {
		p.Variants = p.Variants[:1]
	}
	if cmd == CommandSweep {
		p.Params = []string{"population.firms"}
		p.Variants[0].Name, p.Variants[0].Values = "p001", []string{"30"}
		p.Variants[1].Name, p.Variants[1].Values = "p002", []string{"24"}
	}
	for i := range seeds {
		p.Seeds = append(p.Seeds, uint64(100+i))
	}
	p.ScenarioTOML = []byte("# fake\n")
	return p
}

var fixedNow = func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

func execute(t testing.TB, p *Plan, opt Options) *Report {
	t.Helper()
	if opt.Factory == nil {
		opt.Factory = newFake
	}
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	rep, err := Execute(context.Background(), p, opt)
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	return rep
}

// merge merges the results directories dirs into out, as smbsim merge
// does, and fails t if Merge fails.
func merge(t testing.TB, dirs []string, out string) *Report {
	t.Helper()
	rep, err := Merge(dirs, out, MergeOptions{Now: fixedNow})
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	return rep
}

// readDir returns every file under dir (relative path → content).
func readDir(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameResults fails unless a and b hold the same files with the same bytes,
// manifest.json excepted.
func sameResults(t testing.TB, a, b string) {
	t.Helper()
	fa, fb := readDir(t, a), readDir(t, b)
	delete(fa, results.FileManifest)
	delete(fb, results.FileManifest)
	for name, ca := range fa {
		cb, ok := fb[name]
		switch {
		case !ok:
			t.Errorf("%s: only in %s", name, a)
		case ca != cb:
			t.Errorf("%s differs between %s and %s:\n%s", name, a, b, firstDiff(ca, cb))
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s: only in %s", name, b)
		}
	}
}

func firstDiff(a, b string) string {
	la, lb := splitLines(a), splitLines(b)
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, x, y)
		}
	}
	return "(same lines)"
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}
