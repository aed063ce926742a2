package scenarios

import (
	"fmt"
	"reflect"
	"strings"
)

// keyDoc documents one key of a scenario file. The default is not written
// here: it is read from the defaults, so the docs cannot drift from them.
type keyDoc struct {
	path    string // e.g. "market.base_margin"; shocks.* and variants.* name entry keys
	allowed string // allowed values
	meaning string
}

// sectionDocs introduces each table of the reference, in file order.
var sectionDocs = []struct{ path, intro string }{
	{"meta", "Optional. Names and describes the scenario."},
	{"simulation", "How long and how often to run."},
	{"strategy", "Practice space: each firm's strategy is one option on each dimension."},
	{"market", "Demand, prices and costs. With `enabled = false` there is no market at all (no revenue, cash, exit or entry): the culture-dissemination special case, as in `axelrod`. The other market keys are then not checked."},
	{"population", "The initial firms."},
	{"population.mix", "Shares of the behaviour types; they must sum to 1."},
	{"behaviour", "The decision rules' parameters."},
	{"network", "Who observes whom. Each kind uses only some of the keys."},
	{"biases", "Cognitive biases; each strength is between 0 (off) and 1."},
	{"demography", "Firm size, capability and growth, the liability of newness, founding from the market and density dependence (docs/model.md, Demography). One tick is one month. With every key 0 all firms have size and capability 1 and the population is bounded by population.firms."},
	{"shocks", "Zero or more `[[shocks]]` entries, each a scheduled market shock. Every key of an entry has a default except `kind` and `tick`."},
	{"output", "What a run records and draws."},
	{"sweep", "Optional. Parameters varied over runs (used by `smbsim sweep`)."},
	{"variants", "Optional. Zero or more `[[variants]]` entries, each the whole scenario with some keys changed; `smbsim compare` runs them side by side. Besides `name` and `description`, an entry may hold any of the tables `simulation`, `strategy`, `market`, `population`, `behaviour`, `network`, `biases`, `shocks` (which replaces the whole list) and `output`, as partial overrides, e.g. `population.mix = { imitator = 0.8, innovator = 0.1, specialist = 0.05, adaptive = 0.05 }`. `--set` overrides apply to every variant."},
}

