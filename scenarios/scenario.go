// Package scenarios reads, validates and writes smbsim scenario files.
//
// A scenario file is TOML. Every key has a default (the engine's
// [sim.DefaultConfig] plus the scenario-only keys: seeds, output, meta,
// variants, sweep), so a file states only what differs. The full key
// reference is docs/scenarios.md, generated from this package.
//
// Parse, Load, Open and [Scenario.Set] return an [*Error] listing every
// problem found, each with its file, line, column and key path, so a caller
// can show them all at once and map them to a usage exit code.
package scenarios

import (
	"maps"
	"math"
	"reflect"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// engine is the engine's configuration, embedded in Scenario under a name
// that does not clash with [Scenario.Config].
type engine = sim.Config

// Scenario is a fully resolved scenario: defaults, the file and any --set
// overrides applied. The engine's parameters are the embedded [sim.Config]
// (s.Market.BaseMargin, s.Simulation.Ticks, s.Shocks, …): its fields and
// their tags are the file's schema, so nothing here mirrors them. The
// scenario adds the keys only a scenario has: Runs (simulation.seeds and
// base_seed), Output, Sweep, [meta] and [[variants]].
//
// The engine's dimension indices (strategy.platform, shocks[i].dimension)
// are written in files as dimension names; the scenario keeps the names
// and sets the indices from them (-1 while a name is unknown).
type Scenario struct {
	Name        string // [meta] name; defaults to the file's base name
	Description string // [meta] description
	Focus       string // [meta] focus: the variant the scenario is about ("" = none)
	Path        string // where the scenario came from (messages only)

	engine        // the engine's parameters
	Runs   Runs   `toml:"simulation"`
	Output Output "toml:\"output\" doc:\"What a run records and draws.\""
	Sweep  Sweep  "toml:\"sweep\" doc:\"Optional. Parameters varied over runs (used by `smbsim sweep`).\""

	dims     map[string]string // dimension names of ref:"dimension" keys, by key path ("shocks[2].dimension")
	missing  map[string]bool   // required keys of array entries the file left out ("shocks[1].tick")
	variants []variant         // [[variants]]: partial overrides, kept as written (normalised)
	pos      positions         // key path → position in the file (shared, read-only)
	sets     []setting         // --set overrides applied, in order
	nameSet  bool              // [meta] name was given explicitly
}

// Runs holds the scenario's keys of the [simulation] table: how many runs
// and their seeds. They are written after simulation.ticks.
type Runs struct {
	Seeds    int    `toml:"seeds" after:"ticks" range:"1:100000" doc:"Number of runs, each with its own random seed."`
	BaseSeed uint64 `toml:"base_seed" allowed:"0 to 9223372036854775807" doc:"Seed of the first run; run k uses base_seed + k − 1."`
}

// Output is the [output] table: what a run records and draws.
type Output struct {
	Every int `toml:"every" allowed:"1 to simulation.ticks" doc:"Record the metrics every k ticks."`
	// Horizons are the ticks after a shock at which its excess failures
	// are reported on every counting basis (shock<k>_excess_fail_<basis>_h<H>);
	// the shock's effect curve (excess.csv) runs to the longest.
	Horizons    []int "toml:\"horizons\" allowed:\"1 to 8 increasing integers, each 1 to 100000\" doc:\"Ticks (months) after a shock at which its excess failures over its no-shock fork are reported, on three counting bases (share of the firms in business at the shock, number of firms, share of their revenue); the effect curve in excess.csv runs to the longest. The defaults, one, five and ten years, show the immediate effect, the five-year survival horizon of docs/model.md and a ten-year horizon, not a settled effect: on compare-mixes the curve still rises at 120 (see docs/model.md, section 4); a horizon after the run's end is empty.\""
	ShockWindow int   `toml:"shock_window" range:"1:10000000" doc:"Ticks after a shock over which its effect is measured (exits in the window include background exits; see counterfactual)."`
	// Counterfactual runs, for each shock, a fork of the world without it
	// over the shock window (the shock<k>_background_fail_share and
	// _excess_* measures).
	Counterfactual bool           `toml:"counterfactual" doc:"Run, for each shock, a fork of the world without that shock over the shock window, to measure background exits and the shock's excess failures."`
	Detail         results.Detail "toml:\"detail\" doc:\"What the results keep of each run (docs/outputs.md, Output detail): `summary` every run's measures (runs.csv, excess.csv) and the per-tick files (timeseries.csv, shares.csv) of the first three seeds of each variant; `series` also every run's timeseries.csv and shares.csv; `full` also firms.csv, a row per firm of every run. The files across seeds (stats.csv, survival.csv, comparison.csv, tests.csv, summary.json) are the same at every level.\""
	// Timeseries drops timeseries.csv at every detail level when false.
	Timeseries bool "toml:\"timeseries\" doc:\"Write timeseries.csv, the per-tick metrics of each run: true writes those of the runs output.detail keeps; false writes none at any level (stats.csv, the per-tick statistics across seeds, is still written).\""
	// Firms is output.detail's predecessor for firms.csv, kept so that
	// older files still run; outputFindings refuses it where it contradicts
	// Detail.
	Firms         bool     "toml:\"firms\" doc:\"Deprecated, no effect: output.detail decides whether firms.csv is written (only `full` writes it). Kept so that older files and the scenario.toml of older results still run; `false` with detail = `full` is refused (write detail = `series` instead).\""
	Charts        bool     `toml:"charts" doc:"Draw charts."`
	Formats       []string "toml:\"formats\" allowed:\"any of `png`, `svg`, `pdf`; at least one when charts = true\" doc:\"Chart file formats.\""
	DPI           int      `toml:"dpi" range:"30:600" doc:"Resolution of PNG charts."`
	TopStrategies int      `toml:"top_strategies" range:"1:1000" doc:"Number of strategies listed in the most-common-strategies table."`
	// CollapseThreshold is θ of the tail measures across seeds.
	CollapseThreshold float64 `toml:"collapse_threshold" range:"0.001:1" doc:"θ: a run collapses when a shock kills more than this share of the firms in business at the shock beyond its no-shock fork (excess fail share > θ); the tails report the share of seeds that collapse."`
}

// DifferentOutput returns the [output] keys whose values differ between s
// and o, as output.<key> in schema order (nil when none).
func (s *Scenario) DifferentOutput(o *Scenario) []string {
	a, b := reflect.ValueOf(s.Output), reflect.ValueOf(o.Output)
	var out []string
	for i := range a.NumField() {
		if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			name, _, _ := strings.Cut(a.Type().Field(i).Tag.Get("toml"), ",")
			out = append(out, "output."+name)
		}
	}
	return out
}

