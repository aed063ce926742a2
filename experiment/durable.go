package experiment

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/smbsim/smbsim/results"
)

// A results directory is written so that no state a kill can leave it in
// is mistaken for finished results, and no finished run is lost:
//
//  1. Before anything in the directory changes, manifest.json is written
//     with status "in_progress" and, as completed_seeds, the runs that the
//     committed per-run files already hold (none for a fresh start).
//  2. The per-run files are written in results.DirPartial under their own
//     names. After each run, they are flushed and a line naming the run and
//     the files' lengths is appended to the journal there.
//  3. When every run is written, a "commit" line is appended, the partial
//     files are renamed into place, the aggregate files, summary.json and
//     scenario files are written, and manifest.json last, with status
//     "complete" or "incomplete". Then DirPartial is removed.
//
// --resume of a directory left "in_progress" by a killed process first
// recovers: after a commit line it finishes the renames; otherwise it cuts
// the partial files to the last journalled lengths and combines the runs
// there with those of the committed files into new committed files, marked
// "incomplete". Then it resumes as after a Ctrl-C.

const journalHeader = "smbsim-journal 1"

// killHook, when set (by tests only), is called at the points where a kill
// could leave the directory in a state of its own; a test exits the
// process there, as SIGKILL would.
var killHook func(stage string)

func atKillPoint(stage string) {
	if killHook != nil {
		killHook(stage)
	}
}

// journal is the append-only list of the runs in the partial files.
type journal struct {
	f   *os.File
	buf []byte
}

func createJournal(partial, fingerprint string) (*journal, error) {
	f, err := os.OpenFile(filepath.Join(partial, results.FileJournal), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%s %s\n", journalHeader, fingerprint); err != nil {
		f.Close()
		return nil, err
	}
	return &journal{f: f}, nil
}

// add records that the partial files hold job j, with the given lengths
// once its rows are in. One write, so a kill leaves at most a torn last
// line, which readJournal ignores.
func (jn *journal) add(j int, sizes [numPerRun]int64) error {
	b := strconv.AppendInt(jn.buf[:0], int64(j), 10)
	for _, n := range sizes {
		b = append(b, ' ')
		b = strconv.AppendInt(b, n, 10)
	}
	b = append(b, '\n')
	jn.buf = b
	_, err := jn.f.Write(b)
	return err
}

// commit records that the partial files are complete and about to be
// renamed into place.
func (jn *journal) commit() error {
	if _, err := jn.f.WriteString("commit\n"); err != nil {
		return err
	}
	return jn.f.Sync()
}

func (jn *journal) close() {
	if jn != nil {
		jn.f.Close()
	}
}

// journalState is what a journal says.
type journalState struct {
	jobs      map[int]bool
	sizes     [numPerRun]int64 // lengths after the last run
	committed bool
}

// readJournal reads the journal of the partial directory; ok is false when
// there is none, or it belongs to another experiment.
func readJournal(partial, fingerprint string) (st journalState, ok bool) {
	b, err := results.ReadPlain(filepath.Join(partial, results.FileJournal), results.MaxDocumentSize)
	if err != nil {
		return st, false
	}
	lines := strings.Split(string(b), "\n")
	lines = lines[:len(lines)-1] // "" after the last newline, or a torn line
	if len(lines) == 0 || lines[0] != journalHeader+" "+fingerprint {
		return st, false
	}
	st.jobs = map[int]bool{}
	for _, line := range lines[1:] {
		if line == "commit" {
			st.committed = true
			break
		}
		f := strings.Fields(line)
		if len(f) != 1+numPerRun {
			break
		}
		j, err := strconv.Atoi(f[0])
		var sizes [numPerRun]int64
		for i := range sizes {
			if err == nil {
				sizes[i], err = strconv.ParseInt(f[1+i], 10, 64)
			}
		}
		if err != nil {
			break
		}
		st.jobs[j], st.sizes = true, sizes
	}
	return st, true
}

// smbsimManifest reports whether m looks written by smbsim (and not some
// other program's manifest.json).
func smbsimManifest(m *results.Manifest) bool {
	return m.Plan.Fingerprint != "" || (m.Scenario != "" && len(m.Seeds) > 0 && m.Status != "")
}

