package serve

import (
	"bytes"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"time"
)

//go:embed assets
var assets embed.FS

// maxBody bounds a request body.
const maxBody = 64 << 10

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.page("index.html"))
	m.HandleFunc("GET /api/state", s.facilitator(s.handleState))
	m.HandleFunc("GET /api/events", s.facilitator(s.handleEvents))
	m.HandleFunc("GET /join", s.page("join.html"))
	m.HandleFunc("POST /p/api/join", s.open(s.handleJoin))
	m.HandleFunc("GET /p/api/me", s.open(s.handleMe))
	m.HandleFunc("POST /p/api/act", s.open(s.handleAct))
	m.HandleFunc("GET /api/join.png", s.facilitator(s.handleQR))
	m.HandleFunc("GET /api/market", s.facilitator(s.handleMarket))
	m.HandleFunc("POST /api/control", s.facilitator(s.handleControl))
	m.HandleFunc("POST /api/settings", s.facilitator(s.handleSettings))
	m.HandleFunc("POST /api/compare", s.facilitator(s.handleCompare))
	m.HandleFunc("POST /api/shock", s.facilitator(s.handleShock))
	m.HandleFunc("POST /api/rewind", s.facilitator(s.handleRewind))
	m.HandleFunc("POST /api/branch", s.facilitator(s.handleBranch))
	m.HandleFunc("GET /api/workshop.toml", s.facilitator(s.handleWorkshop))
	m.HandleFunc("GET /api/timeseries.csv", s.facilitator(s.handleTimeseries))
	m.HandleFunc("POST /api/presets", s.facilitator(s.handleSavePreset))
	m.HandleFunc("POST /api/presets/load", s.facilitator(s.handleLoadPreset))
	m.HandleFunc("POST /api/seeds", s.facilitator(s.handleSeeds))
	runs := s.serveRuns()
	m.HandleFunc("GET /runs/", s.facilitator(func(w http.ResponseWriter, r *http.Request) error {
		runs.ServeHTTP(w, r)
		return nil
	}))
	s.mux = m
}

// page serves an embedded page.
func (s *Server) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := assets.ReadFile("assets/" + name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	}
}

// facilitator guards a handler with the facilitator's key, given in the
// X-Workshop-Key header or the key query parameter.
func (s *Server) facilitator(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-Workshop-Key")
		if key == "" {
			key = r.URL.Query().Get("key")
		}
		if subtle.ConstantTimeCompare([]byte(key), []byte(s.opt.Key)) != 1 {
			httpError(w, http.StatusForbidden, errors.New("this needs the facilitator's key (the address smbsim serve printed)"))
			return
		}
		s.open(h)(w, r)
	}
}

// open serves a handler without the facilitator's key (the participants'
// API), bounding the body and mapping errors to status codes.
func (s *Server) open(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := h(w, r); err != nil {
			code := http.StatusInternalServerError
			var (
				br badRequest
				fb forbidden
				tm tooMany
			)
			switch {
			case errors.As(err, &br):
				code = http.StatusBadRequest
			case errors.As(err, &fb):
				code = http.StatusForbidden
			case errors.As(err, &tm):
				code = http.StatusTooManyRequests
			}
			httpError(w, code, err)
		}
	}
}

func httpError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

// decode reads a JSON request body into v, rejecting unknown fields.
func decode(r *http.Request, v any) error {
	d := json.NewDecoder(r.Body)
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return errorf("bad request body: %v", err)
	}
	return nil
}

// State is the answer of GET /api/state: everything the page shows.
type State struct {
	Scenario    string            `json:"scenario"`
	Seed        uint64            `json:"seed"`
	Ticks       int               `json:"ticks"`   // the run's length
	Culture     bool              `json:"culture"` // a culture world: no market, so no shocks or participants
	Tick        int               `json:"tick"`
	Done        bool              `json:"done"`
	Running     bool              `json:"running"`
	Speed       float64           `json:"speed"` // ticks per second
	Epoch       int               `json:"epoch"` // changes when the charts restart
	Columns     []string          `json:"columns"`
	Lanes       []string          `json:"lanes"`
	Rows        [][][]num         `json:"rows,omitempty"` // per lane, every row so far (with ?rows=1)
	Fired       []firedShock      `json:"fired"`
	Scheduled   []firedShock      `json:"scheduled"` // the settings' own shocks
	ShockKinds  []string          `json:"shock_kinds"`
	ShockParams []Control         `json:"shock_params"`
	Settings    []Control         `json:"settings"`
	Compare     compareSpec       `json:"compare"`
	Branch      int               `json:"branch"`
	Branches    []branchInfo      `json:"branches"`
	Snapshots   []int             `json:"snapshots"`
	Code        string            `json:"code"`
	Presets     []string          `json:"presets"`
	Join        string            `json:"join"` // the participants' address ("" = this server's /join)
	People      []participantInfo `json:"participants"`
	Runs        []seedRun         `json:"runs"`
}

