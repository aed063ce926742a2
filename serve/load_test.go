//go:build unix

package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// BenchmarkWorkshopLoad measures a workshop under a room's load: a
// 1,000-firm market running at 100 ticks per second with 10 updates a
// second streamed to the facilitator's page, and 30 participants each
// asking for their firm 10 times a second and choosing a rule once a
// second. One iteration is one second of it. It reports the participants'
// request latency (median and 99th percentile), the updates and ticks the
// facilitator received per second, and the CPU the whole process (server
// and load generator) used per second of wall time. Run:
//
//	go test ./serve -run '^$' -bench WorkshopLoad -benchtime 5x
func BenchmarkWorkshopLoad(b *testing.B) {
	ws := newTestServer(b, "population.firms=1000", "simulation.ticks=100000", "shocks[1].tick=99999")
	ws.opt.FrameRate = 10
	ws.speed = 100
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: ws}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ws.Run(ctx)
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	// The facilitator's stream.
	var updates, ticks int64
	var mu sync.Mutex
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/events?key="+ws.Key(), nil)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		tick := false
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "event: tick":
				tick = true
			case tick && strings.HasPrefix(line, "data: "):
				var ev tickEvent
				json.Unmarshal([]byte(line[6:]), &ev)
				mu.Lock()
				updates++
				ticks += int64(len(ev.Lanes[0]))
				mu.Unlock()
				tick = false
			}
		}
	}()
	// 30 participants.
	tokens := make([]string, 30)
	for i := range tokens {
		body := fmt.Sprintf(`{"code":%q,"name":"p%d"}`, ws.Code(), i)
		r, err := client.Post(base+"/p/api/join", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		var j struct{ Token string }
		json.NewDecoder(r.Body).Decode(&j)
		r.Body.Close()
		tokens[i] = j.Token
	}
	post(b, client, base+"/api/control", ws.Key(), `{"action":"run"}`)

	var lat []time.Duration
	cpu0, wall0 := cpuTime(), time.Now()
	mu.Lock()
	u0, t0 := updates, ticks
	mu.Unlock()
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for i, tok := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				for k := range 10 {
					start := time.Now()
					path, method, body := "/p/api/me", "GET", ""
					if k == i%10 {
						path, method, body = "/p/api/act", "POST", `{"rule":"`+[]string{"imitate", "innovate", "specialise"}[k%3]+`"}`
					}
					r, _ := http.NewRequest(method, base+path, strings.NewReader(body))
					r.Header.Set("X-Participant", tok)
					resp, err := client.Do(r)
					if err == nil {
						var sink map[string]any
						json.NewDecoder(resp.Body).Decode(&sink)
						resp.Body.Close()
					}
					mine = append(mine, time.Since(start))
					time.Sleep(100*time.Millisecond - time.Since(start))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	wall := time.Since(wall0).Seconds()
	cpu := (cpuTime() - cpu0).Seconds()
	mu.Lock()
	du, dt := updates-u0, ticks-t0
	mu.Unlock()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(du)/wall, "updates/s")
	b.ReportMetric(float64(dt)/wall, "ticks/s")
	b.ReportMetric(cpu/wall, "cpu-s/s")
}

func post(b *testing.B, c *http.Client, url, key, body string) {
	r, _ := http.NewRequest("POST", url, strings.NewReader(body))
	r.Header.Set("X-Workshop-Key", key)
	resp, err := c.Do(r)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
