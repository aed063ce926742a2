package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/experiment"
	"github.com/smbsim/smbsim/internal/suggest"
	"github.com/smbsim/smbsim/replicate"
	"github.com/smbsim/smbsim/scenarios"
)

// seams are what the program takes from its surroundings besides its
// arguments and output: main uses defaultSeams, tests replace some through
// runWith (to interrupt a run at a known point, to make runs of two
// builds, to cap memory, to print progress at once).
type seams struct {
	factory       experiment.Factory      // builds each run's model
	build         func() string           // names this program's build in manifest.json (see executableBuild)
	memoryLimit   uint64                  // caps an experiment's estimated memory in bytes; 0: the machine's memory
	progressEvery time.Duration           // between progress lines when stderr is not a terminal
	isolateBench  bool                    // bench runs each workload in a child process (the real program only)
	replications  []replicate.Replication // what smbsim replicate and its merge know
}

// defaultSeams are the program's own.
func defaultSeams() seams {
	return seams{factory: experiment.SimFactory, build: executableBuild, progressEvery: 30 * time.Second, replications: replicate.All()}
}

// seamsOf returns the seams the program runs with.
func seamsOf(cmd *cli.Command) seams {
	if s, ok := cmd.Root().Metadata["seams"].(seams); ok {
		return s
	}
	return defaultSeams()
}

// run is the whole program: it parses args (args[0] is the program name),
// runs the command and returns the exit code. Tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, defaultSeams(), args, stdout, stderr)
}

// runWith is run with the given seams.
func runWith(ctx context.Context, s seams, args []string, stdout, stderr io.Writer) int {
	root := &cli.Command{
		Name:  "smbsim",
		Usage: "simulate systemic homogeneity in markets of small and medium businesses",
		UsageText: `smbsim run [SCENARIO]           run a scenario over many seeds
smbsim compare A B …            compare scenarios (or one file's [[variants]])
smbsim sweep SCENARIO --vary …  vary parameters over a grid
smbsim scenarios                list the built-in scenarios
smbsim serve [SCENARIO]         run a live workshop in the browser
smbsim completion bash|zsh|fish shell completion script`,
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
		Version:                         version(),
		EnableShellCompletion:           true,
		ConfigureShellCompletionCommand: configureCompletion,
		ShellComplete:                   completeCommands,
		Writer:                          stdout,
		ErrWriter:                       stderr,
		DisableSliceFlagSeparator:       true,
		ExitErrHandler:                  func(context.Context, *cli.Command, error) {}, // never os.Exit: run returns the code
		OnUsageError:                    onUsageError,
		Metadata:                        map[string]any{"args": args, "seams": s},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return unknownCommand(cmd, cmd.Args().First())
			}
			return cli.ShowRootCommandHelp(cmd)
		},
		Commands: []*cli.Command{
			runCommand(),
			compareCommand(),
			sweepCommand(),
			discoverCommand(),
			mergeCommand(),
			validateCommand(),
			scenariosCommand(),
			showCommand(),
			initCommand(),
			versionCommand(),
			plotCommand(),
			reportCommand(),
			benchCommand(),
			replicateCommand(),
			serveCommand(),
			helpCommand(),
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

// onUsageError turns flag parsing errors into usage errors (exit 2),
// said in the program's words (see flagError).
func onUsageError(ctx context.Context, cmd *cli.Command, err error, isSubcommand bool) error {
	if cmd.Root() == cmd {
		// smbsim NAME … with an unknown NAME reaches here when a flag
		// follows: the command, not the flag, is what is wrong.
		if args, _ := cmd.Metadata["args"].([]string); len(args) > 1 && !strings.HasPrefix(args[1], "-") && cmd.Command(args[1]) == nil {
			return unknownCommand(cmd, args[1])
		}
		return usageError(fmt.Errorf("%w (run 'smbsim --help' for usage)", flagError(cmd, err)))
	}
	return usageError(fmt.Errorf("%w (run '%s --help' for usage)", flagError(cmd, err), cmd.FullName()))
}

// invalidFlagValue matches cli's message for a flag value that does not
// parse: invalid value "abc" for flag -seeds: strconv.ParseInt: ….
var invalidFlagValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([^:]+): (.*)$`)

// flagError rewrites cli's flag errors, which name flags with one dash and
// quote strconv, in the program's words: `--seeds: "abc" is not a whole
// number`, `unknown flag --sed; did you mean "--seed"?`.
func flagError(cmd *cli.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		name = strings.TrimLeft(name, "-")
		var names []string
		for _, f := range cmd.VisibleFlags() {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, "--"+n)
				}
			}
		}
		out := "unknown flag --" + name
		if hint := suggest.For("--"+name, names); hint != "" {
			out += "; " + hint
		}
		return errors.New(out)
	}
	m := invalidFlagValue.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	value, flag, cause := m[1], "--"+m[2], m[3]
	if len(m[2]) == 1 {
		flag = "-" + m[2]
	}
	var what string
	switch {
	case strings.Contains(cause, "value out of range"):
		what = "is out of range"
	case strings.Contains(cause, "ParseUint"):
		what = "is not a whole number ≥ 0"
	case strings.Contains(cause, "ParseInt"):
		what = "is not a whole number"
	case strings.Contains(cause, "ParseFloat"):
		what = "is not a number"
	case strings.Contains(cause, "ParseBool"):
		what = "is not true or false"
	case strings.Contains(cause, "ParseDuration"):
		what = "is not a duration (e.g. 30s, 5m)"
	default:
		return fmt.Errorf("%s: %q: %s", flag, value, cause)
	}
	return fmt.Errorf("%s: %q %s", flag, value, what)
}

