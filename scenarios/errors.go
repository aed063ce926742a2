package scenarios

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
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
// that are unknown.
func (p Problem) String() string {
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

// errorOf returns ps as an *Error sorted by position, or nil if empty.
func errorOf(ps []Problem) error {
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
	return &Error{Problems: out}
}

// suggest returns the best-matching candidates for name, closest first, or
// nil if none is close.
func suggest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	var best []scored
	ln := strings.ToLower(name)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein(ln, lc)
		limit := max(1, min(len(ln), len(lc))/3)
		if len(ln) >= 4 && len(lc) >= 4 && (strings.Contains(lc, ln) || strings.Contains(ln, lc)) {
			d = min(d, 1)
		}
		if d <= limit {
			best = append(best, scored{c, d})
		}
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].d < best[j].d })
	var out []string
	for _, b := range best {
		if b.d == best[0].d && len(out) < 3 {
			out = append(out, b.s)
		}
	}
	return out
}

// didYouMean formats suggestions as `did you mean "a"?` or `did you mean
// "a" or "b"?`; "" if there are none.
func didYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return "did you mean " + strings.Join(q, " or ") + "?"
}

// levenshtein is the edit distance between a and b, in bytes.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
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
	default:
		return "a date/time"
	}
}
