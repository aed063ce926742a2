package sim

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime/debug"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
	"github.com/smbsim/smbsim/sim/network"
)

// Random-number streams. Each stream is a PCG generator seeded with the
// run seed and the stream's constant, so that, for example, changing the
// entry rate does not change the draws behind the firms' decisions.
const (
	streamInit    = 0x696e6974 // "init": network, strategies, firm traits, segment ideals
	streamDecide  = 0x64656369 // "deci": revisions and every decision rule
	streamEntry   = 0x656e7472 // "entr": arrivals and entrants' traits
	streamShock   = 0x73686f63 // "shoc": random choices of shock k, one stream each (see shockStream)
	streamNetwork = 0x6e657477 // "netw": network generator
	streamGrow    = 0x67726f77 // "grow": firms' idiosyncratic growth and density-dependent mortality
	// streamLandscape ("land", NK tables) and streamDrift ("drif", demand
	// drift) are in landscape.go and drift.go.
)

// bigNetwork is the number of adjacency entries (4 bytes each) from which
// building a world returns the network generator's scratch memory to the
// OS (see New).
const bigNetwork = 1 << 22

func newStream(seed, id uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, id)) }

// World is one run of the model: the firms, the market, the network and
// the schedule of shocks. It is not safe for concurrent use; run many
// worlds in parallel instead.
type World struct {
	cfg  Config
	lay  agents.Layout
	seed uint64
	tick int
	done bool

	rInit, rDecide, rEntry *rand.Rand
	dDecide                draws // rDecide's source, for hot loops
	dGrow                  draws // growth noise and density-dependent mortality

	net *network.Graph

	// Firms, struct of arrays, indexed by network position ("slot"). A slot
	// is empty after its firm exits, until an entrant takes it. The first n0
	// slots hold the initial firms; the others are reserve positions that
	// entrants open sector by sector (demography.headroom).
	n         int
	n0        int
	alive     bitset  // slot i holds a firm
	rec       []int32 // index into records
	typ       []agents.Type
	sector    []uint8
	strat     []uint64
	anchor    []uint64 // strategy at birth; nil without anchoring bias
	cash      []float64
	profitAvg []float64 // exponential moving average of operating profit
	revenue   []float64
	risk      []float32
	bias      firmBias // the same for every firm
	propens   []agents.RothErev
	cls       []int32 // the firm's class (sector and strategy) in w.cl

	// Demography (docs/model.md, "Demography"): one struct per firm, as
	// the market's per-firm passes read all of it.
	demo    []firmDemo
	newness []float64 // n(a) = 1 − ν·e^(−a/τ) by age a; the last entry holds for older firms

	trial []int32 // the firm's pilot trial in w.trials, 0: none

	// Synchronous schedule: proposed moves, applied after all decide.
	revising []proposal

	records  []firmRecord  // by firm ID
	vacant   [][]int32     // per sector: positions left by exits
	fresh    []int32       // per sector: next reserve position never used
	freshEnd []int32       // per sector: end of its reserve positions
	aliveSec []int32       // per sector: alive firms
	secSize  []int32       // per sector: initial positions N_s (the unit of density)
	blocks   []sectorBlock // the runs of positions of one sector, in slot order
	lost     int           // this tick: entrants that found no position
	aliveN   int
	byType   [agents.NumTypes]int

	market market

	// Counts. exact counts strategies over all alive firms (diversity
	// metrics); cl indexes the (sector, strategy) classes of the market
	// (nil without a market).
	exact    *strategyCounts
	cl       *classes
	modes    []uint64 // per sector: most common strategy, as of tick modesAt
	modesN   []int32
	modesAt  int
	dimCount []int32   // alive firms using option o on dimension d, at d·Q+o
	dimOf    [64]uint8 // dimOf[b]: the dimension bit b of a packed strategy belongs to
	hist     []int32   // hist[c]: strategies used by exactly c alive firms
	maxCount int
	sumSq    int64 // Σ c² over strategies
	sumNLogN int64 // Σ c·log2(c) over strategies, fixed point ×2^32
	nlognTab []int64

	// Per-dimension terms of dimensionMeasures, kept while the dimension's
	// counts and the number of firms do not change.
	dimDirty uint64 // dimensions whose counts changed since last measured
	dimN     int
	dimSame  []float64
	dimH     []float64

	activeEdges int // neighbouring pairs that share some but not all practices
	trackEdges  bool

	// Pure Axelrod ticks (decideAxelrod): the firms that moved since the
	// counts were last settled (this tick, or since the last measurement
	// when the world measures on demand), as a set and as a list of the
	// first axN entries of axMoves with their strategies before their
	// first move. Nil unless the world has Axelrod's rules (axelrodRules).
	axMoved bitset
	axMoves []axMove
	axN     int

	// Measuring on demand (MeasureOnDemand): Step leaves the metric row
	// stale, and the readers of the counts and metrics bring them up to
	// date first (sync).
	onDemand, stale bool

	// Per-tick counters and the metric row.
	entries, exits                        int
	imitations, innovations, specialising int
	herdMoves, reversions                 int
	metrics                               [NumMetrics]float64

	shocks shockState
	trials trials

	// Practices that interact and demand that moves (nil when off): the NK
	// landscape (read-only once drawn), the drift stream, and the
	// payoff-only mode's per-slot fitness scratch space.
	land   *landscape
	rDrift *rand.Rand
	pfit   []float64

	// Scratch space, reused every tick.
	cands   []agents.Candidate
	seen    []uint64
	hcounts []int32
}

