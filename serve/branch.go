package serve

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/sim"
)

// Chart columns of a row sent to the page: the tick, then these metrics,
// then the share of the initial firms still in business, then
// cultureMetrics (the charts of a culture world, which has no market).
var chartMetrics = []int{sim.MEffective, sim.MAliveImitator, sim.MAliveInnovator, sim.MAliveSpecialist, sim.MAliveAdaptive, sim.MMeanMargin, sim.MAlive}

// cultureMetrics are the chart columns after initial_surviving.
var cultureMetrics = []int{sim.MDistinct, sim.MRegions, sim.MActiveEdges}

// ChartColumns names the columns of the rows of /api/state and the tick
// events, in order.
func ChartColumns() []string {
	names := sim.MetricNames()
	cols := []string{"tick"}
	for _, m := range chartMetrics {
		cols = append(cols, names[m])
	}
	cols = append(cols, "initial_surviving")
	for _, m := range cultureMetrics {
		cols = append(cols, names[m])
	}
	return cols
}

// Compare modes of the second lane.
const (
	CompareOff      = ""         // one market
	CompareNoShock  = "no_shock" // the same market without any shock: the counterfactual
	CompareSettings = "settings" // the same seed with other settings (e.g. another mix)
)

// compareSpec says what the second lane is.
type compareSpec struct {
	Mode string   `json:"mode"`
	Sets []string `json:"sets"` // key=value overrides of the settings mode
}

// lane is one market of a branch.
type lane struct {
	Name  string
	w     model
	rows  [][]num     // chart rows, one per tick from 1
	met   [][]float64 // every metric, one row per tick from 1
	n0    int         // initial firms
	fires bool        // fired shocks reach this lane
	nBase int         // shocks of the settings; those after are fired live
}

// snapshot is the state of a branch's lanes at a tick (periodic clones).
type snapshot struct {
	tick   int
	worlds []model
}

// branch is one history of the workshop: its lanes stepped in lockstep,
// with snapshots to rewind to. A rewind starts a new branch and keeps the
// old one.
type branch struct {
	ID     int `json:"id"`
	Parent int `json:"parent"` // -1 for the first
	From   int `json:"from"`   // tick it branched off at
	lanes  []*lane
	snaps  []snapshot
	// the settings it was built with
	scen    *scenarios.Scenario
	compare compareSpec
	steered int // participants' choices made in this branch (not in its scenario)
}

// newBranch builds the lanes of a new run at tick 0.
func newBranch(base *scenarios.Scenario, cmp compareSpec, id int) (*branch, error) {
	cfg := base.Config()
	seed := base.Runs.BaseSeed
	a, err := newModel(cfg, seed)
	if err != nil {
		return nil, err
	}
	b := &branch{ID: id, Parent: -1, scen: base, compare: cmp}
	b.lanes = []*lane{{Name: base.Name, w: a, n0: cfg.Population.Firms, fires: true, nBase: len(cfg.Shocks)}}
	switch cmp.Mode {
	case CompareOff:
	case CompareNoShock:
		c := cfg
		c.Shocks = nil
		w, err := newModel(c, seed)
		if err != nil {
			return nil, err
		}
		b.lanes = append(b.lanes, &lane{Name: "no shock", w: w, n0: c.Population.Firms})
	case CompareSettings:
		other, err := withSets(base, cmp.Sets)
		if err != nil {
			return nil, err
		}
		oc := other.Config()
		w, err := newModel(oc, seed)
		if err != nil {
			return nil, err
		}
		b.lanes = append(b.lanes, &lane{Name: setsName(cmp.Sets), w: w, n0: oc.Population.Firms, fires: true, nBase: len(oc.Shocks)})
	default:
		return nil, errorf("unknown compare mode %q (allowed: %q, %q, %q)", cmp.Mode, CompareOff, CompareNoShock, CompareSettings)
	}
	b.snapshot()
	return b, nil
}

// setsName names a lane by its overrides, each key by its last part
// ("population.mix.imitator=0.1" → "imitator=0.1").
func setsName(sets []string) string {
	var b bytes.Buffer
	for i, s := range sets {
		if i > 0 {
			b.WriteString(", ")
		}
		key, value, _ := strings.Cut(s, "=")
		b.WriteString(key[strings.LastIndex(key, ".")+1:] + "=" + strings.TrimSpace(value))
	}
	return b.String()
}

// withSets returns a copy of s with the key=value overrides applied and
// validated.
func withSets(s *scenarios.Scenario, sets []string) (*scenarios.Scenario, error) {
	c, err := copyScenario(s)
	if err != nil {
		return nil, err
	}
	for _, a := range sets {
		if err := c.Set(a); err != nil {
			return nil, badRequest{err}
		}
	}
	if err := c.Validate(); err != nil {
		return nil, badRequest{err}
	}
	return c, nil
}

