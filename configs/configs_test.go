package configs_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/smbsim/smbsim/configs"
	"github.com/smbsim/smbsim/scenarios"
)

// Every file is a valid scenario with a lower-case name and opens with a
// comment line saying what it shows.
func TestLibrary(t *testing.T) {
	files, err := fs.Glob(configs.FS, "*.toml")
	if err != nil || len(files) < 11 {
		t.Fatalf("%d files, %v", len(files), err)
	}
	nameRE := regexp.MustCompile(`^[a-z][a-z0-9-]*\.toml$`)
	for _, f := range files {
		if !nameRE.MatchString(f) {
			t.Errorf("%s: names are lower-case words joined by '-'", f)
		}
		src, err := fs.ReadFile(configs.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(src), "\n")
		if !strings.HasPrefix(first, "# ") || len(first) < 20 {
			t.Errorf("%s: the first line must be a comment on what it shows, got %q", f, first)
		}
		if _, err := scenarios.Parse(f, src); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