// firmRecord is the stored form of a FirmRecord, 32 bytes instead of 72:
// the ID is its index, and birth tick, death tick + 1 (0 while alive), type
// and sector share one word, 24+24+8+8 bits (ticks are at most 10,000,000
// < 2²⁴, see Config.Problems).
type firmRecord struct {
	initial, final uint64
	meta           uint64
	size, revenue  float32 // at exit (or, while alive, set by Firms)
}

func packRecord(born, died int, t agents.Type, sector uint8) uint64 {
	return uint64(born) | uint64(died+1)<<24 | uint64(t)<<48 | uint64(sector)<<56
}

func (r firmRecord) born() int         { return int(r.meta & (1<<24 - 1)) }
func (r firmRecord) died() int         { return int(r.meta>>24&(1<<24-1)) - 1 }
func (r firmRecord) typ() agents.Type  { return agents.Type(r.meta >> 48 & 0xff) }
func (r firmRecord) sector() uint8     { return uint8(r.meta >> 56) }
func (r *firmRecord) setDied(tick int) { r.meta = packRecord(r.born(), tick, r.typ(), r.sector()) }

// firmDemo is a firm's demographic state.
type firmDemo struct {
	size  float64 // scale of operation S_i
	capab float32 // capability θ_i
	born  int32   // tick of birth; initial firms count as mature (−len(newness))
}

// weightPerSize is q = θ·n(age), a firm's attraction weight per unit of
// size at tick t.
func (d *firmDemo) weightPerSize(t int, newness []float64) float64 {
	// min(age, last) without a branch: firms of every age alternate in
	// slot order, so a branch would often be mispredicted.
	age, last := t-int(d.born), len(newness)-1
	over := age - last
	return float64(float64(d.capab) * newness[last+over&(over>>63)])
}

// weight is S·q, a firm's attraction weight at tick t.
func (d *firmDemo) weight(t int, newness []float64) float64 {
	return float64(d.size * d.weightPerSize(t, newness))
}

// young reports whether the firm is younger than youngAge at tick t.
func (d *firmDemo) young(t int) bool { return t-int(d.born) < youngAge }

type firmBias struct{ herding, confirmation, availability, anchoring float32 }

// proposal is a move a firm chose under the synchronous schedule, applied
// once every revising firm has chosen.
type proposal struct {
	s  uint64
	i  int32
	mv agents.Move
	t  agents.Type
}

