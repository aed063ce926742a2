// Package suggest finds the names closest to a misspelt one, for the
// "did you mean …?" of error messages (scenario keys, enumeration values,
// built-in names).
package suggest

import (
	"sort"
	"strconv"
	"strings"
)

// Closest returns the best-matching candidates for name, closest first
// (at most three, all at the same distance), or nil if none is close:
// within an edit distance of a third of the shorter length (at least 1),
// case-insensitively; a name of four or more letters contained in the
// other counts as distance 1.
func Closest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	var best []scored
	ln := strings.ToLower(name)
	for _, c := range candidates {
		lc := strings.ToLower(c)
		limit := max(1, min(len(ln), len(lc))/3)
		if abs(len(ln)-len(lc)) > limit && !strings.Contains(lc, ln) && !strings.Contains(ln, lc) {
			continue // too far apart in length to be close
		}
		d := Distance(ln, lc)
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

func abs(x int) int { return max(x, -x) }

// DidYouMean formats suggestions as `did you mean "a"?` or `did you mean
// "a" or "b"?`; "" if there are none.
func DidYouMean(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return "did you mean " + strings.Join(q, " or ") + "?"
}

// For is DidYouMean of the candidates closest to name.
func For(name string, candidates []string) string { return DidYouMean(Closest(name, candidates)) }

// Distance is the Levenshtein edit distance between a and b, in bytes.
func Distance(a, b string) int {
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
