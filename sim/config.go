package sim

import (
	"errors"
	"fmt"
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
	Shocks     []Shock
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

	BaseMargin      float64 // margin of an uncrowded firm
	CrowdingRadius  int     // rivals within this Hamming distance count as near-identical (0..D)
	CrowdingPenalty float64 // κ: margin = BaseMargin / (1 + κ·rivals)

	FixedCost        float64 // fixed cost per tick
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
	InitialSimilarity float64 // probability each practice starts at a common template option instead of random
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
			OutsideOption:     0.5,
			BaseMargin:        0.4,
			CrowdingRadius:    1,
			CrowdingPenalty:   0.05,
			FixedCost:         0.25,
			AutomationSaving:  0.2,
			PlatformEffect:    0.5,
			ImitateCost:       0.25,
			IncrementalCost:   0.5,
			RadicalCost:       2,
			SpecialiseCost:    0.5,
			EntryRate:         0.002,
			EntryCopy:         0.5,
			EntryMode:         CopyPopular,
			EntryCash:         10,
		},
		Population: PopulationConfig{
			Firms:        1000,
			Mix:          Mix{Imitator: 0.4, Innovator: 0.2, Specialist: 0.2, Adaptive: 0.2},
			InitialCash:  10,
			CashSpread:   0.5,
			RiskAversion: 0.5,
			RiskSpread:   0.3,
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
	}
}

// Validate reports every problem of c at once, joined with errors.Join.
// Each message names the field path (as in the scenario file) and the
// allowed range.
func (c *Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	_ = bad
	// Filled in by the engine implementation.
	return errors.Join(errs...)
}