type firedShock struct {
	Tick     int     `json:"tick"`
	Kind     string  `json:"kind"`
	Severity float64 `json:"severity"`
}

type branchInfo struct {
	ID     int     `json:"id"`
	Parent int     `json:"parent"`
	From   int     `json:"from"`
	Tick   int     `json:"tick"`
	Fired  int     `json:"fired"`
	Label  string  `json:"label"`
	Rows   [][]num `json:"rows,omitempty"` // first lane's rows (other branches, with ?rows=1)
}

// stateLocked describes the workshop; rows adds every chart row.
func (s *Server) stateLocked(rows bool) State {
	b := s.branches[s.cur]
	cfg := b.scen.Config()
	st := State{
		Scenario: b.scen.Name, Seed: b.scen.Runs.BaseSeed, Ticks: cfg.Ticks, Culture: cfg.RunsCulture(), Tick: b.tick(), Done: b.done(),
		Running: s.running, Speed: s.speed, Epoch: s.epoch, Columns: ChartColumns(),
		ShockKinds: shockKinds(), ShockParams: ShockControls(cfg.Strategy.Dimensions),
		Settings: Controls(s.base), Compare: s.compare, Branch: s.cur, Snapshots: b.snapshotTicks(), Code: s.opt.Code,
		Fired: []firedShock{}, Scheduled: []firedShock{}, Presets: s.presetNames(), Runs: append([]seedRun{}, s.runs...),
		Join: s.opt.JoinURL, People: s.participantsLocked(),
	}
	for _, l := range b.lanes {
		st.Lanes = append(st.Lanes, l.Name)
		if rows {
			st.Rows = append(st.Rows, l.rows)
		}
	}
	for _, sh := range b.fired() {
		st.Fired = append(st.Fired, firedShock{sh.Tick, string(sh.Kind), sh.Severity})
	}
	for _, sh := range cfg.Shocks {
		st.Scheduled = append(st.Scheduled, firedShock{sh.Tick, string(sh.Kind), sh.Severity})
	}
	for i, x := range s.branches {
		bi := branchInfo{ID: x.ID, Parent: x.Parent, From: x.From, Tick: x.tick(), Fired: len(x.fired())}
		bi.Label = fmt.Sprintf("branch %d", x.ID)
		if x.Parent >= 0 {
			bi.Label += fmt.Sprintf(" (from %d at tick %d)", x.Parent, x.From)
		}
		if rows && i != s.cur {
			bi.Rows = x.lanes[0].rows
		}
		st.Branches = append(st.Branches, bi)
	}
	return st
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	st := s.stateLocked(r.URL.Query().Get("rows") == "1")
	s.mu.Unlock()
	return writeJSON(w, st)
}

// handleEvents streams server-sent events: "state" (at once and after
// every change of controls) and "tick" (new chart rows).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) error {
	fl, ok := w.(http.Flusher)
	if !ok {
		return errors.New("streaming unsupported")
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan []byte, 256)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	first := event("state", s.stateLocked(false))
	s.mu.Unlock()
	defer s.unsubscribe(ch)
	w.Write(first)
	fl.Flush()
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case b, ok := <-ch:
			if !ok {
				return nil
			}
			if _, err := w.Write(b); err != nil {
				return nil
			}
			fl.Flush()
		case <-ping.C:
			io.WriteString(w, ": ping\n\n")
			fl.Flush()
		}
	}
}

func (s *Server) handleMarket(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	ev := s.marketLocked()
	s.mu.Unlock()
	return writeJSON(w, ev)
}

func (s *Server) unsubscribe(ch chan []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subs[ch]; ok {
		delete(s.subs, ch)
		close(ch)
	}
}

func (s *Server) closeSubs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		delete(s.subs, ch)
		close(ch)
	}
}

// event formats one server-sent event.
func event(name string, v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own types
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", name, data)
	return b.Bytes()
}