// copyScenario returns a deep copy of s, by writing and reading it.
func copyScenario(s *scenarios.Scenario) (*scenarios.Scenario, error) {
	var b bytes.Buffer
	if err := s.WriteTOML(&b); err != nil {
		return nil, err
	}
	return scenarios.Parse(s.Path, b.Bytes())
}

// tick returns the branch's current tick.
func (b *branch) tick() int { return b.lanes[0].w.Tick() }

// done reports whether the branch's run is over.
func (b *branch) done() bool { return b.lanes[0].w.Done() }

// step advances every lane by one tick and records its rows; it returns
// false when the run is over.
func (b *branch) step(every int) bool {
	if b.done() {
		return false
	}
	for _, l := range b.lanes {
		l.w.Step()
		l.record()
	}
	if b.tick()%every == 0 {
		b.snapshot()
	}
	return !b.done()
}

// record appends the lane's rows for its current tick.
func (l *lane) record() {
	m := l.w.Metrics()
	l.met = append(l.met, append([]float64(nil), m...))
	row := make([]num, 0, len(chartMetrics)+len(cultureMetrics)+2)
	row = append(row, num(l.w.Tick()))
	for _, k := range chartMetrics {
		row = append(row, num(m[k]))
	}
	row = append(row, num(l.initialSurviving()))
	for _, k := range cultureMetrics {
		row = append(row, num(m[k]))
	}
	l.rows = append(l.rows, row)
}

// initialSurviving returns the share of the initial firms still in
// business.
func (l *lane) initialSurviving() float64 {
	alive := 0
	for _, f := range l.w.Firms()[:l.n0] {
		if f.Died < 0 {
			alive++
		}
	}
	return float64(alive) / float64(l.n0)
}

// snapshot keeps a clone of every lane at the current tick.
func (b *branch) snapshot() {
	ws := make([]model, len(b.lanes))
	for i, l := range b.lanes {
		ws[i] = l.w.clone()
	}
	b.snaps = append(b.snaps, snapshot{tick: b.tick(), worlds: ws})
}

// snapshotTicks lists the ticks the branch can rewind to.
func (b *branch) snapshotTicks() []int {
	ts := make([]int, len(b.snaps))
	for i, s := range b.snaps {
		ts[i] = s.tick
	}
	return ts
}

// rewind returns a new branch that starts from b's latest snapshot at or
// before tick; b is kept as it is.
func (b *branch) rewind(tick, id int) (*branch, error) {
	k := -1
	for i, s := range b.snaps {
		if s.tick <= tick {
			k = i
		}
	}
	if k < 0 {
		return nil, errorf("no snapshot at or before tick %d", tick)
	}
	sn := b.snaps[k]
	nb := &branch{ID: id, Parent: b.ID, From: sn.tick, scen: b.scen, compare: b.compare}
	for i, l := range b.lanes {
		nl := *l
		nl.w = sn.worlds[i].clone()
		nl.rows = append([][]num(nil), l.rows[:sn.tick]...)
		nl.met = append([][]float64(nil), l.met[:sn.tick]...)
		nb.lanes = append(nb.lanes, &nl)
	}
	nb.snaps = append(nb.snaps, b.snaps[:k+1]...)
	return nb, nil
}

// fire schedules the shock at the next tick in every lane it reaches.
func (b *branch) fire(sh sim.Shock) error {
	sh.Tick = b.tick() + 1
	for _, l := range b.lanes {
		if !l.fires {
			continue
		}
		w, err := l.w.market()
		if err != nil {
			return badRequest{fmt.Errorf("%s: %w", sh.Kind, err)}
		}
		if _, err := w.AddShock(sh); err != nil {
			// The page's shock fields are the keys of one [[shocks]] entry:
			// name them without the entry's index.
			msg := shockPath.ReplaceAllString(err.Error(), "")
			return badRequest{fmt.Errorf("%s: %s", sh.Kind, msg)}
		}
	}
	return nil
}

// shockPath matches the entry part of a shock key path ("shocks[3].").
var shockPath = regexp.MustCompile(`shocks\[\d+\]\.`)

// fired returns the shocks fired live in the first lane, in order.
func (b *branch) fired() []sim.Shock {
	l := b.lanes[0]
	return l.w.Config().Shocks[l.nBase:]
}

// rowsSince returns the chart rows of each lane after tick from.
func (b *branch) rowsSince(from, id int) tickEvent {
	ev := tickEvent{Branch: id, Lanes: make([][][]num, len(b.lanes))}
	for i, l := range b.lanes {
		ev.Lanes[i] = l.rows[from:]
	}
	return ev
}

// tickEvent is the data of a "tick" event: new chart rows of each lane.
type tickEvent struct {
	Branch int       `json:"branch"`
	Lanes  [][][]num `json:"lanes"`
}

// num is a number in JSON; NaN and infinities (a metric not measured)
// are null.
type num float64

// MarshalJSON writes n, or null when it is not finite.
func (n num) MarshalJSON() ([]byte, error) {
	x := float64(n)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}
