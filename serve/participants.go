package serve

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"rsc.io/qr"

	"github.com/smbsim/smbsim/agents"
)

// Limits on participants.
const (
	maxParticipants = 200
	actEvery        = 500 * time.Millisecond // a participant acts at most this often
	joinsPerMinute  = 20                     // per client address
	maxNameRunes    = 24
)

// participant is one person steering one firm from a phone.
type participant struct {
	token   string
	Name    string `json:"name"`
	Firm    int    `json:"firm"` // the firm's ID
	Rule    string `json:"rule"` // the last rule chosen, "" before any
	Actions int    `json:"actions"`
	last    time.Time
}

// participants are the people steering firms, by token.
type participants struct {
	byToken map[string]*participant
	order   []*participant
	taken   map[int]bool // firm IDs assigned
	joins   map[string][]time.Time
	now     func() time.Time
}

func (p *participants) init() {
	p.byToken = map[string]*participant{}
	p.taken = map[int]bool{}
	p.joins = map[string][]time.Time{}
	p.now = time.Now
}

// reset keeps the participants and their firms: initial firms have the
// same IDs in every run of the same seed; their choices start afresh.
func (p *participants) reset() {
	for _, x := range p.order {
		x.Rule = ""
	}
}

// allowJoin applies the join rate limit of one client address.
func (p *participants) allowJoin(addr string) bool {
	now := p.now()
	ts := p.joins[addr][:0]
	for _, t := range p.joins[addr] {
		if now.Sub(t) < time.Minute {
			ts = append(ts, t)
		}
	}
	if len(ts) >= joinsPerMinute {
		p.joins[addr] = ts
		return false
	}
	p.joins[addr] = append(ts, now)
	return true
}

// clientAddr is the request's remote host (no port).
func clientAddr(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

// checkName validates a participant's display name.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	n := utf8.RuneCountInString(name)
	if n < 1 || n > maxNameRunes {
		return "", errorf("name: 1 to %d characters", maxNameRunes)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return "", errorf("name: printable characters only")
		}
	}
	return name, nil
}

// rules are the choices a participant has, by the name the phone sends.
var rules = map[string]agents.Type{"imitate": agents.Imitator, "innovate": agents.Innovator, "specialise": agents.Specialist}

// handleJoin gives a participant with the workshop code a firm to steer.
func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &s.people
	if !p.allowJoin(clientAddr(r)) {
		return tooMany{errors.New("too many joins from this address: wait a minute")}
	}
	if subtle.ConstantTimeCompare([]byte(strings.ToUpper(strings.TrimSpace(q.Code))), []byte(s.opt.Code)) != 1 {
		return forbidden{errors.New("wrong workshop code: it is on the facilitator's screen")}
	}
	name, err := checkName(q.Name)
	if err != nil {
		return err
	}
	if len(p.order) >= maxParticipants {
		return errorf("the workshop is full (%d participants)", maxParticipants)
	}
	b := s.branches[s.cur]
	mkt, err := b.lanes[0].w.market()
	if err != nil {
		return badRequest{err}
	}
	firm := -1
	for id := range b.lanes[0].n0 {
		if _, ok := mkt.Firm(id); ok && !p.taken[id] {
			firm = id
			break
		}
	}
	if firm < 0 {
		return errorf("no firm left to steer")
	}
	x := &participant{token: token(16), Name: name, Firm: firm}
	p.byToken[x.token] = x
	p.order = append(p.order, x)
	p.taken[firm] = true
	s.broadcastState()
	return writeJSON(w, map[string]any{"token": x.token, "firm": firm})
}

// participantOf authenticates a participant by the X-Participant header.
func (s *Server) participantOf(r *http.Request) (*participant, error) {
	x, ok := s.people.byToken[r.Header.Get("X-Participant")]
	if !ok {
		return nil, forbidden{errors.New("not joined: join with the workshop code first")}
	}
	return x, nil
}

