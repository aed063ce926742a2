package sim

import "strings"

// CultureEngine selects how a culture world runs (culture.engine).
type CultureEngine string

// EngineAuto is culture.engine's default: a culture world runs on the
// culture engine (NewCulture), which runs the naive loop while events
// often change something and the active links while they mostly fail,
// switching between them as the run goes (see Culture.advance). The
// other values are CultureNaive and CultureActiveLinks: the culture
// engine with that engine throughout.
const EngineAuto CultureEngine = "auto"

// Values lists the engines.
func (CultureEngine) Values() []string {
	return []string{string(EngineAuto), CultureNaive, CultureActiveLinks}
}

// CultureConfig is the [culture] table.
type CultureConfig struct {
	Engine CultureEngine `toml:"engine" doc:"auto: the culture engine runs the naive loop and switches to active links while fewer than 1 in 8 events change anything (and back while more than 1 in 5 do). naive: the culture engine's per-event loop (Axelrod 1997). active_links: the culture engine's rejection-free loop, equal in distribution to the naive loop and much faster near absorption. Only for a culture world (see the table's introduction)."`
}

// cultureProblems lists what keeps c from being a culture world the
// culture engine can run (nil when it is one), as "key = value" phrases.
func (c *Config) cultureProblems() []string {
	var ps []string
	add := func(ok bool, s string) {
		if !ok {
			ps = append(ps, s)
		}
	}
	add(!c.Market.Enabled, "market.enabled = false")
	add(c.Schedule == Asynchronous, `simulation.schedule = "asynchronous"`)
	add(c.Behaviour.Imitation == ImitateAxelrod, `behaviour.imitation = "axelrod"`)
	add(c.Behaviour.Revision >= 1, "behaviour.revision = 1")
	add(c.Population.EffectiveMix().Imitator == 1, "population.mix.imitator = 1 (or population.imitator_share = 1)")
	add(c.Network.Kind != Complete, "a network other than complete")
	add(!c.Landscape.PayoffOnly, "landscape.payoff_only = false")
	add(c.Population.InitialSimilarity == 0, "population.initial_similarity = 0")
	add(c.Strategy.AutomationDim < 0, `strategy.automation = ""`)
	return ps
}

// CultureWorld reports whether c is a culture world the culture engine
// can run: no market, asynchronous, every firm an Axelrod imitator that
// always revises, a materialised network, uniform initial strategies.
func (c *Config) CultureWorld() bool { return len(c.cultureProblems()) == 0 }

// wide reports whether c's strategy is wider than 64 bits.
func (c *Config) wide() bool {
	return c.Strategy.Options >= 2 && c.D()*OptionBits(c.Strategy.Options) > 64
}

// RunsCulture reports whether a run of c runs on the culture engine
// (NewCulture) rather than as a World: every culture world does, whatever
// its width (measured through smbsim run on culture worlds that fit in 64
// bits, the automatic engine is within noise of a World at F = 5 and
// faster at F = 10, q = 55: docs/performance.md).
func (c *Config) RunsCulture() bool { return c.CultureWorld() }

// CultureEngineName is the engine argument of NewCulture for c's
// culture.engine ("" for auto).
func (c *Config) CultureEngineName() string {
	if c.Culture.Engine == EngineAuto {
		return ""
	}
	return string(c.Culture.Engine)
}

// checkCultureWorld reports a strategy wider than 64 bits outside a
// culture world, a culture engine asked of another world, and the culture
// engine's limits on dimensions and options.
func (c *Config) checkCultureWorld(add func(path string, v any, format string, a ...any)) {
	s := c.Strategy
	d := len(s.Dimensions)
	ps := c.cultureProblems()
	why := strings.Join(ps, ", ")
	if c.wide() && len(ps) > 0 {
		add("strategy.dimensions", d, "%d dimensions × %d bits per practice (for %d options) = %d bits; a strategy must fit in 64 bits (at most %d dimensions with %d options), unless the world is a culture world, which needs %s",
			d, OptionBits(s.Options), s.Options, d*OptionBits(s.Options), 64/OptionBits(s.Options), s.Options, why)
	}
	if e := c.Culture.Engine; e != EngineAuto && e != "" && len(ps) > 0 {
		add("culture.engine", string(e), "the culture engine runs only a culture world, which needs %s; use \"auto\"", why)
	}
	if len(ps) == 0 {
		if d > maxCultureDims {
			add("strategy.dimensions", d, "%d dimensions; the culture engine allows 1 to %d", d, maxCultureDims)
		}
		if s.Options > maxCultureTraits {
			add("strategy.options", s.Options, "the culture engine allows 2 to %d options", maxCultureTraits)
		}
	}
}

// maxCultureDims is the most dimensions (features) a Culture world holds
// (overlaps are counted in a byte).
const maxCultureDims = 255
