// Package experiment runs many simulations of a scenario — one or more
// variants, each over the same seeds — on a deterministic worker pool, and
// writes the results directory described in docs/outputs.md: per-run time
// series, firm lives, top strategies and summary measures, then statistics
// across seeds (95 % confidence intervals, Kaplan–Meier survival, tests
// between variants).
//
// Results never depend on scheduling. A run is a job (variant, seed) with a
// fixed index; finished runs are consumed strictly in job order through a
// small reorder buffer, per-run rows are streamed to disk in that order, and
// statistics across seeds are accumulated online in that order (Welford
// accumulators per variant × tick × metric, count tables for survival), so
// memory does not grow with the number of seeds and every output file is
// byte-identical for any worker count.
//
// The per-run files (timeseries.csv, firms.csv, strategies.csv, runs.csv)
// hold every figure the aggregates are computed from, at full precision.
// That is what makes [Merge] of shard directories and [Options.Resume]
// exact: they read finished runs back and feed them, in job order, through
// the same aggregation as a single uninterrupted run.
//
// The simulation itself is reached only through the small [Model]
// interface; [SimFactory] builds the engine's *sim.World, and tests plug in
// fake models.
package experiment
