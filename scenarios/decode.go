package scenarios

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/internal/suggest"
)

// table is an ordered TOML table of normalised values: int64, float64,
// string, bool, []any (of those), table or []table.
type table []entry

type entry struct {
	key string
	val any
}

func (t table) get(key string) (any, bool) {
	for _, e := range t {
		if e.key == key {
			return e.val, true
		}
	}
	return nil, false
}

func (t *table) set(key string, v any) {
	for i, e := range *t {
		if e.key == key {
			(*t)[i].val = v
			return
		}
	}
	*t = append(*t, entry{key, v})
}

func (t table) clone() table {
	if t == nil {
		return nil
	}
	out := make(table, len(t))
	for i, e := range t {
		out[i] = entry{e.key, cloneValue(e.val)}
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case table:
		return x.clone()
	case []table:
		out := make([]table, len(x))
		for i, t := range x {
			out[i] = t.clone()
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}

// decoder decodes TOML values over a scenario, collecting problems.
type decoder struct {
	file   string
	pos    positions
	posPre string    // position prefix of the keys being decoded, e.g. "variants[2]."
	keyPre string    // prefix of problem keys, e.g. "variants[2] (imitators): "
	sets   []setting // --set overrides, to attribute problems to them
	probs  []Problem
	cur    *Scenario // the scenario being decoded (for dimension names)
	budget *budget   // bounds the problems worked out for one file; nil: no bound
}

// budget bounds the problems a decoder works out, so that a file with
// thousands of unknown keys costs no more than one with a hundred.
type budget struct{ left, dropped int }

// spend reports whether there is budget for one more problem.
func (d *decoder) spend() bool {
	if d.budget == nil {
		return true
	}
	if d.budget.left <= 0 {
		d.budget.dropped++
		return false
	}
	d.budget.left--
	return true
}

// at finds the position that best explains path.
func (d *decoder) at(path string) pos {
	if d.posPre != "" {
		if p, ok := d.pos.get(d.posPre + path); ok {
			return p
		}
		if p, ok := d.pos.get(path); ok {
			return p
		}
		if p, ok := d.pos.locate(d.posPre + path); ok {
			return p
		}
	}
	p, _ := d.pos.locate(path)
	return p
}

// add records a problem at path.
func (d *decoder) add(path, format string, a ...any) {
	if !d.spend() {
		return
	}
	msg := fmt.Sprintf(format, a...)
	if st, ok := d.setOf(path); ok {
		key := d.keyPre + path
		if path == st.path && d.keyPre == "" && strings.HasPrefix(st.origin, "--set ") {
			key = "" // the override names it
		}
		d.probs = append(d.probs, Problem{File: st.origin, Key: key, Msg: msg})
		return
	}
	p := d.at(path)
	d.probs = append(d.probs, Problem{File: d.file, Line: p.Line, Col: p.Col, Key: d.keyPre + path, Msg: msg})
}

// setOf returns the latest --set override that set path or an ancestor,
// or else the latest that set a key inside path (a problem of a whole
// table, such as population.mix's shares not summing to 1, is the
// override's when it set one of them).
func (d *decoder) setOf(path string) (setting, bool) {
	for i := len(d.sets) - 1; i >= 0; i-- {
		if sp := d.sets[i].path; path == sp || within(path, sp) {
			return d.sets[i], true
		}
	}
	for i := len(d.sets) - 1; i >= 0; i-- {
		if path != "" && within(d.sets[i].path, path) {
			return d.sets[i], true
		}
	}
	return setting{}, false
}

// within reports whether key path lies inside the table or array at
// parent.
func within(path, parent string) bool {
	return strings.HasPrefix(path, parent) && len(path) > len(parent) && (path[len(parent)] == '.' || path[len(parent)] == '[')
}

// entries returns the entries of a TOML table (a decoded map or a
// normalised table) in file order.
func (d *decoder) entries(v any, path string) ([]entry, bool) {
	switch x := v.(type) {
	case table:
		return x, true
	case map[string]any:
		ents := make([]entry, 0, len(x))
		for k, v := range x {
			ents = append(ents, entry{k, v})
		}
		sort.Slice(ents, func(i, j int) bool {
			pi, oki := d.pos.get(d.posPre + join(path, ents[i].key))
			pj, okj := d.pos.get(d.posPre + join(path, ents[j].key))
			if oki != okj {
				return oki
			}
			if pi != pj {
				return pi.Line < pj.Line || pi.Line == pj.Line && pi.Col < pj.Col
			}
			return ents[i].key < ents[j].key
		})
		return ents, true
	}
	return nil, false
}

// topKeys are the tables a file may hold, in file order; variantKeys are
// those a [[variants]] entry may hold.
var (
	topKeys     = childKeys("")
	variantKeys = func() []string {
		keys := childKeys("variants")
		for _, k := range topKeys {
			if k != "meta" && k != "sweep" && k != "variants" {
				keys = append(keys, k)
			}
		}
		return keys
	}()
)

// decodeTop decodes a whole file (or, with inVariant, a variant's
// overrides without its name) over s and returns what it set, normalised.
func (d *decoder) decodeTop(v any, s *Scenario, inVariant bool) table {
	d.cur = s
	defer s.resolve()
	ents, _ := d.entries(v, "")
	var out table
	rv := reflect.ValueOf(s).Elem()
	for _, e := range ents {
		switch {
		case e.key == "meta" && !inVariant:
			m := meta{Name: s.Name, Description: s.Description, Focus: s.Focus}
			t, ok := d.decodeTable(e.val, reflect.ValueOf(&m).Elem(), metaNode, "meta")
			if ok {
				s.Description, s.Focus = m.Description, m.Focus
				if _, named := t.get("name"); named {
					s.Name, s.nameSet = m.Name, true
				}
				out = append(out, entry{"meta", t})
			}
		case e.key == "variants" && !inVariant:
			s.variants = d.decodeVariants(e.val, s)
		case e.key == "sweep" && inVariant:
			d.add(e.key, "a variant cannot change [sweep]: put the sweep in the base scenario")
		case e.key == "output" && inVariant:
			// One results directory for all variants: the base's [output] is
			// every variant's, so a variant's would be ignored.
			d.add(e.key, "a variant cannot change [output], which applies to every variant alike (one results directory): put the key in the base scenario's [output]")
		default:
			n := schema.child(e.key)
			if n == nil || n == metaNode || n == variantsNode || (inVariant && !contains(variantKeys, e.key)) {
				d.unknown("", e.key, e.val, inVariant)
				continue
			}
			if v, ok := d.decodeNode(e.val, rv, n, e.key); ok {
				out = append(out, entry{e.key, v})
			}
		}
	}
	return orderTop(out)
}

// orderTop puts a top-level table in file order.
func orderTop(t table) table {
	sort.SliceStable(t, func(i, j int) bool { return indexOf(topKeys, t[i].key) < indexOf(topKeys, t[j].key) })
	return t
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}

func contains(list []string, s string) bool { return indexOf(list, s) < len(list) }

// decodeVariants decodes the [[variants]] array: each entry is decoded over
// a copy of the base (as written so far) to normalise and check it.
func (d *decoder) decodeVariants(v any, base *Scenario) []variant {
	elems, ok := tableList(v)
	if !ok {
		d.add("variants", "expected an array of tables ([[variants]]), got %s", typeName(v))
		return nil
	}
	var out []variant
	for i, el := range elems {
		path := fmt.Sprintf("variants[%d]", i+1)
		ents, ok := d.entries(el, path)
		if !ok {
			d.add(path, "expected a table, got %s", typeName(el))
			continue
		}
		var vr variant
		var rest table
		named := false
		for _, e := range ents {
			switch e.key {
			case "name", "description":
				str, ok := e.val.(string)
				if !ok {
					d.add(path+"."+e.key, "expected a string, got %s (%s)", fmtValue(e.val), typeName(e.val))
					continue
				}
				if e.key == "name" {
					vr.name, named = str, true
				} else {
					vr.description = str
				}
			default:
				rest = append(rest, e)
			}
		}
		if !named {
			d.add(path, "a variant needs a name (name = \"…\")")
		}
		sub := &decoder{file: d.file, pos: d.pos, posPre: path + ".", keyPre: variantPrefix(i, vr.name), budget: d.budget}
		vr.over = sub.decodeTop(rest, base.clone(), true)
		d.probs = append(d.probs, sub.probs...)
		out = append(out, vr)
	}
	return out
}

func variantPrefix(i int, name string) string {
	if name == "" {
		return fmt.Sprintf("variants[%d]: ", i+1)
	}
	return fmt.Sprintf("variants[%d] (%s): ", i+1, name)
}

// tableList returns the elements of an array of tables.
func tableList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []map[string]any:
		out := make([]any, len(x))
		for i, m := range x {
			out[i] = m
		}
		return out, true
	case []table:
		out := make([]any, len(x))
		for i, t := range x {
			out[i] = t
		}
		return out, true
	case []any:
		for _, e := range x {
			switch e.(type) {
			case map[string]any, table:
			default:
				return nil, false
			}
		}
		return x, true
	}
	return nil, false
}

