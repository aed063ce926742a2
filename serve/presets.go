package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
	"github.com/smbsim/smbsim/scenarios"
)

// presetName is what a preset may be called: it is its file's base name.
var presetName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)

// presetPath returns the file of the named preset.
func (s *Server) presetPath(name string) (string, error) {
	if s.opt.Presets == "" {
		return "", errorf("presets are off (smbsim serve --presets DIR)")
	}
	if !presetName.MatchString(name) {
		return "", errorf("preset name %q: use 1 to 40 letters, digits, - or _, starting with a letter or digit", name)
	}
	return filepath.Join(s.opt.Presets, name+".toml"), nil
}

// presetNames lists the saved presets, sorted.
func (s *Server) presetNames() []string {
	if s.opt.Presets == "" {
		return []string{}
	}
	m, _ := filepath.Glob(filepath.Join(s.opt.Presets, "*.toml"))
	names := []string{}
	for _, f := range m {
		if n := strings.TrimSuffix(filepath.Base(f), ".toml"); presetName.MatchString(n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// handleSavePreset saves the current settings as a named scenario file,
// which `smbsim run DIR/NAME.toml` runs as well.
func (s *Server) handleSavePreset(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Name string `json:"name"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := s.presetPath(q.Name)
	if err != nil {
		return err
	}
	named, err := withSets(s.base, []string{"meta.name=" + strconv.Quote(q.Name)})
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := named.WriteTOML(&b); err != nil {
		return err
	}
	if err := os.MkdirAll(s.opt.Presets, 0o755); err != nil {
		return err
	}
	if err := results.WriteBytes(path, b.Bytes()); err != nil {
		return err
	}
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

// handleLoadPreset makes a saved preset the settings and restarts.
func (s *Server) handleLoadPreset(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Name string `json:"name"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := s.presetPath(q.Name)
	if err != nil {
		return err
	}
	sc, err := scenarios.Load(path)
	if err != nil {
		return badRequest{err}
	}
	s.base = sc
	if err := s.resetLocked(); err != nil {
		return err
	}
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

// seedRun is a "run N seeds" job: the workshop's scenario handed to the
// experiment runner.
type seedRun struct {
	ID     int    `json:"id"`
	Seeds  int    `json:"seeds"`
	Branch int    `json:"branch"`
	Status string `json:"status"` // running, done, failed
	Error  string `json:"error,omitempty"`
	Report string `json:"report,omitempty"` // link to the report when done
	dir    string
}

// handleSeeds runs the current branch's workshop scenario over many seeds
// in the background (Options.RunSeeds) and links its report when done.
func (s *Server) handleSeeds(w http.ResponseWriter, r *http.Request) error {
	var q struct {
		Seeds int `json:"seeds"`
	}
	if err := decode(r, &q); err != nil {
		return err
	}
	if q.Seeds < 1 || q.Seeds > 1000 {
		return errorf("seeds %d: must be between 1 and 1000", q.Seeds)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opt.RunSeeds == nil || s.opt.RunsDir == "" {
		return errorf("running seeds is off in this server")
	}
	for _, j := range s.runs {
		if j.Status == "running" {
			return errorf("run %d is still running", j.ID)
		}
	}
	b := s.branches[s.cur]
	sc, err := workshopScenario(b)
	if err != nil {
		return err
	}
	if err := sc.Set(fmt.Sprintf("simulation.seeds=%d", q.Seeds)); err != nil {
		return badRequest{err}
	}
	id := len(s.runs)
	dir := filepath.Join(s.opt.RunsDir, fmt.Sprintf("run-%d", id))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sc.WriteTOML(&buf); err != nil {
		return err
	}
	file := filepath.Join(dir, "workshop.toml")
	if err := results.WriteBytes(file, buf.Bytes()); err != nil {
		return err
	}
	s.runs = append(s.runs, seedRun{ID: id, Seeds: q.Seeds, Branch: b.ID, Status: "running", dir: dir})
	ctx := s.ctx
	go func() {
		out := filepath.Join(dir, "results")
		report, err := s.opt.RunSeeds(ctx, file, out)
		s.mu.Lock()
		defer s.mu.Unlock()
		j := &s.runs[id]
		if err != nil {
			j.Status, j.Error = "failed", err.Error()
		} else {
			rel, rerr := filepath.Rel(s.opt.RunsDir, report)
			if rerr != nil {
				j.Status, j.Error = "failed", rerr.Error()
			} else {
				j.Status, j.Report = "done", "/runs/"+filepath.ToSlash(rel)
			}
		}
		s.broadcastState()
	}()
	s.broadcastState()
	return writeJSON(w, s.stateLocked(false))
}

// serveRuns serves the files of the seed runs (their reports).
func (s *Server) serveRuns() http.Handler {
	if s.opt.RunsDir == "" {
		return http.NotFoundHandler()
	}
	return http.StripPrefix("/runs/", http.FileServer(http.Dir(s.opt.RunsDir)))
}
