package sim

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/agents"
)

// A Culture world as a run of the experiment runner (the same methods as a
// World: Step, Done, Tick, Metrics, Firms, TopStrategies, FormatStrategy,
// OptionShares). A tick is n events, as a World's asynchronous tick, and
// the metrics are a World's for a culture world (alive, distinct
// strategies, entropy, effective strategies, pairwise distance, top
// share, imitations, active edges, regions, …), measured from strategy
// counts kept up to date at every change.
//
// A Culture strategy does not fit in a uint64, so the strategies it hands
// out are handles, valid until the next Step, that only FormatStrategy
// reads: site i's current strategy is i, its initial strategy n + i, and
// the strategy counted in slot s is 2n + s.

// cultureModel is the state a Culture keeps when run tick by tick.
type cultureModel struct {
	cfg          Config
	on           bool
	ticks        int
	stop         bool // stop when absorbed
	regionsEvery int
	platform     int // the platform dimension, −1: none
	tick         int
	done         bool
	tickChanges  uint64 // changes before this tick
	metrics      [NumMetrics]float64
	initial      []uint8 // features at the start

	strats   strategyTable
	zob      []uint64 // cultureHash of dimension d, option o at d*q+o
	hsite    []uint64 // site → the hash of its strategy
	site     []int32  // site → slot
	distinct int
	sumSq    int64
	sumNLogN int64   // Σ c·log2 c, fixed point (nlogn)
	nlognTab []int64 // nlogn(c) for c < len
	hist     []int32 // count c → slots with c sites
	most     int32   // the largest count
	dimCount []int32 // dimension d, option o: sites using it, at d*q+o
	dimDirty []bool  // dimensions whose counts changed since measured
	dimSame  []float64
	dimH     []float64
}

// track starts the per-change bookkeeping of a run tick by tick.
func (c *Culture) track(cfg *Config) {
	m := &c.m
	*m = cultureModel{cfg: *cfg, on: true, ticks: cfg.Ticks, stop: cfg.StopWhenAbsorbed, regionsEvery: cfg.RegionsEvery, platform: cfg.Strategy.PlatformDim}
	m.initial = append([]uint8(nil), c.feat...)
	m.strats = newStrategyTable(c.n, c.f)
	m.zob = make([]uint64, c.f*c.q)
	for d := 0; d < c.f; d++ {
		for o := 0; o < c.q; o++ {
			m.zob[d*c.q+o] = cultureHash(d, o)
		}
	}
	m.site, m.hsite = make([]int32, c.n), make([]uint64, c.n)
	m.dimCount = make([]int32, c.f*c.q)
	m.dimDirty, m.dimSame, m.dimH = make([]bool, c.f), make([]float64, c.f), make([]float64, c.f)
	for d := range m.dimDirty {
		m.dimDirty[d] = true
	}
	m.hist = make([]int32, c.n+1)
	m.nlognTab = make([]int64, min(c.n+1, 4096))
	for k := range m.nlognTab {
		m.nlognTab[k] = nlogn(k)
	}
	for i := 0; i < c.n; i++ {
		for d, o := range c.features(i) {
			m.dimCount[d*c.q+int(o)]++
			m.hsite[i] ^= m.zob[d*c.q+int(o)]
		}
		m.site[i] = c.addStrategy(c.features(i), m.hsite[i])
	}
}

func (c *Culture) features(i int) []uint8 { return c.feat[i*c.f : (i+1)*c.f] }

// addStrategy counts one more site with strategy s of hash h and returns
// its slot.
func (c *Culture) addStrategy(s []uint8, h uint64) int32 {
	k, isNew := c.m.strats.add(s, h)
	if isNew {
		c.m.distinct++
	}
	c.recount(k, 1)
	return k
}

// removeStrategy counts one site fewer in slot k.
func (c *Culture) removeStrategy(k int32) {
	m := &c.m
	c.recount(k, -1)
	if m.strats.count[k] == 0 {
		m.strats.drop(k)
		m.distinct--
	}
}

func (c *Culture) recount(k int32, by int32) {
	m := &c.m
	old := m.strats.count[k]
	m.strats.count[k] += by
	nw := m.strats.count[k]
	m.sumSq += int64(nw)*int64(nw) - int64(old)*int64(old)
	m.sumNLogN += m.nlogn(nw) - m.nlogn(old)
	m.hist[old]--
	m.hist[nw]++
	m.most = max(m.most, nw)
	for m.most > 0 && m.hist[m.most] == 0 {
		m.most--
	}
}

