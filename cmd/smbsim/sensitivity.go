package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/plots"
	"github.com/smbsim/smbsim/present"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
)

// isSensitivityDesign reports whether a sweep design is a Morris or
// Sobol' sensitivity design.
func isSensitivityDesign(design string) bool {
	return design == results.DesignMorris || design == results.DesignSobol
}

// sensitivityPoints builds a Morris or Sobol' design over the ranges
// key=low:high: its points (one value per key, in key order) and its
// record for the plan.
func sensitivityPoints(cmd *cli.Command, specs []string, design string, samples int, seed uint64) (points [][]string, keys []string, info *results.DesignInfo, err error) {
	var bounds []scenarios.Bounds
	var errs []error
	for _, spec := range specs {
		b, err := scenarios.ParseBounds(spec)
		if err != nil {
			errs = append(errs, fmt.Errorf("--vary %s: %w", spec, err))
			continue
		}
		if containsString(keys, b.Key) {
			errs = append(errs, fmt.Errorf("--vary %s: %s is varied twice", spec, b.Key))
			continue
		}
		keys = append(keys, b.Key)
		bounds = append(bounds, b)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, usageError(err)
	}
	d := len(bounds)
	info = &results.DesignInfo{Method: design, Base: samples, Seed: seed, Resamples: experiment.DefaultResamples}
	for _, b := range bounds {
		info.Ranges = append(info.Ranges, [2]float64{b.Low, b.High})
	}
	switch design {
	case results.DesignSobol:
		if d > experiment.MaxSensitivityParams {
			return nil, nil, nil, usageError(fmt.Errorf("--design sobol varies at most %d parameters, got %d", experiment.MaxSensitivityParams, d))
		}
		if samples < 2 {
			return nil, nil, nil, usageError(fmt.Errorf("--samples %d: a Sobol' design needs at least 2 base samples (a power of two such as 64 is best)", samples))
		}
		info.SecondOrder = cmd.Bool("second-order")
	case results.DesignMorris:
		if samples < 2 {
			return nil, nil, nil, usageError(fmt.Errorf("--samples %d: a Morris design needs at least 2 trajectories (10 to 50 is usual)", samples))
		}
		info.Levels = cmd.Int("levels")
		if info.Levels < 2 || info.Levels%2 != 0 {
			return nil, nil, nil, usageError(fmt.Errorf("--levels %d: a Morris design needs an even number of levels ≥ 2 (4 is usual)", info.Levels))
		}
		if c := cmd.Int("candidates"); c > 0 {
			if c < samples || c > 1000 {
				return nil, nil, nil, usageError(fmt.Errorf("--candidates %d: want between --samples (%d) and 1000 trajectories to choose from", c, samples))
			}
			info.Candidates = c
		}
	}
	if n := experiment.DesignRows(info); n > maxSweepPoints {
		return nil, nil, nil, usageError(fmt.Errorf("the %s design has %d points, more than %d: use fewer --samples", design, n, maxSweepPoints))
	}
	unit, err := experiment.DesignUnitPoints(info)
	if err != nil {
		return nil, nil, nil, usageError(err)
	}
	for _, u := range unit {
		pt := make([]string, d)
		for k, b := range bounds {
			pt[k] = b.Value(u[k])
		}
		points = append(points, pt)
	}
	return points, keys, info, nil
}

// sensitivityMeasures are the measures the terminal and report rank the
// parameters for: each shock's excess failures and diversity when it hit,
// final diversity and mean margin — those of the sweep table.
func sensitivityMeasures(s *results.Summary, rows []results.SensitivityRow) (names, headers []string) {
	have := map[string]bool{}
	for _, r := range rows {
		have[r.Measure] = true
	}
	all, hs := keyMeasures(s)
	for i, n := range all {
		ranked := strings.HasSuffix(n, "_excess_fail_share") || strings.HasSuffix(n, "_pre_effective_strategies") ||
			n == "final_effective_strategies" || n == "mean_margin"
		if have[n] && ranked {
			names = append(names, n)
			headers = append(headers, hs[i])
		}
	}
	return names, headers
}