// claimOut readies the output directory out for Execute and Merge: it
// makes it usable (CheckOutDir), takes its lock and returns the manifest
// of the results it holds (inspectOut; nil if none). what prefixes the
// message when out may not be written into.
func claimOut(out, what string) (old *results.Manifest, unlock func(), err error) {
	if err := CheckOutDir(out); err != nil {
		return nil, nil, badInput(err)
	}
	if unlock, err = lockDir(out); err != nil {
		return nil, nil, err
	}
	if old, err = inspectOut(out); err != nil {
		unlock()
		return nil, nil, badInput(fmt.Errorf("%s: %w", what, err))
	}
	return old, unlock, nil
}

// inspectOut checks that dir may be written into: it does not exist, is
// empty, or holds smbsim results (a manifest.json written by smbsim). It
// returns that manifest (nil if none).
func inspectOut(dir string) (*results.Manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil // absent, or not a directory: CheckOutDir says what is wrong
	}
	if err := refuseLinks(dir); err != nil {
		return nil, err
	}
	m, err := results.ReadManifest(dir)
	if err == nil && smbsimManifest(m) {
		return m, nil
	}
	var foreign []string
	for _, e := range entries {
		if !ownedTemp(e.Name()) && e.Name() != results.DirPartial {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) == 0 {
		return nil, nil
	}
	what := "no manifest.json"
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		what = "its manifest.json was not written by smbsim"
	}
	shown := foreign[:min(len(foreign), 3)]
	more := ""
	if len(foreign) > 3 {
		more = fmt.Sprintf(" and %d more", len(foreign)-3)
	}
	return nil, fmt.Errorf("%s is not empty and holds no smbsim results (%s; it holds %s%s): smbsim writes only into a new or empty directory, or one with its own results, and never removes files it did not write; choose another --out",
		dir, what, strings.Join(shown, ", "), more)
}

