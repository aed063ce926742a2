package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/smbsim/smbsim/sim/network"
)

// Culture engines: how a Culture world draws its events.
const (
	// CultureNaive is Axelrod's per-event loop: a random site, a random
	// neighbour, interaction with probability overlap/F.
	CultureNaive = "naive"
	// CultureActiveLinks is the rejection-free engine: it keeps the
	// directed links whose ends share some but not all features, draws the
	// next successful interaction among them with the naive loop's
	// conditional probabilities, and advances the event count by the
	// geometric number of failed attempts before it. Runs are equal in
	// distribution to the naive loop's.
	CultureActiveLinks = "active_links"
)

// maxCultureTraits is the most traits per feature a Culture world holds
// (one byte per feature).
const maxCultureTraits = 256

// maxCultureLCM bounds the least common multiple of the network's degrees
// with which the active-link engine weights its links exactly in integers.
const maxCultureLCM = 1 << 20

// Culture is Axelrod's (1997) culture model on its own, for culture worlds
// wider than a 64-bit strategy: F features of q ≤ 256 traits, one byte
// each, on a materialised network, no market. An event is a random site i
// and a random neighbour j; with probability overlap/F (the share of
// features they share) i copies one random feature on which they differ.
// It is the same dynamics as a pure Axelrod World (see pureAxelrod), which
// packs a strategy in 64 bits, drawn from its own streams: a Culture run
// is equal in distribution to a World run of the same configuration, not
// identical to it.
type Culture struct {
	f, q   int
	n      int
	feat   []uint8 // site i's features: feat[i*f : (i+1)*f]
	off    []int32 // network CSR offsets
	adj    []int32 // network CSR neighbours
	src    []int32 // source site of each directed link
	rev    []int32 // position of the reverse link
	k      []uint8 // overlap (shared features) of each directed link
	active int     // undirected links with 0 < overlap < F
	g      *network.Graph
	src64  *rand.PCG // rng's source, stepped in registers by runNaive
	rng    *rand.Rand

	events     uint64 // attempted events so far
	lastChange uint64 // the event of the last change
	changes    uint64

	// Active-link engine: undirected links (each filed as its directed
	// link from the lower site) by group, a group being an overlap class
	// 1…F−1 and the unordered pair of its ends' degree groups (each
	// distinct degree its own group when there are at most
	// maxCultureDegGroups, otherwise a single group drawn with rejection).
	useActive bool
	cls       [][]int32 // cls[k*npg+p]: links with overlap k whose ends' degree groups form pair p
	pos       []int32   // index of a link in its group, −1 if inactive or not filed
	clsW      []int64   // Σ over a group of lcm/deg(i) + lcm/deg(j)
	kW        []int64   // Σ of clsW over the groups of overlap k
	npg       int       // pairs of degree groups
	pairIdx   []int     // pair index of degree groups a, b: pairIdx[a*ndg+b]
	u         int64     // total weight: Σ over groups of overlap·clsW
	lcm       int64
	dmin      int32
	wsrc      []int64 // lcm/deg of each site
	ndg       int     // degree groups
	maxDG     int     // most degree groups (maxCultureDegGroups; tests use fewer)
	dg        []uint8 // degree group of each site
	auto      bool    // switch between the naive loop and active links by the share of events that change something
	window    uint64  // automatic engine: events per window (cultureWindow; tests use fewer)
	winStart  uint64  // automatic engine: the event the current window started at
	winChange uint64  // and the changes then
	switches  int     // automatic engine: switches so far, either way

	m cultureModel // a run tick by tick (see OpenCulture)
}

