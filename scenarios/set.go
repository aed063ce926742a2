package scenarios

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Set applies one "key.path=value" override, as given to --set. The key
// uses the file's names ("market.base_margin", "population.mix.imitator",
// "shocks[2].tick" for an existing shock, "shocks=[]" to drop them all);
// the value is a TOML value, and strings may leave out their quotes
// (network.kind=ring). The override is type- and range-checked at once;
// checks that involve other keys are left to Validate, so overrides can be
// given in any order. Overrides win over [[variants]] too. On error s is
// unchanged and the error is an *Error.
func (s *Scenario) Set(assign string) error { return s.SetAs("--set "+assign, assign) }

// SetAs is Set for an override given in another form, such as a flag:
// problems are reported as coming from origin (e.g. "--seeds 0" for
// "simulation.seeds=0").
func (s *Scenario) SetAs(origin, assign string) error {
	file := origin
	fail := func(format string, a ...any) error {
		return &Error{Problems: []Problem{{File: file, Msg: fmt.Sprintf(format, a...)}}}
	}
	if !utf8.ValidString(assign) {
		file = strings.ToValidUTF8(origin, "\uFFFD")
		return fail("invalid UTF-8: an override must be UTF-8 text")
	}
	key, text, ok := strings.Cut(assign, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fail("expected key=value, e.g. market.base_margin=0.3")
	}
	steps, leaf, err := resolveKey(key)
	if err != nil {
		return fail("%s", err.Error())
	}
	if len(steps) > 0 && steps[0].index > len(s.Shocks) {
		return fail("there is no shocks[%d]: the scenario has %d shock(s); add shocks in the file", steps[0].index, len(s.Shocks))
	}
	key = canonical(steps)
	text = strings.TrimSpace(text)
	if _, p := scanPositions([]byte("v = " + text)); p != nil { // bounded, as for a file
		return fail("%s", p.Msg)
	}
	value := parseValue(text, leaf)

	st := setting{path: key, origin: origin}
	c := s.clone()
	d := &decoder{file: file, sets: []setting{st}, cur: c}
	var norm any
	if steps[0].name == "meta" {
		m := meta{Name: c.Name, Description: c.Description, Focus: c.Focus}
		if n, ok := d.decodeNode(value, reflect.ValueOf(&m).Elem(), metaNode.child(steps[1].name), key); ok {
			norm = n
			switch steps[1].name {
			case "name":
				c.Name, c.nameSet = m.Name, true
			case "focus":
				c.Focus = m.Focus
			default:
				c.Description = m.Description
			}
		}
	} else {
		// Walk to the value holding the key and decode the key over it.
		holder, n := reflect.ValueOf(c).Elem(), schema
		for _, sp := range steps {
			n = n.child(sp.name)
			if sp.index > 0 {
				holder = holder.FieldByIndex(n.index).Index(sp.index - 1)
			}
		}
		norm, _ = d.decodeNode(value, holder, n, key)
		c.resolve()
	}
	if len(d.probs) > 0 {
		return errorOf(d.probs)
	}
	// Check the key's own range; checks involving other keys wait for
	// Validate.
	c.sets = append(c.sets, st)
	d.sets = c.sets
	for _, f := range c.findings(false) {
		if f.path == key || strings.HasPrefix(f.path, key+".") || strings.HasPrefix(f.path, key+"[") {
			d.report(f)
		}
	}
	if len(d.probs) > 0 {
		return errorOf(d.probs)
	}
	for i := range c.variants {
		setIn(c.variants[i].over, steps, norm)
	}
	*s = *c
	return nil
}

// setIn sets the value at steps in a variant's overrides if the variant
// overrides the table that holds it, so that --set wins over the variant.
func setIn(t table, steps []step, v any) {
	for i, sp := range steps {
		if i == len(steps)-1 {
			if _, ok := t.get(sp.name); ok {
				t.set(sp.name, cloneValue(v))
			}
			return
		}
		next, ok := t.get(sp.name)
		if !ok {
			return
		}
		switch x := next.(type) {
		case table:
			t = x
		case []table:
			if sp.index < 1 || sp.index > len(x) {
				return
			}
			t = x[sp.index-1]
		default:
			return
		}
	}
}

// step is one part of a key path: a name and, for shocks, a 1-based index
// (0 = none).
type step struct {
	name  string
	index int
}

