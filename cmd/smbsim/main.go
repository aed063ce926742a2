// Command smbsim runs agent-based simulations of systemic homogeneity in
// markets of small and medium businesses. See README.md.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C the run stops cleanly; a second one kills.
		<-ctx.Done()
		stop()
	}()
	ignoreBrokenPipe()
	s := defaultSeams()
	s.isolateBench = true
	code := runWith(ctx, s, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the run failed
	exitUsage   = 2 // bad usage or an invalid scenario
)

// exitError carries the exit code a command's error maps to.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as bad usage or invalid input (exit code 2).
func usageError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: exitUsage, err: err}
}

// compile-time use of io in this file keeps run's signature documented here:
// run(ctx, args, stdout, stderr) is the whole program; tests call it directly.
var _ func(context.Context, []string, io.Writer, io.Writer) int = run

// ignoreBrokenPipe makes a write to a closed standard output (smbsim run
// … | head) fail with an error instead of killing the process: the
// program then finishes what it writes to disk — results, charts, report
// — and exits as it would have.
func ignoreBrokenPipe() { signal.Ignore(syscall.SIGPIPE) }
