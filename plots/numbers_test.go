package plots_test

import (
	"math"
	"testing"

	"github.com/smbsim/smbsim/plots"
)

// TestFormatEstimate checks the numbers people read: one precision for a
// mean and its bounds, intervals cut at the measure's range, shares in
// percent, never exponent notation.
func TestFormatEstimate(t *testing.T) {
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
		v, l, h := plots.FormatEstimate(tc.m, tc.v, tc.lo, tc.hi)
		if v != tc.want || l != tc.wl || h != tc.wh {
			t.Errorf("FormatEstimate(%s, %v, %v, %v) = %s [%s, %s], want %s [%s, %s]", tc.m, tc.v, tc.lo, tc.hi, v, l, h, tc.want, tc.wl, tc.wh)
		}
	}
	for v, want := range map[float64]string{1.84e-05: "0.000018", -0.5: "−0.50", 123456: "123456", 0: "0", math.NaN(): "–"} {
		if got := plots.FormatSig(v, 2); got != want {
			t.Errorf("FormatSig(%v, 2) = %q, want %q", v, got, want)
		}
	}
}
