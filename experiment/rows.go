package experiment

import (
	"fmt"

	"github.com/smbsim/smbsim/agents"
	"github.com/smbsim/smbsim/results"
)

// A run's firms and top strategies as rows of firms.csv and strategies.csv,
// and back (merge and --resume). A new column is its field and bind line
// in package results plus one line in each direction here.

func firmRow(variant string, seed uint64, f *Firm) results.FirmRow {
	row := results.FirmRow{Variant: variant, Seed: seed, Firm: f.ID, Type: f.Type.String(), Sector: f.Sector,
		Born: f.Born, Died: f.Died, Censored: f.Censored(), Initial: f.Initial, Final: f.Final,
		Age: f.Age, Size: f.Size, Revenue: f.Revenue}
	if f.Censored() {
		row.Died = -1
	}
	return row
}

func firmOf(row *results.FirmRow) (Firm, error) {
	t, ok := typeByName[row.Type]
	if !ok {
		return Firm{}, fmt.Errorf("unknown firm type %q", row.Type)
	}
	f := Firm{ID: row.Firm, Type: t, Sector: row.Sector, Born: row.Born, Died: row.Died, Initial: row.Initial, Final: row.Final,
		Age: row.Age, Size: row.Size, Revenue: row.Revenue}
	if row.Censored {
		f.Died = -1
	}
	return f, nil
}

var typeByName = func() map[string]agents.Type {
	m := map[string]agents.Type{}
	for i, n := range agents.TypeNames() {
		m[n] = agents.Type(i)
	}
	return m
}()

func shareRow(variant string, seed uint64, s *results.ShareRow) results.ShareRow {
	row := *s
	row.Variant, row.Seed = variant, seed
	return row
}

func shareOf(row *results.ShareRow) results.ShareRow {
	s := *row
	s.Variant, s.Seed = "", 0
	return s
}

func topRow(variant string, seed uint64, t *TopRow) results.StrategyRow {
	return results.StrategyRow{Variant: variant, Seed: seed, Tick: t.Tick, Rank: t.Rank, Strategy: t.Strategy, Share: t.Share}
}

func topOf(row *results.StrategyRow) TopRow {
	return TopRow{Tick: row.Tick, Rank: row.Rank, Strategy: row.Strategy, Share: row.Share}
}