// New builds the world for cfg, drawing every random number from streams
// derived from seed.
func New(cfg Config, seed uint64) (*World, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Strategy.Dimensions = append([]string(nil), cfg.Strategy.Dimensions...)
	cfg.Shocks = append([]Shock(nil), cfg.Shocks...)
	cfg.Landscape.Links = append([]string(nil), cfg.Landscape.Links...)
	if cfg.Landscape.PayoffOnly { // firms are scored by the landscape alone
		cfg.Market.Enabled = false
	}
	lay, err := agents.NewLayout(cfg.D(), cfg.Strategy.Options)
	if err != nil {
		return nil, err
	}
	n0 := cfg.Population.Firms
	reserve, height, degree := reservePositions(cfg)
	n := n0 + reserve
	w := &World{
		cfg: cfg, lay: lay, seed: seed, n: n, n0: n0,
		rInit:   newStream(seed, streamInit),
		dDecide: draws{rand.NewPCG(seed, streamDecide)},
		dGrow:   draws{rand.NewPCG(seed, streamGrow)},
		rEntry:  newStream(seed, streamEntry),
	}
	w.rDecide = rand.New(w.dDecide.p)
	w.allocate()

	// Sectors: contiguous blocks of positions of (nearly) equal size, so
	// that block networks group a sector's firms; the reserve positions
	// after the initial ones are split into blocks the same way.
	sectors := 1
	if cfg.Market.Enabled {
		sectors = cfg.Market.Sectors
	}
	w.initSectors(sectors)
	np := cfg.Network.params()
	np.Degree, np.Height = degree, height
	w.net, err = network.Build(np, n, w.sector, newStream(seed, streamNetwork))
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	if len(w.net.Adj) >= bigNetwork {
		// The generator's edge list, as big as the adjacency: without
		// this call it is still resident when the initial firms are
		// allocated, and `bench --only market-1M` measured a peak of
		// 300 B per firm instead of 282 (the resident memory after the
		// run, TestMemoryBreakdown's figure, is the same either way).
		debug.FreeOSMemory()
	}
	w.trackEdges = !w.net.Complete
	if w.axelrodRules() {
		w.axMoved, w.axMoves = newBitset(n), make([]axMove, n+1) // +1: decideAxelrod writes a slot before knowing whether it keeps it
	}

	if lc := cfg.Landscape; lc.PayoffOnly || (cfg.Market.Enabled && lc.K > 0 && lc.Weight > 0) {
		w.land = newLandscape(lay, cfg.Strategy.Dimensions, lc, newStream(seed, streamLandscape))
		if w.cl != nil {
			w.cl.land, w.cl.cohBeta = w.land, float64(cfg.Market.Sharpness*lc.Weight)
			w.cl.fit, w.cl.coh = make([]float64, 0, n), make([]float64, 0, n)
		}
		if lc.PayoffOnly {
			w.pfit = make([]float64, n)
		}
	}
	if m := cfg.Market; m.Enabled && (m.Drift > 0 || m.NicheTurnover > 0) {
		w.rDrift = newStream(seed, streamDrift)
	}
	w.market.init(w, sectors)

	// Initial firms.
	template := w.randomStrategy(w.rInit)
	pc := cfg.Population
	for i := 0; i < n0; i++ {
		var target uint64
		fit := 0.0
		if cfg.Market.Enabled {
			target = w.market.drawSegment(w, int(w.sector[i]), w.rInit)
			fit = pc.InitialFit
		}
		var s uint64
		for d := 0; d < lay.D; d++ {
			o := w.rInit.IntN(lay.Q)
			switch u := w.rInit.Float64(); {
			case u < pc.InitialSimilarity:
				o = lay.Get(template, d)
			case u < pc.InitialSimilarity+(1-pc.InitialSimilarity)*fit:
				o = lay.Get(target, d)
			}
			s = lay.Set(s, d, o)
		}
		cash := pc.InitialCash * (1 + pc.CashSpread*(2*w.rInit.Float64()-1))
		w.birth(i, s, w.drawType(w.rInit), cash, w.rInit, true)
	}

	if w.trackEdges {
		w.activeEdges = w.countActiveEdges()
	}
	w.shocks.init(w)
	if len(w.net.Adj) >= bigNetwork {
		// The network generator's edge list (as big as the adjacency)
		// and the count tables' smaller copies, left as they grew, are
		// garbage now: hand their pages back to the OS at once, or they
		// stay resident, unused, for the whole run.
		debug.FreeOSMemory()
	}
	return w, nil
}

