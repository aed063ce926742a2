package sim

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// demographyFigures are one run's demographic measurements.
type demographyFigures struct {
	surv              [3]float64 // Kaplan–Meier survival of entrants at 12, 60, 120 ticks
	hazard            []float64  // entrant exits per firm-year at risk, by year of age
	skew, top1, gini  float64    // revenue distribution of alive firms at the end
	alive, peak       float64    // alive firms at the end, most alive over the run, per initial firm
	foundRate, mortal []float64  // per density bin: entries and exits per firm-tick
}

// survivalAges are the ages at which entrant survival is calibrated (BLS).
var survivalAges = [3]int{12, 60, 120}

// measureDemography runs cfg with seed and measures entrants born after
// burnIn.
func measureDemography(t testing.TB, cfg Config, seed uint64, burnIn int) demographyFigures {
	t.Helper()
	w, err := New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	peak := 0
	for w.Step() {
		peak = max(peak, w.aliveN)
	}
	var f demographyFigures
	end := w.tick
	// Kaplan–Meier over entrants born after the burn-in.
	type life struct {
		age  int
		died bool
	}
	var lives []life
	for _, r := range w.Firms() {
		if r.Born <= burnIn {
			continue
		}
		lives = append(lives, life{r.Age(end), r.Died >= 0})
	}
	sort.Slice(lives, func(i, j int) bool { return lives[i].age < lives[j].age })
	years := (end - burnIn) / 12
	deaths := make([]float64, years+1)
	exposure := make([]float64, years+1)
	for _, l := range lives {
		for y := 0; y <= years && y*12 < l.age; y++ {
			exposure[y] += float64(min(12, l.age-y*12)) / 12
		}
		if l.died {
			if y := (l.age - 1) / 12; y <= years && l.age > 0 {
				deaths[y]++
			}
		}
	}
	for y := range deaths {
		if exposure[y] > 0 {
			f.hazard = append(f.hazard, deaths[y]/exposure[y])
		}
	}
	s, k := 1.0, 0
	atRisk := len(lives)
	for j := 0; j < len(lives); {
		age := lives[j].age
		d, c := 0, 0
		for ; j < len(lives) && lives[j].age == age; j++ {
			if lives[j].died {
				d++
			} else {
				c++
			}
		}
		for k < 3 && survivalAges[k] < age {
			f.surv[k] = s
			k++
		}
		if atRisk > 0 {
			s *= 1 - float64(d)/float64(atRisk)
		}
		atRisk -= d + c
	}
	for ; k < 3; k++ {
		f.surv[k] = math.NaN()
		if survivalAges[k] <= end-burnIn {
			f.surv[k] = s
		}
	}
	var rev []float64
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) {
			rev = append(rev, w.revenue[i])
		}
	}
	f.skew = skewness(rev)
	f.gini, f.top1 = w.metrics[MGini], w.metrics[MTop1Share]
	f.alive = float64(w.aliveN) / float64(w.n0)
	f.peak = float64(peak) / float64(w.n0)
	return f
}

func skewness(x []float64) float64 {
	n := float64(len(x))
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= n
	m2, m3 := 0.0, 0.0
	for _, v := range x {
		d := v - m
		m2 += d * d
		m3 += d * d * d
	}
	m2 /= n
	m3 /= n
	return m3 / math.Pow(m2, 1.5)
}

// TestDemographyExplore prints one seed's figures (SMBSIM_EXPLORE=seeds).
func TestDemographyExplore(t *testing.T) {
	ns := os.Getenv("SMBSIM_EXPLORE")
	if ns == "" {
		t.Skip("set SMBSIM_EXPLORE=seeds")
	}
	n, _ := strconv.Atoi(ns)
	cfg := DefaultConfig()
	for _, kv := range strings.Split(os.Getenv("SMBSIM_SET"), ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		x, _ := strconv.ParseFloat(v, 64)
		switch k {
		case "cash":
			cfg.Market.EntryCash = x
		case "nu":
			cfg.Demography.Newness = x
		case "tau":
			cfg.Demography.NewnessTime = x
		case "sc":
			cfg.Demography.StartupSpread = x
		case "cap":
			cfg.Demography.Capability = x
		case "eta":
			cfg.Demography.GrowthRate = x
		case "gn":
			cfg.Demography.GrowthNoise = x
		case "om":
			cfg.Demography.Overhead = x
		case "eps":
			cfg.Demography.EntryResponse = x
		case "e":
			cfg.Market.EntryRate = x
		case "copy":
			cfg.Market.EntryCopy = x
		case "F":
			cfg.Market.FixedCost = x
		case "ticks":
			cfg.Ticks = int(x)
		}
	}
	for seed := uint64(1); seed <= uint64(n); seed++ {
		f := measureDemography(t, cfg, seed, 100)
		h := f.hazard
		if len(h) > 10 {
			h = h[:10]
		}
		fmt.Printf("seed %d surv %.3f %.3f %.3f hazard %.3f skew %.2f top1 %.3f gini %.3f alive %.2f peak %.2f\n",
			seed, f.surv[0], f.surv[1], f.surv[2], h, f.skew, f.top1, f.gini, f.alive, f.peak)
	}
}
