package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCohensDHedgesG(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		a, b []float64
		d, g float64
	}{
		// 1..5 vs 3..7: means 3 and 5, both variances 2.5, s_p = sqrt(2.5),
		// d = −2/1.5811388 = −1.2649111. m = 8, J = Γ(4)/(2·Γ(3.5))
		// = 6/(2·3.3233510) = 0.9027033, g = −1.1418337.
		{"hand", []float64{1, 2, 3, 4, 5}, []float64{3, 4, 5, 6, 7}, -1.264911064, -1.264911064 * 0.9027033337},
		// Sleep data: s_p = sqrt((9·3.2005556 + 9·4.009)/18) = 1.8986469,
		// d = −1.58/1.8986469 = −0.8321811; m = 18,
		// J = Γ(9)/(3·Γ(8.5)) = 40320/(3·14034.407) = 0.9576462.
		{"sleep", sleep1, sleep2, -0.8321810813, -0.8321810813 * 0.957646427},
		// One sample of size 1 still has a pooled SD from the other:
		// s_p = sqrt(2/(1+3−2)) = 1, d = (4 − 2)/1 = 2; m = 2,
		// J = Γ(1)/(1·Γ(0.5)) = 1/sqrt(π) = 0.5641896.
		{"n=1 and 3", []float64{4}, []float64{1, 2, 3}, 2, 2 / math.Sqrt(math.Pi)},
		{"zero pooled SD", []float64{1, 1}, []float64{2, 2}, nan, nan},
		{"too few", []float64{1}, []float64{2}, nan, nan},
		{"empty", nil, []float64{1, 2, 3}, nan, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkNear(t, "d", CohensD(tc.a, tc.b), tc.d, 1e-7)
			checkNear(t, "g", HedgesG(tc.a, tc.b), tc.g, 1e-7)
		})
	}
	// Exact J against the usual approximation 1 − 3/(4(na+nb) − 9) for
	// large samples (m = 198: J = 0.996207 vs 0.996212).
	a := make([]float64, 100)
	b := make([]float64, 100)
	for i := range a {
		a[i], b[i] = float64(i), float64(i%7)
	}
	ratio := HedgesG(a, b) / CohensD(a, b)
	checkNear(t, "J(198)", ratio, 1-3.0/(4*200-9), 1e-5)
}

// cliffBrute computes Cliff's delta and its consistent-variance interval
// directly from the full dominance matrix, as in effsize::cliff.delta.
func cliffBrute(a, b []float64, z float64) (delta, low, high float64) {
	n1, n2 := float64(len(a)), float64(len(b))
	dm := make([][]float64, len(a))
	sum := 0.0
	for i, x := range a {
		dm[i] = make([]float64, len(b))
		for j, y := range b {
			switch {
			case x > y:
				dm[i][j] = 1
			case x < y:
				dm[i][j] = -1
			}
			sum += dm[i][j]
		}
	}
	delta = sum / (n1 * n2)
	d := delta
	if math.Abs(d) == 1 {
		d *= (n1*n2 - 1) / (n1 * n2)
	}
	var si, sj, sij float64
	for i := range a {
		m := 0.0
		for j := range b {
			m += dm[i][j] / n2
			sij += (dm[i][j] - d) * (dm[i][j] - d)
		}
		si += (m - d) * (m - d)
	}
	for j := range b {
		m := 0.0
		for i := range a {
			m += dm[i][j] / n1
		}
		sj += (m - d) * (m - d)
	}
	s2 := ((n2-1)*si/(n1-1) + (n1-1)*sj/(n2-1) + sij/((n1-1)*(n2-1))) / (n1 * n2)
	h := z * math.Sqrt(s2) * math.Sqrt((1-d*d)*(1-d*d)+z*z*s2)
	den := 1 - d*d + z*z*s2
	low, high = (d-d*d*d-h)/den, (d-d*d*d+h)/den
	if delta == 1 {
		high = 1
	}
	if delta == -1 {
		low = -1
	}
	return delta, low, high
}

