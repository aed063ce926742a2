package experiment

import (
	"os"
	"path/filepath"
	"testing"
)

// The memory limit is read from the process's own control group and the
// groups above it, in cgroup v2 and v1 layouts.
func TestCgroupLimit(t *testing.T) {
	write := func(root, path, text string) {
		t.Helper()
		full := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		files map[string]string
		self  string
		want  uint64
		ok    bool
	}{
		{"v2, limit on a parent", map[string]string{"memory.max": "max", "a/memory.max": "1000000", "a/b/memory.max": "max"}, "0::/a/b\n", 1000000, true},
		{"v2, the smallest on the way", map[string]string{"a/memory.max": "3000", "a/b/memory.max": "2000"}, "0::/a/b\n", 2000, true},
		{"v2, top level only is not ours", map[string]string{"memory.max": "max", "other/memory.max": "5"}, "0::/mine\n", 0, false},
		{"v1, the process's group", map[string]string{"memory/memory.limit_in_bytes": "9223372036854771712", "memory/process_api/x/memory.limit_in_bytes": "5000"},
			"9:name=systemd:/\n4:memory:/process_api/x\n0::/\n", 5000, true},
		{"v1, shared controllers", map[string]string{"memory/g/memory.limit_in_bytes": "7000"}, "3:cpu,memory:/g\n", 7000, true},
		{"container: own group mounted at the root", map[string]string{"memory.max": "777"}, "0::/deep/path/not/here\n", 777, true},
		{"no limit anywhere", map[string]string{"memory.max": "max"}, "0::/\n", 0, false},
	}
	for _, c := range cases {
		root := t.TempDir()
		for path, text := range c.files {
			write(root, path, text)
		}
		got, ok := cgroupLimit(root, []byte(c.self))
		if got != c.want || ok != c.ok {
			t.Errorf("%s: %d %v, want %d %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
