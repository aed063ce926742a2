//go:build linux

package sim

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/smbsim/smbsim/internal/longtest"
)

// TestMemoryBreakdown builds the reference market with 1,000,000 firms,
// runs it as `smbsim bench --only market-1M` does (60 ticks), and prints
// where its resident memory is: the resident bytes of each of the world's
// big arrays (mincore), per firm. It fails when the world takes 300 bytes
// per firm or more (resident set less the process before the world and
// the network's adjacency, as bench counts it), or when the arrays listed
// account for less than 90 % of that. docs/performance.md quotes its
// table. About a minute and 400 MB:
//
//	SMBSIM_LONG=memory-breakdown go test ./sim -run TestMemoryBreakdown -v
func TestMemoryBreakdown(t *testing.T) {
	longtest.Value(t, "memory-breakdown")
	const firms = 1_000_000
	c := DefaultConfig()
	c.Population.Firms = firms
	c.Ticks = 10_000_000
	base := statusBytes(t, "VmRSS:")
	w, err := New(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	built := statusBytes(t, "VmHWM:")
	for range 60 {
		w.Step()
	}
	rss, peak := statusBytes(t, "VmRSS:"), statusBytes(t, "VmHWM:")
	cl := w.cl
	parts := []struct {
		name string
		b    int64
	}{
		{"network adjacency (Offsets, Adj)", resident(w.net.Offsets) + resident(w.net.Adj)},
		{"per position: strat (uint64)", resident(w.strat)},
		{"per position: cash, profitAvg, revenue (float64 each)", resident(w.cash) + resident(w.profitAvg) + resident(w.revenue)},
		{"per position: demo (size, capability, birth: 16 B)", resident(w.demo)},
		{"per position: propens (Roth–Erev, 3 × float32)", resident(w.propens)},
		{"per position: rec, cls, trial (int32 each), risk (float32)", resident(w.rec) + resident(w.cls) + resident(w.trial) + resident(w.risk)},
		{"per position: typ, sector (byte each), alive (bit)", resident(w.typ) + resident(w.sector) + resident(w.alive)},
		{"firm records (one per firm ever born)", resident(w.records)},
		{"pilot trials in progress (pool)", resident(w.trials.e)},
		{"classes: out (48 B per class)", resident(cl.out)},
		{"classes: strat, sector, n", resident(cl.strat) + resident(cl.sector) + resident(cl.n)},
		{"classes: index (hash table)", resident(cl.index.p) + resident(cl.index.e)},
		{"crowding: masked-key index (hash table)", resident(cl.mIndex.p) + resident(cl.mIndex.e)},
		{"crowding: mid (D int32 per class), mN (int32 per key)", resident(cl.mid) + resident(cl.mN)},
		{"classes: scratch (perm, ranks)", resident(cl.perm) + resident(cl.used) + resident(cl.before)},
		{"strategy counts (hash table or array), histogram", resident(w.exact.dense) + resident(w.hist) + func() int64 {
			if t := w.exact.table; t != nil {
				return resident(t.p) + resident(t.e)
			}
			return 0
		}()},
		{"revenue sort scratch (keys, tmp)", resident(w.market.keys) + resident(w.market.tmp)},
		{"proposals of the synchronous schedule", resident(w.revising)},
		{"vacant positions (per sector)", func() (b int64) {
			for _, v := range w.vacant {
				b += resident(v)
			}
			return b
		}()},
	}
	netBytes := w.NetworkBytes()
	world := rss - base - netBytes
	perFirm := float64(world) / firms
	listed := int64(0)
	t.Logf("after 60 ticks, %d of %d firms alive, %d records, %d class ids (%d with firms), %d masked keys",
		w.aliveN, firms, len(w.records), len(cl.n), cl.live, cl.mLive)
	t.Logf("%-60s %9s %11s", "resident (mincore)", "MiB", "B per firm")
	for _, p := range parts {
		t.Logf("%-60s %9.1f %11.1f", p.name, float64(p.b)/(1<<20), float64(p.b)/firms)
		if !strings.HasPrefix(p.name, "network") {
			listed += p.b
		}
	}
	t.Logf("%-60s %9.1f %11.1f", "world (RSS − before the world − network)", float64(world)/(1<<20), perFirm)
	t.Logf("%-60s %9.1f %11.1f", "  of which listed above, network excluded", float64(listed)/(1<<20), float64(listed)/firms)
	t.Logf("process: RSS %.1f MiB, peak %.1f MiB (%.1f MiB once the world was built), before the world %.1f MiB",
		float64(rss)/(1<<20), float64(peak)/(1<<20), float64(built)/(1<<20), float64(base)/(1<<20))
	if perFirm >= 300 {
		t.Errorf("%.0f bytes per firm at 1,000,000 firms, want under 300", perFirm)
	}
	if float64(listed) < 0.9*float64(world) {
		t.Errorf("the arrays listed hold %.0f of the world's %.0f bytes: something big is missing from the list", float64(listed), float64(world))
	}
}

// resident returns the bytes of s's backing array (its capacity) that are
// in memory, by mincore. A page only read, never written, maps the shared
// zero page and counts too.
func resident[T any](s []T) int64 {
	var z T
	size := uintptr(cap(s)) * unsafe.Sizeof(z)
	if size == 0 {
		return 0
	}
	const page = 4096
	p := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	start, end := p&^(page-1), (p+size+page-1)&^(page-1)
	vec := make([]byte, (end-start)/page)
	if _, _, e := syscall.Syscall(syscall.SYS_MINCORE, start, end-start, uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		return -1
	}
	n := int64(0)
	for _, b := range vec {
		n += int64(b & 1)
	}
	return n * page
}

// statusBytes reads a size field (in kB) of /proc/self/status.
func statusBytes(t *testing.T, field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			if f := strings.Fields(rest); len(f) == 2 {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}
