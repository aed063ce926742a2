package longtest

import "testing"

func TestLookup(t *testing.T) {
	for _, c := range []struct {
		list, name, value string
		ok                bool
	}{
		{"", "horizons", "", false},
		{"horizons", "horizons", "", true},
		{"rugged, demography=20", "demography", "20", true},
		{"demography=20", "horizons", "", false},
		{"all", "memory", "", true},
		{"all,demography=5", "demography", "5", true},
		{"horizonsx", "horizons", "", false},
	} {
		v, ok := lookup(c.list, c.name)
		if v != c.value || ok != c.ok {
			t.Errorf("lookup(%q, %q) = %q, %v; want %q, %v", c.list, c.name, v, ok, c.value, c.ok)
		}
	}
}
