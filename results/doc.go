// Package results owns smbsim's results directory (docs/outputs.md): its
// file names, the row type of every CSV file with its header and its one
// encoder/decoder pair, summary.json and manifest.json as typed structs,
// the rule that a value not measured (NaN) is an empty cell in CSV and null
// in JSON, and the atomic writer every output file goes through.
//
// There are two ways to read a directory back: [ReadDir] loads the whole
// directory (what the charts and the report need), and [OpenRuns] streams
// the per-run files run by run in job order (what --resume and merge need).
//
// A row type lists its columns once, in its bind method: the header, the
// encoder and the decoder all follow from that list, so adding a column is
// one edit there (plus the struct field it fills). Measures are rows of
// runs.csv and metrics are columns named by [Layout.Metrics], so adding
// either needs no edit here at all.
//
// The package depends on the standard library only.
package results
