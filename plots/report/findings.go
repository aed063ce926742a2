package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
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
	defined := false // excess failures are defined in the first headline only
	for _, h := range present.Headline(&r.Summary) {
		line := shockHeadline(r, h, !defined)
		defined = defined || line != ""
		add(line)
	}
	add(shockRanking(r))
	add(diversityFinding(r))
	add(regionsFinding(r))
	add(fitnessFinding(r))
	for _, s := range r.Shocks() {
		add(targetFinding(r, s))
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
	if strings.HasSuffix(m, "fail_share") && !math.IsNaN(v) {
		return present.Minus(fmt.Sprintf("%.1f", 100*v)) + nbsp + "%" // one decimal, as the terminal prints failure shares
	}
	s, _, _ := present.Estimate(m, v, math.NaN(), math.NaN())
	if results.InPercent(m) {
		return s + nbsp + "%"
	}
	return s
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f", 100*v)
}

// withCI is "41 % (95 % CI 37–45 %)"; full adds the "95 % CI" words. The
// mean and the bounds share their decimals; the interval is cut at the
// measure's possible range (no negative shares or ticks).
func withCI(m string, e results.Estimate, full bool) string {
	if strings.HasSuffix(m, "fail_share") {
		return pct1CI(e, full) // one decimal, as the terminal's tables print failure shares
	}
	v, lo, hi := present.Estimate(m, e.Mean, e.CILow, e.CIHigh)
	unit := ""
	if results.InPercent(m) {
		unit = nbsp + "%"
	}
	s := v + unit
	if math.IsNaN(e.CILow) || math.IsNaN(e.CIHigh) {
		return s
	}
	sep := "–"
	if strings.HasPrefix(lo, "−") {
		sep = " to " // "−4.78–0.92" would read as a range of negatives
	}
	iv := lo + sep + hi + unit
	if full {
		return s + " (95" + nbsp + "% CI " + iv + ")"
	}
	return s + " (" + iv + ")"
}

func overlap(a, b results.Estimate) bool {
	if math.IsNaN(a.CILow) || math.IsNaN(b.CILow) {
		return true
	}
	return a.CILow <= b.CIHigh && b.CILow <= a.CIHigh
}

// difference qualifies a comparison of a and b on m with its test or, if
// there is none, with whether the intervals overlap.
func difference(r *plots.Results, m string, a, b results.Estimate) string {
	if c := present.MeanContrast(&r.Summary, m, a.Variant, b.Variant); c.Test != "" && !math.IsNaN(c.P) {
		s := present.TestName(c.Test) + " " + present.P(c.P)
		if c.P >= present.Significance {
			s += ", so the difference may be chance"
		}
		return s
	}
	if overlap(a, b) {
		return "the 95" + nbsp + "% intervals overlap, so the difference is uncertain"
	}
	return "the 95" + nbsp + "% intervals do not overlap"
}

// estimates returns the estimates of m for every variant that has one,
// leaving out the copies of variants run under a control (compare
// --control): those are compared only where the answer says where the focus
// contrast holds.
func estimates(r *plots.Results, m string) []results.Estimate {
	var out []results.Estimate
	for _, v := range r.Variants {
		if present.IsCopy(&r.Summary, v) {
			continue
		}
		if e, ok := r.Estimate(v, m); ok && !math.IsNaN(e.Mean) {
			out = append(out, e)
		}
	}
	return out
}

// extremes returns the estimates with the highest and lowest mean.
func extremes(es []results.Estimate) (hi, lo results.Estimate) {
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
	ticks := ticksPhrase(r)
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
		if f := r.Summary.Focus; f != "" {
			s += fmt.Sprintf(" The scenario is about %s: the findings compare every other variant with it.", quote(f))
		}
	}
	s += " Every figure below is a mean over seeds with its 95" + nbsp + "% confidence interval (CI) in brackets: intervals built this way contain the true mean in 95 of 100 repetitions of the experiment."
	return s
}

