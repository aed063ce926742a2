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
	"math"

	"github.com/smbsim/smbsim/sim"
)

// Scenario is a fully resolved scenario: defaults, the file and any --set
// overrides applied. The exported section structs mirror the file's tables;
// their toml tags are the file's key names.
type Scenario struct {
	Name        string `toml:"-"` // [meta] name; defaults to the file's base name
	Description string `toml:"-"` // [meta] description
	Path        string `toml:"-"` // where the scenario came from (messages only)

	Simulation Simulation `toml:"simulation"`
	Strategy   Strategy   `toml:"strategy"`
	Market     Market     `toml:"market"`
	Population Population `toml:"population"`
	Behaviour  Behaviour  `toml:"behaviour"`
	Network    Network    `toml:"network"`
	Biases     Biases     `toml:"biases"`
	Demography Demography `toml:"demography"`
	Shocks     []Shock    `toml:"shocks"`
	Output     Output     `toml:"output"`
	Sweep      Sweep      `toml:"sweep"`

	variants []variant // [[variants]]: partial overrides, kept as written (normalised)
	pos      positions // key path → position in the file (shared, read-only)
	sets     []setting // --set overrides applied, in order
	nameSet  bool      // [meta] name was given explicitly
}

// Simulation is the [simulation] table.
type Simulation struct {
	Ticks            int          `toml:"ticks"`
	Seeds            int          `toml:"seeds"`
	BaseSeed         uint64       `toml:"base_seed"`
	Schedule         sim.Schedule `toml:"schedule"`
	StopWhenAbsorbed bool         `toml:"stop_when_absorbed"`
	RegionsEvery     int          `toml:"regions_every"`
}

// Strategy is the [strategy] table. Platform and Automation name
// dimensions ("" = none).
type Strategy struct {
	Dimensions []string `toml:"dimensions"`
	Options    int      `toml:"options"`
	Platform   string   `toml:"platform"`
	Automation string   `toml:"automation"`
}

// Market is the [market] table.
type Market struct {
	Enabled          bool          `toml:"enabled"`
	Sectors          int           `toml:"sectors"`
	Segments         int           `toml:"segments"`
	SpendPerFirm     float64       `toml:"spend_per_firm"`
	MainstreamShare  float64       `toml:"mainstream_share"`
	Sharpness        float64       `toml:"sharpness"`
	OutsideOption    float64       `toml:"outside_option"`
	BaseMargin       float64       `toml:"base_margin"`
	CrowdingRadius   int           `toml:"crowding_radius"`
	CrowdingPenalty  float64       `toml:"crowding_penalty"`
	FixedCost        float64       `toml:"fixed_cost"`
	Payout           float64       `toml:"payout"`
	AutomationSaving float64       `toml:"automation_saving"`
	PlatformEffect   float64       `toml:"platform_effect"`
	ImitateCost      float64       `toml:"imitate_cost"`
	IncrementalCost  float64       `toml:"incremental_cost"`
	RadicalCost      float64       `toml:"radical_cost"`
	SpecialiseCost   float64       `toml:"specialise_cost"`
	EntryRate        float64       `toml:"entry_rate"`
	EntryCopy        float64       `toml:"entry_copy"`
	EntryMode        sim.EntryCopy `toml:"entry_mode"`
	EntryCash        float64       `toml:"entry_cash"`
}

// Population is the [population] table.
type Population struct {
	Firms             int     `toml:"firms"`
	InitialCash       float64 `toml:"initial_cash"`
	CashSpread        float64 `toml:"cash_spread"`
	RiskAversion      float64 `toml:"risk_aversion"`
	RiskSpread        float64 `toml:"risk_spread"`
	InitialSimilarity float64 `toml:"initial_similarity"`
	InitialFit        float64 `toml:"initial_fit"`
	Mix               Mix     `toml:"mix"`
}

// Mix is the [population.mix] table: shares of behaviour types.
type Mix struct {
	Imitator   float64 `toml:"imitator"`
	Innovator  float64 `toml:"innovator"`
	Specialist float64 `toml:"specialist"`
	Adaptive   float64 `toml:"adaptive"`
}

// Behaviour is the [behaviour] table.
type Behaviour struct {
	Revision       float64           `toml:"revision"`
	Imitation      sim.ImitationRule `toml:"imitation"`
	CopyPractices  int               `toml:"copy_practices"`
	Attention      int               `toml:"attention"`
	RadicalChanges int               `toml:"radical_changes"`
	RadicalShare   float64           `toml:"radical_share"`
	RadicalCash    float64           `toml:"radical_cash"`
	PilotWindow    int               `toml:"pilot_window"`
	ProfitMemory   float64           `toml:"profit_memory"`
	Forgetting     float64           `toml:"forgetting"`
}

