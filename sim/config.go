package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strings"

	"github.com/smbsim/smbsim/sim/network"
	"github.com/smbsim/smbsim/sim/param"
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

// Network kinds: the kinds of package network ([network.Kinds]), which
// says what each one needs.
const (
	Complete    NetworkKind = network.KindComplete
	Ring        NetworkKind = network.KindRing
	Lattice     NetworkKind = network.KindLattice
	SmallWorld  NetworkKind = network.KindSmallWorld
	ScaleFree   NetworkKind = network.KindScaleFree
	Random      NetworkKind = network.KindRandom
	SectorBlock NetworkKind = network.KindSectorBlock
)

// Values lists the schedules.
func (Schedule) Values() []string { return []string{string(Synchronous), string(Asynchronous)} }

// Values lists the network kinds, as defined by package network.
func (NetworkKind) Values() []string { return network.KindNames() }

// Neighbourhood of a 2-D lattice.
type Neighbourhood string

// Lattice neighbourhoods.
const (
	VonNeumann Neighbourhood = "von_neumann"
	Moore      Neighbourhood = "moore"
	// VonNeumann2 is every site within two steps (|dx| + |dy| ≤ 2): 12
	// neighbours, Axelrod's (1997) widest range of interaction.
	VonNeumann2 Neighbourhood = "von_neumann_2"
)

// Values lists the neighbourhoods.
func (Neighbourhood) Values() []string {
	return []string{string(VonNeumann), string(Moore), string(VonNeumann2)}
}

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

// Values lists the shock kinds.
func (ShockKind) Values() []string {
	return []string{string(DemandShift), string(TechDisruption), string(PlatformFailure), string(Downturn), string(Regulation)}
}

// TargetRule says how a shock that hits one option of a dimension (a
// technology disruption, a platform failure, a regulation of a practice)
// chooses that option when it starts, if its option is not fixed.
type TargetRule string

// Target rules. The draws of random and weighted come from the shock's own
// random stream, so a shock's counterfactual fork stays exact.
const (
	// TargetCommon hits the option most alive firms use (ties: the lowest).
	TargetCommon TargetRule = "common"
	// TargetRandom hits an option drawn uniformly among all the
	// dimension's options, used or not.
	TargetRandom TargetRule = "random"
	// TargetWeighted hits an option drawn with probability equal to its
	// share of the alive firms: the option of a firm drawn uniformly.
	TargetWeighted TargetRule = "weighted"
)

// Values lists the target rules.
func (TargetRule) Values() []string {
	return []string{string(TargetCommon), string(TargetRandom), string(TargetWeighted)}
}

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

// Values lists the imitation rules.
func (ImitationRule) Values() []string { return []string{string(ImitateBest), string(ImitateAxelrod)} }

// EntryCopy says which strategy copying entrants copy.
type EntryCopy string

// Entry copy modes.
const (
	CopyPopular    EntryCopy = "popular"
	CopyProfitable EntryCopy = "profitable"
)

// Values lists the entry copy modes.
func (EntryCopy) Values() []string { return []string{string(CopyPopular), string(CopyProfitable)} }

// Config is the complete input of one run, apart from its seed. Build one
// with DefaultConfig and change what differs; Validate reports all problems.
//
// Config is also the scenario file's schema: every parameter is declared
// once, on its field, with its file key, allowed range and meaning as
// struct tags (see package [param]), and its default in DefaultConfig (or
// DefaultShock). The scenario decoder and its messages, --set, the starter
// file of `smbsim init` and docs/scenarios.md all follow from these
// declarations. Checks that involve several keys are written in Problems.
type Config struct {
	Simulation `toml:"simulation" doc:"How long and how often to run."`

	Strategy   StrategyConfig   `toml:"strategy" doc:"Practice space: each firm's strategy is one option on each dimension."`
	Market     MarketConfig     "toml:\"market\" doc:\"Demand, prices and costs. With `enabled = false` there is no market at all (no revenue, cash, exit or entry): the culture-dissemination special case, as in `axelrod`. The other market keys are then not checked.\""
	Population PopulationConfig `toml:"population" doc:"The initial firms."`
	Behaviour  BehaviourConfig  `toml:"behaviour" doc:"The decision rules' parameters."`
	Network    NetworkConfig    `toml:"network" doc:"Who observes whom. Each kind uses only some of the keys."`
	Biases     BiasConfig       `toml:"biases" doc:"Cognitive biases; each strength is between 0 (off) and 1."`
	Landscape  LandscapeConfig  "toml:\"landscape\" doc:\"Optional. Practices that interact: an NK complementarity term (each practice's contribution depends on its own option and those of k others, from a random table drawn from the seed) that makes the market's payoff landscape rugged; and the payoff-only mode of Lazer and Friedman (2007), as in `lazer-friedman`. With `k = 0` and `payoff_only = false` the term is off. See docs/model.md.\""
	Culture    CultureConfig    "toml:\"culture\" doc:\"How a culture world runs. A culture world has no market, asynchronous activation and only Axelrod imitators that always revise (as in `axelrod`); only such a world may have a strategy wider than 64 bits, up to 255 dimensions of up to 256 options.\""
	Demography DemographyConfig `toml:"demography" doc:"Firm size, capability and growth, the liability of newness, founding from the market and density dependence (docs/model.md, Demography). One tick is one month. With every key 0 all firms have size and capability 1, every entrant's fit is random and the population is bounded by population.firms. Used only with a market."`
	Shocks     []Shock          "toml:\"shocks\" doc:\"Zero or more `[[shocks]]` entries, each a scheduled market shock. Every key of an entry has a default except `kind` and `tick`.\""
}

