//go:build !unix

package experiment

// lockDir does nothing where flock is not available.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
