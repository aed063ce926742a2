package results

// Detail is output.detail: how much per-run detail a complete results
// directory keeps (docs/outputs.md, "Output detail"). Every level keeps
// every run's measures and the files across seeds; the levels differ in
// the per-tick and per-firm files.
type Detail string

// SummarySeeds is how many seeds of each variant (the first ones) keep
// their timeseries.csv and shares.csv rows at DetailSummary: the runs the
// single-run charts draw (the shares chart shows up to three).
const SummarySeeds = 3

const (
	// DetailSummary keeps every run's measures (runs.csv, excess.csv,
	// strata.csv) and the per-tick files (timeseries.csv, shares.csv) of
	// the first SummarySeeds seeds of each variant; no firms.csv.
	DetailSummary Detail = "summary"
	// DetailSeries keeps timeseries.csv and shares.csv of every run too.
	DetailSeries Detail = "series"
	// DetailFull keeps firms.csv too, a row per firm of every run.
	DetailFull Detail = "full"
)

// Values lists the levels, least detail first.
func (Detail) Values() []string {
	return []string{string(DetailSummary), string(DetailSeries), string(DetailFull)}
}
