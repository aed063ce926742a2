package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// WriteTOML writes s fully resolved: every key with its value (defaults
// included, --set overrides applied), in a fixed order, followed by the
// [sweep] table and the [[variants]] overrides as written. Parsing the
// output gives a scenario that writes identically.
func (s *Scenario) WriteTOML(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("# smbsim scenario, fully resolved: every key with its value.\n")
	writeTable(&b, "", s.toTable())
	_, err := w.Write(b.Bytes())
	return err
}

// Hash returns the hex SHA-256 of the WriteTOML output: two scenarios with
// the same hash run identically.
func (s *Scenario) Hash() string {
	h := sha256.New()
	_ = s.WriteTOML(h)
	return hex.EncodeToString(h.Sum(nil))
}

// toTable returns s as a normalised table, in file order.
func (s *Scenario) toTable() table {
	mt := table{{"name", s.Name}, {"description", s.Description}}
	if s.Focus != "" { // written only when set, so that other scenarios keep their hash
		mt = append(mt, entry{"focus", s.Focus})
	}
	t := table{{"meta", mt}}
	rv := reflect.ValueOf(s).Elem()
	for _, n := range schema.kids {
		if n == metaNode || n == variantsNode {
			continue
		}
		if n.key == "sweep" && s.Sweep.Design == DesignFactorial && s.Sweep.Samples == defaults().Sweep.Samples && len(s.Sweep.Vary) == 0 {
			continue // the default: no sweep
		}
		t = append(t, entry{n.key, s.valueOf(n, rv, n.key)})
	}
	if len(s.variants) > 0 {
		vs := make([]table, len(s.variants))
		for i, v := range s.variants {
			vt := table{{"name", v.name}}
			if v.description != "" {
				vt = append(vt, entry{"description", v.description})
			}
			vs[i] = append(vt, v.over.clone()...)
		}
		t = append(t, entry{"variants", vs})
	}
	return t
}

// valueOf returns the value of the table, array of tables or key n, held
// by holder, at path, normalised.
func (s *Scenario) valueOf(n *node, holder reflect.Value, path string) any {
	switch {
	case n.list:
		l := holder.FieldByIndex(n.index)
		out := make([]table, l.Len())
		for i := range out {
			p := fmt.Sprintf("%s[%d]", path, i+1)
			out[i] = s.tableOf(n, l.Index(i), p)
		}
		return out
	case n.kids != nil:
		return s.tableOf(n, holder, path)
	case n.field.Ref == "dimension":
		return s.dims[path]
	}
	return toValue(holder.FieldByIndex(n.index))
}

func (s *Scenario) tableOf(n *node, holder reflect.Value, path string) table {
	t := table{}
	for _, k := range n.kids {
		t = append(t, entry{k.key, s.valueOf(k, holder, join(path, k.key))})
	}
	return t
}

// toValue normalises a scalar or an array of strings.
func toValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = toValue(v.Index(i))
		}
		return out
	case reflect.Int:
		return v.Int()
	case reflect.Uint64:
		return v.Uint()
	case reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	}
	panic("scenarios: unsupported field kind " + v.Kind().String())
}

// writeTable writes the table t at path: its values, then its sub-tables
// and arrays of tables under their headers.
func writeTable(b *bytes.Buffer, path string, t table) {
	for _, e := range t {
		switch e.val.(type) {
		case table, []table:
		default:
			b.WriteString(e.key + " = " + tomlValue(e.val) + "\n")
		}
	}
	for _, e := range t {
		p := join(path, e.key)
		switch x := e.val.(type) {
		case table:
			// A table holding only tables needs no header of its own.
			if slices.ContainsFunc(x, func(e entry) bool { return !isTableValue(e.val) }) || len(x) == 0 {
				b.WriteString("\n[" + p + "]\n")
			}
			writeTable(b, p, x)
		case []table:
			for _, el := range x {
				b.WriteString("\n[[" + p + "]]\n")
				writeTable(b, p, el)
			}
		}
	}
}

func isTableValue(v any) bool {
	switch v.(type) {
	case table, []table:
		return true
	}
	return false
}

// tomlValue formats a normalised scalar or array as TOML.
func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return tomlString(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = tomlValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	panic("scenarios: cannot write a value of type " + reflect.TypeOf(v).String())
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u00` + strconv.FormatInt(int64(r)/16, 16) + strconv.FormatInt(int64(r)%16, 16))
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
