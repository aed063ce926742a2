package stats

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Freireich et al. (1963) remission times (weeks) for acute leukaemia,
// as tabulated in e.g. Kleinbaum & Klein, "Survival Analysis: A
// Self-Learning Text", ch. 2, and R's MASS::gehan. Event false = censored.
var (
	freireich6MP = []Lifetime{
		{6, true}, {6, true}, {6, true}, {6, false}, {7, true}, {9, false},
		{10, true}, {10, false}, {11, false}, {13, true}, {16, true},
		{17, false}, {19, false}, {20, false}, {22, true}, {23, true},
		{25, false}, {32, false}, {32, false}, {34, false}, {35, false},
	}
	freireichPlacebo = lifetimesAllEvents(1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23)
)

func lifetimesAllEvents(ts ...float64) []Lifetime {
	out := make([]Lifetime, len(ts))
	for i, t := range ts {
		out[i] = Lifetime{T: t, Event: true}
	}
	return out
}

func TestKaplanMeierFreireich(t *testing.T) {
	// Expected values: R, survfit(Surv(time, cens) ~ 1, data =
	// subset(MASS::gehan, treat == "6-MP"), conf.type = "log-log"), which
	// prints (time n.risk n.event survival std.err lower upper):
	//   6 21 3 0.857 0.0764 0.620 0.952
	//   7 17 1 0.807 0.0869 0.563 0.923
	//  10 15 1 0.753 0.0963 0.503 0.889
	//  13 12 1 0.690 0.1068 0.432 0.849
	//  16 11 1 0.627 0.1141 0.368 0.805
	//  22  7 1 0.538 0.1282 0.268 0.747
	//  23  6 1 0.448 0.1346 0.188 0.680
	// Survival to 4 decimals by hand: 18/21 = 0.8571, ·16/17 = 0.8067,
	// ·14/15 = 0.7529, ·11/12 = 0.6902, ·10/11 = 0.6275, ·6/7 = 0.5378,
	// ·5/6 = 0.4482. Greenwood at t=6: 0.8571·sqrt(3/(21·18)) = 0.0764.
	// Censored follows Kleinbaum & Klein's q_j: censored in [t_j, t_{j+1}).
	want := []KMPoint{
		{T: 0, AtRisk: 21, Events: 0, Censored: 0, Survival: 1, SE: 0, Low: 1, High: 1},
		{T: 6, AtRisk: 21, Events: 3, Censored: 1, Survival: 0.857, SE: 0.0764, Low: 0.620, High: 0.952},
		{T: 7, AtRisk: 17, Events: 1, Censored: 1, Survival: 0.807, SE: 0.0869, Low: 0.563, High: 0.923},
		{T: 10, AtRisk: 15, Events: 1, Censored: 2, Survival: 0.753, SE: 0.0963, Low: 0.503, High: 0.889},
		{T: 13, AtRisk: 12, Events: 1, Censored: 0, Survival: 0.690, SE: 0.1068, Low: 0.432, High: 0.849},
		{T: 16, AtRisk: 11, Events: 1, Censored: 3, Survival: 0.627, SE: 0.1141, Low: 0.368, High: 0.805},
		{T: 22, AtRisk: 7, Events: 1, Censored: 0, Survival: 0.538, SE: 0.1282, Low: 0.268, High: 0.747},
		{T: 23, AtRisk: 6, Events: 1, Censored: 5, Survival: 0.448, SE: 0.1346, Low: 0.188, High: 0.680},
	}
	got := KaplanMeier(freireich6MP, 0.95)
	comparePoints(t, got, want, 5e-4)

	// The input order must not matter, and the input must not be modified.
	shuffled := slices.Clone(freireich6MP)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	before := slices.Clone(shuffled)
	if got2 := KaplanMeier(shuffled, 0.95); !slices.Equal(got, got2) {
		t.Errorf("result depends on input order:\n%v\n%v", got, got2)
	}
	if !slices.Equal(before, shuffled) {
		t.Errorf("KaplanMeier modified its input")
	}
}

func TestKaplanMeierPlacebo(t *testing.T) {
	// Placebo arm, no censoring: S is the empirical survival function.
	// R survfit: t=8 n.risk 12 n.event 4 survival 0.381 std.err 0.106;
	// t=23 n.risk 1 n.event 1 survival 0 (std.err and CI NA).
	got := KaplanMeier(freireichPlacebo, 0.95)
	if len(got) != 13 { // leading point + 12 distinct times
		t.Fatalf("len = %d, want 13", len(got))
	}
	p8 := got[6]
	if p8.T != 8 || p8.AtRisk != 12 || p8.Events != 4 {
		t.Errorf("t=8 point = %+v", p8)
	}
	checkNear(t, "S(8)", p8.Survival, 8.0/21, 1e-12)
	checkNear(t, "SE(8)", p8.SE, math.Sqrt(8.0/21*13.0/21/21), 1e-12) // binomial SE without censoring
	last := got[len(got)-1]
	if last.T != 23 || last.Survival != 0 || !math.IsNaN(last.SE) || !math.IsNaN(last.Low) || !math.IsNaN(last.High) {
		t.Errorf("last point = %+v, want S=0 with NaN SE/CI", last)
	}
}

