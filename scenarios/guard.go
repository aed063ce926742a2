package scenarios

import (
	"fmt"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Limits on a scenario file. They are far beyond what any scenario needs
// and keep the time and memory taken by parsing bounded: the TOML
// library's cost grows with the square of the nesting and with the length
// of dotted keys, so a 200 KB file of nested brackets once took minutes and
// gigabytes.
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

// bom is the UTF-8 byte-order mark some editors write at the start of a file.
var bom = []byte("\xef\xbb\xbf")

// checkText checks the size of data and that it is UTF-8; the nesting
// and the number of keys and values are checked by scanPositions. The
// problem found, if any, carries its line and column.
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
	return nil
}
