package sim

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"unsafe"
)

// stateDiff returns the path of the first difference between two values
// of the same type, walking every field (exported or not), slice element
// (up to the length), map entry and pointer target; "" if they are equal.
// Floats compare by bits, so a NaN equals itself (reflect.DeepEqual would
// call two worlds with a NaN metric different).
func stateDiff(a, b reflect.Value, path string, seen map[[2]uintptr]bool) string {
	if a.Type() != b.Type() {
		return path + ": types differ"
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return fmt.Sprintf("%s: %v ≠ %v", path, a.Float(), b.Float())
		}
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			return path + ": nil ≠ non-nil"
		}
		if a.IsNil() {
			return ""
		}
		k := [2]uintptr{a.Pointer(), b.Pointer()}
		if seen[k] {
			return ""
		}
		seen[k] = true
		return stateDiff(a.Elem(), b.Elem(), path, seen)
	case reflect.Interface:
		if a.IsNil() != b.IsNil() {
			return path + ": nil ≠ non-nil"
		}
		if a.IsNil() {
			return ""
		}
		return stateDiff(a.Elem(), b.Elem(), path, seen)
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() {
			return path + ": nil ≠ non-nil"
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d ≠ %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := stateDiff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), seen); d != "" {
				return d
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := stateDiff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, seen); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + ": map sizes differ"
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return fmt.Sprintf("%s[%v]: missing", path, k)
			}
			if d := stateDiff(a.MapIndex(k), bv, fmt.Sprintf("%s[%v]", path, k), seen); d != "" {
				return d
			}
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		if a.Pointer() != b.Pointer() {
			return path + ": differs"
		}
	case reflect.String:
		if a.String() != b.String() {
			return path + ": differs"
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return path + ": differs"
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return fmt.Sprintf("%s: %d ≠ %d", path, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			return fmt.Sprintf("%s: %d ≠ %d", path, a.Uint(), b.Uint())
		}
	default:
		return path + ": unhandled kind " + a.Kind().String()
	}
	return ""
}

func worldDiff(a, b *World) string {
	return stateDiff(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), "World", map[[2]uintptr]bool{})
}

// span is a block of memory a value refers to, and the path that reached it.
type span struct {
	lo, hi uintptr
	path   string
}

// mutableSpans lists the memory blocks reachable from v through pointers,
// slices (their whole capacity) and maps: everything a step could write.
// Strings are left out: Go never mutates them.
func mutableSpans(v reflect.Value, path string, out *[]span, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		*out = append(*out, span{v.Pointer(), v.Pointer() + v.Type().Elem().Size(), path})
		mutableSpans(v.Elem(), path, out, seen)
	case reflect.Interface:
		if !v.IsNil() {
			mutableSpans(v.Elem(), path, out, seen)
		}
	case reflect.Slice:
		if v.IsNil() || v.Cap() == 0 {
			return
		}
		p := v.Pointer()
		*out = append(*out, span{p, p + uintptr(v.Cap())*v.Type().Elem().Size(), path})
		if seen[p] {
			return
		}
		seen[p] = true
		full := v.Slice3(0, v.Cap(), v.Cap())
		for i := 0; i < full.Len(); i++ {
			mutableSpans(full.Index(i), fmt.Sprintf("%s[%d]", path, i), out, seen)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			mutableSpans(v.Index(i), fmt.Sprintf("%s[%d]", path, i), out, seen)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			mutableSpans(v.Field(i), path+"."+v.Type().Field(i).Name, out, seen)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		*out = append(*out, span{v.Pointer(), v.Pointer() + 1, path})
		it := v.MapRange()
		for it.Next() {
			mutableSpans(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), out, seen)
		}
	}
}

// sharedMemory returns the first block of memory reachable from both
// worlds (besides strings), as "path in a / path in b"; "" if none.
func sharedMemory(a, b *World) string {
	var sa, sb []span
	sa = append(sa, span{uintptr(unsafe.Pointer(a)), uintptr(unsafe.Pointer(a)) + unsafe.Sizeof(*a), "World"})
	sb = append(sb, span{uintptr(unsafe.Pointer(b)), uintptr(unsafe.Pointer(b)) + unsafe.Sizeof(*b), "World"})
	mutableSpans(reflect.ValueOf(a).Elem(), "World", &sa, map[uintptr]bool{})
	mutableSpans(reflect.ValueOf(b).Elem(), "World", &sb, map[uintptr]bool{})
	for _, x := range sa {
		for _, y := range sb {
			if x.lo < y.hi && y.lo < x.hi {
				return x.path + " / " + y.path
			}
		}
	}
	return ""
}

