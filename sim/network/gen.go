package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// ringSlots returns the edge list of the ring lattice in which each node is
// linked to its h nearest nodes on each side. Edge (i, i+j mod n), j = 1..h,
// is stored at slot s = i·h + j-1 as pairs[2s], pairs[2s+1] = i, i+j mod n.
func ringSlots(n, h int) []int32 {
	pairs := make([]int32, 2*n*h)
	for i := 0; i < n; i++ {
		for j := 1; j <= h; j++ {
			s := 2 * (i*h + j - 1)
			pairs[s] = int32(i)
			pairs[s+1] = int32((i + j) % n)
		}
	}
	return pairs
}

// wattsStrogatz builds a Watts–Strogatz small world: the ring lattice with h
// neighbours on each side, then each lattice edge (i, i+j) is rewired with
// probability p: its far end moves to a node chosen uniformly among those that
// are neither i nor already linked to i (rejection sampling). As in Watts and
// Strogatz (1998), edges are visited lap by lap: first all (i, i+1) for
// i = 0..n-1 in order, then all (i, i+2), and so on. A node already linked to
// every other node keeps its edge. One Float64 is drawn per lattice edge (none
// when p is 0), plus the IntN draws of each rewiring. The number of edges, n·h,
// and so the mean degree 2h, are preserved exactly.
//
// gonum's SmallWorldsBB (Batagelj–Brandes) is not used: it is a different
// procedure (it resamples edges from the whole G(n, m) index space rather than
// rewiring lattice edges), needs HasEdgeBetween on the destination and a
// map[int]int of replaced indices, and rejects p = 1. The slot layout of
// ringSlots doubles as the edge set: each edge is owned by exactly one slot,
// so {u, w} exists iff a slot of u points to w or a slot of w points to u, a
// 2h-element scan with no extra memory beyond a degree array.
func wattsStrogatz(n, h int, p float64, rng *rand.Rand) []int32 {
	pairs := ringSlots(n, h)
	if p == 0 {
		return pairs
	}
	deg := make([]int32, n)
	for i := range deg {
		deg[i] = int32(2 * h)
	}
	linked := func(u, w int) bool {
		for s := u * h; s < (u+1)*h; s++ {
			if int(pairs[2*s+1]) == w {
				return true
			}
		}
		for s := w * h; s < (w+1)*h; s++ {
			if int(pairs[2*s+1]) == u {
				return true
			}
		}
		return false
	}
	for j := 1; j <= h; j++ {
		for i := 0; i < n; i++ {
			if rng.Float64() >= p {
				continue
			}
			if int(deg[i]) >= n-1 {
				continue // i is linked to everyone: nowhere to rewire to
			}
			w := rng.IntN(n)
			for w == i || linked(i, w) {
				w = rng.IntN(n)
			}
			s := 2*(i*h+j-1) + 1
			deg[pairs[s]]--
			deg[w]++
			pairs[s] = int32(w)
		}
	}
	return pairs
}

// lattice returns the edge list of the width×height grid, node id
// y·width + x, with the von Neumann (4), Moore (8) or radius-2 von Neumann
// (12: every site within two steps) neighbourhood, wrapped
// into a torus or bounded. Each node emits its "forward" half-neighbourhood;
// on tiny tori (a side of 1 or 2) this yields self loops and duplicates, which
// fromPairs drops.
func lattice(width, height int, moore, reach2, wrap bool) []int32 {
	type off struct{ dx, dy int }
	forward := []off{{1, 0}, {0, 1}}
	if moore || reach2 {
		forward = append(forward, off{1, 1}, off{-1, 1})
	}
	if reach2 {
		forward = append(forward, off{2, 0}, off{0, 2})
	}
	pairs := make([]int32, 0, 2*len(forward)*width*height)
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			for _, d := range forward {
				nx, ny := x+d.dx, y+d.dy
				if wrap {
					nx = (nx + width) % width
					ny = (ny + height) % height
				} else if nx < 0 || nx >= width || ny >= height {
					continue
				}
				pairs = append(pairs, int32(y*width+x), int32(ny*width+nx))
			}
		}
	}
	return pairs
}

// barabasiAlbert grows a Barabási–Albert graph: it starts from the complete
// graph on the first m+1 nodes, then each new node v = m+1..n-1 links to m
// distinct earlier nodes chosen with probability proportional to their
// degree. So the graph has exactly m(m+1)/2 + (n-m-1)·m edges and every node
// has degree at least m.
//
// The edge list itself is the degree-weighted urn (Batagelj–Brandes): every
// node appears in it once per incident edge, so a uniform draw from the list
// as it was before v arrived picks a node with probability proportional to
// its degree; repeats within v's m draws are rejected and redrawn. This is
// O(n·m) time and 2·edges int32 of memory.
//
// gonum's gen.PreferentialAttachment is not used: after every new node it
// calls sampleuv.Weighted.ReweightAll over all n weights, which makes it
// O(n²): measured into simple.UndirectedGraph with m=4 it took 0.15 s for
// 10k nodes, 0.58 s for 20k and 2.2 s for 40k, which extrapolates to over
// 20 minutes for a million. Its destination must also be a full
// graph.UndirectedBuilder, in practice gonum's map-based graph.
func barabasiAlbert(n, m int, rng *rand.Rand) []int32 {
	edges := m*(m+1)/2 + (n-m-1)*m
	pairs := make([]int32, 0, 2*edges)
	for u := 0; u <= m; u++ {
		for w := u + 1; w <= m; w++ {
			pairs = append(pairs, int32(u), int32(w))
		}
	}
	chosen := make([]int32, m)
	for v := m + 1; v < n; v++ {
		urn := len(pairs)
		for k := 0; k < m; {
			t := pairs[rng.IntN(urn)]
			if slices.Contains(chosen[:k], t) {
				continue // already linked to v: redraw
			}
			chosen[k] = t
			k++
		}
		for _, t := range chosen {
			pairs = append(pairs, t, int32(v))
		}
	}
	return pairs
}