// Network is the [network] table.
type Network struct {
	Kind          sim.NetworkKind   `toml:"kind"`
	Degree        int               `toml:"degree"`
	Rewire        float64           `toml:"rewire"`
	Attach        int               `toml:"attach"`
	Width         int               `toml:"width"`
	Height        int               `toml:"height"`
	Neighbourhood sim.Neighbourhood `toml:"neighbourhood"`
	Wrap          bool              `toml:"wrap"`
	CrossShare    float64           `toml:"cross_share"`
}

// Biases is the [biases] table.
type Biases struct {
	Herding          float64 `toml:"herding"`
	HerdingThreshold float64 `toml:"herding_threshold"`
	Confirmation     float64 `toml:"confirmation"`
	Availability     float64 `toml:"availability"`
	Anchoring        float64 `toml:"anchoring"`
	MediaTop         int     `toml:"media_top"`
}

// Demography is the [demography] table: firm size, capability, growth,
// the liability of newness and founding from the market.
type Demography struct {
	Capability            float64 `toml:"capability"`
	StartupSpread         float64 `toml:"startup_spread"`
	GrowthRate            float64 `toml:"growth_rate"`
	GrowthNoise           float64 `toml:"growth_noise"`
	Overhead              float64 `toml:"overhead"`
	Newness               float64 `toml:"newness"`
	NewnessTime           float64 `toml:"newness_time"`
	Headroom              float64 `toml:"headroom"`
	EntryResponse         float64 `toml:"entry_response"`
	EntryFit              float64 `toml:"entry_fit"`
	FoundingLegitimation  float64 `toml:"founding_legitimation"`
	FoundingCompetition   float64 `toml:"founding_competition"`
	MortalityBase         float64 `toml:"mortality_base"`
	MortalityLegitimation float64 `toml:"mortality_legitimation"`
	MortalityCompetition  float64 `toml:"mortality_competition"`
}

// Shock is one [[shocks]] entry. Dimension names a dimension ("" = none);
// Sector and Segment -1 mean all; Option -1 means the most common option
// when the shock hits.
type Shock struct {
	Kind      sim.ShockKind `toml:"kind"`
	Tick      int           `toml:"tick"`
	Duration  int           `toml:"duration"`
	Severity  float64       `toml:"severity"`
	Sector    int           `toml:"sector"`
	Segment   int           `toml:"segment"`
	Dimension string        `toml:"dimension"`
	Option    int           `toml:"option"`
}

// Output is the [output] table: what a run records and draws.
type Output struct {
	Every         int      `toml:"every"`          // record every k ticks
	ShockWindow   int      `toml:"shock_window"`   // ticks after a shock in which failures count
	Timeseries    bool     `toml:"timeseries"`     // write per-tick metrics
	Firms         bool     `toml:"firms"`          // write per-firm records
	Charts        bool     `toml:"charts"`         // draw charts
	Formats       []string `toml:"formats"`        // chart formats: png, svg, pdf
	DPI           int      `toml:"dpi"`            // raster resolution
	TopStrategies int      `toml:"top_strategies"` // strategies listed in reports
}

// Sweep is the [sweep] table: parameters varied over runs. Only its syntax
// is checked here; see [ParseVary].
type Sweep struct {
	Vary    []string `toml:"vary"`    // "key=v1,v2,…" or "key=start:stop:step"
	Design  string   `toml:"design"`  // "factorial" or "lhs"
	Samples int      `toml:"samples"` // number of samples for "lhs"
}

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
	assign string // as given, e.g. "shocks[1].tick=200"
}

// Sweep designs.
const (
	DesignFactorial = "factorial"
	DesignLHS       = "lhs"
)

