package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/smbsim/smbsim/plots"
)

// nbsp keeps a number and its unit on one line.
const nbsp = "\u00a0"

// Findings returns plain-language statements generated from the numbers
// in r, each with its 95 % interval, in the order: overview, diversity,
// shocks, efficiency against fragility, survival, takeover, sweep.
func Findings(r *plots.Results) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	add(overview(r))
	// The headline: for each shock, the diversity of the market it hit and
	// the failures it caused beyond the background, for every variant.
	for _, s := range r.Shocks() {
		add(shockHeadline(r, s))
	}
	add(diversityFinding(r))
	for _, s := range r.Shocks() {
		add(shockFinding(r, s))
		add(recoveryFinding(r, s))
	}
	add(tradeoffFinding(r))
	add(survivalFinding(r))
	add(takeoverFinding(r))
	out = append(out, sweepFindings(r)...)
	return out
}

// fmtValue formats a value of measure m: shares as percentages.
func fmtValue(m string, v float64) string {
	if plots.IsShareMeasure(m) {
		return pct(v) + nbsp + "%"
	}
	return plots.FormatSig(v, 3)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f", 100*v)
}

// interval formats "lo–hi" in the measure's unit; shares end in " %".
func interval(m string, e plots.Estimate) string {
	if math.IsNaN(e.CILow) || math.IsNaN(e.CIHigh) {
		return ""
	}
	if plots.IsShareMeasure(m) {
		return pct(e.CILow) + "–" + pct(e.CIHigh) + nbsp + "%"
	}
	return plots.FormatSig(e.CILow, 3) + "–" + plots.FormatSig(e.CIHigh, 3)
}

// withCI is "41 % (95 % CI 37–45 %)"; full adds the "95 % CI" words.
func withCI(m string, e plots.Estimate, full bool) string {
	s := fmtValue(m, e.Mean)
	iv := interval(m, e)
	if iv == "" {
		return s
	}
	if full {
		return s + " (95" + nbsp + "% CI " + iv + ")"
	}
	return s + " (" + iv + ")"
}

func overlap(a, b plots.Estimate) bool {
	if math.IsNaN(a.CILow) || math.IsNaN(b.CILow) {
		return true
	}
	return a.CILow <= b.CIHigh && b.CILow <= a.CIHigh
}

// meanTest reports whether t tests a mean difference: the paired t-test
// (variants sharing seeds) or Welch's (independent samples).
func meanTest(t plots.Test) bool { return t.Test == "paired_t" || t.Test == "welch_t" }

// testName is the reader-facing name of a mean-difference test.
func testName(t plots.Test) string {
	if t.Test == "paired_t" {
		return "paired t-test over seeds"
	}
	return "Welch t-test"
}

// test returns the test of the mean difference of measure m between
// variants a and b.
func test(r *plots.Results, m, a, b string) (plots.Test, bool) {
	for _, t := range r.Summary.Tests {
		if t.Measure != m || !meanTest(t) {
			continue
		}
		if (t.VariantA == a && t.VariantB == b) || (t.VariantA == b && t.VariantB == a) {
			return t, true
		}
	}
	return plots.Test{}, false
}

// difference qualifies a comparison of a and b on m with its test or, if
// there is none, with whether the intervals overlap.
func difference(r *plots.Results, m string, a, b plots.Estimate) string {
	if t, ok := test(r, m, a.Variant, b.Variant); ok && !math.IsNaN(t.P) {
		s := testName(t) + " " + plots.FormatP(t.P)
		if t.P >= 0.05 {
			s += ", so the difference may be chance"
		}
		return s
	}
	if overlap(a, b) {
		return "the 95" + nbsp + "% intervals overlap, so the difference is uncertain"
	}
	return "the 95" + nbsp + "% intervals do not overlap"
}

// estimates returns the estimates of m for every variant that has one.
func estimates(r *plots.Results, m string) []plots.Estimate {
	var out []plots.Estimate
	for _, v := range r.Variants {
		if e, ok := r.Estimate(v, m); ok && !math.IsNaN(e.Mean) {
			out = append(out, e)
		}
	}
	return out
}