// nlogn returns c·log2(c) in fixed point, from the table when c is small.
func (m *cultureModel) nlogn(c int32) int64 {
	if int(c) < len(m.nlognTab) {
		return m.nlognTab[c]
	}
	return nlogn(int(c))
}

// moved records that site i changed feature x from old to val.
func (c *Culture) moved(i, x int, old, val uint8) {
	m := &c.m
	c.removeStrategy(m.site[i])
	m.hsite[i] ^= m.zob[x*c.q+int(old)] ^ m.zob[x*c.q+int(val)]
	m.site[i] = c.addStrategy(c.features(i), m.hsite[i])
	m.dimCount[x*c.q+int(old)]--
	m.dimCount[x*c.q+int(val)]++
	m.dimDirty[x] = true
}

// Step runs one tick: events until n more have been attempted or the
// world is absorbed. It returns false once the run is over.
func (c *Culture) Step() bool {
	m := &c.m
	if m.done {
		return false
	}
	m.tick++
	m.tickChanges = c.changes
	until := uint64(m.tick) * uint64(c.n)
	for !c.Absorbed() && c.events < until {
		c.advance(until)
	}
	if m.tick >= m.ticks || (m.stop && c.Absorbed()) {
		m.done = true
	}
	c.measure()
	return !m.done
}

// Done reports whether the run is over (tick limit reached, or absorbed
// with simulation.stop_when_absorbed).
func (c *Culture) Done() bool { return c.m.done }

// Tick returns the number of completed ticks.
func (c *Culture) Tick() int { return c.m.tick }

// Metrics returns the last tick's measurements in MetricNames order (NaN:
// not measured); the slice is overwritten by the next Step.
func (c *Culture) Metrics() []float64 { return c.m.metrics[:] }

// measure fills the metric row of the tick just completed, as
// World.measure does for a culture world.
func (c *Culture) measure() {
	m := &c.m
	v := &m.metrics
	for k := range v {
		v[k] = 0
	}
	nan := math.NaN()
	n := float64(c.n)
	v[MAlive], v[MAliveImitator] = n, n
	v[MDistinct] = float64(m.distinct)
	v[MImitations] = float64(c.changes - m.tickChanges)
	v[MActiveEdges] = float64(c.active)
	if m.distinct > 1 {
		v[MEntropy] = max(0, log2f(n)-float64(m.sumNLogN)/(1<<32)/n)
	}
	v[MEffective] = n * n / float64(m.sumSq)
	v[MTopShare] = float64(m.most) / n
	v[MPairwise], v[MDimEntropy] = c.dimensionMeasures()
	for _, k := range []int{MHHI, MMeanMargin, MRevenue, MMeanCash, MMeanFitness, MShockTarget, MGini, MTop1Share, MYoungShare,
		MPlatformTop, MPlatformEffective, MRegions, MLargestRegion} {
		v[k] = nan
	}
	if pd := m.platform; pd >= 0 {
		var most, sumSq float64
		for _, k := range m.dimCount[pd*c.q : (pd+1)*c.q] {
			most = max(most, float64(k))
			sumSq += float64(k) * float64(k)
		}
		v[MPlatformTop], v[MPlatformEffective] = most/n, n*n/sumSq
	}
	if m.done || (m.regionsEvery > 0 && m.tick%m.regionsEvery == 0) {
		st := c.Stats()
		v[MRegions], v[MLargestRegion] = float64(st.Regions), float64(st.Largest)/n
	}
}

// dimensionMeasures returns the mean pairwise normalised Hamming distance
// and the mean per-dimension entropy (bits), as World.dimensionMeasures,
// summing again only the dimensions whose counts changed.
func (c *Culture) dimensionMeasures() (pairwise, dimEntropy float64) {
	m := &c.m
	n := float64(c.n)
	for d := 0; d < c.f; d++ {
		if m.dimDirty[d] {
			same, h := 0.0, 0.0
			for _, k := range m.dimCount[d*c.q : (d+1)*c.q] {
				x := float64(k)
				same += float64(x * (x - 1))
				if k > 0 {
					p := x / n
					h -= float64(p * log2f(p))
				}
			}
			m.dimSame[d], m.dimH[d], m.dimDirty[d] = same, h, false
		}
		if c.n > 1 {
			pairwise += 1 - m.dimSame[d]/(n*(n-1))
		}
		dimEntropy += m.dimH[d]
	}
	return pairwise / float64(c.f), dimEntropy / float64(c.f)
}

