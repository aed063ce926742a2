package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Summary is the content of summary.json.
type Summary struct {
	Scenario string `json:"scenario"`
	Command  string `json:"command"`
	// Focus is the variant the scenario is about (meta.focus), "" if none.
	Focus   string      `json:"focus,omitempty"`
	Metrics []string    `json:"metrics"`
	Seeds   []uint64    `json:"seeds"`
	Shocks  []ShockInfo `json:"shocks"`
	// Horizons are output.horizons: the ticks after a shock of the
	// shock<k>_excess_fail_<basis>_h<H> measures.
	Horizons []int            `json:"horizons,omitempty"`
	Variants []VariantSummary `json:"variants"`
	Tests    []Test           `json:"tests"`
	// Tails holds, for each shock and variant, the distribution over seeds
	// of the shock's per-seed excess failures; TailContrasts compares them
	// between variants on shared seeds.
	Tails         []Tail         `json:"tails,omitempty"`
	TailContrasts []TailContrast `json:"tail_contrasts,omitempty"`
	Logrank       *Logrank       `json:"logrank,omitempty"`
	Sweep         *SweepInfo     `json:"sweep,omitempty"`
	// World is what the charts and the report need to know of the
	// (first) scenario; nil in results written before it existed.
	World *WorldInfo `json:"world,omitempty"`
}

// WorldInfo is what the charts and the report need to know of the (first
// variant's) scenario, typed: experiment writes it to summary.json and to
// manifest.json's plan (for merge), so that no reader decodes
// scenario.toml by key.
type WorldInfo struct {
	Description string   `json:"description,omitempty"` // meta.description
	Ticks       int      `json:"ticks"`                 // simulation.ticks: the tick limit of a run
	ShockWindow int      `json:"shock_window"`          // output.shock_window
	Market      bool     `json:"market"`                // market.enabled
	Dimensions  []string `json:"dimensions"`            // strategy.dimensions
	Platform    string   `json:"platform,omitempty"`    // strategy.platform: the platform dimension, "" without one
	// ShockDimensions names, for each shock of Summary.Shocks, the
	// dimension one option of which it hits (the platform of a platform
	// failure, the dimension of a technology disruption or of a
	// regulation of a practice); "" for a shock that hits no option.
	ShockDimensions []string `json:"shock_dimensions,omitempty"`
	// ShockTargets says, for each shock of Summary.Shocks, which option of
	// its ShockDimensions it hits: an option number ("3"), TargetMostUsed
	// (the option most firms use when it strikes), "random" or "weighted"
	// (drawn in each run); "" for a shock that hits no option.
	ShockTargets []string `json:"shock_targets,omitempty"`
}

// TargetMostUsed is WorldInfo.ShockTargets' value for a shock that hits
// the option most firms use when it strikes (option −1, target common).
const TargetMostUsed = "most used"

// ShockInfo describes one scheduled shock.
type ShockInfo struct {
	Index    int     `json:"index"` // 1-based, in scenario order: the k of shock<k>_* measures
	Kind     string  `json:"kind"`
	Tick     int     `json:"tick"`
	Duration int     `json:"duration"` // 0: permanent
	Severity float64 `json:"severity"`
	Label    string  `json:"label"`
}

// Name is the shock's human-readable name: its label, or its kind with
// underscores as spaces.
func (s ShockInfo) Name() string {
	if s.Label != "" {
		return s.Label
	}
	if s.Kind != "" {
		return strings.ReplaceAll(s.Kind, "_", " ")
	}
	return fmt.Sprintf("shock %d", s.Index)
}

// VariantSummary is one variant's measures across seeds and per seed.
type VariantSummary struct {
	Name     string                  `json:"name"`
	Runs     int                     `json:"runs"`
	Measures map[string]MeasureStats `json:"measures"`
	PerSeed  []SeedMeasures          `json:"per_seed"`
	// Shocks are the shocks this variant ran, written when the variants
	// ran different shocks (a comparison of scenarios); nil means the
	// summary's shocks.
	Shocks []ShockInfo `json:"shocks,omitempty"`
}

// MeasureStats is a measure's mean across seeds with its 95 % t-interval.
type MeasureStats struct {
	N      int    `json:"n"`
	Mean   Number `json:"mean"`
	SD     Number `json:"sd"`
	CILow  Number `json:"ci_low"`
	CIHigh Number `json:"ci_high"`
}

