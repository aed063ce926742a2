package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Limits on a scenario file. They are far beyond what any scenario needs
// and keep the time and memory taken by parsing bounded: the TOML
// library's cost grows with the square of the nesting and with the length
// of dotted keys, so a 200 KB file of nested brackets once took minutes and
// gigabytes.
//
// The limits are checked by scanPositions on exactly the bytes the TOML
// library parses (see decodeChecked): nothing before or after them is
// parsed unchecked.
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
	// maxTailLine bounds the bytes of the line the scanner could not read
	// that are given to the TOML parser for its syntax message.
	maxTailLine = 256
)

// bom is the UTF-8 byte-order mark some editors write at the start of a file.
var bom = []byte("\xef\xbb\xbf")

// libraryStrips lists the prefixes the TOML library (BurntSushi/toml
// parse) removes before parsing: one UTF-8 or UTF-16 byte-order mark. The
// bytes it parses must be the bytes checked, so a text starting with one
// of them (after the one UTF-8 mark Parse removes) is refused.
var libraryStrips = [][]byte{bom, []byte("\xff\xfe"), []byte("\xfe\xff")}

// checkText checks the size of data and that it is UTF-8; the nesting
// and the number of keys and values are checked by scanPositions. The
// problem found, if any, carries its line and column.
func checkText(file string, data []byte) *Problem {
	if len(data) > MaxFileSize {
		return &Problem{File: file, Msg: fmt.Sprintf("the file is %d bytes; a scenario file may be at most %d bytes (1 MiB)", len(data), MaxFileSize)}
	}
	for _, p := range libraryStrips {
		if bytes.HasPrefix(data, p) {
			return &Problem{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf("the file starts with a second byte-order mark (% x) after the first: a scenario file is UTF-8 text with at most one", p)}
		}
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

// decodeChecked checks data (without its byte-order mark) against the
// limits and decodes it as TOML. The TOML parser only ever sees bytes the
// scanner has checked: where the scanner cannot read on (a character that
// starts no key, header or comment), the parser is given the text up to
// there and at most maxTailLine bytes of that line, for its syntax
// message; if it finds nothing wrong there, the scanner's problem is
// reported. ctx is checked while scanning and interrupts the decoding.
func decodeChecked(ctx context.Context, file string, data []byte) (map[string]any, positions, error) {
	if p := checkText(file, data); p != nil {
		return nil, positions{}, &Error{Problems: []Problem{*p}}
	}
	// Positions first: the scan also bounds the nesting and the number of
	// keys and values, before the TOML parser, whose cost grows faster.
	pos, stop, p := scanPositionsCtx(ctx, data)
	if err := ctx.Err(); err != nil {
		return nil, positions{}, err
	}
	if p != nil {
		p.File = file
		return nil, positions{}, &Error{Problems: []Problem{*p}}
	}
	text := data
	if stop != nil {
		end := len(data)
		if i := bytes.IndexByte(data[stop.offset:], '\n'); i >= 0 {
			end = stop.offset + i
		}
		text = data[:min(end, stop.offset+maxTailLine)]
	}
	raw, err := decodeTOML(ctx, text)
	if err := ctx.Err(); err != nil {
		return nil, positions{}, err
	}
	if err != nil {
		return nil, positions{}, syntaxError(file, data, err)
	}
	if stop != nil {
		line, col, snip := snippet(string(data), toml.Position{Start: stop.offset, Len: 1})
		r, _ := utf8.DecodeRune(data[stop.offset:])
		return nil, positions{}, &Error{Problems: []Problem{{File: file, Line: line, Col: col,
			Msg: fmt.Sprintf("syntax error: unexpected %q (U+%04X): expected a key, a [table] header or a # comment\n%s", r, r, snip)}}}
	}
	return raw, pos, nil
}

// decodeTOML runs the TOML parser on checked text, returning early (with
// ctx's error) when ctx is done. The parse itself is bounded by the
// limits, so the goroutine left behind then ends soon.
func decodeTOML(ctx context.Context, text []byte) (map[string]any, error) {
	type result struct {
		raw map[string]any
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var raw map[string]any
		_, err := toml.Decode(string(text), &raw)
		ch <- result{raw, err}
	}()
	select {
	case r := <-ch:
		return r.raw, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// DecodeTOML decodes a TOML document (such as a results directory's
// scenario.toml) into a generic map under the limits of a scenario file:
// size, UTF-8, nesting, keys and values. Problems are an *Error.
func DecodeTOML(ctx context.Context, file string, data []byte) (map[string]any, error) {
	raw, _, err := decodeChecked(ctx, file, bytes.TrimPrefix(data, bom))
	if raw == nil && err == nil {
		raw = map[string]any{}
	}
	return raw, err
}
