package experiment

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
)

// Output file names (docs/outputs.md).
const (
	FileTimeseries = "timeseries.csv"
	FileFirms      = "firms.csv"
	FileStats      = "stats.csv"
	FileSurvival   = "survival.csv"
	FileStrategies = "strategies.csv"
	FileRuns       = "runs.csv"
	FileComparison = "comparison.csv"
	FileTests      = "tests.csv"
	FileSweep      = "sweep.csv"
	FileSummary    = "summary.json"
	FileScenario   = "scenario.toml"
	FileManifest   = "manifest.json"
	DirVariants    = "variants"
)

var nan = math.NaN()

// formatFloat writes v as the shortest exact representation; NaN (not
// measured) is an empty cell.
func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// parseFloat reads a cell written by formatFloat.
func parseFloat(s string) (float64, error) {
	if s == "" {
		return nan, nil
	}
	return strconv.ParseFloat(s, 64)
}

// atomicFile is a file written under a temporary name in its directory and
// renamed into place by Commit, so no reader ever sees half a file.
type atomicFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
}

func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &atomicFile{path: path, f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// Write appends p to the file.
func (a *atomicFile) Write(p []byte) (int, error) { return a.w.Write(p) }

// Commit flushes, closes and renames the file into place.
func (a *atomicFile) Commit() error {
	err := a.w.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(a.f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file.
func (a *atomicFile) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// writeFileAtomic writes data to path through a temporary file.
func writeFileAtomic(path string, data []byte) error {
	a, err := createAtomic(path)
	if err != nil {
		return err
	}
	if _, err := a.Write(data); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}

// csvFile is an atomic CSV file.
type csvFile struct {
	*atomicFile
	cw *csv.Writer
}

func createCSV(path string, header []string) (*csvFile, error) {
	a, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	c := &csvFile{atomicFile: a, cw: csv.NewWriter(a)}
	if err := c.cw.Write(header); err != nil {
		a.Abort()
		return nil, err
	}
	return c, nil
}

func (c *csvFile) row(rec []string) error { return c.cw.Write(rec) }

func (c *csvFile) Commit() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		c.Abort()
		return fmt.Errorf("write %s: %w", c.path, err)
	}
	return c.atomicFile.Commit()
}

// CheckOutDir creates dir if needed and checks that files can be written
// in it, so an unusable --out is reported before any run starts.
func CheckOutDir(dir string) error {
	if dir == "" {
		return errors.New("no output directory: pass --out DIR")
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("output directory %s is a file: choose another --out", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output directory: %w; choose another --out", err)
	}
	f, err := os.CreateTemp(dir, ".smbsim-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in output directory %s: %w; choose another --out", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}
