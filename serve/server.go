// Package serve is `smbsim serve`: a live workshop in the browser. It runs
// one market (and optionally a second one in lockstep) tick by tick, streams
// what the charts need to the facilitator's page by server-sent events, and
// takes controls over a small JSON API (docs/serve.md), which the page
// itself uses. Every intervention goes through the engine's declared paths:
// settings are scenario keys set with [scenarios.Scenario.Set], a fired shock
// is [sim.World.AddShock] at the next tick, so "save workshop" writes a
// scenario that `smbsim run` replays to the same data.
//
// The page and its scripts are embedded (no CDN: workshops are often
// offline).
package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/smbsim/smbsim/scenarios"
	"github.com/smbsim/smbsim/sim"
)

// Options configure a workshop server.
type Options struct {
	// Scenario is the workshop's starting scenario (its settings and seed:
	// simulation.base_seed).
	Scenario *scenarios.Scenario
	// Key is the facilitator's key, needed by every control; "" draws one.
	Key string
	// Code is the workshop code participants type to join; "" draws one.
	Code string
	// FrameRate is the number of updates per second sent to the pages
	// while running (default 20).
	FrameRate int
	// SnapshotEvery is the number of ticks between the snapshots that
	// rewind goes back to (default 25).
	SnapshotEvery int
	// Presets is the directory of named presets ("" = presets off).
	Presets string
	// RunSeeds, when set, runs a scenario file (its simulation.seeds) with
	// the experiment runner into outDir and returns the path of its report;
	// it backs "run 30 seeds". RunsDir holds those runs.
	RunSeeds func(ctx context.Context, scenarioFile, outDir string) (report string, err error)
	RunsDir  string
	// JoinURL is the address participants open (shown with a QR code);
	// "" = this server's address as the facilitator's browser sees it.
	JoinURL string
}

// Server is one workshop. Its methods are safe for concurrent use.
type Server struct {
	opt Options
	mux *http.ServeMux

	mu       sync.Mutex
	base     *scenarios.Scenario // current settings (apply at reset)
	compare  compareSpec         // the second lane, if any (applies at reset)
	running  bool
	speed    float64 // ticks per second
	debt     float64 // ticks owed to the schedule
	branches []*branch
	cur      int // current branch
	epoch    int // increments when the charts must be redrawn from state
	subs     map[chan []byte]struct{}
	runs     []seedRun
	people   participants
	wake     chan struct{}
	ctx      context.Context // the server's life (Run's context)

	lastMarket time.Time // last "market" event
}

// New builds a workshop for opt.Scenario, at tick 0, paused.
func New(opt Options) (*Server, error) {
	if opt.Scenario == nil {
		return nil, errors.New("serve: no scenario")
	}
	if err := opt.Scenario.Validate(); err != nil {
		return nil, err
	}
	if opt.Key == "" {
		opt.Key = token(16)
	}
	if opt.Code == "" {
		opt.Code = joinCode()
	}
	if opt.FrameRate <= 0 {
		opt.FrameRate = 20
	}
	if opt.SnapshotEvery <= 0 {
		opt.SnapshotEvery = 25
	}
	s := &Server{opt: opt, base: opt.Scenario, speed: 50, subs: map[chan []byte]struct{}{}, wake: make(chan struct{}, 1), ctx: context.Background()}
	s.people.init()
	if err := s.resetLocked(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Key returns the facilitator's key.
func (s *Server) Key() string { return s.opt.Key }

// Code returns the workshop code participants join with.
func (s *Server) Code() string { return s.opt.Code }

// ServeHTTP serves the pages and the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Run steps the workshop while it is running, sending updates at the frame
// rate, until ctx is done.
func (s *Server) Run(ctx context.Context) {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	frame := time.Second / time.Duration(s.opt.FrameRate)
	t := time.NewTicker(frame)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.closeSubs()
			return
		case <-t.C:
			s.frame(frame.Seconds())
		case <-s.wake:
		}
	}
}

// frame advances the running workshop by the ticks one frame of dt
// seconds owes at the current speed, and sends them.
func (s *Server) frame(dt float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		return
	}
	s.debt += s.speed * dt
	n := int(s.debt)
	s.debt -= float64(n)
	if n == 0 {
		return
	}
	s.stepLocked(n)
}

// stepLocked steps the current branch by up to n ticks and broadcasts
// the new rows.
func (s *Server) stepLocked(n int) {
	b := s.branches[s.cur]
	from := b.tick()
	for range n {
		if !b.step(s.opt.SnapshotEvery) {
			s.running = false
			break
		}
	}
	s.broadcast("tick", b.rowsSince(from, s.cur))
	if now := time.Now(); !s.running || now.Sub(s.lastMarket) >= marketEvery {
		s.lastMarket = now
		s.broadcast("market", s.marketLocked())
	}
	if !s.running {
		s.broadcastState()
	}
}

// marketEvery is the time between "market" events while running.
const marketEvery = 250 * time.Millisecond

// resetLocked starts a new run from tick 0 with the current settings,
// dropping every branch.
func (s *Server) resetLocked() error {
	b, err := newBranch(s.base, s.compare, 0)
	if err != nil {
		return err
	}
	s.branches = []*branch{b}
	s.cur = 0
	s.running = false
	s.debt = 0
	s.epoch++
	s.people.reset()
	return nil
}

// token returns n random bytes in hex (crypto/rand: a secret, not model
// randomness).
func token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// joinCode returns a six-letter workshop code without look-alike letters.
func joinCode() string {
	const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// shockKinds are the shock kinds a page can fire, as declared by the engine.
func shockKinds() []string { return sim.ShockKind("").Values() }

// errorf is an error the API answers with 400 Bad Request.
type badRequest struct{ error }

func errorf(format string, a ...any) error { return badRequest{fmt.Errorf(format, a...)} }
