// Package network builds the observation networks of smbsim: who observes
// whom. Every network is an undirected simple graph (no self loops, no
// multi-edges) over the nodes 0..n-1, stored compactly in compressed sparse
// row (CSR) form with int32 indices, so that a million firms with a handful
// of neighbours each take a few tens of megabytes.
//
// The complete graph is the exception: it is never materialised. A complete
// Graph has Complete set and nil Offsets and Adj; callers that need a
// neighbour must sample uniformly from the other nodes, which SampleNeighbour
// does for every kind of graph.
//
// Build is deterministic: all randomness comes from the *rand.Rand passed to
// it, so the same parameters and the same generator state give the same graph.
package network

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/smbsim/smbsim/internal/suggest"
)

// Graph is an undirected graph in compressed sparse row form.
//
// For a materialised graph (Complete false) the neighbours of v are
// Adj[Offsets[v]:Offsets[v+1]], sorted ascending, and every undirected edge
// appears twice in Adj, once in each endpoint's row. For the complete graph
// Offsets and Adj are nil.
//
// A Graph is safe for concurrent reads, except Components, which uses scratch
// space stored in the Graph.
type Graph struct {
	Offsets []int32 // len n+1; neighbours of v are Adj[Offsets[v]:Offsets[v+1]], sorted ascending
	Adj     []int32 // concatenated neighbour lists, len 2·Edges()

	// Complete marks the complete graph on N() nodes, whose edges are not
	// stored: Offsets and Adj are nil and Neighbours returns nil.
	Complete bool

	n int // number of nodes of a complete graph

	// Scratch space of Components, allocated on first use and reused.
	mark  []uint32
	epoch uint32
	queue []int32
}

// NewComplete returns the complete graph on n nodes, without materialising
// its n(n-1)/2 edges.
func NewComplete(n int) *Graph { return &Graph{Complete: true, n: n} }

// N returns the number of nodes.
func (g *Graph) N() int {
	if g.Complete {
		return g.n
	}
	if len(g.Offsets) == 0 {
		return 0
	}
	return len(g.Offsets) - 1
}

// Degree returns the number of neighbours of v (N()-1 for the complete graph).
func (g *Graph) Degree(v int) int {
	if g.Complete {
		return g.n - 1
	}
	return int(g.Offsets[v+1] - g.Offsets[v])
}

// Neighbours returns the neighbours of v, sorted ascending. The slice aliases
// the graph's storage and must not be modified.
//
// For the complete graph Neighbours returns nil: every other node is a
// neighbour, and callers must sample uniformly from the other N()-1 nodes
// instead (see SampleNeighbour) or iterate over 0..N()-1 skipping v.
func (g *Graph) Neighbours(v int) []int32 {
	if g.Complete {
		return nil
	}
	return g.Adj[g.Offsets[v]:g.Offsets[v+1]:g.Offsets[v+1]]
}

// Edges returns the number of undirected edges.
func (g *Graph) Edges() int {
	if g.Complete {
		return g.n * (g.n - 1) / 2
	}
	return len(g.Adj) / 2
}

// SampleNeighbour returns a neighbour of v chosen uniformly at random using
// rng, or -1 if v has no neighbours. For the complete graph it returns one of
// the other N()-1 nodes uniformly. It draws exactly one number from rng when v
// has at least one neighbour, and none otherwise.
func (g *Graph) SampleNeighbour(v int, rng *rand.Rand) int {
	if g.Complete {
		if g.n <= 1 {
			return -1
		}
		u := rng.IntN(g.n - 1)
		if u >= v {
			u++
		}
		return u
	}
	lo, hi := g.Offsets[v], g.Offsets[v+1]
	if hi == lo {
		return -1
	}
	return int(g.Adj[int(lo)+rng.IntN(int(hi-lo))])
}

