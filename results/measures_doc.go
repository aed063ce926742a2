package results

import (
	"fmt"
	"math"
	"strings"
)

// MeasuresMarkdown is the Markdown list of the measures of one scope, in
// table order, as docs/outputs.md shows it: each name as files write it,
// its label, what its numbers are, its range and its Doc.
func MeasuresMarkdown(scope Scope) string {
	var b strings.Builder
	for _, m := range measureTable {
		if m.Scope != scope {
			continue
		}
		label := strings.NewReplacer("{shock}", "shock", "{horizon}", "H").Replace(m.Label)
		fmt.Fprintf(&b, "- `%s` — *%s*: %s, %s.", m.writtenName(), label, m.kindWords(), rangeWords(m.Lo, m.Hi))
		if m.Doc != "" {
			b.WriteString(" " + m.Doc)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// writtenName is the name as files write it, with <k> and <H> for the
// shock and the horizon.
func (m Measure) writtenName() string {
	switch m.Scope {
	case ScopeShock:
		return "shock<k>_" + m.Name
	case ScopeHorizon:
		return "shock<k>_" + m.Name + "_h<H>"
	}
	return m.Name
}

// kindWords says what the numbers are.
func (m Measure) kindWords() string {
	switch m.Kind {
	case Share:
		return "a share, shown in %"
	case Points:
		return "a difference of shares, shown in percentage points"
	case Count:
		if m.Unit != "" {
			return "a count of " + m.Unit
		}
		return "a count"
	}
	if m.Unit != "" {
		return "in " + m.Unit
	}
	return "a number"
}

// rangeWords says the range [lo, hi] in words.
func rangeWords(lo, hi float64) string {
	num := func(v float64) string { return strings.Replace(fmt.Sprint(v), "-", "−", 1) }
	switch {
	case math.IsInf(lo, -1) && math.IsInf(hi, 1):
		return "any value"
	case math.IsInf(lo, -1):
		return "at most " + num(hi)
	case math.IsInf(hi, 1):
		return num(lo) + " or more"
	}
	return "from " + num(lo) + " to " + num(hi)
}
