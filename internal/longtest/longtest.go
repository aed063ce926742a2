// Package longtest is the one switch of smbsim's long validations, the
// tests that `make test` skips: the environment variable SMBSIM_LONG lists
// the ones to run, comma-separated, each a name or name=value; "all" runs
// every one at its default. The Makefile's validate-* and measure-*
// targets set it.
//
//	SMBSIM_LONG=horizons go test ./sim -run TestEmergenceHorizons -v
//	SMBSIM_LONG=demography=20 go test ./sim -run TestDemographyValidation -v
package longtest

import (
	"os"
	"strings"
	"testing"
)

// Env is the name of the switch.
const Env = "SMBSIM_LONG"

// Value returns the value SMBSIM_LONG gives long test name ("" when it is
// listed without one, or through "all"), and skips tb when it is not
// listed.
func Value(tb testing.TB, name string) string {
	tb.Helper()
	v, ok := lookup(os.Getenv(Env), name)
	if !ok {
		tb.Skipf("long validation: set %s=%s to run it (see the Makefile's validate-* targets)", Env, name)
	}
	return v
}

// lookup finds name in a SMBSIM_LONG list.
func lookup(list, name string) (value string, ok bool) {
	for _, item := range strings.Split(list, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(item), "=")
		switch k {
		case name:
			return v, true
		case "all":
			ok = true
		}
	}
	return "", ok
}
