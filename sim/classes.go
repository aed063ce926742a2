package sim

import (
	"math/bits"

	"github.com/smbsim/smbsim/agents"
)

// classes gives every (sector, strategy) pair held by an alive firm a dense
// id, its "class". All firms of a class face the same market, so the market
// computes reach, revenue, margin and profit once per class, and a firm
// finds its class by reading World.cls instead of hashing its strategy.
//
// For crowding radius 1 it also gives a dense id to every masked key
// (sector, dimension d, strategy with practice d zeroed) in use, and keeps
// for each class the ids of its D masked keys: a firm at distance 1 from a
// class shares exactly one of them, so the number of firms within distance
// 1 is a sum of D array reads (see rivals).
//
// Ids are handed out lowest-free-last (a stack of freed ids), which
// depends only on the sequence of joins and leaves: runs stay reproducible.
type classes struct {
	index  *countTable // (strategy, 1+sector) → id+1
	strat  []uint64    // by class id
	sector []uint8
	n      []int32 // alive firms in the class; 0: the id is free
	free   []int32
	live   int

	d      int         // masked keys per class: D for radius 1, else 0
	mIndex *countTable // (masked strategy, 1+sector·D+d) → masked id+1
	mid    []int32     // class id·D+d → masked id
	mN     []int32     // alive firms per masked id
	mFree  []int32

	remap, mRemap, mScratch []int32 // scratch space for compactClasses

	// The market's outcome this tick, by class: reach factor, distances to
	// the first 8 segments of the sector (a byte each), nearest segment,
	// revenue, margin and profit.
	reach  []float64
	dist   []uint64
	near   []uint8
	rev    []float64
	mu     []float64
	profit []float64
}

func newClasses(l agents.Layout, sectors, firms, radius int) *classes {
	kb := l.D * l.B
	c := &classes{index: newCountTable(kb, uint32(sectors), firms+1)}
	if radius > 0 {
		c.d = l.D
		c.mIndex = newCountTable(kb, uint32(sectors*l.D), firms*l.D+1)
		// Masked keys are looked up only when classes come and go, so
		// their table may be fuller: it is the largest table at the start
		// of a big run.
		c.mIndex.maxLoad = 7
	}
	// There are at most as many classes as firms, and at most D masked
	// keys per class. Reserving the capacity up front avoids the garbage
	// of growing by copying; the OS maps only the pages that get used.
	c.strat = make([]uint64, 0, firms)
	c.sector = make([]uint8, 0, firms)
	c.n = make([]int32, 0, firms)
	c.mid = make([]int32, 0, firms*c.d)
	c.mN = make([]int32, 0, firms*c.d)
	c.reach = make([]float64, 0, firms)
	c.dist = make([]uint64, 0, firms)
	c.near = make([]uint8, 0, firms)
	c.rev = make([]float64, 0, firms)
	c.mu = make([]float64, 0, firms)
	c.profit = make([]float64, 0, firms)
	return c
}

// join adds a firm of sector sec with strategy s and returns its class.
func (c *classes) join(l agents.Layout, s uint64, sec int) int32 {
	tag := 1 + uint32(sec)
	if v := c.index.get(s, tag); v != 0 {
		id := v - 1
		c.n[id]++
		for _, m := range c.mid[int(id)*c.d : int(id+1)*c.d] {
			c.mN[m]++
		}
		return id
	}
	id := c.alloc()
	c.index.add(s, tag, id+1)
	c.strat[id], c.sector[id], c.n[id] = s, uint8(sec), 1
	c.live++
	for d := 0; d < c.d; d++ {
		key, mtag := l.Set(s, d, 0), 1+uint32(sec*c.d+d)
		m := c.mIndex.get(key, mtag) - 1
		if m < 0 {
			m = c.allocMasked()
			c.mIndex.add(key, mtag, m+1)
		}
		c.mid[int(id)*c.d+d] = m
		c.mN[m]++
	}
	return id
}