// SeedMeasures holds the measures of one run.
type SeedMeasures struct {
	Seed uint64 `json:"seed"`
	// LastTick is the run's last tick: simulation.ticks, or earlier for a
	// run stopped when absorbed (0 in summaries written before it).
	LastTick int               `json:"last_tick,omitempty"`
	Measures map[string]Number `json:"measures"`
}

// Test is one two-sample comparison of a measure between two variants: an
// entry of summary.json's tests and a row of tests.csv.
type Test struct {
	Measure   string `json:"measure"`
	VariantA  string `json:"variant_a"`
	VariantB  string `json:"variant_b"`
	Design    string `json:"design"` // DesignPaired or DesignIndependent
	Test      string `json:"test"`   // TestPairedT, TestWilcoxon (paired); TestWelch, TestMannWhitney (independent)
	Statistic Number `json:"statistic"`
	P         Number `json:"p"`
	// PHolm is P adjusted by Holm's method over its family: the tests of
	// tests.csv with the same measure and test (every pair of variants).
	PHolm        Number `json:"p_holm"`
	Effect       string `json:"effect"` // EffectMeanDiff (a − b) or EffectCliffsDelta
	EffectSize   Number `json:"effect_size"`
	EffectCILow  Number `json:"effect_ci_low"`
	EffectCIHigh Number `json:"effect_ci_high"`
}

// Test and effect names.
const (
	TestWelch          = "welch_t"
	TestMannWhitney    = "mann_whitney_u"
	TestPairedT        = "paired_t"
	TestWilcoxon       = "wilcoxon_signed_rank"
	EffectMeanDiff     = "mean_difference"
	EffectCliffsDelta  = "cliffs_delta"
	EffectRankBiserial = "rank_biserial"

	// DesignPaired: both variants ran the same seeds, and the tests are on
	// the per-seed differences. DesignIndependent: the seeds differ.
	DesignPaired      = "paired"
	DesignIndependent = "independent"
)

// Tail is the distribution over one variant's seeds of a per-seed shock
// measure (shock<k>_excess_fail_share): its quantiles, the probability
// that it exceeds the collapse threshold with an exact binomial interval,
// and its expected shortfall (the mean of the worst share of seeds) with a
// bootstrap interval (docs/outputs.md, "Tails across seeds").
type Tail struct {
	Shock     int    `json:"shock"` // 1-based, as in shock<k>_*
	Measure   string `json:"measure"`
	Variant   string `json:"variant"`
	N         int    `json:"n"` // seeds with a value
	Mean      Number `json:"mean"`
	Q10       Number `json:"q10"`
	Median    Number `json:"median"`
	Q90       Number `json:"q90"`
	Max       Number `json:"max"`
	Threshold Number `json:"threshold"` // output.collapse_threshold
	// Collapses seeds had a value above Threshold: CollapseP = Collapses/N,
	// with its Clopper–Pearson interval.
	Collapses     int    `json:"collapses"`
	CollapseP     Number `json:"collapse_p"`
	CollapseLow   Number `json:"collapse_ci_low"`
	CollapseHigh  Number `json:"collapse_ci_high"`
	TailShare     Number `json:"tail_share"` // the share of worst seeds the shortfall averages (0.1)
	Shortfall     Number `json:"shortfall"`
	ShortfallLow  Number `json:"shortfall_ci_low"`
	ShortfallHigh Number `json:"shortfall_ci_high"`
}

// TailContrast is a paired contrast of a tail statistic of one shock
// measure between two variants that ran the same seeds: A − B with a
// bootstrap interval over seeds and a permutation p-value.
type TailContrast struct {
	Shock     int    `json:"shock"`
	Measure   string `json:"measure"`
	Statistic string `json:"statistic"` // TailCollapseP or TailShortfall
	VariantA  string `json:"variant_a"`
	VariantB  string `json:"variant_b"`
	N         int    `json:"n"` // seeds both measured
	Diff      Number `json:"diff"`
	CILow     Number `json:"ci_low"`
	CIHigh    Number `json:"ci_high"`
	P         Number `json:"p"`
}

// Tail statistics compared by a TailContrast.
const (
	TailCollapseP = "collapse_p"
	TailShortfall = "shortfall"
)

// Logrank is the log-rank test of the variants' survival curves (all
// firms): overall, and for every pair.
type Logrank struct {
	Chi2  Number        `json:"chi2"`
	DF    int           `json:"df"`
	P     Number        `json:"p"`
	Pairs []LogrankPair `json:"pairs"`
}

