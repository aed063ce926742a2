// Package sensitivity holds the designs and estimators of global
// sensitivity analysis: scrambled Sobol' low-discrepancy points, Saltelli
// designs with first-order (Saltelli et al. 2010) and total (Jansen 1999)
// Sobol' indices, Morris elementary-effects screening (Morris 1991,
// Campolongo et al. 2007) with μ, μ* and σ, bootstrap intervals for all of
// them, and the share of output variance due to replicate noise.
//
// Designs live in the unit hypercube [0, 1)^D; the caller maps each
// coordinate onto its parameter's range. Like package stats, nothing here
// holds mutable package state, and the only randomness is an explicit
// *rand.Rand (math/rand/v2) passed by the caller.
package sensitivity
