package scenarios

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pos is a 1-based line and column in a file.
type pos struct{ Line, Col int }

// positions records where keys are written, as a tree of the file's keys:
// each key and array element is stored once, under its parent, so the
// memory taken is proportional to the file, however deep its nesting.
// Paths join keys with "." and number array elements from 1:
// "population.mix.imitator", "shocks[2].tick", "variants[1].population.mix",
// "sweep.vary[3]". Table headers are recorded under the table's path. The
// zero value holds nothing.
type positions struct{ root *posNode }

type posNode struct {
	at    pos
	set   bool
	def   definition // how the file defined this table, if it is one
	keys  map[string]*posNode
	elems []*posNode // array elements, or entries of an array of tables
}

// definition is how a table was defined, for the layout rules of TOML
// 1.0 that the TOML library does not enforce (see checkHeader and
// checkDotted).
type definition uint8

const (
	defNone   definition = iota // not defined, or only implied by a deeper [a.b] header
	defHeader                   // by its own [header] (or as an entry of [[header]])
	defDotted                   // by dotted keys (a.b = 1 defines table a)
	defInline                   // by an inline table { … }, closed at its brace
)

func (n *posNode) child(key string) *posNode {
	if n.keys == nil {
		n.keys = map[string]*posNode{}
	}
	c, ok := n.keys[key]
	if !ok {
		c = &posNode{}
		n.keys[key] = c
	}
	return c
}

func (n *posNode) record(p pos) {
	if !n.set {
		n.at, n.set = p, true
	}
}

// pathSteps yields the steps of a path: a key, or an array index (≥ 1)
// with key "".
func pathSteps(path string, yield func(key string, index int) bool) {
	for path != "" {
		if path[0] == '[' {
			end := strings.IndexByte(path, ']')
			if end < 0 {
				yield(path, 0)
				return
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || !yield("", i) {
				return
			}
			path = strings.TrimPrefix(path[end+1:], ".")
			continue
		}
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			yield(path, 0)
			return
		}
		if !yield(path[:end], 0) {
			return
		}
		path = path[end:]
		path = strings.TrimPrefix(path, ".")
	}
}

// walk follows path and calls visit with each node on the way; it
// returns the node of path, or nil.
func (ps positions) walk(path string, visit func(*posNode)) *posNode {
	n := ps.root
	if n == nil {
		return nil
	}
	pathSteps(path, func(key string, index int) bool {
		switch {
		case key != "":
			n = n.keys[key]
		case index >= 1 && index <= len(n.elems):
			n = n.elems[index-1]
		default:
			n = nil
		}
		if n != nil && visit != nil {
			visit(n)
		}
		return n != nil
	})
	return n
}

// get returns the position of path itself.
func (ps positions) get(path string) (pos, bool) {
	if n := ps.walk(path, nil); n != nil && n.set {
		return n.at, true
	}
	return pos{}, false
}

// has reports whether path is written in the file.
func (ps positions) has(path string) bool { _, ok := ps.get(path); return ok }

// locate returns the position that best explains path: the key itself;
// else the first key written below it; else its nearest ancestor written in
// the file. ok is false when nothing fits.
func (ps positions) locate(path string) (pos, bool) {
	var ancestor pos
	found := false
	n := ps.walk(path, func(n *posNode) {
		if n.set {
			ancestor, found = n.at, true
		}
	})
	if n != nil {
		if n.set {
			return n.at, true
		}
		if p, ok := n.first(); ok {
			return p, true
		}
	}
	return ancestor, found
}

// first returns the earliest position below n.
func (n *posNode) first() (pos, bool) {
	var best pos
	found := false
	var visit func(*posNode)
	visit = func(c *posNode) {
		if c.set && (!found || c.at.Line < best.Line || c.at.Line == best.Line && c.at.Col < best.Col) {
			best, found = c.at, true
		}
		for _, k := range c.keys {
			visit(k)
		}
		for _, e := range c.elems {
			visit(e)
		}
	}
	for _, k := range n.keys {
		visit(k)
	}
	for _, e := range n.elems {
		visit(e)
	}
	return best, found
}