// unknownCommand is the error for smbsim NAME with no command NAME.
func unknownCommand(root *cli.Command, name string) error {
	var names []string
	for _, c := range root.VisibleCommands() {
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if hint := suggest.For(name, names); hint != "" {
		msg += "; " + hint
	}
	return usageError(errors.New(msg + ": run 'smbsim --help' for the list of commands"))
}

// configure makes every command map flag errors to exit status 2 and
// take repeated flags' values whole (--vary k=a,b is one value, not two);
// commands that take scenarios complete the built-in names.
func configure(c *cli.Command) {
	if c.OnUsageError == nil {
		c.OnUsageError = onUsageError
	}
	c.DisableSliceFlagSeparator = true
	if scenarioArgs[c.Name] && c.ShellComplete == nil {
		c.ShellComplete = completeScenarios
	}
	for _, sub := range c.Commands {
		configure(sub)
	}
}

// quietFlag is the shared --quiet of every command that reports what it did.
func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"}
}

// setDefaultText replaces the default the help shows for the string flag
// called name.
func setDefaultText(flags []cli.Flag, name, text string) {
	for _, f := range flags {
		if s, ok := f.(*cli.StringFlag); ok && s.Name == name {
			s.DefaultText = text
		}
	}
}

// scenarioArgs are the commands whose arguments are scenarios.
var scenarioArgs = map[string]bool{"run": true, "compare": true, "sweep": true, "show": true, "init": true, "validate": true}

// completeScenarios completes a flag as usual and an argument with the
// built-in scenario names (the shell adds file names).
func completeScenarios(ctx context.Context, cmd *cli.Command) {
	if args := cmd.Args().Slice(); len(args) > 0 && strings.HasPrefix(args[len(args)-1], "-") {
		cli.DefaultCompleteWithFlags(ctx, cmd)
		return
	}
	for _, b := range scenarios.Builtins() {
		fmt.Fprintf(cmd.Root().Writer, "%s:%s\n", b.Name, b.Purpose)
	}
}

// completeCommands completes smbsim's first word: a command, or a flag.
// (cli's default reads os.Args at the root, which tests cannot set.)
func completeCommands(ctx context.Context, cmd *cli.Command) {
	w := cmd.Root().Writer
	if args := cmd.Args().Slice(); len(args) > 0 && strings.HasPrefix(args[len(args)-1], "-") {
		fmt.Fprintln(w, "--help")
		fmt.Fprintln(w, "--version")
		return
	}
	for _, c := range cmd.Commands {
		if !c.Hidden {
			fmt.Fprintf(w, "%s:%s\n", c.Name, c.Usage)
		}
	}
}

// helpCommand is smbsim help [COMMAND]: cli's own help command takes no
// --help and fails with exit status 1 on an unknown command.
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the list of commands, or one command's help",
		ArgsUsage: "[COMMAND]",
		UsageText: "smbsim help [COMMAND]",
		Description: `Without a command, lists the commands; with one, shows its usage, examples
and options (the same as smbsim COMMAND --help).

Examples:
  smbsim help
  smbsim help compare`,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			root := cmd.Root()
			switch args := cmd.Args().Slice(); len(args) {
			case 0:
				return cli.ShowRootCommandHelp(root)
			case 1:
				if root.Command(args[0]) == nil {
					return unknownCommand(root, args[0])
				}
				return cli.ShowCommandHelp(ctx, root, args[0])
			default:
				return usageError(fmt.Errorf("help takes one command, got %d arguments (run 'smbsim help' for the list of commands)", len(args)))
			}
		},
	}
}