var keyDocs = []keyDoc{
	{"meta.name", "letters, digits, `-`, `_`, `.`", "Name of the scenario; names the output directory. Default: the file name without `.toml`."},
	{"meta.description", "any text", "A sentence on what the scenario shows."},

	{"simulation.ticks", "1 to 10000000", "Ticks (time steps) of one run."},
	{"simulation.seeds", "1 to 100000", "Number of runs, each with its own random seed."},
	{"simulation.base_seed", "0 to 9223372036854775807", "Seed of the first run; run k uses base_seed + k − 1."},
	{"simulation.schedule", "`synchronous`, `asynchronous`", "Synchronous: revising firms decide on the same state, then all moves apply together. Asynchronous: N random activations per tick, each applied at once."},
	{"simulation.stop_when_absorbed", "true, false", "Stop a run early when no two neighbours share some but not all practices (nothing can change any more)."},
	{"simulation.regions_every", "0 to 10000000", "Count cultural regions every k ticks; 0 counts them only at the end of a run (counting is slow)."},

	{"strategy.dimensions", "1 or more unique names; dimensions × bits per option ≤ 64", "Names of the practice dimensions."},
	{"strategy.options", "2 to 65536", "Options per dimension. Each takes ⌈log₂ options⌉ bits of a 64-bit strategy, so 8 options allow 21 dimensions."},
	{"strategy.platform", "a dimension name, or `\"\"` for none", "The platform dimension: each option is a platform whose reach grows with its share of firms."},
	{"strategy.automation", "a dimension name, or `\"\"` for none; not the platform", "The automation dimension: option 0 is the standard off-the-shelf suite that cuts fixed cost, the same for everyone."},

	{"market.enabled", "true, false", "Whether there is a market; false gives pure culture dissemination."},
	{"market.sectors", "1 to 255, at most population.firms", "Number of sectors, each with its own demand."},
	{"market.segments", "1 to 64", "Customer segments per sector: one mainstream and the rest niches."},
	{"market.spend_per_firm", "≥ 0", "Customer spend per tick of a sector = spend_per_firm × its initial firms."},
	{"market.mainstream_share", "0 to 1 (1 with a single segment)", "Share of a sector's spend in the mainstream segment; the rest is split evenly over the niches."},
	{"market.sharpness", "0 to 100", "How sharply customers pick the best-matching firm (logit β over match quality)."},
	{"market.outside_option", "0 to 1", "Match quality of customers' outside option (buying nothing)."},
	{"market.base_margin", "0 to 1", "Margin of a firm with no near-identical rivals."},
	{"market.crowding_radius", "0 to 1", "Rivals within this many differing practices count as near-identical."},
	{"market.crowding_penalty", "≥ 0", "κ: margin = base_margin / (1 + κ × near-identical rivals as a percentage of the sector's firms): price competition among look-alikes, the same in a market of any size."},
	{"market.fixed_cost", "≥ 0", "Fixed cost per tick."},
	{"market.payout", "0 to 1", "Share of positive cash paid out to the owners each tick."},
	{"market.automation_saving", "0 to 1", "Share of fixed cost saved by the standard automation option."},
	{"market.platform_effect", "≥ 0", "γ: a firm's reach = 1 + γ × its platform's share of firms."},
	{"market.imitate_cost", "≥ 0", "Cost of an imitation move."},
	{"market.incremental_cost", "≥ 0", "Cost of an incremental innovation (one practice)."},
	{"market.radical_cost", "≥ 0", "Cost of a radical innovation (several practices)."},
	{"market.specialise_cost", "≥ 0", "Cost of a move toward a niche."},
	{"market.entry_rate", "0 to 1", "Expected entrants per tick per initial firm, filling vacant positions."},
	{"market.entry_copy", "0 to 1", "Probability that an entrant copies an incumbent's strategy (else it starts at random)."},
	{"market.entry_mode", "`popular`, `profitable`", "Which strategy copying entrants copy: the most common or the most profitable."},
	{"market.entry_cash", "≥ 0", "Starting cash of entrants."},

	{"population.firms", "2 to 50000000", "Number of firms (network positions)."},
	{"population.initial_cash", "≥ 0", "Mean starting cash."},
	{"population.cash_spread", "0 to 1", "Starting cash is drawn uniformly in initial_cash × [1 − spread, 1 + spread]."},
	{"population.risk_aversion", "0 to 1", "Mean risk aversion; radical moves get rarer as it rises."},
	{"population.risk_spread", "0 to 1", "Risk aversion is drawn uniformly within ± spread of the mean, clamped to [0, 1]."},
	{"population.initial_similarity", "0 to 1", "Probability that each practice starts at a common template option."},
	{"population.initial_fit", "0 to 1", "Otherwise, probability that it starts at the ideal option of the firm's target segment (else at random)."},
	{"population.mix.imitator", "0 to 1", "Share of imitators: copy the best-looking neighbour."},
	{"population.mix.innovator", "0 to 1", "Share of innovators: change their own practices, incrementally or radically."},
	{"population.mix.specialist", "0 to 1", "Share of specialists: move toward the least-served niche."},
	{"population.mix.adaptive", "0 to 1", "Share of adaptive firms: learn which of the moves pays (Roth–Erev)."},

	{"behaviour.revision", "0 to 1", "Probability that a firm reconsiders its strategy in a tick."},
	{"behaviour.imitation", "`best`, `axelrod`", "best: copy the most successful neighbour when it does better. axelrod: copy a random neighbour with probability equal to the share of practices already shared (Axelrod 1997)."},
	{"behaviour.copy_practices", "1 to the number of dimensions", "Practices copied per imitation."},
	{"behaviour.attention", "1 to 1024", "Neighbours a firm looks at per decision (a sample when it has more)."},
	{"behaviour.radical_changes", "2 to the number of dimensions", "Practices changed by a radical innovation."},
	{"behaviour.radical_share", "0 to 1", "Probability that an affordable innovation is radical, times (1 − risk aversion)."},
	{"behaviour.radical_cash", "≥ 0", "Cash a radical move needs, as a multiple of market.radical_cost."},
	{"behaviour.pilot_window", "0 to 1000", "Ticks a change is trialled before it is kept or reverted; 0 turns pilot-then-revert off."},
	{"behaviour.profit_memory", "0.001 to 1", "Weight of the newest profit in a firm's running profit average."},
	{"behaviour.forgetting", "0 to 1", "Forgetting rate φ of adaptive firms' learning."},

	{"network.kind", "`complete`, `ring`, `lattice`, `small_world`, `scale_free`, `random`, `sector_block`", "The network generator."},
	{"network.degree", "ring, small_world: even, 2 or more; random, sector_block: 1 or more; less than population.firms", "Neighbours per firm (ring, small_world) or mean degree (random, sector_block)."},
	{"network.rewire", "0 to 1", "small_world: probability of rewiring each link."},
	{"network.attach", "1 to population.firms − 1", "scale_free: links each new firm makes."},
	{"network.width", "width × height = population.firms", "lattice: columns."},
	{"network.height", "width × height = population.firms", "lattice: rows."},
	{"network.neighbourhood", "`von_neumann`, `moore`", "lattice: 4 neighbours (von_neumann) or 8 (moore)."},
	{"network.wrap", "true, false", "lattice: whether edges wrap around (a torus)."},
	{"network.cross_share", "0 to 1", "sector_block: share of a firm's links that cross sectors; low values make echo chambers."},

	{"biases.herding", "0 to 1", "Strength of following the neighbourhood majority regardless of payoff."},
	{"biases.herding_threshold", "0 to 1", "Share of neighbours a practice must exceed to be herded to."},
	{"biases.confirmation", "0 to 1", "Trust in peers similar to oneself; slowness to drop a failing strategy."},
	{"biases.availability", "0 to 1", "Choosing role models by visibility (size, media) rather than profit."},
	{"biases.anchoring", "0 to 1", "Search stays near a reference strategy fixed early."},
	{"biases.media_top", "1 to 1000", "The media broadcast shows the strategy of the largest of the top media_top firms by revenue."},

	{"demography.capability", "0 to 3", "σ_θ: capability is lognormal with mean 1 and this log-standard deviation; it multiplies a firm's attraction to customers."},
	{"demography.startup_spread", "0 to 3", "σ_c: an entrant's start-up capital is market.entry_cash (an initial firm's, its drawn cash) times a lognormal factor L with mean 1 and this log-standard deviation; its start-up size is √L."},
	{"demography.growth_rate", "0 to 0.5", "η: a firm's size grows per tick by η × the marginal profit of size per unit of fixed cost, μR/S − 2(1 − ω)F·S over F, clamped to ±1."},
	{"demography.growth_noise", "0 to 0.5", "σ_g: standard deviation of the idiosyncratic growth rate per tick (Gibrat's law)."},
	{"demography.overhead", "0 to 1", "ω: share of the fixed cost that does not scale with size."},
	{"demography.newness", "0 to 1", "ν: a new firm's attraction is (1 − ν) of a mature one's; the disadvantage fades as e^(−age/newness_time)."},
	{"demography.newness_time", "0 to 10000", "τ: ticks over which the newcomer disadvantage fades."},
	{"demography.headroom", "0 to 10", "Network positions beyond the initial firms, as a multiple of population.firms, that entrants can open: the ceiling of the population."},
	{"demography.entry_response", "0 to 100", "ε: a sector's founding rate is market.entry_rate × its initial firms × max(0, 1 + ε × mean profit average / market.fixed_cost)."},
	{"demography.entry_fit", "0 to 1", "φ_e: an entrant that does not copy an incumbent aims at a segment drawn by spend; each practice is that segment's current ideal option with this probability, else uniform."},
	{"demography.founding_legitimation", "0 to 50", "ℓ_f: founding × exp(ℓ_f·ñ − c_f·ñ²), ñ = alive / initial firms of the sector."},
	{"demography.founding_competition", "0 to 50", "c_f: see founding_legitimation."},
	{"demography.mortality_base", "0 to 1", "m₀: extra exit hazard per tick m₀·exp(−ℓ_m·ñ + c_m·ñ²); 0 = off."},
	{"demography.mortality_legitimation", "0 to 50", "ℓ_m: see mortality_base."},
	{"demography.mortality_competition", "0 to 50", "c_m: see mortality_base."},

	{"shocks.kind", "`demand_shift`, `tech_disruption`, `platform_failure`, `downturn`, `regulation`", "What happens. demand_shift: a segment's customers come to want something else (its ideal strategy moves away from the sector's most common one). tech_disruption: firms using an option of a dimension lose reach. platform_failure: users of a platform lose reach. downturn: customer spend falls. regulation: firms using an option (or, without a dimension, all firms of the sector) pay a compliance cost. Required."},
	{"shocks.tick", "1 to simulation.ticks", "First tick the shock acts. Required."},
	{"shocks.duration", "0 to 10000000", "Ticks it lasts; 0 = permanent."},
	{"shocks.severity", "above 0, at most 1", "How hard it hits. demand_shift: share of the practices in which the ideal moves; tech_disruption, platform_failure: share of reach lost; downturn: share of spend lost; regulation: compliance cost per tick as a share of market.fixed_cost."},
	{"shocks.sector", "−1 to market.sectors − 1", "demand_shift, downturn, regulation without a dimension: the sector hit; −1 = all."},
	{"shocks.segment", "−1 to market.segments − 1", "demand_shift: the segment hit (0 = mainstream); −1 = all."},
	{"shocks.dimension", "a dimension name, or `\"\"`", "tech_disruption (required), regulation (optional): the dimension whose option is hit."},
	{"shocks.option", "−1 to strategy.options − 1", "tech_disruption, regulation: the option of the dimension hit; platform_failure: the platform; −1 = the most common one when the shock hits."},

	{"output.every", "1 to simulation.ticks", "Record the metrics every k ticks."},
	{"output.shock_window", "1 to 10000000", "Ticks after a shock in which exits count as caused by it."},
	{"output.timeseries", "true, false", "Write the per-tick metrics."},
	{"output.firms", "true, false", "Write one record per firm (for survival analysis)."},
	{"output.charts", "true, false", "Draw charts."},
	{"output.formats", "any of `png`, `svg`, `pdf`; at least one when charts = true", "Chart file formats."},
	{"output.dpi", "30 to 600", "Resolution of PNG charts."},
	{"output.top_strategies", "1 to 1000", "Number of strategies listed in the most-common-strategies table."},

	{"sweep.vary", "entries `key=v1,v2,…` or `key=start:stop:step`", "Keys to vary and their values, e.g. `\"population.mix.imitator=0.2,0.5,0.8\"`, `\"network.degree=2:10:2\"`. Keys are written as for `--set`."},
	{"sweep.design", "`factorial`, `lhs`", "factorial: every combination of the values. lhs: Latin hypercube samples."},
	{"sweep.samples", "1 to 100000", "Number of samples of an lhs design."},

	{"variants.name", "letters, digits, `-`, `_`, `.`; unique", "Name of the variant; names its output directory. Required."},
	{"variants.description", "any text", "A sentence on what the variant changes."},
}

