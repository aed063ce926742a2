package main

import (
	"slices"
	"testing"
)

// A Latin hypercube sweep over stepped ranges samples distinct values of
// each key while it has at least as many values as samples, and spreads
// the samples evenly over the values otherwise.
func TestSweepLHSOnSteppedRanges(t *testing.T) {
	for _, c := range []struct {
		vary    []string
		samples int
		max     int // most points on one value of each key
	}{
		{[]string{"biases.herding=0:1:0.25"}, 4, 1},
		{[]string{"biases.herding=0:1:0.25"}, 5, 1},
		{[]string{"biases.herding=0:1:0.25"}, 7, 2},
		{[]string{"biases.herding=0:1:0.25", "network.kind=ring,small_world,random"}, 3, 1},
		{[]string{"biases.herding=0:1:0.1", "market.crowding_penalty=0:0.2:0.01"}, 8, 1},
	} {
		for seed := range uint64(20) {
			points, keys, err := sweepPoints(c.vary, "lhs", c.samples, seed)
			if err != nil {
				t.Fatal(err)
			}
			if len(points) != c.samples {
				t.Fatalf("%v: %d points, want %d", c.vary, len(points), c.samples)
			}
			for k := range keys {
				count := map[string]int{}
				for _, p := range points {
					count[p[k]]++
				}
				if most := slices.Max(mapValues(count)); most > c.max {
					t.Errorf("%v samples %d seed %d: %s takes one value %d times: %v", c.vary, c.samples, seed, keys[k], most, count)
				}
			}
		}
	}
}

func mapValues(m map[string]int) []int {
	var out []int
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
