package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// Schedule says how firms' decisions are ordered within a tick.
type Schedule string

const (
	// Synchronous: every revising firm decides on the same state, then all
	// moves are applied together.
	Synchronous Schedule = "synchronous"
	// Asynchronous: N random activations (with replacement) per tick, each
	// decision applied at once.
	Asynchronous Schedule = "asynchronous"
)

// NetworkKind names a generator for who observes whom.
type NetworkKind string

// Network kinds.
const (
	Complete    NetworkKind = "complete"
	Ring        NetworkKind = "ring"         // ring lattice, Degree neighbours
	Lattice     NetworkKind = "lattice"      // 2-D lattice, Neighbourhood + Wrap
	SmallWorld  NetworkKind = "small_world"  // Watts–Strogatz: ring of Degree, rewired with Rewire
	ScaleFree   NetworkKind = "scale_free"   // Barabási–Albert, Attach edges per new node
	Random      NetworkKind = "random"       // Erdős–Rényi with mean degree Degree
	SectorBlock NetworkKind = "sector_block" // stochastic block model on sectors
)

// Neighbourhood of a 2-D lattice.
type Neighbourhood string

// Lattice neighbourhoods.
const (
	VonNeumann Neighbourhood = "von_neumann"
	Moore      Neighbourhood = "moore"
)

// ShockKind names a market shock.
type ShockKind string

// Shock kinds.
const (
	DemandShift     ShockKind = "demand_shift"
	TechDisruption  ShockKind = "tech_disruption"
	PlatformFailure ShockKind = "platform_failure"
	Downturn        ShockKind = "downturn"
	Regulation      ShockKind = "regulation"
)

// ImitationRule selects how an imitator copies.
type ImitationRule string

// Imitation rules.
const (
	// ImitateBest copies practices of the most successful neighbour (by
	// profit, or by visibility under the availability bias), only when it
	// does better than the imitator.
	ImitateBest ImitationRule = "best"
	// ImitateAxelrod picks a random neighbour and, with probability equal to
	// the share of matching dimensions, copies one differing practice
	// (Axelrod 1997).
	ImitateAxelrod ImitationRule = "axelrod"
)

// EntryCopy says which strategy copying entrants copy.
type EntryCopy string

// Entry copy modes.
const (
	CopyPopular    EntryCopy = "popular"
	CopyProfitable EntryCopy = "profitable"
)

// Config is the complete input of one run, apart from its seed. Build one
// with DefaultConfig and change what differs; Validate reports all problems.
type Config struct {
	Ticks            int      // tick limit, ≥ 1
	Schedule         Schedule // Synchronous (default) or Asynchronous
	StopWhenAbsorbed bool     // stop early when no neighbouring pair shares some but not all practices
	RegionsEvery     int      // measure `regions` every k ticks (0: only at the end of a run)

	Strategy   StrategyConfig
	Market     MarketConfig
	Population PopulationConfig
	Behaviour  BehaviourConfig
	Network    NetworkConfig
	Biases     BiasConfig
	Demography DemographyConfig
	Shocks     []Shock
}

// DemographyConfig describes firm size, capability, growth, the liability
// of newness, founding from the market and the network's room to grow
// (docs/model.md, "Demography"). One tick is one month. With every field
// zero, all firms have size and capability 1 and the model is the
// fixed-size market of earlier versions.
type DemographyConfig struct {
	Capability    float64 // σ_θ: capability is lognormal with mean 1 and this log-sd
	StartupSpread float64 // σ_c: start-up scale (size and cash) is lognormal with mean 1 and this log-sd
	GrowthRate    float64 // η: growth per tick per unit of profit rate π/(F·S)
	GrowthNoise   float64 // σ_g: sd of the idiosyncratic growth rate per tick (Gibrat)
	Overhead      float64 // ω: share of fixed cost that does not scale with size
	Newness       float64 // ν: a newborn firm's attraction is (1 − ν) of a mature one's
	NewnessTime   float64 // τ: ticks over which the newcomer disadvantage fades, e^(−age/τ)
	Headroom      float64 // h: network positions beyond the initial firms, as a multiple of them
	EntryResponse float64 // ε: founding rate × max(0, 1 + ε·π̄/F), π̄ the sector's mean profit average
	EntryFit      float64 // φ_e: probability each practice of a non-copying entrant is its target segment's ideal option
	// Density dependence (organisational ecology), density ñ = alive/initial firms of the sector:
	// founding × exp(FoundingLegitimation·ñ − FoundingCompetition·ñ²);
	// extra exit hazard per tick MortalityBase·exp(−MortalityLegitimation·ñ + MortalityCompetition·ñ²).
	FoundingLegitimation, FoundingCompetition                  float64
	MortalityBase, MortalityLegitimation, MortalityCompetition float64
}