// sensitivityTable prints, for each key measure, the parameters ranked by
// total index (Sobol') or μ* (Morris) with their intervals, and the share
// of the per-run variance due to seeds.
func sensitivityTable(w io.Writer, s *results.Summary, method string, rows []results.SensitivityRow) {
	names, headers := sensitivityMeasures(s, rows)
	if method == results.DesignSobol {
		fmt.Fprintf(w, "%s Sobol' analysis: %d points × %d seeds. Parameters ranked by total index ST (the share of the output's variance over the ranges that involves the parameter); S1 = its share alone; 95 %% bootstrap intervals.\n", s.Scenario, len(s.Variants), len(s.Seeds))
	} else {
		fmt.Fprintf(w, "%s Morris screening: %d points × %d seeds. Parameters ranked by μ* (mean absolute change of the measure when the parameter moves over its whole range, in the measure's unit); σ large beside μ* = interactions or non-linearity; 95 %% bootstrap intervals.\n", s.Scenario, len(s.Variants), len(s.Seeds))
	}
	for i, name := range names {
		ranked := plots.RankParameters(rows, name, method)
		fmt.Fprintf(w, "\n%s (%s)\n", headers[i], name)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		if method == results.DesignSobol {
			fmt.Fprintln(tw, "rank\tparameter\tST [95% CI]\tS1 [95% CI]")
		} else {
			fmt.Fprintln(tw, "rank\tparameter\tμ* [95% CI]\tσ\tμ")
		}
		for k, p := range ranked {
			if method == results.DesignSobol {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", k+1, p.Parameter, fmtIndex(p.Rank), fmtIndex(p.Other))
			} else {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", k+1, p.Parameter, fmtEffect(name, p.Rank, true), fmtEffect(name, p.Other, false), fmtEffect(name, p.Mu, false))
			}
		}
		tw.Flush()
		if sep := plots.Separation(ranked); sep != "" {
			fmt.Fprintf(w, "not told apart (overlapping intervals): %s — more --samples would separate them\n", sep)
		}
		if share := plots.SeedShare(rows, name); !math.IsNaN(share) {
			fmt.Fprintf(w, "seeds: %.0f %% of the runs' variance is between seeds at the same point (replicate noise)\n", 100*share)
		}
	}
	fmt.Fprintln(w, "\nEvery index of every measure: sensitivity.csv; one row per run with its parameters: sweep_runs.csv")
}

// fmtIndex formats a Sobol' index with its interval.
func fmtIndex(r results.SensitivityRow) string {
	v, lo, hi := present.Same(r.Value, r.CILow, r.CIHigh)
	if math.IsNaN(r.CILow) {
		return v
	}
	return fmt.Sprintf("%s [%s, %s]", v, lo, hi)
}

// fmtEffect formats a Morris statistic in the measure's unit (percentage
// points for a share), with its interval when ci is set.
func fmtEffect(measure string, r results.SensitivityRow, ci bool) string {
	scale, unit := 1.0, ""
	if results.InPercent(measure) {
		scale, unit = 100, " pts"
	}
	v, lo, hi := present.Same(r.Value*scale, r.CILow*scale, r.CIHigh*scale)
	if !ci || math.IsNaN(r.CILow) {
		return v + unit
	}
	return fmt.Sprintf("%s [%s, %s]%s", v, lo, hi, unit)
}

// sensitivityTableFor returns the table printer of a sensitivity sweep
// that writes into dir.
func sensitivityTableFor(dir, method string) func(io.Writer, *results.Summary) {
	return func(w io.Writer, s *results.Summary) {
		rows, _, err := results.ReadRows[results.SensitivityRow](dir, results.Layout{})
		if err != nil {
			fmt.Fprintf(w, "no sensitivity analysis: %v\n", err)
			return
		}
		sensitivityTable(w, s, method, rows)
	}
}
