package experiment

import (
	"errors"
	"fmt"
	"math"
	"os"
)

var nan = math.NaN()

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
