package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/smbsim/smbsim/agents"
)

// AddShock schedules one more shock on a running world, after those of
// its configuration: it becomes Config.Shocks[k], k the returned index,
// and acts from its tick on exactly as it would had it been in the
// configuration from the start (it draws from shock k's own stream, see
// Fork). Its tick must be after the world's current tick (a shock fired
// "now" has tick Tick()+1), so a scenario that lists the same shocks in the
// same order replays the run identically. Invalid shocks are rejected with
// the errors Validate would give, the world unchanged.
//
// This is the engine hook of a live workshop (package serve): a fired
// shock is recorded in the configuration, never applied outside it.
func (w *World) AddShock(sh Shock) (int, error) {
	if sh.Tick <= w.tick {
		return -1, fmt.Errorf("shock tick %d: must be after the current tick %d", sh.Tick, w.tick)
	}
	k := len(w.cfg.Shocks)
	c := w.cfg
	c.Shocks = append(append([]Shock(nil), w.cfg.Shocks...), sh)
	prefix := fmt.Sprintf("shocks[%d].", k+1)
	var errs []error
	for _, p := range c.Problems() {
		if strings.HasPrefix(p.Path, prefix) {
			errs = append(errs, p)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return -1, err
	}
	w.cfg.Shocks = c.Shocks
	st := &w.shocks
	st.active = append(st.active, false)
	st.off = append(st.off, false)
	st.rand = append(st.rand, newStream(w.seed, shockStream(k)))
	st.shiftMask = append(st.shiftMask, nil)
	st.shiftVal = append(st.shiftVal, nil)
	st.targetOpt = append(st.targetOpt, 0)
	st.targetDim = append(st.targetDim, -1)
	return k, nil
}

// FirmState is what a participant steering one firm sees of it.
type FirmState struct {
	ID       int         // the firm's ID (FirmRecord.ID)
	Type     agents.Type // the rule it follows now (SetRule may have changed it)
	Strategy uint64
	Cash     float64
	Revenue  float64 // revenue in the last tick
	Profit   float64 // running average of operating profit
	Rivals   int     // near-identical rivals in its sector (0 without a market)
	Sector   int
}

// slotOf returns the position of the alive firm with the given ID, or -1.
func (w *World) slotOf(id int) int {
	if id < 0 || id >= len(w.records) || w.records[id].died() >= 0 {
		return -1
	}
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) && int(w.rec[i]) == id {
			return i
		}
	}
	return -1
}

// Firm returns the current state of the alive firm with the given ID;
// false if it has exited (or never existed).
func (w *World) Firm(id int) (FirmState, bool) {
	i := w.slotOf(id)
	if i < 0 {
		return FirmState{}, false
	}
	f := FirmState{ID: id, Type: w.typ[i], Strategy: w.strat[i], Cash: w.cash[i], Revenue: w.revenue[i], Profit: w.profitAvg[i], Sector: int(w.sector[i])}
	if w.cl != nil {
		f.Rivals = w.rivals(i)
	}
	return f, true
}

// SetRule makes the alive firm with the given ID follow the rule of
// behaviour type t (imitator, innovator or specialist) from its next
// revision on, as a firm of that type does: an external decision steering
// one firm (a workshop participant, package serve). The firm's record keeps
// the type it was born with; the alive-by-type counts follow the rule. A
// world on which SetRule is never called runs exactly as before: it draws
// nothing and changes nothing else.
func (w *World) SetRule(id int, t agents.Type) error {
	if t != agents.Imitator && t != agents.Innovator && t != agents.Specialist {
		return fmt.Errorf("rule %s: a steered firm imitates, innovates or specialises", t)
	}
	i := w.slotOf(id)
	if i < 0 {
		return fmt.Errorf("firm %d is not in business", id)
	}
	w.byType[w.typ[i]]--
	w.typ[i] = t
	w.byType[t]++
	return nil
}

// FirmCash returns dst[:0] extended to one value per firm record, by ID:
// the cash of each firm in business now, NaN for firms that have exited
// (the cash at a shock by which the experiment groups the firms at risk).
func (w *World) FirmCash(dst []float64) []float64 {
	dst = dst[:0]
	for range w.records {
		dst = append(dst, math.NaN())
	}
	for i := 0; i < w.n; i++ {
		if w.isAlive(i) {
			dst[w.rec[i]] = w.cash[i]
		}
	}
	return dst
}
