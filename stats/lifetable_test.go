package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bitsEqual compares bit for bit, NaN equal to NaN.
func bitsEqual(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// A LifeTable with extra empty rows and ±0 / +Inf times gives the same bits
// as the Lifetime path.
func TestLifeTableMatchesLifetimes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var groups [][]Lifetime
	var tables []LifeTable
	for g := range 3 {
		ls := []Lifetime{{T: math.Copysign(0, -1), Event: true}, {T: 0}, {T: math.Inf(1), Event: g == 1}}
		counts := map[int][2]int{}
		for range 40 + 20*g {
			tt, ev := r.IntN(25), r.Float64() < 0.6
			ls = append(ls, Lifetime{T: float64(tt), Event: ev})
			c := counts[tt]
			if ev {
				c[0]++
			} else {
				c[1]++
			}
			counts[tt] = c
		}
		groups = append(groups, ls)
		// Dense table by hand, including empty rows.
		lt := LifeTable{T: []float64{0}, Events: []int{1}, Censored: []int{1}}
		counts[0] = [2]int{counts[0][0] + 1, counts[0][1] + 1}
		lt.Events[0], lt.Censored[0] = counts[0][0], counts[0][1]
		for tt := 1; tt < 30; tt++ {
			lt.T = append(lt.T, float64(tt))
			lt.Events = append(lt.Events, counts[tt][0])
			lt.Censored = append(lt.Censored, counts[tt][1])
		}
		inf := 0
		if g == 1 {
			inf = 1
		}
		lt.T = append(lt.T, math.Inf(1))
		lt.Events = append(lt.Events, inf)
		lt.Censored = append(lt.Censored, 1-inf)
		tables = append(tables, lt)

		want, got := KaplanMeier(ls, 0.9), lt.KaplanMeier(0.9)
		if len(got) != len(want) {
			t.Fatalf("group %d: %d points, want %d", g, len(got), len(want))
		}
		for i := range want {
			a, b := got[i], want[i]
			if a.T != b.T || a.AtRisk != b.AtRisk || a.Events != b.Events || a.Censored != b.Censored ||
				!bitsEqual(a.Survival, b.Survival) || !bitsEqual(a.SE, b.SE) ||
				!bitsEqual(a.Low, b.Low) || !bitsEqual(a.High, b.High) {
				t.Fatalf("group %d point %d: %+v, want %+v", g, i, a, b)
			}
		}
	}
	c1, df1, p1 := LogRankTables(tables)
	c2, df2, p2 := LogRank(groups)
	if !bitsEqual(c1, c2) || df1 != df2 || !bitsEqual(p1, p2) {
		t.Errorf("LogRankTables (%v, %d, %v), LogRank (%v, %d, %v)", c1, df1, p1, c2, df2, p2)
	}
	if KaplanMeier(nil, 0.95) != nil || (LifeTable{}).KaplanMeier(0.95) != nil {
		t.Error("empty input should give nil")
	}
}

func TestLifeTableInvalidPanics(t *testing.T) {
	for name, lt := range map[string]LifeTable{
		"lengths":    {T: []float64{1}, Events: []int{1}},
		"descending": {T: []float64{2, 1}, Events: []int{1, 1}, Censored: []int{0, 0}},
		"negative":   {T: []float64{-1}, Events: []int{1}, Censored: []int{0}},
		"count":      {T: []float64{1}, Events: []int{-1}, Censored: []int{0}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			lt.KaplanMeier(0.95)
		}()
	}
}
