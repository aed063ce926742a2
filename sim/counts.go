package sim

import (
	"math/bits"
	"runtime"

	"github.com/smbsim/smbsim/agents"
)

// bigTable is the number of slots from which a table's resizing triggers
// a garbage collection (8 MiB of packed entries).
const bigTable = 1 << 20

// countTable counts occurrences of (key, tag) pairs, tag ≥ 1, in an open
// addressing hash table with linear probing; the classes also use it to map
// a pair to an id + 1 (see relabel). An entry whose count falls to zero is
// deleted at once (backward-shift deletion, no tombstones), so the table
// holds only live pairs and stays small and cache-friendly: it grows when
// live pairs fill 3/4 of it (see overfull) and shrinks when they fill less
// than 1/16. No method allocates except when the table is resized.
//
// When a pair and a count fit in 64 bits (key bits + tag bits + count bits,
// where a count never exceeds maxCount), an entry is one packed word,
// (key | tag<<keyBits)<<countBits | count; otherwise it is a 16-byte entry.
type countTable struct {
	packed bool
	p      []uint64 // packed entries; 0 is empty
	e      []entry  // general entries; tag 0 is empty
	keyBits,
	countBits uint
	countMask uint64
	shift     uint // 64 − log2(size)
	live      int  // entries (all with a non-zero count)
	minSize   int
	bigLoad   int // for bigTable slots and more, see overfull
}

type entry struct {
	key uint64
	tag uint32
	n   int32
}

// newCountTable returns a table for keys of keyBits bits, tags up to
// maxTag and counts up to maxCount.
func newCountTable(keyBits int, maxTag uint32, maxCount int) *countTable {
	t := &countTable{keyBits: uint(keyBits), minSize: 16, bigLoad: 6}
	cb := bits.Len(uint(maxCount))
	if keyBits+bits.Len32(maxTag)+cb <= 64 {
		t.packed = true
		t.countBits = uint(64 - keyBits - bits.Len32(maxTag))
		t.countMask = 1<<t.countBits - 1
	}
	t.alloc(t.minSize)
	return t
}

func (t *countTable) size() int {
	if t.packed {
		return len(t.p)
	}
	return len(t.e)
}

func (t *countTable) alloc(size int) {
	if t.packed {
		t.p = make([]uint64, size)
	} else {
		t.e = make([]entry, size)
	}
	t.shift = uint(64 - bits.TrailingZeros(uint(size)))
}

func hashKey(key uint64, tag uint32) uint64 {
	return (key ^ uint64(tag)*0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9
}

// overfull reports whether k more entries would fill the table beyond its
// maximum load, in eighths: 6/8, or bigLoad/8 for tables of bigTable slots
// or more, where memory matters more than the length of probe runs.
func (t *countTable) overfull(k int) bool {
	load := 6
	if t.size() >= bigTable {
		load = t.bigLoad
	}
	return (t.live+k)*8 > t.size()*load
}

// bigFull reports whether the table has bigTable slots or more and adding
// k new entries would make it grow.
func (t *countTable) bigFull(k int) bool { return t.size() >= bigTable && t.overfull(k) }

// find returns the slot of (key, tag), or the empty slot where it would go.
func (t *countTable) find(key uint64, tag uint32) int {
	h := hashKey(key, tag)
	if t.packed {
		pk := key | uint64(tag)<<t.keyBits
		mask := len(t.p) - 1
		for i := int(h >> t.shift); ; i = (i + 1) & mask {
			v := t.p[i]
			if v == 0 || v>>t.countBits == pk {
				return i
			}
		}
	}
	mask := len(t.e) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		e := &t.e[i]
		if e.tag == 0 || (e.key == key && e.tag == tag) {
			return i
		}
	}
}

// get returns the count of (key, tag).
func (t *countTable) get(key uint64, tag uint32) int32 {
	i := t.find(key, tag)
	if t.packed {
		return int32(t.p[i] & t.countMask)
	}
	return t.e[i].n
}

// add changes the count of (key, tag) by delta and returns the old count.
// The count must stay ≥ 0.
func (t *countTable) add(key uint64, tag uint32, delta int32) int32 {
	i := t.find(key, tag)
	var old, nw int32
	if t.packed {
		v := t.p[i]
		old = int32(v & t.countMask)
		nw = old + delta
		if v == 0 {
			v = (key | uint64(tag)<<t.keyBits) << t.countBits
		}
		t.p[i] = v&^t.countMask | uint64(nw)
	} else {
		e := &t.e[i]
		if e.tag == 0 {
			e.key, e.tag = key, tag
		}
		old = e.n
		e.n += delta
		nw = e.n
	}
	switch {
	case old == 0 && nw != 0:
		t.live++
		if t.overfull(0) {
			t.resize(2 * t.size())
		}
	case old != 0 && nw == 0:
		t.live--
		t.remove(i)
		if t.live*16 < t.size() && t.size() > t.minSize {
			t.resize(t.size() / 2)
		}
	}
	return old
}

// home returns the home slot of the entry in slot i.
func (t *countTable) home(i int) int {
	if t.packed {
		pk := t.p[i] >> t.countBits
		return int(hashKey(pk&(1<<t.keyBits-1), uint32(pk>>t.keyBits)) >> t.shift)
	}
	return int(hashKey(t.e[i].key, t.e[i].tag) >> t.shift)
}