// Firms returns one record per site: an imitator in sector 0, alive all
// along, with handles of its initial and current strategies.
func (c *Culture) Firms() []FirmRecord {
	out := make([]FirmRecord, c.n)
	for i := range out {
		out[i] = FirmRecord{ID: i, Type: agents.Imitator, Died: -1, Initial: uint64(c.n + i), Final: uint64(i), Size: 1}
	}
	return out
}

// TopStrategies appends to dst[:0] the k most common strategies (ties:
// the smaller strategy, option by option) with their shares, as handles.
func (c *Culture) TopStrategies(dst []StrategyShare, k int) []StrategyShare {
	dst = dst[:0]
	m := &c.m
	if k <= 0 {
		return dst
	}
	t := &m.strats
	better := func(a, b int32) bool {
		return t.count[a] > t.count[b] || t.count[a] == t.count[b] && string(t.key(a)) < string(t.key(b))
	}
	var top []int32
	for s, cnt := range t.count {
		if cnt == 0 {
			continue
		}
		if len(top) == k && !better(int32(s), top[k-1]) {
			continue
		}
		if len(top) < k {
			top = append(top, int32(s))
		}
		j := len(top) - 1
		for ; j > 0 && better(int32(s), top[j-1]); j-- {
			top[j] = top[j-1]
		}
		top[j] = int32(s)
	}
	for _, s := range top {
		dst = append(dst, StrategyShare{Strategy: uint64(2*c.n) + uint64(s), Share: float64(t.count[s]) / float64(c.n)})
	}
	return dst
}

// strategy returns the features of handle h (see TopStrategies and Firms).
func (c *Culture) strategy(h uint64) []uint8 {
	n := uint64(c.n)
	switch {
	case h < n:
		return c.features(int(h))
	case h < 2*n:
		i := int(h - n)
		return c.m.initial[i*c.f : (i+1)*c.f]
	default:
		return c.m.strats.key(int32(h - 2*n))
	}
}

// FormatStrategy writes the strategy of handle h (see TopStrategies and
// Firms) as dash-separated options.
func (c *Culture) FormatStrategy(h uint64) string {
	var sb strings.Builder
	for d, o := range c.strategy(h) {
		if d > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(strconv.Itoa(int(o)))
	}
	return sb.String()
}

// CountedStrategy returns the handle of the counted strategy of handle h
// (a site's current strategy: the handle TopStrategies gives it), so that
// equal current strategies have equal handles; other handles unchanged.
func (c *Culture) CountedStrategy(h uint64) uint64 {
	if h < uint64(c.n) {
		return uint64(2*c.n) + uint64(c.m.site[h])
	}
	return h
}

// StrategyOption returns the option on dimension d of the strategy of
// handle h.
func (c *Culture) StrategyOption(h uint64, d int) int { return int(c.strategy(h)[d]) }

// Config returns the configuration of a world opened with OpenCulture.
func (c *Culture) Config() Config { return c.m.cfg }

// Clone returns a deep copy of a world opened with OpenCulture, as
// World.Clone does: stepping the copy draws exactly what stepping the
// original would draw, and the two share no mutable memory.
func (c *Culture) Clone() *Culture {
	cl := &cloner{ptrs: map[cloneKey]reflect.Value{}}
	dst := new(Culture)
	cl.value(reflect.ValueOf(dst).Elem(), reflect.ValueOf(c).Elem())
	return dst
}

// OptionShares appends to dst[:0] the share of sites using each option of
// dimension d; it returns dst[:0] for a d out of range.
func (c *Culture) OptionShares(dst []float64, d int) []float64 {
	dst = dst[:0]
	if d < 0 || d >= c.f {
		return dst
	}
	for _, k := range c.m.dimCount[d*c.q : (d+1)*c.q] {
		dst = append(dst, float64(k)/float64(c.n))
	}
	return dst
}

// OpenCulture returns the culture world of cfg with seed, run by
// cfg.Culture.Engine, ready to be stepped tick by tick (the runner's use);
// NewCulture's world is run by events (Run).
func OpenCulture(cfg Config, seed uint64) (*Culture, error) {
	c, err := NewCulture(cfg, seed, cfg.CultureEngineName())
	if err != nil {
		return nil, err
	}
	c.track(&cfg)
	return c, nil
}
