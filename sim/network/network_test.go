package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func newRng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// checkSimple verifies the CSR invariants: offsets monotone, rows strictly
// ascending (so no duplicates), no self loops, ids in range, symmetry.
func checkSimple(t *testing.T, g *Graph) {
	t.Helper()
	n := g.N()
	if len(g.Offsets) != n+1 || g.Offsets[0] != 0 || int(g.Offsets[n]) != len(g.Adj) {
		t.Fatalf("bad offsets: len %d, first %d, last %d, len(Adj) %d", len(g.Offsets), g.Offsets[0], g.Offsets[n], len(g.Adj))
	}
	if len(g.Adj)%2 != 0 {
		t.Fatalf("odd adjacency length %d", len(g.Adj))
	}
	for v := 0; v < n; v++ {
		if g.Offsets[v] > g.Offsets[v+1] {
			t.Fatalf("offsets decrease at %d", v)
		}
		row := g.Neighbours(v)
		for i, u := range row {
			if u < 0 || int(u) >= n {
				t.Fatalf("node %d: neighbour %d out of range", v, u)
			}
			if int(u) == v {
				t.Fatalf("self loop at %d", v)
			}
			if i > 0 && row[i-1] >= u {
				t.Fatalf("node %d: row not strictly ascending: %v", v, row)
			}
			if _, ok := slices.BinarySearch(g.Neighbours(int(u)), int32(v)); !ok {
				t.Fatalf("asymmetric: %d in N(%d) but %d not in N(%d)", u, v, v, u)
			}
		}
	}
}

func build(t *testing.T, p Params, n int, sector []uint8, seed uint64) *Graph {
	t.Helper()
	g, err := Build(p, n, sector, newRng(seed))
	if err != nil {
		t.Fatalf("Build(%+v, %d): %v", p, n, err)
	}
	if !g.Complete {
		checkSimple(t, g)
	}
	return g
}

func degreeRange(g *Graph) (lo, hi int, sum int) {
	lo = math.MaxInt
	for v := 0; v < g.N(); v++ {
		d := g.Degree(v)
		lo, hi, sum = min(lo, d), max(hi, d), sum+d
	}
	return lo, hi, sum
}

func TestRing(t *testing.T) {
	for _, tc := range []struct{ n, k int }{{3, 2}, {10, 2}, {10, 4}, {11, 10}, {1000, 8}} {
		t.Run(fmt.Sprintf("n%d_k%d", tc.n, tc.k), func(t *testing.T) {
			g := build(t, Params{Kind: KindRing, Degree: tc.k}, tc.n, nil, 1)
			lo, hi, _ := degreeRange(g)
			if lo != tc.k || hi != tc.k {
				t.Errorf("degrees in [%d,%d], want all %d", lo, hi, tc.k)
			}
			if g.Edges() != tc.n*tc.k/2 {
				t.Errorf("edges %d, want %d", g.Edges(), tc.n*tc.k/2)
			}
			h := tc.k / 2
			var want []int32
			for j := 1; j <= h; j++ {
				want = append(want, int32(j), int32(tc.n-j))
			}
			slices.Sort(want)
			if got := g.Neighbours(0); !slices.Equal(got, want) {
				t.Errorf("N(0) = %v, want %v", got, want)
			}
		})
	}
}