// extremes returns the estimates with the highest and lowest mean.
func extremes(es []plots.Estimate) (hi, lo plots.Estimate) {
	hi, lo = es[0], es[0]
	for _, e := range es[1:] {
		if e.Mean > hi.Mean {
			hi = e
		}
		if e.Mean < lo.Mean {
			lo = e
		}
	}
	return hi, lo
}

func quote(v string) string { return "“" + v + "”" }

func overview(r *plots.Results) string {
	seeds := len(r.Summary.Seeds)
	if seeds == 0 {
		if es := estimates(r, "final_alive"); len(es) > 0 {
			seeds = es[0].N
		}
	}
	ticks := ""
	if v, ok := r.ScenarioValue("simulation.ticks").(int64); ok {
		ticks = fmt.Sprintf(" over %d ticks", v)
	}
	runs := fmt.Sprintf("%d seeds", seeds)
	if seeds == 1 {
		runs = "1 seed"
	}
	if lo, hi, ok := finishedSeeds(r); ok && seeds > 0 && lo < seeds {
		// Incomplete results: say how many of the planned seeds ran, as
		// the banner above does.
		if lo == hi {
			runs = fmt.Sprintf("%d of %d planned seeds", lo, seeds)
		} else {
			runs = fmt.Sprintf("%d–%d of %d planned seeds", lo, hi, seeds)
		}
	}
	var s string
	switch n := len(r.Variants); {
	case n == 1:
		s = fmt.Sprintf("Scenario %s was run with %s%s.", quote(r.Name()), runs, ticks)
	case r.Summary.Command == "sweep" || len(r.Sweep) > 0:
		s = fmt.Sprintf("The sweep of %s ran %d points (%s), each with %s%s.", quote(r.Name()), n, strings.Join(r.SweepParams(), ", "), runs, ticks)
	default:
		names := make([]string, n)
		for i, v := range r.Variants {
			names[i] = quote(v)
		}
		s = fmt.Sprintf("%d variants were compared (%s), each with %s%s.", n, strings.Join(names, ", "), runs, ticks)
	}
	s += " Every figure below is a mean over seeds with its 95" + nbsp + "% confidence interval (CI) in brackets: intervals built this way contain the true mean in 95 of 100 repetitions of the experiment."
	return s
}

// shockHeadline states, for every variant, the diversity of the market
// when the shock hit and the failures the shock caused beyond the
// background (against the same market run without it), each with its
// 95 % interval, the variants ranked by excess failures, with the paired
// difference between neighbours in the ranking.
func shockHeadline(r *plots.Results, s plots.Shock) string {
	em := fmt.Sprintf("shock%d_excess_fail_share", s.Index)
	pm := fmt.Sprintf("shock%d_pre_effective_strategies", s.Index)
	es := estimates(r, em)
	if len(es) == 0 || r.Summary.Command == "sweep" {
		return ""
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Mean > es[j].Mean })
	lead := fmt.Sprintf("The %s at tick %d: ", s.Name(), s.Tick)
	var parts []string
	for _, e := range es {
		part := fmt.Sprintf("%s excess failures", withCI(em, e, len(parts) == 0))
		if p, ok := r.Estimate(e.Variant, pm); ok && !math.IsNaN(p.Mean) {
			part += fmt.Sprintf(" with %s effective strategies when it hit", withCI(pm, p, false))
		}
		if len(es) > 1 {
			part = quote(e.Variant) + ": " + part
		}
		parts = append(parts, part)
	}
	out := lead + strings.Join(parts, "; ") + "."
	if len(es) > 1 {
		var diffs []string
		for i := 0; i+1 < len(es); i++ {
			a, b := es[i], es[i+1]
			if t, ok := test(r, em, a.Variant, b.Variant); ok && !math.IsNaN(t.EffectSize) {
				d, lo, hi := t.EffectSize, t.EffectCILow, t.EffectCIHigh
				if t.VariantA != a.Variant {
					d, lo, hi = -d, -hi, -lo
				}
				diffs = append(diffs, fmt.Sprintf("%s − %s: %s points (95%s%% CI %s to %s, %s %s)", quote(a.Variant), quote(b.Variant),
					signedPoints(d), nbsp, signedPoints(lo), signedPoints(hi), testName(t), plots.FormatP(t.P)))
			}
		}
		if len(diffs) > 0 {
			out += " Differences: " + strings.Join(diffs, "; ") + "."
		}
	}
	return out + " Excess failures are the share of the firms in business at the shock that failed " + window(r) +
		", minus the share of the same firms that failed in the same market run without the shock (same seeds and random draws): background exits are not counted."
}

