package results

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is a file written under a temporary name in its directory and
// renamed into place by [File.Commit], so no reader ever sees half a file.
type File struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int64 // bytes written
}

// Create starts writing path.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &File{path: path, f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// CreateAt starts writing path through the temporary file tmp, a fixed
// name (created or truncated) instead of a random one: progress that must
// outlive a killed process is found there again ([File.Flush] says how
// much of it is safe).
func CreateAt(path, tmp string) (*File, error) {
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, err)
	}
	return &File{path: path, f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// Flush hands the buffered bytes to the operating system and returns the
// file's length: that much survives if the process is killed.
func (a *File) Flush() (int64, error) {
	return a.n, a.w.Flush()
}

// Path is the file's final name.
func (a *File) Path() string { return a.path }

// Write appends p to the file.
func (a *File) Write(p []byte) (int, error) {
	n, err := a.w.Write(p)
	a.n += int64(n)
	return n, err
}

// Commit flushes, syncs, closes and renames the file into place.
func (a *File) Commit() error {
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

// Abort closes and removes the temporary file; path is left untouched.
func (a *File) Abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}

// WriteFile writes path atomically with what fn writes.
func WriteFile(path string, fn func(w io.Writer) error) error {
	a, err := Create(path)
	if err != nil {
		return err
	}
	if err := fn(a); err != nil {
		a.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}

// WriteBytes writes data to path atomically.
func WriteBytes(path string, data []byte) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// RemoveTemps removes the temporary files that writing dir/name left
// behind when its process was killed (".<name>.tmp-*", see [Create]).
func RemoveTemps(dir, name string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+escapeGlob(name)+".tmp-*"))
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() {
			os.Remove(m)
		}
	}
}

// escapeGlob quotes the pattern characters of a file name.
func escapeGlob(name string) string {
	var b []byte
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '*', '?', '[', '\\':
			b = append(b, '\\')
		}
		b = append(b, name[i])
	}
	return string(b)
}
