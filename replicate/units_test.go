package replicate

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runAll runs every replication at size with units u (nil: all runs) and
// returns their Markdown and chart SVGs.
func runAll(t *testing.T, size Size, u *Units) string {
	t.Helper()
	var b bytes.Buffer
	for _, r := range All() {
		if u != nil {
			u.Begin(r.Name)
		}
		res, err := r.Run(context.Background(), Options{Size: size, Workers: 2, Units: u})
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		WriteMarkdown(&b, res, r.Name)
		if res.Chart == nil {
			continue
		}
		if err := res.Chart.Render(&b, "svg", 0); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// Shards of every replication, replayed together, give the unsharded
// result byte for byte (tables and charts): each shard computes the units
// u with u mod n = i − 1, counted alike by --dry-run, and the replay
// reads every unit's output back. A missing shard is refused.
func TestShardsReplayAsOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every replication at its tiny size twice")
	}
	want := runAll(t, Tiny, nil)
	count := NewCount(Tiny)
	runAll(t, Tiny, count)
	names, totals := count.Count()
	const n = 3
	var files []*UnitFile
	for i := 1; i <= n; i++ {
		u := NewShard(Shard{i, n}, Tiny)
		runAll(t, Tiny, u)
		var buf bytes.Buffer
		if err := u.Write(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := ReadUnitFile(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(f.Names, ",") != strings.Join(names, ",") || len(f.Totals) != len(totals) {
			t.Fatalf("shard %d: %v %v, counted %v %v", i, f.Names, f.Totals, names, totals)
		}
		for k := range totals {
			if f.Totals[k] != totals[k] || totals[k] < n {
				t.Fatalf("shard %d: %s has %d units, counted %d", i, names[k], f.Totals[k], totals[k])
			}
		}
		files = append(files, f)
	}
	if _, err := Replay(files[:n-1]); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("replay without the last shard: %v", err)
	}
	u, err := Replay(files)
	if err != nil {
		t.Fatal(err)
	}
	if got := runAll(t, Tiny, u); got != want {
		t.Errorf("replayed shards differ from one run:\n%s\n---- one run:\n%s", got[:min(len(got), 2000)], want[:min(len(want), 2000)])
	}
}
