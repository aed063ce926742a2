// Package fuzztest bounds the time `go test -fuzz` spends minimizing each
// input that reaches new code, so that fuzzing smbsim's parsers makes
// steady progress.
//
// The fuzzing engine minimizes every input that reaches new code, not only
// failing ones, for -test.fuzzminimizetime (60 s by default), and counts
// no executions meanwhile. Its minimizer tries every byte and every span
// of an input: about n²/2 calls for n bytes, 1.6 million for a 1,800-byte
// scenario file. At the 0.2 to 1 ms a scenario parse takes, each new
// input held a worker for the whole minute: `go test -fuzz FuzzParse`
// stalled at 0 execs/sec after about 90 inputs. A package whose fuzz
// targets are costly calls Main from its TestMain.
//
//	func TestMain(m *testing.M) { fuzztest.Main(m) }
package fuzztest

import (
	"flag"
	"os"
	"testing"
)

// MinimizeTime is the minimization bound Main sets when the command line
// sets none: long enough to shorten a small input, short enough that
// fuzzing goes on. Give -fuzzminimizetime to minimize a failing input
// longer.
const MinimizeTime = "2s"

// minimizeFlag is the testing package's flag behind -fuzzminimizetime.
const minimizeFlag = "test.fuzzminimizetime"

// Main runs m's tests and fuzz targets with -fuzzminimizetime set to
// MinimizeTime unless the command line sets it, and exits with their
// status.
func Main(m *testing.M) {
	flag.Parse()
	Bound(flag.CommandLine)
	os.Exit(m.Run())
}

// Bound sets fs's -test.fuzzminimizetime to MinimizeTime when fs has the
// flag and its command line did not set it. It reports whether it did.
func Bound(fs *flag.FlagSet) bool {
	if fs.Lookup(minimizeFlag) == nil {
		return false
	}
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == minimizeFlag })
	if set {
		return false
	}
	return fs.Set(minimizeFlag, MinimizeTime) == nil
}
