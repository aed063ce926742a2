package network

import (
	"fmt"
	"math"
	"slices"
)

// fromPairs builds the CSR graph on n nodes from an edge list of pairs
// (pairs[2i], pairs[2i+1]), in either orientation. Self loops are dropped and
// duplicate edges merged. It counts degrees, takes prefix sums, fills the rows,
// then sorts and dedupes each row in place. Apart from the result
// (Offsets and Adj) it allocates nothing; pairs may be garbage afterwards.
func fromPairs(n int, pairs []int32) (*Graph, error) {
	if len(pairs) > math.MaxInt32 {
		return nil, fmt.Errorf("network: %d edges exceed the int32 CSR limit", len(pairs)/2)
	}
	// off[v+2] counts v's degree; after the prefix sum off[v+1] is the start
	// of row v, and filling advances it to the end of row v = start of v+1.
	off := make([]int32, n+2)
	for i := 0; i < len(pairs); i += 2 {
		u, v := pairs[i], pairs[i+1]
		if u == v {
			continue
		}
		off[u+2]++
		off[v+2]++
	}
	for i := 2; i < len(off); i++ {
		off[i] += off[i-1]
	}
	adj := make([]int32, off[n+1])
	for i := 0; i < len(pairs); i += 2 {
		u, v := pairs[i], pairs[i+1]
		if u == v {
			continue
		}
		adj[off[u+1]] = v
		off[u+1]++
		adj[off[v+1]] = u
		off[v+1]++
	}
	// Sort each row and drop duplicates, compacting rows to the left.
	w, start := int32(0), int32(0)
	for v := 0; v < n; v++ {
		end := off[v+1]
		row := adj[start:end]
		if !slices.IsSorted(row) {
			slices.Sort(row)
		}
		// Compare with the last value kept, not row[i-1]: the write
		// position may trail into this row and overwrite it.
		prev := int32(-1)
		for _, x := range row {
			if x == prev {
				continue
			}
			adj[w] = x
			w++
			prev = x
		}
		off[v+1] = w
		start = end
	}
	if int(w) < len(adj) {
		adj = slices.Clone(adj[:w]) // duplicates were merged: release the slack
	}
	return &Graph{Offsets: off[: n+1 : n+1], Adj: adj}, nil
}
