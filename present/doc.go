// Package present owns what smbsim shows people: how a number is written
// (significant digits, percentages, a true minus sign, never exponent
// notation, "–" for not measured), how a p-value is written, what a
// measure is called (from the table of measures, [results.Measures]), and
// the shock headline — the variants ranked by the failures each shock
// caused beyond the background, with the mean tests between them —
// computed once for the terminal tables (cmd/smbsim) and the report
// (plots/report).
//
// It reads results and stats only; charts, report and terminal call it
// instead of formatting figures of their own.
package present
