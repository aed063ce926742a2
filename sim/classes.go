package sim

import (
	"math/bits"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/sim/internal/xmath"
)

// classes gives every (sector, strategy) pair held by an alive firm a dense
// id, its "class". All firms of a class face the same market, so the market
// computes reach, revenue, margin and profit once per class, and a firm
// finds its class by reading World.cls instead of hashing its strategy.
//
// For crowding radius 1 it also gives an id to every masked key (sector,
// dimension d, strategy with practice d zeroed) in use, and keeps for each
// class the ids of its D masked keys: a firm at distance 1 from a class
// shares exactly one of them, so the number of firms within distance 1 is
// a sum of D array reads (see rivals).
//
// A class left without firms stays dormant, indexed with its masked keys,
// until reclaim deletes the dormant classes in bulk. Then their ids, and
// those of masked keys no firm uses, become holes, kept in free lists
// threaded through the holes themselves (a hole class's strat holds the
// next free id; a hole masked key's count is −2 − next), so the lists cost
// no memory. New ones take the most recently freed id, else the next id at
// the end. compactClasses reclaims, renumbers densely when holes outnumber
// the ids in use, and in big markets reorders the classes by their firms'
// positions. Ids are internal: no result depends on them.
type classes struct {
	index   *countTable // (strategy, 1+sector) → id+1
	strat   []uint64    // by class id
	sector  []uint8
	n       []int32 // alive firms in the class; 0: dormant, or a hole
	live    int     // classes with firms
	dormant int     // classes without firms, still indexed
	free    int32   // first hole in the free list, −1: none

	d      int         // masked keys per class: D for radius 1, else 0
	mIndex *countTable // (masked strategy, 1+sector·D+d) → masked id+1
	mid    []int32     // class id·D+d → masked id
	mN     []int32     // alive firms per masked id; < 0: a hole
	mLive  int         // masked keys indexed
	mFree  int32       // first hole in the free list, −1: none

	used   []uint64 // scratch space for renumberClasses
	before []int32
	perm   []int32 // scratch space for reorderClasses

	out []classOut // the market's outcome this tick, by class

	// With practices that interact (landscape.k > 0): per class id, the NK
	// fitness f of its strategy and its coherence factor
	// exp(β·ψ·(f − ½)), computed once when the class is created (the
	// landscape does not change); nil otherwise.
	land    *landscape
	cohBeta float64 // β·ψ
	fit     []float64
	coh     []float64
}

// classOut is the market's outcome for a class this tick: reach factor,
// distances to the first 8 segments of the sector (a byte each), revenue
// per unit of attraction weight, margin and fixed cost per unit of the
// firm's cost scale (overhead + size share). One struct, so that a firm's
// look-up of its class touches one cache line.
type classOut struct {
	reach         float64
	dist          uint64
	rev, mu, cost float64
	grow          float64 // μ·rev/cost: the marginal revenue of size per unit of fixed cost, per unit of q
}

func newClasses(l agents.Layout, sectors, firms, radius int) *classes {
	kb := l.D * l.B
	// Holes are reused before the id range grows, so there are never more
	// ids than firms (+1, in the middle of a move); 4·firms + 1024 leaves
	// room.
	c := &classes{index: newCountTable(kb, uint32(sectors), 4*firms+1024), free: -1, mFree: -1}
	if radius > 0 {
		c.d = l.D
		c.mIndex = newCountTable(kb, uint32(sectors*l.D), (4*firms+1024)*l.D)
		// Masked keys are looked up only when classes come and go, and a
		// big run starts with several per firm: a fuller table saves much.
		c.mIndex.bigLoad = 7
	}
	// There are at most as many classes as firms, and at most D masked
	// keys per class. Reserving the capacity up front avoids the garbage
	// of growing by copying; the OS maps only the pages that get used.
	c.strat = make([]uint64, 0, firms)
	c.sector = make([]uint8, 0, firms)
	c.n = make([]int32, 0, firms)
	c.mid = make([]int32, 0, firms*c.d)
	c.mN = make([]int32, 0, firms*c.d)
	c.out = make([]classOut, 0, firms)
	return c
}

