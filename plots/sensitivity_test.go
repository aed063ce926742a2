package plots

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/results"
)

func TestRankParameters(t *testing.T) {
	nan := math.NaN()
	rows := []results.SensitivityRow{
		{Measure: "m", Parameter: "a", Index: results.IndexST, Value: 0.2, CILow: 0.1, CIHigh: 0.3},
		{Measure: "m", Parameter: "b", Index: results.IndexST, Value: 0.6, CILow: 0.5, CIHigh: 0.7},
		{Measure: "m", Parameter: "c", Index: results.IndexST, Value: 0.25, CILow: 0.15, CIHigh: 0.35},
		{Measure: "m", Parameter: "b", Index: results.IndexS1, Value: 0.5, CILow: 0.4, CIHigh: 0.6},
		{Measure: "m", Parameter: "a × b", Index: results.IndexS2, Value: 0.1},
		{Measure: "m", Parameter: results.SeedsParameter, Index: results.IndexSeedShare, Value: 0.3, CILow: nan, CIHigh: nan},
		{Measure: "n", Parameter: "a", Index: results.IndexST, Value: 0.9},
	}
	got := RankParameters(rows, "m", results.DesignSobol)
	if len(got) != 3 || got[0].Parameter != "b" || got[1].Parameter != "c" || got[2].Parameter != "a" {
		t.Fatalf("ranking %+v, want b, c, a", got)
	}
	if got[0].Other.Value != 0.5 || got[0].Tied || !got[1].Tied {
		t.Errorf("b: S1 %v tied %v (want 0.5, false); c tied %v (want true)", got[0].Other.Value, got[0].Tied, got[1].Tied)
	}
	if s := Separation(got); s != "c ≈ a" {
		t.Errorf("Separation = %q, want \"c ≈ a\"", s)
	}
	if s := SeedShare(rows, "m"); s != 0.3 {
		t.Errorf("SeedShare = %v, want 0.3", s)
	}
}
