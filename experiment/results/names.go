package results

// File and directory names inside a results directory (docs/outputs.md).
const (
	FileTimeseries = "timeseries.csv"
	FileFirms      = "firms.csv"
	FileStats      = "stats.csv"
	FileSurvival   = "survival.csv"
	FileStrategies = "strategies.csv"
	FileRuns       = "runs.csv"
	FileComparison = "comparison.csv"
	FileTests      = "tests.csv"
	FileSweep      = "sweep.csv"
	FileSummary    = "summary.json"
	FileScenario   = "scenario.toml"
	FileManifest   = "manifest.json"
	DirVariants    = "variants"
)

// Layout is what varies, between experiments, in the shape of the CSV files.
type Layout struct {
	// VariantColumn: timeseries.csv and firms.csv lead with a variant
	// column (compare and sweep; a single run has none).
	VariantColumn bool
	// Variant is the variant name given to the rows of those files when
	// they have no variant column.
	Variant string
	// Metrics are the metric columns of timeseries.csv, in order.
	Metrics []string
	// Params are the swept key paths, the parameter columns of sweep.csv.
	Params []string
}