// holeSector marks a hole's sector (sectors are numbered 0 to 254).
const holeSector = 0xff

// join adds a firm of sector sec with strategy s and returns its class.
func (c *classes) join(l agents.Layout, s uint64, sec int) int32 { return c.joinHint(l, s, sec, -1) }

// joinHint is join given a class id that may be the class of (sec, s): a
// class is the only one of its sector and strategy, and a hole's sector
// matches none, so a hint that matches is right whatever happened since.
func (c *classes) joinHint(l agents.Layout, s uint64, sec int, hint int32) int32 {
	tag := 1 + uint32(sec)
	v := hint + 1
	if hint < 0 || int(hint) >= len(c.n) || c.strat[hint] != s || c.sector[hint] != uint8(sec) {
		v = c.index.get(s, tag)
	}
	if v != 0 {
		id := v - 1
		if c.n[id] == 0 { // a dormant class wakes up
			c.dormant--
			c.live++
		}
		c.n[id]++
		for _, m := range c.mid[int(id)*c.d : int(id+1)*c.d] {
			c.mN[m]++
		}
		return id
	}
	if c.dormant > 0 && (c.free < 0 && len(c.n) == cap(c.n) || c.mFree < 0 && len(c.mN)+c.d > cap(c.mN)) ||
		c.dormant > c.live/64+256 && (c.index.bigFull(1) || c.mIndex != nil && c.mIndex.bigFull(c.d)) {
		// Dormant classes never make an array grow, nor a big table
		// unless they are few (reclaiming costs a pass over the class
		// ids).
		c.reclaim(l)
	}
	id := c.free
	if id >= 0 {
		c.free = int32(c.strat[id])
	} else {
		id = int32(len(c.n))
		c.strat = append(c.strat, 0)
		c.sector = append(c.sector, 0)
		c.n = append(c.n, 0)
		c.out = append(c.out, classOut{})
		if c.land != nil {
			c.fit = append(c.fit, 0)
			c.coh = append(c.coh, 0)
		}
		for range c.d {
			c.mid = append(c.mid, 0)
		}
	}
	c.index.add(s, tag, id+1)
	c.strat[id], c.sector[id], c.n[id] = s, uint8(sec), 1
	c.out[id].dist = distUnset // a new class: its distances are not tabulated
	if c.land != nil {
		f := c.land.fitness(l, s)
		c.fit[id], c.coh[id] = f, xmath.Exp(float64(c.cohBeta*(f-0.5)))
	}
	c.live++
	for d := 0; d < c.d; d++ {
		key, mtag := l.Set(s, d, 0), 1+uint32(sec*c.d+d)
		m := c.mIndex.get(key, mtag) - 1
		if m < 0 {
			if m = c.mFree; m >= 0 {
				c.mFree = -2 - c.mN[m]
				c.mN[m] = 0
			} else {
				m = int32(len(c.mN))
				c.mN = append(c.mN, 0)
			}
			c.mIndex.add(key, mtag, m+1)
			c.mLive++
		}
		c.mid[int(id)*c.d+d] = m
		c.mN[m]++
	}
	return id
}

// leave removes a firm from class id. A class left without firms stays
// indexed, dormant, with its masked keys: firms often return to the
// strategy they left (a pilot trial reverted), and waking a dormant class
// costs one look-up instead of D+1 insertions and deletions. reclaim
// deletes the dormant classes in bulk.
func (c *classes) leave(id int32) {
	c.n[id]--
	for _, m := range c.mid[int(id)*c.d : int(id+1)*c.d] {
		c.mN[m]--
	}
	if c.n[id] == 0 {
		c.live--
		c.dormant++
	}
}

