package present

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
)

// decimals is the number of decimals that shows v with about sig
// significant digits (0 for large values, at most 6).
func decimals(v float64, sig int) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	return max(0, min(6, sig-1-mag))
}

// Fixed formats v with dec decimals, a true minus sign and no "−0"; NaN
// is "–".
func Fixed(v float64, dec int) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return Minus(s)
}

// Minus writes a leading minus sign as "−".
func Minus(s string) string { return strings.Replace(s, "-", "−", 1) }

// Estimate formats a mean of measure m and its interval bounds for people,
// all three with the same decimals (those of the mean at three significant
// digits; measures shown in percent as whole percentages, with one decimal
// below 10 %), the interval clipped to the measure's range. No exponent
// notation.
func Estimate(m string, mean, lo, hi float64) (v, l, h string) {
	lo, hi = results.ClipInterval(m, lo, hi)
	scale, dec := 1.0, decimals(mean, 3)
	if results.InPercent(m) {
		scale, dec = 100, 0
		if math.Abs(mean) < 0.1 {
			dec = 1
		}
	}
	return Fixed(mean*scale, dec), Fixed(lo*scale, dec), Fixed(hi*scale, dec)
}

// Same formats a value and two bounds with the decimals of the value at
// three significant digits (no clipping, no exponent notation), e.g. an
// effect and its interval: "−1.93", "−4.78", "0.92".
func Same(v, lo, hi float64) (string, string, string) {
	dec := decimals(v, 3)
	return Fixed(v, dec), Fixed(lo, dec), Fixed(hi, dec)
}

// Sig formats v with about sig significant digits, without exponent
// notation for everyday magnitudes (at most 6 decimals).
func Sig(v float64, sig int) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v == 0 {
		return "0"
	}
	mag := int(math.Floor(math.Log10(math.Abs(v))))
	return Fixed(v, min(max(sig-1-mag, 0), 6))
}

// Num formats a figure of a terminal table: about four significant
// digits, "–" when not measured (NaN or infinite), no exponent notation.
func Num(x float64) string {
	switch a := math.Abs(x); {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "–"
	case x == 0:
		return "0"
	case a >= 1000:
		return fmt.Sprintf("%.0f", x)
	case a >= 100:
		return fmt.Sprintf("%.1f", x)
	case a >= 1:
		return fmt.Sprintf("%.2f", x)
	case a >= 0.001:
		return fmt.Sprintf("%.3f", x)
	case a >= 0.0001:
		return fmt.Sprintf("%.4f", x)
	default:
		return Sig(x, 3)
	}
}

// Points writes a difference of shares in percentage points, signed, one
// decimal: 0.0123 → "+1.2".
func Points(v float64) string { return Minus(fmt.Sprintf("%+.1f", 100*v)) }

// P formats a p-value for humans; it is the one p-value style of the
// terminal tables, the charts and the report (docs/outputs.md): "p < 0.001"
// below 0.001, otherwise "p = " followed by two significant digits with
// trailing zeros dropped (0.0456 → "p = 0.046", 0.41 → "p = 0.41",
// 0.5 → "p = 0.5", 1 → "p = 1"). NaN (no test possible, e.g. one seed)
// gives "p not available".
func P(p float64) string { return "p " + PValue(p) }

// PValue is [P] without the leading "p ", for a column headed "p":
// "< 0.001", "= 0.046", "not available".
func PValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "not available"
	case p < 0.001:
		return "< 0.001"
	}
	return "= " + strconv.FormatFloat(p, 'g', 2, 64)
}