func signedPoints(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%+.1f", 100*v)
}

func diversityFinding(r *plots.Results) string {
	const m = "final_effective_strategies"
	es := estimates(r, m)
	if len(es) == 0 {
		return ""
	}
	if len(es) == 1 {
		e := es[0]
		s := fmt.Sprintf("At the end of the run, the market had %s effective strategies", withCI(m, e, true))
		if rows := r.Stat(e.Variant, "effective_strategies"); len(rows) > 0 {
			s += fmt.Sprintf(", down from %s at tick %d", plots.FormatSig(rows[0].Mean, 3), rows[0].Tick)
		}
		return s + " (the effective number counts equally common strategies)."
	}
	if r.Summary.Command == "sweep" {
		return ""
	}
	hi, lo := extremes(es)
	out := fmt.Sprintf("Diversity at the end of the run: %s kept %s effective strategies, against %s in %s (%s).",
		quote(hi.Variant), withCI(m, hi, true), withCI(m, lo, false), quote(lo.Variant), difference(r, m, hi, lo))
	if aftermath(r) {
		out += " Some runs ended inside a shock's aftermath (the market had not come back to the level of its run without the shock), so these final values describe a market still moving after the shock, not its settled diversity: read the diversity when the shock hit instead."
	}
	return out
}

// aftermath reports whether some run ended inside a shock's aftermath.
func aftermath(r *plots.Results) bool {
	for _, e := range estimates(r, "final_in_aftermath") {
		if e.Mean > 0 {
			return true
		}
	}
	return false
}

func window(r *plots.Results) string {
	if w := r.ShockWindow(); w > 0 {
		return fmt.Sprintf("within %d ticks", w)
	}
	return "within the shock window"
}

func shockFinding(r *plots.Results, s plots.Shock) string {
	m := fmt.Sprintf("shock%d_fail_share", s.Index)
	es := estimates(r, m)
	if len(es) == 0 {
		return ""
	}
	lead := fmt.Sprintf("After the %s at tick %d, ", s.Name(), s.Tick)
	if len(es) == 1 {
		return lead + fmt.Sprintf("%s of the firms in business at the time failed %s, background exits included.", withCI(m, es[0], true), window(r))
	}
	if r.Summary.Command == "sweep" {
		return ""
	}
	hi, lo := extremes(es)
	out := lead + fmt.Sprintf("%s of firms in %s failed %s (background exits included), against %s in %s (%s).",
		withCI(m, hi, true), quote(hi.Variant), window(r), withCI(m, lo, false), quote(lo.Variant), difference(r, m, hi, lo))
	return out
}

func recoveryFinding(r *plots.Results, s plots.Shock) string {
	if len(r.Variants) != 1 {
		return ""
	}
	v := r.Variants[0]
	dm := fmt.Sprintf("shock%d_drop_depth", s.Index)
	rm := fmt.Sprintf("shock%d_recovery_ticks", s.Index)
	d, okd := r.Estimate(v, dm)
	if !okd || math.IsNaN(d.Mean) {
		return ""
	}
	out := fmt.Sprintf("The number of firms in business fell by %s at its low point after the %s", withCI(dm, d, true), s.Name())
	runs := 0
	for _, sv := range r.Summary.Variants {
		if sv.Name == v {
			runs = sv.Runs
		}
	}
	rec, okr := r.Estimate(v, rm)
	switch {
	case !okr || rec.N == 0 || math.IsNaN(rec.Mean):
		out += "; it did not get back to 90" + nbsp + "% of its level at the shock in any run"
	case runs > 0 && rec.N < runs:
		out += fmt.Sprintf("; it got back to 90"+nbsp+"%% of its level in %d of %d runs, after %s ticks on average", rec.N, runs, plots.FormatSig(rec.Mean, 3))
	default:
		out += fmt.Sprintf("; it got back to 90"+nbsp+"%% of its level after %s ticks", withCI(rm, rec, false))
	}
	return out + "."
}