// reclaim deletes the dormant classes from the index, making their ids
// holes, and deletes the masked keys no firm uses any more. (A masked key
// with no firms is used by no class with firms, as every firm of a class
// counts in each of its keys.)
func (c *classes) reclaim(l agents.Layout) {
	for id, n := range c.n {
		if n != 0 || c.sector[id] == holeSector {
			continue
		}
		s, sec := c.strat[id], int(c.sector[id])
		for d, m := range c.mid[id*c.d : (id+1)*c.d] {
			if c.mN[m] == 0 { // < 0 once deleted, through another class
				c.mIndex.add(l.Set(s, d, 0), 1+uint32(sec*c.d+d), -(m + 1))
				c.mLive--
				c.mN[m], c.mFree = -2-c.mFree, m
			}
		}
		c.index.add(s, 1+uint32(sec), -(int32(id) + 1))
		c.sector[id] = holeSector
		c.strat[id], c.free = uint64(c.free), int32(id)
	}
	c.dormant = 0
}

// rivals returns the number of firms within the crowding radius of a firm
// of class id, other than the firm itself.
func (c *classes) rivals(id int32) int {
	same := int(c.n[id])
	if c.d == 0 {
		return same - 1
	}
	// A firm at distance 1 shares exactly one masked key with the class;
	// a firm of the class shares all D of them.
	sum := 0
	for _, m := range c.mid[int(id)*c.d : int(id+1)*c.d] {
		sum += int(c.mN[m])
	}
	return sum - (c.d-1)*same - 1
}

// compactClasses runs once per tick, before the market: it reclaims the
// dormant classes when they outnumber the live ones by far; in big markets
// it reorders the classes every reorderEvery ticks; otherwise it renumbers
// classes and masked keys densely when holes outnumber the ids in use, so
// that the passes over classes and the rivals' reads touch few cache
// lines. Ids are internal (every per-class result is independent of the
// numbering), so none of this changes a result.
func (w *World) compactClasses() {
	c := w.cl
	if c.dormant > c.live+4096 {
		c.reclaim(w.lay)
	}
	holes := len(c.n) - c.live - c.dormant
	switch {
	case w.n >= reorderFirms && w.tick%reorderEvery == 0:
		w.reorderClasses()
	case holes > c.live+c.dormant+256 || len(c.mN)-c.mLive > c.mLive+1024:
		w.renumberClasses()
	}
}

// Big markets reorder their classes every reorderEvery ticks (see
// reorderClasses); below reorderFirms positions the classes fit in the
// caches anyway.
const (
	reorderFirms = 1 << 17
	reorderEvery = 16
)

// reorderClasses renumbers the classes in the order of their first firm's
// position (dormant classes after them, holes dropped), so that the market's
// passes over the firms read the class outcomes almost sequentially instead
// of at random: in a big market they do not fit in the caches, and moves
// scatter new classes over the ids. Like renumberClasses, it changes no
// result.
func (w *World) reorderClasses() {
	c := w.cl
	if cap(c.perm) < len(c.n) {
		// As big as the class arrays' reserve, once: growing by appends
		// would leave garbage the size of the class count.
		c.perm = make([]int32, 0, max(cap(c.n), len(c.n)))
	}
	perm := c.perm[:0]
	for range c.n {
		perm = append(perm, -1)
	}
	c.perm = perm
	k := int32(0)
	for i := range w.alive.all() {
		if id := w.cls[i]; perm[id] < 0 {
			perm[id] = k
			k++
		}
	}
	for id := range perm {
		if perm[id] < 0 && c.sector[id] != holeSector { // dormant
			perm[id] = k
			k++
		}
	}
	used := int(k)
	for id := range perm { // holes last, to make perm a permutation
		if perm[id] < 0 {
			perm[id] = k
			k++
		}
	}
	c.index.relabel(func(id int32) int32 { return perm[id] })
	for i := range w.alive.all() {
		w.cls[i] = perm[w.cls[i]]
	}
	// Apply the permutation in place: swap each class into its place.
	dims := c.d
	for i := range perm {
		for j := int(perm[i]); j != i; j = int(perm[i]) {
			c.strat[i], c.strat[j] = c.strat[j], c.strat[i]
			c.sector[i], c.sector[j] = c.sector[j], c.sector[i]
			c.n[i], c.n[j] = c.n[j], c.n[i]
			c.out[i], c.out[j] = c.out[j], c.out[i]
			if c.land != nil {
				c.fit[i], c.fit[j] = c.fit[j], c.fit[i]
				c.coh[i], c.coh[j] = c.coh[j], c.coh[i]
			}
			for d := range dims {
				c.mid[i*dims+d], c.mid[j*dims+d] = c.mid[j*dims+d], c.mid[i*dims+d]
			}
			perm[i], perm[j] = perm[j], perm[i]
		}
	}
	c.strat, c.sector, c.n, c.out = c.strat[:used], c.sector[:used], c.n[:used], c.out[:used]
	if c.land != nil {
		c.fit, c.coh = c.fit[:used], c.coh[:used]
	}
	c.mid = c.mid[:used*dims]
	c.free = -1
}