// Simulation holds the run's length and schedule: the engine's keys of the
// [simulation] table.
type Simulation struct {
	Ticks            int      `toml:"ticks" range:"1:10000000" doc:"Ticks (time steps) of one run."`
	Schedule         Schedule `toml:"schedule" doc:"Synchronous: revising firms decide on the same state, then all moves apply together. Asynchronous: N random activations per tick, each applied at once."`
	StopWhenAbsorbed bool     `toml:"stop_when_absorbed" doc:"Stop a run early when no two neighbours share some but not all practices (nothing can change any more)."`
	RegionsEvery     int      `toml:"regions_every" range:"0:10000000" doc:"Count cultural regions every k ticks; 0 counts them only at the end of a run (counting is slow)."`
}

// StrategyConfig describes practice space.
type StrategyConfig struct {
	Dimensions []string `toml:"dimensions" allowed:"1 or more unique names; dimensions × bits per option ≤ 64" doc:"Names of the practice dimensions."`
	Options    int      `toml:"options" range:"2:65536" doc:"Options per dimension. Each takes ⌈log₂ options⌉ bits of a 64-bit strategy, so 8 options allow 21 dimensions."`
	// PlatformDim is the index of the platform dimension (-1: none). Each
	// option is a platform; its reach grows with its share of firms.
	PlatformDim int "toml:\"platform\" ref:\"dimension\" allowed:\"a dimension name, or `\\\"\\\"` for none\" doc:\"The platform dimension: each option is a platform whose reach grows with its share of firms.\""
	// AutomationDim is the index of the automation dimension (-1: none).
	// Option 0 is the standard off-the-shelf suite that cuts fixed cost.
	AutomationDim int "toml:\"automation\" ref:\"dimension\" allowed:\"a dimension name, or `\\\"\\\"` for none; not the platform\" doc:\"The automation dimension: option 0 is the standard off-the-shelf suite that cuts fixed cost, the same for everyone.\""
}