// sectorBlocks generates a stochastic block model whose blocks are the
// sectors. A node of sector s is linked to each other node of its sector with
// probability pIn(s) = (1-cross)·degree/(n_s-1), capped at 1 (a sector too
// small for the requested within-sector degree becomes a clique), and to each
// node of another sector with one common probability
//
//	pOut = cross·degree·n / Σ_s n_s(n-n_s),
//
// so that the expected cross-sector degree, averaged over nodes, is
// cross·degree (exactly cross·degree for every node when sectors are of equal
// size), and the expected share of cross-sector edges is cross (when no
// within-sector probability is capped). With cross = 0 the sectors are
// disconnected echo chambers. Each block and each pair of blocks is sampled by
// geometric skipping (Batagelj–Brandes), O(n + edges) in total.
//
// This is written directly rather than with gonum because gonum has no block
// model and its gen.Gnp cannot sample the bipartite between-block pairs.
func sectorBlocks(n int, sector []uint8, degree int, cross float64, rng *rand.Rand) ([]int32, error) {
	// Group node ids by sector, ascending within each sector.
	var size [256]int
	for _, s := range sector {
		size[s]++
	}
	var start [257]int
	for s := 0; s < 256; s++ {
		start[s+1] = start[s] + size[s]
	}
	members := make([]int32, n)
	fill := start
	for v, s := range sector {
		members[fill[s]] = int32(v)
		fill[s]++
	}
	block := func(s int) []int32 { return members[start[s]:start[s+1]] }

	var pairsCross float64 // Σ_s n_s(n-n_s) = 2·(number of cross-sector pairs)
	for s := 0; s < 256; s++ {
		pairsCross += float64(size[s]) * float64(n-size[s])
	}
	pOut := 0.0
	if cross > 0 {
		if pairsCross == 0 {
			return nil, fmt.Errorf("sector_block: cross share %v needs at least two sectors", cross)
		}
		pOut = cross * float64(degree) * float64(n) / pairsCross
		if pOut > 1 {
			return nil, fmt.Errorf("sector_block: cross-sector degree %.3g (cross share %v × degree %d) exceeds what the other sectors allow (link probability %.3g > 1)",
				cross*float64(degree), cross, degree, pOut)
		}
	}
	expected := float64(n) * float64(degree) / 2 // expected edges (fewer if some pIn is capped)
	pairs := make([]int32, 0, 2*int(expected+6*math.Sqrt(expected)+16))

	for s := 0; s < 256; s++ {
		b := block(s)
		ns := len(b)
		if ns < 2 {
			continue
		}
		pIn := min(1, (1-cross)*float64(degree)/float64(ns-1))
		// Pairs (w, v) with w < v < ns, indexed in order v=1: w=0; v=2: w=0,1; ...
		v, w := 1, -1
		skipping(pIn, int64(ns)*int64(ns-1)/2, rng, func(step int64) {
			w += int(step)
			for w >= v {
				w -= v
				v++
			}
			pairs = append(pairs, b[w], b[v])
		})
	}
	if pOut > 0 {
		for s := 0; s < 256; s++ {
			bs := block(s)
			if len(bs) == 0 {
				continue
			}
			for t := s + 1; t < 256; t++ {
				bt := block(t)
				if len(bt) == 0 {
					continue
				}
				nt := int64(len(bt))
				var idx int64 = -1
				skipping(pOut, int64(len(bs))*nt, rng, func(step int64) {
					idx += step
					pairs = append(pairs, bs[idx/nt], bt[idx%nt])
				})
			}
		}
	}
	return pairs, nil
}

// skipping visits each of total positions independently with probability p,
// by geometric skipping: emit is called with the distance from the previously
// chosen position (from -1 for the first), one Float64 drawn per chosen
// position plus one for the final overshoot.
func skipping(p float64, total int64, rng *rand.Rand, emit func(step int64)) {
	if p <= 0 || total <= 0 {
		return
	}
	if p >= 1 {
		for i := int64(0); i < total; i++ {
			emit(1)
		}
		return
	}
	lp := math.Log1p(-p)
	left := total // positions after the last chosen one
	for {
		skip := math.Floor(math.Log1p(-rng.Float64()) / lp) // failures before the next success
		if skip >= float64(left) {
			return
		}
		step := int64(skip) + 1
		left -= step
		emit(step)
	}
}
