package present

import (
	"fmt"
	"math"
	"strings"

	"github.com/smbsim/smbsim/results"
)

// Where a focus contrast holds (issue 20): the excess failures of the
// focus minus another variant, at every horizon of output.horizons, on
// every counting basis, without and with every mechanism control the
// compare ran (variants named <variant>+<control>, see smbsim compare
// --control), each from its paired test in summary.json.

// Bases are the counting bases of shock<k>_excess_fail_<basis>_h<H>, in
// order, with how a sentence names them.
var Bases = []struct{ Name, Words string }{
	{"share", "share of firms"},
	{"firms", "number of firms"},
	{"revenue", "share of revenue"},
}

// Significance is the p below which a cell counts as a difference.
const Significance = 0.05

// Cell is the contrast focus − other at one horizon, basis and control.
type Cell struct {
	Horizon int
	Basis   string // "share", "firms" or "revenue"
	Control string // "" without a control, else the suffix after "+", e.g. "equal_move_costs"
	Contrast
}

// Sign is −1 when the focus lost significantly fewer (p < Significance),
// +1 significantly more, 0 no significant difference (or no test).
func (c Cell) Sign() int {
	if !c.Tested() || math.IsNaN(c.P) || c.P >= Significance {
		return 0
	}
	if c.Diff < 0 {
		return -1
	}
	return 1
}

// Robustness is where the focus's order against one other variant holds.
type Robustness struct {
	Shock   results.ShockInfo
	Focus   string
	Against string
	// Reference is the sign of the headline contrast (shock<k>_excess_fail_share
	// over the shock window, no control): the order the headline states.
	Reference int
	Cells     []Cell // controls in order ("" first), then bases, then horizons
}

// Controls returns the controls the summary's variants were run under:
// the suffixes after "+" of variants named <focus>+<control>.
func Controls(s *results.Summary) []string {
	var out []string
	for _, v := range s.Variants {
		if c, ok := strings.CutPrefix(v.Name, s.Focus+"+"); ok && s.Focus != "" {
			out = append(out, c)
		}
	}
	return out
}

// WhereItHolds computes the robustness of the focus's contrast against
// variant other on shock k (1-based); ok is false without a focus or
// without horizon measures.
func WhereItHolds(s *results.Summary, k int, other string) (Robustness, bool) {
	if s.Focus == "" || len(s.Horizons) == 0 || k < 1 || k > len(s.Shocks) {
		return Robustness{}, false
	}
	r := Robustness{Shock: s.Shocks[k-1], Focus: s.Focus, Against: other}
	r.Reference = Cell{Contrast: MeanContrast(s, results.ShockMeasureName(k, HeadlineMeasure), s.Focus, other)}.Sign()
	for _, ctl := range append([]string{""}, Controls(s)...) {
		a, b := s.Focus, other
		if ctl != "" {
			a, b = a+"+"+ctl, b+"+"+ctl
		}
		for _, basis := range Bases {
			for _, h := range s.Horizons {
				m := results.HorizonMeasureName(k, "excess_fail_"+basis.Name, h)
				r.Cells = append(r.Cells, Cell{Horizon: h, Basis: basis.Name, Control: ctl, Contrast: MeanContrast(s, m, a, b)})
			}
		}
	}
	// The headline contrast again, standardised to the pooled behaviour
	// type × age composition of the cohorts (summaries that have it).
	std := results.ShockMeasureName(k, results.StdExcessFailShare)
	if c := MeanContrast(s, std, s.Focus, other); c.Tested() {
		window := 0
		if s.World != nil {
			window = s.World.ShockWindow
		}
		r.Cells = append(r.Cells, Cell{Horizon: window, Basis: "share", Control: Standardised, Contrast: c})
	}
	return r, true
}

// Standardised is the Control of the cell that compares the focus with
// standardised excess failures (shock<k>_std_excess_fail_share): the
// headline contrast over the shock window, each mix weighted to the pooled
// behaviour-type × age-band composition of the compared cohorts.
const Standardised = "composition-standardised"

