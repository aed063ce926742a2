package experiment

import "github.com/smbsim/smbsim/stats"

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

// table returns the counts as a stats.LifeTable, one row per tick with
// any event or censoring.
func (lt *lifeTable) table() stats.LifeTable {
	var st stats.LifeTable
	for t := range lt.events {
		if lt.events[t] == 0 && lt.censored[t] == 0 {
			continue
		}
		st.T = append(st.T, float64(t))
		st.Events = append(st.Events, lt.events[t])
		st.Censored = append(st.Censored, lt.censored[t])
	}
	return st
}

// kaplanMeier is stats.KaplanMeier computed from the counts (through the
// shared stats.LifeTable core, so the same bits): a leading point at t = 0
// with survival 1, then one point per event time; Greenwood variance;
// log-log intervals at the given level.
func (lt *lifeTable) kaplanMeier(level float64) []stats.KMPoint {
	return lt.table().KaplanMeier(level)
}

// logRank is stats.LogRank computed from count tables: the k-sample
// log-rank (Mantel–Haenszel) test, chi-squared on k−1 degrees of freedom,
// with groups that have no expected events left out.
func logRank(groups []*lifeTable) (chi2 float64, df int, p float64) {
	tables := make([]stats.LifeTable, len(groups))
	for g, lt := range groups {
		tables[g] = lt.table()
	}
	return stats.LogRankTables(tables)
}
