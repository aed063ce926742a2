package experiment

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/smbsim/smbsim/sim"
)

// Run statuses in manifest.json.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
)

// Manifest is the content of manifest.json: how, when and from what the
// results were produced, and which runs they hold. The Plan section lets
// merge and --resume check that directories belong to the same experiment.
type Manifest struct {
	Version        string              `json:"version"`
	GoVersion      string              `json:"go_version"`
	Command        []string            `json:"command"`
	Scenario       string              `json:"scenario"`
	ScenarioHash   string              `json:"scenario_hash"`
	Seeds          []uint64            `json:"seeds"`
	Started        string              `json:"started"`
	Finished       string              `json:"finished"`
	CompletedSeeds map[string][]uint64 `json:"completed_seeds"` // variant name → seeds whose run is in the files
	CompletedRuns  int                 `json:"completed_runs"`
	TotalRuns      int                 `json:"total_runs"` // runs of the whole plan (or of the shard)
	Shard          string              `json:"shard,omitempty"`
	Status         string              `json:"status"`
	Plan           PlanInfo            `json:"plan"`
}

// PlanInfo is the part of a Plan that merge needs to rebuild the outputs
// without the scenario files.
type PlanInfo struct {
	Fingerprint   string        `json:"fingerprint"`
	Command       string        `json:"command"`
	Variants      []VariantInfo `json:"variants"`
	Params        []string      `json:"params,omitempty"`
	Every         int           `json:"every"`
	ShockWindow   int           `json:"shock_window"`
	TopStrategies int           `json:"top_strategies"`
	NoTimeseries  bool          `json:"no_timeseries,omitempty"`
	NoFirms       bool          `json:"no_firms,omitempty"`
	ShockLabels   []string      `json:"shock_labels,omitempty"`
}

// VariantInfo is one variant in PlanInfo.
type VariantInfo struct {
	Name    string      `json:"name"`
	Values  []string    `json:"values,omitempty"`
	Shocks  []ShockInfo `json:"shocks"`
	HasTOML bool        `json:"has_toml,omitempty"`
}

func (p *Plan) info() PlanInfo {
	pi := PlanInfo{Fingerprint: p.Fingerprint(), Command: p.Command, Params: p.Params, Every: p.every(),
		ShockWindow: p.shockWindow(), TopStrategies: p.topK(), NoTimeseries: p.NoTimeseries, NoFirms: p.NoFirms,
		ShockLabels: p.ShockLabels}
	for _, v := range p.Variants {
		pi.Variants = append(pi.Variants, VariantInfo{Name: v.Name, Values: v.Values, Shocks: shockInfos(&v.Config, nil), HasTOML: v.TOML != nil})
	}
	return pi
}

// planFromManifest rebuilds the parts of a plan that outputs depend on
// (everything but the model configuration apart from its shocks).
func planFromManifest(m *Manifest) *Plan {
	pi := m.Plan
	p := &Plan{Command: pi.Command, Scenario: m.Scenario, ScenarioHash: m.ScenarioHash, Seeds: m.Seeds,
		Every: pi.Every, ShockWindow: pi.ShockWindow, TopStrategies: pi.TopStrategies,
		NoTimeseries: pi.NoTimeseries, NoFirms: pi.NoFirms, Params: pi.Params, ShockLabels: pi.ShockLabels}
	for _, v := range pi.Variants {
		var cfg sim.Config
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

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, FileManifest))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w (is this a results directory written by smbsim?)", filepath.Join(dir, FileManifest), err)
	}
	if m.Plan.Fingerprint == "" || len(m.Plan.Variants) == 0 || len(m.Seeds) == 0 {
		return nil, fmt.Errorf("%s: no plan recorded: the directory was not written by this version of smbsim", filepath.Join(dir, FileManifest))
	}
	return &m, nil
}

// completedJobs returns the job indices listed in m.CompletedSeeds, for
// the plan p, in increasing order.
func completedJobs(p *Plan, m *Manifest) (map[int]bool, error) {
	vidx := map[string]int{}
	for i, v := range p.Variants {
		vidx[v.Name] = i
	}
	sidx := map[uint64]int{}
	for i, s := range p.Seeds {
		sidx[s] = i
	}
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