// NewCulture returns the culture world of cfg with seed, run by engine
// (CultureNaive, CultureActiveLinks or "" for the faster where it
// applies). cfg must describe a pure culture world: no market, random
// asynchronous activation, Axelrod imitation with revision 1, only
// imitators, a materialised network; strategy.options at most 256 and
// 1 to 255 dimensions (maxCultureDims), whatever their width in bits.
func NewCulture(cfg Config, seed uint64, engine string) (*Culture, error) {
	f, q := len(cfg.Strategy.Dimensions), cfg.Strategy.Options
	switch ps := cfg.cultureProblems(); {
	case len(ps) > 0:
		return nil, fmt.Errorf("culture world: needs %s", strings.Join(ps, ", "))
	case f < 1 || f > maxCultureDims:
		return nil, fmt.Errorf("culture world: %d dimensions, want 1 to %d", f, maxCultureDims)
	case q < 2 || q > maxCultureTraits:
		return nil, fmt.Errorf("culture world: strategy.options = %d, want 2 to %d", q, maxCultureTraits)
	}
	n := cfg.Population.Firms
	np := cfg.Network.params()
	if cfg.Network.Kind == Lattice && np.Height == 0 && np.Width > 0 {
		np.Height = n / np.Width
	}
	g, err := network.Build(np, n, nil, newStream(seed, streamNetwork))
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	pcgSrc := rand.NewPCG(seed, streamDecide)
	c := &Culture{f: f, q: q, n: n, off: g.Offsets, adj: g.Adj, g: g, src64: pcgSrc, rng: rand.New(pcgSrc), maxDG: maxCultureDegGroups}
	init := newStream(seed, streamInit)
	c.feat = make([]uint8, n*f)
	for i := range c.feat {
		c.feat[i] = uint8(init.IntN(q))
	}
	m := len(c.adj)
	c.src, c.rev, c.k = make([]int32, m), make([]int32, m), make([]uint8, m)
	c.lcm, c.dmin = 1, math.MaxInt32
	for i := 0; i < n; i++ {
		d := c.off[i+1] - c.off[i]
		if d > 0 {
			c.dmin = min(c.dmin, d)
			if c.lcm <= maxCultureLCM {
				c.lcm = c.lcm / gcd(c.lcm, int64(d)) * int64(d)
			}
		}
		for e := c.off[i]; e < c.off[i+1]; e++ {
			j := c.adj[e]
			c.src[e] = int32(i)
			c.k[e] = uint8(c.overlap(i, int(j)))
			// The reverse link: i in j's sorted row.
			row := c.adj[c.off[j]:c.off[j+1]]
			lo, hi := 0, len(row)
			for lo < hi {
				mid := (lo + hi) / 2
				if row[mid] < int32(i) {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			c.rev[e] = c.off[j] + int32(lo)
			if int(j) > i && c.isActive(c.k[e]) {
				c.active++
			}
		}
	}
	switch engine {
	case CultureNaive:
	case CultureActiveLinks:
		if c.lcm > maxCultureLCM {
			return nil, fmt.Errorf("culture world: the active-link engine needs the least common multiple of the degrees at most %d", maxCultureLCM)
		}
		c.useActive = true
	case "":
		c.auto, c.window = c.lcm <= maxCultureLCM, cultureWindow
	default:
		return nil, fmt.Errorf("culture world: unknown engine %q (want %s or %s)", engine, CultureNaive, CultureActiveLinks)
	}
	if c.useActive {
		c.buildClasses()
	}
	return c, nil
}

// buildClasses files every active link in its overlap class (again, after
// the automatic engine ran the naive loop, which does not keep them).
func (c *Culture) buildClasses() {
	if c.cls == nil {
		c.degreeGroups()
		c.pairIdx = make([]int, c.ndg*c.ndg)
		for a := 0; a < c.ndg; a++ {
			for b := a; b < c.ndg; b++ {
				c.pairIdx[a*c.ndg+b], c.pairIdx[b*c.ndg+a] = c.npg, c.npg
				c.npg++
			}
		}
		c.cls = make([][]int32, c.f*c.npg)
		c.clsW = make([]int64, c.f*c.npg)
		c.kW = make([]int64, c.f)
		c.pos = make([]int32, len(c.adj))
		c.wsrc = make([]int64, c.n)
		for i := range c.wsrc {
			if d := c.off[i+1] - c.off[i]; d > 0 {
				c.wsrc[i] = c.lcm / int64(d)
			}
		}
	}
	for g := range c.cls {
		c.cls[g], c.clsW[g] = c.cls[g][:0], 0
	}
	clear(c.kW)
	c.u = 0
	for e := range c.pos {
		c.pos[e] = -1
	}
	for e := range c.pos {
		if c.src[e] < c.adj[e] {
			c.classAdd(int32(e))
		}
	}
	c.useActive = true
}

// maxCultureDegGroups is the most distinct degrees for which the
// active-link engine files links by the pair of their ends' degrees (and so
// draws a link without rejection); with more, all sites form one group and
// a link {i, j} is accepted with probability (1/deg i + 1/deg j)/(2/dmin).
const maxCultureDegGroups = 4

// degreeGroups sets each site's degree group.
func (c *Culture) degreeGroups() {
	var degs []int32
	for i := 0; i < c.n && len(degs) <= c.maxDG; i++ {
		if d := c.off[i+1] - c.off[i]; d > 0 && !slices.Contains(degs, d) {
			degs = append(degs, d)
		}
	}
	c.dg = make([]uint8, c.n)
	if len(degs) == 0 || len(degs) > c.maxDG {
		c.ndg = 1
		return
	}
	c.ndg = len(degs)
	for i := range c.dg {
		if d := c.off[i+1] - c.off[i]; d > 0 {
			c.dg[i] = uint8(slices.Index(degs, d))
		}
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// overlap is the number of features sites i and j share.
func (c *Culture) overlap(i, j int) int {
	a, b := c.feat[i*c.f:(i+1)*c.f], c.feat[j*c.f:(j+1)*c.f]
	k := 0
	for x := range a {
		k += b2i(a[x] == b[x])
	}
	return k
}

func (c *Culture) isActive(k uint8) bool { return k > 0 && int(k) < c.f }

// classAdd files link e (from its lower site) in its group if active.
func (c *Culture) classAdd(e int32) {
	k := c.k[e]
	if !c.isActive(k) {
		return
	}
	s, t := c.src[e], c.adj[e]
	g := int(k)*c.npg + c.pairIdx[int(c.dg[s])*c.ndg+int(c.dg[t])]
	w := c.wsrc[s] + c.wsrc[t]
	c.pos[e] = int32(len(c.cls[g]))
	c.cls[g] = append(c.cls[g], e)
	c.clsW[g] += w
	c.kW[k] += w
	c.u += int64(k) * w
}

// classRemove takes link e (from its lower site), of overlap k, out of
// its group.
func (c *Culture) classRemove(e int32, k uint8) {
	p := c.pos[e]
	if p < 0 {
		return
	}
	s, t := c.src[e], c.adj[e]
	g := int(k)*c.npg + c.pairIdx[int(c.dg[s])*c.ndg+int(c.dg[t])]
	w := c.wsrc[s] + c.wsrc[t]
	l := c.cls[g]
	last := l[len(l)-1]
	l[p] = last
	c.pos[last] = p
	c.cls[g] = l[:len(l)-1]
	c.pos[e] = -1
	c.clsW[g] -= w
	c.kW[k] -= w
	c.u -= int64(k) * w
}

// setOverlap sets the overlap of directed link e (and its reverse) to k.
func (c *Culture) setOverlap(e int32, k uint8) {
	old := c.k[e]
	if old == k {
		return
	}
	c.active += b2i(c.isActive(k)) - b2i(c.isActive(old))
	r := c.rev[e]
	c.k[e], c.k[r] = k, k
	if c.useActive {
		if c.src[e] > c.adj[e] {
			e = r
		}
		c.classRemove(e, old)
		c.classAdd(e)
	}
}

// copyFeature makes site i take site j's value of its r-th feature among
// those on which they differ.
func (c *Culture) copyFeature(i, j int, r int) {
	fi, fj := c.feat[i*c.f:(i+1)*c.f], c.feat[j*c.f:(j+1)*c.f]
	x := 0
	for ; ; x++ {
		if fi[x] != fj[x] {
			if r == 0 {
				break
			}
			r--
		}
	}
	old, val := fi[x], fj[x]
	fi[x] = val
	if c.m.on {
		c.moved(i, x, old, val)
	}
	for e := c.off[i]; e < c.off[i+1]; e++ {
		nb := c.feat[int(c.adj[e])*c.f+x]
		k := int(c.k[e]) + b2i(nb == val) - b2i(nb == old)
		c.setOverlap(e, uint8(k))
	}
	c.changes++
	c.lastChange = c.events
}

// Absorbed reports whether no two neighbours share some but not all
// features: no event can change anything any more.
func (c *Culture) Absorbed() bool { return c.active == 0 }

// Run runs events until the world is absorbed or maxEvents events have
// been attempted (0: no limit), checking ctx every few million events.
func (c *Culture) Run(ctx context.Context, maxEvents uint64) error {
	if maxEvents == 0 {
		maxEvents = math.MaxUint64
	}
	for !c.Absorbed() && c.events < maxEvents {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.advance(min(maxEvents, c.events+1<<22))
	}
	return nil
}

// advance runs events, until the event count reaches until at most: the
// naive loop, the active links, or, for the automatic engine, the current
// one to the end of its window of cultureWindow events (windows start at
// multiples of cultureWindow), switching from the naive loop to the active
// links when fewer than 1 in cultureSwitchRatio of the window's events
// changed something, and back when more than 1 in cultureBackRatio did
// (each change costs the active-link engine more than a naive event, so
// where events mostly succeed the naive loop is faster). A switch depends
// only on the run so far and each engine draws the next event with the
// naive loop's probabilities, so the runs stay equal in distribution.
func (c *Culture) advance(until uint64) {
	if !c.auto {
		if c.useActive {
			c.runActive(until)
		} else {
			c.runNaive(until)
		}
		return
	}
	end := c.winStart + c.window
	if c.useActive {
		c.runActive(min(until, end))
	} else {
		c.runNaive(min(until, end))
	}
	if c.events != end {
		return
	}
	changed := c.changes - c.winChange
	switch {
	case !c.useActive && changed*cultureSwitchRatio < c.window:
		c.buildClasses()
		c.switches++
	case c.useActive && changed*cultureBackRatio > c.window:
		c.useActive = false
		c.switches++
	}
	c.winStart, c.winChange = c.events, c.changes
}

// The automatic engine measures the success rate over windows of
// cultureWindow events: it switches to active links when fewer than 1 in
// cultureSwitchRatio events change a feature, and back to the naive loop
// when more than 1 in cultureBackRatio do (measured: the active-link
// engine's cost per change is about that many naive events; the gap
// between the two keeps it from switching back and forth).
const (
	cultureWindow      = 1 << 14
	cultureSwitchRatio = 8
	cultureBackRatio   = 5
)

// runNaive attempts events until absorbed or the event count reaches
// until.
func (c *Culture) runNaive(until uint64) {
	n, f := uint64(c.n), uint64(c.f)
	off, adj, kk := c.off, c.adj, c.k
	g := loadPCG(c.src64)
	var x, r uint64
	var ok bool
	for c.active > 0 && c.events < until {
		c.events++
		g, x = g.next()
		if r, ok = bounded(x, n); !ok {
			g, r = g.redraw(n)
		}
		i := int(r)
		lo, hi := off[i], off[i+1]
		if hi == lo {
			continue
		}
		g, x = g.next()
		if r, ok = bounded(x, uint64(hi-lo)); !ok {
			g, r = g.redraw(uint64(hi - lo))
		}
		e := lo + int32(r)
		k := uint64(kk[e])
		if k == 0 || k == f {
			continue
		}
		g, x = g.next()
		if r, ok = bounded(x, f); !ok {
			g, r = g.redraw(f)
		}
		if r >= k {
			continue
		}
		g, x = g.next()
		if r, ok = bounded(x, f-k); !ok {
			g, r = g.redraw(f - k)
		}
		c.copyFeature(i, int(adj[e]), int(r))
	}
	g.store(c.src64)
}

// runActive draws successful events directly until absorbed or the event
// count would pass until. Each naive event succeeds with probability
// P = Σ_{active i→j} overlap/(F·n·deg i) = U/(n·lcm·F), U the total
// weight; the failures before the next success are geometric, and the
// success is link i→j with probability ∝ overlap·lcm/deg i, then a
// uniform differing feature, as in the naive loop.
func (c *Culture) runActive(until uint64) {
	f, npg := c.f, c.npg
	wmax := 2 * c.lcm / int64(max(c.dmin, 1))
	scale := float64(c.n) * float64(c.lcm) * float64(f)
	lastU, rate := int64(-1), 0.0
	for c.active > 0 {
		u := c.u
		skip := 0.0
		if p := float64(u) / scale; p < 1 {
			// Failures before the first success: ⌊−ln V / −ln(1−p)⌋, V
			// uniform on (0, 1], −ln V ~ Exp(1).
			if u != lastU {
				lastU, rate = u, -math.Log1p(-p)
			}
			skip = math.Floor(c.rng.ExpFloat64() / rate)
		}
		if skip >= float64(until-c.events) {
			// Beyond the budget: the failures up to it are all there is
			// (the geometric draw is memoryless, so the next call redraws).
			c.events = until
			return
		}
		c.events += uint64(skip) + 1
		// The group: overlap k with probability k·kW[k]/U, then the pair
		// of degree groups p with probability clsW[k·npg+p]/kW[k].
		r := c.rng.Int64N(u)
		k := 1
		for ; k < f-1; k++ {
			w := int64(k) * c.kW[k]
			if r < w {
				break
			}
			r -= w
		}
		r /= int64(k)
		g := k * npg
		for ; g < (k+1)*npg-1; g++ {
			if r < c.clsW[g] {
				break
			}
			r -= c.clsW[g]
		}
		// A link {i, j} of the group with probability ∝ lcm/deg i +
		// lcm/deg j: uniform when its ends' degrees are those of the
		// group, else by rejection; then the direction i→j with
		// probability (lcm/deg i)/(lcm/deg i + lcm/deg j).
		l := c.cls[g]
		var e int32
		var wi, wj int64
		for {
			e = l[c.rng.IntN(len(l))]
			wi, wj = c.wsrc[c.src[e]], c.wsrc[c.adj[e]]
			if c.ndg > 1 || wi+wj == wmax || c.rng.Int64N(wmax) < wi+wj {
				break
			}
		}
		if wi == wj {
			if c.rng.Uint64()&1 == 0 {
				e = c.rev[e]
			}
		} else if c.rng.Int64N(wi+wj) >= wi {
			e = c.rev[e]
		}
		c.copyFeature(int(c.src[e]), int(c.adj[e]), c.rng.IntN(f-k))
	}
}

// CultureStats are a culture world's measurements.
type CultureStats struct {
	Regions    int    // connected regions of identical neighbouring sites
	Largest    int    // sites in the largest region
	Events     uint64 // events attempted so far
	LastChange uint64 // the event of the last change (events to absorption once absorbed)
	Changes    uint64 // events that changed a feature
	Absorbed   bool
}

// Stats measures the world.
func (c *Culture) Stats() CultureStats {
	r, l := c.g.Components(func(u, v int) bool {
		a, b := c.feat[u*c.f:(u+1)*c.f], c.feat[v*c.f:(v+1)*c.f]
		return string(a) == string(b)
	}, nil)
	return CultureStats{Regions: r, Largest: l, Events: c.events, LastChange: c.lastChange, Changes: c.changes, Absorbed: c.Absorbed()}
}

// Engine returns the engine the world runs with.
func (c *Culture) Engine() string {
	if c.useActive {
		return CultureActiveLinks
	}
	return CultureNaive
}

// Switched reports whether an automatic engine runs the active links now.
func (c *Culture) Switched() bool {
	return c.auto && c.useActive
}