// Me is what a participant's phone shows: its firm and how it does.
type Me struct {
	Name     string   `json:"name"`
	Firm     int      `json:"firm"`
	Tick     int      `json:"tick"`
	Ticks    int      `json:"ticks"`
	Running  bool     `json:"running"`
	Alive    bool     `json:"alive"`
	Died     int      `json:"died,omitempty"` // tick it exited
	Rule     string   `json:"rule"`           // imitator, innovator, specialist, adaptive
	Cash     num      `json:"cash"`
	Profit   num      `json:"profit"`
	Rivals   int      `json:"rivals"`
	Strategy string   `json:"strategy"`
	Shock    int      `json:"shock"` // tick of the latest shock, 0 before any
	Market   int      `json:"market"`
	Choices  []string `json:"choices"`
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	x, err := s.participantOf(r)
	if err != nil {
		return err
	}
	return writeJSON(w, s.meLocked(x))
}

func (s *Server) meLocked(x *participant) Me {
	b := s.branches[s.cur]
	lw := b.lanes[0].w
	me := Me{Name: x.Name, Firm: x.Firm, Tick: lw.Tick(), Ticks: lw.Config().Ticks, Running: s.running,
		Choices: []string{"imitate", "innovate", "specialise"}, Shock: latestShock(lw)}
	wd, err := lw.market()
	if err != nil { // the facilitator switched to a culture world: no firm to steer
		return me
	}
	me.Market = wd.Alive()
	if f, ok := wd.Firm(x.Firm); ok {
		me.Alive = true
		me.Rule = f.Type.String()
		me.Cash, me.Profit, me.Rivals = num(f.Cash), num(f.Profit), f.Rivals
		me.Strategy = wd.FormatStrategy(f.Strategy)
	} else if x.Firm < len(wd.Firms()) {
		me.Died = wd.Firms()[x.Firm].Died
	}
	return me
}

// handleAct sets the rule of the participant's firm: imitate, innovate or
// specialise from its next revision on.
func (s *Server) handleAct(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Rule string `json:"rule"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	x, err := s.participantOf(r)
	if err != nil {
		return err
	}
	t, ok := rules[q.Rule]
	if !ok {
		return errorf("rule %q: imitate, innovate or specialise", q.Rule)
	}
	now := s.people.now()
	if now.Sub(x.last) < actEvery {
		return tooMany{errors.New("one choice every half second")}
	}
	x.last = now
	b := s.branches[s.cur]
	mkt, err := b.lanes[0].w.market()
	if err != nil {
		return badRequest{err}
	}
	if err := mkt.SetRule(x.Firm, t); err != nil {
		return badRequest{err}
	}
	x.Rule = q.Rule
	x.Actions++
	b.steered++
	return writeJSON(w, s.meLocked(x))
}

// participantInfo is a participant as the facilitator's page shows it.
type participantInfo struct {
	Name    string `json:"name"`
	Firm    int    `json:"firm"`
	Alive   bool   `json:"alive"`
	Rule    string `json:"rule"`
	Actions int    `json:"actions"`
}

func (s *Server) participantsLocked() []participantInfo {
	out := []participantInfo{}
	wd, err := s.branches[s.cur].lanes[0].w.market()
	for _, x := range s.people.order {
		alive := false
		if err == nil {
			_, alive = wd.Firm(x.Firm)
		}
		out = append(out, participantInfo{x.Name, x.Firm, alive, x.Rule, x.Actions})
	}
	return out
}

// forbidden is an error answered with 403, tooMany with 429.
type forbidden struct{ error }
type tooMany struct{ error }

// firms returns the IDs of the participants' firms.
func (p *participants) firms() map[int]bool {
	m := make(map[int]bool, len(p.order))
	for _, x := range p.order {
		m[x.Firm] = true
	}
	return m
}

// handleQR draws the join address as a QR code (PNG).
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request) error {
	u := s.opt.JoinURL
	if u == "" {
		u = "http://" + r.Host + "/join"
	}
	u += "?code=" + s.opt.Code
	c, err := qr.Encode(u, qr.M)
	if err != nil {
		return err
	}
	c.Scale = 6
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(c.PNG())
	return err
}
