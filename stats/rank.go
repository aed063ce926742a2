package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// marked is an observation for a rank test: its value and whether it
// belongs to the group whose rank sum is wanted.
type marked struct {
	x    float64
	mark bool
}

// markedRankSum sorts obs by value (stably) and returns the sum of the
// mid-ranks of the marked observations and Σ(t³ − t) over groups of t tied
// values, the correction both rank-sum tests need. Values must not be NaN.
func markedRankSum(obs []marked) (sum, ties float64) {
	slices.SortStableFunc(obs, func(p, q marked) int {
		switch {
		case p.x < q.x:
			return -1
		case p.x > q.x:
			return 1
		}
		return 0
	})
	for i := 0; i < len(obs); {
		j := i + 1
		for j < len(obs) && obs[j].x == obs[i].x {
			j++
		}
		// Positions i..j-1 share the mid-rank (i+1 + j)/2.
		rank := float64(i+1+j) / 2
		for _, o := range obs[i:j] {
			if o.mark {
				sum += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	return sum, ties
}

// normalRankP is the two-sided p-value of a rank statistic that deviates
// by dev from its mean, with standard deviation sigma, by the normal
// approximation with continuity correction (half a unit towards the mean).
func normalRankP(dev, sigma float64) float64 {
	cc := 0.0
	switch {
	case dev > 0:
		cc = 0.5
	case dev < 0:
		cc = -0.5
	}
	return math.Min(1, 2*distuv.UnitNormal.Survival(math.Abs((dev-cc)/sigma)))
}
