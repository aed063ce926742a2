package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
)

// opening is the report's first paragraph: the scenario's question
// (meta.description), the answer in words and its caveats.
type opening struct {
	Question string
	Answer   []string
	Caveats  []string
}

// openingOf builds the opening from the one shock headline
// (present.Headline, which the terminal prints too), with the same
// numbers and rounding: excess failures in percent with one decimal,
// differences in points with one decimal and their paired tests. It is
// nil when there is neither a question nor an answer.
func openingOf(r *plots.Results) *opening {
	o := &opening{Question: r.Description()}
	if r.Summary.Command != "sweep" {
		if len(r.Variants) > 1 {
			for _, h := range present.Headline(&r.Summary) {
				if s := answerShock(r, h); s != "" {
					o.Answer = append(o.Answer, s)
				}
			}
		} else if s := answerRanking(r); s != "" {
			o.Answer = append(o.Answer, s)
		}
	}
	if len(o.Answer) == 0 {
		if o.Question == "" {
			return nil
		}
		return o
	}
	o.Caveats = caveats(r)
	return o
}

// answerShock says which variant lost the most and which the fewest
// firms to a shock beyond the background, and whether the differences
// that the scenario asks about (the focus against the others, or else
// the extremes) passed their paired test.
func answerShock(r *plots.Results, h present.ShockHeadline) string {
	if len(h.Rows) < 2 {
		return ""
	}
	most, fewest := h.Rows[0], h.Rows[len(h.Rows)-1]
	ex := func(row present.HeadlineRow) string {
		return pct1CI(results.EstimateOf(row.Variant, h.Measure, row.Excess), false)
	}
	s := fmt.Sprintf("In this market, %s lost the fewest firms to the %s at tick %d beyond the background, %s excess failures, and %s the most, %s excess failures.",
		quote(fewest.Variant), h.Shock.Name(), h.Shock.Tick, ex(fewest), quote(most.Variant), ex(most))
	var pairs []present.Contrast
	if h.FocusRank >= 0 {
		pairs = h.Focus
	} else {
		pairs = []present.Contrast{present.MeanContrast(&r.Summary, h.Measure, most.Variant, fewest.Variant)}
	}
	// A variant's copy under a control (compare --control) is compared in
	// the where-it-holds sentence, not here.
	pairs = slices.DeleteFunc(slices.Clone(pairs), func(c present.Contrast) bool {
		return present.IsControlled(c.B, present.Controls(&r.Summary))
	})
	var clear, chance []string
	for _, c := range pairs {
		if !c.Tested() || math.IsNaN(c.P) {
			continue
		}
		d := fmt.Sprintf("%s − %s: %s points, 95%s%% CI %s to %s, %s", quote(c.A), quote(c.B), signedPoints(c.Diff), nbsp,
			signedPoints(c.Lo), signedPoints(c.Hi), present.P(c.P))
		if c.P < present.Significance {
			clear = append(clear, d)
		} else {
			chance = append(chance, d)
		}
	}
	switch {
	case len(clear) == 1 && len(chance) == 0:
		s += " The paired test says the difference is unlikely to be chance (" + clear[0] + ")."
	case len(clear) > 0 && len(chance) == 0:
		s += " The paired tests say the differences are unlikely to be chance (" + strings.Join(clear, "; ") + ")."
	case len(clear) > 0:
		s += " The paired tests say " + strings.Join(clear, "; ") + " is unlikely to be chance, but " + strings.Join(chance, "; ") + " may be."
	case len(chance) > 0:
		s += " The paired tests cannot tell these variants apart: the differences may be chance (" + strings.Join(chance, "; ") + ")."
	}
	return s + answerTail(r, h, pairs) + answerWhere(r, h, pairs)
}

// answerTail puts the tail beside the mean for the pairs the answer
// compares (present.MeanAndTail): the share of seeds in which a variant
// lost more than the collapse threshold, with its exact interval.
func answerTail(r *plots.Results, h present.ShockHeadline, pairs []present.Contrast) string {
	var out []string
	for _, c := range pairs {
		if t, ok := present.MeanAndTail(h, c.A, c.B); ok {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " Averages hide joint failures: " + strings.Join(out, "; ") + "."
}

// answerWhere says where the focus contrast holds: at which horizons, on
// which counting basis and under which control run (present.WhereItHolds,
// the lines the terminal prints).
func answerWhere(r *plots.Results, h present.ShockHeadline, pairs []present.Contrast) string {
	if h.FocusRank < 0 {
		return ""
	}
	var out []string
	for _, c := range pairs {
		w, ok := present.WhereItHolds(&r.Summary, h.Shock.Index, c.B)
		if !ok {
			continue
		}
		out = append(out, fmt.Sprintf("Where it holds, %s − %s: %s", quote(c.A), quote(c.B), strings.Join(w.Lines(), "; ")+"."))
	}
	if len(out) == 0 {
		return ""
	}
	return " " + strings.Join(out, " ")
}

// answerRanking says, for a single variant with several shocks, which
// shock caused the most failures beyond the background and which the
// fewest.
func answerRanking(r *plots.Results) string {
	ranked, _ := present.RankShocks(&r.Summary, 0)
	switch len(ranked) {
	case 0:
		return ""
	case 1:
		x := ranked[0]
		return fmt.Sprintf("In this market, the %s at tick %d caused %s excess failures among the firms in business.",
			x.Shock.Name(), x.Shock.Tick, pct1CI(results.EstimateOf(r.Variants[0], "", x.Excess), false))
	}
	most, fewest := ranked[0], ranked[len(ranked)-1]
	return fmt.Sprintf("In this market, the %s at tick %d caused the most failures beyond the background, %s excess failures, and the %s at tick %d the fewest, %s excess failures; later shocks hit a market already changed by the earlier ones.",
		most.Shock.Name(), most.Shock.Tick, pct1CI(results.EstimateOf(r.Variants[0], "", most.Excess), false),
		fewest.Shock.Name(), fewest.Shock.Tick, pct1CI(results.EstimateOf(r.Variants[0], "", fewest.Excess), false))
}

// caveats are the limits every answer has: how many seeds, what excess
// failures count, where the answer holds.
func caveats(r *plots.Results) []string {
	seeds := len(r.Summary.Seeds)
	out := []string{fmt.Sprintf("The figures are means over %d seeds with 95%s%% intervals; a difference with p%s≥%s%g may be chance, and among many tests about 1 in 20 reaches p%s<%s%g by chance alone.",
		seeds, nbsp, nbsp, nbsp, present.Significance, nbsp, nbsp, present.Significance)}
	out = append(out, "Excess failures count the firms in business when the shock hit that failed "+window(r)+
		", minus those that failed in the same market run without the shock (same seeds and draws); other horizons or ways of counting may rank the variants differently.")
	if aftermath(r) {
		out = append(out, "Some runs end inside a shock's aftermath, so their final values describe a market still moving.")
	}
	out = append(out, "The answer holds for this scenario's parameters: a simulation shows what the model's rules imply, not a forecast.")
	return out
}
