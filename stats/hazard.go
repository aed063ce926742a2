package stats

import "math"

// IntervalHazard returns, for each interval (k·width, (k+1)·width] of
// age, k = 0 … intervals−1, the events at an age in it divided by the
// time at risk in it (in units of width): the occurrence–exposure rate,
// e.g. exits per firm-year when ages are months and width is 12. An
// interval with no time at risk is NaN. An event at age 0 counts in no
// interval.
func IntervalHazard(data []Lifetime, width float64, intervals int) []float64 {
	events := make([]float64, intervals)
	exposure := make([]float64, intervals)
	for _, l := range data {
		for k := 0; k < intervals && float64(k)*width < l.T; k++ {
			exposure[k] += min(width, l.T-float64(k)*width) / width
		}
		if l.Event && l.T > 0 {
			k := int((l.T - 1e-9) / width)
			if k < intervals {
				events[k]++
			}
		}
	}
	out := make([]float64, intervals)
	for k := range out {
		out[k] = events[k] / exposure[k]
		if exposure[k] == 0 {
			out[k] = math.NaN()
		}
	}
	return out
}
