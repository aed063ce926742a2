package agents

import (
	"math/bits"
	"math/rand/v2"
)

// Move says what kind of change a firm made.
type Move uint8

// Moves. Herd moves come from the herding bias, not from a behaviour type.
const (
	NoMove Move = iota
	Imitate
	Incremental
	Radical
	Specialise
	Herd
)

// Mutate returns s with n distinct practices, chosen uniformly, each set to
// a uniformly chosen different option (blind variation: innovation).
func (l Layout) Mutate(s uint64, n int, rng *rand.Rand) uint64 {
	var done uint64
	for k := 0; k < n && k < l.D; k++ {
		d := rng.IntN(l.D)
		for done>>d&1 != 0 {
			d = rng.IntN(l.D)
		}
		done |= 1 << d
		s = l.Set(s, d, l.OtherOption(s, d, rng))
	}
	return s
}

// OtherOption returns an option of practice d drawn uniformly among those
// that differ from s's (one draw from rng).
func (l Layout) OtherOption(s uint64, d int, rng *rand.Rand) int {
	o := rng.IntN(l.Q - 1)
	if o >= l.Get(s, d) {
		o++
	}
	return o
}

// CopyFrom returns s with up to n practices on which s and model differ,
// chosen uniformly, set to model's options (imitation).
func (l Layout) CopyFrom(s, model uint64, n int, rng *rand.Rand) uint64 {
	diff := l.Diff(s, model)
	for k := 0; k < n && diff != 0; k++ {
		bit := nthBit(diff, rng.IntN(bits.OnesCount64(diff)))
		diff &^= bit
		d := bits.TrailingZeros64(bit) / l.B
		s = l.Set(s, d, l.Get(model, d))
	}
	return s
}

func nthBit(x uint64, n int) uint64 {
	for ; n > 0; n-- {
		x &= x - 1
	}
	return x & -x
}

// Axelrod is one interaction of Axelrod's (1997) culture model: with
// probability equal to the share of practices s shares with other, s takes
// over one of the practices on which they differ, chosen uniformly. It
// returns s unchanged when they share all or no practices.
func (l Layout) Axelrod(s, other uint64, rng *rand.Rand) uint64 {
	diff := l.Diff(s, other)
	nd := bits.OnesCount64(diff)
	if nd == 0 || nd == l.D {
		return s
	}
	if rng.IntN(l.D) >= l.D-nd { // P(interact) = overlap/D
		return s
	}
	// CopyFrom(s, other, 1, rng), reusing diff: the same draw.
	d := bits.TrailingZeros64(nthBit(diff, rng.IntN(nd))) / l.B
	return l.Set(s, d, l.Get(other, d))
}

// Herding returns the practice and option most common among the observed
// neighbours' strategies that s does not already use, if the share of
// neighbours using it exceeds threshold (ties: lowest dimension, then
// lowest option). counts is scratch space of at least D·Q entries.
func (l Layout) Herding(s uint64, observed []uint64, threshold float64, counts []int32) (d, o int, ok bool) {
	if len(observed) == 0 {
		return 0, 0, false
	}
	counts = counts[:l.D*l.Q]
	clear(counts)
	for _, t := range observed {
		for dd := 0; dd < l.D; dd++ {
			counts[dd*l.Q+l.Get(t, dd)]++
		}
	}
	best := int32(0)
	for dd := 0; dd < l.D; dd++ {
		own := l.Get(s, dd)
		for oo := 0; oo < l.Q; oo++ {
			if oo != own && counts[dd*l.Q+oo] > best {
				best, d, o = counts[dd*l.Q+oo], dd, oo
			}
		}
	}
	if best == 0 || float64(best) <= threshold*float64(len(observed)) {
		return 0, 0, false
	}
	return d, o, true
}

// AnchorAccepts reports whether a firm anchored on anchor accepts moving
// from cur to next: a move that takes it Δ > 0 practices further from its
// anchor is accepted with probability (1 − strength)^Δ; other moves always.
func (l Layout) AnchorAccepts(cur, next, anchor uint64, strength float64, rng *rand.Rand) bool {
	if strength <= 0 {
		return true
	}
	delta := l.Distance(next, anchor) - l.Distance(cur, anchor)
	p := 1.0
	for ; delta > 0; delta-- {
		p *= 1 - strength
	}
	return p >= 1 || rng.Float64() < p
}

// Candidate is a firm another firm can see and might imitate.
type Candidate struct {
	Strategy uint64
	Profit   float64 // recent average profit
	Revenue  float64 // visibility
}

// RoleModel picks whom to imitate among candidates (non-empty).
//   - With probability availability, the firm judges by visibility: it picks
//     the candidate with the highest revenue, the media broadcast (passed as
//     media, with its own visibility) included, whatever its profit.
//   - Otherwise it picks the candidate with the highest profit, and only if
//     that profit beats its own (ownProfit).
//   - Under confirmation (with probability confirmation) it only considers
//     candidates sharing at least half of its practices.
//
// It returns the chosen strategy and whether there is one.
func (l Layout) RoleModel(self uint64, ownProfit float64, cands []Candidate, media *Candidate, availability, confirmation float64, rng *rand.Rand) (uint64, bool) {
	similarOnly := confirmation > 0 && rng.Float64() < confirmation
	byVisibility := availability > 0 && rng.Float64() < availability
	best := -1
	for i := range cands {
		c := &cands[i]
		if similarOnly && 2*l.Distance(self, c.Strategy) > l.D {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		if byVisibility {
			if c.Revenue > cands[best].Revenue {
				best = i
			}
		} else if c.Profit > cands[best].Profit {
			best = i
		}
	}
	if byVisibility {
		if media != nil && (best < 0 || media.Revenue > cands[best].Revenue) &&
			!(similarOnly && 2*l.Distance(self, media.Strategy) > l.D) {
			return media.Strategy, true
		}
		if best < 0 {
			return 0, false
		}
		return cands[best].Strategy, true
	}
	if best < 0 || cands[best].Profit <= ownProfit {
		return 0, false
	}
	return cands[best].Strategy, true
}

// RothErev holds an adaptive firm's propensities for the three behaviours
// (imitate, innovate, specialise), learned by Roth–Erev reinforcement.
type RothErev [3]float32

// NewRothErev returns equal initial propensities.
func NewRothErev() RothErev { return RothErev{1, 1, 1} }

// Choose draws a behaviour with probability proportional to its propensity:
// Imitator, Innovator or Specialist.
func (q *RothErev) Choose(rng *rand.Rand) Type {
	u := float32(rng.Float64()) * (q[0] + q[1] + q[2])
	switch {
	case u < q[0]:
		return Imitator
	case u < q[0]+q[1]:
		return Innovator
	default:
		return Specialist
	}
}

// Reinforce applies forgetting φ to every propensity and adds reward to the
// chosen behaviour's. Propensities never fall below 0.01, so no behaviour
// is ever ruled out entirely.
func (q *RothErev) Reinforce(chosen Type, reward, forgetting float64) {
	for i := range q {
		v := float32(float64(q[i]) * (1 - forgetting))
		if Type(i) == chosen {
			v += float32(reward)
		}
		q[i] = max(v, 0.01)
	}
}