// decodeNode decodes v into the table, array of tables or key n, held by
// holder (the Scenario, or an array entry), at path, and returns it
// normalised.
func (d *decoder) decodeNode(v any, holder reflect.Value, n *node, path string) (any, bool) {
	switch {
	case n.list:
		elems, ok := tableList(v)
		if !ok {
			d.typeErr(path, "an array of tables ([["+n.path+"]])", v)
			return nil, false
		}
		lv := holder.FieldByIndex(n.index)
		list := reflect.MakeSlice(lv.Type(), 0, len(elems))
		norm := make([]table, 0, len(elems))
		if d.cur != nil {
			maps.DeleteFunc(d.cur.dims, func(k string, _ string) bool { return strings.HasPrefix(k, path+"[") })
			maps.DeleteFunc(d.cur.missing, func(k string, _ bool) bool { return strings.HasPrefix(k, path+"[") })
		}
		for i, el := range elems {
			ev := reflect.New(lv.Type().Elem()).Elem()
			ev.Set(reflect.ValueOf(listDefaults[ev.Type()]()))
			p := fmt.Sprintf("%s[%d]", path, i+1)
			for _, k := range n.kids {
				if k.field.Ref == "dimension" && d.cur != nil {
					d.cur.dims[join(p, k.key)] = ""
				}
			}
			t, _ := d.decodeTable(el, ev, n, p)
			for _, k := range n.kids {
				if _, given := t.get(k.key); !given && k.field.Default == "required" && d.cur != nil {
					d.cur.missing[join(p, k.key)] = true
				}
			}
			list = reflect.Append(list, ev)
			norm = append(norm, t)
		}
		if len(elems) == 0 {
			list = reflect.Zero(lv.Type())
		}
		lv.Set(list)
		return norm, true
	case n.kids != nil:
		return d.decodeTable(v, holder, n, path)
	case n.field.Ref == "dimension":
		str, ok := v.(string)
		if !ok {
			d.typeErr(path, "a dimension name (a string)", v)
			return nil, false
		}
		d.cur.dims[path] = str
		return str, true
	}
	return d.decodeValue(v, holder.FieldByIndex(n.index), path)
}