// StrategyConfig describes practice space.
type StrategyConfig struct {
	Dimensions []string // names of the D practice dimensions
	Options    int      // Q options per dimension, 2..2^16; D·bits(Q-1) ≤ 64
	// PlatformDim is the index of the platform dimension (-1: none). Each
	// option is a platform; its reach grows with its share of firms.
	PlatformDim int
	// AutomationDim is the index of the automation dimension (-1: none).
	// Option 0 is the standard off-the-shelf suite that cuts fixed cost.
	AutomationDim int
}

// MarketConfig describes demand, prices and costs. With Enabled false there
// is no market (no revenue, cash, exit or entry): the culture-dissemination
// special case.
type MarketConfig struct {
	Enabled bool
	Sectors int // number of sectors, 1..255

	SegmentsPerSector int     // one mainstream + niches, ≥ 1
	SpendPerFirm      float64 // sector spend per tick = SpendPerFirm × initial firms in the sector
	MainstreamShare   float64 // share of sector spend in the mainstream segment (rest split evenly over niches)
	Sharpness         float64 // logit choice sharpness β over match quality (1 − distance/D)
	OutsideOption     float64 // match quality o ∈ [0,1] of customers' outside option

	BaseMargin     float64 // margin of an uncrowded firm
	CrowdingRadius int     // rivals within this Hamming distance count as near-identical (0 or 1)
	// CrowdingPenalty is κ: margin = BaseMargin / (1 + κ·100·rivals/N_s),
	// N_s the sector's positions: rivals count as a percentage of the
	// sector, so crowding does not depend on the size of the market.
	CrowdingPenalty float64

	FixedCost        float64 // fixed cost per tick
	Payout           float64 // share of positive cash paid out to the owners each tick
	AutomationSaving float64 // share of fixed cost saved by the standard automation option
	PlatformEffect   float64 // γ: reach = 1 + γ·(platform share)

	ImitateCost     float64 // cost of an imitation move
	IncrementalCost float64 // cost of an incremental innovation
	RadicalCost     float64 // cost of a radical innovation
	SpecialiseCost  float64 // cost of a specialisation move

	EntryRate float64   // expected entrants per tick per initial firm (Poisson), filling vacant positions
	EntryCopy float64   // probability an entrant copies an incumbent strategy (else random)
	EntryMode EntryCopy // CopyPopular or CopyProfitable
	EntryCash float64   // starting cash of entrants
}

// PopulationConfig describes the initial firms.
type PopulationConfig struct {
	Firms int // number of firms (network positions), ≥ 2
	Mix   Mix // shares of behaviour types, summing to 1

	InitialCash       float64 // mean starting cash
	CashSpread        float64 // cash drawn uniformly in InitialCash·[1−s, 1+s]
	RiskAversion      float64 // mean risk aversion in [0,1]
	RiskSpread        float64 // risk aversion drawn uniformly in ±spread, clamped to [0,1]
	InitialSimilarity float64 // probability each practice starts at a common template option
	InitialFit        float64 // else, probability it starts at the firm's target segment's ideal option (else random)
}

// Mix is the share of each behaviour type.
type Mix struct {
	Imitator, Innovator, Specialist, Adaptive float64
}

// BehaviourConfig holds the decision rules' parameters.
type BehaviourConfig struct {
	Revision       float64       // probability a firm reconsiders its strategy in a tick
	Imitation      ImitationRule // ImitateBest or ImitateAxelrod
	CopyPractices  int           // practices copied per imitation (≥ 1)
	Attention      int           // neighbours a firm looks at per decision (sampled when it has more)
	RadicalChanges int           // practices changed by a radical innovation (≥ 2)
	RadicalShare   float64       // probability an innovation is radical when affordable, × (1 − risk aversion)
	RadicalCash    float64       // cash needed for a radical move, as a multiple of RadicalCost
	PilotWindow    int           // ticks a change is trialled (0: no pilot-then-revert)
	ProfitMemory   float64       // weight of the newest profit in a firm's profit average (EMA)
	Forgetting     float64       // Roth–Erev forgetting φ for adaptive firms
}

