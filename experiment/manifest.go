package experiment

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
)

func (p *Plan) info() results.PlanInfo {
	pi := results.PlanInfo{Fingerprint: p.Fingerprint(), Command: p.Command, Params: p.Params, Every: p.every(),
		ShockWindow: p.shockWindow(), Horizons: append([]int{}, p.horizons()...), TopStrategies: p.topK(), Detail: p.Detail, NoTimeseries: p.NoTimeseries, NoFirms: p.NoFirms,
		ShockLabels: p.ShockLabels, Focus: p.Focus, CollapseThreshold: p.collapseThreshold(), Design: p.Design, World: p.world()}
	for _, v := range p.Variants {
		pi.Variants = append(pi.Variants, results.VariantInfo{Name: v.Name, Values: v.Values, Shocks: shockInfos(&v.Config, nil), HasTOML: v.TOML != nil,
			Ticks: v.Config.Ticks})
	}
	return pi
}

// world is what the charts and the report need to know of the first
// variant's scenario (see results.WorldInfo).
func (p *Plan) world() *results.WorldInfo {
	if p.World != nil || len(p.Variants) == 0 {
		return p.World
	}
	c := &p.Variants[0].Config
	w := &results.WorldInfo{Description: p.Description, Ticks: c.Simulation.Ticks, ShockWindow: p.shockWindow(),
		Market: c.Market.Enabled, Dimensions: append([]string{}, c.Strategy.Dimensions...)}
	dim := func(d int) string {
		if d >= 0 && d < len(c.Strategy.Dimensions) {
			return c.Strategy.Dimensions[d]
		}
		return ""
	}
	w.Platform = dim(c.Strategy.PlatformDim)
	for _, sh := range c.Shocks {
		d := ""
		switch {
		case sh.Kind == sim.PlatformFailure:
			d = w.Platform
		case targetsOption(c, &sh):
			d = dim(sh.Dimension)
		}
		w.ShockDimensions = append(w.ShockDimensions, d)
		w.ShockTargets = append(w.ShockTargets, shockTarget(d, &sh))
	}
	return w
}

// shockTarget is sh's WorldInfo.ShockTargets entry; dim is the dimension
// it hits ("" for none).
func shockTarget(dim string, sh *sim.Shock) string {
	switch {
	case dim == "":
		return ""
	case sh.Option >= 0:
		return strconv.Itoa(sh.Option)
	case sh.Target == sim.TargetRandom || sh.Target == sim.TargetWeighted:
		return string(sh.Target)
	}
	return results.TargetMostUsed
}

// planFromManifest rebuilds the parts of a plan that outputs depend on
// (everything but the model configuration apart from its tick limit and
// its shocks).
func planFromManifest(m *results.Manifest) *Plan {
	pi := m.Plan
	p := &Plan{Command: pi.Command, Scenario: m.Scenario, ScenarioHash: m.ScenarioHash, Seeds: m.Seeds,
		Every: pi.Every, ShockWindow: pi.ShockWindow, Horizons: pi.Horizons, TopStrategies: pi.TopStrategies,
		Detail: pi.Detail, NoTimeseries: pi.NoTimeseries, NoFirms: pi.NoFirms, Params: pi.Params, ShockLabels: pi.ShockLabels, Focus: pi.Focus,
		CollapseThreshold: pi.CollapseThreshold, Design: pi.Design, World: pi.World}
	for _, v := range pi.Variants {
		var cfg sim.Config
		// The tick limit tells the runs that stopped early (absorbed)
		// from those that ran to it (see aggregator.addFixedState).
		cfg.Ticks = v.Ticks
		if cfg.Ticks == 0 && pi.World != nil {
			cfg.Ticks = pi.World.Ticks
		}
		for _, s := range v.Shocks {
			cfg.Shocks = append(cfg.Shocks, sim.Shock{Kind: sim.ShockKind(s.Kind), Tick: s.Tick, Duration: s.Duration, Severity: s.Severity})
		}
		vals := v.Values
		if vals == nil && len(pi.Params) > 0 {
			vals = make([]string, len(pi.Params))
		}
		p.Variants = append(p.Variants, Variant{Name: v.Name, Config: cfg, Values: vals})
	}
	return p
}

// readPlanned reads dir/manifest.json and checks that it records a plan.
func readPlanned(dir string) (*results.Manifest, error) {
	m, err := results.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if m.Plan.Fingerprint == "" || len(m.Plan.Variants) == 0 || len(m.Seeds) == 0 {
		return nil, fmt.Errorf("%s: no plan recorded: the directory was not written by this version of smbsim", filepath.Join(dir, results.FileManifest))
	}
	return m, nil
}

// completedJobs returns the job indices listed in m.CompletedSeeds, for
// the plan p, in increasing order.
func completedJobs(p *Plan, m *results.Manifest) (map[int]bool, error) {
	vidx, sidx := p.indices()
	done := map[int]bool{}
	for name, seeds := range m.CompletedSeeds {
		vi, ok := vidx[name]
		if !ok {
			return nil, fmt.Errorf("manifest lists runs of unknown variant %q", name)
		}
		for _, s := range seeds {
			si, ok := sidx[s]
			if !ok {
				return nil, fmt.Errorf("manifest lists a run of variant %q with unknown seed %d", name, s)
			}
			done[vi*len(p.Seeds)+si] = true
		}
	}
	return done, nil
}

func goVersion() string { return runtime.Version() }