// decodeTable decodes the table v over the keys of n, held by holder.
func (d *decoder) decodeTable(v any, holder reflect.Value, n *node, path string) (table, bool) {
	ents, ok := d.entries(v, path)
	if !ok {
		d.typeErr(path, "a table", v)
		return nil, false
	}
	got := map[string]any{}
	for _, e := range ents {
		k := n.child(e.key)
		if k == nil {
			d.unknown(path, e.key, e.val, false)
			continue
		}
		if v, ok := d.decodeNode(e.val, holder, k, join(path, e.key)); ok {
			got[e.key] = v
		}
	}
	out := table{}
	for _, k := range n.kids {
		if v, ok := got[k.key]; ok {
			out = append(out, entry{k.key, v})
		}
	}
	return out, true
}

// decodeInts decodes the array of integers v into rv (an []int) and
// returns it normalised.
func (d *decoder) decodeInts(v any, rv reflect.Value, path string) (any, bool) {
	arr, ok := v.([]any)
	if !ok {
		d.typeErr(path, "an array of integers", v)
		return nil, false
	}
	ints := make([]int, len(arr))
	out := make([]any, len(arr))
	for i, e := range arr {
		n, ok := e.(int64)
		if !ok || int64(int(n)) != n {
			d.add(path, "expected an array of integers, but element %d is %s (%s)", i+1, fmtValue(e), typeName(e))
			return nil, false
		}
		ints[i], out[i] = int(n), n
	}
	rv.Set(reflect.ValueOf(ints))
	return out, true
}

