package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// Commands decide the layout of the output files (see docs/outputs.md).
const (
	CommandRun     = "run"     // one variant; no variant column in per-run files
	CommandCompare = "compare" // several variants; leading variant column, tests between variants
	CommandSweep   = "sweep"   // variants are grid points p001, p002, …; adds sweep.csv
)

// Plan is everything an experiment runs: the variants, the seeds every
// variant is run with (common random numbers), and what to record.
type Plan struct {
	Command      string    // CommandRun, CommandCompare or CommandSweep
	Scenario     string    // scenario name, shown in summary.json and manifest.json
	ScenarioHash string    // hash of the resolved scenario file(s), for manifest.json
	Variants     []Variant // at least one; CommandRun takes exactly one
	Seeds        []uint64  // distinct; every variant runs every seed

	Every       int // record the time series every k ticks (the last tick always); 0 means 1
	ShockWindow int // W of the shock measures, in ticks; 0 means 50
	// Horizons are the ticks after a shock at which its excess failures are
	// measured on every basis (output.horizons); nil means DefaultHorizons.
	// Each shock's fork runs for the longest horizon (or the shock window,
	// if longer), and its effect curve runs to the longest horizon.
	Horizons      []int
	TopStrategies int // strategies listed per recorded tick in strategies.csv; 0 means 10

	// CollapseThreshold is θ of the tail measures: a run collapses when a
	// shock's excess fail share exceeds it; 0 means 0.2.
	CollapseThreshold float64

	// Detail is output.detail: what complete results keep of each run
	// (see results.Detail); "" keeps everything (full).
	Detail results.Detail

	// NoTimeseries and NoFirms skip writing timeseries.csv and firms.csv
	// (statistics are still computed). Shard directories always write
	// them, because merge needs them.
	NoTimeseries, NoFirms bool

	// NoCounterfactual skips the fork of each shock (output.counterfactual
	// = false): the shock<k>_background_fail_share, _excess_*,
	// _revenue_lost_share and _effective_gap measures are then empty.
	NoCounterfactual bool

	Params      []string // sweep: the varied key paths, in order
	ShockLabels []string // optional label of each shock of the first variant (default: its kind)
	Focus       string   // optional: the variant the scenario is about (meta.focus)

	// Design, for a sweep, is its sensitivity design (Morris or Sobol'):
	// the variants are its points in order, and sensitivity.csv holds the
	// indices.
	Design *results.DesignInfo

	// Description is the scenario's meta.description, for the report.
	Description string
	// World, when set (by merge, from the manifest), is written as
	// summary.json's world; nil: derived from the first variant's
	// configuration and Description.
	World *results.WorldInfo

	// ScenarioTOML is written as scenario.toml (the resolved scenario).
	ScenarioTOML []byte
	// Version and CommandLine are recorded in manifest.json.
	Version string
	// Charts says the charts will be drawn from the results after the
	// runs: the memory estimate then counts what they read back.
	Charts bool
	// Build identifies the program (a hash of its executable), recorded in
	// manifest.json: --resume and Merge refuse to combine the runs of two
	// builds unless AllowMixedBuilds is set.
	Build       string
	CommandLine []string
}

// Variant is one configuration of the model.
type Variant struct {
	Name   string
	Config sim.Config
	// Values holds, for a sweep point, the value of each Plan.Params key
	// as it was set.
	Values []string
	// TOML, when set, is written as variants/<Name>.toml (compare of
	// several scenario files, whose resolved files differ).
	TOML []byte
}

// Defaults used for zero settings.
const (
	DefaultEvery         = 1
	DefaultShockWindow   = 50
	DefaultTopStrategies = 10
	preShockTicks        = 10 // shock<k>_pre_margin averages this many ticks before the shock
)

func (p *Plan) every() int {
	if p.Every > 0 {
		return p.Every
	}
	return DefaultEvery
}

