package sim

import "github.com/smbsim/smbsim/agents"

// trial is a pilot trial in progress: a firm's change that is reverted at
// the end of the window if it did not pay.
type trial struct {
	prev    uint64  // strategy before the change
	base    float64 // profit average before the change
	sum     float64 // profit summed over the window so far
	prevCls int32   // class of prev when the trial began (a hint); in a free entry, the next free entry
	left    int16   // ticks left
	typ     agents.Type
}

// trials holds the trials in progress. Only firms in a trial have an
// entry, so a firm carries a 4-byte reference instead of the whole state.
type trials struct {
	e    []trial // entry k−1 for reference k
	free int32   // reference of the first free entry, 0: none
}

// start opens an entry and returns its reference (≥ 1).
func (t *trials) start(tr trial) int32 {
	k := t.free
	if k != 0 {
		t.free = t.e[k-1].prevCls
		t.e[k-1] = tr
		return k
	}
	t.e = append(t.e, tr)
	return int32(len(t.e))
}

// end frees the entry with reference k.
func (t *trials) end(k int32) {
	t.e[k-1] = trial{prevCls: t.free}
	t.free = k
}
