package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/smbsim/smbsim/configs"
	"github.com/smbsim/smbsim/internal/suggest"
)

// Parse decodes a scenario file over the defaults and validates it. path
// is used in messages and to default the name. Any problem is returned as
// an *Error listing all of them.
func Parse(path string, data []byte) (*Scenario, error) {
	return ParseContext(context.Background(), path, data)
}

// ParseContext is Parse that stops, returning ctx's error, when ctx is
// done (Ctrl-C while a file is parsed).
func ParseContext(ctx context.Context, path string, data []byte) (*Scenario, error) {
	file := path
	if file == "" {
		file = "<input>"
	}
	// A byte-order mark is not TOML; leaving it would shift every
	// position on the first line. A second one is refused by checkText.
	data = bytes.TrimPrefix(data, bom)
	raw, pos, err := decodeChecked(ctx, file, data)
	if err != nil {
		return nil, err
	}
	s := defaults()
	s.Path = path
	s.Name = nameFromPath(file)
	s.pos = pos
	d := s.decoder()
	d.budget = &budget{left: maxProblems}
	d.decodeTop(raw, s, false)
	if err := errorOfMore(append(d.probs, s.problems()...), d.budget.dropped); err != nil {
		return nil, err
	}
	return s, nil
}

// syntaxError reports a TOML syntax error with the offending line and a
// caret under the error.
func syntaxError(file string, data []byte, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{Problems: []Problem{{File: file, Msg: "syntax error: " + err.Error()}}, err: err}
	}
	line, col, ctx := snippet(string(data), pe.Position)
	msg := "syntax error: " + pe.Message
	if ctx != "" {
		msg += "\n" + ctx
	}
	return &Error{Problems: []Problem{{File: file, Line: line, Col: col, Key: pe.LastKey, Msg: msg}}, err: err}
}

// snippet returns the 1-based line and column of an error position and
// the lines up to it, numbered, with carets under the error, in the style
// of toml.ParseError.ErrorWithPosition (which can panic on positions at
// the start of the input).
func snippet(src string, p toml.Position) (line, col int, ctx string) {
	start := min(max(p.Start, 0), len(src))
	lineStart := strings.LastIndexByte(src[:start], '\n') + 1
	line = strings.Count(src[:start], "\n") + 1
	if p.Line > 0 && p.Start == 0 && p.Line != line { // no offset, only a line
		line = p.Line
		lineStart = 0
		for range line - 1 {
			i := strings.IndexByte(src[lineStart:], '\n')
			if i < 0 {
				return p.Line, 0, ""
			}
			lineStart += i + 1
		}
		start = lineStart
	}
	lines := strings.Split(src, "\n")
	if line > len(lines) {
		return line, 0, ""
	}
	prefix := src[lineStart:start]
	col = utf8.RuneCountInString(prefix) + 1
	var b strings.Builder
	for i := max(line-3, 0); i < line; i++ {
		fmt.Fprintf(&b, "%6d | %s\n", i+1, strings.TrimRight(lines[i], "\r"))
	}
	indent := strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return ' '
	}, prefix)
	b.WriteString(strings.Repeat(" ", 9) + indent + strings.Repeat("^", max(p.Len, 1)))
	return line, col, b.String()
}

// Load reads and parses the scenario file at path. It reads at most
// MaxFileSize bytes: a larger file (or a device such as /dev/zero) is an
// error.
func Load(path string) (*Scenario, error) {
	return LoadContext(context.Background(), path)
}

// LoadContext is Load that stops when ctx is done.
func LoadContext(ctx context.Context, path string) (*Scenario, error) {
	data, err := readLimited(path)
	var tooBig *tooBigError
	if errors.As(err, &tooBig) {
		return nil, &Error{Problems: []Problem{{File: path, Msg: tooBig.Error()}}, err: err}
	}
	if err != nil {
		msg := "cannot read the scenario file"
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg += ": " + pe.Err.Error()
		}
		return nil, &Error{Problems: []Problem{{File: path, Msg: msg}}, err: err}
	}
	return ParseContext(ctx, path, data)
}

// tooBigError reports a file larger than MaxFileSize.
type tooBigError struct{}

func (*tooBigError) Error() string {
	return fmt.Sprintf("the file is larger than %d bytes (1 MiB); a scenario file is a few KB", MaxFileSize)
}

// readLimited reads the file at path, or fails with a *tooBigError once it
// has read more than MaxFileSize bytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &tooBigError{}
	}
	return data, nil
}

// Open returns the scenario named by a command-line argument: "" is the
// built-in baseline; an existing file, or anything ending in .toml or
// containing a path separator, is loaded; anything else must name a
// built-in.
func Open(arg string) (*Scenario, error) {
	return OpenContext(context.Background(), arg)
}

// OpenContext is Open that stops when ctx is done.
func OpenContext(ctx context.Context, arg string) (*Scenario, error) {
	if arg == "" {
		return Default(), nil
	}
	if st, err := os.Stat(arg); err == nil && !st.IsDir() || strings.HasSuffix(arg, ".toml") || strings.ContainsAny(arg, `/\`) || strings.ContainsRune(arg, os.PathSeparator) {
		return LoadContext(ctx, arg)
	}
	src, err := BuiltinSource(arg)
	if err != nil {
		return nil, err
	}
	return ParseContext(ctx, builtinPath(arg), src)
}

// Default returns the built-in "baseline" scenario.
func Default() *Scenario {
	src, err := BuiltinSource("baseline")
	if err != nil {
		panic(err)
	}
	s, err := Parse(builtinPath("baseline"), src)
	if err != nil {
		panic("scenarios: invalid built-in baseline: " + err.Error())
	}
	return s
}

func builtinPath(name string) string { return "builtin:" + name + ".toml" }

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Info {
	entries, err := fs.ReadDir(configs.FS, ".")
	if err != nil {
		return nil
	}
	var out []Info
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".toml")
		if !ok || e.IsDir() {
			continue
		}
		src, err := fs.ReadFile(configs.FS, e.Name())
		if err != nil {
			continue
		}
		out = append(out, Info{Name: name, Purpose: purpose(src)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// purpose returns the text of the first comment line of src.
func purpose(src []byte) string {
	for line := range strings.Lines(string(src)) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if text, ok := strings.CutPrefix(line, "#"); ok {
			return strings.TrimSpace(text)
		}
		return ""
	}
	return ""
}

// BuiltinSource returns the TOML text of the named built-in scenario.
func BuiltinSource(name string) ([]byte, error) {
	if name != "" && !strings.ContainsAny(name, `/\.`) {
		if src, err := fs.ReadFile(configs.FS, name+".toml"); err == nil {
			return src, nil
		}
	}
	var names []string
	for _, b := range Builtins() {
		names = append(names, b.Name)
	}
	msg := fmt.Sprintf("unknown scenario %q: not a file and not a built-in (built-ins: %s)", name, strings.Join(names, ", "))
	if s := suggest.Closest(name, names); len(s) > 0 {
		msg += "; " + suggest.DidYouMean(s)
	}
	return nil, &Error{Problems: []Problem{{Msg: msg}}, err: fs.ErrNotExist}
}