func TestLattice(t *testing.T) {
	// Degrees of corner (0,0), border (1,0) and interior (1,1) nodes.
	for _, tc := range []struct {
		name                     string
		w, h                     int
		moore, wrap              bool
		corner, border, interior int
		edges                    int
	}{
		{"axelrod_10x10_vonneumann", 10, 10, false, false, 2, 3, 4, 2*100 - 10 - 10},
		{"moore_bounded", 10, 10, true, false, 3, 5, 8, 2*100 - 10 - 10 + 2*9*9},
		{"vonneumann_torus", 10, 7, false, true, 4, 4, 4, 2 * 70},
		{"moore_torus", 10, 7, true, true, 8, 8, 8, 4 * 70},
		{"rectangular_bounded", 5, 3, false, false, 2, 3, 4, 2*15 - 5 - 3},
		// 2×3 torus: left and right neighbours coincide, so von Neumann
		// degree is 1 + 2; duplicates must be merged.
		{"tiny_torus_2x3", 2, 3, false, true, 3, 3, 3, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.w * tc.h
			g := build(t, Params{Kind: KindLattice, Width: tc.w, Height: tc.h, Moore: tc.moore, Wrap: tc.wrap}, n, nil, 1)
			id := func(x, y int) int { return y*tc.w + x }
			if d := g.Degree(id(0, 0)); d != tc.corner {
				t.Errorf("corner degree %d, want %d", d, tc.corner)
			}
			if d := g.Degree(id(tc.w-1, tc.h-1)); d != tc.corner {
				t.Errorf("far corner degree %d, want %d", d, tc.corner)
			}
			if d := g.Degree(id(1, 0)); d != tc.border {
				t.Errorf("border degree %d, want %d", d, tc.border)
			}
			if d := g.Degree(id(1, 1)); d != tc.interior {
				t.Errorf("interior degree %d, want %d", d, tc.interior)
			}
			if g.Edges() != tc.edges {
				t.Errorf("edges %d, want %d", g.Edges(), tc.edges)
			}
		})
	}
	// Node id = y*Width + x: (1,1) in a bounded 4×3 von Neumann grid.
	g := build(t, Params{Kind: KindLattice, Width: 4, Height: 3}, 12, nil, 1)
	if got, want := g.Neighbours(5), []int32{1, 4, 6, 9}; !slices.Equal(got, want) {
		t.Errorf("N(5) = %v, want %v", got, want)
	}
}

func TestSmallWorld(t *testing.T) {
	const n, k = 2000, 8
	ring := build(t, Params{Kind: KindRing, Degree: k}, n, nil, 1)
	ws0 := build(t, Params{Kind: KindSmallWorld, Degree: k, Rewire: 0}, n, nil, 7)
	if !slices.Equal(ring.Offsets, ws0.Offsets) || !slices.Equal(ring.Adj, ws0.Adj) {
		t.Error("small_world with rewire 0 differs from ring")
	}
	for _, p := range []float64{0.01, 0.1, 0.5, 1} {
		t.Run(fmt.Sprint("rewire", p), func(t *testing.T) {
			g := build(t, Params{Kind: KindSmallWorld, Degree: k, Rewire: p}, n, nil, 3)
			if g.Edges() != n*k/2 {
				t.Errorf("edges %d, want exactly %d", g.Edges(), n*k/2)
			}
			// Each node keeps its own k/2 "forward" edges, so degree ≥ k/2.
			lo, _, sum := degreeRange(g)
			if lo < k/2 || sum != n*k {
				t.Errorf("min degree %d (want ≥ %d), degree sum %d (want %d)", lo, k/2, sum, n*k)
			}
			// Count lattice edges that survived; expect about (1-p)·n·k/2.
			kept := 0
			for v := 0; v < n; v++ {
				for _, u := range g.Neighbours(v) {
					d := (int(u) - v + n) % n
					if d >= 1 && d <= k/2 {
						kept++
					}
				}
			}
			m := float64(n * k / 2)
			mean, sd := (1-p)*m, math.Sqrt(m*p*(1-p))
			// Rewired edges can land back on lattice positions (prob ≈ k/n each).
			if f := float64(kept); f < mean-4*sd-1 || f > mean+4*sd+p*m*float64(k)/float64(n)*3+1 {
				t.Errorf("kept %d lattice edges, want about %.0f ± %.0f", kept, mean, 4*sd)
			}
		})
	}
	// Small dense case: degree n-1 leaves nothing to rewire to.
	g := build(t, Params{Kind: KindSmallWorld, Degree: 10, Rewire: 1}, 11, nil, 1)
	if g.Edges() != 55 {
		t.Errorf("K11 small world: %d edges, want 55", g.Edges())
	}
}

func TestScaleFree(t *testing.T) {
	for _, tc := range []struct{ n, m int }{{2, 1}, {5, 4}, {100, 1}, {20000, 2}, {20000, 4}} {
		t.Run(fmt.Sprintf("n%d_m%d", tc.n, tc.m), func(t *testing.T) {
			g := build(t, Params{Kind: KindScaleFree, Attach: tc.m}, tc.n, nil, 5)
			want := tc.m*(tc.m+1)/2 + (tc.n-tc.m-1)*tc.m
			if g.Edges() != want {
				t.Errorf("edges %d, want exactly %d", g.Edges(), want)
			}
			lo, hi, _ := degreeRange(g)
			if lo < tc.m {
				t.Errorf("min degree %d < attach %d", lo, tc.m)
			}
			if tc.n >= 20000 && hi < 20*tc.m {
				t.Errorf("max degree %d: no hubs (want ≥ %d)", hi, 20*tc.m)
			}
			if comp, _ := g.Components(nil, nil); tc.m == 1 && comp != 1 {
				t.Errorf("BA tree with m=1 is not connected")
			}
		})
	}
}

