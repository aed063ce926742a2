package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/smbsim/smbsim/stats"
)

// MorrisDelta is the step of a Morris design with the given number of
// levels: Δ = levels / (2·(levels − 1)), the choice of Morris (1991) that
// makes every level equally likely.
func MorrisDelta(levels int) float64 { return float64(levels) / (2 * float64(levels-1)) }

// MorrisDesign returns r trajectories of a Morris (1991) design in
// [0, 1]^d, each of d+1 rows: a random base point on the grid
// {0, 1/(levels−1), …, 1}, then one parameter after another (in a random
// order) moved by ±Δ ([MorrisDelta]), so that consecutive rows differ in
// exactly one coordinate. levels must be even (4 is usual). With
// candidates > r, that many trajectories are drawn and r of them kept by
// Campolongo et al.'s (2007) spread criterion, with the local search of
// Ruano et al. (2012): the trajectory whose removal leaves the largest sum
// of pairwise distances is dropped until r remain. Rows are in trajectory
// order and share one backing array.
func MorrisDesign(r, d, levels, candidates int, rng *rand.Rand) ([][]float64, error) {
	switch {
	case r < 2:
		return nil, fmt.Errorf("sensitivity: a Morris design needs at least 2 trajectories, got %d", r)
	case d < 1:
		return nil, fmt.Errorf("sensitivity: a Morris design needs at least 1 parameter, got %d", d)
	case levels < 2 || levels%2 != 0:
		return nil, fmt.Errorf("sensitivity: a Morris design needs an even number of levels ≥ 2, got %d", levels)
	}
	m := max(candidates, r)
	trajs := make([][][]float64, m)
	for t := range trajs {
		trajs[t] = morrisTrajectory(d, levels, rng)
	}
	if m > r {
		trajs = campolongo(trajs, r)
	}
	backing := make([]float64, r*(d+1)*d)
	out := make([][]float64, 0, r*(d+1))
	for _, tr := range trajs {
		for _, x := range tr {
			row := backing[len(out)*d : (len(out)+1)*d : (len(out)+1)*d]
			copy(row, x)
			out = append(out, row)
		}
	}
	return out, nil
}

func morrisTrajectory(d, levels int, rng *rand.Rand) [][]float64 {
	delta := MorrisDelta(levels)
	step := 1 / float64(levels-1)
	x := make([]float64, d)
	for i := range x {
		// Base levels 0 … 1−Δ, so that +Δ stays in [0, 1]; a downward
		// move starts Δ higher.
		x[i] = float64(rng.IntN(levels/2)) * step
		if rng.IntN(2) == 1 {
			x[i] += delta
		}
	}
	tr := [][]float64{slices.Clone(x)}
	for _, i := range rng.Perm(d) {
		if x[i]+delta <= 1+1e-12 {
			x[i] += delta
		} else {
			x[i] -= delta
		}
		x[i] = math.Round(x[i]*float64(levels-1)) / float64(levels-1)
		tr = append(tr, slices.Clone(x))
	}
	return tr
}

// campolongo keeps r of the trajectories, dropping one at a time the one
// whose removal keeps the largest sum of pairwise distances.
func campolongo(trajs [][][]float64, r int) [][][]float64 {
	m := len(trajs)
	dist := make([][]float64, m)
	for a := range dist {
		dist[a] = make([]float64, m)
	}
	for a := range m {
		for b := a + 1; b < m; b++ {
			var s float64
			for _, x := range trajs[a] {
				for _, y := range trajs[b] {
					var q float64
					for k := range x {
						q += (x[k] - y[k]) * (x[k] - y[k])
					}
					s += math.Sqrt(q)
				}
			}
			dist[a][b], dist[b][a] = s, s
		}
	}
	alive := make([]bool, m)
	for a := range alive {
		alive[a] = true
	}
	for n := m; n > r; n-- {
		worst, worstSum := -1, math.Inf(1)
		for a := range m {
			if !alive[a] {
				continue
			}
			var s float64 // a's contribution to the total spread
			for b := range m {
				if alive[b] && b != a {
					s += dist[a][b]
				}
			}
			if s < worstSum {
				worst, worstSum = a, s
			}
		}
		alive[worst] = false
	}
	var kept [][][]float64
	for a, ok := range alive {
		if ok {
			kept = append(kept, trajs[a])
		}
	}
	return kept
}

// MorrisIndices are the elementary-effect statistics of one output.
type MorrisIndices struct {
	Mu, MuStar, Sigma []stats.Estimate // per parameter: mean effect, mean absolute effect, SD of effects
}