// controlWords names a control in a sentence.
func controlWords(ctl string) string {
	if ctl == Standardised {
		return "standardised to the pooled type × age composition"
	}
	return "with " + ctl
}

// Holds reports whether every cell has the reference's sign (and the
// reference is a difference): the order holds at every horizon, on every
// basis and under every control run.
func (r Robustness) Holds() bool {
	if r.Reference == 0 {
		return false
	}
	for _, c := range r.Cells {
		if c.Sign() != r.Reference {
			return false
		}
	}
	return true
}

// signWords says what a sign means for the focus.
func signWords(sign int) string {
	switch sign {
	case -1:
		return "fewer"
	case 1:
		return "more"
	}
	return "no difference"
}

// Lines says, for each control and basis, at which horizons the focus
// lost fewer, more or no differently many firms than the other variant,
// and last whether the headline's order holds everywhere or where it
// changes. Only what the paired tests say: no cause is named.
func (r Robustness) Lines() []string {
	var out []string
	var changes []string
	i := 0
	for i < len(r.Cells) {
		ctl, basis := r.Cells[i].Control, r.Cells[i].Basis
		groups := map[int][]string{}
		var order []int
		for ; i < len(r.Cells) && r.Cells[i].Control == ctl && r.Cells[i].Basis == basis; i++ {
			c := r.Cells[i]
			sg := c.Sign()
			if _, seen := groups[sg]; !seen {
				order = append(order, sg)
			}
			cell := fmt.Sprintf("%d", c.Horizon)
			if c.Tested() {
				cell += fmt.Sprintf(" (%s, %s)", diffWords(c), P(c.P))
			}
			groups[sg] = append(groups[sg], cell)
			if sg != r.Reference {
				where := fmt.Sprintf("%d months, %s", c.Horizon, basisWords(basis))
				if ctl != "" {
					where += ", " + controlWords(ctl)
				}
				changes = append(changes, where+": "+signWords(sg))
			}
		}
		var parts []string
		for _, sg := range order {
			parts = append(parts, signWords(sg)+" at "+strings.Join(groups[sg], ", ")+" months")
		}
		head := basisWords(basis)
		if ctl != "" {
			head = controlWords(ctl) + ", " + head
		}
		out = append(out, head+": "+strings.Join(parts, "; "))
	}
	ref := fmt.Sprintf("%s − %s", r.Focus, r.Against)
	switch {
	case r.Reference == 0:
		out = append(out, fmt.Sprintf("%s: the headline (excess failures over the shock window) shows no difference (p ≥ %g), so there is no order to hold", ref, Significance))
	case len(changes) == 0:
		out = append(out, fmt.Sprintf("%s: %s loses %s firms at every horizon, on every basis and under every control run", ref, r.Focus, signWords(r.Reference)))
	default:
		out = append(out, fmt.Sprintf("%s: the headline order (%s loses %s) does not hold everywhere; it changes at %s", ref, r.Focus, signWords(r.Reference), strings.Join(changes, "; ")))
	}
	return out
}

// diffWords is a cell's difference: points for shares, firms for counts.
func diffWords(c Cell) string {
	if c.Basis == "firms" {
		return Minus(fmt.Sprintf("%+.1f firms", c.Diff))
	}
	return Points(c.Diff) + " pts"
}

func basisWords(basis string) string {
	for _, b := range Bases {
		if b.Name == basis {
			return b.Words
		}
	}
	return basis
}

// IsControlled reports whether a variant is the copy of another run under
// one of the controls (compare --control names it <variant>+<control>).
func IsControlled(name string, controls []string) bool {
	for _, c := range controls {
		if strings.HasSuffix(name, "+"+c) {
			return true
		}
	}
	return false
}

// IsCopy reports whether variant name of s is another variant's copy under
// a control: compare --control names it <variant>+<control>, so its name
// is another variant's followed by "+". Unlike IsControlled it needs no
// focus.
func IsCopy(s *results.Summary, name string) bool {
	for _, v := range s.Variants {
		if v.Name != name && strings.HasPrefix(name, v.Name+"+") {
			return true
		}
	}
	return false
}
