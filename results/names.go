package results

// File and directory names inside a results directory (docs/outputs.md).
const (
	FileTimeseries  = "timeseries.csv"
	FileFirms       = "firms.csv"
	FileStats       = "stats.csv"
	FileSurvival    = "survival.csv"
	FileStrategies  = "strategies.csv"
	FileShares      = "shares.csv"
	FileRuns        = "runs.csv"
	FileExcess      = "excess.csv"       // each shock's effect curve, per run
	FileExcessStats = "excess_stats.csv" // the effect curves across seeds
	FileStrata      = "strata.csv"       // each shock's at-risk cohort by behaviour type and age, per run
	FileComparison  = "comparison.csv"
	FileTests       = "tests.csv"
	FileSweep       = "sweep.csv"
	FileSweepRuns   = "sweep_runs.csv"
	// FileSensitivity holds a Morris or Sobol' sweep's indices.
	FileSensitivity = "sensitivity.csv"
	// FileDiscovery and FileDiscoveryBox hold a PRIM run (smbsim discover).
	FileDiscovery    = "discovery.csv"
	FileDiscoveryBox = "discovery_box.csv"
	FileSummary      = "summary.json"
	FileScenario     = "scenario.toml"
	FileManifest     = "manifest.json"
	DirVariants      = "variants"
	DirCharts        = "charts" // the charts, drawn by smbsim plot (or after a run)
	// DirPartial holds the per-run files while they are written, with
	// FileJournal, the append-only list of the runs they hold, so that a
	// killed process loses no finished run. Removed when the files are
	// committed.
	DirPartial  = ".smbsim-partial"
	FileJournal = "journal"
	// FileReport is the workshop report (smbsim report).
	FileReport = "report.html"
)

// Owned lists the names smbsim writes directly in a results directory:
// the only entries (with variants/<name>.toml, DirPartial and the
// temporary files of each, ".<name>.tmp-*") that it ever removes. (The
// charts in charts/ are replaced by smbsim plot, name by name.)
var Owned = []string{FileTimeseries, FileFirms, FileStats, FileSurvival, FileStrategies, FileShares, FileRuns, FileExcess, FileExcessStats, FileStrata, FileComparison,
	FileTests, FileSweep, FileSensitivity, FileDiscovery, FileDiscoveryBox, FileSummary, FileScenario, FileManifest, FileReport}

// Layout is what varies, between experiments, in the shape of the CSV files.
type Layout struct {
	// NoVariantColumn: timeseries.csv and firms.csv lack their leading
	// variant column. smbsim writes it for every command; only the files
	// of a single run written by older versions have none, and are read
	// with NoVariantColumn set (from the header).
	NoVariantColumn bool
	// Variant is the variant name given to the rows of those files when
	// they have no variant column.
	Variant string
	// Metrics are the metric columns of timeseries.csv, in order.
	Metrics []string
	// Params are the swept key paths, the parameter columns of sweep.csv
	// and sweep_runs.csv.
	Params []string
	// Measures are the per-run measure columns of sweep_runs.csv.
	Measures []string
}