func TestRandom(t *testing.T) {
	const n, k = 200000, 8
	g := build(t, Params{Kind: KindRandom, Degree: k}, n, nil, 11)
	p := float64(k) / float64(n-1)
	pairs := float64(n) * float64(n-1) / 2
	mean, sd := p*pairs, math.Sqrt(pairs*p*(1-p))
	if e := float64(g.Edges()); math.Abs(e-mean) > 4*sd {
		t.Errorf("edges %v, want %.0f ± %.0f (4 sd)", e, mean, 4*sd)
	}
	// Degree p = 1 gives the complete graph, materialised.
	g = build(t, Params{Kind: KindRandom, Degree: 9}, 10, nil, 1)
	if g.Edges() != 45 {
		t.Errorf("G(10, 1) has %d edges, want 45", g.Edges())
	}
}

func TestSectorBlock(t *testing.T) {
	const n, k, sectors = 30000, 10, 5
	sector := make([]uint8, n)
	for v := range sector {
		sector[v] = uint8((v*7 + v/3) % sectors) // interleaved ids
	}
	size := make([]int, sectors)
	for _, s := range sector {
		size[s]++
	}
	for _, c := range []float64{0, 0.2, 0.7, 1} {
		t.Run(fmt.Sprint("cross", c), func(t *testing.T) {
			g := build(t, Params{Kind: KindSectorBlock, Degree: k, CrossShare: c}, n, sector, 13)
			var x, w int
			for v := 0; v < n; v++ {
				for _, u := range g.Neighbours(v) {
					if int(u) < v {
						continue
					}
					if sector[u] != sector[v] {
						x++
					} else {
						w++
					}
				}
			}
			// Expected counts and binomial sds.
			var crossPairs, sumNs float64
			var meanW, varW float64
			for _, ns := range size {
				crossPairs += float64(ns) * float64(n-ns) / 2
				sumNs += float64(ns) * float64(n-ns)
				pin := (1 - c) * k / float64(ns-1)
				pp := float64(ns) * float64(ns-1) / 2
				meanW += pin * pp
				varW += pp * pin * (1 - pin)
			}
			pout := c * k * n / sumNs
			meanX, varX := pout*crossPairs, crossPairs*pout*(1-pout)
			if math.Abs(float64(x)-meanX) > 4*math.Sqrt(varX) {
				t.Errorf("cross edges %d, want %.0f ± %.0f", x, meanX, 4*math.Sqrt(varX))
			}
			if math.Abs(float64(w)-meanW) > 4*math.Sqrt(varW) {
				t.Errorf("within edges %d, want %.0f ± %.0f", w, meanW, 4*math.Sqrt(varW))
			}
			// Share of cross edges: delta-method sd of X/(X+W).
			tot := meanX + meanW
			sdShare := math.Sqrt(meanW*meanW*varX+meanX*meanX*varW) / (tot * tot)
			if share := float64(x) / float64(x+w); math.Abs(share-c) > 4*sdShare+1e-12 {
				t.Errorf("cross share %.4f, want %.2f ± %.4f", share, c, 4*sdShare)
			}
			if c == 0 {
				if x != 0 {
					t.Errorf("cross share 0 but %d cross edges", x)
				}
				if comp, _ := g.Components(nil, nil); comp < sectors {
					t.Errorf("echo chambers: %d components, want ≥ %d", comp, sectors)
				}
			}
		})
	}
	t.Run("tiny_sector_is_clique", func(t *testing.T) {
		sec := make([]uint8, 200)
		for v := 0; v < 3; v++ {
			sec[v] = 1
		}
		g := build(t, Params{Kind: KindSectorBlock, Degree: 8, CrossShare: 0}, 200, sec, 1)
		for v := 0; v < 3; v++ {
			if g.Degree(v) != 2 {
				t.Errorf("node %d of 3-node sector has degree %d, want 2 (clique)", v, g.Degree(v))
			}
		}
	})
}