func (p *Plan) shockWindow() int {
	if p.ShockWindow > 0 {
		return p.ShockWindow
	}
	return DefaultShockWindow
}

// DefaultHorizons are output.horizons' defaults: one, five and ten years
// of monthly ticks (docs/model.md, section 4, says why).
var DefaultHorizons = []int{12, 60, 120}

func (p *Plan) horizons() []int {
	if len(p.Horizons) > 0 {
		return p.Horizons
	}
	return DefaultHorizons
}

// curveLen is the longest effect curve a run of the plan can have: the
// longest horizon, at most the longest run.
func (p *Plan) curveLen() int {
	ticks := 0
	for _, v := range p.Variants {
		ticks = max(ticks, v.Config.Ticks)
	}
	if ticks <= 0 { // a plan rebuilt from a manifest (merge) knows no tick limit
		return maxHorizon(p.horizons())
	}
	return min(maxHorizon(p.horizons()), ticks)
}

// forkWindow is how many ticks each shock's fork runs: the shock window or
// the longest horizon, whichever is longer.
func (p *Plan) forkWindow() int { return max(p.shockWindow(), maxHorizon(p.horizons())) }

// measureNames are the per-run measures of variant v.
func (p *Plan) measureNames(v *Variant) []string {
	return MeasureNames(len(v.Config.Shocks), p.horizons())
}

func (p *Plan) topK() int {
	if p.TopStrategies > 0 {
		return p.TopStrategies
	}
	return DefaultTopStrategies
}

// Jobs is the number of runs in the plan: variants × seeds.
func (p *Plan) Jobs() int { return len(p.Variants) * len(p.Seeds) }

// job returns the variant and seed index of job j (variant-major order).
func (p *Plan) job(j int) (v, s int) { return j / len(p.Seeds), j % len(p.Seeds) }

// pointValues maps each swept parameter (Params) to variant v's value of
// it: a sweep point's values.
func (p *Plan) pointValues(v *Variant) map[string]string {
	vals := map[string]string{}
	for i, k := range p.Params {
		if i < len(v.Values) {
			vals[k] = v.Values[i]
		}
	}
	return vals
}

// indices maps each variant's name and each seed to its index in the plan
// (job = variant index · len(Seeds) + seed index).
func (p *Plan) indices() (variant map[string]int, seed map[uint64]int) {
	variant, seed = map[string]int{}, map[uint64]int{}
	for i, v := range p.Variants {
		variant[v.Name] = i
	}
	for i, s := range p.Seeds {
		seed[s] = i
	}
	return variant, seed
}

// detail is the plan's output detail: Detail, or full when unset.
func (p *Plan) detail() results.Detail {
	if p.Detail == "" {
		return results.DetailFull
	}
	return p.Detail
}

// Validate reports what makes the plan impossible to run.
func (p *Plan) Validate() error {
	var errs []error
	switch p.Command {
	case CommandRun:
		if len(p.Variants) != 1 {
			errs = append(errs, fmt.Errorf("run takes exactly one variant, got %d", len(p.Variants)))
		}
	case CommandCompare, CommandSweep:
	default:
		errs = append(errs, fmt.Errorf("unknown command %q: want run, compare or sweep", p.Command))
	}
	if len(p.Variants) == 0 {
		errs = append(errs, errors.New("no variants to run"))
	}
	if len(p.Seeds) == 0 {
		errs = append(errs, errors.New("no seeds: set simulation.seeds (or --seeds) to at least 1"))
	}
	seen := map[uint64]bool{}
	for _, s := range p.Seeds {
		if seen[s] {
			errs = append(errs, fmt.Errorf("seed %d is listed twice: seeds must be distinct", s))
		}
		seen[s] = true
	}
	names := map[string]bool{}
	for i, v := range p.Variants {
		if v.Name == "" {
			errs = append(errs, fmt.Errorf("variant %d has no name", i+1))
		} else if names[v.Name] {
			errs = append(errs, fmt.Errorf("variant name %q is used twice: give every variant its own name", v.Name))
		} else if strings.ContainsAny(v.Name, "/\\\n\r") {
			errs = append(errs, fmt.Errorf("variant name %q must not contain slashes or line breaks", v.Name))
		}
		names[v.Name] = true
		if len(v.Values) != len(p.Params) {
			errs = append(errs, fmt.Errorf("variant %q has %d sweep values for %d parameters", v.Name, len(v.Values), len(p.Params)))
		}
		if err := v.Config.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("variant %q: %w", v.Name, err))
		}
	}
	for _, h := range p.Horizons {
		if h < 1 {
			errs = append(errs, fmt.Errorf("output.horizons: %d is not a positive number of ticks", h))
		}
	}
	if err := p.validateDesign(); err != nil {
		errs = append(errs, err)
	}
	if p.Every < 0 || p.ShockWindow < 0 || p.TopStrategies < 0 {
		errs = append(errs, errors.New("output.every, output.shock_window and output.top_strategies must not be negative"))
	}
	return errors.Join(errs...)
}

