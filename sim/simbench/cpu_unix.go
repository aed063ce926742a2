//go:build unix

package simbench

import "syscall"

// processCPU returns the CPU time (user + system) the process has used so
// far, in seconds, or 0 where that is not available.
func processCPU() float64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}