// Sweep is the [sweep] table: parameters varied over runs. Only its syntax
// is checked here; see [ParseVary].
type Sweep struct {
	Vary    []string "toml:\"vary\" allowed:\"entries `key=v1,v2,…` or `key=start:stop:step`\" example:\"[\\\"network.degree=4:12:4\\\", \\\"biases.herding=0,0.5,1\\\"]\" doc:\"Keys to vary and their values, e.g. `\\\"population.mix.imitator=0.2,0.5,0.8\\\"`, `\\\"network.degree=2:10:2\\\"`. Keys are written as for `--set`.\""
	Design  string   "toml:\"design\" allowed:\"`factorial`, `lhs`\" doc:\"factorial: every combination of the values. lhs: Latin hypercube samples.\""
	Samples int      `toml:"samples" allowed:"1 to 100000" doc:"Number of samples of an lhs design."`
}

// meta is the [meta] table.
type meta struct {
	Name        string "toml:\"name\" default:\"file name\" example:\"\\\"my-scenario\\\"\" allowed:\"letters, digits, `-`, `_`, `.`\" doc:\"Name of the scenario; names the output directory. Default: the file name without `.toml`.\""
	Description string `toml:"description" allowed:"any text" doc:"A sentence on what the scenario shows."`
	Focus       string "toml:\"focus\" default:\"\\\"\\\" (none)\" example:\"\\\"my-variant\\\"\" allowed:\"the name of one of the [[variants]]\" doc:\"The variant the scenario is about: `smbsim compare`'s table and the report's findings name it and compare every other variant with it.\""
}

// variantEntry declares the keys of a [[variants]] entry besides its overrides.
type variantEntry struct {
	Name        string "toml:\"name\" default:\"required\" example:\"\\\"my-variant\\\"\" allowed:\"letters, digits, `-`, `_`, `.`; unique\" doc:\"Name of the variant; names its output directory. Required.\""
	Description string `toml:"description" default:"\"\"" allowed:"any text" doc:"A sentence on what the variant changes."`
}

// Docs of the tables that are not fields.
const (
	metaDoc     = "Optional. Names and describes the scenario."
	variantsDoc = "Optional. Zero or more `[[variants]]` entries, each the whole scenario with some keys changed; `smbsim compare` runs them side by side. Besides `name` and `description`, an entry may hold any of the tables `simulation`, `strategy`, `market`, `population`, `behaviour`, `network`, `biases` and `shocks` (which replaces the whole list), as partial overrides (not `output`, which applies to every variant alike, nor `sweep`), e.g. `population.mix = { imitator = 0.8, innovator = 0.1, specialist = 0.05, adaptive = 0.05 }`. `--set` overrides apply to every variant."
)

