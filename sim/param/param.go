// Package param reads the declarations of model parameters written as
// struct tags, so that a parameter is declared once — on its field — and
// everything else (the scenario file schema, range checks, the reference
// documentation, the starter file, --set) is derived from it.
//
// A parameter is an exported field with a `toml` tag naming its key:
//
//	BaseMargin float64 `toml:"base_margin" range:"0:1" doc:"Margin of a firm with no near-identical rivals."`
//
// Tags:
//
//	toml     the key in a scenario file ("-" or none: not a parameter).
//	         A struct field is a table; a slice of structs an array of
//	         tables; an anonymous struct field with a key is a table whose
//	         keys are its fields.
//	doc      what it means (for a table: the table's introduction).
//	range    "lo:hi" for numbers, inclusive; either end may be left out
//	         ("0:" is a finite number ≥ 0). Checked by [Check]; an int
//	         field gets "must be an integer between lo and hi".
//	allowed  the allowed values as shown in the reference, when they are
//	         not just the range or the enum (e.g. they depend on other keys,
//	         which the owner checks by hand).
//	if       "key" of a boolean sibling, or "key=value" of a string one:
//	         the range is checked only when it holds (market keys are
//	         unchecked without a market).
//	ref      "dimension": an int index that files write as a dimension
//	         name (strategy.platform, shocks.dimension).
//	after    the key of a sibling in another struct of the same table that
//	         this one is written after (scenario keys of [simulation]).
//	default  text shown in the reference instead of the default value
//	         ("required", "file name").
//	example  the value shown for the key in a starter file instead of its
//	         default.
//
// A field whose type has a Values() []string method is an enumeration:
// [Check] rejects any other value and the reference lists the values.
package param

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/smbsim/smbsim/internal/suggest"
)

// Enum is implemented by string types with a fixed set of values.
type Enum interface{ Values() []string }

// Field is one parameter (or table) declared on a struct field.
type Field struct {
	Index     int          // index of the field in its struct
	Type      reflect.Type // the field's type
	Key       string       // its key in a scenario file
	Doc       string
	allowed   string
	Range     *Range // nil: no range
	If        string // key of a boolean sibling gating the range check
	Ref       string // "dimension": an index written as a dimension name
	After     string
	Default   string // shown instead of the default value ("" = the value)
	Example   string // shown in a starter file instead of the default
	Anonymous bool   // an embedded struct
}

// Range is an inclusive numeric range; an end that is NaN is open.
type Range struct{ Lo, Hi float64 }

var cache sync.Map // reflect.Type → []Field

// Fields returns the parameters and tables declared on the struct type t,
// in field order. It panics on a malformed tag: that is a programming
// error, caught by any test that touches the type.
func Fields(t reflect.Type) []Field {
	if fs, ok := cache.Load(t); ok {
		return fs.([]Field)
	}
	var fs []Field
	for i := range t.NumField() {
		sf := t.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if key == "" || key == "-" || (!sf.IsExported() && !sf.Anonymous) {
			continue
		}
		f := Field{
			Index: i, Type: sf.Type, Key: key, Doc: sf.Tag.Get("doc"), allowed: sf.Tag.Get("allowed"),
			If: sf.Tag.Get("if"), Ref: sf.Tag.Get("ref"), After: sf.Tag.Get("after"),
			Default: sf.Tag.Get("default"), Example: sf.Tag.Get("example"), Anonymous: sf.Anonymous,
		}
		if r, ok := sf.Tag.Lookup("range"); ok {
			f.Range = parseRange(t, sf, r)
		}
		fs = append(fs, f)
	}
	cache.Store(t, fs)
	return fs
}

func parseRange(t reflect.Type, sf reflect.StructField, r string) *Range {
	lo, hi, ok := strings.Cut(r, ":")
	bound := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			panic(fmt.Sprintf("param: %s.%s: bad range %q", t, sf.Name, r))
		}
		return x
	}
	if !ok {
		panic(fmt.Sprintf("param: %s.%s: range %q is not lo:hi", t, sf.Name, r))
	}
	return &Range{bound(lo), bound(hi)}
}