// docOf returns the documentation of a key path (array indices removed).
func docOf(path string) (keyDoc, bool) {
	path = stripIndex(path)
	for _, k := range keyDocs {
		if k.path == path {
			return k, true
		}
	}
	return keyDoc{}, false
}

// defaultText returns the default of a documented key as TOML, or "" if it
// has none worth showing.
func defaultText(path string) string {
	switch path {
	case "meta.name":
		return "file name"
	case "shocks.kind", "shocks.tick", "variants.name":
		return "required"
	case "variants.description":
		return `""`
	}
	var t table
	switch {
	case strings.HasPrefix(path, "shocks."):
		t = toValue(reflect.ValueOf(defaultShock())).(table)
		path = strings.TrimPrefix(path, "shocks.")
	case strings.HasPrefix(path, "sweep."):
		t = toValue(reflect.ValueOf(defaults().Sweep)).(table)
		path = strings.TrimPrefix(path, "sweep.")
	default:
		t = defaults().toTable()
	}
	v, ok := lookup(t, path)
	if !ok {
		return ""
	}
	return tomlValue(v)
}

// lookup finds a dotted path in t.
func lookup(t table, path string) (any, bool) {
	first, rest, more := strings.Cut(path, ".")
	v, ok := t.get(first)
	if !ok || !more {
		return v, ok
	}
	sub, ok := v.(table)
	if !ok {
		return nil, false
	}
	return lookup(sub, rest)
}

