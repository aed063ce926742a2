package results

import (
	"math"
	"strconv"
)

// FormatFloat is how every float is written, in CSV and JSON: the shortest
// representation that reads back exactly. NaN (not measured) is "".
func FormatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// ParseFloat reads a cell written by [FormatFloat]: "" is NaN.
func ParseFloat(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// FormatSeed writes a seed (any uint64) in decimal.
func FormatSeed(seed uint64) string { return strconv.FormatUint(seed, 10) }

// Number is a float64 that marshals to JSON as null when it is NaN or
// infinite (not measured), and otherwise in its shortest exact form; null
// reads back as NaN.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler (null is NaN).
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	*n = Number(f)
	return err
}
