package experiment

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// MergeOptions stamps the merged manifest.
type MergeOptions struct {
	Version     string
	CommandLine []string
	Now         func() time.Time // nil means time.Now
}

// Merge combines results directories of the same experiment — typically
// the shard directories written with --shard i/n — into out. The result is
// byte-identical to what a single Execute of the whole plan writes (apart
// from manifest.json's times and command line): runs are read back in job
// order and every statistic is recomputed from them.
//
// Runs missing from every input leave the merged result incomplete (status
// "incomplete" and an error); Execute with Resume on out can then finish
// it. A run present in several inputs is taken from the first.
func Merge(dirs []string, out string, opt MergeOptions) (*Report, error) {
	if len(dirs) == 0 {
		return nil, errors.New("merge: no directories given: list the shard directories to merge")
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	absOut, _ := filepath.Abs(out)
	manifests := make([]*Manifest, len(dirs))
	for i, d := range dirs {
		if abs, _ := filepath.Abs(d); abs == absOut {
			return nil, fmt.Errorf("merge: --out %s is also an input; write the merged results to a new directory", out)
		}
		m, err := ReadManifest(d)
		if err != nil {
			return nil, fmt.Errorf("merge: %s: %w", d, err)
		}
		if i > 0 && m.Plan.Fingerprint != manifests[0].Plan.Fingerprint {
			return nil, fmt.Errorf("merge: %s and %s hold different experiments (other scenario, seeds or settings); merge only the shards of one command", dirs[0], d)
		}
		manifests[i] = m
	}
	p := planFromManifest(manifests[0])
	p.Version, p.CommandLine = opt.Version, opt.CommandLine
	started := now()
	sources := make([]*dirSource, len(dirs))
	have := make([]map[int]bool, len(dirs))
	for i, d := range dirs {
		var err error
		if have[i], err = completedJobs(p, manifests[i]); err != nil {
			return nil, fmt.Errorf("merge: %s: %w", d, err)
		}
		if t, err := time.Parse(time.RFC3339, manifests[i].Started); err == nil && t.Before(started) {
			started = t
		}
	}
	if err := CheckOutDir(out); err != nil {
		return nil, err
	}
	for i, d := range dirs {
		if len(have[i]) == 0 {
			continue
		}
		var err error
		if sources[i], err = openDir(d, p); err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		defer sources[i].close()
	}
	removeStale(out, p)
	w, err := newRunWriter(out, p, false)
	if err != nil {
		return nil, err
	}
	agg := newAggregator(p)
	for j := range p.Jobs() {
		for i := range dirs {
			if !have[i][j] {
				continue
			}
			r, err := sources[i].read(j)
			if err != nil {
				w.abort()
				return nil, fmt.Errorf("merge: %w", err)
			}
			if err := w.write(r); err != nil {
				w.abort()
				return nil, fmt.Errorf("merge: writing %s: %w", out, err)
			}
			agg.add(r)
			break
		}
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	rep, err := finish(out, p, agg, finishInfo{started: started, finished: now(), total: p.Jobs(),
		fingerprint: manifests[0].Plan.Fingerprint, tomlFrom: dirs[0]})
	if err != nil {
		return nil, err
	}
	if rep.Completed < rep.Total {
		return rep, fmt.Errorf("merge: only %d of %d runs are in the inputs (missing shards?); the result is marked incomplete — run the missing shards and merge again, or finish it with --resume --out %s", rep.Completed, rep.Total, out)
	}
	return rep, nil
}