// referenceMarkdown renders docs/scenarios.md.
func referenceMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Scenario reference

<!-- Generated from scenarios/reference.go by ` + "`go test ./scenarios -update`" + `; do not edit. -->

A scenario is one TOML file. Every key has a default, so a file states only
what differs from the defaults below; ` + "`smbsim init [NAME]`" + ` writes a starter
file listing every key. Unknown keys, wrong types and values out of range
are errors, reported together with their line. Any key can be overridden
on the command line with ` + "`--set key=value`" + ` (e.g. ` + "`--set market.base_margin=0.3`" + `,
` + "`--set network.kind=ring`" + `, ` + "`--set shocks[1].tick=200`" + `, ` + "`--set shocks=[]`" + `).

For example, this file is the baseline with mostly imitators, a denser
network and a downturn instead of the demand shift:

`)
	b.WriteString("```toml\n" + exampleFile + "```\n")
	b.WriteString(`
Problems are reported all at once, each as ` + "`file:line:column: key: message`" + `
(the file's problems, then those of ` + "`--set`" + ` overrides):

`)
	b.WriteString("```\n" + exampleErrors() + "\n```\n")
	b.WriteString(`
Built-in scenarios (` + "`smbsim init NAME`" + ` copies one, listing every other key):

| Name | Shows |
|---|---|
`)
	for _, in := range Builtins() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", in.Name, mdEscape(in.Purpose))
	}
	for _, sec := range sectionDocs {
		header := "[" + sec.path + "]"
		switch sec.path {
		case "shocks", "variants":
			header = "[[" + sec.path + "]]"
		}
		fmt.Fprintf(&b, "\n## `%s`\n\n%s\n\n| Key | Default | Allowed | Meaning |\n|---|---|---|---|\n", header, sec.intro)
		for _, k := range keyDocs {
			if parentPath(k.path) != sec.path {
				continue
			}
			def := defaultText(k.path)
			if def != "required" && def != "file name" {
				def = "`" + def + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.path[len(sec.path)+1:], mdEscape(def), mdEscape(k.allowed), mdEscape(k.meaning))
		}
	}
	return b.String()
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// exampleFile is the example scenario of the reference.
const exampleFile = `# mostly-imitators.toml: the name defaults to the file name
[population.mix]
imitator = 0.7
innovator = 0.1
specialist = 0.1
adaptive = 0.1

[network]
degree = 12

[[shocks]]
kind = "downturn"
tick = 300
duration = 100
severity = 0.4
`

// exampleErrors returns the real messages for a broken copy of
// exampleFile and a bad --set, so the reference shows what users see.
func exampleErrors() string {
	bad := strings.NewReplacer("imitator = 0.7", "imitator = 7", "degree = 12", "degre = 12").Replace(exampleFile)
	_, err := Parse("mostly-imitators.toml", []byte(bad))
	msgs := []string{}
	if err != nil {
		msgs = append(msgs, err.Error())
	}
	if err := Default().Set("market.base_margin=2"); err != nil {
		msgs = append(msgs, err.Error())
	}
	return strings.Join(msgs, "\n")
}
