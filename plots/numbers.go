package plots

import (
	"math"
	"strconv"
	"strings"
)

// MeasureBounds returns the range a per-run measure ("final_hhi",
// "shock2_fail_share") or an engine metric ("hhi") can take: shares lie in
// [0, 1], counts, ticks and diversity are not negative, margins are at
// most 1. Intervals drawn or printed for people are clipped to it.
func MeasureBounds(m string) (lo, hi float64) {
	if _, rest, ok := ShockMeasure(m); ok {
		switch rest {
		case "fail_share", "drop_depth", "background_fail_share", "pre_top_share", "pre_mean_pairwise_distance", "target_share":
			return 0, 1
		case "recovery_ticks", "pre_effective_strategies", "pre_alive":
			return 0, math.Inf(1)
		case "excess_fail_share", "excess_drop_depth":
			return -1, 1 // a difference of two shares
		case "revenue_lost_share": // negative when the shock raised revenue
			return math.Inf(-1), 1
		case "effective_gap":
			return -1, math.Inf(1)
		case "pre_mean_cash":
			return math.Inf(-1), math.Inf(1)
		case "pre_margin":
			return math.Inf(-1), 1
		}
		return math.Inf(-1), math.Inf(1)
	}
	switch strings.TrimPrefix(m, "final_") {
	case "top_share", "hhi", "largest_region", "mean_pairwise_distance", "mean_fitness", "platform_top_share", "shock_target_share":
		return 0, 1
	case "mean_margin":
		return math.Inf(-1), 1
	case "in_aftermath":
		return 0, 1
	case "mean_cash":
		return math.Inf(-1), math.Inf(1)
	}
	return 0, math.Inf(1)
}

// ClipInterval clamps an interval to the range of measure m (NaN stays
// NaN).
func ClipInterval(m string, lo, hi float64) (float64, float64) {
	a, b := MeasureBounds(m)
	clip := func(v float64) float64 {
		if math.IsNaN(v) {
			return v
		}
		return math.Max(a, math.Min(b, v))
	}
	return clip(lo), clip(hi)
}

// decimals is the number of decimals that shows v with about sig
// significant digits (0 for large values, at most 6).
func decimals(v float64, sig int) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	return max(0, min(6, sig-1-mag))
}

// formatFixed formats v with dec decimals, a true minus sign and no
// "−0".
func formatFixed(v float64, dec int) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return strings.Replace(s, "-", "−", 1)
}

// FormatEstimate formats a mean and its interval bounds for people, all
// three with the same decimals (those of the mean at three significant
// digits; shares as whole percentages, with one decimal below 10 %), the
// interval clipped to the measure's range. No exponent notation.
func FormatEstimate(m string, mean, lo, hi float64) (v, l, h string) {
	lo, hi = ClipInterval(m, lo, hi)
	scale, dec := 1.0, decimals(mean, 3)
	if IsShareMeasure(m) {
		scale, dec = 100, 0
		if math.Abs(mean) < 0.1 {
			dec = 1
		}
	}
	return formatFixed(mean*scale, dec), formatFixed(lo*scale, dec), formatFixed(hi*scale, dec)
}

// FormatSame formats a value and two bounds with the decimals of the value
// at three significant digits (no clipping, no exponent notation), e.g. an
// effect and its interval: "−1.93", "−4.78", "0.92".
func FormatSame(v, lo, hi float64) (string, string, string) {
	dec := decimals(v, 3)
	return formatFixed(v, dec), formatFixed(lo, dec), formatFixed(hi, dec)
}
