package serve

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// participantCall sends a participant's request from addr with token.
func participantCall(ws *Server, method, path, body, tok, addr string) (int, []byte) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = addr + ":5000"
	if tok != "" {
		r.Header.Set("X-Participant", tok)
	}
	w := httptest.NewRecorder()
	ws.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func TestParticipants(t *testing.T) {
	ws := newTestServer(t, "population.firms=200", "simulation.ticks=100", "shocks[1].tick=80")
	clock := time.Unix(1000, 0)
	ws.people.now = func() time.Time { return clock }
	call(t, ws, "POST", "/api/control", `{"action":"step","ticks":5}`, true)

	join := func(code, name, addr string) (int, string, int) {
		c, b := participantCall(ws, "POST", "/p/api/join", `{"code":"`+code+`","name":"`+name+`"}`, "", addr)
		var j struct {
			Token string
			Firm  int
		}
		json.Unmarshal(b, &j)
		return c, j.Token, j.Firm
	}
	if c, _, _ := join("WRONG1", "Ann", "10.0.0.1"); c != 403 {
		t.Errorf("join with a wrong code: %d, want 403", c)
	}
	if c, _, _ := join(ws.Code(), "", "10.0.0.1"); c != 400 {
		t.Errorf("join without a name: %d, want 400", c)
	}
	c, ann, annFirm := join(strings.ToLower(ws.Code()), "Ann", "10.0.0.1")
	if c != 200 || ann == "" {
		t.Fatalf("join: %d", c)
	}
	_, bob, bobFirm := join(ws.Code(), "Bob", "10.0.0.2")
	if annFirm == bobFirm {
		t.Errorf("two participants steer firm %d", annFirm)
	}
	for _, tc := range []struct {
		method, path, body, tok string
		code                    int
		want                    string
	}{
		{"GET", "/p/api/me", "", "", 403, "not joined"},
		{"GET", "/p/api/me", "", ann, 200, `"name":"Ann"`},
		{"POST", "/p/api/act", `{"rule":"conquer"}`, ann, 400, "imitate, innovate or specialise"},
		{"POST", "/p/api/act", `{"rule":"innovate"}`, ann, 200, `"rule":"innovator"`},
		{"POST", "/p/api/act", `{"rule":"imitate"}`, ann, 429, "half second"},
		{"POST", "/p/api/act", `{"rule":"specialise"}`, bob, 200, `"rule":"specialist"`},
		// Participants cannot use the facilitator's controls.
		{"POST", "/api/control", `{"action":"reset"}`, ann, 403, "facilitator"},
		{"POST", "/api/settings", `{"values":{"population.firms":"10"}}`, ann, 403, "facilitator"},
		{"POST", "/api/shock", `{"kind":"downturn"}`, ann, 403, "facilitator"},
	} {
		if c, b := participantCall(ws, tc.method, tc.path, tc.body, tc.tok, "10.0.0.1"); c != tc.code || !bytes.Contains(b, []byte(tc.want)) {
			t.Errorf("%s %s %s: %d %.200s; want %d with %s", tc.method, tc.path, tc.body, c, b, tc.code, tc.want)
		}
	}
	w, _ := ws.branches[0].lanes[0].w.market()
	if f, ok := w.Firm(annFirm); !ok || f.Type.String() != "innovator" {
		t.Errorf("Ann's firm: %+v, want an innovator", f)
	}
	clock = clock.Add(time.Second)
	if c, b := participantCall(ws, "POST", "/p/api/act", `{"rule":"imitate"}`, ann, "10.0.0.1"); c != 200 || !bytes.Contains(b, []byte(`"rule":"imitator"`)) {
		t.Errorf("act after a second: %d %s", c, b)
	}
	st := state(t, ws)
	if len(st.People) != 2 || st.People[0].Name != "Ann" || st.People[0].Rule != "imitate" || st.People[0].Actions != 2 {
		t.Errorf("participants on the facilitator's page: %+v", st.People)
	}
	// Joins are rate-limited per address.
	limited := false
	for i := range joinsPerMinute + 1 {
		if c, _, _ := join(ws.Code(), "P"+string(rune('a'+i)), "10.0.0.9"); c == 429 {
			limited = true
		}
	}
	if !limited {
		t.Errorf("%d joins in a minute from one address were all accepted", joinsPerMinute+1)
	}
	// The saved workshop says the participants' choices are not in it.
	_, toml := call(t, ws, "GET", "/api/workshop.toml", "", true)
	if !bytes.Contains(toml, []byte("Not replayed: 3 choice(s)")) {
		t.Errorf("workshop header does not mention the participants' choices:\n%.300s", toml)
	}
	// The market view rings the participants' firms.
	_, mb := call(t, ws, "GET", "/api/market", "", true)
	var ev struct{ Lanes []struct{ Mine [][3]float64 } }
	json.Unmarshal(mb, &ev)
	if len(ev.Lanes[0].Mine) != 2+joinsPerMinute {
		t.Errorf("market view marks %d participants' firms, want %d", len(ev.Lanes[0].Mine), 2+joinsPerMinute)
	}
}

// TestPhoneParticipant: a phone-sized browser joins with the workshop code
// and steers its firm; the facilitator's state shows it.
func TestPhoneParticipant(t *testing.T) {
	ws := newTestServer(t, "population.firms=300")
	b := newBrowser(t, ws, 390, 844)
	b.do(chromedp.Navigate(b.url + "/join?code=" + ws.Code()))
	b.do(chromedp.SendKeys(chromedp.CSS("#name"), "Zoë"), chromedp.Click(chromedp.CSS(`#join button[type=submit]`)))
	b.waitFor(`!document.getElementById('firm').hidden && document.getElementById('cash').textContent !== ''`)
	// Choose a rule the firm does not follow yet.
	choice, want := "specialise", "specialist"
	if eval[string](b, `document.getElementById('rule').textContent`) == "specialise" {
		choice, want = "innovate", "innovator"
	}
	b.do(chromedp.Click(chromedp.CSS(`button[data-rule="` + choice + `"]`)))
	b.waitFor(`document.querySelector('button[data-rule="` + choice + `"]').getAttribute('aria-pressed') === 'true'`)
	b.screenshot("phone")
	var st State
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if st = state(t, ws); len(st.People) == 1 && st.People[0].Actions == 1 {
			break
		}
	}
	if len(st.People) != 1 || st.People[0].Name != "Zoë" || st.People[0].Rule != choice || st.People[0].Actions != 1 {
		t.Fatalf("participants: %+v, want Zoë who chose %s once", st.People, choice)
	}
	ws.mu.Lock()
	mkt, _ := ws.branches[0].lanes[0].w.market()
	f, ok := mkt.Firm(st.People[0].Firm)
	ws.mu.Unlock()
	if !ok || f.Type.String() != want {
		t.Errorf("the participant's firm: %+v, want a %s", f, want)
	}
	b.noErrors()
}
