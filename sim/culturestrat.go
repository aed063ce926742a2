package sim

// strategyTable counts the sites on each distinct strategy of a Culture
// run tick by tick. A strategy has a slot (reused once no site holds it)
// and is found by a 64-bit hash of its features that each site keeps up to
// date (the xor of one fixed value per dimension and option, see
// cultureHash), in an open-addressing index; a hash match is confirmed on
// the features, so the counts are exact whatever the hashes.
type strategyTable struct {
	f     int
	keys  []uint8  // slot k's features: keys[k*f : (k+1)*f]
	hash  []uint64 // slot k's hash
	count []int32  // slot k's sites (0: free)
	free  []int32  // free slots
	idx   []int32  // slot+1 at the hash's position or after it (linear probing), 0: empty
	mask  uint64
}

// newStrategyTable returns the table of n sites with f features.
func newStrategyTable(n, f int) strategyTable {
	size := 4
	for size < 2*n {
		size *= 2
	}
	return strategyTable{f: f, keys: make([]uint8, 0, n*f), hash: make([]uint64, 0, n), count: make([]int32, 0, n),
		idx: make([]int32, size), mask: uint64(size - 1)}
}

// cultureHash is the hash value of option o on dimension d (a fixed
// mixing function, splitmix64's finaliser, not a random draw).
func cultureHash(d, o int) uint64 {
	z := uint64(d)<<32 | uint64(o) + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// key returns slot k's features.
func (t *strategyTable) key(k int32) []uint8 { return t.keys[int(k)*t.f : int(k+1)*t.f] }

// find returns the index position of strategy s with hash h and its slot,
// or the empty position where it would go and −1.
func (t *strategyTable) find(s []uint8, h uint64) (pos uint64, slot int32) {
	for pos = h & t.mask; ; pos = (pos + 1) & t.mask {
		e := t.idx[pos]
		if e == 0 {
			return pos, -1
		}
		if k := e - 1; t.hash[k] == h && string(t.key(k)) == string(s) {
			return pos, k
		}
	}
}

// add returns the slot of strategy s of hash h, taking a free slot (count
// 0) if no site holds s, and whether it did; the caller counts the site.
func (t *strategyTable) add(s []uint8, h uint64) (slot int32, isNew bool) {
	pos, k := t.find(s, h)
	if k < 0 {
		if l := len(t.free); l > 0 {
			k, t.free = t.free[l-1], t.free[:l-1]
			copy(t.key(k), s)
			t.hash[k] = h
		} else {
			k = int32(len(t.count))
			t.keys, t.hash, t.count = append(t.keys, s...), append(t.hash, h), append(t.count, 0)
		}
		t.idx[pos] = k + 1
	}
	return k, t.count[k] == 0
}

// drop removes slot k (no site holds it any more) from the index and
// frees it, shifting back the entries probed past it.
func (t *strategyTable) drop(k int32) {
	i, _ := t.find(t.key(k), t.hash[k])
	for j := i; ; {
		j = (j + 1) & t.mask
		e := t.idx[j]
		if e == 0 {
			break
		}
		// The entry at j stays unless its home position is not in (i, j].
		if home := t.hash[e-1] & t.mask; (j-home)&t.mask < (j-i)&t.mask {
			continue
		}
		t.idx[i], i = e, j
	}
	t.idx[i] = 0
	t.free = append(t.free, k)
}
