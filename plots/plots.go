// Package plots draws smbsim's charts from a results directory (the CSV and
// JSON files the experiment commands write), never from engine internals.
package plots

// Options controls rendering.
type Options struct {
	Formats []string // any of "png", "svg", "pdf"; empty means all three
	DPI     int      // PNG resolution; 0 means the projector-friendly default
}

// RenderDir reads the results in dir and writes every chart that the data
// supports into dir/charts. It returns the paths written.
func RenderDir(dir string, opts Options) ([]string, error) {
	return nil, nil // stub: replaced by the charts implementation
}
