package scenarios

import (
	"strings"
	"testing"
)

func TestParseBounds(t *testing.T) {
	b, err := ParseBounds("biases.herding=0.1:0.9")
	if err != nil || b.Key != "biases.herding" || b.Low != 0.1 || b.High != 0.9 || b.Integer {
		t.Fatalf("got %+v, %v", b, err)
	}
	if got := b.Value(0.5); got != "0.5" {
		t.Errorf("Value(0.5) = %q, want 0.5", got)
	}
	n, err := ParseBounds("network.degree=2:10")
	if err != nil || !n.Integer {
		t.Fatalf("network.degree: %+v, %v", n, err)
	}
	if got := n.Value(0.3); got != "4" {
		t.Errorf("integer Value(0.3) = %q, want 4 (2 + 2.4 rounded)", got)
	}
	for _, c := range []struct{ spec, want string }{
		{"biases.herding=0:1:0.1", "low:high"},
		{"biases.herding=1:0", "low < high"},
		{"biases.herding=a:1", "not a number"},
		{"network.kind=0:1", "not a number"},
		{"network.degree=1.5:4", "integers"},
		{"no.such=0:1", "unknown key"},
		{"biases.herding", "key=low:high"},
	} {
		if _, err := ParseBounds(c.spec); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseBounds(%q) = %v, want an error with %q", c.spec, err, c.want)
		}
	}
}