// Positions returns the number of network positions a world of c has:
// the initial firms and the reserve positions entrants can open
// (demography.headroom).
func (c *Config) Positions() int {
	r, _, _ := reservePositions(*c)
	return c.Population.Firms + r
}

// reservePositions returns the number of reserve positions beyond the
// initial firms (demography.headroom; none without a market), the lattice
// height including the reserve rows, and the degree parameter for the
// whole network: random and sector-block networks keep their initial
// firms' link probability, so their degree parameter grows with the
// positions.
func reservePositions(cfg Config) (reserve, height, degree int) {
	n0 := cfg.Population.Firms
	p := cfg.Network
	height, degree = p.Height, p.Degree
	h := cfg.Demography.Headroom
	if !cfg.Market.Enabled || h <= 0 {
		return 0, height, degree
	}
	switch p.Kind {
	case Lattice:
		rows := int(math.Ceil(h * float64(p.Height)))
		reserve, height = rows*p.Width, p.Height+rows
	default:
		reserve = int(math.Ceil(h * float64(n0)))
	}
	if p.Kind == Random || p.Kind == SectorBlock {
		degree = int(math.Round(float64(p.Degree) * float64(n0+reserve-1) / float64(n0-1)))
	}
	return reserve, height, degree
}

// initSectors assigns positions to sectors: the initial positions and the
// reserve positions each in contiguous blocks of (nearly) equal size.
func (w *World) initSectors(sectors int) {
	n0, reserve := w.n0, w.n-w.n0
	w.secSize = make([]int32, sectors)
	w.aliveSec = make([]int32, sectors)
	w.fresh = make([]int32, sectors)
	w.freshEnd = make([]int32, sectors)
	w.vacant = make([][]int32, sectors)
	for i := 0; i < n0; i++ {
		s := uint8(i * sectors / n0)
		w.sector[i] = s
		w.secSize[s]++
	}
	for s := range w.fresh {
		w.fresh[s] = -1
	}
	for j := 0; j < reserve; j++ {
		s := j * sectors / reserve
		w.sector[n0+j] = uint8(s)
		if w.fresh[s] < 0 {
			w.fresh[s] = int32(n0 + j)
		}
		w.freshEnd[s] = int32(n0 + j + 1)
	}
	for s := range w.fresh {
		if w.fresh[s] < 0 {
			w.fresh[s], w.freshEnd[s] = 0, 0
		}
		// Pages are mapped only as positions empty.
		w.vacant[s] = make([]int32, 0, int(w.secSize[s])+int(w.freshEnd[s]-w.fresh[s]))
	}
	for i := 0; i < w.n; i++ {
		if b := len(w.blocks); b == 0 || w.blocks[b-1].sec != w.sector[i] {
			w.blocks = append(w.blocks, sectorBlock{lo: int32(i), sec: w.sector[i]})
		}
		w.blocks[len(w.blocks)-1].hi = int32(i + 1)
	}
}

// sectorBlock is a run [lo, hi) of positions of sector sec. Sectors are
// contiguous blocks of the initial positions and of the reserve ones, so a
// per-firm pass in slot order visits each sector's firms in one or two
// blocks, and can keep a sector's sums in registers over a block.
type sectorBlock struct {
	lo, hi int32
	sec    uint8
}

