package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
)

// Run-count guidance (issue 22): after every compare, sweep and
// sensitivity run, whether the seeds suffice for the headline measures.
const (
	defaultPrecision = 0.10 // headline intervals within 10 % of the mean
	autoStartSeeds   = 5    // --seeds auto starts with this many seeds
	defaultMaxSeeds  = 200  // and stops at --max-seeds
	powerTarget      = 0.80
)

// adequacy is how well a measure is pinned down by the seeds, at its
// least precise variant (or sweep point).
type adequacy struct {
	measure, label string
	variant        string  // the variant with the widest relative interval
	rel            float64 // its half-width relative to its mean
	need           int     // seeds that would bring every variant within the precision (0: unknown)
	drift          float64 // largest CV drift over the variants (stats.CVDrift)
}

// headlineMeasures are the measures the guidance judges: each shock's
// excess failures (or failures, without the counterfactual) and final
// diversity.
func headlineMeasures(s *results.Summary) []string {
	var out []string
	for _, sh := range s.Shocks {
		ex := results.ShockMeasureName(sh.Index, "excess_fail_share")
		if measured(s, ex) {
			out = append(out, ex)
		} else if f := results.ShockMeasureName(sh.Index, "fail_share"); measured(s, f) {
			out = append(out, f)
		}
	}
	return append(out, "final_effective_strategies")
}

// perSeed returns variant v's values of measure m in seed order.
func perSeed(v results.VariantSummary, m string) []float64 {
	xs := make([]float64, 0, len(v.PerSeed))
	for _, ps := range v.PerSeed {
		if x, ok := ps.Measures[m]; ok {
			xs = append(xs, float64(x))
		} else {
			xs = append(xs, math.NaN())
		}
	}
	return xs
}

func assess(s *results.Summary, precision float64) []adequacy {
	var out []adequacy
	for _, m := range headlineMeasures(s) {
		a := adequacy{measure: m, label: present.Label(m, s.Shocks), rel: math.NaN(), drift: math.NaN()}
		for _, v := range s.Variants {
			ms, ok := v.Measures[m]
			if !ok || ms.N < 2 {
				continue
			}
			iv := stats.Interval{N: ms.N, Mean: float64(ms.Mean), SD: float64(ms.SD), Low: float64(ms.CILow), High: float64(ms.CIHigh)}
			rel := stats.RelHalfWidth(iv)
			if math.IsNaN(rel) {
				continue
			}
			if math.IsNaN(a.rel) || rel > a.rel {
				a.rel, a.variant = rel, v.Name
			}
			if n := stats.SeedsForPrecision(iv.Mean, iv.SD, precision, 0.95); n > a.need {
				a.need = n
			}
			if d := stats.CVDrift(perSeed(v, m)); !math.IsNaN(d) && (math.IsNaN(a.drift) || d > a.drift) {
				a.drift = d
			}
		}
		if !math.IsNaN(a.rel) {
			out = append(out, a)
		}
	}
	return out
}

// sufficient reports whether every assessed measure is within precision.
func sufficient(as []adequacy, precision float64) bool {
	for _, a := range as {
		if a.rel > precision {
			return false
		}
	}
	return len(as) > 0
}

