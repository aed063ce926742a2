package sim

import (
	"math"
	"sort"
	"testing"
)

// TestSizeMeasuresExact recomputes revenue_gini, top1_revenue_share and
// young_share naively every tick.
func TestSizeMeasuresExact(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Firms = 400
	cfg.Ticks = 120
	w, err := New(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	for w.Step() {
		var rev []float64
		young := 0
		for i := 0; i < w.n; i++ {
			if w.isAlive(i) {
				rev = append(rev, float64(float32(w.revenue[i])))
				if w.tick-int(w.demo[i].born) < youngAge {
					young++
				}
			}
		}
		sort.Float64s(rev)
		n := float64(len(rev))
		total, weighted := 0.0, 0.0
		for j, x := range rev {
			total += x
			weighted += float64(j+1) * x
		}
		gini := 2*weighted/(n*total) - (n+1)/n
		k := (len(rev) + 99) / 100
		top := 0.0
		for _, x := range rev[len(rev)-k:] {
			top += x
		}
		m := w.Metrics()
		if w.tick%sizeEvery != 0 && !w.Done() {
			if !math.IsNaN(m[MGini]) || !math.IsNaN(m[MTop1Share]) {
				t.Fatalf("tick %d: revenue_gini %v, top1_revenue_share %v measured between years", w.tick, m[MGini], m[MTop1Share])
			}
		} else if math.Abs(m[MGini]-gini) > 1e-9 || math.Abs(m[MTop1Share]-top/total) > 1e-9 {
			t.Fatalf("tick %d: gini %v top1 %v, naive %v %v", w.tick, m[MGini], m[MTop1Share], gini, top/total)
		}
		if m[MYoungShare] != float64(young)/n {
			t.Fatalf("tick %d: young_share %v, naive %v", w.tick, m[MYoungShare], float64(young)/n)
		}
	}
}

// TestFirmsDifferWithinAClass: firms on the same strategy in the same
// sector earn different revenues (size, capability, age), and revenue is
// right-skewed.
func TestFirmsDifferWithinAClass(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Ticks = 200
	w, err := New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	for w.Step() {
	}
	byClass := map[int32]map[float64]bool{}
	var rev []float64
	for i := 0; i < w.n; i++ {
		if !w.isAlive(i) {
			continue
		}
		if byClass[w.cls[i]] == nil {
			byClass[w.cls[i]] = map[float64]bool{}
		}
		byClass[w.cls[i]][w.revenue[i]] = true
		rev = append(rev, w.revenue[i])
	}
	differ := 0
	for _, rs := range byClass {
		if len(rs) > 1 {
			differ++
		}
	}
	if differ == 0 {
		t.Error("every class's firms earn the same revenue")
	}
	if s := skewness(rev); s <= 1 {
		t.Errorf("revenue skewness %.2f, want > 1", s)
	}
}

// TestDemandSetsThePopulation: with twice the demand the population grows
// beyond the initial positions into the reserve; with no headroom it
// cannot.
func TestDemandSetsThePopulation(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Ticks = 250
	cfg.Market.SpendPerFirm = 2
	for _, h := range []float64{1, 0} {
		cfg.Demography.Headroom = h
		w, err := New(cfg, 2)
		if err != nil {
			t.Fatal(err)
		}
		peak := 0
		for w.Step() {
			peak = max(peak, w.aliveN)
		}
		if h > 0 && peak <= w.n0 {
			t.Errorf("headroom %v: peak population %d, want above the %d initial firms", h, peak, w.n0)
		}
		if h == 0 && peak > w.n0 {
			t.Errorf("headroom 0: peak population %d above the %d positions", peak, w.n0)
		}
	}
}

// TestNewnessFadesWithAge pins the newcomer factor's table.
func TestNewnessFadesWithAge(t *testing.T) {
	tab := newnessTable(0.7, 12)
	if math.Abs(tab[0]-0.3) > 1e-12 || math.Abs(tab[12]-(1-0.7*math.Exp(-1))) > 1e-9 || tab[len(tab)-1] != 1 {
		t.Errorf("newness table: n(0)=%v n(12)=%v last=%v", tab[0], tab[12], tab[len(tab)-1])
	}
	for a := 1; a < len(tab); a++ {
		if tab[a] < tab[a-1] {
			t.Fatalf("n(%d)=%v < n(%d)=%v", a, tab[a], a-1, tab[a-1])
		}
	}
	if got := newnessTable(0, 12); len(got) != 1 || got[0] != 1 {
		t.Errorf("no newness: %v", got)
	}
}
