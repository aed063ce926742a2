//go:build !unix

package simbench

// processCPU returns 0: the process's CPU time is not read on this system.
func processCPU() float64 { return 0 }