// Components returns the number of connected components of the subgraph made
// of the alive nodes and of the edges {u, v} between alive nodes for which
// same(u, v) is true, and the number of nodes in the largest of them (0 when
// no node is alive). Isolated alive nodes count as components of their own.
// A nil alive means every node is alive; a nil same keeps every edge. same
// must be symmetric. It is used for Axelrod's "regions": connected regions of
// identical strategies.
//
// Components runs an iterative breadth-first search in O(N()+Edges()) time.
// Its scratch space is kept in the Graph, so repeated calls do not allocate,
// but concurrent calls on one Graph are not allowed.
//
// For the complete graph Components returns -1, -1: every pair of nodes is
// adjacent, so (with same an equivalence relation) the components are the
// classes of same among the alive nodes, and the caller must count the
// distinct values itself instead.
func (g *Graph) Components(same func(u, v int) bool, alive func(v int) bool) (count, largest int) {
	if g.Complete {
		return -1, -1
	}
	n := g.N()
	if len(g.mark) != n {
		g.mark = make([]uint32, n)
		g.queue = make([]int32, n)
		g.epoch = 0
	}
	g.epoch++
	if g.epoch == 0 { // wrapped around: old marks could collide
		clear(g.mark)
		g.epoch = 1
	}
	ep, mark, queue := g.epoch, g.mark, g.queue
	for s := 0; s < n; s++ {
		if mark[s] == ep || (alive != nil && !alive(s)) {
			continue
		}
		count++
		mark[s] = ep
		queue[0] = int32(s)
		head, tail := 0, 1
		for head < tail {
			v := int(queue[head])
			head++
			for _, u32 := range g.Adj[g.Offsets[v]:g.Offsets[v+1]] {
				u := int(u32)
				if mark[u] == ep || (alive != nil && !alive(u)) || (same != nil && !same(v, u)) {
					continue
				}
				mark[u] = ep
				queue[tail] = u32
				tail++
			}
		}
		largest = max(largest, tail)
	}
	return count, largest
}

// Kinds of network, as in sim.NetworkKind.
const (
	KindComplete    = "complete"     // everyone observes everyone (not materialised)
	KindRing        = "ring"         // ring lattice, Degree/2 neighbours on each side
	KindLattice     = "lattice"      // Width×Height grid, von Neumann or Moore, optionally a torus
	KindSmallWorld  = "small_world"  // Watts–Strogatz: ring of Degree rewired with probability Rewire
	KindScaleFree   = "scale_free"   // Barabási–Albert, Attach edges per new node
	KindRandom      = "random"       // Erdős–Rényi G(n, p) with mean degree Degree
	KindSectorBlock = "sector_block" // stochastic block model on sectors
)

// Kind is a network generator with the rules its parameters must follow.
// Kinds lists them all: it is the one place that says which kinds exist
// and what each needs; sim's validation and Build both use it.
type Kind struct {
	Name string
	// check calls add for each parameter that does not allow a network of
	// n nodes. Keys and messages use the scenario file's names.
	check func(p Params, n int, add func(key string, value any, msg string))
}

// Kinds lists the network kinds in the order the documentation gives them.
var Kinds = []Kind{
	{KindComplete, func(Params, int, func(string, any, string)) {}},
	{KindRing, checkRing},
	{KindLattice, func(p Params, n int, add func(string, any, string)) {
		if p.Width < 1 || p.Height < 1 || p.Width*p.Height != n {
			add("width", p.Width, fmt.Sprintf("network.width × network.height (%d × %d) must equal population.firms (%d)", p.Width, p.Height, n))
		}
	}},
	{KindSmallWorld, func(p Params, n int, add func(string, any, string)) {
		checkRing(p, n, add)
		checkShare("rewire", p.Rewire, add)
	}},
	{KindScaleFree, func(p Params, n int, add func(string, any, string)) {
		if p.Attach < 1 || p.Attach >= n {
			add("attach", p.Attach, fmt.Sprintf("must be at least 1 and less than population.firms (%d)", n))
		}
	}},
	{KindRandom, checkMeanDegree},
	{KindSectorBlock, func(p Params, n int, add func(string, any, string)) {
		checkMeanDegree(p, n, add)
		checkShare("cross_share", p.CrossShare, add)
	}},
}

func checkRing(p Params, n int, add func(string, any, string)) {
	if p.Degree < 2 || p.Degree%2 != 0 || p.Degree >= n {
		add("degree", p.Degree, fmt.Sprintf("must be even, at least 2 and less than population.firms (%d)", n))
	}
}