// Info describes a built-in scenario.
type Info struct {
	Name    string // file name without .toml
	Purpose string // the file's first comment line
}

// variant is one [[variants]] entry: its name and the keys it overrides,
// normalised to the schema's types and order.
type variant struct {
	name        string
	description string
	over        table
}

// setting is one applied --set override.
type setting struct {
	path   string // normalised key path, e.g. "shocks[1].tick"
	origin string // how it was given, for messages: "--set shocks[1].tick=200", "--seeds 0"
}

// Limits of output.horizons.
const (
	MaxHorizons = 8      // horizons at most
	MaxHorizon  = 100000 // ticks after a shock at most
)

// Sweep designs.
const (
	DesignFactorial = "factorial"
	DesignLHS       = "lhs"
)

// defaults returns the scenario every file is decoded over:
// sim.DefaultConfig plus the scenario-only defaults. It has no shocks.
func defaults() *Scenario {
	s := &Scenario{
		engine: sim.DefaultConfig(),
		Runs:   Runs{Seeds: 10, BaseSeed: 1},
		Output: Output{
			Every:             1,
			ShockWindow:       50,
			Horizons:          []int{12, 60, 120},
			Counterfactual:    true,
			Detail:            results.DetailSummary,
			Timeseries:        true,
			Firms:             true,
			Charts:            true,
			Formats:           []string{"png", "svg", "pdf"},
			DPI:               160,
			TopStrategies:     10,
			CollapseThreshold: 0.2,
		},
		Sweep: Sweep{Design: DesignFactorial, Samples: 10},
		dims:  map[string]string{},
	}
	s.missing = map[string]bool{}
	// The dimension names of the engine's default indices.
	eachRef(s, func(path string, v reflect.Value) {
		if i := int(v.Int()); i >= 0 && i < len(s.Strategy.Dimensions) {
			s.dims[path] = s.Strategy.Dimensions[i]
		}
	})
	return s
}

// Config returns the engine configuration of s. Call it after Validate:
// unknown dimension names map to -1 (none).
func (s *Scenario) Config() sim.Config {
	c := s.cloneBase()
	c.resolve()
	return c.engine
}

// resolve sets the engine's dimension indices from their names.
func (s *Scenario) resolve() {
	eachRef(s, func(path string, v reflect.Value) { v.SetInt(int64(s.dimIndex(s.dims[path]))) })
}

// dimName returns the dimension name of the ref:"dimension" key at path.
func (s *Scenario) dimName(path string) string { return s.dims[path] }

// Seeds returns the seeds of the runs: base_seed, base_seed+1, …
// (simulation.seeds of them).
func (s *Scenario) Seeds() []uint64 {
	n := max(s.Runs.Seeds, 0)
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = s.Runs.BaseSeed + uint64(i)
	}
	return seeds
}

// Every returns output.every: metrics are recorded every Every() ticks.
func (s *Scenario) Every() int { return s.Output.Every }

// ShockWindow returns output.shock_window: the number of ticks after a
// shock in which failures are attributed to it.
func (s *Scenario) ShockWindow() int { return s.Output.ShockWindow }

// cloneBase returns a deep copy of s without its variants (copying them
// for each variant would make a file's cost grow with their square).
func (s *Scenario) cloneBase() *Scenario {
	vs := s.variants
	s.variants = nil
	c := s.clone()
	s.variants = vs
	return c
}

// clone returns a deep copy of s (positions are shared: they are
// read-only).
func (s *Scenario) clone() *Scenario {
	c := *s
	c.Strategy.Dimensions = cloneStrings(s.Strategy.Dimensions)
	c.Output.Formats = cloneStrings(s.Output.Formats)
	c.Sweep.Vary = cloneStrings(s.Sweep.Vary)
	if s.Shocks != nil {
		c.Shocks = append([]sim.Shock(nil), s.Shocks...)
	}
	c.dims = maps.Clone(s.dims)
	c.missing = maps.Clone(s.missing)
	if s.variants != nil {
		c.variants = make([]variant, len(s.variants))
		for i, v := range s.variants {
			c.variants[i] = variant{name: v.name, description: v.description, over: v.over.clone()}
		}
	}
	c.sets = append([]setting(nil), s.sets...)
	return &c
}

func cloneStrings(a []string) []string {
	if a == nil {
		return nil
	}
	return append([]string{}, a...)
}

// maxBaseSeed is the largest base seed a TOML integer can hold.
const maxBaseSeed = math.MaxInt64

// dimIndex returns the index of the named dimension, or -1 for "" or an
// unknown name.
func (s *Scenario) dimIndex(name string) int {
	if name == "" {
		return -1
	}
	for i, d := range s.Strategy.Dimensions {
		if d == name {
			return i
		}
	}
	return -1
}
