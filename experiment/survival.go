package experiment

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/smbsim/smbsim/experiment/stats"
)

// lifeTable counts lifetimes by integer time: how many events and how many
// censorings happened at each t. It holds what Kaplan–Meier and the
// log-rank test need in memory proportional to the longest lifetime, not to
// the number of firms, so survival pooled over thousands of runs stays
// cheap.
type lifeTable struct {
	events, censored []int
	n                int
}

// add records one lifetime of length t (t ≥ 0), ending in an event or
// censored.
func (lt *lifeTable) add(t int, event bool) {
	if t < 0 {
		t = 0
	}
	for len(lt.events) <= t {
		lt.events = append(lt.events, 0)
		lt.censored = append(lt.censored, 0)
	}
	if event {
		lt.events[t]++
	} else {
		lt.censored[t]++
	}
	lt.n++
}

// kaplanMeier is stats.KaplanMeier computed from the counts, with the same
// conventions and the same floating-point operations (so the same bits):
// a leading point at t = 0 with survival 1, then one point per event time;
// Greenwood variance; log-log intervals at the given level.
func (lt *lifeTable) kaplanMeier(level float64) []stats.KMPoint {
	if lt.n == 0 {
		return nil
	}
	z := distuv.UnitNormal.Quantile((1 + level) / 2)
	pts := []stats.KMPoint{{T: 0, AtRisk: lt.n, Survival: 1, Low: 1, High: 1}}
	remaining := lt.n
	surv, gw := 1.0, 0.0
	for t := range lt.events {
		d, c := lt.events[t], lt.censored[t]
		if d == 0 {
			pts[len(pts)-1].Censored += c
			remaining -= c
			continue
		}
		n := remaining
		surv *= float64(n-d) / float64(n)
		if d == n {
			surv = 0
		}
		gw += float64(d) / (float64(n) * float64(n-d))
		p := stats.KMPoint{T: float64(t), AtRisk: n, Events: d, Censored: c, Survival: surv}
		p.SE, p.Low, p.High = kmConf(surv, gw, z)
		pts = append(pts, p)
		remaining -= d + c
	}
	return pts
}

// kmConf mirrors the stats package's Greenwood / log-log bounds.
func kmConf(surv, gw, z float64) (se, low, high float64) {
	switch {
	case surv == 0 || math.IsInf(gw, 1):
		return math.NaN(), math.NaN(), math.NaN()
	case surv == 1:
		return 0, 1, 1
	}
	sqrtGW := math.Sqrt(gw)
	se = surv * sqrtGW
	sigma := sqrtGW / math.Abs(math.Log(surv))
	low = math.Pow(surv, math.Exp(z*sigma))
	high = math.Pow(surv, math.Exp(-z*sigma))
	return se, math.Min(low, surv), math.Max(high, surv)
}

// logRank is stats.LogRank computed from count tables: the k-sample
// log-rank (Mantel–Haenszel) test, chi-squared on k−1 degrees of freedom,
// with groups that have no expected events left out.
func logRank(groups []*lifeTable) (chi2 float64, df int, p float64) {
	k := len(groups)
	atRisk := make([]float64, k)
	maxT := 0
	for g, lt := range groups {
		atRisk[g] = float64(lt.n)
		maxT = max(maxT, len(lt.events))
	}
	o := make([]float64, k)
	e := make([]float64, k)
	v := make([]float64, k*k)
	dg := make([]float64, k)
	cg := make([]float64, k)
	for t := range maxT {
		clear(dg)
		clear(cg)
		d := 0.0
		for g, lt := range groups {
			if t < len(lt.events) {
				dg[g] = float64(lt.events[t])
				cg[g] = float64(lt.censored[t])
				d += dg[g]
			}
		}
		if d > 0 {
			n := 0.0
			for _, r := range atRisk {
				n += r
			}
			f := 0.0
			if n > 1 {
				f = d * (n - d) / (n - 1)
			}
			for g := range k {
				o[g] += dg[g]
				e[g] += d * atRisk[g] / n
				if f == 0 || atRisk[g] == 0 {
					continue
				}
				pg := atRisk[g] / n
				for h := range k {
					delta := 0.0
					if g == h {
						delta = 1
					}
					v[g*k+h] += f * pg * (delta - atRisk[h]/n)
				}
			}
		}
		for g := range k {
			atRisk[g] -= dg[g] + cg[g]
		}
	}
	var keep []int
	for g := range k {
		if e[g] > 0 {
			keep = append(keep, g)
		}
	}
	if len(keep) < 2 {
		return math.NaN(), max(len(keep)-1, 0), math.NaN()
	}
	keep = keep[1:]
	df = len(keep)
	u := mat.NewVecDense(df, nil)
	vs := mat.NewSymDense(df, nil)
	for a, g := range keep {
		u.SetVec(a, o[g]-e[g])
		for b, h := range keep[a:] {
			vs.SetSym(a, a+b, v[g*k+h])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(vs) {
		return math.NaN(), df, math.NaN()
	}
	var x mat.VecDense
	if err := chol.SolveVecTo(&x, u); err != nil {
		return math.NaN(), df, math.NaN()
	}
	chi2 = mat.Dot(u, &x)
	p = distuv.ChiSquared{K: float64(df)}.Survival(chi2)
	return chi2, df, p
}
