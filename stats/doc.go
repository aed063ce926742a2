// Package stats provides pure, deterministic statistics for comparing
// simulation variants across seeds: online moments (Welford), Student-t
// confidence intervals, Kaplan–Meier survival curves with Greenwood
// variance, the k-sample log-rank test, Welch's t-test, the Mann–Whitney U
// test, Pearson's chi-squared goodness of fit, effect sizes (Cohen's d,
// Hedges' g, Cliff's delta), Welch intervals
// for a difference of means, and Latin hypercube sampling.
//
// Conventions shared by the whole package:
//
//   - Functions never mutate their inputs and hold no package-level mutable
//     state. The only source of randomness is an explicit *rand.Rand
//     (math/rand/v2) passed by the caller, so results are reproducible.
//   - NaN observations in sample slices ([]float64 arguments) are ignored,
//     exactly as [Welford.Add] skips them. Infinities are not filtered and
//     propagate through the arithmetic.
//   - When a quantity cannot be computed (too few observations, zero
//     variance, …) the function returns NaN for it rather than panicking.
//   - Confidence levels are two-sided and must lie strictly in (0, 1);
//     any other level is a programming error and causes a panic.
//   - Distribution functions (Student t, chi-squared, normal) come from
//     gonum.org/v1/gonum/stat/distuv; upper-tail probabilities use the
//     distributions' Survival methods to avoid cancellation for tiny p.
package stats

import "fmt"

// checkLevel panics unless level is a valid two-sided confidence level.
func checkLevel(level float64) {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats: confidence level %v not in (0, 1)", level))
	}
}