// broadcast sends an event to every subscriber; one that cannot keep up
// is dropped (its page reconnects and reloads the state).
func (s *Server) broadcast(name string, v any) {
	if len(s.subs) == 0 {
		return
	}
	b := event(name, v)
	for ch := range s.subs {
		select {
		case ch <- b:
		default:
			delete(s.subs, ch)
			close(ch)
		}
	}
}

func (s *Server) broadcastState() { s.broadcast("state", s.stateLocked(false)) }

// Control is the body of POST /api/control.
type control struct {
	Action string   `json:"action"` // run, pause, step, reset, speed
	Speed  *float64 `json:"speed,omitempty"`
	Ticks  int      `json:"ticks,omitempty"` // step: how many (default 1)
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) error {
	var c control
	if err := decode(r, &c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Speed != nil {
		if !(*c.Speed >= 1 && *c.Speed <= 1000) {
			return errorf("speed %v: must be between 1 and 1000 ticks per second", *c.Speed)
		}
		s.speed = *c.Speed
	}
	switch c.Action {
	case "run":
		s.running = !s.branches[s.cur].done()
	case "pause":
		s.running = false
	case "step":
		n := max(c.Ticks, 1)
		if n > 10000 {
			return errorf("ticks %d: at most 10000 per step", n)
		}
		s.running = false
		s.stepLocked(n)
	case "reset":
		if err := s.resetLocked(); err != nil {
			return err
		}
	case "speed", "":
	default:
		return errorf("unknown action %q (run, pause, step, reset, speed)", c.Action)
	}
	s.broadcastState()
	s.broadcast("market", s.marketLocked())
	return writeJSON(w, s.stateLocked(false))
}

// settingsReq is the body of POST /api/settings.
type settingsReq struct {
	Values map[string]string `json:"values"` // key → value as typed
	Reset  bool              `json:"reset"`  // restart at once with them
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) error {
	var q settingsReq
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := Controls(s.base)
	var sets []string
	for k, v := range q.Values {
		a, err := assignment(cs, k, v)
		if err != nil {
			return err
		}
		sets = append(sets, a)
	}
	next, err := withSets(s.base, sets)
	if err != nil {
		return err
	}
	s.base = next
	if q.Reset {
		if err := s.resetLocked(); err != nil {
			return err
		}
	}
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	var c compareSpec
	if err := decode(r, &c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := newBranch(s.base, c, 0); err != nil {
		return err
	}
	s.compare = c
	if err := s.resetLocked(); err != nil {
		return err
	}
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

// shockReq is the body of POST /api/shock.
type shockReq struct {
	Kind   string            `json:"kind"`
	Values map[string]string `json:"values"` // shock keys → values; left out: defaults
}

func (s *Server) handleShock(w http.ResponseWriter, r *http.Request) error {
	var q shockReq
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.branches[s.cur]
	if b.done() {
		return errorf("the run is over: reset or rewind first")
	}
	sh, err := shockOf(q.Kind, q.Values, b.scen.Config().Strategy.Dimensions)
	if err != nil {
		return err
	}
	if err := b.fire(sh); err != nil {
		return err
	}
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

func (s *Server) handleRewind(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Tick int `json:"tick"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	nb, err := s.branches[s.cur].rewind(q.Tick, len(s.branches))
	if err != nil {
		return err
	}
	s.branches = append(s.branches, nb)
	s.cur = nb.ID
	s.running = false
	s.epoch++
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

func (s *Server) handleBranch(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		ID int `json:"id"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.ID < 0 || q.ID >= len(s.branches) {
		return errorf("no branch %d (0 to %d)", q.ID, len(s.branches)-1)
	}
	s.cur = q.ID
	s.running = false
	s.epoch++
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

// branchParam returns the branch named by the branch query parameter
// (default: the current one).
func (s *Server) branchParam(r *http.Request) (*branch, error) {
	id := s.cur
	if v := r.URL.Query().Get("branch"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n >= len(s.branches) {
			return nil, errorf("branch %q: no such branch", v)
		}
		id = n
	}
	return s.branches[id], nil
}

func (s *Server) handleWorkshop(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.branchParam(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeWorkshop(&buf, b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/toml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="workshop.toml"`)
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) handleTimeseries(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.branchParam(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writeTimeseries(&buf, b, b.lanes[0]); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	_, err = w.Write(buf.Bytes())
	return err
}