func TestComplete(t *testing.T) {
	g := build(t, Params{Kind: KindComplete}, 1000000, nil, 1)
	if !g.Complete || g.Offsets != nil || g.Adj != nil {
		t.Fatal("complete graph was materialised")
	}
	if g.N() != 1000000 || g.Degree(5) != 999999 || g.Edges() != 1000000*999999/2 || g.Neighbours(5) != nil {
		t.Errorf("N %d, Degree %d, Edges %d, Neighbours %v", g.N(), g.Degree(5), g.Edges(), g.Neighbours(5))
	}
	if comp, big := g.Components(nil, nil); comp != -1 || big != -1 {
		t.Error("Components of complete graph should be -1, -1")
	}
	small := NewComplete(4)
	rng := newRng(2)
	seen := map[int]int{}
	for range 4000 {
		seen[small.SampleNeighbour(2, rng)]++
	}
	if len(seen) != 3 || seen[2] != 0 {
		t.Errorf("complete SampleNeighbour(2) hit %v, want each of 0, 1, 3", seen)
	}
	for u, c := range seen {
		if c < 1200 || c > 1470 {
			t.Errorf("node %d sampled %d/4000 times, want about 1333", u, c)
		}
	}
	if NewComplete(1).SampleNeighbour(0, rng) != -1 {
		t.Error("single node has no neighbour")
	}
}

func TestSampleNeighbour(t *testing.T) {
	g, _ := fromPairs(5, []int32{0, 1, 0, 2, 0, 3})
	rng := newRng(3)
	seen := map[int]bool{}
	for range 300 {
		seen[g.SampleNeighbour(0, rng)] = true
	}
	if len(seen) != 3 || !seen[1] || !seen[2] || !seen[3] {
		t.Errorf("SampleNeighbour(0) hit %v, want 1, 2, 3", seen)
	}
	if g.SampleNeighbour(1, rng) != 0 || g.SampleNeighbour(4, rng) != -1 {
		t.Error("SampleNeighbour of leaf or isolated node wrong")
	}
}

func TestFromPairsDedupe(t *testing.T) {
	g, err := fromPairs(4, []int32{2, 1, 1, 2, 3, 3, 0, 1, 1, 0, 2, 1, 3, 0})
	if err != nil {
		t.Fatal(err)
	}
	checkSimple(t, g)
	if !slices.Equal(g.Offsets, []int32{0, 2, 4, 5, 6}) || !slices.Equal(g.Adj, []int32{1, 3, 0, 2, 1, 0}) {
		t.Errorf("got Offsets %v Adj %v", g.Offsets, g.Adj)
	}
	if g.Edges() != 3 {
		t.Errorf("edges %d, want 3", g.Edges())
	}
}

