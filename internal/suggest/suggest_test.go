package suggest

import (
	"reflect"
	"testing"
)

func TestClosest(t *testing.T) {
	cases := []struct {
		name string
		cand []string
		want []string
	}{
		{"margin", []string{"base_margin", "sectors"}, []string{"base_margin"}},
		{"platfrom", []string{"platform", "automation"}, []string{"platform"}},
		{"x", []string{"platform"}, nil},
		{"Market", []string{"market", "network"}, []string{"market"}},
	}
	for _, c := range cases {
		if got := Closest(c.name, c.cand); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Closest(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		name string
		cand []string
		want string
	}{
		{"smal_world", []string{"complete", "ring", "lattice", "small_world", "scale_free"}, `did you mean "small_world"?`},
		{"rin", []string{"ring", "random"}, `did you mean "ring"?`},
		{"tree", []string{"ring", "lattice"}, ""},
		{"ab", []string{"ac", "ad", "xy"}, `did you mean "ac" or "ad"?`},
	} {
		if got := For(c.name, c.cand); got != c.want {
			t.Errorf("For(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
