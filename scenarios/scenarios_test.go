package scenarios

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smbsim/smbsim/sim"
)

func mustParse(tb testing.TB, name, src string) *Scenario {
	tb.Helper()
	s, err := Parse(name, []byte(src))
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return s
}

func write(tb testing.TB, s *Scenario) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := s.WriteTOML(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip checks that parse(write(s)) writes identically and equals s.
func roundTrip(tb testing.TB, s *Scenario) {
	tb.Helper()
	out := write(tb, s)
	s2, err := Parse(s.Path, out)
	if err != nil {
		tb.Fatalf("re-parse of WriteTOML output: %v\n%s", err, out)
	}
	if out2 := write(tb, s2); !bytes.Equal(out, out2) {
		tb.Fatalf("WriteTOML not stable:\n%s\n----\n%s", out, out2)
	}
	if s.Hash() != s2.Hash() {
		tb.Fatalf("hash changed over a round trip")
	}
	if !reflect.DeepEqual(s.Config(), s2.Config()) {
		tb.Fatalf("Config changed over a round trip")
	}
}

func TestBuiltins(t *testing.T) {
	infos := Builtins()
	want := []string{"axelrod", "balanced-mix", "baseline", "compare-mixes", "cross-sector", "downturn", "echo-chamber", "imitation-heavy", "innovation-heavy", "lazer-friedman", "platform-dominance", "shock-battery", "shock-kinds", "sources-of-homogeneity"}
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("Builtins() = %v, want %v", names, want)
	}
	for _, in := range infos {
		t.Run(in.Name, func(t *testing.T) {
			if in.Purpose == "" {
				t.Error("no purpose comment on the first line")
			}
			s, err := Open(in.Name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != in.Name {
				t.Errorf("Name = %q", s.Name)
			}
			if err := s.Validate(); err != nil {
				t.Fatal(err)
			}
			c := s.Config()
			if err := c.Validate(); err != nil {
				t.Fatalf("engine rejects the config: %v", err)
			}
			if in.Name != "axelrod" && (s.Population.Firms > 2000 || s.Simulation.Ticks > 600) {
				t.Errorf("built-in too slow for a workshop: %d firms, %d ticks", s.Population.Firms, s.Simulation.Ticks)
			}
			roundTrip(t, s)
			if h1, h2 := s.Hash(), s.Hash(); h1 != h2 || len(h1) != 64 {
				t.Errorf("Hash unstable or malformed: %s %s", h1, h2)
			}
			if _, err := s.Variants(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	s := Default()
	if s.Name != "baseline" || s.Population.Firms != 1000 || s.Simulation.Ticks != 500 || s.Runs.Seeds != 10 {
		t.Errorf("Default() = %s, %d firms, %d ticks, %d seeds", s.Name, s.Population.Firms, s.Simulation.Ticks, s.Runs.Seeds)
	}
	if len(s.Shocks) != 1 || s.Shocks[0] != (sim.Shock{Kind: sim.DemandShift, Tick: 300, Severity: 0.5, Sector: -1, Segment: 0, Dimension: -1, Option: -1, Target: sim.TargetCommon}) {
		t.Errorf("Default() shocks = %+v", s.Shocks)
	}
	if got := s.Seeds(); !reflect.DeepEqual(got, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("Seeds() = %v", got)
	}
	if s.Every() != 1 || s.ShockWindow() != 50 {
		t.Errorf("Every, ShockWindow = %d, %d", s.Every(), s.ShockWindow())
	}
	// Default returns a fresh copy each time.
	s.Population.Firms = 3
	if Default().Population.Firms != 1000 {
		t.Error("Default() shares state")
	}
}

// The empty file is the engine's DefaultConfig, with no shocks.
func TestEmptyFileIsEngineDefault(t *testing.T) {
	s := mustParse(t, "empty.toml", "")
	if s.Name != "empty" {
		t.Errorf("Name = %q", s.Name)
	}
	want := sim.DefaultConfig()
	if got := s.Config(); !reflect.DeepEqual(got, want) {
		t.Errorf("Config() = %+v\nwant %+v", got, want)
	}
	roundTrip(t, s)
}

// Every field of sim.Config is a declared parameter (or table) of the
// file, found by walking the engine's type on its own: a field added
// without its declaration fails here. Each declared key then reaches its
// field, is documented, is listed by the reference and the starter file,
// and can be set with --set: that is what declaring a parameter once buys.
func TestEveryEngineFieldIsAParameter(t *testing.T) {
	ref := referenceMarkdown()
	starter, err := Starter("baseline")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(tp reflect.Type, prefix string, goPath []int)
	n := 0
	walk = func(tp reflect.Type, prefix string, goPath []int) {
		for i := range tp.NumField() {
			f := tp.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if key == "" || key == "-" {
				t.Errorf("sim.Config field %s.%s has no toml key: declare it (toml, range or allowed, doc)", tp.Name(), f.Name)
				continue
			}
			if f.Tag.Get("doc") == "" {
				t.Errorf("%s has no doc tag", join(prefix, key))
			}
			p := join(prefix, key)
			switch {
			case f.Type.Kind() == reflect.Struct:
				walk(f.Type, p, append(slices.Clip(goPath), i))
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				walk(f.Type.Elem(), p, nil)
			default:
				n++
				checkParameter(t, p, f, append(slices.Clip(goPath), i), ref, string(starter))
			}
		}
	}
	walk(reflect.TypeFor[sim.Config](), "", nil)
	if n < 60 {
		t.Errorf("only %d parameters found", n)
	}
}

// checkParameter checks that the engine key path (a field reached by
// goPath from sim.Config, or a shock key) is documented in the reference
// and the starter file and can be set with --set, reaching the engine.
func checkParameter(t *testing.T, path string, f reflect.StructField, goPath []int, ref, starter string) {
	t.Helper()
	section, leaf := path[:strings.LastIndexByte(path, '.')], path[strings.LastIndexByte(path, '.')+1:]
	if !strings.Contains(ref, "| `"+leaf+"` |") || !strings.Contains(ref, "`["+section+"]`") && !strings.Contains(ref, "`[["+section+"]]`") {
		t.Errorf("%s is not in the reference", path)
	}
	if !regexp.MustCompile(`(?m)^#? ?` + regexp.QuoteMeta(leaf) + ` = `).MatchString(starter) {
		t.Errorf("%s is not in the starter file", path)
	}
	s := Default()
	key := path
	if strings.HasPrefix(path, "shocks.") {
		key = "shocks[1]." + leaf
	}
	_, typ, err := resolveKey(key)
	if err != nil {
		t.Errorf("--set %s: %v", key, err)
		return
	}
	// Set the key to a value other than its default and find it in the
	// engine's configuration. Values out of a key's own range are refused
	// at once, so try a few.
	var values []string
	var wants []any
	switch {
	case f.Tag.Get("ref") == "dimension":
		values, wants = []string{"marketing"}, []any{0}
	case typ.Kind() == reflect.Int:
		for _, v := range []int{7, 2, 1, 0} {
			values, wants = append(values, strconv.Itoa(v)), append(wants, v)
		}
	case typ.Kind() == reflect.Float64:
		values, wants = []string{"0.0625"}, []any{0.0625}
	case typ.Kind() == reflect.Bool:
		cur := lookupBool(s, key)
		values, wants = []string{strconv.FormatBool(!cur)}, []any{!cur}
	case typ.Kind() == reflect.String:
		value := "zz"
		if e, ok := reflect.Zero(typ).Interface().(interface{ Values() []string }); ok {
			value = e.Values()[len(e.Values())-1]
		}
		values, wants = []string{value}, []any{value}
	case typ.Kind() == reflect.Slice:
		values, wants = []string{"[a, b, c]", "[platform:channel]"}, []any{[]string{"a", "b", "c"}, []string{"platform:channel"}}
	}
	if key == "shocks[1].dimension" {
		s = mustSet(t, s, "shocks[1].kind=tech_disruption")
	}
	if key == "culture.engine" { // only a culture world has an engine to choose
		if s, err = Open("axelrod"); err != nil {
			t.Fatal(err)
		}
	}
	if key == "shocks[1].target" { // only a shock that hits an option chooses one
		s = mustSet(t, s, "shocks[1].kind=tech_disruption", "shocks[1].dimension=marketing")
	}
	var st *Scenario
	var value string
	var want any
	for i, v := range values {
		st = s.clone()
		if err := st.Set(key + "=" + v); err == nil {
			value, want = v, wants[i]
			break
		}
		st = nil
	}
	if st == nil {
		t.Errorf("--set %s: no value of %v accepted", key, values)
		return
	}
	c := st.Config()
	cv := reflect.ValueOf(c)
	if strings.HasPrefix(path, "shocks.") {
		cv = cv.FieldByName("Shocks").Index(0).FieldByIndex(goPath)
	} else {
		cv = cv.FieldByIndex(goPath)
	}
	got := cv.Interface()
	if cv.Kind() == reflect.String {
		got = cv.String()
	} else if cv.Kind() == reflect.Int {
		got = int(cv.Int())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("--set %s=%s gives %v in sim.Config, want %v", key, value, got, want)
	}
}

func lookupBool(s *Scenario, key string) bool {
	v, _ := lookup(s.toTable(), key)
	b, _ := v.(bool)
	return b
}

func TestKeyDocsCoverSchema(t *testing.T) {
	documented := map[string]bool{}
	for _, k := range keyDocs {
		if documented[k.path] {
			t.Errorf("%s documented twice", k.path)
		}
		documented[k.path] = true
		if !isLeaf(k.path) {
			t.Errorf("keyDocs has %s, which is not a key", k.path)
		}
		if k.allowed == "" || k.meaning == "" {
			t.Errorf("%s: missing allowed or meaning", k.path)
		}
	}
	for _, k := range knownKeys {
		if isLeaf(k) && !documented[k] {
			t.Errorf("key %s is not documented in keyDocs", k)
		}
	}
}

// badCase is a file that must fail with messages containing each of want.
type badCase struct {
	name string
	src  string
	want []string
}

var badCases = []badCase{
	// Syntax.
	{"unclosed string", "[meta]\nname = \"abc\n", []string{"bad.toml:2:", "syntax error", "strings cannot contain newlines", `2 | name = "abc`, "^"}},
	{"missing =", "[simulation]\nticks 500\n", []string{"bad.toml:2:7:", "syntax error", "ticks 500", "^"}},
	{"duplicate key", "[simulation]\nticks = 5\nticks = 6\n", []string{"bad.toml:3:", "simulation.ticks", "already been defined"}},
	{"duplicate table", "[market]\n[network]\n[market]\n", []string{"bad.toml:3:", "syntax error", "'market' has already been defined"}},
	{"bad float", "[market]\nbase_margin = 0.3.3\n", []string{"bad.toml:2:", "market.base_margin", "0.3.3"}},
	// Unknown keys and tables.
	{"unknown key, same table", "[market]\nmargin = 0.3\n", []string{`bad.toml:2:1: market.margin: unknown key; did you mean "market.base_margin"?`}},
	{"unknown key, other table", "[market]\n\nfirms = 10\n", []string{`bad.toml:3:1: market.firms: unknown key; did you mean "population.firms"`}},
	{"unknown key, typo", "[behaviour]\nrevison = 0.2\n", []string{`bad.toml:2:1: behaviour.revison: unknown key; did you mean "behaviour.revision"?`}},
	{"unknown key, no match", "[biases]\nzzz = 1\n", []string{"bad.toml:2:1: biases.zzz: unknown key (keys in [biases]: herding, herding_threshold", "media_top)"}},
	{"unknown table", "[markt]\nsectors = 2\n", []string{`bad.toml:1:1: markt: unknown table; did you mean "market"?`}},
	{"top-level key", "ticks = 500\n", []string{`bad.toml:1:1: ticks: unknown key; did you mean "simulation.ticks"?`}},
	{"unknown mix key", "[population.mix]\nimitators = 0.4\n", []string{`bad.toml:2:1: population.mix.imitators: unknown key; did you mean "population.mix.imitator"?`}},
	{"unknown shock key", "[[shocks]]\nkind = \"downturn\"\ntick = 5\nseverty = 0.2\n", []string{`bad.toml:4:1: shocks[1].severty: unknown key; did you mean "shocks[1].severity"?`}},
	{"dotted unknown key", "market.base_margn = 0.1\n", []string{`bad.toml:1:1: market.base_margn: unknown key; did you mean "market.base_margin"?`}},
	// Types.
	{"string for int", "[simulation]\nticks = \"500\"\n", []string{`bad.toml:2:1: simulation.ticks: expected an integer, got "500" (a string)`}},
	{"float for int", "[strategy]\noptions = 1.5\n", []string{"bad.toml:2:1: strategy.options: expected an integer, got 1.5 (a float)"}},
	{"string for float", "[market]\nbase_margin = \"high\"\n", []string{`bad.toml:2:1: market.base_margin: expected a number, got "high" (a string)`}},
	{"int for bool", "[market]\nenabled = 1\n", []string{"bad.toml:2:1: market.enabled: expected true or false, got 1 (an integer)"}},
	{"array element", "[strategy]\ndimensions = [\"a\", 2]\n", []string{"bad.toml:2:1: strategy.dimensions: expected an array of strings, but element 2 is 2 (an integer)"}},
	{"scalar for table", "market = 3\n", []string{"bad.toml:1:1: market: expected a table, got 3 (an integer)"}},
	{"negative seed", "[simulation]\nbase_seed = -1\n", []string{"bad.toml:2:1: simulation.base_seed: expected a non-negative integer, got -1"}},
	// Ranges.
	{"ticks 0", "[simulation]\nticks = 0\n", []string{"bad.toml:2:1: simulation.ticks: must be an integer between 1 and 10000000, got 0"}},
	{"seeds 0", "[simulation]\nseeds = 0\n", []string{"bad.toml:2:1: simulation.seeds: must be an integer between 1 and 100000, got 0"}},
	{"schedule", "[simulation]\nschedule = \"sync\"\n", []string{`bad.toml:2:1: simulation.schedule: must be "synchronous" or "asynchronous", got "sync"`}},
	{"base margin", "[market]\nbase_margin = 2\n", []string{"bad.toml:2:1: market.base_margin: must be between 0 and 1, got 2.0"}},
	{"herding", "[biases]\nherding = -0.1\n", []string{"bad.toml:2:1: biases.herding: must be between 0 and 1, got -0.1"}},
	{"imitator share", "[population]\nimitator_share = 1.5\n", []string{"bad.toml:2:1: population.imitator_share: must be −1 (off: population.mix as given) or between 0 and 1, got 1.5"}},
	{"imitator share without others", "[population]\nimitator_share = 0.5\n[population.mix]\nimitator = 1.0\ninnovator = 0.0\nspecialist = 0.0\nadaptive = 0.0\n", []string{"bad.toml:2:1: population.imitator_share: must be 1 or −1 when population.mix gives every firm to imitators"}},
	{"profit memory", "[behaviour]\nprofit_memory = 0\n", []string{"bad.toml:2:1: behaviour.profit_memory: must be between 0.001 and 1, got 0.0"}},
	{"dpi", "[output]\ndpi = 10\n", []string{"bad.toml:2:1: output.dpi: must be an integer between 30 and 600, got 10"}},
	{"every beyond ticks", "[simulation]\nticks = 100\n[output]\nevery = 200\n", []string{"bad.toml:4:1: output.every: must be an integer between 1 and 100, got 200"}},
	{"formats", "[output]\nformats = [\"png\", \"gif\", \"png\"]\n", []string{`bad.toml:2:1: output.formats: unknown format "gif"`, `format "png" is listed twice`}},
	{"network kind", "[network]\nkind = \"smallworld\"\n", []string{"bad.toml:2:1: network.kind: must be one of complete, ring, lattice, small_world"}},
	{"mix sum", "[population.mix]\nimitator = 0.9\n", []string{"bad.toml:1:1: population.mix: shares must sum to 1 (imitator 0.9 + innovator 0.2"}},
	{"inline mix sum", "[population]\nmix = { imitator = 0.5, innovator = 0.5, specialist = 0.5, adaptive = 0 }\n", []string{"bad.toml:2:1: population.mix: shares must sum to 1"}},
	{"shock beyond ticks", "[simulation]\nticks = 100\n\n[[shocks]]\nkind = \"downturn\"\ntick = 300\n", []string{"bad.toml:6:1: shocks[1].tick: must be an integer between 1 and 100, got 300"}},
	{"shock missing kind", "[[shocks]]\ntick = 3\n", []string{"bad.toml:1:1: shocks[1].kind: is required: one of demand_shift"}},
	{"second shock severity", "[[shocks]]\nkind = \"downturn\"\ntick = 3\n[[shocks]]\nkind = \"downturn\"\ntick = 4\nseverity = 1.5\n", []string{"bad.toml:7:1: shocks[2].severity: must be in (0, 1], got 1.5"}},
	{"options over 64 bits", "[strategy]\noptions = 65536\n", []string{"bad.toml:1:1: strategy.dimensions: 8 dimensions × 16 bits per practice", "must fit in 64 bits (at most 4 dimensions with 65536 options)"}},
	{"degree ≥ firms", "[population]\nfirms = 8\n[network]\ndegree = 8\n", []string{"bad.toml:4:1: network.degree: must be even, at least 2 and less than population.firms (8), got 8"}},
	{"degree default, line of table", "[population]\nfirms = 6\n\n[network]\nkind = \"ring\"\n", []string{"bad.toml:4:1: network.degree: must be even, at least 2 and less than population.firms (6), got 8"}},
	{"lattice size", "[population]\nfirms = 100\n[network]\nkind = \"lattice\"\nwidth = 10\nheight = 5\n", []string{"bad.toml:5:1: network.width: network.width × network.height (10 × 5) must equal population.firms (100)"}},
	{"unknown platform", "[strategy]\nplatform = \"platfrom\"\n", []string{`bad.toml:2:1: strategy.platform: unknown dimension "platfrom" (dimensions: marketing, operations, product, pricing, channel, platform, automation, culture; did you mean "platform"?)`}},
	{"platform gone with dimensions", "[strategy]\ndimensions = [\"a\", \"b\"]\nautomation = \"\"\n", []string{`bad.toml:1:1: strategy.platform: unknown dimension "platform" (dimensions: a, b; use "" for no platform dimension)`}},
	{"shock dimension", "[[shocks]]\nkind = \"tech_disruption\"\ntick = 10\ndimension = \"prodcut\"\n", []string{`bad.toml:4:1: shocks[1].dimension: unknown dimension "prodcut"`, `did you mean "product"?`}},
	{"tech disruption needs dimension", "[[shocks]]\nkind = \"tech_disruption\"\ntick = 10\n", []string{"bad.toml:1:1: shocks[1].dimension: a tech_disruption shock needs a dimension (one of: marketing"}},
	{"meta name", "[meta]\nname = \"my run\"\n", []string{`bad.toml:2:1: meta.name: must be 1 to 100 letters, digits, '-', '_' or '.'`, `got "my run"`}},
	{"enum did you mean", "[network]\nkind = \"smal_world\"\n", []string{`bad.toml:2:1: network.kind: must be one of complete, ring, lattice, small_world, scale_free, random, sector_block, got "smal_world"; did you mean "small_world"?`}},
	{"enum of two, no hint naming both", "[simulation]\nschedule = \"sync\"\n", []string{`bad.toml:2:1: simulation.schedule: must be "synchronous" or "asynchronous", got "sync"`}},
	{"decimal comma", "[biases]\nherding = \"0,5\"\n", []string{`bad.toml:2:1: biases.herding: expected a number, got "0,5" (a string); write 0.5: numbers take a decimal point, not a comma`}},
	{"thousands separator", "[population]\nfirms = \"1,000\"\n", []string{`bad.toml:2:1: population.firms: expected an integer, got "1,000" (a string); write 1000 without a thousands separator`}},
	// Variants.
	{"variant mix", "[[variants]]\nname = \"imitators\"\npopulation.mix = { imitator = 0.8, innovator = 0.1, specialist = 0.05 }\n", []string{"bad.toml:3:1: variants[1] (imitators): population.mix: shares must sum to 1"}},
	{"variant unknown key", "[[variants]]\nname = \"a\"\n[variants.market]\nbase_margn = 0.1\n", []string{`bad.toml:4:1: variants[1] (a): market.base_margn: unknown key; did you mean "market.base_margin"?`}},
	{"variant range", "[[variants]]\nname = \"a\"\n[[variants]]\nname = \"big\"\nnetwork.degree = 2000\n", []string{"bad.toml:5:1: variants[2] (big): network.degree: must be even, at least 2 and less than population.firms (1000), got 2000"}},
	{"variant without name", "[[variants]]\nbiases.herding = 0.5\n", []string{`bad.toml:1:1: variants[1]: a variant needs a name (name = "…")`}},
	{"variant duplicate name", "[[variants]]\nname = \"a\"\n[[variants]]\nname = \"a\"\n", []string{`bad.toml:4:1: variants[2].name: variant name "a" is already used by variants[1]`}},
	{"focus unknown", "[meta]\nfocus = \"imitator\"\n[[variants]]\nname = \"imitators\"\n[[variants]]\nname = \"mixed\"\n", []string{`bad.toml:2:1: meta.focus: must name one of the [[variants]] (imitators, mixed), got "imitator"; did you mean "imitators"?`}},
	{"focus without variants", "[meta]\nfocus = \"a\"\n", []string{`bad.toml:2:1: meta.focus: names a variant, but the scenario has no [[variants]], got "a"`}},
	{"variant sweep", "[[variants]]\nname = \"a\"\n[variants.sweep]\ndesign = \"lhs\"\n", []string{"bad.toml:3:1: variants[1] (a): sweep: a variant cannot change [sweep]"}},
	{"variant output table", "[[variants]]\nname = \"a\"\n[variants.output]\ndetail = \"full\"\n", []string{"bad.toml:3:1: variants[1] (a): output: a variant cannot change [output], which applies to every variant alike (one results directory): put the key in the base scenario's [output]"}},
	{"variant output key", "[[variants]]\nname = \"a\"\n\n[[variants]]\nname = \"b\"\noutput.every = 2\n", []string{"bad.toml:6:1: variants[2] (b): output: a variant cannot change [output]"}},
	{"variant shock", "[[variants]]\nname = \"s\"\n[[variants.shocks]]\nkind = \"downturn\"\ntick = 9999\n", []string{"bad.toml:5:1: variants[1] (s): shocks[1].tick: must be an integer between 1 and 500, got 9999"}},
	// Sweep.
	{"sweep key", "[sweep]\nvary = [\"network.degre=2:10:2\"]\n", []string{`bad.toml:2:9: sweep.vary[1]: unknown key "network.degre"; did you mean "network.degree"?`}},
	{"sweep range", "[sweep]\nvary = [\n  \"network.degree=2:10:2\",\n  \"network.rewire=0.5:0.1:0.1\",\n]\n", []string{`bad.toml:4:3: sweep.vary[2]: network.rewire: the range "0.5:0.1:0.1" ends before it starts`}},
	{"sweep value", "[sweep]\nvary = [\"market.base_margin=0.2,1.5\"]\n", []string{"bad.toml:2:9: sweep.vary[1]: market.base_margin=1.5: must be between 0 and 1"}},
	{"sweep design", "[sweep]\ndesign = \"grid\"\n", []string{`bad.toml:2:1: sweep.design: must be "factorial" or "lhs", got "grid"`}},
	{"sweep table key", "[sweep]\nvary = [\"population.mix=1\"]\n", []string{"sweep.vary[1]: population.mix cannot be varied"}},
	// Encodings and what a terminal would act on (issue 15, items 9, 10, 12).
	{"byte-order mark", "\xef\xbb\xbf[market]\nmargn = 1\n", []string{"bad.toml:2:1: market.margn: unknown key"}},
	{"invalid UTF-8", "[meta]\ndescription = \"abc\xffdef\"\n", []string{"bad.toml:2:19: invalid UTF-8 (byte 0xff)", `2 | description = "abc\xffdef"`}},
	{"escape sequence in a key", "[simulation]\n\"\\u001b]0;pwned\\u0007\" = 1\n", []string{`bad.toml:2:1: simulation.\x1b]0;pwned\x07: unknown key`}},
	{"escape sequence in a snippet", "[meta]\ndescription = \"\x1b[31mred\"\n", []string{`2 | description = "\x1b[31mred"`}},
	{"shock tick 0", "[[shocks]]\nkind = \"downturn\"\ntick = 0\n", []string{"bad.toml:3:1: shocks[1].tick: must be an integer between 1 and 500, got 0"}},
	{"shock kind empty", "[[shocks]]\nkind = \"\"\ntick = 3\n", []string{`bad.toml:2:1: shocks[1].kind: must be one of demand_shift, tech_disruption, platform_failure, downturn, regulation, got ""`}},
	// Inputs that once took minutes and gigabytes to parse (issue 15, item 1).
	{"deep arrays", "[meta]\ndescription = " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n", []string{"bad.toml:2:25: nested 13 levels deep"}},
	{"deep inline tables", "x = " + strings.Repeat("{a=", 20_000) + "1" + strings.Repeat("}", 20_000) + "\n", []string{"bad.toml:1:22: nested 13 levels deep"}},
	{"long dotted key", strings.Repeat("a.", 19_999) + "a = 1\n", []string{"bad.toml:1:26: nested 13 levels deep"}},
	{"deep table header", "[" + strings.Repeat("a.", 19_999) + "a]\n", []string{"bad.toml:1:27: nested 13 levels deep"}},
	{"too many keys", strings.Repeat("[x]\n", 10_001), []string{"bad.toml:10001:3: more than 10000 keys"}},
	{"too many values", "x = [" + strings.Repeat("1,", 100_001) + "]\n", []string{"bad.toml:1:200004: more than 100000 values"}},
	{"too large", "# " + strings.Repeat("x", MaxFileSize) + "\n", []string{"bad.toml: the file is 1048579 bytes; a scenario file may be at most 1048576 bytes"}},
}

func TestBadInputs(t *testing.T) {
	if len(badCases) < 25 {
		t.Fatalf("only %d bad cases", len(badCases))
	}
	for _, c := range badCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("bad.toml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error for:\n%s", c.src)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error", err)
			}
			msg := err.Error()
			for _, r := range msg {
				if r < 0x20 && r != '\n' || r == 0x7f || r == utf8.RuneError {
					t.Errorf("message holds the control character or bad byte %q:\n%q", r, msg)
				}
			}
			if len(e.Problems) > maxProblems+1 {
				t.Errorf("%d problems listed", len(e.Problems))
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}

func TestAllProblemsTogether(t *testing.T) {
	src := `[simulation]
ticks = 100
seeds = 0

[market]
margin = 0.3
base_margin = 2

[strategy]
platform = "platfrom"

[[shocks]]
kind = "demand_shift"
tick = 300
`
	_, err := Parse("many.toml", []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		"many.toml:3:1: simulation.seeds: must be an integer between 1 and 100000, got 0",
		`many.toml:6:1: market.margin: unknown key; did you mean "market.base_margin"?`,
		"many.toml:7:1: market.base_margin: must be between 0 and 1, got 2.0",
		`many.toml:10:1: strategy.platform: unknown dimension "platfrom"`,
		"many.toml:14:1: shocks[1].tick: must be an integer between 1 and 100, got 300",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
	if n := len(err.(*Error).Problems); n != len(want) {
		t.Errorf("%d problems", n)
	}
}

func TestSet(t *testing.T) {
	cases := []struct {
		assign string
		want   string // error message; "" = no error
		check  func(*Scenario) bool
	}{
		{"market.base_margin=0.3", "", func(s *Scenario) bool { return s.Market.BaseMargin == 0.3 }},
		{"market.base_margin=2", "--set market.base_margin=2: must be between 0 and 1", nil},
		{"market.margin=0.3", `--set market.margin=0.3: unknown key "market.margin"; did you mean "market.base_margin"?`, nil},
		{"simulation.ticks=abc", `--set simulation.ticks=abc: expected an integer, got "abc" (a string)`, nil},
		{"simulation.ticks=1000", "", func(s *Scenario) bool { return s.Simulation.Ticks == 1000 }},
		{"network.kind=ring", "", func(s *Scenario) bool { return s.Network.Kind == sim.Ring }},
		{`network.kind="random"`, "", func(s *Scenario) bool { return s.Network.Kind == sim.Random }},
		{"network.kind=rng", `--set network.kind=rng: must be one of complete, ring`, nil},
		{"shocks[1].tick=200", "", func(s *Scenario) bool { return s.Shocks[0].Tick == 200 }},
		{"shocks[1].tick=600", "--set shocks[1].tick=600: must be an integer between 1 and 500", nil},
		{"shocks[2].tick=5", "--set shocks[2].tick=5: there is no shocks[2]: the scenario has 1 shock(s)", nil},
		{"shocks[0].tick=5", "bad index", nil},
		{"shocks.tick=5", "say which entry: shocks[1].tick", nil},
		{"shocks=[]", "", func(s *Scenario) bool { return len(s.Shocks) == 0 }},
		{`shocks=[{kind="downturn", tick=10}, {kind="downturn", tick=20}]`, "", func(s *Scenario) bool {
			return len(s.Shocks) == 2 && s.Shocks[1].Tick == 20 && s.Shocks[1].Sector == -1
		}},
		{"strategy.dimensions=[a, b, platform, automation]", "", func(s *Scenario) bool {
			return len(s.Strategy.Dimensions) == 4 && s.Strategy.Dimensions[2] == "platform"
		}},
		{"strategy.platform=", "", func(s *Scenario) bool { return s.dimName("strategy.platform") == "" && s.Strategy.PlatformDim == -1 }},
		{"strategy.platform=platfrom", `unknown dimension "platfrom"`, nil},
		{"output.formats=[svg]", "", func(s *Scenario) bool { return reflect.DeepEqual(s.Output.Formats, []string{"svg"}) }},
		{"population.mix={imitator=1, innovator=0, specialist=0, adaptive=0}", "", func(s *Scenario) bool { return s.Population.Mix.Imitator == 1 }},
		{"biases.herding=true", "--set biases.herding=true: expected a number, got true (a boolean)", nil},
		{"meta.name=2024", "", func(s *Scenario) bool { return s.Name == "2024" }},
		{"meta.name=my run", "--set meta.name=my run: must be 1 to 100 letters", nil},
		{"meta.description=a test", "", func(s *Scenario) bool { return s.Description == "a test" }},
		{"noequals", "--set noequals: expected key=value", nil},
		{"variants.name=x", "variants cannot be set from the command line", nil},
		{"market=3", "--set market=3: expected a table, got 3 (an integer)", nil},
		{"simulation.seeds=0", "--set simulation.seeds=0: must be an integer between 1 and 100000", nil},
		{"simulation.ticks=99999999999999999999", "--set simulation.ticks=99999999999999999999: expected an integer, got 99999999999999999999 (out of range: at most 9223372036854775807)", nil},
		{"simulation.base_seed=9223372036854775808", "expected a non-negative integer, got 9223372036854775808 (out of range: at most 9223372036854775807)", nil},
		{"meta.name=99999999999999999999", "", func(s *Scenario) bool { return s.Name == "99999999999999999999" }},
		{"shocks[1].tick=0", "--set shocks[1].tick=0: must be an integer between 1 and 500", nil},
		{"population.mix=" + strings.Repeat("{a=", 20_000) + "1" + strings.Repeat("}", 20_000), "nested 13 levels deep", nil},
	}
	for _, c := range cases {
		t.Run(c.assign, func(t *testing.T) {
			s := Default()
			before := write(t, s)
			err := s.Set(c.assign)
			if c.want != "" {
				if err == nil {
					t.Fatal("no error")
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error is %T, not *Error", err)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q lacks %q", err, c.want)
				}
				if !bytes.Equal(before, write(t, s)) {
					t.Error("a failed Set changed the scenario")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(s) {
				t.Errorf("not applied: %+v", s)
			}
		})
	}
}

// A flag that stands for a key is named in its problems, with the key.
func TestSetAs(t *testing.T) {
	err := Default().SetAs("--seeds 0", "simulation.seeds=0")
	if err == nil || err.Error() != "--seeds 0: simulation.seeds: must be an integer between 1 and 100000" {
		t.Errorf("got %v", err)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain.toml":              "plain.toml",
		"ünïcode ok ✓":            "ünïcode ok ✓",
		"\x1b]0;pwned\x07":        `\x1b]0;pwned\x07`,
		"a\rb\nc\td":              `a\x0db\x0ac\x09d`,
		"bad\xffbyte":             `bad\xffbyte`,
		"\u202eevil":              `\u202eevil`,
		"c1\u009bcsi":             `c1\u009bcsi`,
		"real \ufffd replacement": "real \ufffd replacement",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := printableText("line 1\n\tline 2\x1b"); got != "line 1\n\tline 2\\x1b" {
		t.Errorf("printableText = %q", got)
	}
}

// Load reads at most MaxFileSize bytes, so a device that never ends is
// an error, not an exhausted memory.
func TestLoadLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# comment\n"), MaxFileSize/10+1), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if _, err := os.Stat("/dev/zero"); err == nil {
		paths = append(paths, "/dev/zero")
	}
	for _, p := range paths {
		_, err := Load(p)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), p+": the file is larger than 1048576 bytes") {
			t.Errorf("Load(%s): %v", p, err)
		}
	}
}

func TestSetExactMessage(t *testing.T) {
	s := Default()
	err := s.Set("market.base_margin=2")
	if err == nil || err.Error() != "--set market.base_margin=2: must be between 0 and 1" {
		t.Errorf("got %v", err)
	}
}

// Cross-key checks wait for Validate, so overrides can come in any order,
// and problems caused by an override name it.
func TestSetThenValidate(t *testing.T) {
	s := Default()
	if err := s.Set("shocks[1].tick=800"); err == nil {
		t.Fatal("tick beyond ticks accepted")
	}
	for _, a := range []string{"simulation.ticks=1000", "shocks[1].tick=800"} {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("population.firms=5"); err != nil {
		t.Fatal(err)
	}
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), "builtin:baseline.toml: network.degree: must be even, at least 2 and less than population.firms (5), got 8") {
		t.Errorf("Validate after --set population.firms=5: %v", err)
	}
	if err := s.Set("network.degree=7"); err == nil || !strings.Contains(err.Error(), "--set network.degree=7: must be even") {
		t.Errorf("got %v", err)
	}
	roundTrip(t, mustSet(t, Default(), "simulation.ticks=700", "network.kind=ring", "shocks[1].severity=0.25"))
}

// A problem of a whole table (the mix's shares do not sum to 1) is the
// --set override's that set a key inside it, not the file's.
func TestSetBlamedForTableProblem(t *testing.T) {
	for _, c := range []struct {
		sets []string
		want string
	}{
		{[]string{"population.mix.imitator=0.9"}, "--set population.mix.imitator=0.9: population.mix: shares must sum to 1 (imitator 0.9 + "},
		{[]string{"population.mix.imitator=0.9", "population.mix.adaptive=0.1"}, "--set population.mix.adaptive=0.1: population.mix: shares must sum to 1"},
		{[]string{"population.mix={ imitator = 0.5, innovator = 0.2, specialist = 0.2, adaptive = 0.2 }"}, "--set population.mix={ imitator = 0.5"},
	} {
		s := Default()
		var err error
		for _, a := range c.sets {
			if err = s.Set(a); err != nil {
				break
			}
		}
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "baseline.toml") {
			t.Errorf("%v: got %v, want %q", c.sets, err, c.want)
		}
	}
}

func mustSet(tb testing.TB, s *Scenario, assigns ...string) *Scenario {
	tb.Helper()
	for _, a := range assigns {
		if err := s.Set(a); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func TestVariants(t *testing.T) {
	s, err := Open("compare-mixes")
	if err != nil {
		t.Fatal(err)
	}
	vs, err := s.Variants()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"imitation-heavy": 0.8, "balanced": 0.25, "innovation-heavy": 0.1}
	if len(vs) != 3 {
		t.Fatalf("%d variants", len(vs))
	}
	for _, v := range vs {
		if v.Population.Mix.Imitator != want[v.Name] {
			t.Errorf("%s: imitator = %g", v.Name, v.Population.Mix.Imitator)
		}
		if len(v.Shocks) != 1 || v.Simulation.Ticks != 500 {
			t.Errorf("%s does not inherit the base", v.Name)
		}
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
		if vv, _ := v.Variants(); vv != nil {
			t.Errorf("a resolved variant has variants")
		}
	}
	if vs, err := Default().Variants(); vs != nil || err != nil {
		t.Errorf("baseline Variants() = %v, %v", vs, err)
	}

	// --set wins over the variants, and the resolved file keeps it so.
	src := `[[variants]]
name = "herd"
description = "more herding"
biases = { herding = 0.5, confirmation = 0.2 }

[[variants]]
name = "plain"
`
	s = mustParse(t, "v.toml", src)
	mustSet(t, s, "biases.herding=0.9", "simulation.seeds=2")
	vs, err = s.Variants()
	if err != nil {
		t.Fatal(err)
	}
	if vs[0].Biases.Herding != 0.9 || vs[0].Biases.Confirmation != 0.2 || vs[1].Biases.Herding != 0.9 || vs[0].Runs.Seeds != 2 {
		t.Errorf("--set did not win over variants: %+v %+v", vs[0].Biases, vs[1].Biases)
	}
	if vs[0].Description != "more herding" {
		t.Errorf("description = %q", vs[0].Description)
	}
	roundTrip(t, s)
	s2 := mustParse(t, "v.toml", string(write(t, s)))
	vs2, _ := s2.Variants()
	if vs2[0].Biases.Herding != 0.9 {
		t.Error("WriteTOML lost a --set over a variant")
	}
	if vs[0].Hash() == vs[1].Hash() {
		t.Error("different variants hash alike")
	}
}

func TestParseVary(t *testing.T) {
	cases := []struct {
		spec   string
		want   Vary
		points []string
		err    string
	}{
		{spec: "population.mix.imitator=0.2,0.5,0.8", want: Vary{Key: "population.mix.imitator", Values: []string{"0.2", "0.5", "0.8"}}, points: []string{"0.2", "0.5", "0.8"}},
		{spec: "network.degree=2:10:2", want: Vary{Key: "network.degree", Range: &Range{2, 10, 2}}, points: []string{"2", "4", "6", "8", "10"}},
		{spec: "biases.herding=0:0.3:0.1", want: Vary{Key: "biases.herding", Range: &Range{0, 0.3, 0.1}}, points: []string{"0", "0.1", "0.2", "0.3"}},
		{spec: " network.kind = ring, small_world ", want: Vary{Key: "network.kind", Values: []string{"ring", "small_world"}}, points: []string{"ring", "small_world"}},
		{spec: "shocks[1].severity=0.2,0.8", want: Vary{Key: "shocks[1].severity", Values: []string{"0.2", "0.8"}}, points: []string{"0.2", "0.8"}},
		{spec: "network.degre=2:10:2", err: `unknown key "network.degre"; did you mean "network.degree"?`},
		{spec: "network.degree", err: "expected key=v1,v2,… or key=start:stop:step"},
		{spec: "network.degree=2:10", err: "a range is start:stop:step"},
		{spec: "network.degree=2:10:0", err: "step"},
		{spec: "network.degree=10:2:2", err: "ends before it starts"},
		{spec: "network.degree=1.5:3:1", err: "takes integers"},
		{spec: "network.kind=1:3:1", err: "needs a numeric key"},
		{spec: "network.degree=2,,4", err: "empty value"},
		{spec: "network.degree=a:b:c", err: "not a number"},
		{spec: "strategy.dimensions=a,b", err: "cannot be varied"},
	}
	for _, c := range cases {
		v, err := ParseVary(c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseVary(%q) error = %v, want %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseVary(%q): %v", c.spec, err)
			continue
		}
		if !reflect.DeepEqual(v, c.want) {
			t.Errorf("ParseVary(%q) = %+v, want %+v", c.spec, v, c.want)
		}
		if p := v.Points(); !reflect.DeepEqual(p, c.points) {
			t.Errorf("Points(%q) = %v, want %v", c.spec, p, c.points)
		}
	}
}

func TestSweepKept(t *testing.T) {
	src := "[sweep]\nvary = [\"population.mix.imitator=0.2,0.5,0.8\", \"network.degree=2:10:2\"]\ndesign = \"lhs\"\nsamples = 20\n"
	s := mustParse(t, "sweep.toml", src)
	if s.Sweep.Design != DesignLHS || s.Sweep.Samples != 20 || len(s.Sweep.Vary) != 2 {
		t.Errorf("Sweep = %+v", s.Sweep)
	}
	roundTrip(t, s)
	if !strings.Contains(string(write(t, s)), "[sweep]\nvary = [\"population.mix.imitator=0.2,0.5,0.8\", \"network.degree=2:10:2\"]\ndesign = \"lhs\"\nsamples = 20\n") {
		t.Errorf("sweep not written:\n%s", write(t, s))
	}
	if strings.Contains(string(write(t, Default())), "[sweep]") {
		t.Error("a default sweep is written")
	}
}

func TestOpen(t *testing.T) {
	if s, err := Open(""); err != nil || s.Name != "baseline" {
		t.Errorf("Open(\"\") = %v, %v", s, err)
	}
	_, err := Open("basline")
	if err == nil || !strings.Contains(err.Error(), `unknown scenario "basline": not a file and not a built-in (built-ins: axelrod, balanced-mix, baseline,`) || !strings.Contains(err.Error(), `did you mean "baseline"?`) {
		t.Errorf("Open(basline): %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %T is not an *Error wrapping fs.ErrNotExist", err)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "my run.toml")
	if err := os.WriteFile(path, []byte("[simulation]\nticks = 50\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "my-run" || s.Simulation.Ticks != 50 || s.Path != path {
		t.Errorf("Open(file): name %q, ticks %d, path %q", s.Name, s.Simulation.Ticks, s.Path)
	}
	_, err = Open(filepath.Join(dir, "missing.toml"))
	if !errors.As(err, &e) || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing.toml: cannot read the scenario file") {
		t.Errorf("Open(missing): %v", err)
	}
	if _, err := Open("nothere.toml"); err == nil {
		t.Error("Open(nothere.toml) found something")
	}
	if _, err := BuiltinSource("../go"); err == nil {
		t.Error("BuiltinSource escapes the library")
	}
}

func TestPositions(t *testing.T) {
	src := `# comment with = sign and [brackets]
title = """
[not.a.table]
x = 1
"""
[simulation] # trailing
ticks = 5
"quoted key" = 'lit'

[population]
mix = { imitator = 0.5, innovator = 0.5 }
population.x = 1

[[shocks]]
kind = "a"
[[shocks]]
 tick = 3

[[variants]]
name = "v"
[variants.network]
degree = 4
[[variants.shocks]]
kind = "k"

[sweep]
vary = [
  "a=1",  # one
  "b=2",
]
`
	ps, _ := scanPositions([]byte(src))
	want := map[string]pos{
		"title":                      {2, 1},
		"simulation":                 {6, 1},
		"simulation.ticks":           {7, 1},
		"simulation.quoted key":      {8, 1},
		"population":                 {10, 1},
		"population.mix":             {11, 1},
		"population.mix.imitator":    {11, 9},
		"population.mix.innovator":   {11, 25},
		"population.population.x":    {12, 1},
		"shocks[1]":                  {14, 1},
		"shocks[1].kind":             {15, 1},
		"shocks[2].tick":             {17, 2},
		"variants[1].name":           {20, 1},
		"variants[1].network.degree": {22, 1},
		"variants[1].shocks[1].kind": {24, 1},
		"sweep.vary[1]":              {28, 3},
		"sweep.vary[2]":              {29, 3},
		"variants[1].shocks[1]":      {23, 1},
		"variants[1].network":        {21, 1},
	}
	for k, w := range want {
		if got, ok := ps.get(k); !ok || got != w {
			t.Errorf("%s at %v (found %v), want %v", k, got, ok, w)
		}
	}
	if ps.has("not.a.table") {
		t.Error("a multi-line string was scanned as a table")
	}
}

// The starter of every built-in parses and validates, and so does it with
// every key line uncommented.
func TestStarters(t *testing.T) {
	keyLine := regexp.MustCompile(`^# (\[\[?[a-z.]+\]\]?|[a-z_.]+ = .*)$`)
	for _, in := range Builtins() {
		b, err := Starter(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Parse(in.Name+".toml", b)
		if err != nil {
			t.Fatalf("Starter(%s) does not parse: %v", in.Name, err)
		}
		orig, _ := Open(in.Name)
		orig.Path, orig.pos = s.Path, s.pos
		if !bytes.Equal(write(t, s), write(t, orig)) {
			t.Errorf("Starter(%s) differs from the built-in", in.Name)
		}
		var lines []string
		for line := range strings.Lines(string(b)) {
			if m := keyLine.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
				line = m[1] + "\n"
			}
			lines = append(lines, line)
		}
		_, err = Parse(in.Name+"-uncommented.toml", []byte(strings.Join(lines, "")))
		if !orig.Market.Enabled && err != nil && strings.Count(err.Error(), "\n") == 0 && strings.Contains(err.Error(), "shocks need the market") {
			continue // the example shock needs a market
		}
		if err != nil {
			t.Errorf("Starter(%s) with every key uncommented: %v", in.Name, err)
		}
	}
	if _, err := Starter("nope"); err == nil {
		t.Error("Starter(nope) succeeded")
	}
}

func TestProblemString(t *testing.T) {
	cases := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.toml", Line: 3, Col: 1, Key: "market.x", Msg: "bad"}, "a.toml:3:1: market.x: bad"},
		{Problem{File: "a.toml", Key: "market.x", Msg: "bad"}, "a.toml: market.x: bad"},
		{Problem{File: "--set market.base_margin=2", Msg: "must be between 0 and 1"}, "--set market.base_margin=2: must be between 0 and 1"},
		{Problem{Msg: "just this"}, "just this"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, in := range Builtins() {
		src, _ := BuiltinSource(in.Name)
		f.Add(src)
	}
	for _, c := range badCases {
		if len(c.src) <= 1<<12 { // the attack files, in small: mutations of big inputs are slow
			f.Add([]byte(c.src))
		}
	}
	f.Add([]byte("[meta]\ndescription = " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n"))
	f.Add([]byte("x = " + strings.Repeat("{a=", 200) + "1" + strings.Repeat("}", 200) + "\n"))
	f.Add([]byte(strings.Repeat("a.", 200) + "a = 1\n"))
	f.Add([]byte("\xef\xbb\xbf[simulation]\n\"\\u001b]0;x\\u0007\" = \"\xff\"\n"))
	f.Add([]byte("[[variants]]\nname = \"a\"\n[variants.population]\nmix = { imitator = 1.0, innovator = 0.0, specialist = 0.0, adaptive = 0.0 }\n"))
	f.Add([]byte("[meta]\nname = \"x\\u0001\\\"y\"\ndescription = \"tab\\there\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s *Scenario
		var err error
		withinBudget(t, len(data), func() { s, err = Parse("fuzz.toml", data) })
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("error %T without problems: %v", err, err)
			}
			return
		}
		roundTrip(t, s)
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed but does not validate: %v", err)
		}
	})
}

// Every key a built-in sets to a non-default value carries a comment
// saying why: on its line, or in the comment lines right above it (for
// [[shocks]] and [[variants]], above the entry's header).
func TestBuiltinsCommentNonDefaults(t *testing.T) {
	def := defaults().toTable()
	for _, in := range Builtins() {
		src, _ := BuiltinSource(in.Name)
		s, err := Open(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(src), "\n")
		commented := func(line int) bool {
			if strings.Contains(lines[line-1], "#") {
				return true
			}
			for l := line - 1; l >= 1; l-- {
				txt := strings.TrimSpace(lines[l-1])
				switch {
				case strings.HasPrefix(txt, "#"):
					return true
				case txt == "" || strings.HasPrefix(txt, "["):
					return false
				}
			}
			return false
		}
		s.pos.each(func(path string, p pos) {
			if !isLeaf(stripIndex(path)) || strings.Contains(path, "[") && !strings.HasPrefix(path, "sweep.") {
				return
			}
			got, _ := lookup(s.toTable(), path)
			want, ok := lookup(def, path)
			if !ok {
				want = "" // a key written only when set (meta.focus): its default is empty
			}
			if tomlValue(got) != tomlValue(want) && !commented(p.Line) {
				t.Errorf("%s.toml:%d: %s = %s differs from the default %s without a comment", in.Name, p.Line, path, tomlValue(got), tomlValue(want))
			}
		})
		s.pos.each(func(path string, p pos) {
			if (strings.HasPrefix(path, "shocks[") || strings.HasPrefix(path, "variants[")) && strings.Count(path, ".") == 0 && strings.HasSuffix(path, "]") {
				if !commented(p.Line) && !commented(p.Line+1) {
					t.Errorf("%s.toml:%d: %s has no comment", in.Name, p.Line, path)
				}
			}
		})
	}
}

func FuzzSet(f *testing.F) {
	for _, a := range []string{"market.base_margin=0.3", "shocks[1].tick=200", "shocks=[]", "strategy.dimensions=[a,b]", "meta.name=x", "population.mix={imitator=1}", "network.kind=ring", "a.b[2].c=[1,"} {
		f.Add(a)
	}
	f.Fuzz(func(t *testing.T, assign string) {
		s := Default()
		before := write(t, s)
		var err error
		withinBudget(t, len(assign), func() { err = s.Set(assign) })
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("error %T without problems: %v", err, err)
			}
			if !bytes.Equal(before, write(t, s)) {
				t.Fatal("a failed Set changed the scenario")
			}
			return
		}
		if s.Validate() == nil {
			roundTrip(t, s)
		}
	})
}

// TestOutputFirms checks the deprecated output.firms against output.detail,
// the key that decides whether firms.csv is written: true (the default,
// written in every resolved scenario.toml) is accepted at every level,
// false only where it agrees with the level, and a contradiction is refused
// at the key's line with what to write instead.
func TestOutputFirms(t *testing.T) {
	const want = `f.toml:2:1: output.firms: false contradicts output.detail = "full", which writes firms.csv: write detail = "series" instead (every run's time series, no firms.csv) and remove firms, which output.detail replaces`
	cases := []struct{ name, src, want string }{
		{"default", "", ""},
		{"detail only", "[output]\ndetail = \"full\"\n", ""},
		{"true with full", "[output]\nfirms = true\ndetail = \"full\"\n", ""},
		{"true with summary", "[output]\nfirms = true\n", ""},
		{"true with series", "[output]\nfirms = true\ndetail = \"series\"\n", ""},
		{"false with summary", "[output]\nfirms = false\n", ""},
		{"false with series", "[output]\nfirms = false\ndetail = \"series\"\n", ""},
		{"false with full", "[output]\nfirms = false\ndetail = \"full\"\n", want},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.toml", []byte(c.src))
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	s := Default()
	if err := s.Set("output.detail=full"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("output.firms=false"); err == nil || !strings.Contains(err.Error(), "--set output.firms=false: false contradicts output.detail") {
		t.Errorf("--set output.firms=false at detail full: %v", err)
	}
}