// Fingerprint identifies what the plan computes: two plans with the same
// fingerprint produce the same per-run results. It guards --resume and
// merge against mixing runs of different experiments.
func (p *Plan) Fingerprint() string {
	type variant struct {
		Name   string
		Config sim.Config
		Values []string
	}
	d := struct {
		Command, Scenario        string
		Seeds                    []uint64
		Every, ShockWindow, TopK int
		Horizons                 []int
		NoTimeseries, NoFirms    bool
		NoCounterfactual         bool
		Detail                   results.Detail `json:",omitempty"`
		Params                   []string
		Variants                 []variant
		Metrics                  []string
		MeasuresVersion          int
		Design                   *results.DesignInfo `json:",omitempty"`
	}{p.Command, p.Scenario, p.Seeds, p.every(), p.shockWindow(), p.topK(), p.horizons(),
		p.NoTimeseries, p.NoFirms, p.NoCounterfactual, p.Detail, p.Params, nil, sim.MetricNames(), 4, p.Design}
	for _, v := range p.Variants {
		d.Variants = append(d.Variants, variant{v.Name, v.Config, v.Values})
	}
	b, err := json.Marshal(d)
	if err != nil {
		panic("experiment: fingerprint: " + err.Error()) // sim.Config is plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// Shard selects a deterministic slice of a plan's jobs: job j belongs to
// shard Index (1-based) of Count when j mod Count = Index−1. The zero Shard
// is the whole plan.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n" with 1 ≤ i ≤ n.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. --shard 2/8 for the second of eight shards", s)
	}
	if n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want 1 ≤ i ≤ n (shards are numbered from 1), e.g. --shard 1/%d", s, max(n, 1))
	}
	return Shard{i, n}, nil
}

// Whole reports whether s is the whole plan.
func (s Shard) Whole() bool { return s.Count <= 1 }

// Has reports whether job j belongs to the shard.
func (s Shard) Has(j int) bool { return s.Whole() || j%s.Count == s.Index-1 }

// String returns "i/n", or "" for the whole plan.
func (s Shard) String() string {
	if s.Whole() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// count returns how many of the jobs 0 … n−1 belong to the shard.
func (s Shard) count(n int) int {
	if s.Whole() {
		return max(n, 0)
	}
	if n < s.Index {
		return 0
	}
	return (n-s.Index)/s.Count + 1
}

// job returns the k-th job (0-based) of the shard.
func (s Shard) job(k int) int {
	if s.Whole() {
		return k
	}
	return s.Index - 1 + k*s.Count
}

// jobs yields the shard's jobs of the plan in increasing order, without
// listing them.
func (s Shard) jobs(p *Plan) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for k := range s.count(p.Jobs()) {
			if !yield(s.job(k)) {
				return
			}
		}
	}
}