// resolveKey checks a --set or sweep key against the schema and returns
// its steps and the leaf's Go type.
func resolveKey(key string) ([]step, reflect.Type, error) {
	var steps []step
	for part := range strings.SplitSeq(key, ".") {
		sp := step{name: strings.TrimSpace(part)}
		if name, idx, ok := strings.Cut(sp.name, "["); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			if err != nil || !strings.HasSuffix(idx, "]") || n < 1 {
				return nil, nil, fmt.Errorf("bad index in %q: write shocks[1], shocks[2], …", key)
			}
			sp = step{name: name, index: n}
		}
		steps = append(steps, sp)
	}
	n := schema
	path := "" // with indices, for messages
	for i, sp := range steps {
		if path == "" && (sp.name == "variants" || sp.name == "meta") {
			if sp.name == "variants" {
				return nil, nil, errors.New("variants cannot be set from the command line: edit the file")
			}
			if len(steps) != 2 || sp.index > 0 || metaNode.child(steps[1].name) == nil {
				return nil, nil, errors.New(`meta has the keys "meta.name" and "meta.description"`)
			}
			return steps, metaNode.child(steps[1].name).field.Type, nil
		}
		if !n.isTable() {
			return nil, nil, fmt.Errorf("unknown key %q: %s is not a table", key, path)
		}
		k := n.child(sp.name)
		if k == nil {
			return nil, nil, errors.New(unknownMsg("unknown key "+strconv.Quote(join(path, sp.name)), path, sp.name, false))
		}
		n = k
		path = join(path, sp.name)
		switch {
		case sp.index > 0 && !n.list:
			return nil, nil, fmt.Errorf("%s is not a list: leave out [%d]", path, sp.index)
		case sp.index > 0:
			path += "[" + strconv.Itoa(sp.index) + "]"
			if i == len(steps)-1 {
				return nil, nil, fmt.Errorf("say which key of %s to set, e.g. %s.%s", path, path, n.kids[0].key)
			}
		case n.list && i < len(steps)-1:
			return nil, nil, fmt.Errorf("say which entry: %s[1].%s", path, steps[i+1].name)
		}
	}
	return steps, fileType(n), nil
}

// canonical writes steps as a key path: "shocks[1].tick".
func canonical(steps []step) string {
	var b strings.Builder
	for i, sp := range steps {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(sp.name)
		if sp.index > 0 {
			b.WriteString("[" + strconv.Itoa(sp.index) + "]")
		}
	}
	return b.String()
}

// fileType is the Go type of a key's value as a file writes it: a
// dimension index is written as its name.
func fileType(n *node) reflect.Type {
	if n.field.Ref == "dimension" {
		return reflect.TypeFor[string]()
	}
	return n.field.Type
}

// parseValue parses a --set value as a TOML value. Anything that is not
// valid TOML is taken as a bare string; so are scalars given for a string
// key (meta.name=2024). Arrays may hold bare strings: [a, b].
func parseValue(text string, want reflect.Type) any {
	if want != nil && want.Kind() != reflect.String && isBigInt(text) {
		return bigInt(text)
	}
	// Decoded under the file's limits: the parser sees only checked bytes.
	if m, _, err := decodeChecked(context.Background(), "", []byte("v = "+text)); err == nil && len(m) == 1 {
		if v, ok := m["v"]; ok {
			if _, isStr := v.(string); !isStr && want != nil && want.Kind() == reflect.String {
				switch v.(type) {
				case int64, float64, bool:
					return text
				}
			}
			return v
		}
	}
	if inner, ok := strings.CutPrefix(text, "["); ok {
		if inner, ok := strings.CutSuffix(inner, "]"); ok {
			var elem reflect.Type
			if want != nil && want.Kind() == reflect.Slice {
				elem = want.Elem()
			}
			out := []any{}
			if strings.TrimSpace(inner) == "" {
				return out
			}
			for part := range strings.SplitSeq(inner, ",") {
				out = append(out, parseValue(strings.TrimSpace(part), elem))
			}
			return out
		}
	}
	return text
}

// bigInt is an integer written on the command line that does not fit in
// 64 bits (TOML integers are 64-bit).
type bigInt string

