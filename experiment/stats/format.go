package stats

import (
	"math"
	"strconv"
)

// FormatP formats a p-value for humans: "p < 0.001" below 0.001, otherwise
// "p = " followed by two significant digits with trailing zeros dropped
// (0.0342 → "p = 0.034", 0.41 → "p = 0.41", 0.5 → "p = 0.5", 1 → "p = 1").
// NaN gives "p = NaN".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p = NaN"
	case p < 0.001:
		return "p < 0.001"
	}
	return "p = " + strconv.FormatFloat(p, 'g', 2, 64)
}
