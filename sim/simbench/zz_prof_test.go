package simbench

import (
	"fmt"
	"testing"

	"github.com/smbsim/smbsim/sim"
)

func BenchmarkZZAxelrod200(b *testing.B) {
	for b.Loop() {
		w, _ := sim.New(AxelrodConfig(100, 5, 10), 1)
		for range 200 {
			w.Step()
		}
	}
	b.ReportMetric(float64(b.N*200*10000)/b.Elapsed().Seconds(), "events/s")
}

func TestZZMoves(t *testing.T) {
	w, _ := sim.New(AxelrodConfig(100, 5, 10), 1)
	names := sim.MetricNames()
	for k := range 200 {
		w.Step()
		m := w.Metrics()
		if k%10 == 0 {
			for i, n := range names {
				if n == "imitations" || n == "active_edges" || n == "distinct" {
					fmt.Print(n, "=", m[i], " ")
				}
			}
			fmt.Println()
		}
	}
}