func comparePoints(t *testing.T, got, want []KMPoint, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d points, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.T != w.T || g.AtRisk != w.AtRisk || g.Events != w.Events || g.Censored != w.Censored {
			t.Errorf("point %d = %+v, want %+v", i, g, w)
			continue
		}
		if !near(g.Survival, w.Survival, tol) || !near(g.SE, w.SE, tol) ||
			!near(g.Low, w.Low, tol) || !near(g.High, w.High, tol) {
			t.Errorf("point %d (t=%v): S=%.4f SE=%.4f CI=[%.4f, %.4f], want S=%.4f SE=%.4f CI=[%.4f, %.4f]",
				i, g.T, g.Survival, g.SE, g.Low, g.High, w.Survival, w.SE, w.Low, w.High)
		}
	}
}

func TestKaplanMeierEdgeCases(t *testing.T) {
	nan := math.NaN()
	lead := func(n, c int) KMPoint {
		return KMPoint{T: 0, AtRisk: n, Censored: c, Survival: 1, Low: 1, High: 1}
	}
	// Two events and a censoring at t=1 among 4 subjects:
	// S(1) = 2/4, Greenwood Σ = 2/(4·2) = 0.25, SE = 0.5·0.5 = 0.25;
	// log-log: σ = 0.5/ln 2 = 0.721348, z σ = 1.959964·0.721348 = 1.413815,
	// Low = 0.5^exp(1.413815) = 0.5^4.111611 = 0.057847,
	// High = 0.5^exp(−1.413815) = 0.5^0.243214 = 0.844861.
	// The censored subject is at risk at t=1 (censored after the events),
	// so only the t=3 subject is at risk at t=3: S(3) = 0.
	tiesWithCensoring := []Lifetime{{1, true}, {1, false}, {1, true}, {3, true}}
	for _, tc := range []struct {
		name string
		data []Lifetime
		want []KMPoint
	}{
		{"empty", nil, nil},
		{"all censored", []Lifetime{{5, false}, {2, false}, {2, false}},
			[]KMPoint{lead(3, 3)}},
		{"ties with censoring", tiesWithCensoring, []KMPoint{
			lead(4, 0),
			{T: 1, AtRisk: 4, Events: 2, Censored: 1, Survival: 0.5, SE: 0.25, Low: 0.057847, High: 0.844861},
			{T: 3, AtRisk: 1, Events: 1, Censored: 0, Survival: 0, SE: nan, Low: nan, High: nan},
		}},
		{"censored before first event and after last", []Lifetime{{0.5, false}, {2, true}, {2, true}, {4, false}, {math.Inf(1), false}},
			// S(2) = 2/4; Greenwood Σ = 2/(4·2), same CI as above.
			[]KMPoint{lead(5, 1),
				{T: 2, AtRisk: 4, Events: 2, Censored: 2, Survival: 0.5, SE: 0.25, Low: 0.057847, High: 0.844861}}},
		{"event at time zero", []Lifetime{{0, true}, {0, false}, {1, true}},
			// S(0) = 2/3, Σ = 1/(3·2), σ = sqrt(1/6)/ln 1.5 = 1.006864,
			// z σ = 1.973418: Low = (2/3)^exp(1.973418) = (2/3)^7.195228 = 0.054073,
			// High = (2/3)^exp(−1.973418) = (2/3)^0.138981 = 0.945206.
			// Then 1 at risk at t=1 → S = 0.
			[]KMPoint{lead(3, 0),
				{T: 0, AtRisk: 3, Events: 1, Censored: 1, Survival: 2.0 / 3, SE: 2.0 / 3 * math.Sqrt(1.0/6), Low: 0.054073, High: 0.945206},
				{T: 1, AtRisk: 1, Events: 1, Survival: 0, SE: nan, Low: nan, High: nan}}},
		{"single event", []Lifetime{{7, true}},
			[]KMPoint{lead(1, 0), {T: 7, AtRisk: 1, Events: 1, Survival: 0, SE: nan, Low: nan, High: nan}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := KaplanMeier(tc.data, 0.95)
			if tc.want == nil {
				if got != nil {
					t.Fatalf("got %+v, want nil", got)
				}
				return
			}
			comparePoints(t, got, tc.want, 1e-6)
		})
	}
}