// refuseLinks returns an error naming the first symbolic link among the
// entries smbsim writes, truncates or removes in the results directory dir
// (its owned files, variants/, charts/, the partial directory and the
// files in those): smbsim never writes through a link, so nothing it does
// in a results directory reaches outside it.
func refuseLinks(dir string) error {
	check := func(path string) error {
		fi, err := os.Lstat(path)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: smbsim never writes, truncates or removes through a link in a results directory (it could reach outside it); remove the link or choose another --out", path)
		}
		return nil
	}
	names := append(append([]string{}, results.Owned...), results.DirVariants, results.DirPartial, results.DirCharts)
	for _, name := range names {
		if err := check(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	for _, sub := range []string{results.DirVariants, results.DirPartial, results.DirCharts} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			if err := check(filepath.Join(dir, sub, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// ownedTemp reports whether name is a temporary file smbsim writes in a
// results directory (".<owned name>.tmp-*" or its write probe).
func ownedTemp(name string) bool {
	if strings.HasPrefix(name, ".smbsim-probe-") {
		return true
	}
	base, _, ok := strings.Cut(strings.TrimPrefix(name, "."), ".tmp-")
	return ok && strings.HasPrefix(name, ".") && (slices.Contains(results.Owned, base) || strings.HasSuffix(base, ".toml"))
}

// cleanTemps removes the temporary files a killed process left in dir and
// dir/variants.
func cleanTemps(dir string) {
	for _, d := range []string{dir, filepath.Join(dir, results.DirVariants)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if !e.IsDir() && ownedTemp(e.Name()) {
				os.Remove(filepath.Join(d, e.Name()))
			}
		}
	}
}

// removeStale removes the files of the earlier results in dir (described
// by old, nil if none) that the plan does not write, so the directory never
// mixes two experiments. Only files smbsim owns are removed.
func removeStale(dir string, p *Plan, old *results.Manifest) {
	// The report is drawn again from the new results; a PRIM run
	// (smbsim discover) was of the old runs.
	stale := []string{results.FileReport, results.FileDiscovery, results.FileDiscoveryBox}
	if p.Command == CommandRun {
		stale = append(stale, results.FileTests)
	}
	if p.Command != CommandSweep {
		stale = append(stale, results.FileSweep, results.FileSweepRuns)
	}
	if p.Design == nil {
		stale = append(stale, results.FileSensitivity)
	}
	for _, name := range stale {
		os.Remove(filepath.Join(dir, name))
	}
	if old == nil {
		return
	}
	keep := map[string]bool{}
	for _, v := range p.Variants {
		if v.TOML != nil {
			keep[v.Name] = true
		}
	}
	for _, v := range old.Plan.Variants {
		if v.HasTOML && !keep[v.Name] && !strings.ContainsAny(v.Name, `/\`) && v.Name != ".." {
			os.Remove(filepath.Join(dir, results.DirVariants, v.Name+".toml"))
		}
	}
	os.Remove(filepath.Join(dir, results.DirVariants)) // only if now empty
}

// recoverDir makes whole a directory left "in_progress" by a killed
// process, before --resume: it returns the manifest of the committed files
// afterwards (see the top of this file).
func recoverDir(dir string, p *Plan, m *results.Manifest, fingerprint string) (*results.Manifest, error) {
	partial := filepath.Join(dir, results.DirPartial)
	base, err := completedJobs(p, m)
	if err != nil {
		return nil, err
	}
	st, ok := readJournal(partial, fingerprint)
	switch {
	case !ok || (len(st.jobs) == 0 && !st.committed):
		// Nothing was journalled: the committed files hold base.
	case st.committed:
		// The partial files were complete: finish moving them.
		for _, name := range perRunNames {
			from := filepath.Join(partial, name)
			if _, err := os.Stat(from); err == nil {
				if err := os.Rename(from, filepath.Join(dir, name)); err != nil {
					return nil, fmt.Errorf("recovering %s: %w", dir, err)
				}
				atKillPoint("recover-rename")
			}
		}
		base = st.jobs
	default:
		if err := cutPartial(partial, st.sizes); err != nil {
			// The files are shorter than the journal says (not a kill
			// but a crash of the machine): keep what was committed.
			break
		}
		union := maps.Clone(base)
		maps.Copy(union, st.jobs)
		if err := combine(dir, partial, p, base, st.jobs, union); err != nil {
			return nil, fmt.Errorf("recovering the finished runs in %s: %w", dir, err)
		}
		base = union
		atKillPoint("combined")
	}
	m.CompletedSeeds = seedsOf(p, base)
	m.CompletedRuns = len(base)
	m.Status = results.StatusIncomplete
	if err := results.WriteManifest(dir, m); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(partial); err != nil {
		return nil, err
	}
	return m, nil
}

// cutPartial truncates the partial files to the lengths the journal last
// recorded, dropping the rows of a run that was being written.
func cutPartial(partial string, sizes [numPerRun]int64) error {
	for i, name := range perRunNames {
		path := filepath.Join(partial, name)
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		if fi.Size() < sizes[i] {
			return fmt.Errorf("%s: %d bytes, the journal says %d", path, fi.Size(), sizes[i])
		}
		if err := os.Truncate(path, sizes[i]); err != nil {
			return err
		}
	}
	return nil
}

// combine writes into dir's per-run files the runs of union, each read
// from the partial files if the journal lists it, else from dir's committed
// files (which hold base).
func combine(dir, partial string, p *Plan, base, journalled, union map[int]bool) error {
	var fromDir, fromPartial *dirSource
	var err error
	if len(base) > 0 {
		if fromDir, err = openDir(dir, p); err != nil {
			return err
		}
		defer fromDir.close()
	}
	if len(journalled) > 0 {
		if fromPartial, err = openDir(partial, p); err != nil {
			return err
		}
		defer fromPartial.close()
	}
	w, err := newRunWriter(dir, "", p, true)
	if err != nil {
		return err
	}
	jobs := slices.Sorted(maps.Keys(union))
	for _, j := range jobs {
		src := fromDir
		if journalled[j] {
			src = fromPartial
		}
		r, err := src.read(j)
		if err == nil {
			err = w.write(r)
		}
		if err != nil {
			w.abort()
			return err
		}
	}
	return w.commit(false)
}