// completionShells are the shells smbsim completion writes a script for.
var completionShells = []string{"bash", "zsh", "fish", "pwsh"}

// configureCompletion shows the completion command in the help and says
// how to install each shell's script; another shell is bad usage.
func configureCompletion(c *cli.Command) {
	c.Action = func(ctx context.Context, cmd *cli.Command) error {
		if !cmd.Args().Present() {
			return cli.ShowSubcommandHelp(cmd)
		}
		return usageError(fmt.Errorf("completion: no script for the shell %q; smbsim completes %s (run 'smbsim completion --help')",
			cmd.Args().First(), strings.Join(completionShells, ", ")))
	}
	c.Hidden = false
	c.Usage = "print a shell completion script (bash, zsh or fish)"
	c.UsageText = "smbsim completion bash|zsh|fish|pwsh"
	c.Description = `Prints a script that completes smbsim's commands, flags and built-in
scenario names. Install it once:

Examples:
  source <(smbsim completion bash)     # in ~/.bashrc
  source <(smbsim completion zsh)      # in ~/.zshrc
  smbsim completion fish > ~/.config/fish/completions/smbsim.fish`
}

// buildVersion describes the build: the module version, and the VCS
// revision with whether the tree had uncommitted changes.
type buildVersion struct {
	Module   string // module version, e.g. v1.2.0 or a pseudo-version; "devel" when unknown
	Revision string // VCS commit, empty when the build has no VCS information
	Time     string // commit time (RFC 3339), empty when unknown
	Modified bool   // the tree had uncommitted changes
	Go       string // Go version
}

// readBuildVersion reads the build information of this binary.
func readBuildVersion() buildVersion {
	bi, _ := debug.ReadBuildInfo()
	return buildVersionFrom(bi)
}

func buildVersionFrom(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Module: "devel"}
	if bi == nil {
		return v
	}
	v.Go = bi.GoVersion
	if m := bi.Main.Version; m != "" && m != "(devel)" {
		v.Module = m
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the one-line version recorded in manifest.json, e.g.
// "v0.0.0-20261129021700-f0bd3fa1b2c3+dirty (revision f0bd3fa1b2c3…, modified)".
func (v buildVersion) String() string {
	if v.Revision == "" {
		return v.Module
	}
	s := v.Module + " (revision " + v.Revision
	if v.Modified {
		s += ", modified"
	}
	return s + ")"
}

// version is the build's one-line version (see [buildVersion.String]).
func version() string { return readBuildVersion().String() }

// executableBuild identifies this program's build: "sha256:" and the
// first 16 bytes, in hex, of the SHA-256 of its executable. It names go
// run and go test builds and builds without VCS information too, and tells
// apart builds of one revision with different uncommitted changes. When the executable cannot be read it is the
// version with "unhashed".
func executableBuild() string {
	path, err := os.Executable()
	if err == nil {
		var f *os.File
		if f, err = os.Open(path); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err = io.Copy(h, f); err == nil {
				return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
			}
		}
	}
	return "unhashed " + version()
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:      "version",
		Usage:     "print the smbsim version: module version, VCS revision, Go version",
		UsageText: "smbsim version",
		Description: `Prints the version recorded in every manifest.json: the module version and,
when built from a git checkout, the commit and whether the tree had
uncommitted changes ("modified"), so results can be traced to their code.

Example:
  smbsim version`,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Present() {
				return usageError(errors.New("version takes no arguments"))
			}
			v := readBuildVersion()
			w := cmd.Root().Writer
			fmt.Fprintf(w, "smbsim %s\n", v.Module)
			if v.Revision != "" {
				mod := ""
				if v.Modified {
					mod = " (modified: uncommitted changes)"
				}
				fmt.Fprintf(w, "revision %s%s\n", v.Revision, mod)
				if v.Time != "" {
					fmt.Fprintf(w, "committed %s\n", v.Time)
				}
			} else {
				fmt.Fprintln(w, "revision unknown (built without VCS information)")
			}
			if v.Go != "" {
				fmt.Fprintf(w, "built with %s\n", v.Go)
			}
			return nil
		},
	}
}