func TestComponents(t *testing.T) {
	// 0-1-2-3 path, 4-5, 6 isolated, 7-8-9 triangle.
	g, _ := fromPairs(10, []int32{0, 1, 1, 2, 2, 3, 4, 5, 7, 8, 8, 9, 9, 7})
	colour := []int{0, 0, 1, 1, 2, 2, 3, 4, 4, 5}
	same := func(u, v int) bool { return colour[u] == colour[v] }
	aliveAll := func(int) bool { return true }
	no1 := func(v int) bool { return v != 1 && v != 8 }
	for _, tc := range []struct {
		name  string
		same  func(u, v int) bool
		alive func(v int) bool
		want  int
		big   int // nodes in the largest component
	}{
		{"plain", nil, nil, 4, 4},
		{"plain_alive_func", nil, aliveAll, 4, 4},
		{"colours", same, nil, 6, 2}, // {0,1} {2,3} {4,5} {6} {7,8} {9}
		{"dead_cut", nil, no1, 5, 2}, // {0} {2,3} {4,5} {6} {7,9}
		{"colours_dead", same, no1, 6, 2},
		{"none_alive", nil, func(int) bool { return false }, 0, 0},
	} {
		if got, big := g.Components(tc.same, tc.alive); got != tc.want || big != tc.big {
			t.Errorf("%s: %d components, the largest of %d nodes, want %d, %d", tc.name, got, big, tc.want, tc.big)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { g.Components(same, no1) }); allocs != 0 {
		t.Errorf("Components allocates %v times per call after the first", allocs)
	}
}

func TestDeterminism(t *testing.T) {
	const n = 3000
	sector := make([]uint8, n)
	for v := range sector {
		sector[v] = uint8(v % 4)
	}
	for _, p := range []Params{
		{Kind: KindSmallWorld, Degree: 6, Rewire: 0.2},
		{Kind: KindScaleFree, Attach: 3},
		{Kind: KindRandom, Degree: 6},
		{Kind: KindSectorBlock, Degree: 6, CrossShare: 0.3},
	} {
		t.Run(p.Kind, func(t *testing.T) {
			a := build(t, p, n, sector, 42)
			b := build(t, p, n, sector, 42)
			c := build(t, p, n, sector, 43)
			if !slices.Equal(a.Offsets, b.Offsets) || !slices.Equal(a.Adj, b.Adj) {
				t.Error("same seed gave different graphs")
			}
			if slices.Equal(a.Offsets, c.Offsets) && slices.Equal(a.Adj, c.Adj) {
				t.Error("different seeds gave identical graphs")
			}
		})
	}
}

func TestErrors(t *testing.T) {
	two := []uint8{0, 1}
	for _, tc := range []struct {
		p      Params
		n      int
		sector []uint8
		want   string
	}{
		{Params{Kind: KindRing, Degree: 9}, 100, nil, "ring: degree = 9: must be even, at least 2 and less than population.firms (100)"},
		{Params{Kind: KindRing, Degree: 0}, 100, nil, "ring: degree = 0: must be even"},
		{Params{Kind: KindRing, Degree: 10}, 10, nil, "ring: degree = 10: must be even, at least 2 and less than population.firms (10)"},
		{Params{Kind: KindSmallWorld, Degree: 7}, 100, nil, "small_world: degree = 7: must be even"},
		{Params{Kind: KindSmallWorld, Degree: 4, Rewire: 1.5}, 100, nil, "small_world: rewire = 1.5: must be between 0 and 1"},
		{Params{Kind: KindSmallWorld, Degree: 4, Rewire: math.NaN()}, 100, nil, "small_world: rewire = NaN"},
		{Params{Kind: KindLattice, Width: 10, Height: 9}, 100, nil, "lattice: width = 10: network.width × network.height (10 × 9) must equal population.firms (100)"},
		{Params{Kind: KindLattice}, 100, nil, "lattice: width = 0: network.width × network.height (0 × 0)"},
		{Params{Kind: KindScaleFree, Attach: 100}, 100, nil, "scale_free: attach = 100: must be at least 1 and less than population.firms (100)"},
		{Params{Kind: KindScaleFree, Attach: 0}, 100, nil, "scale_free: attach = 0"},
		{Params{Kind: KindRandom, Degree: 100}, 100, nil, "random: degree = 100: must be at least 1 and less than population.firms (100)"},
		{Params{Kind: KindSectorBlock, Degree: 4, CrossShare: 0.2}, 100, two, "sector_block: 2 sectors given for n=100 nodes"},
		{Params{Kind: KindSectorBlock, Degree: 1, CrossShare: -0.1}, 2, two, "sector_block: cross_share = -0.1: must be between 0 and 1"},
		{Params{Kind: KindSectorBlock, Degree: 1, CrossShare: 0.5}, 2, []uint8{3, 3}, "sector_block: cross share 0.5 needs at least two sectors"},
		{Params{Kind: KindSectorBlock, Degree: 9, CrossShare: 0.9}, 10, []uint8{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, "exceeds what the other sectors allow"},
		{Params{Kind: "hypercube"}, 8, nil, "hypercube: kind = hypercube: must be one of complete, ring, lattice"},
		{Params{Kind: KindComplete}, 0, nil, "complete: n=0 must be at least 1"},
	} {
		_, err := Build(tc.p, tc.n, tc.sector, newRng(1))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%+v, %d): error %v, want %q", tc.p, tc.n, err, tc.want)
		}
	}
}

// BenchmarkBuild builds the large networks; run with -benchtime=1x for one
// build per size.
func BenchmarkBuild(b *testing.B) {
	sizes := []int{10_000, 100_000, 1_000_000}
	for _, p := range []Params{
		{Kind: KindSmallWorld, Degree: 8, Rewire: 0.1},
		{Kind: KindScaleFree, Attach: 4},
		{Kind: KindRandom, Degree: 8},
		{Kind: KindSectorBlock, Degree: 8, CrossShare: 0.2},
	} {
		for _, n := range sizes {
			sector := make([]uint8, n)
			for v := range sector {
				sector[v] = uint8(v % 10)
			}
			b.Run(fmt.Sprintf("%s/n=%d", p.Kind, n), func(b *testing.B) {
				b.ReportAllocs()
				rng := newRng(1)
				for b.Loop() {
					if _, err := Build(p, n, sector, rng); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
