package scenarios

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Limits on a scenario file. They are far beyond what any scenario needs
// (the built-ins are a few KB, with about 150 keys nested at most 5 levels
// deep) and keep the time and memory taken by parsing bounded: the TOML
// library's cost grows with the square of the nesting, so a 200 KB file
// of nested brackets once took minutes and gigabytes.
const (
	// MaxFileSize is the largest scenario file read, in bytes.
	MaxFileSize = 1 << 20
	// maxDepth bounds how deep a value is nested: the parts of its table
	// header and of its dotted key, plus the arrays and inline tables
	// around it ("[variants.population] mix = { imitator = 0.8 }" puts
	// 0.8 at depth 5).
	maxDepth = 12
	// maxKeys bounds the key parts of a file (a dotted key of three
	// parts counts three).
	maxKeys = 10_000
	// maxValues bounds the values of a file, array elements included.
	maxValues = 100_000
)

const deepMsg = "nested %d levels deep (table header, dotted key, arrays and inline tables); a scenario file may nest at most %d"

// bom is the UTF-8 byte-order mark some editors write at the start of a file.
var bom = []byte("\xef\xbb\xbf")

// checkText checks that data can be parsed in bounded time and memory:
// its size, that it is UTF-8, and the nesting and number of its keys and
// values. It reads data once, skipping strings and comments; data need not
// be valid TOML (what is not is left to the parser). The problem found, if
// any, carries its line and column.
func checkText(file string, data []byte) *Problem {
	if len(data) > MaxFileSize {
		return &Problem{File: file, Msg: fmt.Sprintf("the file is %d bytes; a scenario file may be at most %d bytes (1 MiB)", len(data), MaxFileSize)}
	}
	if !utf8.Valid(data) {
		// Point at the byte itself (the TOML parser points at the start of
		// the string holding it).
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				line, col, ctx := snippet(string(data), toml.Position{Start: i, Len: 1})
				return &Problem{File: file, Line: line, Col: col, Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): a scenario file must be UTF-8 text\n%s", data[i], ctx)}
			}
			i += size
		}
	}
	g := guard{src: data, line: 1, col: 1}
	return g.run(file)
}

// guard is the bounded pre-scan of checkText.
type guard struct {
	src       []byte
	i         int
	line, col int
	keys      int
	values    int
}

func (g *guard) eof() bool { return g.i >= len(g.src) }

func (g *guard) peek() byte {
	if g.eof() {
		return 0
	}
	return g.src[g.i]
}

func (g *guard) next() {
	if g.eof() {
		return
	}
	c := g.src[g.i]
	g.i++
	if c == '\n' {
		g.line, g.col = g.line+1, 1
	} else if utf8.RuneStart(c) {
		g.col++
	}
}

func (g *guard) has(s string) bool { return bytes.HasPrefix(g.src[g.i:], []byte(s)) }

func (g *guard) skipSpace() {
	for c := g.peek(); c == ' ' || c == '\t' || c == '\r'; c = g.peek() {
		g.next()
	}
}

// container is an open array or inline table and the depth of its values.
type container struct {
	table bool
	depth int
}

func (g *guard) run(file string) *Problem {
	var stack []container
	header := 0       // depth of the current table header
	expectKey := true // a key may start here
	valueDepth := 0   // depth of the value about to start
	at := func(msg string, a ...any) *Problem {
		return &Problem{File: file, Line: g.line, Col: g.col, Msg: fmt.Sprintf(msg, a...)}
	}
	tooDeep := func(depth int) *Problem {
		if depth > maxDepth {
			return at(deepMsg, depth, maxDepth)
		}
		return nil
	}
	for !g.eof() {
		start := g.i
		g.skipSpace()
		c := g.peek()
		switch {
		case g.eof():
			return nil
		case c == '#':
			for !g.eof() && g.peek() != '\n' {
				g.next()
			}
		case c == '\n':
			g.next()
			if len(stack) == 0 {
				expectKey = true
			}
		case len(stack) == 0 && expectKey && c == '[':
			// A table header: [a.b] or [[a.b]].
			g.next()
			array := g.peek() == '['
			if array {
				g.next()
			}
			parts, p := g.key(0)
			if p != nil {
				p.File = file
				return p
			}
			header = parts
			if array {
				header++
			}
			expectKey = false
		case expectKey:
			base := header
			if len(stack) > 0 {
				base = stack[len(stack)-1].depth
			}
			parts, p := g.key(base)
			if p != nil {
				p.File = file
				return p
			}
			valueDepth = base + parts
			g.skipSpace()
			if g.peek() == '=' {
				g.next()
			}
			expectKey = false
		case c == '[' || c == '{':
			if g.values++; g.values > maxValues {
				return at("more than %d values; a scenario file needs a few hundred", maxValues)
			}
			if p := tooDeep(valueDepth + 1); p != nil {
				return p
			}
			stack = append(stack, container{table: c == '{', depth: valueDepth + 1})
			valueDepth++
			g.next()
			expectKey = c == '{'
		case c == ']' || c == '}':
			g.next()
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey = false
		case c == ',':
			g.next()
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				valueDepth = top.depth
				expectKey = top.table
			}
		case c == '"' || c == '\'':
			if g.values++; g.values > maxValues {
				return at("more than %d values; a scenario file needs a few hundred", maxValues)
			}
			g.str()
		default: // a number, boolean or date, or something the parser rejects
			if g.values++; g.values > maxValues {
				return at("more than %d values; a scenario file needs a few hundred", maxValues)
			}
			for c := g.peek(); !g.eof() && c != ',' && c != ']' && c != '}' && c != '#' && c != '\n' && c != '[' && c != '{' && c != '"' && c != '\''; c = g.peek() {
				g.next()
			}
		}
		if g.i == start {
			g.next() // always move on
		}
	}
	return nil
}

// key skips a dotted key at depth base and returns its number of parts.
func (g *guard) key(base int) (int, *Problem) {
	parts := 0
	for !g.eof() {
		g.skipSpace()
		before := g.i
		switch g.peek() {
		case '"', '\'':
			g.str()
		default:
			for c := g.peek(); c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'; c = g.peek() {
				g.next()
			}
		}
		if g.i == before {
			break
		}
		parts++
		if base+parts > maxDepth {
			return 0, &Problem{Line: g.line, Col: g.col, Msg: fmt.Sprintf(deepMsg, base+parts, maxDepth)}
		}
		if g.keys++; g.keys > maxKeys {
			return 0, &Problem{Line: g.line, Col: g.col, Msg: fmt.Sprintf("more than %d keys; a scenario file needs a few hundred", maxKeys)}
		}
		g.skipSpace()
		if g.peek() != '.' {
			break
		}
		g.next()
	}
	return parts, nil
}

// str skips a string of any of the four kinds.
func (g *guard) str() {
	q := g.peek()
	if g.has(`"""`) || g.has(`'''`) {
		delim := string([]byte{q, q, q})
		for range 3 {
			g.next()
		}
		for !g.eof() {
			if q == '"' && g.peek() == '\\' {
				g.next()
				g.next()
				continue
			}
			if g.has(delim) {
				for range 3 {
					g.next()
				}
				for n := 0; n < 2 && g.peek() == q; n++ {
					g.next()
				}
				return
			}
			g.next()
		}
		return
	}
	g.next()
	for !g.eof() && g.peek() != q && g.peek() != '\n' {
		if q == '"' && g.peek() == '\\' {
			g.next()
		}
		g.next()
	}
	if g.peek() == q {
		g.next()
	}
}