// remove empties slot i, shifting back later entries of its probe run.
func (t *countTable) remove(i int) {
	mask := t.size() - 1
	for j := (i + 1) & mask; ; j = (j + 1) & mask {
		if t.packed && t.p[j] == 0 || !t.packed && t.e[j].tag == 0 {
			break
		}
		// The entry at j may move to i if i lies on its probe path, that is
		// cyclically in [home, j).
		if h := t.home(j); (j-h)&mask >= (j-i)&mask {
			if t.packed {
				t.p[i] = t.p[j]
			} else {
				t.e[i] = t.e[j]
			}
			i = j
		}
	}
	if t.packed {
		t.p[i] = 0
	} else {
		t.e[i] = entry{}
	}
}

// resize rehashes every entry into a table of the given size.
func (t *countTable) resize(size int) {
	oldP, oldE := t.p, t.e
	if max(len(oldP), len(oldE)) >= bigTable {
		// Collect the old table at once: a big run's tables resize in
		// bursts (growing at the start, shrinking in the shakeout), and
		// between collections their garbage would add to the peak memory.
		defer runtime.GC()
	}
	t.alloc(size)
	for _, v := range oldP {
		if v != 0 {
			pk := v >> t.countBits
			t.p[t.find(pk&(1<<t.keyBits-1), uint32(pk>>t.keyBits))] = v
		}
	}
	for _, e := range oldE {
		if e.tag != 0 {
			t.e[t.find(e.key, e.tag)] = e
		}
	}
}

// relabel replaces every entry's count c by newID(c−1)+1: the table maps
// keys to ids + 1, and newID renumbers the ids.
func (t *countTable) relabel(newID func(int32) int32) {
	for i, v := range t.p {
		if v != 0 {
			t.p[i] = v&^t.countMask | uint64(newID(int32(v&t.countMask)-1)+1)
		}
	}
	for i := range t.e {
		if e := &t.e[i]; e.tag != 0 {
			e.n = newID(e.n-1) + 1
		}
	}
}

// each calls f for every entry, in slot order.
func (t *countTable) each(f func(key uint64, tag uint32, n int32)) {
	if t.packed {
		for _, v := range t.p {
			if v != 0 {
				pk := v >> t.countBits
				f(pk&(1<<t.keyBits-1), uint32(pk>>t.keyBits), int32(v&t.countMask))
			}
		}
		return
	}
	for _, e := range t.e {
		if e.tag != 0 {
			f(e.key, e.tag, e.n)
		}
	}
}

// strategyCounts counts the alive firms using each strategy (World.exact).
// Where the strategy space is small, at most denseMax strategies and
// denseFirms strategies per firm, the counts are an array indexed by the
// strategy's number (its options as the digits of a number in base Q),
// which costs no hashing, no probing and no insertion or deletion of
// entries; otherwise they are a countTable. Only World.TopStrategies reads
// the entries one by one, in an order it does not depend on.
type strategyCounts struct {
	live  int     // strategies with a non-zero count in dense
	dense []int32 // by strategy number; nil: table holds the counts
	pow   []int   // pow[d] = Q^d, the weight of practice d's option
	mask  uint64  // B ones
	b     int     // bits per practice
	table *countTable
}

const (
	denseMax   = 1 << 20 // 4 MiB of counts
	denseFirms = 16      // at most 64 bytes per firm
)

// newStrategyCounts returns the counts of the strategies of lay, for up to
// n firms.
func newStrategyCounts(lay agents.Layout, n int) *strategyCounts {
	c := &strategyCounts{mask: 1<<lay.B - 1, b: lay.B}
	size := 1
	for range lay.D {
		c.pow = append(c.pow, size)
		if size *= lay.Q; size > min(denseMax, denseFirms*max(n, 1)) {
			c.pow = nil
			c.table = newCountTable(lay.D*lay.B, 1, n)
			return c
		}
	}
	c.dense = make([]int32, size)
	return c
}

// number returns the index of strategy s in c.dense.
func (c *strategyCounts) number(s uint64) int {
	x := 0
	for d, p := range c.pow {
		x += int(s>>(d*c.b)&c.mask) * p
	}
	return x
}

// addDense changes the count of strategy s by delta and returns the old
// count, in dense counts (c.table nil; World.countExact adds to the table
// itself, saving a call on the market's path). The count must stay ≥ 0.
func (c *strategyCounts) addDense(s uint64, delta int32) int32 {
	p := &c.dense[c.number(s)]
	old := *p
	*p += delta
	c.live += b2i(*p != 0) - b2i(old != 0)
	return old
}

// moveDense moves one count from strategy old to s (old ≠ s) in dense
// counts and returns their counts before.
func (c *strategyCounts) moveDense(old, s uint64) (co, cs int32) {
	d := c.dense
	po, ps := &d[c.number(old)], &d[c.number(s)]
	co, cs = *po, *ps
	*po, *ps = co-1, cs+1
	c.live += b2i(cs == 0) - b2i(co == 1)
	return co, cs
}

// distinct returns the number of strategies with a non-zero count.
func (c *strategyCounts) distinct() int {
	if c.table != nil {
		return c.table.live
	}
	return c.live
}

// each calls f for every strategy with a non-zero count.
func (c *strategyCounts) each(f func(s uint64, n int32)) {
	if c.dense == nil {
		c.table.each(func(key uint64, _ uint32, n int32) { f(key, n) })
		return
	}
	for x, n := range c.dense {
		if n == 0 {
			continue
		}
		var s uint64
		for d := len(c.pow) - 1; d >= 0; d-- {
			s |= uint64(x/c.pow[d]) << (d * c.b)
			x %= c.pow[d]
		}
		f(s, n)
	}
}
