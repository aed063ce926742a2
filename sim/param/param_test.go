package param

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

type color string

func (color) Values() []string { return []string{"red", "green", "blue"} }

type pair string

func (pair) Values() []string { return []string{"a", "b"} }

type inner struct {
	On    bool    `toml:"on"`
	Kind  pair    `toml:"kind"`
	Share float64 `toml:"share" range:"0:1" if:"on" doc:"a share"`
	Size  int     `toml:"size" range:"2:10" if:"kind=b"`
}

type sample struct {
	Count  int     `toml:"count" range:"1:100" doc:"how many"`
	Cost   float64 `toml:"cost" range:"0:"`
	Color  color   `toml:"color"`
	Note   string  `toml:"note" allowed:"any text"`
	Flag   bool    `toml:"flag"`
	Hidden int     `toml:"-"`
	In     inner   `toml:"in" doc:"a table"`
	List   []inner `toml:"list"`
}

func TestFields(t *testing.T) {
	fs := Fields(reflect.TypeFor[sample]())
	var keys, allowed []string
	for _, f := range fs {
		keys = append(keys, f.Key)
		allowed = append(allowed, f.Allowed())
	}
	if got := strings.Join(keys, ","); got != "count,cost,color,note,flag,in,list" {
		t.Errorf("keys %s", got)
	}
	want := []string{"1 to 100", "≥ 0", "`red`, `green`, `blue`", "any text", "true, false", "", ""}
	if !reflect.DeepEqual(allowed, want) {
		t.Errorf("allowed %q, want %q", allowed, want)
	}
	if !fs[5].IsTable() || fs[5].IsList() || !fs[6].IsList() || fs[0].IsTable() {
		t.Error("table kinds wrong")
	}
}

func TestCheck(t *testing.T) {
	v := sample{Count: 0, Cost: math.Inf(1), Color: "gren",
		In:   inner{On: false, Kind: "b", Share: 2, Size: 1},
		List: []inner{{On: true, Kind: "c", Share: math.NaN(), Size: 1}}}
	var got []string
	Check(reflect.ValueOf(v), "top", func(path string, value any, msg string) {
		got = append(got, path+": "+msg)
	})
	want := []string{
		"top.count: must be an integer between 1 and 100",
		"top.cost: must be a finite number ≥ 0",
		`top.color: must be one of red, green, blue; did you mean "green"?`,
		"top.in.size: must be an integer between 2 and 10", // share unchecked: in.on is false
		`top.list[1].kind: must be "a" or "b"`,             // "c" is as close to both: no hint
		"top.list[1].share: must be between 0 and 1",       // NaN; size unchecked: kind is not b
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ok := sample{Count: 1, Color: "red", In: inner{Kind: "a"}}
	Check(reflect.ValueOf(ok), "", func(path string, _ any, msg string) { t.Errorf("%s: %s", path, msg) })
}
