package scenarios

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// pos is a 1-based line and column in a file.
type pos struct{ Line, Col int }

// positions maps key paths to where they are written. Paths join keys with
// "." and number array elements from 1: "population.mix.imitator",
// "shocks[2].tick", "variants[1].population.mix", "sweep.vary[3]".
// Table headers are recorded under the table's path.
type positions map[string]pos

// locate returns the position that best explains path: the key itself;
// else the first key written below it; else its nearest ancestor written in
// the file. ok is false when nothing fits.
func (ps positions) locate(path string) (pos, bool) {
	if p, ok := ps[path]; ok {
		return p, true
	}
	var best pos
	found := false
	for k, p := range ps {
		if strings.HasPrefix(k, path) && len(k) > len(path) && (k[len(path)] == '.' || k[len(path)] == '[') {
			if !found || p.Line < best.Line || (p.Line == best.Line && p.Col < best.Col) {
				best, found = p, true
			}
		}
	}
	if found {
		return best, true
	}
	for {
		parent := parentPath(path)
		if parent == "" {
			return pos{}, false
		}
		if p, ok := ps[parent]; ok {
			return p, true
		}
		path = parent
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
// element of data, which must be valid TOML (it is parsed first). It never
// panics on other input; it just finds less.
func scanPositions(data []byte) positions {
	sc := &scanner{src: data, line: 1, col: 1, ps: positions{}, arrays: map[string]int{}}
	sc.document()
	return sc.ps
}

type scanner struct {
	src       []byte
	i         int
	line, col int
	ps        positions
	arrays    map[string]int // array-of-tables path → elements so far
	context   string         // current table path
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

func (s *scanner) record(path string, p pos) {
	if _, ok := s.ps[path]; !ok {
		s.ps[path] = p
	}
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
			s.keyValue(s.context)
		}
		s.skipSpace()
		if s.peek() == '#' {
			s.skipLine()
		}
		if s.i == start { // no progress: give up on this line
			s.skipLine()
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
	keys, _ := s.key()
	s.skipSpace()
	for n := 0; n < 2 && s.peek() == ']'; n++ {
		s.next()
	}
	// Resolve each prefix to the latest element of an array of tables.
	path := ""
	for i, k := range keys {
		path = join(path, k)
		if i == len(keys)-1 && array {
			s.arrays[path]++
			path += "[" + strconv.Itoa(s.arrays[path]) + "]"
			break
		}
		if n, ok := s.arrays[path]; ok {
			path += "[" + strconv.Itoa(n) + "]"
		}
		s.record(path, at)
	}
	s.record(path, at)
	s.context = path
}

// key reads a dotted key and the position of each part.
func (s *scanner) key() ([]string, []pos) {
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

func (s *scanner) keyValue(prefix string) {
	keys, at := s.key()
	if len(keys) == 0 {
		return
	}
	path := prefix
	for _, k := range keys {
		path = join(path, k)
		s.record(path, at[0])
	}
	s.ps[path] = at[0] // a dotted key is found at its start
	s.skipSpace()
	if s.peek() != '=' {
		return
	}
	s.next()
	s.skipSpace()
	s.value(path)
}

func (s *scanner) value(path string) {
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
		s.next()
		for n := 1; !s.eof(); n++ {
			s.skipBlank()
			if s.peek() == ']' || s.eof() {
				break
			}
			el := path + "[" + strconv.Itoa(n) + "]"
			s.record(el, s.here())
			before := s.i
			s.value(el)
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
		s.next()
		for !s.eof() {
			s.skipBlank()
			if s.peek() == '}' {
				break
			}
			before := s.i
			s.keyValue(path)
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
