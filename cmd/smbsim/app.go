package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v3"
)

// run is the whole program: it parses args (args[0] is the program name),
// runs the command and returns the exit code. Tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cli.Command{
		Name:      "smbsim",
		Usage:     "simulate systemic homogeneity in markets of small and medium businesses",
		Writer:    stdout,
		ErrWriter: stderr,
		Commands: []*cli.Command{
			plotCommand(),
			reportCommand(),
			benchCommand(),
		},
	}
	err := root.Run(ctx, args)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "smbsim:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitFailure
}