func tradeoffFinding(r *plots.Results) string {
	if len(r.Shocks()) == 0 || len(r.Variants) < 2 || r.Summary.Command == "sweep" {
		return ""
	}
	s := r.Shocks()[0]
	pm, fm := fmt.Sprintf("shock%d_pre_margin", s.Index), fmt.Sprintf("shock%d_fail_share", s.Index)
	pre, fail := estimates(r, pm), estimates(r, fm)
	if len(pre) < 2 || len(fail) < 2 {
		return ""
	}
	hiPre, loPre := extremes(pre)
	hiFail, _ := extremes(fail)
	e, _ := r.Estimate(hiPre.Variant, fm)
	lead := fmt.Sprintf("Efficiency and fragility: before the %s, %s had the highest mean margin, %s against %s in %s (%s). ",
		s.Name(), quote(hiPre.Variant), withCI(pm, hiPre, true), withCI(pm, loPre, false), quote(loPre.Variant), difference(r, pm, hiPre, loPre))
	if hiFail.Variant == hiPre.Variant {
		return lead + fmt.Sprintf("It also lost the most firms to the shock, %s: efficiency came at the price of fragility.", withCI(fm, e, false))
	}
	return lead + fmt.Sprintf("It lost %s of its firms to the shock, fewer than %s with %s: in this experiment the more profitable market was not the more fragile one.",
		withCI(fm, e, false), quote(hiFail.Variant), withCI(fm, hiFail, false))
}

// median returns the Kaplan–Meier median lifetime and its 95 % interval
// (the ages where the upper and lower bounds cross one half), NaN when
// the curve does not get that low.
func median(rows []plots.SurvivalRow) (m, lo, hi float64) {
	m, lo, hi = math.NaN(), math.NaN(), math.NaN()
	for _, row := range rows {
		if math.IsNaN(m) && row.Survival <= 0.5 {
			m = row.T
		}
		// The lower band crosses one half first: the earliest plausible median.
		if math.IsNaN(lo) && !math.IsNaN(row.CILow) && row.CILow <= 0.5 {
			lo = row.T
		}
		if math.IsNaN(hi) && !math.IsNaN(row.CIHigh) && row.CIHigh <= 0.5 {
			hi = row.T
		}
	}
	return m, lo, hi
}

func survivalRows(r *plots.Results, v, typ string) []plots.SurvivalRow {
	var out []plots.SurvivalRow
	for _, row := range r.Survival {
		if row.Variant == v && row.Type == typ {
			out = append(out, row)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].T < out[j].T })
	return out
}

func medianText(rows []plots.SurvivalRow) string {
	m, lo, hi := median(rows)
	if math.IsNaN(m) {
		if len(rows) == 0 {
			return ""
		}
		return fmt.Sprintf("more than half still in business at age %g", rows[len(rows)-1].T)
	}
	s := fmt.Sprintf("%g ticks", m)
	switch {
	case !math.IsNaN(lo) && !math.IsNaN(hi):
		s += fmt.Sprintf(" (%g–%g)", lo, hi)
	case !math.IsNaN(lo):
		s += fmt.Sprintf(" (%g or more)", lo)
	}
	return s
}