// shockHeadline states, for every variant, the diversity of the market
// when the shock hit and the failures the shock caused beyond the
// background (against the same market run without it), each with its
// 95 % interval, the variants ranked by excess failures, with the paired
// difference between neighbours in the ranking, or between the focus
// variant and each other. With define it ends with the definition of
// excess failures (given once, in the first headline).
func shockHeadline(r *plots.Results, h present.ShockHeadline, define bool) string {
	if len(h.Rows) == 0 || r.Summary.Command == "sweep" {
		return ""
	}
	pm := results.ShockMeasureName(h.Shock.Index, present.HeadlineBefore)
	lead := fmt.Sprintf("The %s at tick %d: ", h.Shock.Name(), h.Shock.Tick)
	var parts []string
	for _, row := range h.Rows {
		part := fmt.Sprintf("%s excess failures", pct1CI(results.EstimateOf(row.Variant, h.Measure, row.Excess), len(parts) == 0))
		if !math.IsNaN(float64(row.Before.Mean)) {
			part += fmt.Sprintf(" with %s effective strategies when it hit", withCI(pm, results.EstimateOf(row.Variant, pm, row.Before), false))
		}
		if len(h.Rows) > 1 {
			name := quote(row.Variant)
			if row.Variant == r.Summary.Focus {
				name += " (the variant this scenario is about)"
			}
			part = name + ": " + part
		}
		parts = append(parts, part)
	}
	out := lead + strings.Join(parts, "; ") + "."
	if len(h.Rows) > 1 {
		// The focus against every other variant, or else each variant
		// against the next in the ranking.
		var pairs []present.Contrast
		for i, row := range h.Rows {
			switch {
			case h.FocusRank >= 0 && i != h.FocusRank:
				if c, ok := h.FocusAgainst(row.Variant); ok {
					pairs = append(pairs, c)
				}
			case h.FocusRank < 0 && i < len(h.Steps):
				pairs = append(pairs, h.Steps[i])
			}
		}
		var diffs []string
		for _, c := range pairs {
			if c.Tested() {
				diffs = append(diffs, fmt.Sprintf("%s − %s: %s points (95%s%% CI %s to %s, %s %s)", quote(c.A), quote(c.B),
					signedPoints(c.Diff), nbsp, signedPoints(c.Lo), signedPoints(c.Hi), present.TestName(c.Test), present.P(c.P)))
			}
		}
		if len(diffs) > 0 {
			out += " Differences: " + strings.Join(diffs, "; ") + "."
		}
	}
	if !define {
		return out
	}
	return out + " Excess failures are the share of the firms in business at the shock that failed " + window(r) +
		", minus the share of the same firms that failed in the same market run without the shock (same seeds and random draws): background exits are not counted."
}

// shockRanking ranks the shocks of a single variant by the failures each
// caused beyond the background, largest first (two or more shocks).
func shockRanking(r *plots.Results) string {
	if len(r.Variants) != 1 || len(r.Shocks()) < 2 {
		return ""
	}
	rs, _ := present.RankShocks(&r.Summary, 0)
	if len(rs) < 2 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, x := range rs {
		parts[i] = fmt.Sprintf("the %s (tick %d) %s", x.Shock.Name(), x.Shock.Tick, pct1CI(results.EstimateOf(r.Variants[0], "", x.Excess), false))
	}
	return "The shocks ranked by excess failures, largest first: " + strings.Join(parts, "; ") +
		". Later shocks hit a market already changed by the earlier ones, and neighbouring ranks whose intervals overlap may be in either order."
}

func signedPoints(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return present.Points(v)
}

// pct1CI is a share and its interval in percent with one decimal, so that
// excess failures a point apart read apart: "25.1 % (95 % CI 24.5–25.7 %)".
func pct1CI(e results.Estimate, full bool) string {
	one := func(v float64) string { return present.Minus(fmt.Sprintf("%.1f", 100*v)) }
	s := one(e.Mean) + nbsp + "%"
	if math.IsNaN(e.CILow) || math.IsNaN(e.CIHigh) {
		return s
	}
	sep := "–"
	if e.CILow < 0 {
		sep = " to " // "−1.5–18.2" would read as a range of negatives
	}
	iv := one(e.CILow) + sep + one(e.CIHigh) + nbsp + "%"
	if full {
		return s + " (95" + nbsp + "% CI " + iv + ")"
	}
	return s + " (" + iv + ")"
}

