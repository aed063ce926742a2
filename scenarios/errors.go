package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a scenario. Line and Col are 1-based and
// zero when unknown (a default, or a --set override).
type Problem struct {
	File      string // file path, or "--set key=value" for an override
	Line, Col int
	Key       string // key path, e.g. "market.base_margin" or "shocks[2].tick"; may be empty
	Msg       string // what is wrong and what is allowed
}

// String formats p as "file:line:col: key: message", leaving out the parts
// that are unknown. Control characters and invalid UTF-8 from the input are
// escaped (see [Printable]), so that a file cannot drive the terminal.
func (p Problem) String() string {
	p.File, p.Key = Echo(p.File), Echo(p.Key)
	p.Msg = printableText(shorten(p.Msg, maxMsg))
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
		if p.Col > 0 {
			b.WriteString(":" + strconv.Itoa(p.Col))
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Bounds on what a problem echoes of its input: a --set of 100,000
// brackets, or a 900,000-digit number, is named, not printed whole.
const (
	maxEcho = 200  // bytes of the file (or --set) and key
	maxMsg  = 2000 // bytes of the message
)

// Echo is what an error message shows of an input s: at most about 200
// bytes of it, made printable.
func Echo(s string) string { return Printable(shorten(s, maxEcho)) }

// shorten cuts s to about n bytes, at a character boundary, saying how
// much was left out.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes more)", len(s)-cut)
}

// Printable returns s with everything that could act on a terminal
// escaped: control characters (escape sequences, bells, carriage returns,
// newlines), Unicode bidirectional controls and invalid UTF-8, each
// written as a Go escape (\x1b, \u202e, \xff). Text without them is
// returned unchanged.
func Printable(s string) string { return printable(s, false) }

// printableText is Printable keeping newlines and tabs, for messages that
// quote lines of a file.
func printableText(s string) string { return printable(s, true) }

func printable(s string, text bool) string {
	clean := func(r rune) bool {
		switch {
		case r == '\n' || r == '\t':
			return text
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			return false
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c:
			return false // bidirectional controls can reorder what is shown
		}
		return r != utf8.RuneError
	}
	ok := true
	for i, r := range s {
		if !clean(r) || r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case clean(r) || r == utf8.RuneError:
			b.WriteString(s[i : i+size])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// Error lists every problem found in a scenario. Parse, Load, Open, Set and
// Validate return it for any invalid input.
type Error struct {
	Problems []Problem
	err      error // underlying cause (e.g. a file that cannot be read)
}

// Error returns every problem, one per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the underlying cause, if any (e.g. fs.ErrNotExist).
func (e *Error) Unwrap() error { return e.err }

// maxProblems is the number of problems shown for one scenario.
const maxProblems = 100

// errorOf returns ps as an *Error sorted by position, or nil if empty.
func errorOf(ps []Problem) error { return errorOfMore(ps, 0) }

// errorOfMore is errorOf for a file with more problems than were worked
// out: at most maxProblems are listed, followed by how many more there are.
func errorOfMore(ps []Problem, more int) error {
	if len(ps) == 0 {
		return nil
	}
	ps = append([]Problem(nil), ps...)
	// Files in order of first appearance (the file, then --set overrides);
	// within a file by position, problems without a line last.
	rank := map[string]int{}
	for _, p := range ps {
		if _, ok := rank[p.File]; !ok {
			rank[p.File] = len(rank)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if rank[a.File] != rank[b.File] {
			return rank[a.File] < rank[b.File]
		}
		if (a.Line == 0) != (b.Line == 0) {
			return a.Line != 0
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	// Drop exact duplicates.
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	if len(out) > maxProblems {
		more += len(out) - maxProblems
		out = out[:maxProblems]
	}
	if more > 0 {
		out = append(out, Problem{File: out[0].File, Msg: fmt.Sprintf("… and %d more problems (only the first %d are shown)", more, len(out))})
	}
	return &Error{Problems: out}
}

// quoteList formats names as "a, b, c".
func quoteList(names []string) string { return strings.Join(names, ", ") }

// fmtValue renders a decoded TOML value for a message.
func fmtValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case float64:
		return formatFloat(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmtValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any, table:
		return "a table"
	case []map[string]any, []table:
		return "an array of tables"
	case bigInt:
		return string(x)
	default:
		return fmt.Sprint(x)
	}
}

// typeName names the TOML type of a decoded value, with an article.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any, table:
		return "a table"
	case []map[string]any, []table:
		return "an array of tables"
	case bigInt:
		return "an integer beyond 64 bits"
	default:
		return "a date/time"
	}
}