func TestCliffsDelta(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name          string
		a, b          []float64
		delta, lo, hi float64
	}{
		// a = 1,2,3 vs b = 2,3,4: dominance rows (−1,−1,−1), (0,−1,−1),
		// (1,0,−1): 1 pair a>b, 6 pairs a<b, δ = (1 − 6)/9 = −5/9.
		// Row means −1, −2/3, 0; column means 0, −2/3, −1:
		// S_i. = S_.j = 0.2592593, S_ij = 1.0555556, s² = 0.2325103,
		// CI = (δ − δ³ ∓ 1.959964·s·sqrt((1−δ²)² + z²s²))/(1 − δ² + z²s²)
		//    = (−0.9408069, 0.4560119).
		{"hand", []float64{1, 2, 3}, []float64{2, 3, 4}, -5.0 / 9, -0.9408069464, 0.4560118814},
		// Example from effsize's tests (treatment/control): δ = −0.25 and
		// the consistent variance components quoted in effsize's source,
		// S_i. = 0.2669753, S_.j = 0.447, S_ij = 1.0055556, so
		// s² = (5·0.2669753 + 9·0.447 + 1.0055556)/60 = 0.1060572 and the
		// normal-quantile interval is (−0.7125351, 0.3639999).
		{"effsize example", []float64{10, 10, 20, 20, 20, 30, 30, 30, 40, 50}, []float64{10, 20, 30, 40, 40, 50},
			-0.25, -0.7125350951, 0.3639998950},
		// Sleep: 24 pairs a>b, 73 a<b (3 ties), δ = −0.49.
		{"sleep", sleep1, sleep2, -0.49, -0.8053687506, 0.0415620724},
		// Fully separated: δ = −1; variance computed with δ' = −11/12,
		// lower bound set to −1 (effsize convention).
		{"separated", []float64{1, 2, 3}, []float64{4, 5, 6, 7}, -1, -1, -0.6431527616},
		{"all tied", []float64{2, 2}, []float64{2, 2, 2}, 0, 0, 0},
		{"n=1", []float64{5}, []float64{1, 2, 9}, 1.0 / 3, nan, nan},
		{"empty", []float64{}, []float64{1, 2}, nan, nan, nan},
		{"NaN ignored", []float64{1, nan, 2, 3}, []float64{2, 3, nan, 4}, -5.0 / 9, -0.9408069464, 0.4560118814},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, lo, hi := CliffsDelta(tc.a, tc.b)
			checkNear(t, "delta", d, tc.delta, 1e-12)
			checkNear(t, "low", lo, tc.lo, 1e-9)
			checkNear(t, "high", hi, tc.hi, 1e-9)
		})
	}
}

func TestCliffsDeltaMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		a := make([]float64, 2+rng.IntN(15))
		b := make([]float64, 2+rng.IntN(15))
		shift := rng.IntN(7) - 3
		for i := range a {
			a[i] = float64(rng.IntN(8) + shift) // heavy ties
		}
		for i := range b {
			b[i] = float64(rng.IntN(8))
		}
		level := 0.8 + 0.19*rng.Float64()
		d, lo, hi := CliffsDeltaCI(a, b, level)
		bd, blo, bhi := cliffBrute(a, b, zQuantile((1+level)/2))
		if !near(d, bd, 1e-12) || !near(lo, blo, 1e-9) || !near(hi, bhi, 1e-9) {
			t.Fatalf("a=%v b=%v: got (%v, %v, %v), brute force (%v, %v, %v)", a, b, d, lo, hi, bd, blo, bhi)
		}
		if !(-1 <= lo && lo <= d && d <= hi && hi <= 1) {
			t.Fatalf("a=%v b=%v: interval (%v, %v) does not bracket %v within [-1, 1]", a, b, lo, hi, d)
		}
		// Antisymmetry: swapping the samples negates delta and the interval.
		sd, slo, shi := CliffsDeltaCI(b, a, level)
		if !near(sd, -d, 1e-12) || !near(slo, -hi, 1e-9) || !near(shi, -lo, 1e-9) {
			t.Fatalf("not antisymmetric: (%v, %v, %v) vs (%v, %v, %v)", d, lo, hi, sd, slo, shi)
		}
	}
}
