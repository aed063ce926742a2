package sim

// countTable counts occurrences of (key, tag) pairs with open addressing
// and linear probing. Entries whose count falls to zero stay in place (so a
// strategy that comes back finds its slot) until the table is rebuilt.
// Tag 0 marks an empty slot. No method allocates except when the table
// must grow.
type countTable struct {
	e     []entry
	spare []entry // rebuild buffer of the same size
	shift uint
	used  int // occupied slots, zero counts included
	live  int // slots with a non-zero count
}

type entry struct {
	key uint64
	tag uint32
	n   int32
}

func newCountTable(capacity int) *countTable {
	size := 16
	for size < 2*capacity {
		size *= 2
	}
	t := &countTable{}
	t.alloc(size)
	return t
}

func (t *countTable) alloc(size int) {
	t.e = make([]entry, size)
	t.spare = nil
	t.shift = uint(64 - log2(size))
}

func log2(n int) int {
	k := 0
	for 1<<k < n {
		k++
	}
	return k
}

func (t *countTable) find(key uint64, tag uint32) int {
	h := (key ^ uint64(tag)*0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9
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
	return t.e[t.find(key, tag)].n
}

// add changes the count of (key, tag) by delta and returns the old count.
func (t *countTable) add(key uint64, tag uint32, delta int32) int32 {
	i := t.find(key, tag)
	e := &t.e[i]
	if e.tag == 0 {
		e.key, e.tag = key, tag
		t.used++
	}
	old := e.n
	e.n += delta
	switch {
	case old == 0 && e.n != 0:
		t.live++
	case old != 0 && e.n == 0:
		t.live--
	}
	if t.used*4 > len(t.e)*3 {
		t.rebuild()
	}
	return old
}

// rebuild drops zero-count entries, doubling the size when live entries
// alone fill more than a third of it.
func (t *countTable) rebuild() {
	old := t.e
	if t.live*3 > len(old) {
		t.alloc(2 * len(old))
	} else {
		if len(t.spare) != len(old) {
			t.spare = make([]entry, len(old))
		}
		t.e, t.spare = t.spare, old
		clear(t.e)
	}
	t.used = 0
	for _, e := range old {
		if e.n != 0 {
			i := t.find(e.key, e.tag)
			t.e[i] = e
			t.used++
		}
	}
}

// each calls f for every entry with a non-zero count, in slot order.
func (t *countTable) each(f func(key uint64, tag uint32, n int32)) {
	for _, e := range t.e {
		if e.n != 0 {
			f(e.key, e.tag, e.n)
		}
	}
}
