package present_test

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/present"
)

// TestEstimate checks the numbers people read: one precision for a mean
// and its bounds, intervals cut at the measure's range, shares in
// percent, never exponent notation.
func TestEstimate(t *testing.T) {
	for _, tc := range []struct {
		m            string
		v, lo, hi    float64
		want, wl, wh string
	}{
		{"shock1_recovery_ticks", 114.3, -135.9, 364.6, "114", "0", "365"},
		{"shock1_fail_share", 0.004, -0.01, 0.02, "0.4", "0.0", "2.0"},
		{"shock1_fail_share", 0.395, 0.362, 0.428, "40", "36", "43"},
		{"shock1_excess_fail_share", 0.014, -0.016, 0.043, "1.4", "−1.6", "4.3"},
		{"final_hhi", 0.0017, -0.0000184, 0.003, "0.00170", "0.00000", "0.00300"},
		{"mean_margin", -1.93, -4.78, 0.922, "−1.93", "−4.78", "0.92"},
		{"final_largest_region", 0.83, 0.54, 1.12, "83", "54", "100"},
		{"final_alive", 812, 790, 834, "812", "790", "834"},
	} {
		v, l, h := present.Estimate(tc.m, tc.v, tc.lo, tc.hi)
		if v != tc.want || l != tc.wl || h != tc.wh {
			t.Errorf("Estimate(%s, %v, %v, %v) = %s [%s, %s], want %s [%s, %s]", tc.m, tc.v, tc.lo, tc.hi, v, l, h, tc.want, tc.wl, tc.wh)
		}
	}
	for v, want := range map[float64]string{1.84e-05: "0.000018", -0.5: "−0.50", 123456: "123456", 0: "0", math.NaN(): "–"} {
		if got := present.Sig(v, 2); got != want {
			t.Errorf("Sig(%v, 2) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{812.4: "812.4", 1234.5: "1234", 0.00042: "0.0004", 1.84e-05: "0.000018", -2.5: "-2.50", math.Inf(1): "–"} {
		if got := present.Num(v); got != want {
			t.Errorf("Num(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestP pins the one p-value style.
func TestP(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		want string
	}{
		{0, "p < 0.001"},
		{4.2e-5, "p < 0.001"},
		{0.000999, "p < 0.001"},
		{0.001, "p = 0.001"},
		{0.0342, "p = 0.034"},
		{0.034, "p = 0.034"},
		{0.05, "p = 0.05"},
		{0.41, "p = 0.41"},
		{0.4149, "p = 0.41"},
		{0.5, "p = 0.5"},
		{1, "p = 1"},
		{0.0456, "p = 0.046"},
		{math.NaN(), "p not available"},
	} {
		if got := present.P(tc.p); got != tc.want {
			t.Errorf("P(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
