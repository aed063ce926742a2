package network

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/graphs/gen"
)

// erdosRenyi samples G(n, p) with gonum's gen.Gnp (Batagelj–Brandes
// geometric skipping, O(n + edges)) into a compact edge-collecting builder.
// rng is passed as gonum's rand.Source (*rand.Rand has the Uint64 method), so
// gonum draws from our stream and the result is deterministic.
func erdosRenyi(n int, p float64, rng *rand.Rand) ([]int32, error) {
	b := &pairBuilder{pairs: make([]int32, 0, 2*int(p*float64(n)*float64(n-1)/2*1.01+64))}
	if err := gen.Gnp(b, n, p, rng); err != nil {
		return nil, err
	}
	return b.pairs, nil
}

// pairBuilder is a minimal graph.Builder that only records edges as int32
// pairs, instead of gonum's map-based simple.UndirectedGraph (which costs
// hundreds of bytes per edge). It satisfies what gen.Gnp needs (NewNode,
// AddNode, NewEdge, SetEdge); it cannot answer queries such as
// HasEdgeBetween, so it is only usable with generators that never ask.
//
// To avoid a heap allocation per edge, NewEdge returns a pointer to a scratch
// edge inside the builder, overwritten by the next NewEdge call. That is
// sound for generators that pass it straight to SetEdge, as gen.Gnp does
// (dst.SetEdge(dst.NewEdge(u, v))).
type pairBuilder struct {
	nodes   int64
	pairs   []int32
	scratch pairEdge
}

// node is a graph.Node with an int64 ID.
type node int64

func (n node) ID() int64 { return int64(n) }

// pairEdge is a graph.Edge between two node IDs.
type pairEdge struct{ f, t int64 }

func (e *pairEdge) From() graph.Node         { return node(e.f) }
func (e *pairEdge) To() graph.Node           { return node(e.t) }
func (e *pairEdge) ReversedEdge() graph.Edge { return &pairEdge{e.t, e.f} }

func (b *pairBuilder) NewNode() graph.Node { return node(b.nodes) }

func (b *pairBuilder) AddNode(n graph.Node) {
	if id := n.ID(); id >= b.nodes {
		b.nodes = id + 1
	}
}

func (b *pairBuilder) NewEdge(from, to graph.Node) graph.Edge {
	b.scratch = pairEdge{from.ID(), to.ID()}
	return &b.scratch
}

func (b *pairBuilder) SetEdge(e graph.Edge) {
	var f, t int64
	if pe, ok := e.(*pairEdge); ok {
		f, t = pe.f, pe.t
	} else {
		f, t = e.From().ID(), e.To().ID()
	}
	b.pairs = append(b.pairs, int32(f), int32(t))
}