// newnessTable tabulates n(a) = 1 − ν·e^(−a/τ) by age until it is within
// 10⁻⁹ of 1 (at most 4096 ticks); older firms use the last entry.
func newnessTable(nu, tau float64) []float64 {
	if nu == 0 || tau == 0 {
		return []float64{1}
	}
	var t []float64
	for a := 0; a < 4096; a++ {
		v := 1 - float64(nu*xmath.Exp(-float64(a)/tau))
		t = append(t, v)
		if 1-v < 1e-9 {
			break
		}
	}
	return append(t, 1)
}

func (w *World) allocate() {
	n := w.n
	w.demo = make([]firmDemo, n)
	w.newness = newnessTable(w.cfg.Demography.Newness, w.cfg.Demography.NewnessTime)
	w.alive = newBitset(n)
	w.rec = make([]int32, n)
	w.typ = make([]agents.Type, n)
	w.sector = make([]uint8, n)
	w.strat = make([]uint64, n)
	w.cash = make([]float64, n)
	w.profitAvg = make([]float64, n)
	w.revenue = make([]float64, n)
	w.risk = make([]float32, n)
	w.propens = make([]agents.RothErev, n)
	w.cls = make([]int32, n)
	w.trial = make([]int32, n)
	w.trials.e = make([]trial, 0, n) // pages are mapped only as trials start
	// Twice the expected number of moving firms: growing by appends in a
	// big world would leave garbage.
	w.revising = make([]proposal, 0, int(min(1, 2*w.cfg.Behaviour.Revision)*float64(n))+64)
	b := w.cfg.Biases
	w.bias = firmBias{float32(b.Herding), float32(b.Confirmation), float32(b.Availability), float32(b.Anchoring)}
	if w.bias.anchoring > 0 {
		w.anchor = make([]uint64, n)
	}
	expected := n
	if w.cfg.Market.Enabled {
		expected += int(1.2*w.cfg.Market.EntryRate*float64(n)*float64(w.cfg.Ticks)) + 16
	}
	w.records = make([]firmRecord, 0, min(expected, 4*n+1024))
	w.exact = newStrategyCounts(w.lay, n)
	if w.cfg.Market.Enabled {
		w.cl = newClasses(w.lay, w.cfg.Market.Sectors, n, w.cfg.Market.CrowdingRadius)
		w.modes = make([]uint64, w.cfg.Market.Sectors)
		w.modesN = make([]int32, w.cfg.Market.Sectors)
		w.modesAt = -1
	}
	w.dimCount = make([]int32, w.lay.D*w.lay.Q)
	for b := range w.dimOf {
		w.dimOf[b] = uint8(b / w.lay.B)
	}
	w.hist = make([]int32, n+2)
	w.nlognTab = make([]int64, min(n+2, 4096))
	for c := range w.nlognTab {
		w.nlognTab[c] = nlogn(c)
	}
	w.dimSame = make([]float64, w.lay.D)
	w.dimH = make([]float64, w.lay.D)
	w.dimDirty = ^uint64(0)
	w.cands = make([]agents.Candidate, 0, w.cfg.Behaviour.Attention+1)
	w.seen = make([]uint64, 0, w.cfg.Behaviour.Attention)
	w.hcounts = make([]int32, w.lay.D*w.lay.Q)
}

func (w *World) randomStrategy(r *rand.Rand) uint64 {
	var s uint64
	for d := 0; d < w.lay.D; d++ {
		s = w.lay.Set(s, d, r.IntN(w.lay.Q))
	}
	return s
}

func (w *World) drawType(r *rand.Rand) agents.Type {
	m := w.cfg.Population.EffectiveMix()
	u := r.Float64()
	switch {
	case u < m.Imitator:
		return agents.Imitator
	case u < m.Imitator+m.Innovator:
		return agents.Innovator
	case u < m.Imitator+m.Innovator+m.Specialist:
		return agents.Specialist
	}
	if m.Adaptive == 0 { // rounding: fall back to the last type with a share
		switch {
		case m.Specialist > 0:
			return agents.Specialist
		case m.Innovator > 0:
			return agents.Innovator
		}
		return agents.Imitator
	}
	return agents.Adaptive
}

