package results

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Row is the constraint of the row types: a pointer to one of the row
// structs of this package, which lists its columns in its bind method.
type Row[R any] interface {
	*R
	bind(b *binder)
	file() string
}

// inferrer is implemented by the row types whose columns depend on the
// experiment: it reads the varying parts of the layout from a header.
type inferrer interface {
	infer(header []string, l *Layout)
}

type mode uint8

const (
	modeHeader mode = iota
	modeEncode
	modeDecode
)

// binder visits the columns of one row, in file order: it names them
// (header), formats them (encode) or parses them (decode).
type binder struct {
	mode   mode
	layout *Layout
	rec    []string // header/encode: appended to; decode: read from
	pos    int
	err    error
}

func (b *binder) decoding() bool { return b.mode == modeDecode }

// next returns the next cell when decoding.
func (b *binder) next() (string, bool) {
	if b.err != nil || b.pos >= len(b.rec) {
		return "", false
	}
	s := b.rec[b.pos]
	b.pos++
	return s, true
}

func (b *binder) fail(name, cell string, err error) {
	if b.err == nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) {
			err = ne.Err
		}
		b.err = fmt.Errorf("column %s: %s: %w", name, clip(strconv.Quote(cell), 200), err)
	}
}

// cell binds one column to *p, written by format and read by parse.
func cell[T any](b *binder, name string, p *T, format func(T) string, parse func(string) (T, error)) {
	switch b.mode {
	case modeHeader:
		b.rec = append(b.rec, name)
	case modeEncode:
		b.rec = append(b.rec, format(*p))
	default:
		if s, ok := b.next(); ok {
			v, err := parse(s)
			if err != nil {
				b.fail(name, s, err)
			}
			*p = v
		}
	}
}

func identity(s string) string             { return s }
func parseString(s string) (string, error) { return s, nil }
func parseSeed(s string) (uint64, error)   { return strconv.ParseUint(s, 10, 64) }

func (b *binder) str(name string, p *string)    { cell(b, name, p, identity, parseString) }
func (b *binder) int(name string, p *int)       { cell(b, name, p, strconv.Itoa, strconv.Atoi) }
func (b *binder) seed(name string, p *uint64)   { cell(b, name, p, FormatSeed, parseSeed) }
func (b *binder) bool(name string, p *bool)     { cell(b, name, p, strconv.FormatBool, strconv.ParseBool) }
func (b *binder) float(name string, p *float64) { cell(b, name, p, FormatFloat, ParseFloat) }

// intOr is an int column whose empty cell stands for none.
func (b *binder) intOr(name string, p *int, none int) {
	switch b.mode {
	case modeEncode:
		if *p == none {
			b.rec = append(b.rec, "")
			return
		}
	case modeDecode:
		if b.pos < len(b.rec) && b.rec[b.pos] == "" && b.err == nil {
			b.pos++
			*p = none
			return
		}
	}
	b.int(name, p)
}

func (b *binder) number(name string, p *Number) { b.float(name, (*float64)(p)) }

// floats binds one float column per name to the elements of *p.
func (b *binder) floats(names []string, p *[]float64) {
	if b.mode == modeDecode {
		if cap(*p) >= len(names) {
			*p = (*p)[:len(names)]
		} else {
			*p = make([]float64, len(names))
		}
	}
	for i, n := range names {
		if b.mode != modeHeader && i >= len(*p) {
			b.rec = append(b.rec, "")
			continue
		}
		var x *float64
		if b.mode != modeHeader {
			x = &(*p)[i]
		}
		b.float(n, x)
	}
}

// strMap binds one string column per name to the values of *p.
func (b *binder) strMap(names []string, p *map[string]string) {
	if b.mode == modeDecode {
		*p = make(map[string]string, len(names))
	}
	for _, n := range names {
		var s string
		if b.mode == modeEncode {
			s = (*p)[n]
		}
		b.str(n, &s)
		if b.mode == modeDecode {
			(*p)[n] = s
		}
	}
}

// variant binds the leading variant column of timeseries.csv and firms.csv,
// unless Layout.NoVariantColumn (the files of a single run written by
// older versions).
func (b *binder) variant(p *string) {
	if !b.layout.NoVariantColumn {
		b.str("variant", p)
	} else if b.mode == modeDecode {
		*p = b.layout.Variant
	}
}

// Header returns the header of R's file for the layout l.
func Header[R any, P Row[R]](l Layout) []string {
	var zero R
	b := binder{mode: modeHeader, layout: &l}
	P(&zero).bind(&b)
	return b.rec
}