// decodeValue decodes the scalar or array of strings or integers v into rv
// and returns it normalised.
func (d *decoder) decodeValue(v any, rv reflect.Value, path string) (any, bool) {
	switch rv.Kind() {
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Int {
			return d.decodeInts(v, rv, path)
		}
		arr, ok := v.([]any)
		if !ok {
			d.typeErr(path, "an array of strings", v)
			return nil, false
		}
		strs := make([]string, len(arr))
		for i, e := range arr {
			str, ok := e.(string)
			if !ok {
				d.add(path, "expected an array of strings, but element %d is %s (%s)", i+1, fmtValue(e), typeName(e))
				return nil, false
			}
			strs[i] = str
		}
		rv.Set(reflect.ValueOf(strs))
		return append([]any{}, arr...), true
	case reflect.Int:
		if b, ok := v.(bigInt); ok {
			d.add(path, "expected an integer, got %s (out of range: at most %d)", string(b), math.MaxInt64)
			return nil, false
		}
		n, ok := v.(int64)
		if !ok || int64(int(n)) != n {
			d.typeErr(path, "an integer", v)
			return nil, false
		}
		rv.SetInt(n)
		return n, true
	case reflect.Uint64:
		if b, ok := v.(bigInt); ok {
			d.add(path, "expected a non-negative integer, got %s (out of range: at most %d)", string(b), math.MaxInt64)
			return nil, false
		}
		n, ok := v.(int64)
		if !ok || n < 0 {
			d.typeErr(path, "a non-negative integer", v)
			return nil, false
		}
		rv.SetUint(uint64(n))
		return n, true
	case reflect.Float64:
		var f float64
		switch x := v.(type) {
		case int64:
			f = float64(x)
		case float64:
			f = x
		default:
			d.typeErr(path, "a number", v)
			return nil, false
		}
		rv.SetFloat(f)
		return f, true
	case reflect.String:
		str, ok := v.(string)
		if !ok {
			d.typeErr(path, "a string", v)
			return nil, false
		}
		rv.SetString(str)
		return str, true
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.typeErr(path, "true or false", v)
			return nil, false
		}
		rv.SetBool(b)
		return b, true
	}
	panic("scenarios: unsupported field kind " + rv.Kind().String())
}

func (d *decoder) typeErr(path, want string, got any) {
	switch got.(type) {
	case map[string]any, table, []map[string]any, []table:
		d.add(path, "expected %s, got %s", want, typeName(got))
	default:
		msg := fmt.Sprintf("expected %s, got %s (%s)", want, fmtValue(got), typeName(got))
		if hint := commaHint(want, got); hint != "" {
			msg += "; " + hint
		}
		d.add(path, "%s", msg)
	}
}

