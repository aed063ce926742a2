package experiment

import "testing"

// The entrants group holds exactly the firms founded during the run, by age;
// the initial cohort exactly the firms present at tick 0, by age (founded
// at tick 0, their age is the calendar tick).
func TestSurvivalGroupsSplitInitialFirmsAndEntrants(t *testing.T) {
	a := newAggregator(testPlan(CommandRun, 1))
	firms := []Firm{
		{ID: 0, Born: 0, Died: 5},   // initial, exits at tick 5
		{ID: 1, Born: 0, Died: -1},  // initial, alive at the end (tick 30)
		{ID: 2, Born: 10, Died: 22}, // entrant, exits aged 12
		{ID: 3, Born: 20, Died: -1}, // entrant, censored aged 10
	}
	if err := a.add(&RunResult{Variant: 0, Seed: 1, LastTick: 30, Firms: firms}); err != nil {
		t.Fatal(err)
	}
	va := &a.variants[0]
	check := func(g int, events, censored map[int]int) {
		t.Helper()
		lt := va.survival[g]
		total := 0
		for _, n := range events {
			total += n
		}
		for _, n := range censored {
			total += n
		}
		if lt.n != total {
			t.Errorf("%s: %d lifetimes, want %d", groupName(g), lt.n, total)
		}
		for at, n := range events {
			if at >= len(lt.events) || lt.events[at] != n {
				t.Errorf("%s: events at %d = %v, want %d", groupName(g), at, lt.events, n)
			}
		}
		for at, n := range censored {
			if at >= len(lt.censored) || lt.censored[at] != n {
				t.Errorf("%s: censored at %d = %v, want %d", groupName(g), at, lt.censored, n)
			}
		}
	}
	check(groupInitial, map[int]int{5: 1}, map[int]int{30: 1})
	check(groupEntrants, map[int]int{12: 1}, map[int]int{10: 1})
	check(groupAll, map[int]int{5: 1, 12: 1}, map[int]int{30: 1, 10: 1})
	if groupName(groupEntrants) != "entrants" {
		t.Errorf("group name %q", groupName(groupEntrants))
	}
}
