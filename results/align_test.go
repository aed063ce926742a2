package results

import (
	"slices"
	"testing"
)

// TestAlignedShocks matches shocks across variants by kind and tick: a
// shock of the same kind at another tick is another shock.
func TestAlignedShocks(t *testing.T) {
	battery := []ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 150}, {Index: 2, Kind: "tech_disruption", Tick: 250}}
	base := []ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 300}}
	both := []ShockInfo{{Index: 1, Kind: "tech_disruption", Tick: 250}}
	s := &Summary{Shocks: battery, Variants: []VariantSummary{{Name: "battery", Shocks: battery}, {Name: "baseline", Shocks: base}, {Name: "tech", Shocks: both}}}
	got := s.AlignedShocks()
	type row struct {
		kind string
		tick int
		k    []int
	}
	var rows []row
	for _, a := range got {
		rows = append(rows, row{a.Kind, a.Tick, a.K})
	}
	want := []row{{"demand_shift", 150, []int{1, 0, 0}}, {"tech_disruption", 250, []int{2, 0, 1}}, {"demand_shift", 300, []int{0, 1, 0}}}
	if len(rows) != len(want) {
		t.Fatalf("AlignedShocks = %+v, want %+v", rows, want)
	}
	for i := range want {
		if rows[i].kind != want[i].kind || rows[i].tick != want[i].tick || !slices.Equal(rows[i].k, want[i].k) {
			t.Errorf("shock %d = %+v, want %+v", i, rows[i], want[i])
		}
	}
	if m, ok := got[1].Measure(2, "fail_share"); !ok || m != "shock1_fail_share" {
		t.Errorf("Measure(2) = %q, %v; want shock1_fail_share", m, ok)
	}
	if _, ok := got[0].Measure(1, "fail_share"); ok {
		t.Errorf("baseline has no shock at tick 150, but Measure says it has")
	}
	if !s.ShocksDiffer() {
		t.Errorf("ShocksDiffer = false for different shocks")
	}
	same := &Summary{Shocks: battery, Variants: []VariantSummary{{Name: "a"}, {Name: "b"}}}
	if same.ShocksDiffer() {
		t.Errorf("ShocksDiffer = true for variants without their own shocks")
	}
	if a := same.AlignedShocks(); len(a) != 2 || !a[0].Shared() || !a[1].Shared() {
		t.Errorf("same shocks: AlignedShocks = %+v, want both shared", a)
	}
}