// each calls f with every recorded path and its position (in no order).
func (ps positions) each(f func(path string, p pos)) {
	var visit func(n *posNode, path string)
	visit = func(n *posNode, path string) {
		if n.set && path != "" {
			f(path, n.at)
		}
		for k, c := range n.keys {
			visit(c, join(path, k))
		}
		for i, e := range n.elems {
			visit(e, path+"["+strconv.Itoa(i+1)+"]")
		}
	}
	if ps.root != nil {
		visit(ps.root, "")
	}
}

// parentPath strips the last component (".key" or "[i]") of path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// scanPositions finds the position of every key, table header and array
// element of data. It reads data once, in time and memory proportional to
// its size, and stops at the first limit exceeded (maxDepth, maxKeys,
// maxValues), which it returns as a problem with its line and column: so
// it runs before the TOML parser, whose cost grows faster. It never
// panics on input that is not TOML; it just finds less (the parser then
// reports the syntax error).
func scanPositions(data []byte) (positions, *Problem) {
	ps, _, p := scanPositionsCtx(context.Background(), data)
	return ps, p
}

// scanStop is where the scanner stopped reading: a character that starts
// no key, table header or comment. Nothing after it was checked.
type scanStop struct{ offset int }

// scanPositionsCtx is scanPositions that also returns where the scan
// stopped early, if it did, and gives up when ctx is done.
func scanPositionsCtx(ctx context.Context, data []byte) (positions, *scanStop, *Problem) {
	root := &posNode{}
	sc := &scanner{src: data, line: 1, col: 1, root: root, context: root, ctx: ctx}
	sc.document()
	return positions{root}, sc.stop, sc.err
}

type scanner struct {
	src       []byte
	i         int
	line, col int
	root      *posNode
	context   *posNode // the current table
	ctxPath   string   // its path, for problems ("variants[2].population")
	depth     int      // depth of the current table's keys: its header's parts
	keys      int      // key parts so far
	values    int      // values so far, array elements included
	err       *Problem // the first limit exceeded
	stop      *scanStop
	ctx       context.Context
}

// fail records a limit exceeded here and stops the scan.
func (s *scanner) fail(format string, a ...any) {
	if s.err == nil {
		s.err = &Problem{Line: s.line, Col: s.col, Msg: fmt.Sprintf(format, a...)}
	}
	s.i = len(s.src)
}

// layout records a table layout TOML forbids, at p, and stops the scan.
func (s *scanner) layout(p pos, key, format string, a ...any) {
	if s.err == nil {
		s.err = &Problem{Line: p.Line, Col: p.Col, Key: key, Msg: fmt.Sprintf(format, a...)}
	}
	s.i = len(s.src)
}

// deeper checks that a value or key at depth is within maxDepth.
func (s *scanner) deeper(depth int) bool {
	if depth > maxDepth {
		s.fail("nested %d levels deep (table header, dotted key, arrays and inline tables); a scenario file may nest at most %d", depth, maxDepth)
		return false
	}
	return true
}