// forkConfig is a small market with one shock of each kind in turn, every
// bias on, and (in the variant used) shocks that overlap.
func forkConfig() Config {
	cfg := DefaultConfig()
	cfg.Population.Firms = 150
	cfg.Ticks = 80
	cfg.Biases.Herding, cfg.Biases.Confirmation, cfg.Biases.Availability, cfg.Biases.Anchoring = 0.3, 0.2, 0.3, 0.2
	cfg.Population.Mix = Mix{Imitator: 0.25, Innovator: 0.25, Specialist: 0.25, Adaptive: 0.25}
	cfg.Shocks = []Shock{
		{Kind: DemandShift, Tick: 20, Duration: 15, Severity: 0.5, Sector: -1, Segment: 0, Option: -1},
		{Kind: TechDisruption, Tick: 30, Severity: 0.5, Sector: -1, Dimension: 2, Option: -1},
		{Kind: Downturn, Tick: 40, Duration: 10, Severity: 0.3, Sector: -1, Option: -1},
		{Kind: DemandShift, Tick: 45, Severity: 0.4, Sector: 1, Segment: -1, Option: -1},
		{Kind: Regulation, Tick: 50, Severity: 0.3, Sector: -1, Dimension: 6, Option: 0},
	}
	return cfg
}

func TestCloneIsDeep(t *testing.T) {
	w, err := New(forkConfig(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for w.Tick() < 60 {
		if w.Tick()%15 == 0 {
			c := w.Clone()
			if d := worldDiff(w, c); d != "" {
				t.Fatalf("tick %d: clone differs at %s", w.Tick(), d)
			}
			if s := sharedMemory(w, c); s != "" {
				t.Fatalf("tick %d: clone shares mutable memory with the original: %s", w.Tick(), s)
			}
			// Stepping the clone leaves the original untouched and
			// draws what the original draws.
			before := w.Clone()
			for i := 0; i < 5; i++ {
				c.Step()
			}
			if d := worldDiff(w, before); d != "" {
				t.Fatalf("tick %d: stepping the clone changed the original at %s", w.Tick(), d)
			}
			for i := 0; i < 5; i++ {
				w.Step()
			}
			if d := worldDiff(w, c); d != "" {
				t.Fatalf("tick %d: clone and original diverged at %s", w.Tick(), d)
			}
			continue
		}
		w.Step()
	}
}

// TestStateChecksCatchShallowCopy shows that the two checks above fail
// when a copy forgets a field: a struct copy shares every slice, and a
// clone whose one slice is then shared again is caught too.
func TestStateChecksCatchShallowCopy(t *testing.T) {
	w, err := New(forkConfig(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		w.Step()
	}
	shallow := *w
	if s := sharedMemory(w, &shallow); s == "" {
		t.Error("a shallow copy was not reported as sharing memory")
	}
	c := w.Clone()
	c.cash = w.cash // as if Clone had forgotten the cash slice
	if s := sharedMemory(w, c); s == "" {
		t.Error("a forgotten slice was not reported")
	}
	for name, forget := range map[string]func(c *World){
		"demo":   func(c *World) { c.demo = w.demo },
		"vacant": func(c *World) { c.vacant[1] = w.vacant[1] },
		"grow":   func(c *World) { c.dGrow = w.dGrow },
	} {
		c = w.Clone()
		forget(c) // as if Clone had forgotten a piece of the demography's state
		if s := sharedMemory(w, c); s == "" {
			t.Errorf("a forgotten %s was not reported", name)
		}
	}
	c = w.Clone()
	c.demo[0].size *= 2 // a firm's size a clone failed to copy
	if d := worldDiff(w, c); d == "" {
		t.Error("a differing firm size was not reported")
	}
	c = w.Clone()
	c.market.seg[0].ideal ^= 1 // a state variable a clone failed to copy
	if d := worldDiff(w, c); d == "" {
		t.Error("a differing segment ideal was not reported")
	}
}

// TestForkIsTheUnshockedRun checks that the fork of shock k, taken just
// before the shock, is in every state variable the run in which shock k
// never starts, up to the shock and through the window after it, while the
// shocked run departs from it.
func TestForkIsTheUnshockedRun(t *testing.T) {
	cfg := forkConfig()
	for k, sh := range cfg.Shocks {
		t.Run(fmt.Sprintf("shock%d_%s", k+1, sh.Kind), func(t *testing.T) {
			shocked, err := New(cfg, 7)
			if err != nil {
				t.Fatal(err)
			}
			twin, _ := New(cfg, 7)
			twin.shocks.off[k] = true // the run without shock k
			for shocked.Tick() < sh.Tick-1 {
				shocked.Step()
				twin.Step()
				twinOn := twin.Clone()
				twinOn.shocks.off[k] = false
				if d := worldDiff(shocked, twinOn); d != "" {
					t.Fatalf("tick %d, before the shock: runs differ at %s", shocked.Tick(), d)
				}
			}
			fork := shocked.Fork(k)
			if s := sharedMemory(shocked, fork); s != "" {
				t.Fatalf("fork shares memory: %s", s)
			}
			for i := 0; i < 20 && !twin.Done(); i++ {
				if d := worldDiff(fork, twin); d != "" {
					t.Fatalf("tick %d: fork differs from the unshocked run at %s", fork.Tick(), d)
				}
				fork.Step()
				twin.Step()
				shocked.Step()
			}
			if d := worldDiff(fork, twin); d != "" {
				t.Fatalf("tick %d: fork differs from the unshocked run at %s", fork.Tick(), d)
			}
			if worldDiff(fork, shocked) == "" {
				t.Errorf("the shock changed nothing in 20 ticks")
			}
		})
	}
}
