package sim

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"
)

// Clone returns a deep copy of the world: every firm, count, table,
// trial, the market, the shocks' state and every random stream, so that
// stepping the copy draws exactly what stepping the original would draw.
// The copy shares no mutable memory with the original (strings, which Go
// never mutates, are shared).
//
// The copy is made by walking the World's fields by reflection, so a field
// added to World (or to anything it holds) is copied without a change
// here: there is no list of fields to forget. Pointer sharing inside the
// world is kept: two fields holding the same pointer (rDecide's source and
// dDecide's generator), or two slices starting at the same element, hold
// the same copy in the clone. A func or chan field, which cannot be copied
// faithfully, panics (a programmer mistake, caught by TestCloneIsDeep).
func (w *World) Clone() *World {
	c := &cloner{ptrs: map[cloneKey]reflect.Value{}}
	dst := new(World)
	c.value(reflect.ValueOf(dst).Elem(), reflect.ValueOf(w).Elem())
	return dst
}

// Fork returns a clone of the world in which shock k (0-based, in
// Config.Shocks order) never starts, while the other shocks act as
// scheduled: the counterfactual of shock k. Forked before shock k's start
// tick, the fork and the original draw the same random numbers (every
// stream is copied, and each shock draws from its own stream), so they
// differ only by what shock k does. A shock already active keeps acting
// in the fork.
func (w *World) Fork(k int) *World {
	f := w.Clone()
	if k >= 0 && k < len(f.shocks.off) {
		f.shocks.off[k] = true
	}
	return f
}

type cloneKey struct {
	p uintptr
	t reflect.Type
}

type cloner struct {
	ptrs map[cloneKey]reflect.Value // original pointer or slice start → its copy
}

// pointerFree caches whether values of a type hold no pointer, slice, map,
// interface, func or chan (strings count as pointer-free: immutable), so
// that they copy with one assignment or one memmove.
var pointerFree sync.Map // reflect.Type → bool

func isPointerFree(t reflect.Type) bool {
	if v, ok := pointerFree.Load(t); ok {
		return v.(bool)
	}
	free := true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		free = false
	case reflect.Array:
		free = isPointerFree(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if !isPointerFree(t.Field(i).Type) {
				free = false
				break
			}
		}
	}
	pointerFree.Store(t, free)
	return free
}

// open returns v with the read-only flag of unexported fields removed, so
// that it can be read into and assigned from. v must be addressable.
func open(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// value deep-copies src into dst (settable, same type).
func (c *cloner) value(dst, src reflect.Value) {
	t := src.Type()
	if isPointerFree(t) {
		dst.Set(src)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		c.pointer(dst, src)
	case reflect.Slice:
		c.slice(dst, src)
	case reflect.Array:
		for i := 0; i < src.Len(); i++ {
			c.value(dst.Index(i), open(src.Index(i)))
		}
	case reflect.Struct:
		for i := 0; i < src.NumField(); i++ {
			c.value(open(dst.Field(i)), open(src.Field(i)))
		}
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		// src.Elem() is not addressable: copy it to a fresh value first.
		cp := reflect.New(src.Elem().Type()).Elem()
		c.value(cp, settable(src.Elem()))
		dst.Set(cp)
	case reflect.Map:
		c.mapValue(dst, src)
	default: // func, chan, unsafe pointer
		if !src.IsNil() {
			panic(fmt.Sprintf("sim: World.Clone cannot copy a %s", t))
		}
	}
}

// settable returns a settable copy of v, which the reflection of
// unexported fields needs.
func settable(v reflect.Value) reflect.Value {
	tmp := reflect.New(v.Type()).Elem()
	tmp.Set(v)
	return tmp
}

// pointer copies what src points to once per pointer, so that two
// pointers to one value still share it in the copy.
func (c *cloner) pointer(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	t := src.Type()
	key := cloneKey{src.Pointer(), t}
	if p, ok := c.ptrs[key]; ok {
		dst.Set(p)
		return
	}
	p := reflect.New(t.Elem())
	c.ptrs[key] = p
	c.value(p.Elem(), src.Elem())
	dst.Set(p)
}

// slice copies src's backing array up to its capacity once per array, so
// that slices sharing it still share it in the copy.
func (c *cloner) slice(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	t := src.Type()
	key := cloneKey{src.Pointer(), t}
	if s, ok := c.ptrs[key]; ok && s.Cap() >= src.Cap() {
		dst.Set(s.Slice3(0, src.Len(), src.Cap()))
		return
	}
	// Copy up to the capacity: code that reslices beyond the length
	// reads what the original would.
	full := src.Slice3(0, src.Cap(), src.Cap())
	s := reflect.MakeSlice(t, src.Cap(), src.Cap())
	if isPointerFree(t.Elem()) {
		reflect.Copy(s, full)
	} else {
		for i := 0; i < full.Len(); i++ {
			c.value(s.Index(i), open(full.Index(i)))
		}
	}
	c.ptrs[key] = s
	dst.Set(s.Slice3(0, src.Len(), src.Cap()))
}

// mapValue copies map src, keys and values deep-copied.
func (c *cloner) mapValue(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	t := src.Type()
	m := reflect.MakeMapWithSize(t, src.Len())
	it := src.MapRange()
	for it.Next() {
		k := reflect.New(t.Key()).Elem()
		c.value(k, settable(it.Key()))
		v := reflect.New(t.Elem()).Elem()
		c.value(v, settable(it.Value()))
		m.SetMapIndex(k, v)
	}
	dst.Set(m)
}