// value counts a value against maxValues.
func (s *scanner) value1() bool {
	if s.values++; s.values > maxValues {
		s.fail("more than %d values; a scenario file needs a few hundred", maxValues)
		return false
	}
	return true
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

func (s *scanner) has(prefix string) bool {
	return strings.HasPrefix(string(s.src[s.i:min(len(s.src), s.i+len(prefix))]), prefix)
}

// next advances one byte, keeping line and (rune) column.
func (s *scanner) next() {
	if s.eof() {
		return
	}
	c := s.src[s.i]
	s.i++
	if c == '\n' {
		s.line++
		s.col = 1
	} else if utf8.RuneStart(c) {
		s.col++
	}
}

func (s *scanner) here() pos {
	// s.col counts rune starts passed on this line; a continuation byte
	// under the cursor does not start a new column.
	return pos{s.line, s.col}
}

func (s *scanner) skipSpace() {
	for c := s.peek(); c == ' ' || c == '\t'; c = s.peek() {
		s.next()
	}
}

// skipBlank skips spaces, newlines and comments.
func (s *scanner) skipBlank() {
	for !s.eof() {
		switch s.peek() {
		case ' ', '\t', '\r', '\n':
			s.next()
		case '#':
			s.skipLine()
		default:
			return
		}
	}
}

// skipLine skips to just past the next newline.
func (s *scanner) skipLine() {
	for !s.eof() && s.peek() != '\n' {
		s.next()
	}
	s.next()
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func (s *scanner) document() {
	for guard := 0; !s.eof() && guard < len(s.src)+1; guard++ {
		start := s.i
		s.skipBlank()
		if s.eof() {
			return
		}
		if s.peek() == '[' {
			s.header()
		} else {
			s.keyValue(s.context, s.ctxPath, s.depth)
		}
		s.skipSpace()
		if s.peek() == '#' {
			s.skipLine()
		}
		if s.i == start { // no progress: nothing after here is checked
			s.stop = &scanStop{offset: s.i}
			return
		}
		if s.i>>16 != start>>16 && s.ctx.Err() != nil {
			return
		}
	}
}

func (s *scanner) header() {
	at := s.here()
	s.next()
	array := s.peek() == '['
	if array {
		s.next()
	}
	s.skipSpace()
	keys, _ := s.key(0)
	s.depth = len(keys)
	if array {
		s.depth++
	}
	if !s.deeper(s.depth) {
		return
	}
	s.skipSpace()
	for n := 0; n < 2 && s.peek() == ']'; n++ {
		s.next()
	}
	// Each prefix resolves to the latest entry of an array of tables.
	n := s.root
	path := ""
	for i, k := range keys {
		n = n.child(k)
		path = join(path, k)
		if !s.checkHeader(n, path, at, i == len(keys)-1 && !array) {
			return
		}
		if i == len(keys)-1 && array {
			n.record(at)
			n.elems = append(n.elems, &posNode{def: defHeader})
			path += "[" + strconv.Itoa(len(n.elems)) + "]"
			n = n.elems[len(n.elems)-1]
			break
		}
		if len(n.elems) > 0 {
			path += "[" + strconv.Itoa(len(n.elems)) + "]"
			n = n.elems[len(n.elems)-1]
		}
		n.record(at)
	}
	n.record(at)
	if !array {
		n.def = defHeader
	}
	s.context, s.ctxPath = n, path
}

// checkHeader applies TOML's rules to the table n at path, named by a
// header at at (last: n is the table the header defines, else one of its
// parents). An inline table is complete: no header may add to it. A table
// defined by dotted keys (market.base_margin = 0.3 defines market) may
// not be defined again by a header ([market]), though a header may add a
// sub-table to it. The TOML library accepts both; a table defined twice
// by headers it refuses itself.
func (s *scanner) checkHeader(n *posNode, path string, at pos, last bool) bool {
	switch {
	case n.def == defInline:
		s.layout(at, path, "an inline table (line %d) is complete: this header cannot add to it; write all its keys inside the braces, or make it a [%s] table", n.at.Line, path)
		return false
	case last && n.def == defDotted:
		s.layout(at, path, "already defined by dotted keys at line %d, and TOML defines a table once: write its keys under this header, or all as dotted keys", n.at.Line)
		return false
	}
	return true
}

// key reads a dotted key at depth base and the position of each part.
func (s *scanner) key(base int) ([]string, []pos) {
	var keys []string
	var at []pos
	for !s.eof() {
		s.skipSpace()
		at = append(at, s.here())
		switch s.peek() {
		case '"':
			keys = append(keys, s.basicString())
		case '\'':
			keys = append(keys, s.literalString())
		default:
			start := s.i
			for c := s.peek(); isBare(c); c = s.peek() {
				s.next()
			}
			keys = append(keys, string(s.src[start:s.i]))
		}
		if !s.deeper(base + len(keys)) {
			return nil, nil
		}
		if keys[len(keys)-1] != "" {
			if s.keys++; s.keys > maxKeys {
				s.fail("more than %d keys; a scenario file needs a few hundred", maxKeys)
				return nil, nil
			}
		}
		s.skipSpace()
		if s.peek() != '.' {
			break
		}
		s.next()
	}
	return keys, at
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// keyValue reads a key and its value in the table parent, whose path is
// parentPath, at depth base.
func (s *scanner) keyValue(parent *posNode, parentPath string, base int) {
	keys, at := s.key(base)
	if len(keys) == 0 {
		return
	}
	n := parent
	for i, k := range keys {
		n = n.child(k)
		n.record(at[0])
		if i < len(keys)-1 && !s.checkDotted(n, join(parentPath, strings.Join(keys[:i+1], ".")), at[0]) {
			return
		}
	}
	n.at, n.set = at[0], true // a dotted key is found at its start
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	s.next()
	s.skipSpace()
	s.value(n, join(parentPath, strings.Join(keys, ".")), base+len(keys))
}

// checkDotted applies TOML's rules to the table n at path that a dotted
// key at at goes through (one of its first parts): dotted keys may not add to an
// inline table, which is complete, nor to a table its own [header]
// defined ([population.mix] then, under [population], mix.adaptive = 0).
// The TOML library accepts both. n is then defined by dotted keys.
func (s *scanner) checkDotted(n *posNode, path string, at pos) bool {
	switch n.def {
	case defInline:
		s.layout(at, path, "an inline table (line %d) is complete: this dotted key cannot add to it; write all its keys inside the braces", n.at.Line)
		return false
	case defHeader:
		s.layout(at, path, "defined by its [%s] header at line %d: write this key under that header, not as a dotted key", path, n.at.Line)
		return false
	case defNone:
		n.def = defDotted
	}
	return true
}

// value reads the value of the key n at path, at depth.
func (s *scanner) value(n *posNode, path string, depth int) {
	if !s.value1() {
		return
	}
	switch {
	case s.has(`"""`):
		s.multiline(`"""`, true)
	case s.has(`'''`):
		s.multiline(`'''`, false)
	case s.peek() == '"':
		s.basicString()
	case s.peek() == '\'':
		s.literalString()
	case s.peek() == '[':
		if !s.deeper(depth + 1) {
			return
		}
		s.next()
		for !s.eof() {
			s.skipBlank()
			if s.peek() == ']' || s.eof() {
				break
			}
			el := &posNode{}
			el.record(s.here())
			n.elems = append(n.elems, el)
			before := s.i
			s.value(el, path+"["+strconv.Itoa(len(n.elems))+"]", depth+1)
			s.skipBlank()
			if s.peek() == ',' {
				s.next()
			} else if s.i == before {
				break
			}
		}
		if s.peek() == ']' {
			s.next()
		}
	case s.peek() == '{':
		if !s.deeper(depth + 1) {
			return
		}
		s.next()
		for !s.eof() {
			s.skipBlank()
			if s.peek() == '}' {
				break
			}
			before := s.i
			s.keyValue(n, path, depth+1)
			s.skipBlank()
			if s.peek() == ',' {
				s.next()
			} else if s.i == before {
				break
			}
		}
		if s.peek() == '}' {
			s.next()
		}
		n.def = defInline
	default: // number, bool, date/time
		for c := s.peek(); !s.eof() && c != ',' && c != ']' && c != '}' && c != '#' && c != '\n'; c = s.peek() {
			s.next()
		}
	}
}

// basicString reads a "…" string and returns its (unescaped) text.
func (s *scanner) basicString() string {
	start := s.i
	s.next()
	for !s.eof() && s.peek() != '"' && s.peek() != '\n' {
		if s.peek() == '\\' {
			s.next()
		}
		s.next()
	}
	s.next()
	raw := string(s.src[start:s.i])
	if u, err := strconv.Unquote(raw); err == nil {
		return u
	}
	return strings.Trim(raw, `"`)
}

func (s *scanner) literalString() string {
	s.next()
	start := s.i
	for !s.eof() && s.peek() != '\'' && s.peek() != '\n' {
		s.next()
	}
	text := string(s.src[start:s.i])
	s.next()
	return text
}

func (s *scanner) multiline(delim string, escapes bool) {
	for range 3 {
		s.next()
	}
	for !s.eof() {
		if escapes && s.peek() == '\\' {
			s.next()
			s.next()
			continue
		}
		if s.has(delim) {
			for range 3 {
				s.next()
			}
			// Up to two more quotes may belong to the string.
			for n := 0; n < 2 && s.peek() == delim[0]; n++ {
				s.next()
			}
			return
		}
		s.next()
	}
}