// defaults returns the scenario every file is decoded over:
// sim.DefaultConfig plus the scenario-only defaults. It has no shocks.
func defaults() *Scenario {
	c := sim.DefaultConfig()
	dimName := func(i int) string {
		if i < 0 || i >= len(c.Strategy.Dimensions) {
			return ""
		}
		return c.Strategy.Dimensions[i]
	}
	return &Scenario{
		Simulation: Simulation{
			Ticks:            c.Ticks,
			Seeds:            10,
			BaseSeed:         1,
			Schedule:         c.Schedule,
			StopWhenAbsorbed: c.StopWhenAbsorbed,
			RegionsEvery:     c.RegionsEvery,
		},
		Strategy: Strategy{
			Dimensions: append([]string(nil), c.Strategy.Dimensions...),
			Options:    c.Strategy.Options,
			Platform:   dimName(c.Strategy.PlatformDim),
			Automation: dimName(c.Strategy.AutomationDim),
		},
		Market: Market{
			Enabled:          c.Market.Enabled,
			Sectors:          c.Market.Sectors,
			Segments:         c.Market.SegmentsPerSector,
			SpendPerFirm:     c.Market.SpendPerFirm,
			MainstreamShare:  c.Market.MainstreamShare,
			Sharpness:        c.Market.Sharpness,
			OutsideOption:    c.Market.OutsideOption,
			BaseMargin:       c.Market.BaseMargin,
			CrowdingRadius:   c.Market.CrowdingRadius,
			CrowdingPenalty:  c.Market.CrowdingPenalty,
			FixedCost:        c.Market.FixedCost,
			Payout:           c.Market.Payout,
			AutomationSaving: c.Market.AutomationSaving,
			PlatformEffect:   c.Market.PlatformEffect,
			ImitateCost:      c.Market.ImitateCost,
			IncrementalCost:  c.Market.IncrementalCost,
			RadicalCost:      c.Market.RadicalCost,
			SpecialiseCost:   c.Market.SpecialiseCost,
			EntryRate:        c.Market.EntryRate,
			EntryCopy:        c.Market.EntryCopy,
			EntryMode:        c.Market.EntryMode,
			EntryCash:        c.Market.EntryCash,
		},
		Population: Population{
			Firms:             c.Population.Firms,
			InitialCash:       c.Population.InitialCash,
			CashSpread:        c.Population.CashSpread,
			RiskAversion:      c.Population.RiskAversion,
			RiskSpread:        c.Population.RiskSpread,
			InitialSimilarity: c.Population.InitialSimilarity,
			InitialFit:        c.Population.InitialFit,
			Mix: Mix{
				Imitator:   c.Population.Mix.Imitator,
				Innovator:  c.Population.Mix.Innovator,
				Specialist: c.Population.Mix.Specialist,
				Adaptive:   c.Population.Mix.Adaptive,
			},
		},
		Behaviour: Behaviour{
			Revision:       c.Behaviour.Revision,
			Imitation:      c.Behaviour.Imitation,
			CopyPractices:  c.Behaviour.CopyPractices,
			Attention:      c.Behaviour.Attention,
			RadicalChanges: c.Behaviour.RadicalChanges,
			RadicalShare:   c.Behaviour.RadicalShare,
			RadicalCash:    c.Behaviour.RadicalCash,
			PilotWindow:    c.Behaviour.PilotWindow,
			ProfitMemory:   c.Behaviour.ProfitMemory,
			Forgetting:     c.Behaviour.Forgetting,
		},
		Network: Network{
			Kind:          c.Network.Kind,
			Degree:        c.Network.Degree,
			Rewire:        c.Network.Rewire,
			Attach:        c.Network.Attach,
			Width:         c.Network.Width,
			Height:        c.Network.Height,
			Neighbourhood: c.Network.Neighbourhood,
			Wrap:          c.Network.Wrap,
			CrossShare:    c.Network.CrossShare,
		},
		Biases: Biases{
			Herding:          c.Biases.Herding,
			HerdingThreshold: c.Biases.HerdingThreshold,
			Confirmation:     c.Biases.Confirmation,
			Availability:     c.Biases.Availability,
			Anchoring:        c.Biases.Anchoring,
			MediaTop:         c.Biases.MediaTop,
		},
		Demography: Demography(c.Demography),
		Output: Output{
			Every:         1,
			ShockWindow:   50,
			Timeseries:    true,
			Firms:         true,
			Charts:        true,
			Formats:       []string{"png", "svg", "pdf"},
			DPI:           160,
			TopStrategies: 10,
		},
		Sweep: Sweep{Design: DesignFactorial, Samples: 10},
	}
}

// defaultShock is what every [[shocks]] entry is decoded over.
func defaultShock() Shock {
	return Shock{Severity: 0.5, Sector: -1, Segment: 0, Option: -1}
}

