package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Lifetime is one possibly right-censored survival observation.
type Lifetime struct {
	// T is the observed time: the time of the event if Event is true,
	// otherwise the last time the subject was seen alive (censoring time).
	// T must be non-negative (+Inf is allowed); NaN or negative T panics.
	T float64
	// Event is true if the event (e.g. firm exit) was observed at T and
	// false if the observation is right-censored at T.
	Event bool
}

// KMPoint is one step of a Kaplan–Meier survival curve.
type KMPoint struct {
	T        float64 // event time (0 for the leading point)
	AtRisk   int     // number at risk just before T
	Events   int     // number of events at T
	Censored int     // number censored in [T, next event time)
	Survival float64 // Kaplan–Meier estimate of S(T) (right-continuous)
	SE       float64 // Greenwood standard error of Survival
	Low      float64 // lower confidence bound of S(T), log-log transformed
	High     float64 // upper confidence bound of S(T), log-log transformed
}

// sortLifetimes returns a stably sorted copy of data: ascending T, and at
// equal T events before censorings (the standard convention that a subject
// censored at t was at risk at t).
func sortLifetimes(data []Lifetime) []Lifetime {
	s := make([]Lifetime, len(data))
	copy(s, data)
	for _, l := range s {
		if math.IsNaN(l.T) || l.T < 0 {
			panic(fmt.Sprintf("stats: invalid lifetime T=%v (must be >= 0)", l.T))
		}
	}
	slices.SortStableFunc(s, compareLifetime)
	return s
}

// compareLifetime orders by T, then events before censorings.
func compareLifetime(a, b Lifetime) int {
	if c := cmp.Compare(a.T, b.T); c != 0 {
		return c
	}
	switch {
	case a.Event == b.Event:
		return 0
	case a.Event:
		return -1
	default:
		return 1
	}
}

// KaplanMeier computes the Kaplan–Meier product-limit estimate of the
// survival function from right-censored data, with pointwise two-sided
// confidence intervals at the given level.
//
// The result has a leading point at T = 0 with Survival = 1 (AtRisk = the
// number of observations, Events = 0, SE = 0, Low = High = 1), followed by
// one point per distinct event time in increasing order. Each point's
// Censored counts observations censored in [T, next event time): censorings
// tied with events are treated as occurring just after them (so the subject
// is at risk at T), and censorings before the first event time are counted
// on the leading point. Hence AtRisk of a point equals the previous point's
// AtRisk − Events − Censored. If events occur at T = 0 the curve has two
// points at T = 0, the leading one and the event step.
//
// The variance is Greenwood's formula,
//
//	Var S(t) = S(t)² Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j)),
//
// and the interval is the log-log (complementary log-log) transformed one,
// as conf.type = "log-log" in R's survival::survfit: with
// σ = sqrt(Σ d_j/(n_j(n_j−d_j))) / |log S| and z = Φ⁻¹((1+level)/2),
//
//	Low = S^exp(z σ),  High = S^exp(−z σ),
//
// which always lies within [0, 1]. Where S = 1 the interval is [1, 1];
// where S = 0 (everyone remaining at risk failed) SE, Low and High are NaN,
// matching survfit.
//
// The input is not modified; it is copied and sorted stably, so the result
// does not depend on input order. Empty input returns nil; all-censored
// input returns only the leading point. KaplanMeier panics if level is not
// in (0, 1) or if any T is NaN or negative.
func KaplanMeier(data []Lifetime, level float64) []KMPoint {
	checkLevel(level)
	if len(data) == 0 {
		return nil
	}
	return NewLifeTable(data).KaplanMeier(level)
}

// kmConf returns the Greenwood SE and the log-log confidence bounds for a
// survival estimate surv with Greenwood sum gw and normal quantile z.
func kmConf(surv, gw, z float64) (se, low, high float64) {
	switch {
	case surv == 0 || math.IsInf(gw, 1):
		return math.NaN(), math.NaN(), math.NaN()
	case surv == 1:
		return 0, 1, 1
	}
	sqrtGW := math.Sqrt(gw)
	se = surv * sqrtGW
	sigma := sqrtGW / math.Abs(math.Log(surv))
	low = math.Pow(surv, math.Exp(z*sigma))
	high = math.Pow(surv, math.Exp(-z*sigma))
	// Guard against last-ulp rounding in Pow so that Low <= S <= High holds.
	return se, math.Min(low, surv), math.Max(high, surv)
}
