package present

import (
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
)

// Label is the reader-facing name of a per-run measure (or an engine
// metric) from the table of measures, its shock named from shocks, e.g.
// "Share of firms failing after the demand shift (shock 1, tick 300)
// (background exits included)".
func Label(m string, shocks []results.ShockInfo) string {
	return results.MeasureLabel(m, func(k int) string {
		for _, s := range shocks {
			if s.Index == k {
				return ShockFullName(s)
			}
		}
		return "shock " + strconv.Itoa(k)
	})
}

// ShockFullName names a shock for tables and findings: its name, its kind
// when a label hides it, its place in the schedule and its tick, e.g.
// "tech disruption (shock 2, tick 250)" or "recession (shock 4: downturn,
// tick 450)".
func ShockFullName(s results.ShockInfo) string {
	kind := strings.ReplaceAll(s.Kind, "_", " ")
	name := s.Name()
	if s.Label == "" || strings.EqualFold(s.Label, kind) || kind == "" {
		return name + " (shock " + strconv.Itoa(s.Index) + ", tick " + strconv.Itoa(s.Tick) + ")"
	}
	return name + " (shock " + strconv.Itoa(s.Index) + ": " + kind + ", tick " + strconv.Itoa(s.Tick) + ")"
}