// isBigInt reports whether text is a decimal integer beyond int64.
func isBigInt(text string) bool {
	digits := strings.ReplaceAll(strings.TrimLeft(text, "+-"), "_", "")
	if digits == "" || len(text)-len(strings.TrimLeft(text, "+-")) > 1 {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(strings.ReplaceAll(text, "_", ""), 10, 64)
	return err != nil
}

// Vary is one parsed [sweep] vary entry: a key and either a list of
// values or a numeric range.
type Vary struct {
	Key    string   // key path, as for Set
	Values []string // the values, as written ("0.2", "ring"); nil for a range
	Range  *Range   // start:stop:step; nil for a list
}

// Range is an inclusive numeric range start:stop:step.
type Range struct{ Start, Stop, Step float64 }

// maxPoints bounds the values of one vary entry.
const maxPoints = 100_000

// ParseVary parses a sweep entry "key=v1,v2,…" or "key=start:stop:step"
// and checks that the key exists (resolved as for Set) and can be varied.
// Values are checked against the scenario by Validate.
func ParseVary(spec string) (Vary, error) {
	key, text, ok := strings.Cut(spec, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Vary{}, fmt.Errorf("expected key=v1,v2,… or key=start:stop:step, got %q", spec)
	}
	_, t, err := resolveKey(key)
	if err != nil {
		return Vary{}, err
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice:
		return Vary{}, fmt.Errorf("%s cannot be varied: only single numbers, strings and booleans can", key)
	}
	text = strings.TrimSpace(text)
	v := Vary{Key: key}
	if strings.Contains(text, ":") && !strings.Contains(text, ",") {
		parts := strings.Split(text, ":")
		if len(parts) != 3 {
			return Vary{}, fmt.Errorf("%s: a range is start:stop:step, got %q", key, text)
		}
		var f [3]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return Vary{}, fmt.Errorf("%s: %q in range %q is not a number", key, strings.TrimSpace(p), text)
			}
			f[i] = x
		}
		r := &Range{Start: f[0], Stop: f[1], Step: f[2]}
		switch {
		case t.Kind() != reflect.Int && t.Kind() != reflect.Float64 && t.Kind() != reflect.Uint64:
			return Vary{}, fmt.Errorf("%s: a range needs a numeric key; list the values instead", key)
		case r.Step <= 0:
			return Vary{}, fmt.Errorf("%s: the step of %q must be positive", key, text)
		case r.Stop < r.Start:
			return Vary{}, fmt.Errorf("%s: the range %q ends before it starts", key, text)
		case (r.Stop-r.Start)/r.Step >= maxPoints:
			return Vary{}, fmt.Errorf("%s: the range %q has more than %d values", key, text, maxPoints)
		case t.Kind() != reflect.Float64 && (r.Start != math.Trunc(r.Start) || r.Step != math.Trunc(r.Step)):
			return Vary{}, fmt.Errorf("%s takes integers: start and step of %q must be integers", key, text)
		}
		v.Range = r
		return v, nil
	}
	for part := range strings.SplitSeq(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return Vary{}, fmt.Errorf("%s: empty value in %q", key, text)
		}
		v.Values = append(v.Values, part)
	}
	if len(v.Values) > maxPoints {
		return Vary{}, fmt.Errorf("%s: more than %d values", key, maxPoints)
	}
	return v, nil
}

// Points returns the values of v as text, in order: the listed values, or
// start, start+step, … up to stop for a range (rounded to 12 significant
// digits, so 0.1:0.3:0.1 gives 0.1, 0.2, 0.3).
func (v Vary) Points() []string {
	if v.Range == nil {
		return append([]string(nil), v.Values...)
	}
	r := *v.Range
	var out []string
	n := int(math.Floor((r.Stop-r.Start)/r.Step + 1e-9))
	for k := 0; k <= n && k < maxPoints; k++ {
		x, _ := strconv.ParseFloat(strconv.FormatFloat(r.Start+float64(k)*r.Step, 'g', 12, 64), 64)
		out = append(out, strconv.FormatFloat(x, 'g', -1, 64))
	}
	return out
}

// sweepFindings checks [sweep]: the design, the samples, and each vary
// entry's key and values (each applied as a --set to a copy of s).
func (s *Scenario) sweepFindings() []finding {
	var fs []finding
	sw := s.Sweep
	if sw.Design != DesignFactorial && sw.Design != DesignLHS {
		fs = append(fs, finding{"sweep.design", fmt.Sprintf("must be %q or %q", DesignFactorial, DesignLHS), strconv.Quote(sw.Design)})
	}
	if sw.Samples < 1 || sw.Samples > maxPoints {
		fs = append(fs, finding{"sweep.samples", fmt.Sprintf("must be an integer between 1 and %d", maxPoints), strconv.Itoa(sw.Samples)})
	}
	keys := map[string]int{}
	combos := 1.0
	for i, spec := range sw.Vary {
		path := fmt.Sprintf("sweep.vary[%d]", i+1)
		v, err := ParseVary(spec)
		if err != nil {
			fs = append(fs, finding{path: path, msg: err.Error()})
			continue
		}
		if j, dup := keys[v.Key]; dup {
			fs = append(fs, finding{path: path, msg: fmt.Sprintf("%s is already varied by sweep.vary[%d]", v.Key, j)})
			continue
		}
		keys[v.Key] = i + 1
		points := v.Points()
		combos *= float64(len(points))
		// Each value is checked as a --set would check it; of a long list,
		// the first 100 and the last (a check costs a validation, and a
		// file's cost must stay bounded by its size).
		if len(points) > 101 {
			points = append(points[:100:100], points[len(points)-1])
		}
		for _, p := range points {
			c := s.cloneBase()
			c.sets = nil
			if err := c.Set(v.Key + "=" + p); err != nil {
				var e *Error
				if errors.As(err, &e) && len(e.Problems) > 0 {
					fs = append(fs, finding{path: path, msg: fmt.Sprintf("%s=%s: %s", v.Key, p, e.Problems[0].Msg)})
				}
				break
			}
		}
	}
	if sw.Design == DesignFactorial && combos > maxPoints {
		fs = append(fs, finding{path: "sweep.vary", msg: fmt.Sprintf("a factorial sweep of these values has %.0f combinations; at most %d (use design = \"lhs\" with samples)", combos, maxPoints)})
	}
	return fs
}
