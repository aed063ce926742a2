package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// sensitivitySection is the report's ranking of the parameters of a
// Morris or Sobol' sweep: one table per key measure, ranked with
// intervals, with the seeds' share of the variance, and one sentence per
// measure naming the leaders.
type sensitivitySection struct {
	Method    string
	Sentences []string
	Tables    []*table
}

func sensitivityReport(r *plots.Results) *sensitivitySection {
	if r.Manifest == nil || r.Manifest.Plan.Design == nil || len(r.Sensitivity) == 0 {
		return nil
	}
	method := r.Manifest.Plan.Design.Method
	s := &sensitivitySection{Method: "Morris screening"}
	if method == results.DesignSobol {
		s.Method = "Sobol' analysis"
	}
	for _, m := range r.SensitivityMeasures() {
		ranked := plots.RankParameters(r.Sensitivity, m, method)
		if len(ranked) == 0 {
			continue
		}
		title := present.Label(m, r.Shocks())
		t := &table{Head: []string{"rank", "parameter", "ST [95 % CI]", "S1 [95 % CI]"}}
		if method == results.DesignMorris {
			t.Head = []string{"rank", "parameter", "μ* [95 % CI]", "σ", "μ"}
		}
		for k, p := range ranked {
			row := []string{fmt.Sprint(k + 1), p.Parameter, indexCI(m, method, p.Rank), indexCI(m, method, p.Other)}
			if method == results.DesignMorris {
				row = append(row[:3], effect(m, p.Other.Value), effect(m, p.Mu.Value))
			}
			t.Rows = append(t.Rows, row)
		}
		t.Note = title + "."
		if share := plots.SeedShare(r.Sensitivity, m); !math.IsNaN(share) {
			t.Note += fmt.Sprintf(" Between seeds at the same point: %.0f %% of the runs' variance (replicate noise).", 100*share)
		}
		if sep := plots.Separation(ranked); sep != "" {
			t.Note += " Not told apart by their intervals: " + sep + "."
		}
		s.Tables = append(s.Tables, t)
		lead := ranked[0]
		what := "total index ST"
		if method == results.DesignMorris {
			what = "μ*"
		}
		sentence := fmt.Sprintf("%s: %s ranks first (%s %s)", title, lead.Parameter, what, indexCI(m, method, lead.Rank))
		if lead.Tied {
			sentence += fmt.Sprintf(", but its interval overlaps %s's, so the order of the two is not settled at this design's size", ranked[1].Parameter)
		} else if len(ranked) > 1 {
			sentence += fmt.Sprintf(", ahead of %s", ranked[1].Parameter)
		}
		s.Sentences = append(s.Sentences, sentence+".")
	}
	if len(s.Tables) == 0 {
		return nil
	}
	return s
}

// indexCI formats a Sobol' index, or a Morris statistic in the measure's
// unit, with its interval.
func indexCI(m, method string, r results.SensitivityRow) string {
	scale, unit := 1.0, ""
	if method == results.DesignMorris && results.InPercent(m) {
		scale, unit = 100, " pts"
	}
	v, lo, hi := present.Same(scale*r.Value, scale*r.CILow, scale*r.CIHigh)
	if method == results.DesignMorris {
		if math.IsNaN(r.CILow) {
			return v + unit
		}
		return fmt.Sprintf("%s [%s, %s]%s", v, lo, hi, unit)
	}
	if math.IsNaN(r.CILow) {
		return v
	}
	return fmt.Sprintf("%s [%s, %s]", v, lo, hi)
}

// effect formats a Morris statistic: percentage points for a share.
func effect(m string, v float64) string {
	if results.InPercent(m) {
		a, _, _ := present.Same(100*v, 0, 0)
		return a + " pts"
	}
	a, _, _ := present.Same(v, 0, 0)
	return strings.TrimSpace(a)
}