// ticksPhrase says how long the runs were: " over 500 ticks", or for runs
// that stopped early " for up to 100000 ticks (runs stopped when nothing
// could change any more, at ticks 612 to 1388)".
func ticksPhrase(r *plots.Results) string {
	limit, ok := r.TickLimit()
	lo, hi := runLengths(r)
	switch {
	case !ok && hi == 0:
		return ""
	case !ok:
		return fmt.Sprintf(" over %d ticks", hi)
	case hi == 0 || (lo == limit && hi == limit):
		return fmt.Sprintf(" over %d ticks", limit)
	case lo == hi:
		return fmt.Sprintf(" for up to %d ticks (every run stopped at tick %d, when nothing could change any more)", limit, lo)
	}
	return fmt.Sprintf(" for up to %d ticks (runs stopped when nothing could change any more, between tick %d and tick %d)", limit, lo, hi)
}

// runLengths returns the shortest and the longest run (last tick of a
// run, results.Dir.RunEnds), 0, 0 without them.
func runLengths(r *plots.Results) (lo, hi int) {
	lo = math.MaxInt
	for _, t := range r.RunEnds() {
		lo, hi = min(lo, t), max(hi, t)
	}
	if hi == 0 {
		return 0, 0
	}
	return lo, hi
}

// world is what the simulated firms make up: a market, or a world of
// cultures without one.
func world(r *plots.Results) string {
	if r.HasMarket() {
		return "the market"
	}
	return "the world"
}

