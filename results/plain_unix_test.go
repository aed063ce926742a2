//go:build unix

package results

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Odd files planted in a results directory are refused, never read: a
// FIFO (reading would block forever) and devices (reading would never
// end), as documents and as CSV files.
func TestOddFilesRefused(t *testing.T) {
	cases := []struct {
		name string
		file string
		make func(path string) error
		read func(dir string) error
	}{
		{"FIFO manifest", FileManifest, func(p string) error { return syscall.Mkfifo(p, 0o644) }, func(d string) error { _, err := ReadManifest(d); return err }},
		{"FIFO summary", FileSummary, func(p string) error { return syscall.Mkfifo(p, 0o644) }, func(d string) error { _, err := ReadSummary(d); return err }},
		{"scenario.toml to /dev/urandom", FileScenario, func(p string) error { return os.Symlink("/dev/urandom", p) }, func(d string) error { _, err := ReadDir(d); return err }},
		{"FIFO stats.csv", FileName[StatRow](), func(p string) error { return syscall.Mkfifo(p, 0o644) },
			func(d string) error { _, err := OpenFile[StatRow](d, Layout{}, nil); return err }},
		{"stats.csv to /dev/zero", FileName[StatRow](), func(p string) error { return os.Symlink("/dev/zero", p) },
			func(d string) error { _, err := OpenFile[StatRow](d, Layout{}, nil); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.make(filepath.Join(dir, c.file)); err != nil {
				t.Skip(err)
			}
			done := make(chan error, 1)
			go func() { done <- c.read(dir) }()
			err := <-done // a hang is the test's timeout
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("err = %v, want it refused as not a regular file", err)
			}
		})
	}
	if b, err := ReadPlain(filepath.Join(t.TempDir(), "x"), 10); err == nil {
		t.Errorf("a missing file read as %q", b)
	}
	p := filepath.Join(t.TempDir(), "big")
	os.WriteFile(p, make([]byte, 11), 0o644)
	if _, err := ReadPlain(p, 10); err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("a file over the limit: %v", err)
	}
}