// MorrisAnalysis computes, from the points x of a [MorrisDesign] (in unit
// coordinates, trajectory after trajectory of d+1 rows) and their outputs
// y, each parameter's elementary effects (f(x + Δe_i) − f(x))/Δ in unit
// coordinates (so effects of parameters with different ranges compare),
// and their mean μ, mean absolute value μ* (Campolongo et al. 2007) and
// standard deviation σ, with percentile bootstrap intervals over
// resamples resamplings of the trajectories.
func MorrisAnalysis(x [][]float64, y []float64, d int, resamples int, level float64, rng *rand.Rand) (MorrisIndices, error) {
	if d < 1 || len(x) != len(y) || len(y)%(d+1) != 0 || len(y) == 0 {
		return MorrisIndices{}, fmt.Errorf("sensitivity: %d points and %d outputs do not form a Morris design of %d parameters", len(x), len(y), d)
	}
	if slices.ContainsFunc(y, math.IsNaN) {
		return MorrisIndices{}, errors.New("sensitivity: an output of the design is missing (NaN)")
	}
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("sensitivity: confidence level %v not in (0, 1)", level))
	}
	ee, err := elementaryEffects(x, y, d)
	if err != nil {
		return MorrisIndices{}, err
	}
	r := len(ee)
	all := make([]int, r)
	for t := range all {
		all[t] = t
	}
	mu, muStar, sigma := morrisOnce(ee, d, all)
	bm, bs, bg := make([][]float64, d), make([][]float64, d), make([][]float64, d)
	idx := make([]int, r)
	for range resamples {
		for t := range idx {
			idx[t] = rng.IntN(r)
		}
		m, s, g := morrisOnce(ee, d, idx)
		for i := range d {
			bm[i] = append(bm[i], m[i])
			bs[i] = append(bs[i], s[i])
			bg[i] = append(bg[i], g[i])
		}
	}
	res := MorrisIndices{Mu: make([]stats.Estimate, d), MuStar: make([]stats.Estimate, d), Sigma: make([]stats.Estimate, d)}
	for i := range d {
		res.Mu[i] = withInterval(mu[i], bm[i], level)
		res.MuStar[i] = withInterval(muStar[i], bs[i], level)
		res.Sigma[i] = withInterval(sigma[i], bg[i], level)
	}
	return res, nil
}

// elementaryEffects returns ee[t][i], the elementary effect of parameter i
// in trajectory t (NaN if the trajectory does not move it), or an error
// when two consecutive rows differ in other than one parameter.
func elementaryEffects(x [][]float64, y []float64, d int) ([][]float64, error) {
	r := len(y) / (d + 1)
	ee := make([][]float64, r) // ee[t][i]
	for t := range r {
		ee[t] = make([]float64, d)
		for i := range ee[t] {
			ee[t][i] = math.NaN()
		}
		for k := range d {
			a, b := t*(d+1)+k, t*(d+1)+k+1
			moved := -1
			for i := range d {
				if x[a][i] != x[b][i] {
					if moved >= 0 {
						return nil, fmt.Errorf("sensitivity: rows %d and %d differ in more than one parameter: not a Morris trajectory", a+1, b+1)
					}
					moved = i
				}
			}
			if moved < 0 {
				return nil, fmt.Errorf("sensitivity: rows %d and %d are equal: not a Morris trajectory", a+1, b+1)
			}
			ee[t][moved] = (y[b] - y[a]) / (x[b][moved] - x[a][moved])
		}
	}
	return ee, nil
}

// morrisOnce is μ, μ* and σ of each of the d parameters' effects over the
// trajectories idx (repeats allowed: a bootstrap resample).
func morrisOnce(ee [][]float64, d int, idx []int) (mu, muStar, sigma []float64) {
	mu, muStar, sigma = make([]float64, d), make([]float64, d), make([]float64, d)
	for i := range d {
		var s, sa, n float64
		for _, t := range idx {
			if e := ee[t][i]; !math.IsNaN(e) {
				s += e
				sa += math.Abs(e)
				n++
			}
		}
		mu[i], muStar[i] = s/n, sa/n
		var q float64
		for _, t := range idx {
			if e := ee[t][i]; !math.IsNaN(e) {
				q += (e - mu[i]) * (e - mu[i])
			}
		}
		sigma[i] = math.Sqrt(q / (n - 1))
	}
	return mu, muStar, sigma
}

// SeedShare is the share of the output variance due to replicate noise:
// the pooled within-point variance of runs (seeds) divided by the total
// variance of all runs, from a one-way analysis of variance. groups[p]
// holds point p's run outputs; NaNs are skipped. It is NaN when there are
// fewer than two runs in any point or no variance at all.
func SeedShare(groups [][]float64) float64 {
	var within, nWithin float64
	var all []float64
	for _, g := range groups {
		var s, n float64
		for _, v := range g {
			if !math.IsNaN(v) {
				s += v
				n++
				all = append(all, v)
			}
		}
		if n < 2 {
			return math.NaN()
		}
		m := s / n
		for _, v := range g {
			if !math.IsNaN(v) {
				within += (v - m) * (v - m)
			}
		}
		nWithin += n - 1
	}
	if len(all) < 2 {
		return math.NaN()
	}
	var s float64
	for _, v := range all {
		s += v
	}
	m := s / float64(len(all))
	var total float64
	for _, v := range all {
		total += (v - m) * (v - m)
	}
	total /= float64(len(all) - 1)
	if total == 0 {
		return math.NaN()
	}
	return min(within/nWithin/total, 1)
}