// LogrankPair is the log-rank test between two variants.
type LogrankPair struct {
	VariantA string `json:"variant_a"`
	VariantB string `json:"variant_b"`
	Chi2     Number `json:"chi2"`
	P        Number `json:"p"`
}

// SweepInfo lists a sweep's parameters and the values of each point.
type SweepInfo struct {
	Params []string     `json:"params"`
	Points []SweepPoint `json:"points"`
}

// SweepPoint is one point of a sweep.
type SweepPoint struct {
	Name   string            `json:"name"`
	Values map[string]string `json:"values"`
}

// EncodeJSON renders v as the JSON files are written: indented by two
// spaces, HTML characters unescaped, with a trailing newline.
func EncodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(path string, v any) error {
	b, err := EncodeJSON(v)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteBytes(path, b)
}

// readJSON reads dir/name into a new T. A missing file gives an error
// wrapping os.ErrNotExist.
func readJSON[T any](dir, name string) (*T, error) {
	path := filepath.Join(dir, name)
	b, err := ReadPlain(path, MaxDocumentSize)
	if err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%s: %w (is this a results directory written by smbsim?)", path, err)
	}
	return &v, nil
}

// WriteSummary writes dir/summary.json atomically.
func WriteSummary(dir string, s *Summary) error {
	return writeJSON(filepath.Join(dir, FileSummary), s)
}

// ReadSummary reads dir/summary.json. A missing file gives an error
// wrapping os.ErrNotExist.
func ReadSummary(dir string) (*Summary, error) { return readJSON[Summary](dir, FileSummary) }

// VariantShocks returns the shocks variant i ran: its own list when the
// summary records one (VariantSummary.Shocks), else the summary's.
func (s *Summary) VariantShocks(i int) []ShockInfo {
	if i >= 0 && i < len(s.Variants) && s.Variants[i].Shocks != nil {
		return s.Variants[i].Shocks
	}
	return s.Shocks
}

// AlignedShock is one shock of a comparison, matched across the variants
// by kind and tick: variants whose shocks differ (scenarios compared with
// each other) share a shock only when both have one of that kind at that
// tick.
type AlignedShock struct {
	ShockInfo // as the first variant with it has it
	// K[i] is the k of variant i's shock<k>_* measures for this shock, 0
	// when variant i did not have it.
	K []int
}

// Measure returns the name of variant i's measure shock<k>_<suffix> for
// this shock, and false when variant i did not have the shock.
func (a AlignedShock) Measure(i int, suffix string) (string, bool) {
	if i < 0 || i >= len(a.K) || a.K[i] == 0 {
		return "", false
	}
	return ShockMeasureName(a.K[i], suffix), true
}

// Shared reports whether every variant had the shock.
func (a AlignedShock) Shared() bool {
	for _, k := range a.K {
		if k == 0 {
			return false
		}
	}
	return true
}

// SameShock reports whether two shocks are the same for a comparison:
// the same kind at the same tick.
func SameShock(a, b ShockInfo) bool { return a.Kind == b.Kind && a.Tick == b.Tick }

// AlignedShocks returns the shocks of all variants matched by kind and
// tick, by tick (ties in the first variant's schedule order). When every
// variant ran the same shocks, in tick order, it is the summary's shocks,
// each shared by all.
func (s *Summary) AlignedShocks() []AlignedShock {
	var out []AlignedShock
	n := max(len(s.Variants), 1)
	for i := range n {
		for _, sh := range s.VariantShocks(i) {
			found := false
			for j := range out {
				if SameShock(out[j].ShockInfo, sh) && out[j].K[i] == 0 {
					out[j].K[i] = sh.Index
					found = true
					break
				}
			}
			if !found {
				a := AlignedShock{ShockInfo: sh, K: make([]int, n)}
				a.K[i] = sh.Index
				out = append(out, a)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b AlignedShock) int { return a.Tick - b.Tick })
	return out
}

// ShocksDiffer reports whether the variants ran different shocks.
func (s *Summary) ShocksDiffer() bool {
	for _, a := range s.AlignedShocks() {
		if !a.Shared() {
			return true
		}
	}
	return false
}

// VariantIndex returns the index of the named variant in s.Variants, or -1.
func (s *Summary) VariantIndex(name string) int {
	for i, v := range s.Variants {
		if v.Name == name {
			return i
		}
	}
	return -1
}
