package results

import "path/filepath"

// Run statuses in manifest.json.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	// StatusInProgress marks a directory whose files are being replaced
	// (or were, by a process that was killed): they may mix two
	// experiments or miss runs, and only --resume of the same command
	// makes them whole. CompletedSeeds then lists the runs that the
	// committed per-run files hold.
	StatusInProgress = "in_progress"
)

// Manifest is the content of manifest.json: how, when and from what the
// results were produced, and which runs they hold. The Plan section lets
// merge and --resume check that directories belong to the same experiment.
type Manifest struct {
	Version        string              `json:"version"`
	GoVersion      string              `json:"go_version"`
	Command        []string            `json:"command"`
	Scenario       string              `json:"scenario"`
	ScenarioHash   string              `json:"scenario_hash"`
	Seeds          []uint64            `json:"seeds"`
	Started        string              `json:"started"`
	Finished       string              `json:"finished"`
	CompletedSeeds map[string][]uint64 `json:"completed_seeds"` // variant name → seeds whose run is in the files
	CompletedRuns  int                 `json:"completed_runs"`
	TotalRuns      int                 `json:"total_runs"` // runs of the whole plan (or of the shard)
	Shard          string              `json:"shard,omitempty"`
	Status         string              `json:"status"`
	Plan           PlanInfo            `json:"plan"`
	// Build identifies the program that made the runs (a hash of its
	// executable): resume and merge refuse to combine runs of different
	// builds unless told to (--allow-mixed-builds).
	Build string `json:"build,omitempty"`
	// MixedBuilds lists the builds whose runs these results combine, when
	// --allow-mixed-builds let them mix; absent otherwise.
	MixedBuilds []string `json:"mixed_builds,omitempty"`
}

// Complete reports whether every run of the plan (or shard) is in the files.
func (m *Manifest) Complete() bool { return m.Status == StatusComplete }

// InProgress reports whether the directory is being written, or was by a
// process that was killed (see [StatusInProgress]).
func (m *Manifest) InProgress() bool { return m.Status == StatusInProgress }

// PlanInfo is the part of an experiment's plan that merge needs to rebuild
// the outputs without the scenario files.
type PlanInfo struct {
	Fingerprint string        `json:"fingerprint"`
	Command     string        `json:"command"`
	Variants    []VariantInfo `json:"variants"`
	Params      []string      `json:"params,omitempty"`
	Every       int           `json:"every"`
	ShockWindow int           `json:"shock_window"`
	// Horizons are output.horizons (absent in manifests written before
	// them: the default).
	Horizons      []int `json:"horizons,omitempty"`
	TopStrategies int   `json:"top_strategies"`
	// CollapseThreshold is output.collapse_threshold (0 in manifests
	// written before it existed: the default).
	CollapseThreshold float64 `json:"collapse_threshold,omitempty"`
	// Detail is output.detail ("" in manifests written before it: full).
	Detail       Detail   `json:"detail,omitempty"`
	NoTimeseries bool     `json:"no_timeseries,omitempty"`
	NoFirms      bool     `json:"no_firms,omitempty"`
	ShockLabels  []string `json:"shock_labels,omitempty"`
	Focus        string   `json:"focus,omitempty"`
	// Design is a sweep's sensitivity design (Morris or Sobol'), if any.
	Design *DesignInfo `json:"design,omitempty"`
	// World is the summary's World (nil in manifests written before it).
	World *WorldInfo `json:"world,omitempty"`
}

// VariantInfo is one variant in PlanInfo.
type VariantInfo struct {
	Name    string      `json:"name"`
	Values  []string    `json:"values,omitempty"`
	Shocks  []ShockInfo `json:"shocks"`
	HasTOML bool        `json:"has_toml,omitempty"`
	// Ticks is the variant's simulation.ticks: merge needs it to tell the
	// runs that stopped early (0 in manifests written before it).
	Ticks int `json:"ticks,omitempty"`
}

// WriteManifest writes dir/manifest.json atomically.
func WriteManifest(dir string, m *Manifest) error {
	return writeJSON(filepath.Join(dir, FileManifest), m)
}

// ReadManifest reads dir/manifest.json. A missing file gives an error
// wrapping os.ErrNotExist.
func ReadManifest(dir string) (*Manifest, error) { return readJSON[Manifest](dir, FileManifest) }
