package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium is where the browser tests look for Chromium (apt's package;
// .ci/run installs it). SMBSIM_CHROMIUM overrides it.
const chromium = "/usr/bin/chromium"

// browser is a headless Chromium tab on a workshop server, with the page's
// console errors and uncaught exceptions collected.
type browser struct {
	t   *testing.T
	ctx context.Context
	ws  *Server
	url string // server root

	mu     sync.Mutex
	errors []string
}

// newBrowser starts a workshop server for ws on 127.0.0.1 and a headless
// Chromium with a fresh profile; the test is skipped, saying why, where
// Chromium is absent.
func newBrowser(t *testing.T, ws *Server, width, height int64) *browser {
	t.Helper()
	path := os.Getenv("SMBSIM_CHROMIUM")
	if path == "" {
		path = chromium
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("browser test skipped: no Chromium at %s (apt-get install chromium, or set SMBSIM_CHROMIUM)", path)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: ws}
	ctx, cancel := context.WithCancel(context.Background())
	go ws.Run(ctx)
	go srv.Serve(ln)
	t.Cleanup(func() {
		cancel()
		srv.Close()
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	tctx, tcancel := context.WithTimeout(bctx, 60*time.Second)
	t.Cleanup(func() { tcancel(); bcancel(); acancel() })
	b := &browser{t: t, ctx: tctx, ws: ws, url: "http://" + ln.Addr().String()}
	err = chromedp.Listen(tctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				b.errors = append(b.errors, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	return b
}

// do runs actions, failing the test on error.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.mu.Lock()
		errs := strings.Join(b.errors, "\n")
		b.mu.Unlock()
		b.t.Fatalf("browser: %v\npage errors:\n%s", err, errs)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds (at most 15 s).
func (b *browser) waitFor(cond string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		b.mu.Lock()
		errs := strings.Join(b.errors, "\n")
		b.mu.Unlock()
		b.t.Fatalf("waiting for %s: %v\npage errors:\n%s", cond, err, errs)
	}
}

// noErrors fails the test if the page logged an error or threw.
func (b *browser) noErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("page: %s", e)
	}
}

// screenshot saves a screenshot as name.png in $SMBSIM_SCREENSHOTS, when
// set (to look at the page).
func (b *browser) screenshot(name string) {
	dir := os.Getenv("SMBSIM_SCREENSHOTS")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// facilitatorURL is the page's address with the key.
func (b *browser) facilitatorURL() string { return fmt.Sprintf("%s/?key=%s", b.url, b.ws.Key()) }
