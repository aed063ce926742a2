package serve

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/sim/param"
)

// Control is one parameter as the page shows it, read from its declaration
// (package param): nothing here lists parameters by hand.
type Control struct {
	Key     string   `json:"key"`     // the scenario key, as for --set
	Section string   `json:"section"` // its table
	Doc     string   `json:"doc"`
	Kind    string   `json:"kind"` // int, float, bool, enum, dimension, list, string
	Min     *float64 `json:"min,omitempty"`
	Max     *float64 `json:"max,omitempty"`
	Values  []string `json:"values,omitempty"` // enum and dimension choices
	Value   any      `json:"value"`
	Allowed string   `json:"allowed"`
}

// Controls returns the workshop's settings controls for s: every key of the
// engine's configuration (sim.Config) but the [[shocks]] list, and the
// seed (simulation.base_seed), with their current values.
func Controls(s *scenarios.Scenario) []Control {
	cfg := s.Config()
	var out []Control
	walkParams(reflect.ValueOf(cfg), "", cfg.Strategy.Dimensions, func(c Control) {
		out = append(out, c)
	})
	walkParams(reflect.ValueOf(s.Runs), "simulation", nil, func(c Control) {
		if c.Key == "simulation.base_seed" {
			out = append(out, c)
		}
	})
	return out
}

// ShockControls returns the controls of a fired shock: the keys of a
// [[shocks]] entry (sim.Shock) but its kind and tick, at their defaults.
func ShockControls(dims []string) []Control {
	var out []Control
	walkParams(reflect.ValueOf(sim.DefaultShock()), "", dims, func(c Control) {
		if c.Key != "kind" && c.Key != "tick" {
			out = append(out, c)
		}
	})
	return out
}

// walkParams calls add for every leaf parameter of the struct v.
func walkParams(v reflect.Value, prefix string, dims []string, add func(Control)) {
	for _, f := range param.Fields(v.Type()) {
		fv := v.Field(f.Index)
		key := f.Key
		if prefix != "" {
			key = prefix + "." + f.Key
		}
		switch {
		case f.IsList():
			continue
		case f.Type.Kind() == reflect.Struct:
			walkParams(fv, key, dims, add)
			continue
		}
		c := Control{Key: key, Section: prefix, Doc: f.Doc, Allowed: f.Allowed(), Value: fv.Interface()}
		switch {
		case f.Ref == "dimension":
			c.Kind = "dimension"
			c.Values = append([]string{""}, dims...)
			c.Value = ""
			if i := int(fv.Int()); i >= 0 && i < len(dims) {
				c.Value = dims[i]
			}
		case f.Values() != nil:
			c.Kind, c.Values = "enum", f.Values()
		case f.Type.Kind() == reflect.Bool:
			c.Kind = "bool"
		case f.Type.Kind() == reflect.Slice:
			c.Kind = "list"
		case f.Type.Kind() == reflect.String:
			c.Kind = "string"
		case f.Type.Kind() == reflect.Float64:
			c.Kind = "float"
		default:
			c.Kind = "int"
		}
		if r := f.Range; r != nil {
			if !math.IsNaN(r.Lo) {
				c.Min = &r.Lo
			}
			if !math.IsNaN(r.Hi) {
				c.Max = &r.Hi
			}
		}
		add(c)
	}
}

// assignment turns a control's value from the page into a --set
// assignment "key=value", the value written as TOML for the control's kind.
func assignment(cs []Control, key, value string) (string, error) {
	for _, c := range cs {
		if c.Key != key {
			continue
		}
		v := strings.TrimSpace(value)
		switch c.Kind {
		case "enum", "dimension", "string":
			v = strconv.Quote(v)
		case "list":
			parts := strings.Split(v, ",")
			for i, p := range parts {
				parts[i] = strconv.Quote(strings.TrimSpace(p))
			}
			v = "[" + strings.Join(parts, ", ") + "]"
		case "bool":
			if v != "true" && v != "false" {
				return "", errorf("%s = %q: must be true or false", key, value)
			}
		case "int":
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return "", errorf("%s = %q: must be an integer", key, value)
			}
		case "float":
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return "", errorf("%s = %q: must be a number", key, value)
			}
			v = tomlFloat(x)
		}
		return key + "=" + v, nil
	}
	return "", errorf("unknown setting %q", key)
}

// tomlFloat writes x as a TOML float (always with a point or exponent).
func tomlFloat(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// shockOf builds a shock of the given kind from the page's values of the
// shock controls; keys left out keep sim.DefaultShock's values.
func shockOf(kind string, values map[string]string, dims []string) (sim.Shock, error) {
	sh := sim.DefaultShock()
	sh.Kind = sim.ShockKind(kind)
	v := reflect.ValueOf(&sh).Elem()
	for _, f := range param.Fields(v.Type()) {
		text, ok := values[f.Key]
		if !ok || f.Key == "kind" || f.Key == "tick" {
			continue
		}
		fv := v.Field(f.Index)
		switch {
		case f.Ref == "dimension":
			i := -1
			for k, d := range dims {
				if d == text {
					i = k
				}
			}
			if i < 0 && text != "" {
				return sh, errorf("shock %s = %q: not a dimension (%s)", f.Key, text, strings.Join(dims, ", "))
			}
			fv.SetInt(int64(i))
		case fv.Kind() == reflect.Int:
			n, err := strconv.Atoi(strings.TrimSpace(text))
			if err != nil {
				return sh, errorf("shock %s = %q: must be an integer", f.Key, text)
			}
			fv.SetInt(int64(n))
		case fv.Kind() == reflect.Float64:
			x, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
			if err != nil {
				return sh, errorf("shock %s = %q: must be a number", f.Key, text)
			}
			fv.SetFloat(x)
		}
	}
	for k := range values {
		if k != "kind" && k != "tick" && !hasKey(v.Type(), k) {
			return sh, errorf("unknown shock key %q", k)
		}
	}
	return sh, nil
}

func hasKey(t reflect.Type, key string) bool {
	for _, f := range param.Fields(t) {
		if f.Key == key {
			return true
		}
	}
	return false
}

// shockTOML writes sh as a [[shocks]] entry, every key of its declaration
// in order, the dimension as its name.
func shockTOML(sh sim.Shock, dims []string) string {
	var b strings.Builder
	b.WriteString("\n[[shocks]]\n")
	v := reflect.ValueOf(sh)
	for _, f := range param.Fields(v.Type()) {
		fv := v.Field(f.Index)
		var text string
		switch {
		case f.Ref == "dimension":
			name := ""
			if i := int(fv.Int()); i >= 0 && i < len(dims) {
				name = dims[i]
			}
			text = strconv.Quote(name)
		case fv.Kind() == reflect.String:
			text = strconv.Quote(fv.String())
		case fv.Kind() == reflect.Int:
			text = strconv.FormatInt(fv.Int(), 10)
		case fv.Kind() == reflect.Float64:
			text = tomlFloat(fv.Float())
		default:
			panic(fmt.Sprintf("serve: shock key %s of kind %s", f.Key, fv.Kind()))
		}
		fmt.Fprintf(&b, "%s = %s\n", f.Key, text)
	}
	return b.String()
}
