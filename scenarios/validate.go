package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/smbsim/smbsim/internal/suggest"
	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/sim"
	"github.com/smbsim/smbsim/sim/param"
)

// finding is one problem of a resolved scenario before it is positioned.
type finding struct {
	path string // key path, e.g. "shocks[2].tick"
	msg  string // what is wrong / allowed
	got  string // the offending value, appended as ", got …" in files
}

// Validate checks the whole scenario, its variants and its sweep, and
// returns every problem as an *Error (nil if there are none).
func (s *Scenario) Validate() error { return errorOf(s.problems()) }

// problems positions the findings of s and of each variant.
func (s *Scenario) problems() []Problem {
	d := s.decoder()
	inBase := map[string]bool{}
	for _, f := range s.findings(true) {
		d.report(f)
		inBase[f.path+"\x00"+f.msg] = true
	}
	for i := range s.variants {
		vd := s.variantDecoder(i)
		c := s.resolveVariant(i, vd)
		for _, f := range c.findings(false) {
			if !inBase[f.path+"\x00"+f.msg] {
				vd.report(f)
			}
		}
		d.probs = append(d.probs, vd.probs...)
	}
	return d.probs
}

// Variants returns one resolved, validated scenario per [[variants]] entry
// (Name = the variant's name), or nil if there are none. A variant is the
// base scenario with the variant's keys decoded over it; --set overrides
// apply to every variant too.
func (s *Scenario) Variants() ([]*Scenario, error) {
	if len(s.variants) == 0 {
		return nil, nil
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	out := make([]*Scenario, len(s.variants))
	for i := range s.variants {
		out[i] = s.resolveVariant(i, s.variantDecoder(i))
	}
	return out, nil
}

func (s *Scenario) file() string {
	if s.Path == "" {
		return s.Name
	}
	return s.Path
}

func (s *Scenario) decoder() *decoder {
	return &decoder{file: s.file(), pos: s.pos, sets: s.sets}
}

func (s *Scenario) variantDecoder(i int) *decoder {
	return &decoder{
		file:   s.file(),
		pos:    s.pos,
		posPre: fmt.Sprintf("variants[%d].", i+1),
		keyPre: variantPrefix(i, s.variants[i].name),
		sets:   s.sets,
	}
}

// resolveVariant decodes variant i over a copy of s.
func (s *Scenario) resolveVariant(i int, d *decoder) *Scenario {
	v := s.variants[i]
	c := s.cloneBase()
	c.Name, c.nameSet = v.name, false // checked as variants[i].name
	c.Focus = ""                      // a variant has no variants of its own to focus on
	if v.description != "" {
		c.Description = v.description
	}
	d.decodeTop(v.over, c, true)
	return c
}

// report positions f and records it.
func (d *decoder) report(f finding) {
	if _, ok := d.setOf(f.path); ok || f.got == "" {
		d.add(f.path, "%s", f.msg)
		return
	}
	msg, hint, _ := strings.Cut(f.msg, "; did you mean ")
	if hint != "" {
		hint = "; did you mean " + hint // after the value it corrects
	}
	d.add(f.path, "%s, got %s%s", msg, f.got, hint)
}

// findings checks s: the scenario-only keys, dimension names, then the
// engine's Config.Problems. With base, also the variants' names and the
// sweep.
func (s *Scenario) findings(base bool) []finding {
	l := &findingList{seen: map[string]bool{}}
	s.keyFindings(l)
	s.shockFindings(l)
	s.outputFindings(l)
	if base {
		s.variantFindings(l)
		l.fs = append(l.fs, s.sweepFindings()...)
	}
	c := s.Config()
	for _, fe := range c.Problems() {
		if l.seen[fe.Path] {
			continue
		}
		f := finding{path: fe.Path, msg: fe.Msg}
		if strings.HasPrefix(fe.Msg, "must") {
			f.got = s.fieldValue(fe)
		}
		l.fs = append(l.fs, f)
	}
	return l.fs
}

// findingList collects findings in order and remembers the key paths they
// name, so that the engine's check of the same key is not reported twice.
type findingList struct {
	fs   []finding
	seen map[string]bool
}

func (l *findingList) add(path, got, format string, a ...any) {
	l.fs = append(l.fs, finding{path, fmt.Sprintf(format, a...), got})
	l.seen[path] = true
}

func (l *findingList) intIn(path string, v, lo, hi int) {
	if v < lo || v > hi {
		l.add(path, strconv.Itoa(v), "must be an integer between %d and %d", lo, hi)
	}
}

// keyFindings checks meta.name and each [simulation] and [output] key's own
// range, as declared by its tags.
func (s *Scenario) keyFindings(l *findingList) {
	if s.nameSet && !validName(s.Name) {
		l.add("meta.name", strconv.Quote(s.Name), "must be 1 to 100 letters, digits, '-', '_' or '.', not starting with '.' (it names the output directory)")
	}
	for _, part := range []any{&s.Runs, &s.Output} {
		tab := "output"
		if part == any(&s.Runs) {
			tab = "simulation"
		}
		param.Check(reflect.ValueOf(part).Elem(), tab, func(path string, v any, msg string) {
			l.add(path, fmtGot(v), "%s", msg)
		})
	}
	if s.Runs.BaseSeed > maxBaseSeed {
		l.add("simulation.base_seed", strconv.FormatUint(s.Runs.BaseSeed, 10), "must be at most %d", uint64(maxBaseSeed))
	}
}

// checkDim reports a dimension name that is not one of strategy.dimensions,
// with a suggestion (or none, the hint for an unknown name without one).
func (s *Scenario) checkDim(l *findingList, path, name, none string) {
	dims := s.Strategy.Dimensions
	if name == "" || s.dimIndex(name) >= 0 || len(dims) == 0 {
		return
	}
	hint := suggest.DidYouMean(suggest.Closest(name, dims))
	if hint == "" {
		hint = none
	}
	if hint != "" {
		hint = "; " + hint
	}
	l.add(path, "", "unknown dimension %q (dimensions: %s%s)", name, quoteList(dims), hint)
}

// shockFindings checks the dimensions the strategy and the shocks name, and
// the shocks' required keys.
func (s *Scenario) shockFindings(l *findingList) {
	dims := s.Strategy.Dimensions
	s.checkDim(l, "strategy.platform", s.dimName("strategy.platform"), `use "" for no platform dimension`)
	s.checkDim(l, "strategy.automation", s.dimName("strategy.automation"), `use "" for no automation dimension`)
	for i, sh := range s.Shocks {
		dim := s.dimName(fmt.Sprintf("shocks[%d].dimension", i+1))
		// A required key left out (not one given a bad value, which the
		// engine's checks report with the value).
		if at := fmt.Sprintf("shocks[%d].kind", i+1); s.missing[at] {
			l.add(at, "", "is required: one of %s", strings.Join(sh.Kind.Values(), ", "))
		}
		if at := fmt.Sprintf("shocks[%d].tick", i+1); s.missing[at] {
			l.add(at, "", "is required: the first tick the shock acts, 1 to simulation.ticks (%d)", s.Simulation.Ticks)
		}
		path := fmt.Sprintf("shocks[%d].dimension", i+1)
		switch sh.Kind {
		case sim.TechDisruption:
			if dim == "" {
				l.add(path, "", "a tech_disruption shock needs a dimension (one of: %s)", quoteList(dims))
			}
		case sim.DemandShift, sim.Downturn:
			if dim != "" {
				l.add(path, "", "is not used by %s shocks; leave it out", sh.Kind)
			}
		case sim.PlatformFailure:
			if dim != "" {
				l.add(path, "", "is not used by platform_failure shocks, which hit the platform dimension (strategy.platform); leave it out")
			}
		}
		if !l.seen[path] {
			s.checkDim(l, path, dim, "")
		}
	}
}

// outputFindings checks the [output] keys that depend on each other or on
// the run length: every, formats, horizons.
func (s *Scenario) outputFindings(l *findingList) {
	o := s.Output
	l.intIn("output.every", o.Every, 1, max(s.Simulation.Ticks, 1))
	fseen := map[string]bool{}
	for _, f := range o.Formats {
		switch {
		case f != "png" && f != "svg" && f != "pdf":
			hint := suggest.DidYouMean(suggest.Closest(f, []string{"png", "svg", "pdf"}))
			if hint != "" {
				hint = "; " + hint
			}
			l.add("output.formats", "", "unknown format %q: formats are \"png\", \"svg\" and \"pdf\"%s", f, hint)
		case fseen[f]:
			l.add("output.formats", "", "format %q is listed twice", f)
		}
		fseen[f] = true
	}
	if len(o.Horizons) == 0 || len(o.Horizons) > MaxHorizons {
		l.add("output.horizons", "", "needs 1 to %d horizons (ticks after a shock), e.g. [12, 60, 120]", MaxHorizons)
	}
	for i, h := range o.Horizons {
		switch {
		case h < 1 || h > MaxHorizon:
			l.add("output.horizons", strconv.Itoa(h), "horizon %d must be an integer between 1 and %d (ticks after a shock)", i+1, MaxHorizon)
		case i > 0 && h <= o.Horizons[i-1]:
			l.add("output.horizons", strconv.Itoa(h), "horizons must increase: %d follows %d", h, o.Horizons[i-1])
		}
	}
	if o.Charts && len(o.Formats) == 0 {
		l.add("output.formats", "", "needs at least one of \"png\", \"svg\", \"pdf\" when output.charts = true")
	}
	s.firmsFindings(l)
}

// firmsFindings refuses the deprecated output.firms where it contradicts
// output.detail, the one key that decides whether firms.csv is written,
// and says what to write instead. true, the default, is every resolved
// scenario.toml's, so it is accepted at every level (it writes firms.csv
// only at full).
func (s *Scenario) firmsFindings(l *findingList) {
	if !s.Output.Firms && s.Output.Detail == results.DetailFull {
		l.add("output.firms", "", "false contradicts output.detail = %q, which writes firms.csv: write detail = %q instead (every run's time series, no firms.csv) and remove firms, which output.detail replaces", s.Output.Detail, results.DetailSeries)
	}
}

// variantFindings checks the variants' names and meta.focus.
func (s *Scenario) variantFindings(l *findingList) {
	names := map[string]int{}
	for i, v := range s.variants {
		path := fmt.Sprintf("variants[%d].name", i+1)
		switch {
		case v.name == "":
			// reported when decoded: a variant needs a name
		case !validName(v.name):
			l.add(path, strconv.Quote(v.name), "must be 1 to 100 letters, digits, '-', '_' or '.', not starting with '.' (it names an output directory)")
		case names[v.name] > 0:
			l.add(path, "", "variant name %q is already used by variants[%d]", v.name, names[v.name])
		}
		names[v.name] = i + 1
	}
	if s.Focus == "" || names[s.Focus] > 0 {
		return
	}
	var all []string
	for _, v := range s.variants {
		all = append(all, v.name)
	}
	msg := "must name one of the [[variants]]"
	if len(all) == 0 {
		msg = "names a variant, but the scenario has no [[variants]]"
	} else {
		msg += " (" + strings.Join(all, ", ") + ")"
		if hint := suggest.DidYouMean(suggest.Closest(s.Focus, all)); hint != "" {
			msg += "; " + hint
		}
	}
	l.add("meta.focus", strconv.Quote(s.Focus), "%s", msg)
}

// fieldValue renders the value of an engine FieldError the way the file
// writes it (dimension names rather than indices).
func (s *Scenario) fieldValue(fe *sim.FieldError) string {
	if name, ok := s.dims[fe.Path]; ok {
		return strconv.Quote(name)
	}
	return fmtGot(fe.Value)
}

// fmtGot renders a value the way a file writes it.
func fmtGot(value any) string {
	v := reflect.ValueOf(value)
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Float64:
		return formatFloat(v.Float())
	}
	return fmt.Sprint(value)
}

// validName reports whether name can name an output directory.
func validName(name string) bool {
	if name == "" || len(name) > 100 || name[0] == '.' {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

// nameFromPath derives a scenario name from a file path: its base name
// without .toml, with characters a directory name should not hold
// replaced by '-'.
func nameFromPath(path string) string {
	base := path[strings.LastIndexAny(path, `/\:`)+1:]
	base = strings.TrimSuffix(base, ".toml")
	var b strings.Builder
	for _, r := range base {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	name := strings.TrimLeft(b.String(), ".")
	if len(name) > 100 {
		name = name[:100]
	}
	if !validName(name) {
		return "scenario"
	}
	return name
}
