package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/scenarios"
)

// run is the whole program: it parses args (args[0] is the program name),
// runs the command and returns the exit code. Tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cli.Command{
		Name:  "smbsim",
		Usage: "simulate systemic homogeneity in markets of small and medium businesses",
		UsageText: `smbsim run [SCENARIO]           run a scenario over many seeds
smbsim compare A B …            compare scenarios (or one file's [[variants]])
smbsim sweep SCENARIO --vary …  vary parameters over a grid
smbsim scenarios                list the built-in scenarios`,
		Description: `A scenario is a TOML file or the name of a built-in scenario; every key has
a default, so a file states only what differs (smbsim init writes a
commented starter). Results go to --out (default out/<scenario-name>).

Examples:
  smbsim run                                   # the default (baseline) scenario
  smbsim run imitation-heavy --seeds 20        # a built-in, 20 seeds
  smbsim init baseline --out my.toml           # start your own scenario
  smbsim run my.toml --set population.firms=200 --out out/small
  smbsim compare compare-mixes --seeds 50      # three strategy mixes, 50 seeds each
  smbsim sweep baseline --vary biases.herding=0:1:0.25 --vary network.kind=ring,small_world

Exit status: 0 success, 1 the run failed or was interrupted, 2 bad usage or
an invalid scenario.`,
		Version:                   version(),
		Writer:                    stdout,
		ErrWriter:                 stderr,
		DisableSliceFlagSeparator: true,
		ExitErrHandler:            func(context.Context, *cli.Command, error) {}, // never os.Exit: run returns the code
		OnUsageError:              onUsageError,
		Metadata:                  map[string]any{"args": args},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return usageError(fmt.Errorf("unknown command %q: run 'smbsim --help' for the list of commands", cmd.Args().First()))
			}
			return cli.ShowRootCommandHelp(cmd)
		},
		Commands: []*cli.Command{
			runCommand(),
			compareCommand(),
			sweepCommand(),
			mergeCommand(),
			validateCommand(),
			scenariosCommand(),
			showCommand(),
			initCommand(),
			versionCommand(),
			plotCommand(),
			reportCommand(),
			benchCommand(),
		},
	}
	for _, c := range root.Commands {
		configure(c)
	}
	err := root.Run(ctx, args)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "smbsim:", err)
	return exitCode(err)
}

// exitCode maps an error to the program's exit status.
func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var se *scenarios.Error
	if errors.As(err, &se) {
		return exitUsage
	}
	return exitFailure
}

// onUsageError turns flag parsing errors into usage errors (exit 2).
func onUsageError(ctx context.Context, cmd *cli.Command, err error, isSubcommand bool) error {
	return usageError(fmt.Errorf("%w (run 'smbsim %s --help' for usage)", err, strings.TrimPrefix(cmd.FullName(), "smbsim ")))
}

// configure makes every command map flag errors to exit status 2 and
// take repeated flags' values whole (--vary k=a,b is one value, not two).
func configure(c *cli.Command) {
	if c.OnUsageError == nil {
		c.OnUsageError = onUsageError
	}
	c.DisableSliceFlagSeparator = true
	for _, sub := range c.Commands {
		configure(sub)
	}
}

// version returns the module version from the build information, or "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print the smbsim version",
		UsageText: "smbsim version",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return usageError(errors.New("version takes no arguments"))
			}
			bi, _ := debug.ReadBuildInfo()
			gov := ""
			if bi != nil {
				gov = " (" + bi.GoVersion + ")"
			}
			fmt.Fprintf(cmd.Root().Writer, "smbsim %s%s\n", version(), gov)
			return nil
		},
	}
}