// BiasConfig sets the cognitive biases; each strength is in [0,1], 0 = off.
type BiasConfig struct {
	Herding          float64
	HerdingThreshold float64 // neighbour share a practice must exceed to be herded to
	Confirmation     float64
	Availability     float64
	Anchoring        float64
	MediaTop         int // the media broadcast shows the strategy of the largest of the top MediaTop firms by revenue
}

// NetworkConfig describes who observes whom.
type NetworkConfig struct {
	Kind          NetworkKind
	Degree        int           // ring, small world: neighbours (even); random: mean degree
	Rewire        float64       // small world rewiring probability
	Attach        int           // scale free: edges per new node
	Width, Height int           // lattice size (Width×Height must equal Firms)
	Neighbourhood Neighbourhood // lattice neighbourhood
	Wrap          bool          // lattice wraps around (torus)
	CrossShare    float64       // sector blocks: share of a firm's links that cross sectors
}

// Shock is a scheduled market shock.
type Shock struct {
	Kind     ShockKind
	Tick     int     // first tick the shock acts
	Duration int     // ticks it lasts; 0 = permanent
	Severity float64 // in (0,1]
	// Targets; -1 means "all" (Sector, Segment) or "the most common option
	// at the time of the shock" (Option).
	Sector    int
	Segment   int // demand shift: segment index within a sector (0 = mainstream)
	Dimension int // tech disruption, regulation: dimension index; platform failure uses PlatformDim
	Option    int
}

// D is the number of practice dimensions.
func (c *Config) D() int { return len(c.Strategy.Dimensions) }

// OptionBits is the number of bits one practice takes in a packed strategy.
func OptionBits(q int) int {
	if q <= 1 {
		return 1
	}
	return bits.Len(uint(q - 1))
}

// DefaultConfig returns the baseline configuration documented in docs/model.md.
func DefaultConfig() Config {
	return Config{
		Ticks:    500,
		Schedule: Synchronous,
		Strategy: StrategyConfig{
			Dimensions:    []string{"marketing", "operations", "product", "pricing", "channel", "platform", "automation", "culture"},
			Options:       8,
			PlatformDim:   5,
			AutomationDim: 6,
		},
		Market: MarketConfig{
			Enabled:           true,
			Sectors:           3,
			SegmentsPerSector: 4,
			SpendPerFirm:      1,
			MainstreamShare:   0.6,
			Sharpness:         8,
			OutsideOption:     0.625,
			BaseMargin:        0.4,
			CrowdingRadius:    1,
			CrowdingPenalty:   0.05,
			FixedCost:         0.06,
			Payout:            0.02,
			AutomationSaving:  0.2,
			PlatformEffect:    0.5,
			ImitateCost:       0.25,
			IncrementalCost:   0.5,
			RadicalCost:       2,
			SpecialiseCost:    0.5,
			EntryRate:         0.002,
			EntryCopy:         0.5,
			EntryMode:         CopyPopular,
			EntryCash:         4.5,
		},
		Population: PopulationConfig{
			Firms:        1000,
			Mix:          Mix{Imitator: 0.4, Innovator: 0.2, Specialist: 0.2, Adaptive: 0.2},
			InitialCash:  10,
			CashSpread:   0.5,
			RiskAversion: 0.5,
			RiskSpread:   0.3,
			InitialFit:   0.5,
		},
		Behaviour: BehaviourConfig{
			Revision:       0.1,
			Imitation:      ImitateBest,
			CopyPractices:  1,
			Attention:      16,
			RadicalChanges: 3,
			RadicalShare:   0.3,
			RadicalCash:    2,
			PilotWindow:    4,
			ProfitMemory:   0.3,
			Forgetting:     0.05,
		},
		Network: NetworkConfig{
			Kind:          SmallWorld,
			Degree:        8,
			Rewire:        0.1,
			Attach:        4,
			Neighbourhood: VonNeumann,
			CrossShare:    0.2,
		},
		Biases: BiasConfig{
			HerdingThreshold: 0.5,
			MediaTop:         10,
		},
		Demography: DemographyConfig{
			Capability:    0.3,
			StartupSpread: 1.5,
			GrowthRate:    0.02,
			GrowthNoise:   0.03,
			Overhead:      0.1,
			Newness:       0.7,
			NewnessTime:   12,
			Headroom:      1,
			EntryResponse: 1,
			EntryFit:      0.8,
		},
	}
}