// Config returns the engine configuration of s. Call it after Validate:
// unknown dimension names map to -1 (none).
func (s *Scenario) Config() sim.Config {
	m, p, b, n, bi := s.Market, s.Population, s.Behaviour, s.Network, s.Biases
	// Start from the engine's defaults so that a field the schema does not
	// (yet) carry keeps its default rather than a zero.
	c := sim.DefaultConfig()
	c.Ticks = s.Simulation.Ticks
	c.Schedule = s.Simulation.Schedule
	c.StopWhenAbsorbed = s.Simulation.StopWhenAbsorbed
	c.RegionsEvery = s.Simulation.RegionsEvery

	c.Strategy.Dimensions = append([]string(nil), s.Strategy.Dimensions...)
	c.Strategy.Options = s.Strategy.Options
	c.Strategy.PlatformDim = s.dimIndex(s.Strategy.Platform)
	c.Strategy.AutomationDim = s.dimIndex(s.Strategy.Automation)

	cm := &c.Market
	cm.Enabled = m.Enabled
	cm.Sectors = m.Sectors
	cm.SegmentsPerSector = m.Segments
	cm.SpendPerFirm = m.SpendPerFirm
	cm.MainstreamShare = m.MainstreamShare
	cm.Sharpness = m.Sharpness
	cm.OutsideOption = m.OutsideOption
	cm.BaseMargin = m.BaseMargin
	cm.CrowdingRadius = m.CrowdingRadius
	cm.CrowdingPenalty = m.CrowdingPenalty
	cm.FixedCost = m.FixedCost
	cm.Payout = m.Payout
	cm.AutomationSaving = m.AutomationSaving
	cm.PlatformEffect = m.PlatformEffect
	cm.ImitateCost = m.ImitateCost
	cm.IncrementalCost = m.IncrementalCost
	cm.RadicalCost = m.RadicalCost
	cm.SpecialiseCost = m.SpecialiseCost
	cm.EntryRate = m.EntryRate
	cm.EntryCopy = m.EntryCopy
	cm.EntryMode = m.EntryMode
	cm.EntryCash = m.EntryCash

	cp := &c.Population
	cp.Firms = p.Firms
	cp.Mix = sim.Mix{Imitator: p.Mix.Imitator, Innovator: p.Mix.Innovator, Specialist: p.Mix.Specialist, Adaptive: p.Mix.Adaptive}
	cp.InitialCash = p.InitialCash
	cp.CashSpread = p.CashSpread
	cp.RiskAversion = p.RiskAversion
	cp.RiskSpread = p.RiskSpread
	cp.InitialSimilarity = p.InitialSimilarity
	cp.InitialFit = p.InitialFit

	cb := &c.Behaviour
	cb.Revision = b.Revision
	cb.Imitation = b.Imitation
	cb.CopyPractices = b.CopyPractices
	cb.Attention = b.Attention
	cb.RadicalChanges = b.RadicalChanges
	cb.RadicalShare = b.RadicalShare
	cb.RadicalCash = b.RadicalCash
	cb.PilotWindow = b.PilotWindow
	cb.ProfitMemory = b.ProfitMemory
	cb.Forgetting = b.Forgetting

	cn := &c.Network
	cn.Kind = n.Kind
	cn.Degree = n.Degree
	cn.Rewire = n.Rewire
	cn.Attach = n.Attach
	cn.Width = n.Width
	cn.Height = n.Height
	cn.Neighbourhood = n.Neighbourhood
	cn.Wrap = n.Wrap
	cn.CrossShare = n.CrossShare

	ci := &c.Biases
	ci.Herding = bi.Herding
	ci.HerdingThreshold = bi.HerdingThreshold
	ci.Confirmation = bi.Confirmation
	ci.Availability = bi.Availability
	ci.Anchoring = bi.Anchoring
	ci.MediaTop = bi.MediaTop

	c.Demography = sim.DemographyConfig(s.Demography)

	c.Shocks = nil
	for _, sh := range s.Shocks {
		c.Shocks = append(c.Shocks, sim.Shock{
			Kind:      sh.Kind,
			Tick:      sh.Tick,
			Duration:  sh.Duration,
			Severity:  sh.Severity,
			Sector:    sh.Sector,
			Segment:   sh.Segment,
			Dimension: s.dimIndex(sh.Dimension),
			Option:    sh.Option,
		})
	}
	return c
}

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

// Seeds returns the seeds of the runs: base_seed, base_seed+1, …
// (simulation.seeds of them).
func (s *Scenario) Seeds() []uint64 {
	n := max(s.Simulation.Seeds, 0)
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = s.Simulation.BaseSeed + uint64(i)
	}
	return seeds
}

// Every returns output.every: metrics are recorded every Every() ticks.
func (s *Scenario) Every() int { return s.Output.Every }

// ShockWindow returns output.shock_window: the number of ticks after a
// shock in which failures are attributed to it.
func (s *Scenario) ShockWindow() int { return s.Output.ShockWindow }

// clone returns a deep copy of s (positions are shared: they are
// read-only).
func (s *Scenario) clone() *Scenario {
	c := *s
	c.Strategy.Dimensions = cloneStrings(s.Strategy.Dimensions)
	c.Output.Formats = cloneStrings(s.Output.Formats)
	c.Sweep.Vary = cloneStrings(s.Sweep.Vary)
	if s.Shocks != nil {
		c.Shocks = append([]Shock(nil), s.Shocks...)
	}
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