func diversityFinding(r *plots.Results) string {
	const m = "final_effective_strategies"
	es := estimates(r, m)
	if len(es) == 0 {
		return ""
	}
	if len(es) == 1 {
		e := es[0]
		s := fmt.Sprintf("At the end of the run, %s had %s effective strategies", world(r), withCI(m, e, true))
		if rows := r.Stat(e.Variant, "effective_strategies"); len(rows) > 0 {
			s += fmt.Sprintf(", down from %s at tick %d", present.Sig(rows[0].Mean, 3), rows[0].Tick)
		}
		s += " (the effective number counts equally common strategies)."
		if aftermath(r) {
			s += " Some runs ended inside a shock's aftermath (the market had not come back to the level of its run without the shock), so this final value describes a market still moving after the shock, not its settled diversity: read the diversity when the shock hit instead."
		}
		return s
	}
	if r.Summary.Command == "sweep" {
		return ""
	}
	hi, lo := extremes(es)
	var out string
	focus := -1
	for i, e := range es {
		if e.Variant == r.Summary.Focus {
			focus = i
		}
	}
	if focus >= 0 && hi.Mean != lo.Mean {
		// The variant the scenario is about against every other.
		f := es[focus]
		var others []string
		for i, e := range es {
			if i != focus {
				others = append(others, fmt.Sprintf("%s in %s (%s)", withCI(m, e, false), quote(e.Variant), difference(r, m, f, e)))
			}
		}
		out = fmt.Sprintf("Diversity at the end of the run: %s kept %s effective strategies, against %s.",
			quote(f.Variant), withCI(m, f, true), joinAnd(others))
	} else if hi.Mean == lo.Mean {
		out = fmt.Sprintf("Diversity at the end of the run: every variant ended with %s effective strategies.", withCI(m, hi, true))
	} else {
		out = fmt.Sprintf("Diversity at the end of the run: %s kept %s effective strategies, against %s in %s (%s).",
			quote(hi.Variant), withCI(m, hi, true), withCI(m, lo, false), quote(lo.Variant), difference(r, m, hi, lo))
	}
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

// regionsFinding states the regions of identical strategies at the end
// and the largest one's share, for a world without a market (Axelrod's
// measures); in a market they are in the statistics table.
func regionsFinding(r *plots.Results) string {
	if r.HasMarket() || len(r.Variants) != 1 {
		return ""
	}
	v := r.Variants[0]
	reg, ok := r.Estimate(v, "final_regions")
	if !ok || math.IsNaN(reg.Mean) {
		return ""
	}
	s := fmt.Sprintf("At the end, the firms formed %s regions of identical strategies (connected neighbours with the same strategy)", withCI("final_regions", reg, true))
	if big, ok := r.Estimate(v, "final_largest_region"); ok && !math.IsNaN(big.Mean) {
		s += fmt.Sprintf("; the largest held %s of the firms", withCI("final_largest_region", big, false))
	}
	return s + "."
}

// fitnessFinding compares the variants' mean fitness on a landscape early
// in the run (a tenth of the way) and at the end, from the time series.
func fitnessFinding(r *plots.Results) string {
	if !r.HasMetric("mean_fitness") || r.Summary.Command == "sweep" {
		return ""
	}
	at := func(v string, frac float64) (results.StatRow, bool) {
		rows := r.Stat(v, "mean_fitness")
		if len(rows) == 0 {
			return results.StatRow{}, false
		}
		last := rows[len(rows)-1].Tick
		for _, row := range rows {
			if float64(row.Tick) >= frac*float64(last) {
				return row, true
			}
		}
		return rows[len(rows)-1], true
	}
	describe := func(frac float64) (string, int) {
		var parts []string
		tick := 0
		for _, v := range r.Variants {
			row, ok := at(v, frac)
			if !ok {
				continue
			}
			tick = row.Tick
			e := results.Estimate{Variant: v, Mean: row.Mean, CILow: row.CILow, CIHigh: row.CIHigh, N: row.N}
			p := withCI("mean_fitness", e, len(parts) == 0)
			if len(r.Variants) > 1 {
				p += " in " + quote(v)
			}
			parts = append(parts, p)
		}
		return joinAnd(parts), tick
	}
	early, t0 := describe(0.1)
	end, t1 := describe(1)
	if early == "" {
		return ""
	}
	return fmt.Sprintf("Mean fitness on the landscape: %s at tick %d; %s at the end (tick %d). Higher is better; see the fitness chart for the whole course.", early, t0, end, t1)
}

func window(r *plots.Results) string {
	if w := r.ShockWindow(); w > 0 {
		return fmt.Sprintf("within %d ticks", w)
	}
	return "within the shock window"
}

// targetFinding says how many firms used the option a shock hit (the
// failed platform, the disrupted practice) when it struck.
func targetFinding(r *plots.Results, s results.ShockInfo) string {
	if r.Summary.Command == "sweep" {
		return ""
	}
	what := "the option it hit"
	switch s.Kind {
	case "platform_failure":
		what = "the platform that failed"
	case "tech_disruption":
		what = "the practice it made obsolete"
	case "regulation":
		what = "the regulated option"
	}
	var parts []string
	for _, v := range r.Variants {
		row, ok := r.TargetShareAtShock(v, s)
		if !ok {
			continue
		}
		e := results.Estimate{Variant: v, Mean: row.Mean, CILow: row.CILow, CIHigh: row.CIHigh, N: row.N}
		p := withCI("final_top_share", e, len(parts) == 0)
		if len(r.Variants) > 1 {
			p += " in " + quote(v)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	charts := "the platforms chart shows how that share moved"
	if len(r.Shares) > 0 {
		charts = "the platforms chart shows how that share moved, the shares chart who used which option in single runs"
	}
	return fmt.Sprintf("When the %s struck at tick %d, %s was used by %s of the firms in business (%s).",
		s.Name(), s.Tick, what, joinAnd(parts), charts)
}

func shockFinding(r *plots.Results, s results.ShockInfo) string {
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

func recoveryFinding(r *plots.Results, s results.ShockInfo) string {
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
		out += fmt.Sprintf("; it got back to 90"+nbsp+"%% of its level in %d of %d runs, after %s ticks on average", rec.N, runs, present.Sig(rec.Mean, 3))
	case rec.Mean == 0 && (rec.CIHigh == 0 || math.IsNaN(rec.CIHigh)):
		out += "; it never fell below 90" + nbsp + "% of its level at the shock within the window"
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
	// Fragility is the failures the shock caused beyond the background
	// when the results have them, else the raw share (background included).
	pm, fm := fmt.Sprintf("shock%d_pre_margin", s.Index), fmt.Sprintf("shock%d_excess_fail_share", s.Index)
	what := "beyond the background"
	if len(estimates(r, fm)) < 2 {
		fm, what = fmt.Sprintf("shock%d_fail_share", s.Index), "background exits included"
	}
	pre, fail := estimates(r, pm), estimates(r, fm)
	if len(pre) < 2 || len(fail) < 2 {
		return ""
	}
	hiPre, loPre := extremes(pre)
	hiFail, _ := extremes(fail)
	e, _ := r.Estimate(hiPre.Variant, fm)
	lead := fmt.Sprintf("Efficiency and fragility: before the %s, %s had the highest mean margin, %s against %s in %s (%s). ",
		s.Name(), quote(hiPre.Variant), withCI(pm, hiPre, true), withCI(pm, loPre, false), quote(loPre.Variant), difference(r, pm, hiPre, loPre))
	// Only what the tests say: no causal link between margin and losses
	// is tested here, so none is claimed.
	if hiFail.Variant == hiPre.Variant {
		return lead + fmt.Sprintf("It also lost the most firms to the shock (%s), %s. No control in this experiment tests whether its margin is the reason (see the horizons, counting bases and controls of smbsim compare --control).", what, withCI(fm, e, false))
	}
	return lead + fmt.Sprintf("It lost %s of its firms to the shock (%s), fewer than %s with %s (%s).",
		withCI(fm, e, false), what, quote(hiFail.Variant), withCI(fm, hiFail, false), difference(r, fm, hiFail, e))
}

// median returns the Kaplan–Meier median lifetime and its 95 % interval
// (the ages where the upper and lower bounds cross one half), NaN when
// the curve does not get that low.
func median(rows []results.SurvivalRow) (m, lo, hi float64) {
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

func medianText(rows []results.SurvivalRow) string {
	m, lo, hi := median(rows)
	if math.IsNaN(m) {
		if len(rows) == 0 || rows[len(rows)-1].T <= 0 {
			return ""
		}
		return fmt.Sprintf("not reached: more than half were still in business at age %g, the oldest observed", rows[len(rows)-1].T)
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
	if len(r.Survival) == 0 || r.Summary.Command == "sweep" || !r.HasMarket() {
		return ""
	}
	var parts []string
	for _, v := range r.Variants {
		if t := medianText(r.SurvivalRows(v, "all")); t != "" {
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
	if len(r.Variants) > 1 {
		s += " These pooled lifetimes mix the behaviour types in each variant's own proportions, so a variant can lead here while its firms of every type do worse (a composition effect): the survival-by-type chart compares like with like."
	}
	if lr := r.Summary.Logrank; lr != nil && len(r.Variants) > 1 {
		verdict := "survival differs between the variants"
		if float64(lr.P) >= present.Significance {
			verdict = "the data do not show a difference in survival between the variants"
		}
		s += fmt.Sprintf(" A log-rank test says %s (χ² = %.1f, df = %d, %s).", verdict, lr.Chi2, lr.DF, present.P(float64(lr.P)))
	}
	if len(r.Variants) == 1 {
		// Which behaviour type lasts longest?
		type tm struct {
			typ string
			m   float64
		}
		var ts []tm
		for _, t := range []string{"imitator", "innovator", "specialist", "adaptive"} {
			rows := r.SurvivalRows(r.Variants[0], t)
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
				ts[0].typ, medianText(r.SurvivalRows(r.Variants[0], ts[0].typ)),
				ts[len(ts)-1].typ, medianText(r.SurvivalRows(r.Variants[0], ts[len(ts)-1].typ)))
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
		best := results.StrategyRow{Share: -1}
		seed := uint64(math.MaxUint64)
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

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
