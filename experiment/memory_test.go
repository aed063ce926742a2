package experiment

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smbsim/smbsim/sim"
)

// peakHeap runs f while sampling the heap, and returns the largest
// HeapInuse seen.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak.Load()
}

// TestMemoryBounded checks that 40 times more runs do not need
// proportionally more memory: statistics are accumulated online and rows
// streamed to disk.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	fast := func(cfg sim.Config, seed uint64) (Model, error) {
		m, err := newFake(cfg, seed)
		if err == nil {
			m.(*fakeModel).sleep = 0
		}
		return m, err
	}
	heap := func(seeds int) uint64 {
		p := testPlan(CommandRun, seeds)
		p.Variants[0].Config.Population.Firms = 2000
		p.Every = 1
		return peakHeap(func() {
			execute(t, p, Options{Out: t.TempDir(), Workers: 2, Factory: fast})
		})
	}
	few, many := heap(10), heap(400)
	t.Logf("peak heap: 10 runs %d KiB, 400 runs %d KiB", few>>10, many>>10)
	if many > 3*few {
		t.Errorf("400 runs peaked at %d KiB of heap, 10 runs at %d KiB: memory grows with the number of runs", many>>10, few>>10)
	}
}