// lognormal returns e^(σz − σ²/2) with z approximately standard normal
// (the sum of 12 uniforms minus 6): a right-skewed draw with mean 1.
func lognormal(sigma float64, r *rand.Rand) float64 {
	if sigma == 0 {
		return 1
	}
	z := -6.0
	for k := 0; k < 12; k++ {
		z += r.Float64()
	}
	return xmath.Exp(float64(sigma*z) - float64(sigma*sigma)/2)
}

// birth puts a new firm with strategy s in the empty slot i. Its start-up
// scale (size and, proportionally, cash) and capability are drawn from r;
// mature firms (the initial ones) bear no newcomer disadvantage.
func (w *World) birth(i int, s uint64, t agents.Type, cash float64, r *rand.Rand, mature bool) {
	pc := w.cfg.Population
	w.alive.add(i)
	w.rec[i] = int32(len(w.records))
	w.records = append(w.records, firmRecord{initial: s, meta: packRecord(w.tick, -1, t, w.sector[i])})
	w.typ[i] = t
	w.strat[i] = s
	if w.anchor != nil {
		w.anchor[i] = s
	}
	w.profitAvg[i] = 0
	w.revenue[i] = 0
	w.risk[i] = float32(min(1, max(0, pc.RiskAversion+pc.RiskSpread*(2*r.Float64()-1))))
	scale, capab := 1.0, 1.0
	if dm := w.cfg.Demography; w.cfg.Market.Enabled {
		scale = lognormal(dm.StartupSpread, r)
		capab = lognormal(dm.Capability, r)
	}
	w.cash[i] = float64(cash * scale)
	born := w.tick
	if mature {
		born -= len(w.newness)
	}
	w.demo[i] = firmDemo{size: math.Sqrt(scale), capab: float32(capab), born: int32(born)}
	w.aliveSec[w.sector[i]]++
	w.propens[i] = agents.NewRothErev()
	w.trial[i] = 0
	w.aliveN++
	w.byType[t]++
	w.count(i, s, +1)
	if w.tick > 0 {
		w.edgesBirth(i, s)
	}
}

// exit removes the firm in slot i.
func (w *World) exit(i int) {
	s := w.strat[i]
	w.edgesExit(i, s)
	w.count(i, s, -1)
	if k := w.trial[i]; k != 0 {
		w.trials.end(k)
	}
	r := &w.records[w.rec[i]]
	r.setDied(w.tick)
	r.final = s
	r.size, r.revenue = float32(w.demo[i].size), float32(w.revenue[i])
	w.alive.remove(i)
	w.aliveN--
	w.byType[w.typ[i]]--
	sec := w.sector[i]
	w.aliveSec[sec]--
	if w.demo[i].young(w.tick) { // counted young when the market cleared
		w.market.young--
	}
	w.vacant[sec] = append(w.vacant[sec], int32(i))
	w.exits++
}

// setStrategy changes the strategy of the alive firm in slot i.
func (w *World) setStrategy(i int, s uint64) { w.setStrategyHint(i, s, -1) }

// setStrategyHint is setStrategy given a class id that may be the class of
// s in the firm's sector (a firm going back to the strategy it left), which
// saves looking it up; any hint is safe, as it is checked.
func (w *World) setStrategyHint(i int, s uint64, hint int32) {
	old := w.strat[i]
	if s == old {
		return
	}
	w.edgesMove(i, old, s)
	w.recount(i, old, s, hint)
	w.strat[i] = s
}

