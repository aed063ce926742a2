package sim

import (
	"errors"
	"fmt"
	"strings"
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
