package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/smbsim/smbsim/serve"
)

// defaultListen is where smbsim serve listens without --listen: this
// machine only.
const defaultListen = "127.0.0.1:8077"

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "run a live workshop in the browser: the market tick by tick, shocks fired live, two markets side by side",
		ArgsUsage: "[SCENARIO]",
		UsageText: "smbsim serve [SCENARIO] [--listen HOST:PORT] [--open] [--set key=value …]",
		Description: `Starts a local web server for a workshop and prints the facilitator's
address (with its key: keep it to yourself). The page runs the scenario
live (run, pause, step, reset, speed), fires any shock kind at the next
tick, compares the market with its no-shock counterfactual or with other
settings on the same seed, rewinds to snapshots and branches, and saves the
workshop as a scenario that 'smbsim run' replays to the same data.
The HTTP API the page uses is documented in docs/serve.md.

It listens on this machine only unless --listen says otherwise (for
participants on the room's network, e.g. --listen 0.0.0.0:8077).

Examples:
  smbsim serve
  smbsim serve imitation-heavy --open
  smbsim serve my.toml --set population.firms=500 --listen 0.0.0.0:8077`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: defaultListen, Usage: "address to listen on (HOST:PORT; port 0 picks a free one)"},
			&cli.BoolFlag{Name: "open", Usage: "open the page in the default browser"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a scenario key, e.g. --set population.firms=500 (repeatable)"},
			&cli.Uint64Flag{Name: "seed", Usage: "the workshop's seed; overrides simulation.base_seed", DefaultText: "the scenario's"},
			&cli.IntFlag{Name: "ticks", Usage: "ticks of the run; overrides simulation.ticks", DefaultText: "the scenario's"},
			&cli.StringFlag{Name: "presets", Value: "presets", Usage: "directory of the named presets (scenario files)", TakesFile: true},
			&cli.StringFlag{Name: "out", Value: "out/workshop", Usage: "directory of the \"run 30 seeds\" results and reports", TakesFile: true},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			args := cmd.Args().Slice()
			if len(args) > 1 {
				return usageError(fmt.Errorf("serve takes one scenario, got %d (%v)", len(args), args))
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			s, err := openScenario(ctx, arg, overrides(cmd))
			if err != nil {
				return err
			}
			ws, err := serve.New(serve.Options{Scenario: s, Presets: cmd.String("presets"), RunsDir: cmd.String("out"), RunSeeds: runSeeds})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cmd.String("listen"))
			if err != nil {
				return usageError(fmt.Errorf("--listen %s: %w", cmd.String("listen"), err))
			}
			url := fmt.Sprintf("http://%s/?key=%s", ln.Addr(), ws.Key())
			w := cmd.Root().Writer
			fmt.Fprintf(w, "smbsim workshop: %s (seed %d)\n", s.Name, s.Runs.BaseSeed)
			fmt.Fprintf(w, "facilitator: %s\n", url)
			fmt.Fprintf(w, "workshop code: %s\n", ws.Code())
			fmt.Fprintln(w, "Ctrl-C stops.")
			if cmd.Bool("open") {
				if err := openBrowser(url); err != nil {
					fmt.Fprintln(cmd.Root().ErrWriter, "could not open a browser:", err)
				}
			}
			return serveUntil(ctx, ws, ln)
		},
	}
}

// runSeeds runs a workshop's scenario file with 'smbsim run' into out and
// writes its report with 'smbsim report': "run 30 seeds" on the page.
func runSeeds(ctx context.Context, file, out string) (string, error) {
	var stdout, stderr bytes.Buffer
	if code := run(ctx, []string{"smbsim", "run", file, "--out", out, "--quiet", "--replace"}, &stdout, &stderr); code != exitOK {
		return "", fmt.Errorf("smbsim run %s: %s", file, strings.TrimSpace(stderr.String()))
	}
	if code := run(ctx, []string{"smbsim", "report", out, "--quiet"}, &stdout, &stderr); code != exitOK {
		return "", fmt.Errorf("smbsim report %s: %s", out, strings.TrimSpace(stderr.String()))
	}
	return filepath.Join(out, "report.html"), nil
}

// serveUntil serves the workshop on ln until ctx is done.
func serveUntil(ctx context.Context, ws *serve.Server, ln net.Listener) error {
	srv := &http.Server{Handler: ws, ReadHeaderTimeout: 10 * time.Second}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go ws.Run(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cancel()
	sctx, stop := context.WithTimeout(context.Background(), 2*time.Second)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// openBrowser opens url in the system's browser.
func openBrowser(url string) error {
	var c *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		c = exec.Command("open", url)
	case "windows":
		c = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		c = exec.Command("xdg-open", url)
	}
	return c.Start()
}