// MarketConfig describes demand, prices and costs. With Enabled false there
// is no market (no revenue, cash, exit or entry): the culture-dissemination
// special case, and the other market keys are not checked.
type MarketConfig struct {
	Enabled bool `toml:"enabled" doc:"Whether there is a market; false gives pure culture dissemination."`
	Sectors int  `toml:"sectors" range:"1:255" allowed:"1 to 255, at most population.firms" doc:"Number of sectors, each with its own demand."`

	SegmentsPerSector int     `toml:"segments" range:"1:64" if:"enabled" doc:"Customer segments per sector: one mainstream and the rest niches."`
	SpendPerFirm      float64 `toml:"spend_per_firm" range:"0:" if:"enabled" doc:"Customer spend per tick of a sector = spend_per_firm × its initial firms."`
	MainstreamShare   float64 `toml:"mainstream_share" range:"0:1" if:"enabled" allowed:"0 to 1 (1 with a single segment)" doc:"Share of a sector's spend in the mainstream segment; the rest is split evenly over the niches."`
	Sharpness         float64 `toml:"sharpness" range:"0:100" if:"enabled" doc:"How sharply customers pick the best-matching firm (logit β over match quality)."`
	OutsideOption     float64 `toml:"outside_option" range:"0:1" if:"enabled" doc:"Match quality of customers' outside option (buying nothing)."`

	BaseMargin     float64 `toml:"base_margin" range:"0:1" if:"enabled" doc:"Margin of a firm with no near-identical rivals."`
	CrowdingRadius int     `toml:"crowding_radius" range:"0:1" if:"enabled" doc:"Rivals within this many differing practices count as near-identical."`
	// CrowdingPenalty is κ: margin = BaseMargin / (1 + κ·100·rivals/N_s),
	// N_s the sector's positions: rivals count as a percentage of the
	// sector, so crowding does not depend on the size of the market.
	CrowdingPenalty float64 `toml:"crowding_penalty" range:"0:" if:"enabled" doc:"κ: margin = base_margin / (1 + κ × near-identical rivals as a percentage of the sector's firms): price competition among look-alikes, the same in a market of any size."`

	FixedCost        float64 `toml:"fixed_cost" range:"0:" if:"enabled" doc:"Fixed cost per tick."`
	Payout           float64 `toml:"payout" range:"0:1" if:"enabled" doc:"Share of positive cash paid out to the owners each tick."`
	AutomationSaving float64 `toml:"automation_saving" range:"0:1" if:"enabled" doc:"Share of fixed cost saved by the standard automation option."`
	PlatformEffect   float64 `toml:"platform_effect" range:"0:" if:"enabled" doc:"γ: a firm's reach = 1 + γ × its platform's share of firms."`

	ImitateCost     float64 `toml:"imitate_cost" range:"0:" if:"enabled" doc:"Cost of an imitation move."`
	IncrementalCost float64 `toml:"incremental_cost" range:"0:" if:"enabled" doc:"Cost of an incremental innovation (one practice)."`
	RadicalCost     float64 `toml:"radical_cost" range:"0:" if:"enabled" doc:"Cost of a radical innovation (several practices)."`
	SpecialiseCost  float64 `toml:"specialise_cost" range:"0:" if:"enabled" doc:"Cost of a move toward a niche."`
	// EqualMoveCosts is a mechanism control: every move costs ImitateCost.
	EqualMoveCosts bool `toml:"equal_move_costs" if:"enabled" doc:"Control: every move (imitation, herding, incremental or radical innovation, specialisation) costs imitate_cost, and radical moves need radical_cash × imitate_cost in cash, whatever the firm's behaviour type — so that a difference between mixes that remains is not a difference in what their moves cost. Off by default."`
	// CashAtShock, when above 0, is the equal-cash control at a fixed
	// level: every firm in business gets CashAtShock × its fixed-cost scale
	// at every shock's first tick (run and fork alike).
	CashAtShock float64 `toml:"cash_at_shock" range:"0:" if:"enabled" doc:"Control: when above 0, at the first tick of every shock, before it acts, every firm in business gets this cash times its fixed-cost scale (demography.overhead + (1 − overhead) × size²; with every size 1: this cash), in the run and in its no-shock fork alike — the same buffer in every firm of every mix compared, where equal_cash_at_shock keeps each market's own total. 0 (the default): off."`
	// EqualCashAtShock is a mechanism control: at the first tick of every
	// shock, before it acts, the cash of the firms in business is shared
	// out again in proportion to their fixed-cost scale (in the run and in
	// its no-shock fork alike).
	EqualCashAtShock bool `toml:"equal_cash_at_shock" if:"enabled" doc:"Control: at the first tick of every shock, before the shock acts, the firms in business share their total cash out again in proportion to their fixed-cost scale (demography.overhead + (1 − overhead) × size²), so every firm holds the same number of ticks of its fixed cost (with every size 1: the mean cash) — in the run and in its no-shock fork alike, so the paired difference stays the shock's effect; a difference between mixes that remains is not a difference in the cash buffers their firms held when the shock hit. Off by default."`

	EntryRate float64   `toml:"entry_rate" range:"0:1" if:"enabled" doc:"Base founding rate: expected entrants per tick per initial firm, before the market's response (demography.entry_response) and density dependence."`
	EntryCopy float64   `toml:"entry_copy" range:"0:1" if:"enabled" doc:"Probability that an entrant copies an incumbent's strategy (else it aims at a segment, see demography.entry_fit)."`
	EntryMode EntryCopy `toml:"entry_mode" if:"enabled" doc:"Which strategy copying entrants copy: the most common or the most profitable."`
	EntryCash float64   `toml:"entry_cash" range:"0:" if:"enabled" doc:"Mean start-up capital (cash) of entrants, c_e; see demography.startup_spread."`

	// Drift is δ: each tick, each segment's ideal changes one practice
	// (uniform dimension, uniform other option) with probability δ.
	Drift float64 `toml:"drift" range:"0:1" if:"enabled" doc:"δ: each tick, each segment's ideal changes one practice (to a random other option) with probability δ: customer tastes that move all the time; 0 = only scheduled shocks move them."`
	// NicheTurnover is ξ: each tick, in each sector with niches, with
	// probability ξ one niche (uniform) closes and a new one opens at a
	// uniformly drawn ideal with the same spend.
	NicheTurnover float64 `toml:"niche_turnover" range:"0:1" if:"enabled" doc:"ξ: each tick, in each sector, with probability ξ one niche closes and a new one opens at a random ideal with the same spend."`
}

