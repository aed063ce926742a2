package scenarios

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestTableLayouts checks TOML 1.0's rules on defining tables, a table
// layout per case: a table is defined once (by a header, by dotted keys or
// by an inline table); an inline table is complete; dotted keys do not add
// to a table its own header defined. The TOML library accepts the
// layouts of the second group: the scanner refuses them with the line and
// key of the second definition. Valid layouts (line 0) pass the scanner
// and the library (the scenario's keys are checked later).
func TestTableLayouts(t *testing.T) {
	const mix3 = "imitator = 1.0, innovator = 0.0, specialist = 0.0"
	cases := []struct {
		name string
		src  string
		line int    // 0: valid
		key  string // the problem's key ("" for the library's messages)
		want string // in the message
	}{
		// Valid layouts.
		{"dotted keys", "population.mix.imitator = 0.5\npopulation.mix.innovator = 0.5\npopulation.mix.specialist = 0.0\npopulation.mix.adaptive = 0.0\n", 0, "", ""},
		{"super-table after its sub-table", "[population.mix]\nimitator = 1.0\ninnovator = 0.0\nspecialist = 0.0\nadaptive = 0.0\n[population]\nfirms = 100\n", 0, "", ""},
		{"sub-table of a dotted table", "[population]\nmix.imitator = 1.0\n[population.mix.x]\n", 0, "", ""},
		{"header then other entries", "[[variants]]\nname = \"a\"\n[variants.population]\nfirms = 100\n[[variants]]\nname = \"b\"\n", 0, "", ""},
		{"dotted keys inside an inline table", "[population]\nmix = { imitator.x = 1 }\n", 0, "", ""},
		{"implicit table then dotted keys", "[population.mix.x]\n[population]\nmix.y = 1\n", 0, "", ""},
		// Refused by the scanner (the library accepts them).
		{"dotted then header", "market.base_margin = 0.3\n[market]\nsectors = 2\n", 2, "market", "already defined by dotted keys at line 1"},
		{"dotted from the top, header later", "population.firms = 100\n[market]\nsectors = 2\n[population]\ninitial_cash = 10\n", 4, "population", "already defined by dotted keys at line 1"},
		{"dotted in a table, header later", "[population]\nmix.imitator = 1.0\nmix.innovator = 0.0\n[population.mix]\nspecialist = 0.0\nadaptive = 0.0\n", 4, "population.mix", "already defined by dotted keys at line 2"},
		{"dotted in an entry, header later", "[[variants]]\nname = \"a\"\npopulation.firms = 100\n[variants.population]\ninitial_cash = 10\n", 4, "variants[1].population", "already defined by dotted keys at line 3"},
		{"inline extended by a dotted key", "market = { sectors = 2 }\nmarket.base_margin = 0.3\n", 2, "market", "inline table (line 1) is complete"},
		{"nested inline extended by a dotted key", "[population]\nmix = { " + mix3 + " }\nmix.adaptive = 0.0\n", 3, "population.mix", "inline table (line 2) is complete"},
		{"inline extended deeper", "population = { mix = { " + mix3 + " } }\npopulation.mix.adaptive = 0.0\n", 2, "population", "inline table (line 1) is complete"},
		{"inline in an entry extended", "[[variants]]\nname = \"a\"\npopulation = { firms = 100 }\npopulation.initial_cash = 10\n", 4, "variants[1].population", "inline table (line 3) is complete"},
		{"inline extended by a sub-table header", "population = { firms = 100 }\n[population.mix]\nimitator = 1.0\n", 2, "population", "inline table (line 1) is complete"},
		{"inline extended by its header", "[population]\nmix = { " + mix3 + " }\n[population.mix]\nadaptive = 0.0\n", 3, "population.mix", "inline table (line 2) is complete"},
		{"header then dotted keys from its parent", "[population.mix]\nimitator = 1.0\ninnovator = 0.0\nspecialist = 0.0\n[population]\nmix.adaptive = 0.0\n", 6, "population.mix", "defined by its [population.mix] header at line 1"},
		// Refused by the library.
		{"header twice", "[market]\nsectors = 2\n[market]\nbase_margin = 0.3\n", 3, "", "already been defined"},
		{"inline then its header", "market = { sectors = 2 }\n[market]\nbase_margin = 0.3\n", 2, "market", "inline table (line 1) is complete"},
		{"static array then [[ ]]", "shocks = [{ kind = \"downturn\", tick = 100 }]\n[[shocks]]\nkind = \"downturn\"\ntick = 200\n", 2, "", "cannot be used as an array"},
		{"array of tables then header", "[[shocks]]\nkind = \"downturn\"\ntick = 100\n[shocks]\n", 4, "", "already been defined"},
		{"value then sub-table", "market.base_margin = 0.3\nmarket.base_margin.x = 1\n", 2, "", "already been defined"},
		{"three-part dotted then header", "population.mix.imitator = 1.0\npopulation.mix.innovator = 0.0\npopulation.mix.specialist = 0.0\npopulation.mix.adaptive = 0.0\n[population]\nfirms = 100\n", 5, "population", "already defined by dotted keys at line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.line == 0 {
				if _, _, err := decodeChecked(context.Background(), "layout.toml", []byte(c.src)); err != nil {
					t.Fatalf("refused a valid layout:\n%s\n%v", c.src, err)
				}
				return
			}
			_, err := Parse("layout.toml", []byte(c.src))
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("accepted an invalid layout (or no problem): %v\n%s", err, c.src)
			}
			p := e.Problems[0]
			if p.File != "layout.toml" || p.Line != c.line || (c.key != "" && p.Key != c.key) || !strings.Contains(p.Msg, c.want) {
				t.Errorf("got %s (line %d, key %q), want line %d, key %q, %q", p.String(), p.Line, p.Key, c.line, c.key, c.want)
			}
		})
	}
}

// A problem echoes at most a few KB of its input, however long the
// --set, key or value it names.
func TestProblemsBounded(t *testing.T) {
	huge := strings.Repeat("[", 100_000)
	s := Default()
	cases := map[string]error{
		"--set value": s.Set("meta.description=" + huge),
		"--set key":   s.Set(strings.Repeat("a.", 20_000) + "a=1"),
		"long number": func() error {
			_, err := Parse("n.toml", []byte("[simulation]\nticks = "+strings.Repeat("9", 900_000)+"\n"))
			return err
		}(),
		"long key": func() error {
			_, err := Parse("k.toml", []byte("[market]\n"+strings.Repeat("k", 500_000)+" = 1\n"))
			return err
		}(),
		"long snippet": func() error {
			_, err := Parse("s.toml", []byte("[meta]\ndescription = \"x\" "+strings.Repeat("y", 500_000)+"\n"))
			return err
		}(),
	}
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if n := len(err.Error()); n > 8000 {
			t.Errorf("%s: a message of %d bytes", name, n)
		}
	}
	if got := shorten("ab€cd", 3); got != "ab… (5 bytes more)" {
		t.Errorf("shorten cuts inside a character: %q", got)
	}
}