// renumberClasses numbers classes and masked keys densely, keeping their
// order (see compactClasses). A new id is the old id's rank among the ids
// in use, found from a bitmap with prefix counts: the scratch space is two
// words per 64 ids, not one per id.
func (w *World) renumberClasses() {
	c := w.cl
	dims := c.d
	// Masked keys in use have a count ≥ 0 (holes hold free-list links
	// below 0). Ids only move down, so nothing unread is overwritten.
	mr := c.ranks(len(c.mN), func(m int) bool { return c.mN[m] >= 0 })
	k := int32(0)
	for _, n := range c.mN {
		if n >= 0 {
			c.mN[k] = n
			k++
		}
	}
	c.mN, c.mFree = c.mN[:k], -1
	if c.mIndex != nil {
		c.mIndex.relabel(mr.rank)
	}
	for j, m := range c.mid {
		c.mid[j] = mr.rank(m) // holes' rows get meaningless ids; they are dropped below
	}
	// Classes, dormant ones included.
	cr := c.ranks(len(c.n), func(id int) bool { return c.sector[id] != holeSector })
	k = 0
	for id, n := range c.n {
		if c.sector[id] != holeSector {
			c.strat[k], c.sector[k], c.n[k], c.out[k] = c.strat[id], c.sector[id], n, c.out[id]
			if c.land != nil {
				c.fit[k], c.coh[k] = c.fit[id], c.coh[id]
			}
			copy(c.mid[int(k)*dims:int(k+1)*dims], c.mid[id*dims:(id+1)*dims])
			k++
		}
	}
	c.strat, c.sector, c.n, c.mid = c.strat[:k], c.sector[:k], c.n[:k], c.mid[:int(k)*dims]
	c.free = -1
	c.out = c.out[:k] // moved with the classes: their distances stay tabulated
	if c.land != nil {
		c.fit, c.coh = c.fit[:k], c.coh[:k]
	}
	c.index.relabel(cr.rank)
	for i := range w.alive.all() {
		w.cls[i] = cr.rank(w.cls[i])
	}
}

// ranker maps an id in use to its rank among the ids in use.
type ranker struct {
	used   []uint64 // bit id%64 of word id/64: the id is in use
	before []int32  // ids in use in earlier words
}

// ranks returns the ranker of the ids in [0, ids) that are used, in the
// scratch space of c.
func (c *classes) ranks(ids int, used func(int) bool) ranker {
	words := (ids + 63) / 64
	if cap(c.used) < words {
		c.used, c.before = make([]uint64, words), make([]int32, words)
	}
	r := ranker{c.used[:words], c.before[:words]}
	clear(r.used)
	for id := range ids {
		if used(id) {
			r.used[id>>6] |= 1 << (id & 63)
		}
	}
	sum := int32(0)
	for k, u := range r.used {
		r.before[k] = sum
		sum += int32(bits.OnesCount64(u))
	}
	return r
}

func (r ranker) rank(id int32) int32 {
	k := id >> 6
	return r.before[k] + int32(bits.OnesCount64(r.used[k]&(1<<(id&63)-1)))
}
