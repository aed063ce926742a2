package serve

import (
	"math"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim"
)

// marketClusters is the number of most common strategies the market view
// colours; other strategies are grey.
const marketClusters = 7

// marketEvent is the data of a "market" event and of GET /api/market.
type marketEvent struct {
	Branch int          `json:"branch"`
	Lanes  []marketView `json:"lanes"`
}

// marketLocked returns the market views of the current branch.
func (s *Server) marketLocked() marketEvent {
	b := s.branches[s.cur]
	ev := marketEvent{Branch: s.cur}
	top := b.lanes[0].w.TopStrategies(nil, marketClusters) // every lane coloured by the first's clusters
	for k, l := range b.lanes {
		var mine map[int]bool // participants steer firms of the first market only
		if k == 0 {
			mine = s.people.firms()
		}
		ev.Lanes = append(ev.Lanes, l.market(k, top, mine))
	}
	return ev
}

// marketView is the data of the market view: the alive firms as points in
// practice space and the shock's victims.
type marketView struct {
	Lane   int        `json:"lane"`
	Name   string     `json:"name"`
	Tick   int        `json:"tick"`
	Scale  float64    `json:"scale"`  // coordinates are within ±scale
	Shock  int        `json:"shock"`  // tick of the latest shock started, 0 before any
	Points [][5]num   `json:"points"` // x, y, cluster (0–6, −1 other), behaviour type, 1 if a victim
	Top    []topShare `json:"top"`    // the coloured clusters
	Types  []string   `json:"types"`  // behaviour type names by index
	Mine   [][3]num   `json:"mine"`   // participants' firms: x, y, 1 if in business
}

type topShare struct {
	Strategy string  `json:"strategy"`
	Share    float64 `json:"share"`
}

// market builds the market view of lane k of branch b: each firm at the
// sum over its practices of a fixed unit vector per (dimension, option), so
// firms with the same strategy coincide and a firm one practice away sits
// one step away; a small fixed offset by firm ID separates firms with the
// same strategy. Victims are the firms that exited since the latest shock
// started (fired or scheduled). Colours are the clusters top (the first
// lane's most common strategies), so that lanes compare.
func (l *lane) market(k int, top []sim.StrategyShare, mine map[int]bool) marketView {
	w := l.w
	cfg := w.Config()
	dims, opts, option := len(cfg.Strategy.Dimensions), cfg.Strategy.Options, w.options()
	mv := marketView{Lane: k, Name: l.Name, Tick: w.Tick(), Scale: 2.5 * math.Sqrt(float64(dims)), Points: [][5]num{}, Mine: [][3]num{},
		Shock: latestShock(w)}
	cluster := make(map[uint64]int, len(top))
	for i, t := range top {
		cluster[t.Strategy] = i
		mv.Top = append(mv.Top, topShare{w.FormatStrategy(t.Strategy), t.Share})
	}
	mv.Types = agents.TypeNames()
	for _, f := range w.Firms() {
		victim := f.Died >= 0 && mv.Shock > 0 && f.Died >= mv.Shock
		if f.Died >= 0 && !victim && !mine[f.ID] {
			continue
		}
		var x, y float64
		for d := 0; d < dims; d++ {
			a := float64(d*opts+option(f.Final, d)) * goldenAngle
			x += math.Cos(a)
			y += math.Sin(a)
		}
		j := float64(f.ID) * goldenAngle
		r := 0.35 * math.Sqrt(float64(f.ID%97)/97)
		x += r * math.Cos(j)
		y += r * math.Sin(j)
		c, ok := cluster[w.counted(f.Final)]
		if !ok {
			c = -1
		}
		if mine[f.ID] {
			mv.Mine = append(mv.Mine, [3]num{round3(x), round3(y), num(b2f(f.Died < 0))})
		}
		if f.Died < 0 || victim {
			mv.Points = append(mv.Points, [5]num{round3(x), round3(y), num(c), num(f.Type), num(b2f(victim))})
		}
	}
	return mv
}

// latestShock is the tick of the latest shock of w's scenario started by
// now (fired or scheduled), 0 before any.
func latestShock(w model) int {
	latest := 0
	for _, sh := range w.Config().Shocks {
		if sh.Tick <= w.Tick() && sh.Tick > latest {
			latest = sh.Tick
		}
	}
	return latest
}

// goldenAngle spreads the practice vectors evenly around the circle.
var goldenAngle = math.Pi * (3 - math.Sqrt(5))

func round3(x float64) num { return num(math.Round(x*1000) / 1000) }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
