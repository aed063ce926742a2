package stats

import (
	"fmt"
	"math"
)

// LifeTable summarises right-censored survival data by counts: for each
// distinct time, in strictly ascending order, how many events and how many
// censorings were observed at that time. It is all that KaplanMeier and
// LogRank need, so callers that cannot keep every Lifetime in memory (for
// example lifetimes pooled over many simulation runs on an integer clock)
// can accumulate counts instead and get bit-identical results from
// LifeTable.KaplanMeier and LogRankTables.
//
// T, Events and Censored must have the same length; T must be strictly
// increasing, non-negative and not NaN (+Inf is allowed); counts must be
// non-negative. Rows with no events and no censorings are allowed and have
// no effect.
type LifeTable struct {
	T        []float64 // distinct observed times, strictly ascending
	Events   []int     // Events[i]: number of events at T[i]
	Censored []int     // Censored[i]: number censored at T[i]
}

// NewLifeTable counts data into a LifeTable: one row per distinct T (times
// compared with ==, so −0 and +0 share a row), in ascending order. The input
// is not modified. NewLifeTable panics if any T is NaN or negative.
func NewLifeTable(data []Lifetime) LifeTable {
	s := sortLifetimes(data)
	var lt LifeTable
	for i := 0; i < len(s); {
		// The row's time is that of its first observation in the stable
		// sort order (events first), as KaplanMeier has always reported.
		t := s[i].T
		d, c := 0, 0
		for ; i < len(s) && s[i].T == t; i++ {
			if s[i].Event {
				d++
			} else {
				c++
			}
		}
		lt.T = append(lt.T, t)
		lt.Events = append(lt.Events, d)
		lt.Censored = append(lt.Censored, c)
	}
	return lt
}

// N returns the number of subjects in the table: the sum of all events and
// censorings.
func (lt LifeTable) N() int {
	n := 0
	for i := range lt.Events {
		n += lt.Events[i] + lt.Censored[i]
	}
	return n
}

// check panics if lt does not satisfy the LifeTable invariants.
func (lt LifeTable) check() {
	if len(lt.Events) != len(lt.T) || len(lt.Censored) != len(lt.T) {
		panic(fmt.Sprintf("stats: LifeTable has %d times, %d event counts and %d censoring counts",
			len(lt.T), len(lt.Events), len(lt.Censored)))
	}
	for i, t := range lt.T {
		if math.IsNaN(t) || t < 0 {
			panic(fmt.Sprintf("stats: invalid LifeTable time T=%v (must be >= 0)", t))
		}
		if i > 0 && !(t > lt.T[i-1]) {
			panic(fmt.Sprintf("stats: LifeTable times not strictly ascending: %v after %v", t, lt.T[i-1]))
		}
		if lt.Events[i] < 0 || lt.Censored[i] < 0 {
			panic(fmt.Sprintf("stats: negative LifeTable count at T=%v", t))
		}
	}
}

// KaplanMeier computes the Kaplan–Meier estimate with Greenwood standard
// errors and log-log confidence intervals at the given level from the
// counts, with exactly the conventions and results of the package-level
// KaplanMeier applied to the lifetimes the table counts. A table with no
// subjects returns nil. It panics if level is not in (0, 1) or if lt is
// not a valid LifeTable.
func (lt LifeTable) KaplanMeier(level float64) []KMPoint {
	checkLevel(level)
	lt.check()
	total := lt.N()
	if total == 0 {
		return nil
	}
	z := zQuantile((1 + level) / 2)

	pts := []KMPoint{{T: 0, AtRisk: total, Survival: 1, Low: 1, High: 1}}
	remaining := total
	surv, gw := 1.0, 0.0 // running S and Greenwood sum
	for i, t := range lt.T {
		d, c := lt.Events[i], lt.Censored[i]
		if d == 0 {
			pts[len(pts)-1].Censored += c
			remaining -= c
			continue
		}
		n := remaining
		surv *= float64(n-d) / float64(n)
		if d == n {
			surv = 0 // exact, and makes the Greenwood term +Inf below
		}
		gw += float64(d) / (float64(n) * float64(n-d))
		p := KMPoint{T: t, AtRisk: n, Events: d, Censored: c, Survival: surv}
		p.SE, p.Low, p.High = kmConf(surv, gw, z)
		pts = append(pts, p)
		remaining -= d + c
	}
	return pts
}