// FieldError is one invalid field of a Config. Path uses the scenario
// file's key names (e.g. "market.base_margin", "shocks[2].tick" with shocks
// counted from 1) so that callers can point at the offending line.
type FieldError struct {
	Path  string
	Value any
	Msg   string // what is allowed, e.g. "must be between 0 and 1"
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s = %v: %s", e.Path, e.Value, e.Msg) }

// Problems returns every invalid field of c, in a fixed order.
func (c *Config) Problems() []*FieldError {
	var ps []*FieldError
	add := func(path string, v any, format string, a ...any) {
		ps = append(ps, &FieldError{Path: path, Value: v, Msg: fmt.Sprintf(format, a...)})
	}
	intIn := func(path string, v, lo, hi int) {
		if v < lo || v > hi {
			add(path, v, "must be an integer between %d and %d", lo, hi)
		}
	}
	floatIn := func(path string, v, lo, hi float64) {
		if !(v >= lo && v <= hi) { // also rejects NaN
			add(path, v, "must be between %g and %g", lo, hi)
		}
	}
	nonNeg := func(path string, v float64) {
		if !(v >= 0) || math.IsInf(v, 0) {
			add(path, v, "must be a finite number ≥ 0")
		}
	}

	intIn("simulation.ticks", c.Ticks, 1, 10_000_000)
	if c.Schedule != Synchronous && c.Schedule != Asynchronous {
		add("simulation.schedule", c.Schedule, "must be %q or %q", Synchronous, Asynchronous)
	}
	intIn("simulation.regions_every", c.RegionsEvery, 0, 10_000_000)

	s := c.Strategy
	d := len(s.Dimensions)
	intIn("strategy.options", s.Options, 2, 1<<16)
	if d < 1 {
		add("strategy.dimensions", d, "needs at least one dimension")
	} else if s.Options >= 2 && d*OptionBits(s.Options) > 64 {
		add("strategy.dimensions", d, "%d dimensions × %d bits per practice (for %d options) = %d bits; a strategy must fit in 64 bits (at most %d dimensions with %d options)",
			d, OptionBits(s.Options), s.Options, d*OptionBits(s.Options), 64/OptionBits(s.Options), s.Options)
	}
	seen := make(map[string]bool, d)
	for _, name := range s.Dimensions {
		if name == "" {
			add("strategy.dimensions", name, "dimension names must not be empty")
		} else if seen[name] {
			add("strategy.dimensions", name, "dimension names must be unique")
		}
		seen[name] = true
	}
	if s.PlatformDim < -1 || s.PlatformDim >= d {
		add("strategy.platform", s.PlatformDim, "must name one of the dimensions (or be empty)")
	}
	if s.AutomationDim < -1 || s.AutomationDim >= d {
		add("strategy.automation", s.AutomationDim, "must name one of the dimensions (or be empty)")
	}
	if s.PlatformDim >= 0 && s.PlatformDim == s.AutomationDim {
		add("strategy.automation", s.AutomationDim, "must differ from strategy.platform")
	}

	m := c.Market
	intIn("market.sectors", m.Sectors, 1, 255)
	if m.Enabled {
		intIn("market.segments", m.SegmentsPerSector, 1, 64)
		nonNeg("market.spend_per_firm", m.SpendPerFirm)
		floatIn("market.mainstream_share", m.MainstreamShare, 0, 1)
		if m.SegmentsPerSector == 1 && m.MainstreamShare != 1 {
			add("market.mainstream_share", m.MainstreamShare, "must be 1 when there is a single segment per sector")
		}
		floatIn("market.sharpness", m.Sharpness, 0, 100)
		floatIn("market.outside_option", m.OutsideOption, 0, 1)
		floatIn("market.base_margin", m.BaseMargin, 0, 1)
		intIn("market.crowding_radius", m.CrowdingRadius, 0, 1)
		nonNeg("market.crowding_penalty", m.CrowdingPenalty)
		nonNeg("market.fixed_cost", m.FixedCost)
		floatIn("market.payout", m.Payout, 0, 1)
		floatIn("market.automation_saving", m.AutomationSaving, 0, 1)
		nonNeg("market.platform_effect", m.PlatformEffect)
		nonNeg("market.imitate_cost", m.ImitateCost)
		nonNeg("market.incremental_cost", m.IncrementalCost)
		nonNeg("market.radical_cost", m.RadicalCost)
		nonNeg("market.specialise_cost", m.SpecialiseCost)
		floatIn("market.entry_rate", m.EntryRate, 0, 1)
		floatIn("market.entry_copy", m.EntryCopy, 0, 1)
		if m.EntryMode != CopyPopular && m.EntryMode != CopyProfitable {
			add("market.entry_mode", m.EntryMode, "must be %q or %q", CopyPopular, CopyProfitable)
		}
		nonNeg("market.entry_cash", m.EntryCash)
		dm := c.Demography
		floatIn("demography.capability", dm.Capability, 0, 3)
		floatIn("demography.startup_spread", dm.StartupSpread, 0, 3)
		floatIn("demography.growth_rate", dm.GrowthRate, 0, 0.5)
		floatIn("demography.growth_noise", dm.GrowthNoise, 0, 0.5)
		floatIn("demography.overhead", dm.Overhead, 0, 1)
		floatIn("demography.newness", dm.Newness, 0, 1)
		floatIn("demography.newness_time", dm.NewnessTime, 0, 10_000)
		floatIn("demography.headroom", dm.Headroom, 0, 10)
		floatIn("demography.entry_response", dm.EntryResponse, 0, 100)
		floatIn("demography.entry_fit", dm.EntryFit, 0, 1)
		floatIn("demography.founding_legitimation", dm.FoundingLegitimation, 0, 50)
		floatIn("demography.founding_competition", dm.FoundingCompetition, 0, 50)
		floatIn("demography.mortality_base", dm.MortalityBase, 0, 1)
		floatIn("demography.mortality_legitimation", dm.MortalityLegitimation, 0, 50)
		floatIn("demography.mortality_competition", dm.MortalityCompetition, 0, 50)
		if p := c.Population.Firms; p >= 2 && float64(p)*(1+dm.Headroom) > 50_000_000 {
			add("demography.headroom", dm.Headroom, "population.firms × (1 + headroom) must not exceed 50000000 positions")
		}
	}

	p := c.Population
	intIn("population.firms", p.Firms, 2, 50_000_000)
	if p.Firms >= 2 && c.Market.Enabled && c.Market.Sectors > p.Firms {
		add("market.sectors", c.Market.Sectors, "must not exceed population.firms (%d)", p.Firms)
	}
	mix := [...]struct {
		key string
		v   float64
	}{{"imitator", p.Mix.Imitator}, {"innovator", p.Mix.Innovator}, {"specialist", p.Mix.Specialist}, {"adaptive", p.Mix.Adaptive}}
	sum := 0.0
	for _, e := range mix {
		floatIn("population.mix."+e.key, e.v, 0, 1)
		sum += e.v
	}
	if math.Abs(sum-1) > 1e-9 {
		add("population.mix", sum, "shares must sum to 1 (imitator %.4g + innovator %.4g + specialist %.4g + adaptive %.4g = %.4g)",
			p.Mix.Imitator, p.Mix.Innovator, p.Mix.Specialist, p.Mix.Adaptive, sum)
	}
	nonNeg("population.initial_cash", p.InitialCash)
	floatIn("population.cash_spread", p.CashSpread, 0, 1)
	floatIn("population.risk_aversion", p.RiskAversion, 0, 1)
	floatIn("population.risk_spread", p.RiskSpread, 0, 1)
	floatIn("population.initial_similarity", p.InitialSimilarity, 0, 1)
	floatIn("population.initial_fit", p.InitialFit, 0, 1)

	b := c.Behaviour
	floatIn("behaviour.revision", b.Revision, 0, 1)
	if b.Imitation != ImitateBest && b.Imitation != ImitateAxelrod {
		add("behaviour.imitation", b.Imitation, "must be %q or %q", ImitateBest, ImitateAxelrod)
	}
	intIn("behaviour.copy_practices", b.CopyPractices, 1, max(d, 1))
	intIn("behaviour.attention", b.Attention, 1, 1024)
	intIn("behaviour.radical_changes", b.RadicalChanges, 2, max(d, 2))
	floatIn("behaviour.radical_share", b.RadicalShare, 0, 1)
	nonNeg("behaviour.radical_cash", b.RadicalCash)
	intIn("behaviour.pilot_window", b.PilotWindow, 0, 1000)
	floatIn("behaviour.profit_memory", b.ProfitMemory, 0.001, 1)
	floatIn("behaviour.forgetting", b.Forgetting, 0, 1)

	bi := c.Biases
	floatIn("biases.herding", bi.Herding, 0, 1)
	floatIn("biases.herding_threshold", bi.HerdingThreshold, 0, 1)
	floatIn("biases.confirmation", bi.Confirmation, 0, 1)
	floatIn("biases.availability", bi.Availability, 0, 1)
	floatIn("biases.anchoring", bi.Anchoring, 0, 1)
	intIn("biases.media_top", bi.MediaTop, 1, 1000)

	c.checkNetwork(add)

	for i, sh := range c.Shocks {
		at := func(key string) string { return fmt.Sprintf("shocks[%d].%s", i+1, key) }
		switch sh.Kind {
		case DemandShift, TechDisruption, PlatformFailure, Downturn, Regulation:
		default:
			add(at("kind"), sh.Kind, "must be one of %s, %s, %s, %s, %s", DemandShift, TechDisruption, PlatformFailure, Downturn, Regulation)
		}
		if !c.Market.Enabled {
			add(at("kind"), sh.Kind, "shocks need the market (market.enabled = true)")
		}
		intIn(at("tick"), sh.Tick, 1, max(c.Ticks, 1))
		intIn(at("duration"), sh.Duration, 0, 10_000_000)
		if !(sh.Severity > 0 && sh.Severity <= 1) {
			add(at("severity"), sh.Severity, "must be in (0, 1]")
		}
		intIn(at("sector"), sh.Sector, -1, c.Market.Sectors-1)
		switch sh.Kind {
		case DemandShift:
			intIn(at("segment"), sh.Segment, -1, c.Market.SegmentsPerSector-1)
		case TechDisruption, Regulation:
			if sh.Kind == TechDisruption || sh.Dimension != -1 {
				intIn(at("dimension"), sh.Dimension, 0, d-1)
			}
			intIn(at("option"), sh.Option, -1, s.Options-1)
		case PlatformFailure:
			if s.PlatformDim < 0 {
				add(at("kind"), sh.Kind, "needs a platform dimension (strategy.platform)")
			}
			intIn(at("option"), sh.Option, -1, s.Options-1)
		}
	}
	return ps
}

func (c *Config) checkNetwork(add func(path string, v any, format string, a ...any)) {
	n := c.Population.Firms
	nw := c.Network
	switch nw.Kind {
	case Complete:
	case Ring, SmallWorld:
		if nw.Degree < 2 || nw.Degree%2 != 0 || nw.Degree >= n {
			add("network.degree", nw.Degree, "must be even, at least 2 and less than population.firms (%d)", n)
		}
		if nw.Kind == SmallWorld && !(nw.Rewire >= 0 && nw.Rewire <= 1) {
			add("network.rewire", nw.Rewire, "must be between 0 and 1")
		}
	case Random, SectorBlock:
		if nw.Degree < 1 || nw.Degree >= n {
			add("network.degree", nw.Degree, "must be at least 1 and less than population.firms (%d)", n)
		}
		if nw.Kind == SectorBlock && !(nw.CrossShare >= 0 && nw.CrossShare <= 1) {
			add("network.cross_share", nw.CrossShare, "must be between 0 and 1")
		}
	case ScaleFree:
		if nw.Attach < 1 || nw.Attach >= n {
			add("network.attach", nw.Attach, "must be at least 1 and less than population.firms (%d)", n)
		}
	case Lattice:
		if nw.Width < 1 || nw.Height < 1 || nw.Width*nw.Height != n {
			add("network.width", nw.Width, "network.width × network.height (%d × %d) must equal population.firms (%d)", nw.Width, nw.Height, n)
		}
		if nw.Neighbourhood != VonNeumann && nw.Neighbourhood != Moore {
			add("network.neighbourhood", nw.Neighbourhood, "must be %q or %q", VonNeumann, Moore)
		}
	default:
		add("network.kind", nw.Kind, "must be one of complete, ring, lattice, small_world, scale_free, random, sector_block")
	}
}

// Validate returns every problem of c joined into one error (nil if none).
func (c *Config) Validate() error {
	ps := c.Problems()
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errors.Join(errs...)
}
