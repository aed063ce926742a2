package network

import (
	"slices"
	"testing"
)

// The radius-2 von Neumann lattice links every pair of sites within two
// steps (|dx| + |dy| ≤ 2, across the edges on a torus): 12 neighbours in
// the interior, fewer at a bounded border, 12 everywhere on a torus.
func TestLatticeReach2(t *testing.T) {
	for _, tc := range []struct {
		w, h                     int
		wrap                     bool
		corner, border, interior int
	}{{10, 10, false, 5, 8, 12}, {10, 7, true, 12, 12, 12}, {6, 5, false, 5, 8, 12}} {
		g := build(t, Params{Kind: KindLattice, Width: tc.w, Height: tc.h, Reach2: true, Wrap: tc.wrap}, tc.w*tc.h, nil, 1)
		if d := [3]int{g.Degree(0), g.Degree(3), g.Degree(2*tc.w + 3)}; d != [3]int{tc.corner, tc.border, tc.interior} {
			t.Errorf("%d×%d wrap %v: degrees corner, border, interior %v, want %d %d %d", tc.w, tc.h, tc.wrap, d, tc.corner, tc.border, tc.interior)
		}
		dist := func(a, b, side int) int {
			d := max(a-b, b-a)
			if tc.wrap {
				d = min(d, side-d)
			}
			return d
		}
		for v := range tc.w * tc.h {
			var want []int32
			for u := range tc.w * tc.h {
				if d := dist(u%tc.w, v%tc.w, tc.w) + dist(u/tc.w, v/tc.w, tc.h); u != v && d <= 2 {
					want = append(want, int32(u))
				}
			}
			if got := g.Neighbours(v); !slices.Equal(got, want) {
				t.Fatalf("%d×%d wrap %v: neighbours of %d are %v, want %v", tc.w, tc.h, tc.wrap, v, got, want)
			}
		}
	}
}