// FileName returns the name of R's file.
func FileName[R any, P Row[R]]() string {
	var zero R
	return P(&zero).file()
}

// Encoder writes rows of type R as CSV, header first.
type Encoder[R any, P Row[R]] struct {
	cw *csv.Writer
	b  binder
}

// NewEncoder writes the header of R's file for layout l to w.
func NewEncoder[R any, P Row[R]](w io.Writer, l Layout) (*Encoder[R, P], error) {
	e := &Encoder[R, P]{cw: csv.NewWriter(w), b: binder{mode: modeEncode, layout: &l}}
	if err := e.cw.Write(Header[R, P](l)); err != nil {
		return nil, err
	}
	return e, nil
}

// Encode writes one row.
func (e *Encoder[R, P]) Encode(r *R) error {
	e.b.rec = e.b.rec[:0]
	P(r).bind(&e.b)
	return e.cw.Write(e.b.rec)
}

// Flush writes any buffered rows to the underlying writer.
func (e *Encoder[R, P]) Flush() error {
	e.cw.Flush()
	return e.cw.Error()
}

// Decoder reads rows of type R from CSV written by [Encoder].
type Decoder[R any, P Row[R]] struct {
	cr     *csv.Reader
	b      binder
	layout Layout
	line   int
}

// NewDecoder reads and checks the header. With want nil the varying parts
// of the layout (variant column, metric and parameter columns) are read
// from the header; otherwise the header must be the one of *want. base is
// the layout's remaining fields (the fixed variant name).
func NewDecoder[R any, P Row[R]](rd io.Reader, base Layout, want *Layout) (*Decoder[R, P], error) {
	cr := csv.NewReader(&lineLimit{r: rd, max: MaxLineBytes})
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file (no header row)")
	}
	if err != nil {
		return nil, err
	}
	l := base
	if want != nil {
		l = *want
	} else {
		var zero R
		if in, ok := any(P(&zero)).(inferrer); ok {
			in.infer(header, &l)
		}
	}
	exp := Header[R, P](l)
	if !slices.Equal(header, exp) {
		return nil, fmt.Errorf("line 1: unexpected header %s (want %s): not written by this version of smbsim, or by another command", clip(fmt.Sprint(header), 300), clip(fmt.Sprint(exp), 300))
	}
	cr.FieldsPerRecord = len(exp)
	cr.ReuseRecord = true
	d := &Decoder[R, P]{cr: cr, layout: l, line: 1}
	d.b = binder{mode: modeDecode, layout: &d.layout}
	return d, nil
}

// Layout is the layout the header was read with.
func (d *Decoder[R, P]) Layout() Layout { return d.layout }

// Line is the line number of the row last decoded.
func (d *Decoder[R, P]) Line() int { return d.line }

// Decode reads the next row into r; io.EOF at the end.
func (d *Decoder[R, P]) Decode(r *R) error {
	rec, err := d.cr.Read()
	if err == io.EOF {
		return io.EOF
	}
	d.line++
	if err != nil {
		return err
	}
	d.b.rec, d.b.pos, d.b.err = rec, 0, nil
	P(r).bind(&d.b)
	if d.b.err != nil {
		return fmt.Errorf("line %d: %w", d.line, d.b.err)
	}
	return nil
}

// Writer is an [Encoder] into an atomic file of a results directory.
type Writer[R any, P Row[R]] struct {
	*Encoder[R, P]
	f *File
}

// CreateFile starts writing R's file in dir for layout l.
func CreateFile[R any, P Row[R]](dir string, l Layout) (*Writer[R, P], error) {
	f, err := Create(filepath.Join(dir, FileName[R, P]()))
	return newWriter[R, P](f, err, l)
}

// newWriter starts encoding into f (unless creating f failed with err).
func newWriter[R any, P Row[R]](f *File, err error, l Layout) (*Writer[R, P], error) {
	if err != nil {
		return nil, err
	}
	e, err := NewEncoder[R, P](f, l)
	if err != nil {
		f.Abort()
		return nil, err
	}
	return &Writer[R, P]{Encoder: e, f: f}, nil
}

// CreateFileAt starts writing R's file in dir through the fixed temporary
// file of the same name in tmpDir (see [CreateAt]).
func CreateFileAt[R any, P Row[R]](dir, tmpDir string, l Layout) (*Writer[R, P], error) {
	name := FileName[R, P]()
	f, err := CreateAt(filepath.Join(dir, name), filepath.Join(tmpDir, name))
	return newWriter[R, P](f, err, l)
}

