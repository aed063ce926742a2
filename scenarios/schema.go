package scenarios

import (
	"reflect"
	"slices"
	"strconv"

	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/sim/param"
)

// node is one table or key of a scenario file. The tree is built once from
// the declarations: the tagged fields of sim.Config (the engine's tables and
// keys) and of the scenario's own Runs, Output and Sweep, plus [meta] and
// [[variants]]. Everything that walks a file — the decoder, --set, the
// writer, the messages, the reference and the starter — walks this tree.
type node struct {
	key   string      // "base_margin"
	path  string      // "market.base_margin"; array entries without an index
	field param.Field // the declaration
	index []int       // field index path from the value holding the table: the Scenario, or an array entry
	kids  []*node     // keys of a table or of an array entry, in file order
	list  bool        // an array of tables: kids are an entry's keys
	doc   string      // a table's introduction
}

func (n *node) isTable() bool { return n.kids != nil || n.list }

// child returns the key named key of the table n, or nil.
func (n *node) child(key string) *node {
	for _, k := range n.kids {
		if k.key == key {
			return k
		}
	}
	return nil
}

// schema is the root of the tree: the top-level tables in file order.
var schema = buildSchema()

// Top-level tables that are not fields of the Scenario.
var metaNode, variantsNode *node

// listDefaults gives what each entry of an array of tables is decoded over.
var listDefaults = map[reflect.Type]func() any{
	reflect.TypeFor[sim.Shock](): func() any { return sim.DefaultShock() },
}

func buildSchema() *node {
	root := &node{}
	st := reflect.TypeFor[Scenario]()
	engineF, _ := st.FieldByName("engine")
	metaNode = &node{key: "meta", path: "meta", doc: metaDoc}
	metaNode.kids = structKids(reflect.TypeFor[meta](), "meta", nil)
	root.kids = append(root.kids, metaNode)
	// The engine's tables (sim.Config is itself the [simulation] keys'
	// parent through its embedded Simulation).
	root.kids = append(root.kids, structKids(engineF.Type, "", engineF.Index)...)
	// The scenario's tables; a table of the same name (Runs in
	// [simulation]) merges into the engine's.
	for _, n := range structKids(st, "", nil) {
		if into := root.child(n.key); into != nil {
			at := len(into.kids)
			for _, k := range n.kids {
				if k.field.After != "" {
					at = slices.IndexFunc(into.kids, func(x *node) bool { return x.key == k.field.After }) + 1
				}
				into.kids = slices.Insert(into.kids, at, k)
				at++ // the next key follows this one
			}
			continue
		}
		root.kids = append(root.kids, n)
	}
	variantsNode = &node{key: "variants", path: "variants", list: true, doc: variantsDoc}
	variantsNode.kids = structKids(reflect.TypeFor[variantEntry](), "variants", nil)
	root.kids = append(root.kids, variantsNode)
	return root
}

// structKids returns the nodes of the tagged fields of the struct type t,
// whose value is reached by index from the value holding the table.
func structKids(t reflect.Type, prefix string, index []int) []*node {
	var out []*node
	for _, f := range param.Fields(t) {
		n := &node{key: f.Key, path: join(prefix, f.Key), field: f, index: append(slices.Clip(index), f.Index)}
		switch {
		case f.Type.Kind() == reflect.Struct:
			n.doc = f.Doc
			n.kids = structKids(f.Type, n.path, n.index)
		case f.IsList():
			n.doc, n.list = f.Doc, true
			n.kids = structKids(f.Type.Elem(), n.path, nil)
		}
		out = append(out, n)
	}
	return out
}

// find returns the node of a path without indices ("shocks.tick"), or nil.
func find(path string) *node {
	n := schema
	for key := range splitPath(path) {
		if n = n.child(key); n == nil {
			return nil
		}
	}
	return n
}

// splitPath yields the keys of a dotted path.
func splitPath(path string) func(func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(path); i++ {
			if i == len(path) || path[i] == '.' {
				if !yield(path[start:i]) {
					return
				}
				start = i + 1
			}
		}
	}
}

// walk calls f for every node below n, depth first in file order.
func (n *node) walk(f func(*node)) {
	for _, k := range n.kids {
		f(k)
		k.walk(f)
	}
}

// eachRef calls f with the concrete path and the value of every
// ref:"dimension" key of s ("strategy.platform", "shocks[2].dimension").
func eachRef(s *Scenario, f func(path string, v reflect.Value)) {
	rv := reflect.ValueOf(s).Elem()
	var visit func(n *node, holder reflect.Value, path string)
	visit = func(n *node, holder reflect.Value, path string) {
		for _, k := range n.kids {
			if k == metaNode || k == variantsNode {
				continue
			}
			p := join(path, k.key)
			switch {
			case k.list:
				l := holder.FieldByIndex(k.index)
				for i := range l.Len() {
					visit(k, l.Index(i), p+"["+strconv.Itoa(i+1)+"]")
				}
			case k.kids != nil:
				visit(k, holder, p)
			case k.field.Ref == "dimension":
				f(p, holder.FieldByIndex(k.index))
			}
		}
	}
	visit(schema, rv, "")
}