// PopulationConfig describes the initial firms.
type PopulationConfig struct {
	Firms int `toml:"firms" range:"2:50000000" doc:"Number of firms (network positions)."`
	Mix   Mix `toml:"mix" doc:"Shares of the behaviour types; they must sum to 1."`
	// ImitatorShare, when in [0, 1], overrides the imitators' share of Mix
	// and scales the other types to keep their proportions (EffectiveMix):
	// the mix as one number, for sweeps. −1: Mix as given.
	ImitatorShare float64 "toml:\"imitator_share\" allowed:\"−1 (off: `mix` as given), or 0 to 1; below 1 only when `mix` gives some other type a share\" doc:\"The mix as one number, for sweeps (`smbsim sweep … --vary population.imitator_share=0.2:0.8:0.2`): the imitators' share, the other types sharing the rest in the proportions `mix` gives them (with mix 0.4/0.2/0.2/0.2 and 0.7 here: 0.7/0.1/0.1/0.1). −1 (the default) uses `mix` as given.\""

	InitialCash       float64 `toml:"initial_cash" range:"0:" doc:"Mean starting cash."`
	CashSpread        float64 `toml:"cash_spread" range:"0:1" doc:"Starting cash is drawn uniformly in initial_cash × [1 − spread, 1 + spread]."`
	RiskAversion      float64 `toml:"risk_aversion" range:"0:1" doc:"Mean risk aversion; radical moves get rarer as it rises."`
	RiskSpread        float64 `toml:"risk_spread" range:"0:1" doc:"Risk aversion is drawn uniformly within ± spread of the mean, clamped to [0, 1]."`
	InitialSimilarity float64 `toml:"initial_similarity" range:"0:1" doc:"Probability that each practice starts at a common template option."`
	InitialFit        float64 `toml:"initial_fit" range:"0:1" doc:"Otherwise, probability that it starts at the ideal option of the firm's target segment (else at random)."`
}

// EffectiveMix is the mix the population is drawn from: Mix, or, with
// ImitatorShare x in [0, 1], imitators x and each other type
// (1 − x) × its share of the non-imitators in Mix.
func (p *PopulationConfig) EffectiveMix() Mix {
	x := p.ImitatorShare
	rest := p.Mix.Innovator + p.Mix.Specialist + p.Mix.Adaptive
	if x < 0 || x > 1 || (rest <= 0 && x < 1) {
		return p.Mix
	}
	if x == 1 {
		return Mix{Imitator: 1}
	}
	f := (1 - x) / rest
	return Mix{Imitator: x, Innovator: p.Mix.Innovator * f, Specialist: p.Mix.Specialist * f, Adaptive: p.Mix.Adaptive * f}
}

// Mix is the share of each behaviour type.
type Mix struct {
	Imitator   float64 `toml:"imitator" range:"0:1" doc:"Share of imitators: copy the best-looking neighbour."`
	Innovator  float64 `toml:"innovator" range:"0:1" doc:"Share of innovators: change their own practices, incrementally or radically."`
	Specialist float64 `toml:"specialist" range:"0:1" doc:"Share of specialists: move toward the least-served niche."`
	Adaptive   float64 `toml:"adaptive" range:"0:1" doc:"Share of adaptive firms: learn which of the moves pays (Roth–Erev)."`
}

// BehaviourConfig holds the decision rules' parameters.
type BehaviourConfig struct {
	Revision       float64       `toml:"revision" range:"0:1" doc:"Probability that a firm reconsiders its strategy in a tick."`
	Imitation      ImitationRule `toml:"imitation" doc:"best: copy the most successful neighbour when it does better. axelrod: copy a random neighbour with probability equal to the share of practices already shared (Axelrod 1997)."`
	CopyPractices  int           `toml:"copy_practices" allowed:"1 to the number of dimensions" doc:"Practices copied per imitation."`
	Attention      int           `toml:"attention" range:"1:1024" doc:"Neighbours a firm looks at per decision (a sample when it has more)."`
	RadicalChanges int           `toml:"radical_changes" allowed:"2 to the number of dimensions" doc:"Practices changed by a radical innovation."`
	RadicalShare   float64       `toml:"radical_share" range:"0:1" doc:"Probability that an affordable innovation is radical, times (1 − risk aversion)."`
	RadicalCash    float64       `toml:"radical_cash" range:"0:" doc:"Cash a radical move needs, as a multiple of market.radical_cost."`
	PilotWindow    int           `toml:"pilot_window" range:"0:1000" doc:"Ticks a change is trialled before it is kept or reverted; 0 turns pilot-then-revert off."`
	ProfitMemory   float64       `toml:"profit_memory" range:"0.001:1" doc:"Weight of the newest profit in a firm's running profit average."`
	Forgetting     float64       `toml:"forgetting" range:"0:1" doc:"Forgetting rate φ of adaptive firms' learning."`
}

// BiasConfig sets the cognitive biases; each strength is in [0,1], 0 = off.
type BiasConfig struct {
	Herding          float64 `toml:"herding" range:"0:1" doc:"Strength of following the neighbourhood majority regardless of payoff."`
	HerdingThreshold float64 `toml:"herding_threshold" range:"0:1" doc:"Share of neighbours a practice must exceed to be herded to."`
	Confirmation     float64 `toml:"confirmation" range:"0:1" doc:"Trust in peers similar to oneself; slowness to drop a failing strategy."`
	Availability     float64 `toml:"availability" range:"0:1" doc:"Choosing role models by visibility (size, media) rather than profit."`
	Anchoring        float64 `toml:"anchoring" range:"0:1" doc:"Search stays near a reference strategy fixed early."`
	MediaTop         int     `toml:"media_top" range:"1:1000" doc:"The media broadcast shows the strategy most common among the media_top largest firms by revenue (ties: the strategy of the larger firm)."`
}

