package scenarios

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// parseBudget is the most a parse of n bytes may allocate: a scenario
// takes 25 to 80 bytes per byte of file, so this is far above any text
// within the limits and far below what the TOML parser takes on
// unchecked nesting.
func parseBudget(n int) uint64 { return 1<<20 + 1024*uint64(n) }

// parseTimeBudget is the most a parse may take, whatever its input: a
// 1 MiB file within the limits takes milliseconds; a bypass of the limits
// takes seconds for a few KB.
const parseTimeBudget = 2 * time.Second

// withinBudget runs f, a parse of n bytes, and fails t if it allocates
// more than parseBudget(n) or takes more than parseTimeBudget: the fuzz
// targets use it so that fuzzing finds inputs that bypass the limits, not
// only panics.
func withinBudget(t *testing.T, n int, f func()) {
	t.Helper()
	start := time.Now()
	got := allocated(f)
	if took := time.Since(start); took > parseTimeBudget {
		t.Fatalf("a parse of %d bytes took %v (budget %v)", n, took, parseTimeBudget)
	}
	if got > parseBudget(n) {
		t.Fatalf("a parse of %d bytes allocated %d bytes (budget %d)", n, got, parseBudget(n))
	}
}

// bombs are texts beyond the limits of the kinds that make the TOML
// parser slow: nested arrays and inline tables, long dotted keys and
// deep table headers.
func bombs() map[string]string {
	const n = 1000
	return map[string]string{
		"arrays":  "a = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n",
		"inline":  "a = " + strings.Repeat("{b=", n/2) + "1" + strings.Repeat("}", n/2) + "\n",
		"dotted":  strings.Repeat("a.", n) + "a = 1\n",
		"header":  "[" + strings.Repeat("a.", n) + "a]\n",
		"headers": strings.Repeat("[["+strings.Repeat("b.", 20)+"b]]\n", n/20),
	}
}

// TestBombsCostTheParser checks that the budget could fail: the TOML
// parser on a bomb, unchecked, allocates more than it.
func TestBombsCostTheParser(t *testing.T) {
	for name, b := range bombs() {
		if name == "headers" || name == "arrays" {
			continue // beyond the limit of nesting, not costly to this parser
		}
		var m map[string]any
		if got := allocated(func() { toml.Decode(b, &m) }); got <= parseBudget(len(b)) {
			t.Errorf("%s: the unchecked parser allocates %d bytes, within the budget %d: the budget cannot find a bypass", name, got, parseBudget(len(b)))
		}
	}
}

// prefixPieces are what can come before a scenario's first key: every
// byte-order mark (UTF-8, UTF-16, UTF-32), characters that look like
// nothing, control characters, blank lines and comments.
var prefixPieces = []string{
	"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff", "\x00\x00\xfe\xff", "\xff\xfe\x00\x00",
	"\xef\xbb", "\xbb\xbf", "\xef", "\xfe", "\xff", "\x00",
	"\u200b", "\u2060", "\u00a0", "\u2028", "\ufffe", "\x1a", "\x7f",
	"\r", "\n", "\r\n", " ", "\t", "\v", "\f", "#\n", "# \xef\xbb\xbf\n", "\"\"\"", "'''",
}