// focusPower returns, for the scenario's focus variant against every
// other, the paired difference on the first headline measure and the
// seeds a paired t-test needs for 80 % power at that observed effect.
func focusPower(s *results.Summary) []string {
	ms := headlineMeasures(s)
	if s.Focus == "" || len(ms) == 0 {
		return nil
	}
	m := ms[0]
	var focus *results.VariantSummary
	for i := range s.Variants {
		if s.Variants[i].Name == s.Focus {
			focus = &s.Variants[i]
		}
	}
	if focus == nil {
		return nil
	}
	fx := perSeed(*focus, m)
	var out []string
	for _, v := range s.Variants {
		if v.Name == s.Focus {
			continue
		}
		vx := perSeed(v, m)
		if len(vx) != len(fx) {
			continue
		}
		// The pairs where both measured it, as the paired tests use: a
		// seed without the measure is no evidence of identical runs.
		var d []float64
		for i := range fx {
			if x := fx[i] - vx[i]; !math.IsNaN(x) {
				d = append(d, x)
			}
		}
		if len(d) < 2 {
			continue
		}
		n := stats.PairedPowerSeeds(d, powerTarget, present.Significance)
		w := stats.MeanCI(d, 0.95)
		v0, lo, hi := present.Same(w.Mean, w.Low, w.High)
		diff := fmt.Sprintf("%s [%s, %s]", v0, lo, hi)
		if results.InPercent(m) {
			diff = fmt.Sprintf("%s points [%s, %s]", present.Points(w.Mean), present.Points(w.Low), present.Points(w.High))
		}
		switch {
		case n == 0:
			out = append(out, fmt.Sprintf("%s − %s: no difference to power (identical runs)", s.Focus, v.Name))
		case n <= len(d):
			out = append(out, fmt.Sprintf("%s − %s: %s; 80 %% power at this effect needs %d seeds: the %d run suffice", s.Focus, v.Name, diff, n, len(d)))
		default:
			out = append(out, fmt.Sprintf("%s − %s: %s; 80 %% power at this effect needs about %d seeds, %d ran: NOT enough to detect it reliably", s.Focus, v.Name, diff, n, len(d)))
		}
	}
	return out
}

// printSeedGuidance says plainly whether the seeds suffice.
func printSeedGuidance(w io.Writer, s *results.Summary, precision float64) {
	as := assess(s, precision)
	if len(as) == 0 {
		return
	}
	seeds := len(s.Seeds)
	fmt.Fprintf(w, "\nDo %d seeds suffice? (headline intervals within %s of the mean; the widest over %s)\n", seeds, pctText(precision), plural(len(s.Variants), "variant", "variants"))
	need := 0
	for _, a := range as {
		verdict := "within"
		if a.rel > precision {
			verdict = fmt.Sprintf("NOT within; about %d seeds would be", a.need)
			need = max(need, a.need)
		}
		settled := ""
		switch {
		case math.IsNaN(a.drift):
		case a.drift <= 0.1:
			settled = fmt.Sprintf("; spread settled (CV drift %s)", present.Sig(a.drift, 2))
		default:
			settled = fmt.Sprintf("; spread NOT settled (CV drift %s over the second half of the seeds)", present.Sig(a.drift, 2))
		}
		fmt.Fprintf(w, "  %s: ±%s of the mean (%s): %s%s\n", a.label, pctText(a.rel), a.variant, verdict, settled)
	}
	for _, l := range focusPower(s) {
		fmt.Fprintf(w, "  focus contrast on %s, %s\n", present.Label(headlineMeasures(s)[0], s.Shocks), l)
	}
	if need > 0 {
		fmt.Fprintf(w, "The %d seeds do NOT suffice for every headline measure: rerun with --seeds %d, or --seeds auto --precision %s.\n", seeds, need, strconv.FormatFloat(precision, 'g', -1, 64))
	} else {
		fmt.Fprintf(w, "The %d seeds suffice for the headline measures at this precision.\n", seeds)
	}
}

func pctText(x float64) string { return present.Sig(100*x, 2) + " %" }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// parseSeeds reads --seeds: a number, or "auto".
func parseSeeds(v string) (n int, auto bool, err error) {
	if strings.EqualFold(strings.TrimSpace(v), "auto") {
		return 0, true, nil
	}
	n, err = strconv.Atoi(strings.TrimSpace(v))
	if err != nil { // a number out of range is the scenario's to report
		return 0, false, usageError(fmt.Errorf("--seeds: %q is not a whole number (a number of seeds, or auto)", v))
	}
	return n, false, nil
}