// Checkpoint hands every row encoded so far to the operating system and
// returns the file's length (see [File.Flush]).
func (w *Writer[R, P]) Checkpoint() (int64, error) {
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return w.f.Flush()
}

// Commit flushes the rows and renames the file into place.
func (w *Writer[R, P]) Commit() error {
	if err := w.Flush(); err != nil {
		w.f.Abort()
		return fmt.Errorf("write %s: %w", w.f.Path(), err)
	}
	return w.f.Commit()
}

// Abort discards the file.
func (w *Writer[R, P]) Abort() { w.f.Abort() }

// CommitWhere commits, of the rows encoded, only those keep accepts, in
// their order: the rows are read back from the temporary file, which held
// them all (the progress a killed process finds again, see
// [CreateFileAt]), and written again under the file's name.
func (w *Writer[R, P]) CommitWhere(keep func(*R) bool) error {
	fail := func(err error) error {
		w.f.Abort()
		return fmt.Errorf("write %s: %w", w.f.Path(), err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if _, err := w.f.Flush(); err != nil {
		return fail(err)
	}
	src, err := os.Open(w.f.f.Name())
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	l := *w.b.layout
	d, err := NewDecoder[R, P](src, l, &l)
	if err != nil {
		return fail(err)
	}
	f, err := Create(w.f.Path())
	out, err := newWriter[R, P](f, err, l)
	if err != nil {
		return fail(err)
	}
	var row R
	for {
		err := d.Decode(&row)
		if err == io.EOF {
			break
		}
		if err == nil && keep(&row) {
			err = out.Encode(&row)
		}
		if err != nil {
			out.Abort()
			return fail(err)
		}
	}
	if err := out.Commit(); err != nil {
		w.f.Abort()
		return err
	}
	w.f.Abort()
	return nil
}

// WriteRows writes R's file in dir with rows.
func WriteRows[R any, P Row[R]](dir string, l Layout, rows []R) error {
	w, err := CreateFile[R, P](dir, l)
	if err != nil {
		return err
	}
	for i := range rows {
		if err := w.Encode(&rows[i]); err != nil {
			w.Abort()
			return err
		}
	}
	return w.Commit()
}

// Reader is a [Decoder] over R's file in a results directory.
type Reader[R any, P Row[R]] struct {
	*Decoder[R, P]
	f    *os.File
	path string
}

// OpenFile opens R's file in dir (see [NewDecoder] for base and want).
// A missing file gives an error wrapping os.ErrNotExist.
func OpenFile[R any, P Row[R]](dir string, base Layout, want *Layout) (*Reader[R, P], error) {
	path := filepath.Join(dir, FileName[R, P]())
	f, err := OpenPlain(path)
	if err != nil {
		return nil, err
	}
	d, err := NewDecoder[R, P](f, base, want)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Reader[R, P]{Decoder: d, f: f, path: path}, nil
}

// Path is the file read.
func (r *Reader[R, P]) Path() string { return r.path }

// Decode reads the next row; errors name the file and line; io.EOF at the end.
func (r *Reader[R, P]) Decode(row *R) error {
	err := r.Decoder.Decode(row)
	if err != nil && err != io.EOF {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	return err
}

// Close closes the file.
func (r *Reader[R, P]) Close() error {
	if r == nil {
		return nil
	}
	return r.f.Close()
}

// ReadRows reads all of R's file in dir; the layout is read from its header.
func ReadRows[R any, P Row[R]](dir string, base Layout) ([]R, Layout, error) {
	r, err := OpenFile[R, P](dir, base, nil)
	if err != nil {
		return nil, Layout{}, err
	}
	defer r.Close()
	var out []R
	for {
		var row R
		err := r.Decode(&row)
		if err == io.EOF {
			return out, r.Layout(), nil
		}
		if err != nil {
			return nil, Layout{}, err
		}
		out = append(out, row)
	}
}

// MaxLineBytes bounds the lines of a results file read back: far above
// any row smbsim writes (a few KB), it keeps a damaged or foreign file
// from being read whole into memory, line by line.
const MaxLineBytes = 1 << 20

// lineLimit reads r, failing once a line exceeds max bytes.
type lineLimit struct {
	r      io.Reader
	n, max int // bytes of the current line so far
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.n = 0
			continue
		}
		if l.n++; l.n > l.max {
			return i, fmt.Errorf("a line longer than %d bytes: not a file written by smbsim", l.max)
		}
	}
	return n, err
}

// clip shortens s to at most n bytes (on a rune boundary), marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes in all)", len(s))
}