// TestLimitsWhateverThePrefix generates the bypass class of issue 26:
// every sequence of up to two prefixPieces, and of three of the first
// eleven (the byte-order marks and their parts), before every bomb, on
// the same line and on the next. Each is refused, within the allocation
// budget, with a problem that has a line (or the file's size). The limit
// checks must see every byte the TOML parser sees.
func TestLimitsWhateverThePrefix(t *testing.T) {
	var prefixes []string
	var gen func(p string, n int, pieces []string)
	gen = func(p string, n int, pieces []string) {
		prefixes = append(prefixes, p)
		if n == 0 {
			return
		}
		for _, q := range pieces {
			gen(p+q, n-1, pieces)
		}
	}
	gen("", 2, prefixPieces)
	gen("", 3, prefixPieces[:11])
	bs := bombs()
	tried := 0
	for _, p := range prefixes {
		for name, b := range bs {
			for _, sep := range []string{"", "\n"} {
				src := []byte(p + sep + b)
				var err error
				got := allocated(func() { _, err = Parse("x.toml", src) })
				tried++
				if err == nil {
					t.Fatalf("prefix %q + %s%q: accepted", p, name, sep)
				}
				if got > parseBudget(len(src)) {
					t.Fatalf("prefix %q + %s%q: allocated %d bytes, budget %d: the limits were bypassed (%v)", p, name, sep, got, parseBudget(len(src)), err)
				}
				var e *Error
				if !errors.As(err, &e) || len(e.Problems) == 0 {
					t.Fatalf("prefix %q + %s: error %T without problems", p, name, err)
				}
			}
		}
	}
	if tried < 10000 {
		t.Fatalf("only %d cases generated", tried)
	}
}

// A second byte-order mark is refused at line 1, column 1.
func TestSecondBOM(t *testing.T) {
	for _, p := range []string{"\xef\xbb\xbf\xef\xbb\xbf", "\xef\xbb\xbf\xff\xfe", "\xef\xbb\xbf\xfe\xff"} {
		_, err := Parse("x.toml", []byte(p+"[meta]\nname = \"x\"\n"))
		if err == nil || !strings.Contains(err.Error(), "x.toml:1:1:") {
			t.Errorf("%q: %v, want a problem at x.toml:1:1", p, err)
		}
	}
	if _, err := Parse("x.toml", []byte("\xef\xbb\xbf[meta]\nname = \"x\"\n")); err != nil {
		t.Errorf("one byte-order mark: %v", err)
	}
}

// A character that starts no key stops the scan: the parser's syntax
// error is reported with its line, and nothing after it is parsed.
func TestScanStopsWhereItCannotRead(t *testing.T) {
	cases := []struct{ src, want string }{
		{"[meta]\n!x = 1\n", "x.toml:2:"},
		{"[meta]\n\u200bname = \"x\"\n", "x.toml:2:1: meta: syntax error"},
		{"[meta]\n\u200b" + bombs()["dotted"], "x.toml:2:1: meta: syntax error"},
		{"[meta]\n\x00a = 1\n", "control characters"},
	}
	for _, c := range cases {
		_, err := Parse("x.toml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40q: %.200v, want %q", c.src, err, c.want)
		}
	}
}

// Parsing stops when its context is done.
func TestParseInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src, _ := BuiltinSource("baseline")
	if _, err := ParseContext(ctx, "x.toml", src); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if _, err := ParseContext(ctx, "x.toml", src); err != nil {
		t.Errorf("not cancelled: %v", err)
	}
}

// DecodeTOML (used for results directories' scenario.toml) applies the
// same limits.
func TestDecodeTOMLLimits(t *testing.T) {
	for name, b := range bombs() {
		src := "\xef\xbb\xbf\xef\xbb\xbf" + b
		var err error
		got := allocated(func() { _, err = DecodeTOML(context.Background(), "scenario.toml", []byte(src)) })
		if err == nil || got > parseBudget(len(src)) {
			t.Errorf("%s: err %v, %d bytes allocated", name, err, got)
		}
	}
	m, err := DecodeTOML(context.Background(), "scenario.toml", []byte("a = 1\n"))
	if err != nil || m["a"] != int64(1) {
		t.Errorf("DecodeTOML: %v %v", m, err)
	}
}

// Invalid UTF-8 through --set is refused, and the message is valid UTF-8.
func TestSetInvalidUTF8(t *testing.T) {
	s := Default()
	for _, a := range []string{"meta.name=\xff", "meta.description=a\xc3", "network.kind=\xed\xa0\x80"} {
		err := s.Set(a)
		if err == nil {
			t.Errorf("Set(%q) accepted", a)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "invalid UTF-8") || !utf8.ValidString(msg) {
			t.Errorf("Set(%q): %q", a, msg)
		}
	}
}