// IsTable reports whether the field holds a table or an array of tables.
func (f Field) IsTable() bool {
	return f.Type.Kind() == reflect.Struct || f.IsList()
}

// IsList reports whether the field holds an array of tables.
func (f Field) IsList() bool {
	return f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct
}

// Values returns the values of an enumeration field, or nil.
func (f Field) Values() []string {
	if e, ok := reflect.Zero(f.Type).Interface().(Enum); ok {
		return e.Values()
	}
	return nil
}

// Allowed describes the allowed values for the reference, with Markdown
// code marks: the allowed tag, else the enumeration, the range or the type.
func (f Field) Allowed() string {
	switch {
	case f.allowed != "":
		return f.allowed
	case f.Values() != nil:
		vs := f.Values()
		for i, v := range vs {
			vs[i] = "`" + v + "`"
		}
		return strings.Join(vs, ", ")
	case f.Range != nil:
		r := f.Range
		switch {
		case math.IsNaN(r.Hi):
			return "≥ " + num(r.Lo)
		case math.IsNaN(r.Lo):
			return "≤ " + num(r.Hi)
		}
		return num(r.Lo) + " to " + num(r.Hi)
	case f.Type.Kind() == reflect.Bool:
		return "true, false"
	}
	return ""
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Problem reports what is wrong with v, the value of field f, or "" if
// nothing is: out of range or not one of the enumeration's values.
func (f Field) Problem(v reflect.Value) string {
	if vs := f.Values(); vs != nil {
		if slices.Contains(vs, v.String()) {
			return ""
		}
		msg := "must be one of " + strings.Join(vs, ", ")
		if len(vs) == 2 {
			msg = fmt.Sprintf("must be %q or %q", vs[0], vs[1])
		}
		if c := suggest.Closest(v.String(), vs); len(c) < len(vs) {
			if hint := suggest.DidYouMean(c); hint != "" {
				msg += "; " + hint
			}
		}
		return msg
	}
	r := f.Range
	if r == nil {
		return ""
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int64:
		x := v.Int()
		if !math.IsNaN(r.Lo) && float64(x) < r.Lo || !math.IsNaN(r.Hi) && float64(x) > r.Hi {
			return fmt.Sprintf("must be an integer between %d and %d", int64(r.Lo), int64(r.Hi))
		}
	case reflect.Float64:
		x := v.Float()
		switch {
		case math.IsNaN(r.Hi):
			if !(x >= r.Lo) || math.IsInf(x, 0) {
				return "must be a finite number ≥ " + num(r.Lo)
			}
		case !(x >= r.Lo && x <= r.Hi): // also rejects NaN
			return fmt.Sprintf("must be between %g and %g", r.Lo, r.Hi)
		}
	default:
		panic(fmt.Sprintf("param: range on a %s field", v.Kind()))
	}
	return ""
}

// Check walks the struct v and calls add for every field whose value is
// out of its range or not one of its enumeration's values. Paths join keys
// with "." below prefix and number array elements from 1 ("shocks[2].tick").
func Check(v reflect.Value, prefix string, add func(path string, value any, msg string)) {
	fs := Fields(v.Type())
	for _, f := range fs {
		fv := v.Field(f.Index)
		path := join(prefix, f.Key)
		switch {
		case f.Type.Kind() == reflect.Struct:
			Check(fv, path, add)
		case f.IsList():
			for i := range fv.Len() {
				Check(fv.Index(i), path+"["+strconv.Itoa(i+1)+"]", add)
			}
		default:
			if f.If != "" && !holds(v, fs, f.If) {
				continue
			}
			if msg := f.Problem(fv); msg != "" {
				add(path, fv.Interface(), msg)
			}
		}
	}
}

// holds evaluates an if tag, "key" (a boolean sibling) or "key=value", on
// the struct v.
func holds(v reflect.Value, fs []Field, cond string) bool {
	key, want, eq := strings.Cut(cond, "=")
	for _, f := range fs {
		if f.Key == key {
			if eq {
				return v.Field(f.Index).String() == want
			}
			return v.Field(f.Index).Bool()
		}
	}
	panic(fmt.Sprintf("param: %s has no key %q", v.Type(), key))
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
