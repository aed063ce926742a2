package experiment

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/smbsim/smbsim/sim"
)

// spillRows is how many recorded rows (and top-strategy rows, per rank) a
// running run holds in memory; older ones go to a spill file on disk, so a
// run of millions of ticks does not hold every tick until it is written.
var spillRows = 1 << 14

// runSpill holds the earlier recorded rows of a long run on disk: binary,
// in tick order, in two files that are deleted as soon as they are opened
// (a killed process leaves nothing behind).
type runSpill struct {
	rows, top   *spillFile
	nRows, nTop int
}

type spillFile struct {
	f *os.File
	w *bufio.Writer
}

func newSpillFile(dir string) (*spillFile, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, ".smbsim-spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill file: %w", err)
	}
	os.Remove(f.Name()) // unlinked: the data lives while f is open
	return &spillFile{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (s *spillFile) close() {
	if s != nil {
		s.f.Close()
	}
}

// reader rewinds the file for reading what was written.
func (s *spillFile) reader() (*bufio.Reader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return bufio.NewReaderSize(s.f, 1<<16), nil
}

// openSpill returns *f, creating it in dir on first use.
func openSpill(f **spillFile, dir string) (*spillFile, error) {
	if *f == nil {
		nf, err := newSpillFile(dir)
		if err != nil {
			return nil, err
		}
		*f = nf
	}
	return *f, nil
}

// spillOf returns the run's spill, made on first use.
func (r *RunResult) spillOf() *runSpill {
	if r.spill == nil {
		r.spill = &runSpill{}
	}
	return r.spill
}

// spillRows moves r.Rows to the spill file.
func (r *RunResult) spillRows(dir string) error {
	sp := r.spillOf()
	f, err := openSpill(&sp.rows, dir)
	if err != nil {
		return err
	}
	var b [8 * (1 + sim.NumMetrics)]byte
	for _, row := range r.Rows {
		if len(row.Metrics) != sim.NumMetrics {
			return fmt.Errorf("spill: a row of %d metrics", len(row.Metrics))
		}
		binary.LittleEndian.PutUint64(b[:], uint64(row.Tick))
		for m, x := range row.Metrics {
			binary.LittleEndian.PutUint64(b[8*(1+m):], math.Float64bits(x))
		}
		if _, err := f.w.Write(b[:]); err != nil {
			return fmt.Errorf("spill: %w", err)
		}
	}
	sp.nRows += len(r.Rows)
	clear(r.Rows)
	r.Rows = r.Rows[:0]
	return nil
}

// spillTop moves r.Top to the spill file.
func (r *RunResult) spillTop(dir string) error {
	sp := r.spillOf()
	f, err := openSpill(&sp.top, dir)
	if err != nil {
		return err
	}
	var b []byte
	for _, t := range r.Top {
		b = binary.LittleEndian.AppendUint64(b[:0], uint64(t.Tick))
		b = binary.LittleEndian.AppendUint64(b, uint64(t.Rank))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(t.Share))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(t.Strategy)))
		b = append(b, t.Strategy...)
		if _, err := f.w.Write(b); err != nil {
			return fmt.Errorf("spill: %w", err)
		}
	}
	sp.nTop += len(r.Top)
	clear(r.Top)
	r.Top = r.Top[:0]
	return nil
}

// eachRow calls fn for every recorded row of the run in tick order, the
// spilled ones first; last is true for the run's last row.
func (r *RunResult) eachRow(fn func(row *Row, last bool) error) error {
	if sp := r.spill; sp != nil && sp.nRows > 0 {
		rd, err := sp.rows.reader()
		if err != nil {
			return fmt.Errorf("spill: %w", err)
		}
		var b [8 * (1 + sim.NumMetrics)]byte
		row := Row{Metrics: make([]float64, sim.NumMetrics)}
		for i := range sp.nRows {
			if _, err := io.ReadFull(rd, b[:]); err != nil {
				return fmt.Errorf("spill: %w", err)
			}
			row.Tick = int(binary.LittleEndian.Uint64(b[:]))
			for m := range row.Metrics {
				row.Metrics[m] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*(1+m):]))
			}
			if err := fn(&row, i == sp.nRows-1 && len(r.Rows) == 0); err != nil {
				return err
			}
		}
	}
	for i := range r.Rows {
		if err := fn(&r.Rows[i], i == len(r.Rows)-1); err != nil {
			return err
		}
	}
	return nil
}

// eachTop calls fn for every top-strategy row of the run, in order.
func (r *RunResult) eachTop(fn func(t *TopRow) error) error {
	if sp := r.spill; sp != nil && sp.nTop > 0 {
		rd, err := sp.top.reader()
		if err != nil {
			return fmt.Errorf("spill: %w", err)
		}
		var b [28]byte
		var t TopRow
		for range sp.nTop {
			if _, err := io.ReadFull(rd, b[:]); err != nil {
				return fmt.Errorf("spill: %w", err)
			}
			t.Tick = int(binary.LittleEndian.Uint64(b[0:]))
			t.Rank = int(binary.LittleEndian.Uint64(b[8:]))
			t.Share = math.Float64frombits(binary.LittleEndian.Uint64(b[16:]))
			s := make([]byte, binary.LittleEndian.Uint32(b[24:]))
			if _, err := io.ReadFull(rd, s); err != nil {
				return fmt.Errorf("spill: %w", err)
			}
			t.Strategy = string(s)
			if err := fn(&t); err != nil {
				return err
			}
		}
	}
	for i := range r.Top {
		if err := fn(&r.Top[i]); err != nil {
			return err
		}
	}
	return nil
}

// release closes the run's spill files (a no-op for a run held in memory).
func (r *RunResult) release() {
	if r != nil && r.spill != nil {
		r.spill.rows.close()
		r.spill.top.close()
		r.spill = nil
	}
}
