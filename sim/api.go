package sim

import "github.com/smbsim/smbsim/agents"

// Metric names, in the order of World.Metrics. Counts are per tick.
const (
	MAlive = iota
	MEntries
	MExits
	MDistinct
	MEntropy
	MEffective
	MPairwise
	MDimEntropy
	MTopShare
	MHHI
	MMeanMargin
	MRevenue
	MMeanCash
	MImitations
	MInnovations
	MSpecialisations
	MHerdMoves
	MReversions
	MAliveImitator
	MAliveInnovator
	MAliveSpecialist
	MAliveAdaptive
	MActiveEdges
	MRegions
	MLargestRegion
	MMeanFitness
	MPlatformTop
	MPlatformEffective
	MShockTarget
	MGini
	MTop1Share
	MYoungShare
	NumMetrics
)

var metricNames = [NumMetrics]string{
	"alive", "entries", "exits", "distinct_strategies", "entropy_bits",
	"effective_strategies", "mean_pairwise_distance", "mean_dimension_entropy",
	"top_share", "hhi", "mean_margin", "revenue", "mean_cash",
	"imitations", "innovations", "specialisations", "herd_moves", "reversions",
	"alive_imitator", "alive_innovator", "alive_specialist", "alive_adaptive",
	"active_edges", "regions", "largest_region", "mean_fitness",
	"platform_top_share", "platform_effective", "shock_target_share", "revenue_gini", "top1_revenue_share", "young_share",
}

// MetricNames returns the names of the per-tick measurements, in the order
// of World.Metrics. The slice is a fresh copy.
func MetricNames() []string { return append([]string(nil), metricNames[:]...) }

// FirmRecord is the life of one firm: enough for survival analysis by type
// and cohort.
type FirmRecord struct {
	ID      int         // sequential over the run: initial firms first, then entrants
	Type    agents.Type // behaviour type
	Sector  int
	Born    int     // tick of entry (0 for initial firms)
	Died    int     // tick of exit; -1 while alive (censored at the end of the run)
	Initial uint64  // packed strategy at birth
	Final   uint64  // packed strategy at death or at the end of the run
	Size    float64 // scale of operation S at death or at the end of the run (float32 precision)
	Revenue float64 // revenue in the tick of death or the last tick (float32 precision)
}

// Age returns the firm's age in ticks at death, or at tick end if it was
// still alive then.
func (r FirmRecord) Age(end int) int {
	if r.Died >= 0 {
		return r.Died - r.Born
	}
	return end - r.Born
}

// Censored reports whether the firm was still alive when observation ended.
func (r FirmRecord) Censored() bool { return r.Died < 0 }

// StrategyShare is one strategy and the share of alive firms using it.
type StrategyShare struct {
	Strategy uint64
	Share    float64
}

// Observer receives the world after each tick. It must not keep the
// slices the world returns beyond the call.
type Observer interface {
	Observe(w *World)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(w *World)

// Observe calls f(w).
func (f ObserverFunc) Observe(w *World) { f(w) }

// NetworkBytes returns the memory the network's adjacency takes (CSR
// offsets and neighbour lists; 0 for a complete network, which is not
// stored).
func (w *World) NetworkBytes() int64 { return 4 * int64(len(w.net.Offsets)+len(w.net.Adj)) }
