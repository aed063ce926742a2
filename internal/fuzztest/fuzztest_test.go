package fuzztest

import (
	"flag"
	"testing"
	"time"
)

func TestBound(t *testing.T) {
	cases := []struct {
		name  string
		flags bool     // the set has the testing flag
		args  []string // its command line
		bound bool
		want  time.Duration
	}{
		{"unset", true, nil, true, 2 * time.Second},
		{"other flags", true, []string{"-test.fuzztime=60s"}, true, 2 * time.Second},
		{"set by the user", true, []string{"-test.fuzzminimizetime=30s"}, false, 30 * time.Second},
		{"set to its default", true, []string{"-test.fuzzminimizetime=60s"}, false, 60 * time.Second},
		{"no such flag", false, nil, false, 0},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		fs.String("test.fuzztime", "", "")
		var d time.Duration
		if c.flags {
			fs.DurationVar(&d, minimizeFlag, 60*time.Second, "")
		}
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if got := Bound(fs); got != c.bound || d != c.want {
			t.Errorf("%s: Bound = %v with %v, want %v with %v", c.name, got, d, c.bound, c.want)
		}
	}
}

// TestMinimizeTimeParses checks MinimizeTime is a duration the testing
// flag accepts.
func TestMinimizeTimeParses(t *testing.T) {
	if d, err := time.ParseDuration(MinimizeTime); err != nil || d <= 0 {
		t.Fatalf("MinimizeTime %q: %v", MinimizeTime, err)
	}
}