// count adds delta to every count that strategy s of the firm in slot i
// contributes to.
func (w *World) count(i int, s uint64, delta int32) {
	l := w.lay
	for d := 0; d < l.D; d++ {
		w.dimCount[d*l.Q+l.Get(s, d)] += delta
	}
	w.dimDirty = ^uint64(0)
	w.countExact(s, delta)
	if w.cl != nil {
		if delta > 0 {
			w.cls[i] = w.cl.join(l, s, int(w.sector[i]))
		} else {
			w.cl.leave(w.cls[i])
		}
	}
}

// recount moves the counts of the firm in slot i from strategy old to s:
// the same as count(i, old, -1) then count(i, s, +1), touching only what
// differs.
func (w *World) recount(i int, old, s uint64, hint int32) {
	l := &w.lay // not a copy of it
	field, q := uint64(1)<<l.B-1, l.Q
	dc := w.dimCount
	for x := l.Diff(old, s); x != 0; x &= x - 1 {
		b := bits.TrailingZeros64(x) // the lowest bit of dimension d's field
		d := int(w.dimOf[b])
		dc[d*q+int(old>>b&field)]--
		dc[d*q+int(s>>b&field)]++
		w.dimDirty |= 1 << d
	}
	w.countExactMove(old, s)
	if w.cl != nil {
		// Join before leaving: while the firm is in its old class, a
		// reclaim during the join cannot delete that class, which the
		// firm may return to when its trial ends.
		id := w.cl.joinHint(*l, s, int(w.sector[i]), hint)
		w.cl.leave(w.cls[i])
		w.cls[i] = id
	}
}

// countExact adds delta to the count of strategy s over all firms and
// keeps the diversity sums.
func (w *World) countExact(s uint64, delta int32) {
	var old int
	if e := w.exact; e.table != nil {
		old = int(e.table.add(s, 1, delta))
	} else {
		old = int(e.addDense(s, delta))
	}
	w.exactChanged(old, old+int(delta))
}

// countExactMove moves a firm's count from strategy old to s (old ≠ s):
// countExact(old, −1) then countExact(s, +1), in one step with dense
// counts.
func (w *World) countExactMove(old, s uint64) {
	e := w.exact
	if e.table != nil {
		w.countExact(old, -1)
		w.countExact(s, +1)
		return
	}
	co, cs := e.moveDense(old, s)
	w.exactChanged(int(co), int(co)-1)
	w.exactChanged(int(cs), int(cs)+1)
}

// exactChanged keeps the diversity sums when a strategy's count changes
// from old to nw.
func (w *World) exactChanged(old, nw int) {
	w.hist[old]--
	w.hist[nw]++
	w.sumSq += int64(nw*nw - old*old)
	w.sumNLogN += w.nlogn(nw) - w.nlogn(old)
	if nw > w.maxCount {
		w.maxCount = nw
	}
	for w.maxCount > 0 && w.hist[w.maxCount] == 0 {
		w.maxCount--
	}
}

// nlogn returns c·log2(c) in fixed point, from the table when c is small.
func (w *World) nlogn(c int) int64 {
	if c < len(w.nlognTab) {
		return w.nlognTab[c]
	}
	return nlogn(c)
}

// nlogn returns c·log2(c) in fixed point (×2^32), exactly reproducible.
func nlogn(c int) int64 {
	if c <= 1 {
		return 0
	}
	return int64(math.Round(float64(c) * log2f(float64(c)) * (1 << 32)))
}

// rivals returns the number of other alive firms in slot i's sector within
// the crowding radius of its strategy.
func (w *World) rivals(i int) int { return w.cl.rivals(w.cls[i]) }

// isAlive reports whether slot i holds a firm.
func (w *World) isAlive(i int) bool { return w.alive.has(i) }

// Tick returns the number of completed ticks.
func (w *World) Tick() int { return w.tick }

// Done reports whether the run is over (tick limit reached or absorbed).
func (w *World) Done() bool { return w.done }

// Alive returns the number of firms alive.
func (w *World) Alive() int { return w.aliveN }

