package stats

import (
	"testing"

	"github.com/smbsim/smbsim/internal/fuzztest"
)

// TestMain bounds the fuzzing engine's minimization of each new input (see
// package fuzztest): without it, fuzzing stalls.
func TestMain(m *testing.M) { fuzztest.Main(m) }