func survivalFinding(r *plots.Results) string {
	if len(r.Survival) == 0 || r.Summary.Command == "sweep" {
		return ""
	}
	var parts []string
	for _, v := range r.Variants {
		if t := medianText(survivalRows(r, v, "all")); t != "" {
			if len(r.Variants) == 1 {
				parts = append(parts, t)
			} else {
				parts = append(parts, t+" in "+quote(v))
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	s := "Firm survival: the median firm lifetime (age by which half of the firms had closed, 95" + nbsp + "% CI) was " + joinAnd(parts) + "."
	if lr := r.Summary.Logrank; lr != nil && len(r.Variants) > 1 {
		verdict := "survival differs between the variants"
		if lr.P >= 0.05 {
			verdict = "the data do not show a difference in survival between the variants"
		}
		s += fmt.Sprintf(" A log-rank test says %s (χ² = %.1f, df = %d, %s).", verdict, lr.Chi2, lr.DF, plots.FormatP(lr.P))
	}
	if len(r.Variants) == 1 {
		// Which behaviour type lasts longest?
		type tm struct {
			typ string
			m   float64
		}
		var ts []tm
		for _, t := range []string{"imitator", "innovator", "specialist", "adaptive"} {
			rows := survivalRows(r, r.Variants[0], t)
			if len(rows) == 0 {
				continue
			}
			m, _, _ := median(rows)
			if math.IsNaN(m) {
				m = math.Inf(1)
			}
			ts = append(ts, tm{t, m})
		}
		if len(ts) > 1 {
			sort.SliceStable(ts, func(i, j int) bool { return ts[i].m > ts[j].m })
			s += fmt.Sprintf(" By behaviour type, %ss lasted longest, median %s, and %ss shortest, median %s.",
				ts[0].typ, medianText(survivalRows(r, r.Variants[0], ts[0].typ)),
				ts[len(ts)-1].typ, medianText(survivalRows(r, r.Variants[0], ts[len(ts)-1].typ)))
		}
	}
	return s
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func takeoverFinding(r *plots.Results) string {
	if len(r.Strategies) == 0 || r.Summary.Command == "sweep" {
		return ""
	}
	var parts []string
	for _, v := range r.Variants {
		best := plots.StrategyRow{Share: -1}
		seed := int64(math.MaxInt64)
		for _, row := range r.Strategies {
			if row.Variant == v && row.Seed < seed {
				seed = row.Seed
			}
		}
		for _, row := range r.Strategies {
			if row.Variant == v && row.Seed == seed && row.Share > best.Share {
				best = row
			}
		}
		if best.Share < 0 {
			continue
		}
		p := fmt.Sprintf("%s%s%% at tick %d", pct(best.Share), nbsp, best.Tick)
		if len(r.Variants) > 1 {
			p += " in " + quote(v)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Strategy takeover: in one run (the first seed), the single most common strategy reached a peak share of firms of " + joinAnd(parts) + ". This is one run, not an average; the takeover chart shows it over time."
}

func sweepFindings(r *plots.Results) []string {
	if len(r.Sweep) == 0 {
		return nil
	}
	params := r.SweepParams()
	if len(params) != 1 {
		return nil
	}
	key := params[0]
	type pt struct {
		x float64
		e plots.SweepRow
	}
	var out []string
	for _, m := range []string{"final_effective_strategies", "shock1_fail_share", "mean_margin"} {
		var pts []pt
		for _, row := range r.Sweep {
			if row.Measure != m || math.IsNaN(row.Mean) {
				continue
			}
			var x float64
			if _, err := fmt.Sscan(row.Values[key], &x); err != nil {
				return out
			}
			pts = append(pts, pt{x, row})
		}
		if len(pts) < 2 {
			continue
		}
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].x < pts[j].x })
		a, b := pts[0], pts[len(pts)-1]
		name := plots.HumanMeasure(m, r.Shocks())
		line := fmt.Sprintf("As %s goes from %s to %s, the %s changes from %s to %s",
			key, a.e.Values[key], b.e.Values[key], strings.ToLower(name[:1])+name[1:],
			withCI(m, a.e.Estimate, true), withCI(m, b.e.Estimate, false))
		if overlap(a.e.Estimate, b.e.Estimate) {
			line += "; the intervals overlap, so this change is uncertain"
		}
		out = append(out, line+".")
	}
	return out
}