// commaHint explains a number written with a comma, which a --set value
// or a quoted TOML string may hold: a decimal comma ("0,5": write 0.5) or,
// for an integer, a thousands separator ("1,000": write 1000).
func commaHint(want string, got any) string {
	s, ok := got.(string)
	if !ok || !strings.Contains(want, "number") && !strings.Contains(want, "integer") {
		return ""
	}
	whole, frac, ok := strings.Cut(strings.TrimSpace(s), ",")
	digits := func(x string) bool {
		x = strings.TrimPrefix(strings.TrimPrefix(x, "-"), "+")
		return x != "" && strings.Trim(x, "0123456789") == ""
	}
	if !ok || !digits(whole) || frac == "" || strings.Trim(frac, "0123456789") != "" {
		return ""
	}
	if strings.Contains(want, "integer") {
		if len(frac) == 3 {
			return fmt.Sprintf("write %s%s without a thousands separator", whole, frac)
		}
		return ""
	}
	return fmt.Sprintf("write %s.%s: numbers take a decimal point, not a comma", whole, frac)
}

// unknown reports the unknown key parent.key, suggesting a known one.
func (d *decoder) unknown(parent, key string, v any, inVariant bool) {
	if d.budget != nil && d.budget.left <= 0 {
		d.budget.dropped++
		return
	}
	path := join(parent, key)
	what := "unknown key"
	switch v.(type) {
	case map[string]any, table, []map[string]any, []table:
		what = "unknown table"
	}
	d.add(path, "%s", unknownMsg(what, parent, key, inVariant))
}

// unknownMsg explains an unknown key of the table at path at.
func unknownMsg(what, at, key string, inVariant bool) string {
	parent := stripIndex(at)
	siblings := childKeys(parent)
	if parent == "" && inVariant {
		siblings = variantKeys
	}
	if s := suggest.Closest(key, siblings); len(s) > 0 {
		for i := range s {
			s[i] = join(at, s[i])
		}
		return what + "; " + suggest.DidYouMean(s)
	}
	// The key may belong to another table.
	var exact, near []string
	for _, k := range knownKeys {
		if k == parent || parentPath(k) == parent || k == "meta" || k == "variants" {
			continue
		}
		switch leaf := k[strings.LastIndexByte(k, '.')+1:]; {
		case leaf == key:
			exact = append(exact, k)
		case len(key) >= 5 && len(key) <= len(leaf)+1 && len(key) >= len(leaf)-1 && suggest.Distance(strings.ToLower(key), leaf) <= 1:
			near = append(near, k)
		}
	}
	elsewhere := exact
	if len(elsewhere) == 0 {
		elsewhere = near
	}
	if len(elsewhere) > 0 && len(elsewhere) <= 3 {
		return what + "; " + suggest.DidYouMean(elsewhere)
	}
	if parent == "" {
		return fmt.Sprintf("%s (tables: %s)", what, quoteList(siblings))
	}
	return fmt.Sprintf("%s (keys in [%s]: %s)", what, parent, quoteList(siblings))
}

// stripIndex removes array indices from a path: "shocks[2]" → "shocks".
func stripIndex(path string) string {
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// knownKeys lists every table and key path of a scenario file (array
// elements without indices), in file order.
var knownKeys = func() []string {
	var keys []string
	schema.walk(func(n *node) { keys = append(keys, n.path) })
	return keys
}()

// childKeys returns the key names directly inside the table parent.
func childKeys(parent string) []string {
	var out []string
	for _, k := range knownKeys {
		if parentPath(k) == parent {
			out = append(out, k[len(parent):])
		}
	}
	for i, k := range out {
		out[i] = strings.TrimPrefix(k, ".")
	}
	return out
}

// isLeaf reports whether the known key path is a value, not a table.
func isLeaf(path string) bool {
	for _, k := range knownKeys {
		if strings.HasPrefix(k, path+".") {
			return false
		}
	}
	return contains(knownKeys, path)
}

// formatFloat formats f as a TOML float.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".en") {
		s += ".0"
	}
	return s
}