func checkMeanDegree(p Params, n int, add func(string, any, string)) {
	if p.Degree < 1 || p.Degree >= n {
		add("degree", p.Degree, fmt.Sprintf("must be at least 1 and less than population.firms (%d)", n))
	}
}

func checkShare(key string, x float64, add func(string, any, string)) {
	if !(x >= 0 && x <= 1) { // also rejects NaN
		add(key, x, "must be between 0 and 1")
	}
}

// KindNames returns the names of Kinds, in order.
func KindNames() []string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = k.Name
	}
	return names
}

// Check calls add for every parameter of p that does not allow a network
// of kind p.Kind on n nodes, with its key in the scenario file's [network]
// table ("degree"), its value and what is allowed. An unknown kind is
// reported under "kind".
func Check(p Params, n int, add func(key string, value any, msg string)) {
	for _, k := range Kinds {
		if k.Name == p.Kind {
			k.check(p, n, add)
			return
		}
	}
	msg := "must be one of " + strings.Join(KindNames(), ", ")
	if hint := suggest.For(p.Kind, KindNames()); hint != "" {
		msg += "; " + hint
	}
	add("kind", p.Kind, msg)
}

// Params mirrors sim.NetworkConfig but is a plain struct so the package does
// not import sim.
type Params struct {
	Kind       string  // one of the Kind constants: "complete", "ring", "lattice", "small_world", "scale_free", "random", "sector_block"
	Degree     int     // ring, small_world: neighbours (even); random, sector_block: mean degree
	Rewire     float64 // small_world: rewiring probability in [0,1]
	Attach     int     // scale_free: edges per new node, 1..n-1
	Width      int     // lattice: columns; Width×Height must equal n
	Height     int     // lattice: rows
	Moore      bool    // lattice: Moore (8) neighbourhood instead of von Neumann (4)
	Reach2     bool    // lattice: every site within two steps (12 neighbours), instead of von Neumann (4)
	Wrap       bool    // lattice: wrap around (torus)
	CrossShare float64 // sector_block: expected share of a node's links to other sectors, in [0,1]
}

// Build builds the graph of kind p.Kind for n nodes. sector[v] is node v's
// sector; it is used by sector_block (and must then have length n) and may be
// nil otherwise. All randomness comes from rng, so the same inputs and the
// same rng state give an identical graph. Build reports impossible parameters
// as errors naming the kind, the offending value and the allowed range.
func Build(p Params, n int, sector []uint8, rng *rand.Rand) (*Graph, error) {
	if n < 1 {
		return nil, fmt.Errorf("%s: n=%d must be at least 1", p.Kind, n)
	}
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("%s: n=%d exceeds the int32 node limit %d", p.Kind, n, math.MaxInt32)
	}
	var bad error
	Check(p, n, func(key string, v any, msg string) {
		if bad == nil {
			bad = fmt.Errorf("%s: %s = %v: %s", p.Kind, key, v, msg)
		}
	})
	if bad != nil {
		return nil, bad
	}
	switch p.Kind {
	case KindComplete:
		return NewComplete(n), nil
	case KindRing:
		return fromPairs(n, ringSlots(n, p.Degree/2))
	case KindSmallWorld:
		return fromPairs(n, wattsStrogatz(n, p.Degree/2, p.Rewire, rng))
	case KindLattice:
		return fromPairs(n, lattice(p.Width, p.Height, p.Moore, p.Reach2, p.Wrap))
	case KindScaleFree:
		return fromPairs(n, barabasiAlbert(n, p.Attach, rng))
	case KindRandom:
		pairs, err := erdosRenyi(n, float64(p.Degree)/float64(n-1), rng)
		if err != nil {
			return nil, err
		}
		return fromPairs(n, pairs)
	case KindSectorBlock:
		if len(sector) != n {
			return nil, fmt.Errorf("sector_block: %d sectors given for n=%d nodes", len(sector), n)
		}
		pairs, err := sectorBlocks(n, sector, p.Degree, p.CrossShare, rng)
		if err != nil {
			return nil, err
		}
		return fromPairs(n, pairs)
	}
	panic("network: Check passed the unknown kind " + p.Kind)
}
