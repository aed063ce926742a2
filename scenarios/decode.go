package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
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

// meta is the [meta] table.
type meta struct {
	Name        string `toml:"name"`
	Description string `toml:"description"`
}

// decoder decodes TOML values over a scenario, collecting problems.
type decoder struct {
	file   string
	pos    positions
	posPre string    // position prefix of the keys being decoded, e.g. "variants[2]."
	keyPre string    // prefix of problem keys, e.g. "variants[2] (imitators): "
	sets   []setting // --set overrides, to attribute problems to them
	probs  []Problem
}

// at finds the position that best explains path.
func (d *decoder) at(path string) pos {
	if d.posPre != "" {
		if p, ok := d.pos[d.posPre+path]; ok {
			return p
		}
		if p, ok := d.pos[path]; ok {
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
	msg := fmt.Sprintf(format, a...)
	if st, ok := d.setOf(path); ok {
		key := d.keyPre + path
		if path == st.path && d.keyPre == "" {
			key = ""
		}
		d.probs = append(d.probs, Problem{File: "--set " + st.assign, Key: key, Msg: msg})
		return
	}
	p := d.at(path)
	d.probs = append(d.probs, Problem{File: d.file, Line: p.Line, Col: p.Col, Key: d.keyPre + path, Msg: msg})
}

// setOf returns the latest --set override that set path or an ancestor.
func (d *decoder) setOf(path string) (setting, bool) {
	for i := len(d.sets) - 1; i >= 0; i-- {
		sp := d.sets[i].path
		if path == sp || strings.HasPrefix(path, sp) && len(path) > len(sp) && (path[len(sp)] == '.' || path[len(sp)] == '[') {
			return d.sets[i], true
		}
	}
	return setting{}, false
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
			pi, oki := d.pos[d.posPre+join(path, ents[i].key)]
			pj, okj := d.pos[d.posPre+join(path, ents[j].key)]
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
// those a [[variants]] entry may override.
var (
	topKeys     = []string{"meta", "simulation", "strategy", "market", "population", "behaviour", "network", "biases", "demography", "shocks", "output", "sweep", "variants"}
	variantKeys = []string{"name", "description", "simulation", "strategy", "market", "population", "behaviour", "network", "biases", "demography", "shocks", "output"}
)

// decodeTop decodes a whole file (or, with inVariant, a variant's
// overrides without its name) over s and returns what it set, normalised.
func (d *decoder) decodeTop(v any, s *Scenario, inVariant bool) table {
	ents, _ := d.entries(v, "")
	var out table
	rv := reflect.ValueOf(s).Elem()
	for _, e := range ents {
		switch {
		case e.key == "meta" && !inVariant:
			var m meta
			m.Name, m.Description = s.Name, s.Description
			t, ok := d.decodeValue(e.val, reflect.ValueOf(&m).Elem(), "meta")
			if ok {
				s.Description = m.Description
				if _, named := t.(table).get("name"); named {
					s.Name, s.nameSet = m.Name, true
				}
				out = append(out, entry{"meta", t})
			}
		case e.key == "variants" && !inVariant:
			s.variants = d.decodeVariants(e.val, s)
		case e.key == "sweep" && inVariant:
			d.add(e.key, "a variant cannot change [sweep]: put the sweep in the base scenario")
		default:
			f, ok := fieldByTag(rv.Type(), e.key)
			if !ok || (inVariant && !contains(variantKeys, e.key)) {
				d.unknown("", e.key, e.val, inVariant)
				continue
			}
			if n, ok := d.decodeValue(e.val, rv.Field(f), e.key); ok {
				out = append(out, entry{e.key, n})
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
		sub := &decoder{file: d.file, pos: d.pos, posPre: path + ".", keyPre: variantPrefix(i, vr.name)}
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

// fieldByTag returns the index of the field of struct type t tagged key.
func fieldByTag(t reflect.Type, key string) (int, bool) {
	if key == "" {
		return 0, false
	}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && tagOf(f) == key {
			return i, true
		}
	}
	return 0, false
}

func tagOf(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if tag == "-" {
		return ""
	}
	return tag
}

// decodeStruct decodes the table v over the struct rv.
func (d *decoder) decodeStruct(v any, rv reflect.Value, path string) (table, bool) {
	ents, ok := d.entries(v, path)
	if !ok {
		d.typeErr(path, "a table", v)
		return nil, false
	}
	t := rv.Type()
	got := map[string]any{}
	for _, e := range ents {
		f, ok := fieldByTag(t, e.key)
		if !ok {
			d.unknown(path, e.key, e.val, false)
			continue
		}
		if n, ok := d.decodeValue(e.val, rv.Field(f), join(path, e.key)); ok {
			got[e.key] = n
		}
	}
	out := table{}
	for i := range t.NumField() {
		if tag := tagOf(t.Field(i)); tag != "" {
			if n, ok := got[tag]; ok {
				out = append(out, entry{tag, n})
			}
		}
	}
	return out, true
}

var shockType = reflect.TypeFor[Shock]()

// decodeValue decodes v into rv and returns it normalised.
func (d *decoder) decodeValue(v any, rv reflect.Value, path string) (any, bool) {
	switch rv.Kind() {
	case reflect.Struct:
		return d.decodeStruct(v, rv, path)
	case reflect.Slice:
		if rv.Type().Elem() == shockType {
			elems, ok := tableList(v)
			if !ok {
				d.typeErr(path, "an array of tables ([[shocks]])", v)
				return nil, false
			}
			list := make([]Shock, 0, len(elems))
			norm := make([]table, 0, len(elems))
			for i, el := range elems {
				sh := defaultShock()
				t, _ := d.decodeStruct(el, reflect.ValueOf(&sh).Elem(), fmt.Sprintf("%s[%d]", path, i+1))
				list = append(list, sh)
				norm = append(norm, t)
			}
			if len(list) == 0 {
				list = nil
			}
			rv.Set(reflect.ValueOf(list))
			return norm, true
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
		n, ok := v.(int64)
		if !ok || int64(int(n)) != n {
			d.typeErr(path, "an integer", v)
			return nil, false
		}
		rv.SetInt(n)
		return n, true
	case reflect.Uint64:
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
		d.add(path, "expected %s, got %s (%s)", want, fmtValue(got), typeName(got))
	}
}

// unknown reports the unknown key parent.key, suggesting a known one.
func (d *decoder) unknown(parent, key string, v any, inVariant bool) {
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
	if s := suggest(key, siblings); len(s) > 0 {
		for i := range s {
			s[i] = join(at, s[i])
		}
		return what + "; " + didYouMean(s)
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
		case len(key) >= 5 && levenshtein(strings.ToLower(key), leaf) <= 1:
			near = append(near, k)
		}
	}
	elsewhere := exact
	if len(elsewhere) == 0 {
		elsewhere = near
	}
	if len(elsewhere) > 0 && len(elsewhere) <= 3 {
		return what + "; " + didYouMean(elsewhere)
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
var knownKeys = listKeys()

func listKeys() []string {
	var keys []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := tagOf(f)
			if !f.IsExported() || tag == "" {
				continue
			}
			p := join(prefix, tag)
			keys = append(keys, p)
			switch {
			case f.Type.Kind() == reflect.Struct:
				walk(f.Type, p)
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				walk(f.Type.Elem(), p)
			}
		}
	}
	keys = append(keys, "meta", "meta.name", "meta.description")
	walk(reflect.TypeFor[Scenario](), "")
	keys = append(keys, "variants", "variants.name", "variants.description")
	return keys
}

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