func TestKaplanMeierInvalidPanics(t *testing.T) {
	expectPanic(t, "negative T", func() { KaplanMeier([]Lifetime{{-1, true}}, 0.95) })
	expectPanic(t, "NaN T", func() { KaplanMeier([]Lifetime{{math.NaN(), false}}, 0.95) })
	expectPanic(t, "LogRank NaN T", func() { LogRank([][]Lifetime{{{math.NaN(), true}}, {{1, true}}}) })
}

// checkKMInvariants verifies structural properties that must hold for any
// input: a leading (0, 1) point, strictly increasing event times after it,
// consistent at-risk bookkeeping, non-increasing survival within [0, 1],
// and Low ≤ S ≤ High within [0, 1] (CI NaN only where S = 0).
func checkKMInvariants(t *testing.T, data []Lifetime, pts []KMPoint) {
	t.Helper()
	if len(data) == 0 {
		if pts != nil {
			t.Fatalf("non-nil result for empty input")
		}
		return
	}
	if len(pts) == 0 || pts[0].T != 0 || pts[0].Survival != 1 || pts[0].AtRisk != len(data) || pts[0].Events != 0 {
		t.Fatalf("bad leading point: %+v", pts)
	}
	events, censored := 0, 0
	for _, l := range data {
		if l.Event {
			events++
		} else {
			censored++
		}
	}
	sumE, sumC := 0, 0
	for i, p := range pts {
		sumE += p.Events
		sumC += p.Censored
		if i > 0 {
			q := pts[i-1]
			if p.T < q.T || (i > 1 && p.T == q.T) {
				t.Errorf("times not increasing at %d: %v then %v", i, q.T, p.T)
			}
			if p.AtRisk != q.AtRisk-q.Events-q.Censored {
				t.Errorf("at-risk bookkeeping broken at %d: %+v after %+v", i, p, q)
			}
			if p.Events < 1 {
				t.Errorf("point %d has no events: %+v", i, p)
			}
			if p.Survival > q.Survival {
				t.Errorf("survival increases at %d: %v then %v", i, q.Survival, p.Survival)
			}
		}
		if !(p.Survival >= 0 && p.Survival <= 1) {
			t.Errorf("survival out of [0,1] at %d: %v", i, p.Survival)
		}
		if p.Survival == 0 {
			if !math.IsNaN(p.Low) || !math.IsNaN(p.High) {
				t.Errorf("S=0 but CI = [%v, %v]", p.Low, p.High)
			}
			continue
		}
		if !(0 <= p.Low && p.Low <= p.Survival && p.Survival <= p.High && p.High <= 1) {
			t.Errorf("point %d: want 0 <= Low <= S <= High <= 1, got %+v", i, p)
		}
		if !(p.SE >= 0) {
			t.Errorf("point %d: SE = %v", i, p.SE)
		}
	}
	if sumE != events || sumC != censored {
		t.Errorf("events %d/%d, censored %d/%d", sumE, events, sumC, censored)
	}
	if last := pts[len(pts)-1]; last.AtRisk-last.Events-last.Censored != 0 {
		t.Errorf("subjects left over at the end: %+v", last)
	}
}

func TestKaplanMeierProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 7))
	for range 2000 {
		n := rng.IntN(40)
		data := make([]Lifetime, n)
		for i := range data {
			// Few distinct integer times to force many ties.
			data[i] = Lifetime{T: float64(rng.IntN(8)), Event: rng.IntN(3) > 0}
		}
		level := []float64{0.5, 0.9, 0.95, 0.99}[rng.IntN(4)]
		checkKMInvariants(t, data, KaplanMeier(data, level))
		if t.Failed() {
			t.Fatalf("failing input: %+v", data)
		}
	}
}

func FuzzKaplanMeier(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{6, 1, 6, 1, 6, 0, 7, 1, 9, 0, 10, 1})
	f.Add([]byte{0, 1, 0, 0, 1, 1, 1, 1, 1, 0})
	f.Add([]byte{3, 0, 3, 0, 3, 0})
	f.Add([]byte{200, 1, 3, 1, 200, 1, 200, 0, 7, 1, 7, 1, 7, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Each pair of bytes is one lifetime: time byte (few distinct values
		// so ties are common), then the low bit of the next byte as Event.
		var data []Lifetime
		for i := 0; i+1 < len(b); i += 2 {
			data = append(data, Lifetime{T: float64(b[i] % 32), Event: b[i+1]&1 == 1})
		}
		level := 0.95
		if len(b) >= 8 {
			// Occasionally fuzz the level too, mapped into (0, 1).
			u := binary.LittleEndian.Uint32(b[len(b)-4:])
			level = (float64(u%999) + 1) / 1000
		}
		checkKMInvariants(t, data, KaplanMeier(data, level))
	})
}