// Step advances the world by one tick. It returns false once the run is
// over (and does nothing if it already was).
//
// Order within tick t: shocks that start or end at t change the market;
// entrants fill vacant positions; the market clears (revenue, margin,
// profit, cash) and pilot trials are evaluated; firms with negative cash
// exit; revising firms decide and move; metrics are measured.
func (w *World) Step() bool {
	if w.done {
		return false
	}
	w.tick++
	w.entries, w.exits = 0, 0
	w.imitations, w.innovations, w.specialising, w.herdMoves, w.reversions = 0, 0, 0, 0, 0
	if w.cfg.Market.Enabled {
		w.shocks.apply(w)
		if w.rDrift != nil {
			w.drift()
		}
		w.enter()
		w.market.clear(w)
		w.evaluateTrials()
		if w.cfg.Demography.MortalityBase > 0 {
			w.densityMortality()
		}
		w.exitBroke()
	}
	w.decide()
	w.edgesSettle()
	if w.tick >= w.cfg.Ticks || w.aliveN == 0 ||
		(w.cfg.StopWhenAbsorbed && w.trackEdges && w.activeEdges == 0) {
		w.done = true
	}
	if w.onDemand {
		w.stale = true
	} else {
		w.measure()
	}
	return !w.done
}

// exitBroke removes the firms with negative cash, in slot order: those
// the market listed when it cleared (cash does not change after that
// within a tick), or, when it listed too many, those found by a scan.
func (w *World) exitBroke() {
	m := &w.market
	if !m.brokeAll {
		for _, i := range m.broke {
			if w.isAlive(int(i)) { // not already gone by density-dependent mortality
				w.exit(int(i))
			}
		}
		return
	}
	for i := range w.alive.all() {
		if w.cash[i] < 0 {
			w.exit(i)
		}
	}
}

// densityMortality lets each firm of sector s fail with the hazard
// m₀·exp(−ℓ·ñ + c·ñ²) (ñ: the sector's alive firms per initial firm), on
// top of running out of cash: the density-dependent mortality of
// organisational ecology. Hazards are set from the densities before any
// firm leaves this tick.
func (w *World) densityMortality() {
	dm := w.cfg.Demography
	hz := w.market.hazard
	for s := range hz {
		d := float64(w.aliveSec[s]) / float64(w.secSize[s])
		hz[s] = min(1, float64(dm.MortalityBase*xmath.Exp(float64(dm.MortalityCompetition*float64(d*d))-float64(dm.MortalityLegitimation*d))))
	}
	dg := w.dGrow
	for i := range w.alive.all() {
		if dg.Float64() < hz[w.sector[i]] {
			w.exit(i)
		}
	}
}

// Run steps the world to its end, calling obs after every tick (obs may be
// nil). It stops early with ctx's error when ctx is cancelled.
func (w *World) Run(ctx context.Context, obs Observer) error {
	for !w.done {
		if w.tick&15 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		w.Step()
		if obs != nil {
			obs.Observe(w)
		}
	}
	return nil
}

// Firms returns the record of every firm that ever lived in the run, in ID
// order. Firms still alive have Died = -1 and their current strategy as
// Final. The slice is a copy.
func (w *World) Firms() []FirmRecord {
	out := make([]FirmRecord, len(w.records))
	for id, r := range w.records {
		out[id] = FirmRecord{ID: id, Type: r.typ(), Sector: int(r.sector()), Born: r.born(), Died: r.died(), Initial: r.initial, Final: r.final,
			Size: float64(r.size), Revenue: float64(r.revenue)}
	}
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) {
			f := &out[w.rec[i]]
			f.Final = w.strat[i]
			f.Size, f.Revenue = float64(float32(w.demo[i].size)), float64(float32(w.revenue[i]))
		}
	}
	return out
}

// FormatStrategy writes a packed strategy as dash-separated options.
func (w *World) FormatStrategy(s uint64) string { return w.lay.Format(s) }

// Layout returns the packing of strategies.
func (w *World) Layout() agents.Layout { return w.lay }

// Config returns the world's configuration.
func (w *World) Config() Config { return w.cfg }
