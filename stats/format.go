package stats

import (
	"math"
	"strconv"
)

// FormatP formats a p-value for humans; it is the one p-value style of the
// terminal tables, the charts and the report (docs/outputs.md): "p < 0.001"
// below 0.001, otherwise "p = " followed by two significant digits with
// trailing zeros dropped (0.0456 → "p = 0.046", 0.41 → "p = 0.41",
// 0.5 → "p = 0.5", 1 → "p = 1"). NaN (no test possible, e.g. one seed)
// gives "p not available".
func FormatP(p float64) string { return "p " + FormatPValue(p) }

// FormatPValue is [FormatP] without the leading "p ", for a column headed
// "p": "< 0.001", "= 0.046", "not available".
func FormatPValue(p float64) string {
	switch {
	case math.IsNaN(p):
		return "not available"
	case p < 0.001:
		return "< 0.001"
	}
	return "= " + strconv.FormatFloat(p, 'g', 2, 64)
}