// NetworkConfig describes who observes whom. Which keys each kind uses, and
// their rules, are defined once in package network ([network.Kinds]).
type NetworkConfig struct {
	Kind          NetworkKind   `toml:"kind" doc:"The network generator."`
	Degree        int           `toml:"degree" allowed:"ring, small_world: even, 2 or more; random, sector_block: 1 or more; less than population.firms" doc:"Neighbours per firm (ring, small_world) or mean degree (random, sector_block)."`
	Rewire        float64       `toml:"rewire" allowed:"0 to 1" doc:"small_world: probability of rewiring each link."`
	Attach        int           `toml:"attach" allowed:"1 to population.firms − 1" doc:"scale_free: links each new firm makes."`
	Width         int           `toml:"width" allowed:"width × height = population.firms" doc:"lattice: columns."`
	Height        int           `toml:"height" allowed:"width × height = population.firms" doc:"lattice: rows."`
	Neighbourhood Neighbourhood `toml:"neighbourhood" if:"kind=lattice" doc:"lattice: 4 neighbours (von_neumann), 8 (moore) or 12 (von_neumann_2: every site within two steps)."`
	Wrap          bool          `toml:"wrap" doc:"lattice: whether edges wrap around (a torus)."`
	CrossShare    float64       `toml:"cross_share" allowed:"0 to 1" doc:"sector_block: share of a firm's links that cross sectors; low values make echo chambers."`
}

// DemographyConfig describes firm size, capability, growth, the liability
// of newness, founding from the market and the network's room to grow
// (docs/model.md, "Demography"). One tick is one month.
type DemographyConfig struct {
	Capability    float64 `toml:"capability" range:"0:3" doc:"σ_θ: capability is lognormal with mean 1 and this log-standard deviation; it multiplies a firm's attraction to customers."`
	StartupSpread float64 `toml:"startup_spread" range:"0:3" doc:"σ_c: start-up capital is market.entry_cash (for an initial firm, its drawn cash) times a lognormal factor L with mean 1 and this log-standard deviation; start-up size is √L."`
	GrowthRate    float64 `toml:"growth_rate" range:"0:0.5" doc:"η: size grows per tick by η × the marginal profit of size per unit of fixed cost, (μR/S − 2(1 − ω)F·S)/F, clamped to ±1."`
	GrowthNoise   float64 `toml:"growth_noise" range:"0:0.5" doc:"σ_g: standard deviation of the idiosyncratic growth rate per tick (Gibrat's law)."`
	Overhead      float64 `toml:"overhead" range:"0:1" doc:"ω: share of the fixed cost that does not scale with size; the rest scales with size²."`
	Newness       float64 `toml:"newness" range:"0:1" doc:"ν: a new firm's attraction is (1 − ν) of a mature one's; the disadvantage fades as e^(−age/newness_time)."`
	NewnessTime   float64 `toml:"newness_time" range:"0:10000" doc:"τ: ticks over which the newcomer disadvantage fades."`
	Headroom      float64 `toml:"headroom" range:"0:10" doc:"Network positions beyond the initial firms, as a multiple of population.firms, that entrants can open: the ceiling of the population."`
	EntryResponse float64 `toml:"entry_response" range:"0:100" doc:"ε: a sector's founding rate is market.entry_rate × its initial firms × max(0, 1 + ε × its firms' mean profit average / market.fixed_cost)."`
	EntryFit      float64 `toml:"entry_fit" range:"0:1" doc:"φ_e: an entrant that does not copy an incumbent aims at a segment drawn by spend; each practice is that segment's current ideal option with this probability, else uniform."`
	// Density dependence (organisational ecology), ñ = alive / initial
	// firms of the sector.
	FoundingLegitimation  float64 `toml:"founding_legitimation" range:"0:50" doc:"ℓ_f: founding × exp(ℓ_f·ñ − c_f·ñ²), ñ = alive / initial firms of the sector."`
	FoundingCompetition   float64 `toml:"founding_competition" range:"0:50" doc:"c_f: see founding_legitimation."`
	MortalityBase         float64 `toml:"mortality_base" range:"0:1" doc:"m₀: extra exit hazard per tick m₀·exp(−ℓ_m·ñ + c_m·ñ²), on top of running out of cash; 0 = off."`
	MortalityLegitimation float64 `toml:"mortality_legitimation" range:"0:50" doc:"ℓ_m: see mortality_base."`
	MortalityCompetition  float64 `toml:"mortality_competition" range:"0:50" doc:"c_m: see mortality_base."`
}

