package experiment

import (
	"slices"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

// Model is one run of a simulation as the runner drives it: step until
// Done, reading the metrics after every tick and the firms at the end.
// *sim.World implements it; tests use small fake models.
type Model interface {
	// Step advances one tick.
	Step() bool
	// Done reports whether the run is over.
	Done() bool
	// Tick is the number of completed ticks.
	Tick() int
	// Metrics are the last tick's measurements in sim.MetricNames order
	// (NaN when not measured); the runner copies what it keeps.
	Metrics() []float64
	// Firms is every firm that ever lived, in ID order.
	Firms() []sim.FirmRecord
	// TopStrategies appends the k most common strategies to dst[:0].
	TopStrategies(dst []sim.StrategyShare, k int) []sim.StrategyShare
	// FormatStrategy writes a packed strategy as dash-separated options.
	FormatStrategy(s uint64) string
}

// Factory builds the model of one run from its configuration and seed.
type Factory func(cfg sim.Config, seed uint64) (Model, error)

// SimFactory builds the engine's world: a culture world (cfg.RunsCulture)
// with sim.OpenCulture, any other with sim.New.
func SimFactory(cfg sim.Config, seed uint64) (Model, error) {
	if cfg.RunsCulture() {
		c, err := sim.OpenCulture(cfg, seed)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	w, err := sim.New(cfg, seed)
	if err != nil {
		return nil, err
	}
	return w, nil
}

var _ Model = (*sim.World)(nil)

// optionSharer is implemented by models that report the share of firms
// on each option of a practice dimension (shares.csv).
type optionSharer interface {
	OptionShares(dst []float64, d int) []float64
}

var (
	_ optionSharer = (*sim.World)(nil)
	_ Model        = (*sim.Culture)(nil)
	_ optionSharer = (*sim.Culture)(nil)
)

// shareDims returns the dimensions whose option shares shares.csv records:
// the platform dimension, then each other dimension a shock hits one
// option of, in the order of the shocks.
func shareDims(cfg *sim.Config) []int {
	var dims []int
	add := func(d int) {
		if d >= 0 && d < len(cfg.Strategy.Dimensions) && !slices.Contains(dims, d) {
			dims = append(dims, d)
		}
	}
	add(cfg.Strategy.PlatformDim)
	for i := range cfg.Shocks {
		if sh := &cfg.Shocks[i]; targetsOption(cfg, sh) && sh.Kind != sim.PlatformFailure {
			add(sh.Dimension)
		}
	}
	return dims
}

// maxShareTicks is how many recorded ticks of a run shares.csv holds at
// most, and maxShareRows how many rows (ticks × options of the dimensions
// listed): longer runs, or dimensions of very many options, record the
// shares every k-th recorded tick (and the last), k as small as keeps them
// within both. They are kept in memory until the run is written.
const (
	maxShareTicks = 2000
	maxShareRows  = 200_000
)

// shareStride returns the tick interval at which a run of cfg records its
// option shares (a multiple of every), and the rows it records at most.
func shareStride(cfg *sim.Config, every int) (stride int, rows uint64) {
	opts := len(shareDims(cfg)) * max(cfg.Strategy.Options, 0)
	if opts == 0 {
		return every, 0
	}
	ticks := maxShareTicks
	if opts*ticks > maxShareRows {
		ticks = max(1, maxShareRows/opts)
	}
	k := max(1, (cfg.Ticks/every+ticks-1)/ticks)
	recorded := min(max(cfg.Ticks, 0)/(every*k)+1, recordedTicks(cfg.Ticks, every))
	return every * k, uint64(recorded) * uint64(opts)
}

// Firm is one firm's life in one run, as written to firms.csv.
type Firm struct {
	ID             int
	Type           agents.Type
	Sector         int
	Born, Died     int     // Died is -1 when the firm was alive at the end (censored)
	Initial, Final string  // strategies, formatted
	Age            int     // ticks from birth to death, or to the end of the run
	Size, Revenue  float64 // scale of operation and revenue at death or at the end of the run
}

// Censored reports whether the firm was alive when the run ended.
func (f Firm) Censored() bool { return f.Died < 0 }

// Row is one recorded tick of a run's time series.
type Row struct {
	Tick    int
	Metrics []float64 // sim.MetricNames order
}

// TopRow is one line of strategies.csv.
type TopRow struct {
	Tick, Rank int
	Strategy   string
	Share      float64
}

// RunResult is everything one run contributes to the outputs.
type RunResult struct {
	Job      int // index in the plan: variant × len(seeds) + seed index
	Variant  int
	Seed     uint64
	LastTick int   // ticks completed when the run ended
	Rows     []Row // the recorded ticks (after the spilled ones, see eachRow)
	Firms    []Firm
	Top      []TopRow           // first seed of each variant only
	Shares   []results.ShareRow // shares.csv rows of the run, Variant and Seed left empty (set when written)
	Measures []float64          // per-run measures, in the variant's MeasureNames order; NaN = not measured
	Excess   []ExcessPoint      // each shock's effect curve (excess.csv), in shock, basis, ticks order
	Strata   []Stratum          // each shock's at-risk cohort by type and age band (strata.csv), in shock, stratum order
	// spill holds the earlier Rows and Top of a long run on disk (nil:
	// all in memory); read them with eachRow and eachTop.
	spill *runSpill
}
