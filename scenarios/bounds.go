package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Bounds is a parameter's continuous range "key=low:high", the input of a
// Morris or Sobol' sensitivity design: each design point sets the key to
// low + u·(high − low) for its unit coordinate u (rounded for an integer
// key; see [Bounds.Value]).
type Bounds struct {
	Key       string
	Low, High float64
	Integer   bool // the key takes integers
}

// ParseBounds parses "key=low:high" and checks that the key exists
// (resolved as for Set) and is numeric. Whether the values are allowed
// is checked by applying them to a scenario.
func ParseBounds(spec string) (Bounds, error) {
	key, text, ok := strings.Cut(spec, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Bounds{}, fmt.Errorf("expected key=low:high, got %q", spec)
	}
	_, t, err := resolveKey(key)
	if err != nil {
		return Bounds{}, err
	}
	b := Bounds{Key: key}
	switch t.Kind() {
	case reflect.Float64:
	case reflect.Int, reflect.Uint64:
		b.Integer = true
	default:
		return Bounds{}, fmt.Errorf("%s is not a number: a sensitivity design varies numeric keys over low:high", key)
	}
	parts := strings.Split(strings.TrimSpace(text), ":")
	if len(parts) != 2 {
		return Bounds{}, fmt.Errorf("%s: a sensitivity design takes a range low:high (e.g. %s=0:1), got %q", key, key, strings.TrimSpace(text))
	}
	var f [2]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return Bounds{}, fmt.Errorf("%s: %q in range %q is not a number", key, strings.TrimSpace(p), strings.TrimSpace(text))
		}
		f[i] = x
	}
	b.Low, b.High = f[0], f[1]
	switch {
	case !(b.High > b.Low):
		return Bounds{}, fmt.Errorf("%s: the range %q must have low < high", key, strings.TrimSpace(text))
	case b.Integer && (b.Low != math.Trunc(b.Low) || b.High != math.Trunc(b.High)):
		return Bounds{}, fmt.Errorf("%s takes integers: low and high of %q must be integers", key, strings.TrimSpace(text))
	}
	return b, nil
}

// Value returns the key's value at unit coordinate u, as text: low +
// u·(high − low) rounded to 6 significant digits, or to the nearest
// integer for an integer key.
func (b Bounds) Value(u float64) string {
	x := b.Low + u*(b.High-b.Low)
	if b.Integer {
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return strconv.FormatFloat(x, 'g', -1, 64)
}