// Shock is a scheduled market shock. Its defaults are DefaultShock.
type Shock struct {
	Kind     ShockKind `toml:"kind" default:"required" example:"\"downturn\"" doc:"What happens. demand_shift: a segment's customers come to want something else (its ideal strategy moves away from the sector's most common one). tech_disruption: firms using an option of a dimension lose reach. platform_failure: users of a platform lose reach. downturn: customer spend falls. regulation: firms using an option (or, without a dimension, all firms of the sector) pay a compliance cost. Required."`
	Tick     int       `toml:"tick" default:"required" allowed:"1 to simulation.ticks" doc:"First tick the shock acts. Required."`
	Duration int       `toml:"duration" range:"0:10000000" doc:"Ticks it lasts; 0 = permanent."`
	Severity float64   `toml:"severity" allowed:"above 0, at most 1" doc:"How hard it hits. demand_shift: expected share of the practices in which the ideal moves (⌊severity × dimensions⌋ practices, plus one more with probability equal to the remainder, so severity → 0 moves nothing); tech_disruption, platform_failure: share of reach lost; downturn: share of spend lost; regulation: compliance cost per tick as a share of market.fixed_cost."`
	// Targets; -1 means "all" (Sector, Segment) or "the most common option
	// at the time of the shock" (Option).
	Sector    int "toml:\"sector\" allowed:\"−1 to market.sectors − 1 (−1 only for tech_disruption, platform_failure and regulation on a dimension)\" doc:\"demand_shift, downturn, regulation without a dimension: the sector hit; −1 = all. The other kinds hit every sector.\""
	Segment   int `toml:"segment" allowed:"−1 to market.segments − 1" doc:"demand_shift: the segment hit (0 = mainstream); −1 = all."`
	Dimension int "toml:\"dimension\" ref:\"dimension\" allowed:\"a dimension name, or `\\\"\\\"`\" doc:\"tech_disruption (required), regulation (optional): the dimension whose option is hit.\""
	Option    int `toml:"option" allowed:"−1 to strategy.options − 1" doc:"tech_disruption, regulation: the option of the dimension hit; platform_failure: the platform; −1 = chosen when the shock hits, by target."`
	// Target is how an option hit with Option = −1 is chosen, per run; the
	// zero value "" means TargetCommon.
	Target TargetRule "toml:\"target\" allowed:\"`common`, `random`, `weighted`; not `common` only with option = −1, for tech_disruption, platform_failure and regulation on a dimension\" doc:\"How the option (platform) hit is chosen when option = −1, in each run when the shock starts: common: the one most firms use; random: one of the dimension's options, uniformly (used or not); weighted: one drawn with probability equal to its share of firms. random and weighted draw from the shock's own random stream, so over seeds the shock hits different options.\""
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

// LandscapeConfig sets the complementarity between practices (an NK
// landscape, Kauffman 1993) and the payoff-only mode of Lazer and Friedman
// (2007). See docs/model.md, "Practices that interact".
type LandscapeConfig struct {
	// K is the number of other practices each practice's contribution
	// depends on; 0 switches the term off (the market is then exactly the
	// model without it).
	K int `toml:"k" allowed:"0 to dimensions − 1; dimensions × options^(k+1) ≤ 1048576" doc:"Other practices each practice's contribution depends on; 0 = no complementarity term (a smooth landscape)."`
	// Weight is ψ: the coherence term adds β·ψ·(f(x) − ½) to every
	// segment's logit utility of a firm with strategy x, f ∈ [0, 1] its
	// NK fitness; ψ is in units of match quality (1/D = one practice).
	Weight float64 `toml:"weight" range:"0:100" doc:"ψ: weight of coherence in customers' choice, in units of match quality: a fitness higher by 1/dimensions is worth one more matching practice when ψ = 1. 0 switches the term off."`
	// Links are pairs of dimension names "a:b" that interact: b is among
	// a's K partners and a among b's (in the order listed, up to K); the
	// remaining partners are the next dimensions, cyclically.
	Links []string "toml:\"links\" allowed:\"entries `\\\"a:b\\\"`, a and b different dimension names\" doc:\"Pairs of practices that interact, both ways, filled first into each practice's k partners; the rest are the next dimensions in order. Checked and used when k > 0.\""
	// PayoffOnly scores firms by NK fitness alone (needs the market off):
	// Lazer and Friedman's model. Score = (f/f_max)^Exponent.
	PayoffOnly bool    `toml:"payoff_only" allowed:"true, false; options^dimensions ≤ 16777216" doc:"Score firms by NK fitness alone, (f / f_max)^exponent, with no market: the market keys and shocks are then ignored (Lazer and Friedman 2007): each round an agent copies its best neighbour's whole strategy if it scores higher, else tries one random practice change and keeps it if better."`
	Exponent   float64 `toml:"exponent" range:"0:64" if:"payoff_only" allowed:"above 0, at most 64" doc:"Payoff-only: the score is (f / f_max)^exponent; 8 as in Lazer and Friedman."`
	Velocity   float64 `toml:"velocity" range:"0:1" if:"payoff_only" doc:"Payoff-only: probability an acting agent looks at its neighbours in a round (else it only explores)."`
	Error      float64 `toml:"error" range:"0:1" if:"payoff_only" doc:"Payoff-only: probability each practice of a copied strategy is copied wrongly."`
}

// DefaultLinks are the default interacting pairs: platform with channel,
// automation with operations, product with pricing, marketing with
// culture.
func DefaultLinks() []string {
	return []string{"platform:channel", "automation:operations", "product:pricing", "marketing:culture"}
}

// linkPairs resolves "a:b" links to dimension indices; a link naming an
// unknown dimension gives −1 (reported by Problems when used).
func linkPairs(dims, links []string) [][2]int {
	out := make([][2]int, 0, len(links))
	for _, l := range links {
		a, b, _ := strings.Cut(l, ":")
		out = append(out, [2]int{slices.Index(dims, a), slices.Index(dims, b)})
	}
	return out
}

// DefaultConfig returns the baseline configuration documented in docs/model.md.
func DefaultConfig() Config {
	return Config{
		Simulation: Simulation{Ticks: 500, Schedule: Synchronous},
		Culture:    CultureConfig{Engine: EngineAuto},
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
			Firms:         1000,
			Mix:           Mix{Imitator: 0.4, Innovator: 0.2, Specialist: 0.2, Adaptive: 0.2},
			ImitatorShare: -1,
			InitialCash:   10,
			CashSpread:    0.5,
			RiskAversion:  0.5,
			RiskSpread:    0.3,
			InitialFit:    0.5,
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
		Landscape: LandscapeConfig{
			Weight:   1,
			Links:    DefaultLinks(),
			Exponent: 8,
			Velocity: 1,
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

// DefaultShock returns what every [[shocks]] entry of a scenario file is
// decoded over: no kind and no tick (both required), half severity, all
// sectors, the mainstream segment, no dimension, the most common option.
func DefaultShock() Shock {
	return Shock{Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1, Target: TargetCommon}
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
	var ps problems
	// Each field's own range or values, as declared by its tags. A shock
	// built in Go without a target rule (the zero value) uses the common
	// option, as a scenario file's shock does by default.
	checked := *c
	checked.Shocks = slices.Clone(c.Shocks)
	if checked.Culture.Engine == "" { // a Config built in Go without the key
		checked.Culture.Engine = EngineAuto
	}
	for i := range checked.Shocks {
		if checked.Shocks[i].Target == "" {
			checked.Shocks[i].Target = TargetCommon
		}
	}
	param.Check(reflect.ValueOf(checked), "", func(path string, v any, msg string) { ps.add(path, v, "%s", msg) })

	c.strategyProblems(&ps)
	c.populationProblems(&ps)
	c.checkLandscape(ps.add)
	network.Check(c.Network.params(), c.Population.Firms, func(key string, v any, msg string) {
		if key != "kind" { // an unknown kind is reported by its values above
			ps.add("network."+key, v, "%s", msg)
		}
	})
	for i := range c.Shocks {
		c.shockProblems(&ps, i)
	}
	return ps
}

// problems collects the FieldErrors of Config.Problems in order.
type problems []*FieldError

func (ps *problems) add(path string, v any, format string, a ...any) {
	*ps = append(*ps, &FieldError{Path: path, Value: v, Msg: fmt.Sprintf(format, a...)})
}

func (ps *problems) intIn(path string, v, lo, hi int) {
	if v < lo || v > hi {
		ps.add(path, v, "must be an integer between %d and %d", lo, hi)
	}
}

// strategyProblems checks the dimensions and the platform and automation
// dimensions.
func (c *Config) strategyProblems(ps *problems) {
	s := c.Strategy
	d := len(s.Dimensions)
	if d < 1 {
		ps.add("strategy.dimensions", d, "needs at least one dimension")
	} else {
		c.checkCultureWorld(ps.add)
	}
	seen := make(map[string]bool, d)
	for _, name := range s.Dimensions {
		if name == "" {
			ps.add("strategy.dimensions", name, "dimension names must not be empty")
		} else if seen[name] {
			ps.add("strategy.dimensions", name, "dimension names must be unique")
		}
		seen[name] = true
	}
	if s.PlatformDim < -1 || s.PlatformDim >= d {
		ps.add("strategy.platform", s.PlatformDim, "must name one of the dimensions (or be empty)")
	}
	if s.AutomationDim < -1 || s.AutomationDim >= d {
		ps.add("strategy.automation", s.AutomationDim, "must name one of the dimensions (or be empty)")
	}
	if s.PlatformDim >= 0 && s.PlatformDim == s.AutomationDim {
		ps.add("strategy.automation", s.AutomationDim, "must differ from strategy.platform")
	}
}

// populationProblems checks the market's segments and sectors against the
// population, the behaviour mix and the behaviour keys counted in
// dimensions.
func (c *Config) populationProblems(ps *problems) {
	m := c.Market
	if m.Enabled && m.SegmentsPerSector == 1 && m.MainstreamShare != 1 {
		ps.add("market.mainstream_share", m.MainstreamShare, "must be 1 when there is a single segment per sector")
	}
	p := c.Population
	if p.Firms >= 2 && c.Market.Enabled && c.Market.Sectors > p.Firms {
		ps.add("market.sectors", c.Market.Sectors, "must not exceed population.firms (%d)", p.Firms)
	}
	if x := p.ImitatorShare; x != -1 && !(x >= 0 && x <= 1) {
		ps.add("population.imitator_share", x, "must be −1 (off: population.mix as given) or between 0 and 1")
	} else if x >= 0 && x < 1 && p.Mix.Innovator+p.Mix.Specialist+p.Mix.Adaptive <= 0 {
		ps.add("population.imitator_share", x, "must be 1 or −1 when population.mix gives every firm to imitators: the other types have no proportions to keep")
	}
	if sum := p.Mix.Imitator + p.Mix.Innovator + p.Mix.Specialist + p.Mix.Adaptive; math.Abs(sum-1) > 1e-9 {
		// 12 significant digits: 0.1 + 0.2 shows as 0.3, not 0.30000000000000004.
		ps.add("population.mix", sum, "shares must sum to 1 (imitator %.12g + innovator %.12g + specialist %.12g + adaptive %.12g = %.12g)",
			p.Mix.Imitator, p.Mix.Innovator, p.Mix.Specialist, p.Mix.Adaptive, sum)
	}
	d := len(c.Strategy.Dimensions)
	b := c.Behaviour
	ps.intIn("behaviour.copy_practices", b.CopyPractices, 1, max(d, 1))
	ps.intIn("behaviour.radical_changes", b.RadicalChanges, 2, max(d, 2))
}

// shockProblems checks shock i against the market, the run length, the
// dimensions and options, and its target rule.
func (c *Config) shockProblems(ps *problems, i int) {
	sh := c.Shocks[i]
	s := c.Strategy
	d := len(s.Dimensions)
	at := func(key string) string { return fmt.Sprintf("shocks[%d].%s", i+1, key) }
	if !c.Market.Enabled {
		ps.add(at("kind"), sh.Kind, "shocks need the market (market.enabled = true)")
	}
	ps.intIn(at("tick"), sh.Tick, 1, max(c.Ticks, 1))
	if !(sh.Severity > 0 && sh.Severity <= 1) {
		ps.add(at("severity"), sh.Severity, "must be in (0, 1]")
	}
	ps.intIn(at("sector"), sh.Sector, -1, c.Market.Sectors-1)
	// A tech disruption, a platform failure and a regulation on a
	// dimension hit every firm using the option, in every sector: a
	// sector would be ignored, so it is rejected.
	if sh.Sector != -1 && (sh.Kind == TechDisruption || sh.Kind == PlatformFailure || sh.Kind == Regulation && sh.Dimension != -1) {
		ps.add(at("sector"), sh.Sector, "must be -1 (all) for a %s%s: it hits every firm using the option, in every sector", sh.Kind,
			map[bool]string{true: " on a dimension"}[sh.Kind == Regulation])
	}
	switch sh.Kind {
	case DemandShift:
		ps.intIn(at("segment"), sh.Segment, -1, c.Market.SegmentsPerSector-1)
	case TechDisruption, Regulation:
		if sh.Kind == TechDisruption || sh.Dimension != -1 {
			ps.intIn(at("dimension"), sh.Dimension, 0, d-1)
		}
		ps.intIn(at("option"), sh.Option, -1, s.Options-1)
	case PlatformFailure:
		if s.PlatformDim < 0 {
			ps.add(at("kind"), sh.Kind, "needs a platform dimension (strategy.platform)")
		}
		ps.intIn(at("option"), sh.Option, -1, s.Options-1)
	}
	if sh.Target != TargetCommon && sh.Target != "" {
		switch {
		case sh.Kind != TechDisruption && sh.Kind != PlatformFailure && (sh.Kind != Regulation || sh.Dimension == -1):
			ps.add(at("target"), sh.Target, "only a tech_disruption, platform_failure or regulation on a dimension hits an option to choose; use \"common\"")
		case sh.Option != -1:
			ps.add(at("target"), sh.Target, "needs option = -1 (option %d fixes the option hit)", sh.Option)
		}
	}
}

// params returns the network package's view of the configuration.
func (nw NetworkConfig) params() network.Params {
	return network.Params{
		Kind: string(nw.Kind), Degree: nw.Degree, Rewire: nw.Rewire, Attach: nw.Attach,
		Width: nw.Width, Height: nw.Height, Moore: nw.Neighbourhood == Moore, Reach2: nw.Neighbourhood == VonNeumann2, Wrap: nw.Wrap,
		CrossShare: nw.CrossShare,
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
