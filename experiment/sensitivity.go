package experiment

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/stats"
	"github.com/smbsim/smbsim/stats/sensitivity"
)

// Bootstrap resamples of a sensitivity analysis, and the streams of its
// randomness (the design's and each measure's bootstrap), all from the
// scenario's base seed.
const (
	DefaultResamples = 500
	streamSobol      = 0x736f626f6c   // "sobol"
	streamMorris     = 0x6d6f72726973 // "morris"
	streamBootstrap  = 0x626f6f74     // "boot"
)

// MaxSensitivityParams bounds the parameters of a Sobol' design: the
// direction numbers cover 2·D dimensions.
const MaxSensitivityParams = sensitivity.MaxSobolDims / 2

// DesignUnitPoints returns the points of a sensitivity design in unit
// coordinates, one row per sweep point in plan order: a Saltelli design
// (N·(D+2) rows, N·(2D+2) with second order) or Morris trajectories
// (r·(D+1) rows), drawn from the design's seed.
func DesignUnitPoints(d *results.DesignInfo) ([][]float64, error) {
	dims := len(d.Ranges)
	switch d.Method {
	case results.DesignSobol:
		return sensitivity.SaltelliDesign(d.Base, dims, d.SecondOrder, rand.New(rand.NewPCG(d.Seed, streamSobol)))
	case results.DesignMorris:
		return sensitivity.MorrisDesign(d.Base, dims, d.Levels, d.Candidates, rand.New(rand.NewPCG(d.Seed, streamMorris)))
	}
	return nil, fmt.Errorf("unknown sensitivity design %q: want %q or %q", d.Method, results.DesignMorris, results.DesignSobol)
}

// DesignRows is the number of points of a sensitivity design.
func DesignRows(d *results.DesignInfo) int {
	if d.Method == results.DesignMorris {
		return d.Base * (len(d.Ranges) + 1)
	}
	return sensitivity.SaltelliRows(d.Base, len(d.Ranges), d.SecondOrder)
}

// sensitivityRows analyses a complete sensitivity sweep: for every
// measure, the indices of each parameter over the point means (the mean
// of the point's seeds), and the share of the per-run variance due to
// seeds. A measure that is missing at some point, or constant, has no
// rows.
func (a *aggregator) sensitivityRows(names []string) ([]results.SensitivityRow, error) {
	p := a.plan
	d := p.Design
	unit, err := DesignUnitPoints(d)
	if err != nil {
		return nil, err
	}
	if len(unit) != len(p.Variants) {
		return nil, fmt.Errorf("the %s design has %d points but the sweep %d", d.Method, len(unit), len(p.Variants))
	}
	resamples := d.Resamples
	if resamples <= 0 {
		resamples = DefaultResamples
	}
	var rows []results.SensitivityRow
	add := func(measure, param, index string, e stats.Estimate) {
		rows = append(rows, results.SensitivityRow{Measure: measure, Parameter: param, Index: index, Value: e.Value, CILow: e.Low, CIHigh: e.High})
	}
	for m, name := range names {
		if a.interrupted() {
			return nil, ErrInterrupted // writeAggregates says where
		}
		y := make([]float64, len(p.Variants))
		groups := make([][]float64, len(p.Variants))
		for vi := range p.Variants {
			va := &a.variants[vi]
			var s, n float64
			for _, ms := range va.measures {
				if m < len(ms) && !math.IsNaN(ms[m]) {
					s += ms[m]
					n++
					groups[vi] = append(groups[vi], ms[m])
				}
			}
			y[vi] = s / n // NaN without runs
		}
		if constant(y) {
			continue
		}
		h := fnv.New64a()
		h.Write([]byte(name))
		rng := rand.New(rand.NewPCG(d.Seed^streamBootstrap, h.Sum64()))
		switch d.Method {
		case results.DesignSobol:
			si, err := sensitivity.SobolAnalysis(y, len(p.Params), d.SecondOrder, resamples, confidence, rng)
			if err != nil {
				continue // a point without a value: not analysable
			}
			for i, k := range p.Params {
				add(name, k, results.IndexS1, si.S1[i])
				add(name, k, results.IndexST, si.ST[i])
			}
			for i := range si.S2 {
				for j := i + 1; j < len(si.S2); j++ {
					add(name, p.Params[i]+" × "+p.Params[j], results.IndexS2, si.S2[i][j])
				}
			}
		case results.DesignMorris:
			mi, err := sensitivity.MorrisAnalysis(unit, y, len(p.Params), resamples, confidence, rng)
			if err != nil {
				continue
			}
			for i, k := range p.Params {
				add(name, k, results.IndexMu, mi.Mu[i])
				add(name, k, results.IndexMuStar, mi.MuStar[i])
				add(name, k, results.IndexSigma, mi.Sigma[i])
			}
		}
		nan := math.NaN()
		add(name, results.SeedsParameter, results.IndexSeedShare, stats.Estimate{Value: sensitivity.SeedShare(groups), Low: nan, High: nan})
	}
	return rows, nil
}

// constant reports whether ys are all equal (or all NaN): no variance to
// apportion.
func constant(ys []float64) bool {
	for _, y := range ys[1:] {
		if y != ys[0] && !(math.IsNaN(y) && math.IsNaN(ys[0])) {
			return false
		}
	}
	return true
}

// validateDesign checks a plan's sensitivity design against its points.
func (p *Plan) validateDesign() error {
	d := p.Design
	if d == nil {
		return nil
	}
	var errs []error
	if p.Command != CommandSweep {
		errs = append(errs, errors.New("a sensitivity design is a sweep's"))
	}
	if len(d.Ranges) != len(p.Params) {
		errs = append(errs, fmt.Errorf("the %s design has %d ranges for %d parameters", d.Method, len(d.Ranges), len(p.Params)))
	}
	if n := DesignRows(d); n != len(p.Variants) {
		errs = append(errs, fmt.Errorf("the %s design has %d points but the sweep %d", d.Method, n, len(p.Variants)))
	}
	return errors.Join(errs...)
}
