package replicate

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"slices"
)

// A replication's runs are its units: every call of runUnits numbers its
// runs after those of the replication's earlier calls (the calls come in
// a fixed order, so a unit's number is the same in every process). A
// sharded replication (smbsim replicate --shard i/n) computes only the
// units u with u mod n = i − 1 and keeps their outputs; replaying the
// replication over every shard's units (smbsim merge) gives the unsharded
// result byte for byte, as a unit's output does not depend on which
// process computed it.

// Shard is part I of N of a replication's units (1 ≤ I ≤ N).
type Shard struct{ I, N int }

// owns reports whether unit u is the shard's.
func (s Shard) owns(u int) bool { return u%s.N == s.I-1 }

// Units holds the units of sharded replications: recording (a shard
// computes its units and keeps their outputs), counting (nothing is
// computed: the units are only numbered) or replaying (every unit's output
// is read back).
type Units struct {
	mode   unitMode
	shard  Shard
	name   string // the replication running
	next   int    // its next unit
	file   UnitFile
	stored map[string]map[int][]byte // replaying: replication → unit → output
}

type unitMode int

const (
	recording unitMode = iota
	counting
	replaying
)

// UnitFile is what a shard writes (replicate-units.gob in its directory).
type UnitFile struct {
	Version int
	Size    Size
	Shard   Shard
	Names   []string // the replications, in order
	Totals  []int    // units of each (known once it has run)
	Units   []StoredUnit
}

// StoredUnit is one unit's output, gob-encoded.
type StoredUnit struct {
	Name string
	Unit int
	Data []byte
}

// unitFileVersion changes when a replication's units change.
const unitFileVersion = 1

// NewShard returns the Units of shard s of replications run at size.
func NewShard(s Shard, size Size) *Units {
	return &Units{mode: recording, shard: s, file: UnitFile{Version: unitFileVersion, Size: size, Shard: s}}
}

// NewCount returns Units that only count the units of replications run
// at size (see Count).
func NewCount(size Size) *Units {
	return &Units{mode: counting, shard: Shard{1, 1}, file: UnitFile{Version: unitFileVersion, Size: size}}
}

// Begin starts replication name: its units are numbered from 0.
func (u *Units) Begin(name string) {
	if u.name != "" {
		u.file.Totals = append(u.file.Totals, u.next)
	}
	u.name, u.next = name, 0
	if u.mode != replaying {
		u.file.Names = append(u.file.Names, name)
	}
}

// end closes the replication running.
func (u *Units) end() {
	if u.name != "" && len(u.file.Totals) < len(u.file.Names) {
		u.file.Totals = append(u.file.Totals, u.next)
	}
}

// Count returns the units of each replication begun so far.
func (u *Units) Count() (names []string, totals []int) {
	u.end()
	return slices.Clone(u.file.Names), slices.Clone(u.file.Totals)
}

// Write writes the shard's units to w.
func (u *Units) Write(w io.Writer) error {
	u.end()
	slices.SortStableFunc(u.file.Units, func(a, b StoredUnit) int {
		if c := slices.Index(u.file.Names, a.Name) - slices.Index(u.file.Names, b.Name); c != 0 {
			return c
		}
		return a.Unit - b.Unit
	})
	return gob.NewEncoder(w).Encode(&u.file)
}

// ReadUnitFile reads a shard's units.
func ReadUnitFile(r io.Reader) (*UnitFile, error) {
	var f UnitFile
	if err := gob.NewDecoder(r).Decode(&f); err != nil {
		return nil, err
	}
	if f.Version != unitFileVersion {
		return nil, fmt.Errorf("units of version %d, this smbsim reads version %d: rerun the shards with this smbsim", f.Version, unitFileVersion)
	}
	return &f, nil
}

// Replay returns the Units that replay the shards' files: every unit of
// every replication must be in one of them (in several, the same).
func Replay(files []*UnitFile) (*Units, error) {
	if len(files) == 0 {
		return nil, errors.New("no shards")
	}
	f0 := files[0]
	u := &Units{mode: replaying, stored: map[string]map[int][]byte{}, file: UnitFile{Version: f0.Version, Size: f0.Size, Names: f0.Names, Totals: f0.Totals}}
	seen := map[int]bool{}
	for _, f := range files {
		if f.Size != f0.Size || !slices.Equal(f.Names, f0.Names) || !slices.Equal(f.Totals, f0.Totals) || f.Shard.N != f0.Shard.N {
			return nil, fmt.Errorf("shards of different replications (shard %d/%d: %v at size %d; shard %d/%d: %v at size %d)",
				f0.Shard.I, f0.Shard.N, f0.Names, f0.Size, f.Shard.I, f.Shard.N, f.Names, f.Size)
		}
		seen[f.Shard.I] = true
		for _, s := range f.Units {
			m := u.stored[s.Name]
			if m == nil {
				m = map[int][]byte{}
				u.stored[s.Name] = m
			}
			if old, ok := m[s.Unit]; ok && !bytes.Equal(old, s.Data) {
				return nil, fmt.Errorf("%s: unit %d differs between two shards", s.Name, s.Unit)
			}
			m[s.Unit] = s.Data
		}
	}
	for i := 1; i <= f0.Shard.N; i++ {
		if !seen[i] {
			return nil, fmt.Errorf("shard %d of %d is missing", i, f0.Shard.N)
		}
	}
	for k, name := range f0.Names {
		if len(u.stored[name]) != f0.Totals[k] {
			return nil, fmt.Errorf("%s: %d of %d units in the shards", name, len(u.stored[name]), f0.Totals[k])
		}
	}
	return u, nil
}

// Names returns the replications of the units, in order, and their size.
func (u *Units) Names() ([]string, Size) { return slices.Clone(u.file.Names), u.file.Size }

// partial reports whether o runs only some units (a shard, or a count):
// the rest are placeholders, so the replication's result is not drawn.
func (o Options) partial() bool { return o.Units != nil && o.Units.mode != replaying }

// runUnits returns f(0), …, f(n−1), run in parallel on o's workers: the
// replication's next n units. With o.Units recording, only the shard's
// units run (the others are placeholder) and their outputs are kept;
// counting, none runs; replaying, every output is read back.
func runUnits[T any](ctx context.Context, o Options, n int, placeholder T, f func(i int) (T, error)) ([]T, error) {
	out := make([]T, n)
	u := o.Units
	if u == nil {
		err := parallel(ctx, n, o.workers(), func(i int) error {
			v, err := f(i)
			out[i] = v
			return err
		})
		return out, err
	}
	first := u.next
	u.next += n
	switch u.mode {
	case replaying:
		for i := range out {
			data, ok := u.stored[u.name][first+i]
			if !ok {
				return nil, fmt.Errorf("%s: unit %d not in the shards", u.name, first+i)
			}
			if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&out[i]); err != nil {
				return nil, fmt.Errorf("%s: unit %d: %w", u.name, first+i, err)
			}
		}
		return out, nil
	case counting:
		for i := range out {
			out[i] = placeholder
		}
		return out, nil
	}
	var mine []int
	for i := range out {
		if u.shard.owns(first + i) {
			mine = append(mine, i)
		} else {
			out[i] = placeholder
		}
	}
	err := parallel(ctx, len(mine), o.workers(), func(k int) error {
		v, err := f(mine[k])
		out[mine[k]] = v
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, i := range mine {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(out[i]); err != nil {
			return nil, fmt.Errorf("%s: unit %d: %w", u.name, first+i, err)
		}
		u.file.Units = append(u.file.Units, StoredUnit{Name: u.name, Unit: first + i, Data: buf.Bytes()})
	}
	return out, nil
}
