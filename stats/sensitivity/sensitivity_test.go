package sensitivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/smbsim/smbsim/stats"
)

// The first eight points of the unscrambled two-dimensional sequence, as
// published in SciPy's qmc.Sobol documentation (scramble=False).
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}}
	got, err := SobolPoints(8, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		for d := range want[i] {
			if got[i][d] != want[i][d] {
				t.Fatalf("point %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
}

// Joe and Kuo's third dimension (polynomial x²+x+1, m = 1, 3) starts
// 0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375, as in their published
// tables of the first points.
func TestSobolThirdDimension(t *testing.T) {
	want := []float64{0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375}
	got, _ := SobolPoints(8, 3, nil)
	for i, w := range want {
		if got[i][2] != w {
			t.Fatalf("point %d, dimension 3 = %v, want %v", i, got[i][2], w)
		}
	}
}

// Every coordinate of the first 2^k points, plain or scrambled, puts
// exactly one point into each of the 2^k equal strata (a (0,k,1)-net in
// each dimension), for every dimension the direction numbers cover.
func TestSobolStratified(t *testing.T) {
	for _, rng := range []*rand.Rand{nil, rand.New(rand.NewPCG(1, 2))} {
		n := 256
		pts, err := SobolPoints(n, MaxSobolDims, rng)
		if err != nil {
			t.Fatal(err)
		}
		for d := range MaxSobolDims {
			seen := make([]bool, n)
			for _, p := range pts {
				k := int(p[d] * float64(n))
				if seen[k] {
					t.Fatalf("scrambled=%v dimension %d: stratum %d holds two of the first %d points", rng != nil, d+1, k, n)
				}
				seen[k] = true
			}
		}
	}
	if _, err := NewSobol(MaxSobolDims+1, nil); err == nil {
		t.Error("NewSobol accepted more dimensions than it has direction numbers for")
	}
}

// Two-dimensional projections are nets too: the first 2^k points of
// dimensions (1, 2) put one point in each of 2^k elementary boxes of every
// shape 2^a × 2^(k−a), scrambled or not.
func TestSobolTwoDimensionalNet(t *testing.T) {
	for _, rng := range []*rand.Rand{nil, rand.New(rand.NewPCG(3, 4))} {
		pts, _ := SobolPoints(64, 2, rng)
		for a := 0; a <= 6; a++ {
			nx, ny := 1<<a, 1<<(6-a)
			seen := map[[2]int]bool{}
			for _, p := range pts {
				k := [2]int{int(p[0] * float64(nx)), int(p[1] * float64(ny))}
				if seen[k] {
					t.Fatalf("scrambled=%v: box %v of shape %d×%d holds two points", rng != nil, k, nx, ny)
				}
				seen[k] = true
			}
		}
	}
}

func TestSobolScrambleDeterministic(t *testing.T) {
	a, _ := SobolPoints(16, 5, rand.New(rand.NewPCG(7, 7)))
	b, _ := SobolPoints(16, 5, rand.New(rand.NewPCG(7, 7)))
	c, _ := SobolPoints(16, 5, rand.New(rand.NewPCG(8, 7)))
	same, differ := true, false
	for i := range a {
		for d := range a[i] {
			same = same && a[i][d] == b[i][d]
			differ = differ || a[i][d] != c[i][d]
		}
	}
	if !same || !differ {
		t.Errorf("scrambling: same seed same points %v (want true), other seed other points %v (want true)", same, differ)
	}
}

func TestSaltelliDesignLayout(t *testing.T) {
	for _, second := range []bool{false, true} {
		n, d := 8, 3
		x, err := SaltelliDesign(n, d, second, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if len(x) != SaltelliRows(n, d, second) {
			t.Fatalf("second=%v: %d rows, want %d", second, len(x), SaltelliRows(n, d, second))
		}
		step := len(x) / n
		for j := range n {
			a, b := x[j*step], x[j*step+step-1]
			for i := range d {
				ab := x[j*step+1+i]
				for k := range d {
					want := a[k]
					if k == i {
						want = b[k]
					}
					if ab[k] != want {
						t.Fatalf("second=%v base %d AB_%d = %v, A %v, B %v", second, j, i, ab, a, b)
					}
				}
				if second {
					ba := x[j*step+1+d+i]
					for k := range d {
						want := b[k]
						if k == i {
							want = a[k]
						}
						if ba[k] != want {
							t.Fatalf("base %d BA_%d = %v, A %v, B %v", j, i, ba, a, b)
						}
					}
				}
			}
		}
	}
}

func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	x1, x2, x3 := -math.Pi+2*math.Pi*x[0], -math.Pi+2*math.Pi*x[1], -math.Pi+2*math.Pi*x[2]
	return math.Sin(x1) + a*math.Sin(x2)*math.Sin(x2) + b*math.Pow(x3, 4)*math.Sin(x1)
}

// IshigamiN is the base sample count of the Ishigami check:
// N·(D+2) = 4096·5 = 20 480 evaluations (N·(2D+2) = 32 768 with second order).
const IshigamiN = 4096

// IshigamiTolerance is the largest allowed distance of an estimate from
// the analytic index at IshigamiN.
const IshigamiTolerance = 0.02

// Ishigami function, a = 7, b = 0.1 (Ishigami and Homma 1990), inputs
// uniform on [−π, π]: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437;
// S13 = 0.2437, the other second-order indices 0.
func TestSobolIshigami(t *testing.T) {
	got := ishigamiIndices(t, true)
	s1 := []float64{0.3139, 0.4424, 0}
	st := []float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if math.Abs(got.S1[i].Value-s1[i]) > IshigamiTolerance || math.Abs(got.ST[i].Value-st[i]) > IshigamiTolerance {
			t.Errorf("x%d: S1 %.4f (want %.4f), ST %.4f (want %.4f), tolerance %.2f", i+1, got.S1[i].Value, s1[i], got.ST[i].Value, st[i], IshigamiTolerance)
		}
		for _, e := range []stats.Estimate{got.S1[i], got.ST[i]} {
			if !(e.Low <= e.Value && e.Value <= e.High) || e.High-e.Low > 0.1 {
				t.Errorf("x%d: interval [%.4f, %.4f] around %.4f is wrong or wider than 0.1", i+1, e.Low, e.High, e.Value)
			}
		}
	}
	// The analytic variance is a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.8446.
	if math.Abs(got.Var-13.8446)/13.8446 > 0.02 {
		t.Errorf("variance %.4f, want 13.8446 within 2 %%", got.Var)
	}
	s2 := map[[2]int]float64{{0, 1}: 0, {0, 2}: 0.2437, {1, 2}: 0}
	for k, w := range s2 {
		if e := got.S2[k[0]][k[1]]; math.Abs(e.Value-w) > 0.05 {
			t.Errorf("S2 x%d,x%d = %.4f, want %.4f within 0.05", k[0]+1, k[1]+1, e.Value, w)
		}
	}
}

// ishigamiIndices runs the whole Ishigami check.
func ishigamiIndices(t testing.TB, second bool) SobolIndices {
	t.Helper()
	x, err := SaltelliDesign(IshigamiN, 3, second, rand.New(rand.NewPCG(2026, 1)))
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(x))
	for i, p := range x {
		y[i] = ishigami(p)
	}
	got, err := SobolAnalysis(y, 3, second, 200, 0.95, rand.New(rand.NewPCG(2026, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// gFunction is Sobol's G function, Π (|4x_i − 2| + a_i)/(1 + a_i).
func gFunction(a []float64) func([]float64) float64 {
	return func(x []float64) float64 {
		p := 1.0
		for i, ai := range a {
			p *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
		}
		return p
	}
}

// gAnalytic returns the G function's exact first-order and total indices:
// V_i = 1/(3(1+a_i)²), V = Π(1+V_i) − 1, S_i = V_i/V,
// ST_i = V_i·Π_{j≠i}(1+V_j)/V.
func gAnalytic(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range a {
		s1 = append(s1, vi[i]/v)
		st = append(st, vi[i]*prod/(1+vi[i])/v)
	}
	return s1, st
}

// GA are the G function's coefficients used in the tests: two important,
// two moderate and four negligible inputs.
var GA = []float64{0, 1, 4.5, 9, 99, 99, 99, 99}

// GN is the base sample count of the G-function check: N·(D+2) = 8192·10.
const GN = 8192

// GTolerance is the largest allowed distance from the analytic index.
const GTolerance = 0.03

func TestSobolGFunction(t *testing.T) {
	got := gIndices(t)
	s1, st := gAnalytic(GA)
	for i := range GA {
		if math.Abs(got.S1[i].Value-s1[i]) > GTolerance || math.Abs(got.ST[i].Value-st[i]) > GTolerance {
			t.Errorf("x%d (a=%g): S1 %.4f (want %.4f), ST %.4f (want %.4f), tolerance %.2f", i+1, GA[i], got.S1[i].Value, s1[i], got.ST[i].Value, st[i], GTolerance)
		}
	}
}

// gIndices runs the G-function check.
func gIndices(t testing.TB) SobolIndices {
	t.Helper()
	f := gFunction(GA)
	x, err := SaltelliDesign(GN, len(GA), false, rand.New(rand.NewPCG(2026, 3)))
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(x))
	for i, p := range x {
		y[i] = f(p)
	}
	got, err := SobolAnalysis(y, len(GA), false, 100, 0.95, rand.New(rand.NewPCG(2026, 4)))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// The analytic G-function indices themselves, worked by hand for
// a = 0, 1, 4.5, 9, 99 ×4: V_1 = 1/3, V_2 = 1/12, V_3 = 1/90.75,
// V_4 = 1/300, V_5… = 1/30000, V = 0.465394, so S_1 = 0.7162, S_2 = 0.1790.
func TestGAnalytic(t *testing.T) {
	s1, _ := gAnalytic(GA)
	if math.Abs(s1[0]-0.7162) > 1e-4 || math.Abs(s1[1]-0.1790) > 1e-4 {
		t.Errorf("analytic S1 = %.4f, %.4f; want 0.7162, 0.1790", s1[0], s1[1])
	}
}

// TestValidationTable prints the rows of docs/validation.md's table
// (go test ./stats/sensitivity -run ValidationTable -v); the checks above
// hold the tolerances.
func TestValidationTable(t *testing.T) {
	r := ishigamiIndices(t, true)
	s1 := []float64{0.3139, 0.4424, 0}
	st := []float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		t.Logf("| Ishigami x%d | %.3f | %.3f [%.3f, %.3f] | %.3f | %.3f [%.3f, %.3f] |", i+1, s1[i], r.S1[i].Value, r.S1[i].Low, r.S1[i].High, st[i], r.ST[i].Value, r.ST[i].Low, r.ST[i].High)
	}
	g := gIndices(t)
	gs1, gst := gAnalytic(GA)
	for i := range GA {
		t.Logf("| G x%d (a = %g) | %.4f | %.4f [%.4f, %.4f] | %.4f | %.4f [%.4f, %.4f] |", i+1, GA[i], gs1[i], g.S1[i].Value, g.S1[i].Low, g.S1[i].High, gst[i], g.ST[i].Value, g.ST[i].Low, g.ST[i].High)
	}
}

// Morris screening of the G function ranks the inputs by importance: the
// two important ones first (a = 0, then 1), the four a = 99 inputs last,
// with μ* of each negligible input below a tenth of the first's.
func TestMorrisRanksGFunction(t *testing.T) {
	f := gFunction(GA)
	for _, cand := range []int{0, 40} {
		x, err := MorrisDesign(20, len(GA), 4, cand, rand.New(rand.NewPCG(5, 5)))
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, len(x))
		for i, p := range x {
			y[i] = f(p)
		}
		got, err := MorrisAnalysis(x, y, len(GA), 200, 0.95, rand.New(rand.NewPCG(5, 6)))
		if err != nil {
			t.Fatal(err)
		}
		ms := func(i int) float64 { return got.MuStar[i].Value }
		if !(ms(0) > ms(1) && ms(1) > ms(2) && ms(2) > ms(4)) {
			t.Errorf("candidates %d: μ* = %v, %v, %v, …, %v: want decreasing with a", cand, ms(0), ms(1), ms(2), ms(4))
		}
		for i := 4; i < 8; i++ {
			if ms(i) > ms(0)/10 {
				t.Errorf("candidates %d: negligible x%d has μ* %.3f > a tenth of x1's %.3f", cand, i+1, ms(i), ms(0))
			}
		}
		// The G function is symmetric about 0.5 in each input: effects
		// cancel, so μ ≈ 0 while μ* is large — μ* exists for this.
		if math.Abs(got.Mu[0].Value) > ms(0)/2 {
			t.Errorf("μ of x1 %.3f, want |μ| well below μ* %.3f", got.Mu[0].Value, ms(0))
		}
	}
}

// A linear function's elementary effects are its slopes times the range:
// μ = μ* = the coefficient and σ = 0, exactly, for every trajectory.
func TestMorrisLinearExact(t *testing.T) {
	c := []float64{3, -2, 0.5, 0}
	x, err := MorrisDesign(10, 4, 6, 0, rand.New(rand.NewPCG(1, 9)))
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(x))
	for i, p := range x {
		for k, ck := range c {
			y[i] += ck * p[k]
		}
	}
	got, err := MorrisAnalysis(x, y, 4, 50, 0.95, rand.New(rand.NewPCG(1, 10)))
	if err != nil {
		t.Fatal(err)
	}
	for i, ck := range c {
		if math.Abs(got.Mu[i].Value-ck) > 1e-9 || math.Abs(got.MuStar[i].Value-math.Abs(ck)) > 1e-9 || got.Sigma[i].Value > 1e-9 {
			t.Errorf("x%d: μ %v μ* %v σ %v, want %v %v 0", i+1, got.Mu[i].Value, got.MuStar[i].Value, got.Sigma[i].Value, ck, math.Abs(ck))
		}
	}
}

// Every trajectory moves each parameter exactly once, by ±Δ, and stays
// on the grid; Campolongo's selection spreads trajectories at least as
// widely as the first r drawn.
func TestMorrisDesign(t *testing.T) {
	d, levels := 5, 4
	x, err := MorrisDesign(12, d, levels, 60, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != 12*(d+1) {
		t.Fatalf("%d rows, want %d", len(x), 12*(d+1))
	}
	delta := MorrisDelta(levels)
	for tr := range 12 {
		moved := make([]bool, d)
		for k := range d {
			a, b := x[tr*(d+1)+k], x[tr*(d+1)+k+1]
			for i := range d {
				if a[i] != b[i] {
					if moved[i] || math.Abs(math.Abs(a[i]-b[i])-delta) > 1e-12 {
						t.Fatalf("trajectory %d step %d moves x%d from %v to %v", tr, k, i+1, a[i], b[i])
					}
					moved[i] = true
				}
			}
		}
		for _, p := range x[tr*(d+1) : (tr+1)*(d+1)] {
			for _, v := range p {
				if g := v * float64(levels-1); math.Abs(g-math.Round(g)) > 1e-9 || v < 0 || v > 1 {
					t.Fatalf("point %v is off the grid", p)
				}
			}
		}
	}
	spread := func(x [][]float64) float64 {
		var s float64
		for a := 0; a < 12; a++ {
			for b := a + 1; b < 12; b++ {
				for _, p := range x[a*(d+1) : (a+1)*(d+1)] {
					for _, q := range x[b*(d+1) : (b+1)*(d+1)] {
						var s2 float64
						for k := range p {
							s2 += (p[k] - q[k]) * (p[k] - q[k])
						}
						s += math.Sqrt(s2)
					}
				}
			}
		}
		return s
	}
	plain, _ := MorrisDesign(12, d, levels, 0, rand.New(rand.NewPCG(4, 4)))
	if spread(x) < spread(plain) {
		t.Errorf("Campolongo selection spread %.1f < unselected %.1f", spread(x), spread(plain))
	}
	if _, err := MorrisDesign(10, 3, 5, 0, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("odd number of levels accepted")
	}
}

func TestSeedShare(t *testing.T) {
	// Points 0 and 10, each with runs ±1 around the point: within-point
	// variance 4/3·… computed by hand: runs -1,1,-1,1 | 9,11,9,11.
	g := [][]float64{{-1, 1, -1, 1}, {9, 11, 9, 11}}
	// within: each group SS = 4, df 3 → pooled 8/6; total: mean 5, SS = 4·36+4·16 = 208, /7.
	want := (8.0 / 6) / (208.0 / 7)
	if got := SeedShare(g); math.Abs(got-want) > 1e-12 {
		t.Errorf("SeedShare = %v, want %v", got, want)
	}
	if got := SeedShare([][]float64{{1}, {2, 3}}); !math.IsNaN(got) {
		t.Errorf("one run in a point: got %v, want NaN", got)
	}
}

func TestAnalysisRejectsBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := SobolAnalysis(make([]float64, 7), 3, false, 10, 0.95, rng); err == nil {
		t.Error("7 outputs accepted as a design of 3 parameters")
	}
	y := make([]float64, 10)
	y[3] = math.NaN()
	if _, err := SobolAnalysis(y, 3, false, 10, 0.95, rng); err == nil {
		t.Error("NaN output accepted")
	}
}
