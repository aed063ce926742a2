package results

// Sensitivity designs (PlanInfo.Design.Method).
const (
	DesignMorris = "morris"
	DesignSobol  = "sobol"
)

// Indices in sensitivity.csv's index column.
const (
	IndexS1        = "S1"         // Sobol' first-order index
	IndexST        = "ST"         // Sobol' total index
	IndexS2        = "S2"         // Sobol' second-order index of a pair "a × b"
	IndexMu        = "mu"         // Morris mean elementary effect
	IndexMuStar    = "mu_star"    // Morris mean absolute elementary effect
	IndexSigma     = "sigma"      // Morris standard deviation of the elementary effects
	IndexSeedShare = "seed_share" // share of the per-run variance due to seeds; parameter SeedsParameter
)

// SeedsParameter is the parameter column of the seed_share rows.
const SeedsParameter = "(seeds)"

// DesignInfo records a sensitivity design of a sweep (manifest.json's
// plan.design): enough to analyse its runs again (merge) without the
// scenario.
type DesignInfo struct {
	Method string       `json:"method"`           // DesignMorris or DesignSobol
	Ranges [][2]float64 `json:"ranges"`           // [low, high] of each of Plan.Params
	Base   int          `json:"base"`             // Sobol' base samples N, or Morris trajectories r
	Levels int          `json:"levels,omitempty"` // Morris grid levels
	// Candidates: Morris trajectories drawn before Campolongo's
	// selection keeps Base of them (0: no selection).
	Candidates  int    `json:"candidates,omitempty"`
	SecondOrder bool   `json:"second_order,omitempty"` // Sobol' second-order rows (N·(2D+2))
	Seed        uint64 `json:"seed"`                   // design scramble/trajectories and bootstrap streams
	Resamples   int    `json:"resamples"`              // bootstrap resamples
}

// SensitivityRow is one row of sensitivity.csv: one index of one
// parameter for one measure, with its 95 % bootstrap interval.
type SensitivityRow struct {
	Measure   string
	Parameter string // a swept key path, "a × b" for S2, or SeedsParameter
	Index     string // IndexS1, IndexST, …
	Value     float64
	CILow     float64
	CIHigh    float64
}

func (*SensitivityRow) file() string { return FileSensitivity }

func (r *SensitivityRow) bind(b *binder) {
	b.str("measure", &r.Measure)
	b.str("parameter", &r.Parameter)
	b.str("index", &r.Index)
	b.float("value", &r.Value)
	b.float("ci_low", &r.CILow)
	b.float("ci_high", &r.CIHigh)
}

// DiscoveryRow is one row of discovery.csv: one box of a PRIM run over a
// sweep's runs (smbsim discover) — a step of the peeling trajectory, or
// the chosen box after pasting.
type DiscoveryRow struct {
	Condition string // the condition, as the user wrote it
	Step      int    // peeling step (0 = every run); for the pasted box, the step it was pasted from
	Kind      string // "peel" or "pasted"
	Coverage  float64
	Density   float64
	Mass      float64
	Runs      int  // runs in the box
	Chosen    bool // the peeled box chosen for pasting
}

func (*DiscoveryRow) file() string { return FileDiscovery }

func (r *DiscoveryRow) bind(b *binder) {
	b.str("condition", &r.Condition)
	b.int("step", &r.Step)
	b.str("kind", &r.Kind)
	b.float("coverage", &r.Coverage)
	b.float("density", &r.Density)
	b.float("mass", &r.Mass)
	b.int("runs", &r.Runs)
	b.bool("chosen", &r.Chosen)
}

// DiscoveryBoxRow is one row of discovery_box.csv: one parameter's limits
// in the pasted PRIM box, beside its range over the runs.
type DiscoveryBoxRow struct {
	Condition         string
	Parameter         string
	Low, High         float64
	DataLow, DataHigh float64
	Restricted        bool // the box is narrower than the runs' range
}

func (*DiscoveryBoxRow) file() string { return FileDiscoveryBox }

func (r *DiscoveryBoxRow) bind(b *binder) {
	b.str("condition", &r.Condition)
	b.str("parameter", &r.Parameter)
	b.float("low", &r.Low)
	b.float("high", &r.High)
	b.float("data_low", &r.DataLow)
	b.float("data_high", &r.DataHigh)
	b.bool("restricted", &r.Restricted)
}
