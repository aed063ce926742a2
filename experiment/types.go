package experiment

import "github.com/smbsim/smbsim/experiment/results"

// The results directory's typed JSON files, defined in package results and
// named here for the command line's tables.
type (
	// Summary is the content of summary.json.
	Summary = results.Summary
	// Manifest is the content of manifest.json.
	Manifest = results.Manifest
	// MeasureStats is a measure's mean across seeds with its 95 % t-interval.
	MeasureStats = results.MeasureStats
	// Number is a float64 written to JSON as null when not measured.
	Number = results.Number
)

// TestWelch names the Welch t-test in summary.json's tests.
const TestWelch = results.TestWelch

// TestPairedT names the paired t-test in summary.json's tests.
const TestPairedT = results.TestPairedT

// Test is one test between two variants in summary.json.
type Test = results.Test
