//go:build unix

package experiment

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on the directory itself (flock), so two
// smbsim processes never write one results directory at the same time.
// The lock goes with the process: a killed one leaves none behind.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, badInput(fmt.Errorf("%s is being written by another smbsim process right now; wait for it to finish, or use another --out", dir))
		}
		return func() {}, nil // a file system without locks: go on unlocked
	}
	return func() { f.Close() }, nil
}
