package plots

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
)

// decodeScenario decodes scenario.toml into a generic map, under the
// limits of a scenario file (a results directory may come from anywhere).
func decodeScenario(b []byte) (map[string]any, error) {
	return scenarios.DecodeTOML(context.Background(), results.FileScenario, b)
}

// Param is one flattened scenario parameter.
type Param struct {
	Key   string // dotted key path, arrays of tables 1-based: "shocks[1].tick"
	Value string // the value as written in TOML (strings unquoted, lists comma-separated)
}

// FlattenScenario turns a decoded TOML document into key paths and
// values, sorted so that top-level keys come first and tables keep their
// keys together.
func FlattenScenario(m map[string]any) []Param {
	var out []Param
	flatten("", m, &out)
	return out
}

func flatten(prefix string, m map[string]any, out *[]Param) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Plain values before tables, then alphabetical.
	sort.Slice(keys, func(i, j int) bool {
		ti, tj := isTable(m[keys[i]]), isTable(m[keys[j]])
		if ti != tj {
			return !ti
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		switch v := m[k].(type) {
		case map[string]any:
			flatten(path, v, out)
		case []map[string]any:
			for i, t := range v {
				flatten(fmt.Sprintf("%s[%d]", path, i+1), t, out)
			}
		case []any:
			if tables, ok := allTables(v); ok && len(v) > 0 {
				for i, t := range tables {
					flatten(fmt.Sprintf("%s[%d]", path, i+1), t, out)
				}
				continue
			}
			*out = append(*out, Param{Key: path, Value: formatValue(v)})
		default:
			*out = append(*out, Param{Key: path, Value: formatValue(v)})
		}
	}
}

func isTable(v any) bool {
	switch v := v.(type) {
	case map[string]any, []map[string]any:
		return true
	case []any:
		_, ok := allTables(v)
		return ok && len(v) > 0
	}
	return false
}

func allTables(v []any) ([]map[string]any, bool) {
	out := make([]map[string]any, 0, len(v))
	for _, e := range v {
		t, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		out = append(out, t)
	}
	return out, true
}

func formatValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	default:
		return fmt.Sprint(v)
	}
}

// world is summary.json's typed description of the scenario; the zero
// value (no market, no dimensions, no ticks) for results written before
// it existed.
func (r *Results) world() results.WorldInfo {
	if w := r.Summary.World; w != nil {
		return *w
	}
	return results.WorldInfo{}
}

// ShockWindow returns output.shock_window (summary.json's world), or 0 if
// it is not recorded.
func (r *Results) ShockWindow() int { return r.world().ShockWindow }

// TickLimit returns simulation.ticks (summary.json's world); ok is false
// when it is not recorded.
func (r *Results) TickLimit() (limit int, ok bool) {
	t := r.world().Ticks
	return t, t > 0
}

// Description returns the scenario's meta.description, "" if none.
func (r *Results) Description() string { return r.world().Description }

// Dimensions returns the practice dimension names (strategy.dimensions),
// or nil.
func (r *Results) Dimensions() []string { return r.world().Dimensions }

// shockDimension names the dimension one option of which shock s hits,
// "" if it hits none (or it is not recorded).
func (r *Results) shockDimension(s results.ShockInfo) string {
	if d := r.world().ShockDimensions; s.Index >= 1 && s.Index <= len(d) {
		return d[s.Index-1]
	}
	return ""
}

// shockTarget is which option shock s hits (results.WorldInfo.ShockTargets):
// an option number, results.TargetMostUsed, "random" or "weighted"; "" if
// it hits none or it is not recorded.
func (r *Results) shockTarget(s results.ShockInfo) string {
	if t := r.world().ShockTargets; s.Index >= 1 && s.Index <= len(t) {
		return t[s.Index-1]
	}
	return ""
}
