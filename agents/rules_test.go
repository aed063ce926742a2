package agents

import (
	"math"
	"math/rand/v2"
	"testing"
)

func layout(t *testing.T, d, q int) Layout {
	t.Helper()
	l, err := NewLayout(d, q)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLayout(t *testing.T) {
	for _, c := range []struct{ d, q, bits int }{{8, 8, 3}, {5, 10, 4}, {15, 15, 4}, {64, 2, 1}, {16, 16, 4}, {3, 1000, 10}} {
		l := layout(t, c.d, c.q)
		if l.B != c.bits {
			t.Errorf("D=%d Q=%d: %d bits per practice, want %d", c.d, c.q, l.B, c.bits)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 200 {
			var a, b uint64
			want := 0
			for d := 0; d < c.d; d++ {
				oa, ob := r.IntN(c.q), r.IntN(c.q)
				a, b = l.Set(a, d, oa), l.Set(b, d, ob)
				if oa != ob {
					want++
				}
			}
			if got := l.Distance(a, b); got != want {
				t.Fatalf("D=%d Q=%d: distance %d, want %d", c.d, c.q, got, want)
			}
			if s, err := l.Parse(l.Format(a)); err != nil || s != a {
				t.Fatalf("Parse(Format(%x)) = %x, %v", a, s, err)
			}
		}
	}
	if _, err := NewLayout(22, 8); err == nil {
		t.Error("22 dimensions × 3 bits accepted")
	}
	l := layout(t, 3, 4)
	for _, bad := range []string{"1-2", "1-2-4", "a-b-c", "1--2"} {
		if _, err := l.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestMutateAndCopy(t *testing.T) {
	l := layout(t, 8, 8)
	r := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		s := l.Mutate(0, 8, r) // a random full change
		for n := 1; n <= 8; n++ {
			if got := l.Distance(s, l.Mutate(s, n, r)); got != n {
				t.Fatalf("Mutate by %d changed %d practices", n, got)
			}
		}
		m := l.Mutate(s, 5, r)
		for n := 0; n <= 6; n++ {
			c := l.CopyFrom(s, m, n, r)
			if want := max(5-n, 0); l.Distance(c, m) != want || l.Distance(c, s) != 5-want {
				t.Fatalf("CopyFrom %d of 5 differing practices: distance to model %d", n, l.Distance(c, m))
			}
		}
	}
}

// TestAxelrodProbability checks that an interaction happens with
// probability overlap/D and copies exactly one practice.
func TestAxelrodProbability(t *testing.T) {
	l := layout(t, 5, 10)
	r := rand.New(rand.NewPCG(5, 6))
	const n = 100000
	for overlap := 0; overlap <= 5; overlap++ {
		var a, b uint64
		for d := overlap; d < 5; d++ {
			b = l.Set(b, d, 1)
		}
		changed := 0
		for range n {
			c := l.Axelrod(a, b, r)
			if c != a {
				changed++
				if l.Distance(c, a) != 1 || l.Distance(c, b) != 5-overlap-1 {
					t.Fatal("Axelrod did not copy exactly one differing practice")
				}
			}
		}
		want := float64(overlap) / 5
		if overlap == 5 {
			want = 0
		}
		got := float64(changed) / n
		if math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/n)+1e-9 {
			t.Errorf("overlap %d: interaction rate %.4f, want %.2f", overlap, got, want)
		}
	}
}

func TestHerding(t *testing.T) {
	l := layout(t, 3, 4)
	s := uint64(0) // options 0-0-0
	mk := func(o0, o1, o2 int) uint64 { return l.Set(l.Set(l.Set(0, 0, o0), 1, o1), 2, o2) }
	counts := make([]int32, 12)
	cases := []struct {
		name      string
		observed  []uint64
		threshold float64
		d, o      int
		ok        bool
	}{
		{"no neighbours", nil, 0.5, 0, 0, false},
		{"majority on practice 1", []uint64{mk(0, 2, 0), mk(0, 2, 1), mk(0, 2, 0), mk(3, 0, 0)}, 0.5, 1, 2, true},
		{"below threshold", []uint64{mk(0, 2, 0), mk(0, 3, 1), mk(1, 0, 0), mk(3, 0, 0)}, 0.5, 0, 0, false},
		{"exactly at threshold is not enough", []uint64{mk(0, 2, 0), mk(0, 2, 0), mk(0, 0, 0), mk(0, 0, 0)}, 0.5, 0, 0, false},
		{"own practice does not count", []uint64{mk(0, 0, 0), mk(0, 0, 0), mk(0, 0, 0)}, 0.1, 0, 0, false},
		{"ties go to the lowest dimension", []uint64{mk(1, 1, 0), mk(1, 1, 0)}, 0.5, 0, 1, true},
	}
	for _, c := range cases {
		d, o, ok := l.Herding(s, c.observed, c.threshold, counts)
		if ok != c.ok || ok && (d != c.d || o != c.o) {
			t.Errorf("%s: got (%d, %d, %v), want (%d, %d, %v)", c.name, d, o, ok, c.d, c.o, c.ok)
		}
	}
}

func TestAnchorAccepts(t *testing.T) {
	l := layout(t, 8, 8)
	r := rand.New(rand.NewPCG(7, 8))
	anchor := uint64(0)
	cur := l.Set(0, 0, 1)                  // 1 away from the anchor
	away2 := l.Set(l.Set(cur, 1, 1), 2, 1) // 3 away: Δ = 2
	toward := uint64(0)
	const n = 50000
	for _, g := range []float64{0, 0.3, 0.7, 1} {
		acc := 0
		for range n {
			if l.AnchorAccepts(cur, away2, anchor, g, r) {
				acc++
			}
			if !l.AnchorAccepts(cur, toward, anchor, g, r) {
				t.Fatal("a move toward the anchor was resisted")
			}
		}
		want := (1 - g) * (1 - g)
		if got := float64(acc) / n; math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/n)+1e-9 {
			t.Errorf("g=%v: accepted %.4f, want %.4f", g, got, want)
		}
	}
}

func TestRoleModel(t *testing.T) {
	l := layout(t, 4, 4)
	r := rand.New(rand.NewPCG(9, 10))
	self := uint64(0)
	near := l.Set(0, 0, 1)                          // shares 3 of 4
	far := l.Set(l.Set(l.Set(0, 0, 2), 1, 2), 2, 2) // shares 1 of 4
	cands := []Candidate{
		{Strategy: near, Profit: 1, Revenue: 5},
		{Strategy: far, Profit: 3, Revenue: 1},
	}
	media := &Candidate{Strategy: l.Set(0, 3, 3), Revenue: 10}
	cases := []struct {
		name       string
		own        float64
		media      *Candidate
		avail, con float64
		want       uint64
		ok         bool
	}{
		{"most profitable", 0, nil, 0, 0, far, true},
		{"only if better than own", 5, nil, 0, 0, 0, false},
		{"confirmation keeps to similar firms", 0, nil, 0, 1, near, true},
		{"availability picks the most visible", 5, nil, 1, 0, near, true},
		{"availability picks the media", 5, media, 1, 0, media.Strategy, true},
	}
	for _, c := range cases {
		got, ok := l.RoleModel(self, c.own, cands, c.media, c.avail, c.con, r)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("%s: got %s %v, want %s %v", c.name, l.Format(got), ok, l.Format(c.want), c.ok)
		}
	}
}

func TestRothErev(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	q := NewRothErev()
	for range 200 {
		q.Reinforce(Innovator, 1, 0.05)
	}
	counts := [3]int{}
	for range 10000 {
		counts[q.Choose(r)]++
	}
	if counts[Innovator] < 9000 {
		t.Errorf("a reinforced behaviour was chosen %d of 10000 times", counts[Innovator])
	}
	if counts[Imitator] == 0 || counts[Specialist] == 0 {
		t.Errorf("the floor of 0.01 should keep every behaviour possible: %v", counts)
	}
}