// leave removes a firm from class id.
func (c *classes) leave(l agents.Layout, id int32) {
	c.n[id]--
	s, sec := c.strat[id], int(c.sector[id])
	for d, m := range c.mid[int(id)*c.d : int(id+1)*c.d] {
		if c.mN[m]--; c.mN[m] == 0 {
			c.mIndex.add(l.Set(s, d, 0), 1+uint32(sec*c.d+d), -(m + 1))
			c.mFree = append(c.mFree, m)
		}
	}
	if c.n[id] == 0 {
		c.index.add(s, 1+uint32(sec), -(id + 1))
		c.free = append(c.free, id)
		c.live--
	}
}

func (c *classes) alloc() int32 {
	if k := len(c.free); k > 0 {
		id := c.free[k-1]
		c.free = c.free[:k-1]
		return id
	}
	id := int32(len(c.n))
	c.strat = append(c.strat, 0)
	c.sector = append(c.sector, 0)
	c.n = append(c.n, 0)
	for range c.d {
		c.mid = append(c.mid, 0)
	}
	c.reach = append(c.reach, 0)
	c.dist = append(c.dist, 0)
	c.near = append(c.near, 0)
	c.rev = append(c.rev, 0)
	c.mu = append(c.mu, 0)
	c.profit = append(c.profit, 0)
	return id
}

func (c *classes) allocMasked() int32 {
	if k := len(c.mFree); k > 0 {
		m := c.mFree[k-1]
		c.mFree = c.mFree[:k-1]
		return m
	}
	c.mN = append(c.mN, 0)
	return int32(len(c.mN) - 1)
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

// compactClasses renumbers classes and masked keys densely when freed ids
// make up most of the id range, so that the market's passes over classes,
// and rivals' reads, touch few cache lines: classes keep their order, and
// the masked keys of each class get neighbouring ids. Ids are internal
// (every per-class result is independent of the numbering), so compacting
// changes no result.
func (w *World) compactClasses() {
	c := w.cl
	mLive := len(c.mN) - len(c.mFree)
	if len(c.n) > 2*c.live+256 || len(c.mN) > 2*mLive+1024 {
		w.renumberClasses()
	}
}

// renumberClasses numbers classes and masked keys densely (see
// compactClasses).
func (w *World) renumberClasses() {
	c := w.cl
	mLive := len(c.mN) - len(c.mFree)
	l, dims := w.lay, c.d
	c.remap = resize(c.remap, len(c.n))
	c.mRemap = resize(c.mRemap, len(c.mN))
	for m := range c.mRemap {
		c.mRemap[m] = -1
	}
	c.mScratch = resize(c.mScratch, mLive)
	next, mNext := int32(0), int32(0)
	for id, n := range c.n {
		if n == 0 {
			c.remap[id] = -1
			continue
		}
		// Classes move down (next ≤ id), so nothing unread is overwritten.
		s, sec := c.strat[id], c.sector[id]
		c.remap[id] = next
		c.strat[next], c.sector[next], c.n[next] = s, sec, n
		for d := range dims {
			m := c.mid[id*dims+d]
			if c.mRemap[m] < 0 {
				c.mRemap[m] = mNext
				c.mScratch[mNext] = c.mN[m]
				c.mIndex.add(l.Set(s, d, 0), 1+uint32(int(sec)*dims+d), mNext-m) // stores id+1
				mNext++
			}
			c.mid[int(next)*dims+d] = c.mRemap[m]
		}
		c.index.add(s, 1+uint32(sec), next-int32(id))
		next++
	}
	k := int(next)
	c.strat, c.sector, c.n, c.mid = c.strat[:k], c.sector[:k], c.n[:k], c.mid[:k*dims]
	c.reach, c.dist, c.near = c.reach[:k], c.dist[:k], c.near[:k]
	c.rev, c.mu, c.profit = c.rev[:k], c.mu[:k], c.profit[:k]
	c.mN = append(c.mN[:0], c.mScratch[:mNext]...)
	c.free, c.mFree = c.free[:0], c.mFree[:0]
	for wk, word := range w.alive {
		for ; word != 0; word &= word - 1 {
			i := wk<<6 | bits.TrailingZeros64(word)
			w.cls[i] = c.remap[w.cls[i]]
		}
	}
}

// resize returns s with length n, reusing its storage when it can.
func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
