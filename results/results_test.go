package results

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var nan = math.NaN()

// bigSeed is above math.MaxInt64: seeds are uint64 everywhere.
const bigSeed uint64 = math.MaxInt64 + 1

// same compares values by their printed form, so that NaN equals NaN.
func same(a, b any) bool { return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b) }

// roundTrip encodes rows for layout l, checks the text against want (if
// not empty), decodes it back (inferring the layout from the header) and
// checks that rows and layout survive.
func roundTrip[R any, P Row[R]](t *testing.T, l Layout, rows []R, want string) {
	t.Helper()
	var buf bytes.Buffer
	e, err := NewEncoder[R, P](&buf, l)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := e.Encode(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	if want != "" && buf.String() != want {
		t.Errorf("%s encoded as\n%s\nwant\n%s", FileName[R, P](), buf.String(), want)
	}
	d, err := NewDecoder[R, P](bytes.NewReader(buf.Bytes()), Layout{Variant: l.Variant}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Layout(); !same(got, l) {
		t.Errorf("%s: layout read back %#v, want %#v", FileName[R, P](), got, l)
	}
	var got []R
	for {
		var r R
		err := d.Decode(&r)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if !same(got, rows) {
		t.Errorf("%s: read back\n%#v\nwant\n%#v", FileName[R, P](), got, rows)
	}
}

func TestRoundTripTimeseries(t *testing.T) {
	l := Layout{Metrics: []string{"alive", "regions"}}
	roundTrip[TimeseriesRow](t, l, []TimeseriesRow{
		{Variant: "a", Seed: bigSeed, Tick: 0, Values: []float64{100, nan}},
		{Variant: "b,c", Seed: math.MaxUint64, Tick: 5, Values: []float64{0.1, 3}},
	}, "variant,seed,tick,alive,regions\na,9223372036854775808,0,100,\n\"b,c\",18446744073709551615,5,0.1,3\n")
	// A single run's file written by older versions has no variant
	// column: rows get Layout.Variant.
	l = Layout{NoVariantColumn: true, Variant: "baseline", Metrics: []string{"alive"}}
	roundTrip[TimeseriesRow](t, l, []TimeseriesRow{{Variant: "baseline", Seed: 1, Tick: 2, Values: []float64{1e-300}}},
		"seed,tick,alive\n1,2,1e-300\n")
}

func TestRoundTripFirms(t *testing.T) {
	for _, vc := range []bool{false, true} {
		l := Layout{NoVariantColumn: !vc, Variant: "v"}
		roundTrip[FirmRow](t, l, []FirmRow{
			{Variant: "v", Seed: bigSeed, Firm: 3, Type: "imitator", Sector: 1, Born: 0, Died: -1, Censored: true, Initial: "0-1", Final: "2-3"},
			{Variant: "v", Seed: 7, Firm: 4, Type: "innovator", Sector: 0, Born: 10, Died: 42, Initial: "0-0", Final: "", Age: 32, Size: 1.25, Revenue: 0.0625},
		}, "")
	}
	var buf bytes.Buffer
	e, _ := NewEncoder[FirmRow](&buf, Layout{})
	e.Encode(&FirmRow{Variant: "v", Seed: 1, Died: -1, Censored: true})
	e.Flush()
	if want := "variant,seed,firm,type,sector,born,died,censored,initial,final,age,size,revenue\nv,1,0,,0,0,,true,,,0,0,0\n"; buf.String() != want {
		t.Errorf("censored firm encoded as %q, want %q (died empty)", buf.String(), want)
	}
}

func TestRoundTripOtherFiles(t *testing.T) {
	l := Layout{}
	roundTrip[StrategyRow](t, l, []StrategyRow{{Variant: "a", Seed: bigSeed, Tick: 3, Rank: 1, Strategy: "1-2-3", Share: 0.25}},
		"variant,seed,tick,rank,strategy,share\na,9223372036854775808,3,1,1-2-3,0.25\n")
	roundTrip[ShareRow](t, l, []ShareRow{{Variant: "a", Seed: bigSeed, Tick: 3, Dimension: "platform", Option: 0, Share: 0.25}},
		"variant,seed,tick,dimension,option,share\na,9223372036854775808,3,platform,0,0.25\n")
	roundTrip[RunRow](t, l, []RunRow{{Variant: "a", Seed: bigSeed, Measure: "m", Value: nan}, {Variant: "a", Seed: 0, Measure: "n", Value: -2.5}},
		"variant,seed,measure,value\na,9223372036854775808,m,\na,0,n,-2.5\n")
	roundTrip[StatRow](t, l, []StatRow{{Variant: "a", Tick: 1, Metric: "alive", N: 1, Mean: 3, SD: nan, CILow: nan, CIHigh: nan}},
		"variant,tick,metric,n,mean,sd,ci_low,ci_high\na,1,alive,1,3,,,\n")
	roundTrip[SurvivalRow](t, l, []SurvivalRow{{Variant: "a", Type: "all", T: 0, AtRisk: 10, Events: 0, Survival: 1, CILow: 1, CIHigh: 1},
		{Variant: "a", Type: "initial_cohort", T: 12, AtRisk: 9, Events: 1, Survival: 0.9, CILow: nan, CIHigh: nan}}, "")
	roundTrip[Estimate](t, l, []Estimate{{Variant: "a", Measure: "final_alive", N: 0, Mean: nan, SD: nan, CILow: nan, CIHigh: nan}},
		"variant,measure,n,mean,sd,ci_low,ci_high\na,final_alive,0,,,,\n")
	roundTrip[Test](t, l, []Test{{Measure: "m", VariantA: "a", VariantB: "b", Design: DesignPaired, Test: TestPairedT, Statistic: 1.5, P: Number(nan), PHolm: 0.25,
		Effect: EffectMeanDiff, EffectSize: -0.25, EffectCILow: Number(nan), EffectCIHigh: 1}},
		"measure,variant_a,variant_b,design,test,statistic,p,p_holm,effect,effect_size,effect_ci_low,effect_ci_high\nm,a,b,paired,paired_t,1.5,,0.25,mean_difference,-0.25,,1\n")
	sl := Layout{Params: []string{"biases.herding", "network.kind"}}
	roundTrip[SweepRow](t, sl, []SweepRow{{Values: map[string]string{"biases.herding": "0.5", "network.kind": "ring"},
		Estimate: Estimate{Variant: "p001", Measure: "m", N: 2, Mean: 1, SD: 0, CILow: 1, CIHigh: 1}}},
		"variant,biases.herding,network.kind,measure,n,mean,sd,ci_low,ci_high\np001,0.5,ring,m,2,1,0,1,1\n")
	rl := Layout{Params: []string{"biases.herding", "network.kind"}, Measures: []string{"final_alive", "shock1_recovery_ticks"}}
	roundTrip[SweepRunRow](t, rl, []SweepRunRow{
		{Variant: "p001", Values: map[string]string{"biases.herding": "0.5", "network.kind": "ring"}, Seed: bigSeed, Measures: []float64{812, nan}},
		{Variant: "p002", Values: map[string]string{"biases.herding": "1", "network.kind": "small_world"}, Seed: 2, Measures: []float64{790, 34}}},
		"variant,biases.herding,network.kind,seed,final_alive,shock1_recovery_ticks\np001,0.5,ring,9223372036854775808,812,\np002,1,small_world,2,790,34\n")
	roundTrip[SensitivityRow](t, l, []SensitivityRow{{Measure: "final_alive", Parameter: "biases.herding", Index: IndexST, Value: 0.25, CILow: 0.125, CIHigh: 0.5},
		{Measure: "final_alive", Parameter: SeedsParameter, Index: IndexSeedShare, Value: 0.5, CILow: nan, CIHigh: nan}},
		"measure,parameter,index,value,ci_low,ci_high\nfinal_alive,biases.herding,ST,0.25,0.125,0.5\nfinal_alive,(seeds),seed_share,0.5,,\n")
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "empty file"},
		{"header", "variant,seed,value\n", "unexpected header"},
		{"seed", "variant,seed,measure,value\na,-1,m,1\n", `line 2: column seed: "-1": invalid syntax`},
		{"seed range", "variant,seed,measure,value\na,18446744073709551616,m,1\n", "value out of range"},
		{"float", "variant,seed,measure,value\na,1,m,x\n", `line 2: column value: "x"`},
		{"fields", "variant,seed,measure,value\na,1,m\n", "wrong number of fields"},
		{"long line", "variant,seed,measure,value\na,1," + strings.Repeat("m", MaxLineBytes+10) + ",1\n", "a line longer than"},
		{"long header", strings.Repeat("h,", 200_000) + "\n", "unexpected header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDecoder[RunRow](strings.NewReader(tt.text), Layout{}, nil)
			if err == nil {
				var r RunRow
				err = d.Decode(&r)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %.300v, want one containing %q", err, tt.want)
			}
			if err != nil && len(err.Error()) > 2000 {
				t.Errorf("an error message of %d bytes: messages are bounded", len(err.Error()))
			}
		})
	}
	// A required layout rejects another header.
	_, err := NewDecoder[TimeseriesRow](strings.NewReader("seed,tick,alive\n"), Layout{}, &Layout{Metrics: []string{"alive"}})
	if err == nil {
		t.Error("timeseries without variant column accepted for a compare layout")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := &Summary{Scenario: "x", Command: "compare", Metrics: []string{"alive"}, Seeds: []uint64{bigSeed, math.MaxUint64},
		Shocks: []ShockInfo{{Index: 1, Kind: "demand_shift", Tick: 3, Severity: 0.5, Label: "a <b> & c"}},
		Variants: []VariantSummary{{Name: "a", Runs: 2,
			Measures: map[string]MeasureStats{"m": {N: 1, Mean: 2, SD: Number(nan), CILow: Number(nan), CIHigh: Number(math.Inf(1))}},
			PerSeed:  []SeedMeasures{{Seed: bigSeed, Measures: map[string]Number{"m": Number(nan)}}}}},
		Tests:   []Test{{Measure: "m", P: Number(nan)}},
		Logrank: &Logrank{Chi2: 1, DF: 1, P: 0.5, Pairs: []LogrankPair{}},
	}
	if err := WriteSummary(dir, s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FileSummary))
	for _, want := range []string{`"seeds": [
    9223372036854775808,
    18446744073709551615
  ]`, `"sd": null`, `"ci_high": null`, `"a <b> & c"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("summary.json lacks %s:\n%s", want, b)
		}
	}
	got, err := ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.Variants[0].Measures["m"] = MeasureStats{N: 1, Mean: 2, SD: Number(nan), CILow: Number(nan), CIHigh: Number(nan)} // Inf is written as null
	if !same(*got.Logrank, *s.Logrank) {
		t.Errorf("logrank read back %#v, want %#v", *got.Logrank, *s.Logrank)
	}
	got.Logrank, s.Logrank = nil, nil
	if !same(got, s) {
		t.Errorf("summary read back\n%#v\nwant\n%#v", got, s)
	}

	m := &Manifest{Version: "v", Command: []string{"smbsim", "run"}, Seeds: []uint64{bigSeed},
		CompletedSeeds: map[string][]uint64{"a": {bigSeed}}, CompletedRuns: 1, TotalRuns: 2, Status: StatusIncomplete,
		Plan: PlanInfo{Fingerprint: "f", Command: "run", Variants: []VariantInfo{{Name: "a", Shocks: []ShockInfo{}}}}}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	gm, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !same(gm, m) || gm.Complete() {
		t.Errorf("manifest read back\n%#v\nwant\n%#v", gm, m)
	}
	os.WriteFile(filepath.Join(dir, FileManifest), []byte(`{"seeds": [-1]}`), 0o644)
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), FileManifest) {
		t.Errorf("bad manifest: error %v, want one naming the file", err)
	}
}

func TestAtomicFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("boom")
	})
	if err == nil {
		t.Fatal("failing writer reported no error")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("failed write changed the file to %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("temporary files left: %v", es)
	}
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("file holds %q, want new", b)
	}
}

func TestReadDir(t *testing.T) {
	if _, err := ReadDir(t.TempDir()); !errors.Is(err, ErrNoResults) {
		t.Errorf("empty directory: error %v, want ErrNoResults", err)
	}
	dir := t.TempDir()
	l := Layout{Variant: "base", Metrics: []string{"alive"}, Params: []string{"k"}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(WriteSummary(dir, &Summary{Scenario: "base", Seeds: []uint64{bigSeed}}))
	must(WriteRows(dir, l, []TimeseriesRow{{Variant: "base", Seed: bigSeed, Tick: 1, Values: []float64{nan}}}))
	must(WriteRows(dir, l, []SweepRow{{Values: map[string]string{"k": ""}, Estimate: Estimate{Variant: "p001", Mean: nan, SD: nan, CILow: nan, CIHigh: nan}}}))
	must(WriteRows(dir, l, []RunRow{{Variant: "base", Seed: bigSeed, Measure: "m", Value: 1}}))
	must(WriteBytes(filepath.Join(dir, FileScenario), []byte("name = \"base\"\n")))
	d, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !same(d.Layout, l) || d.Timeseries[0].Seed != bigSeed || d.Runs[0].Seed != bigSeed || d.Sweep[0].Values["k"] != "" ||
		string(d.Scenario) != "name = \"base\"\n" || d.Manifest != nil || d.Stats != nil || d.Summary.Seeds[0] != bigSeed {
		t.Errorf("read back %#v", d)
	}
	os.WriteFile(filepath.Join(dir, FileStats), []byte("variant,tick,metric,n,mean,sd,ci_low,ci_high\na,x,m,1,1,,,\n"), 0o644)
	if _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), FileStats+": line 2: column tick") {
		t.Errorf("malformed stats.csv: error %v, want file, line and column", err)
	}
}

func TestOpenRuns(t *testing.T) {
	dir := t.TempDir()
	l := Layout{Metrics: []string{"alive"}}
	seeds := []uint64{bigSeed, 5}
	variants := []string{"a", "b"}
	jobOf := func(v string, s uint64) (int, bool) {
		for vi, name := range variants {
			for si, seed := range seeds {
				if name == v && seed == s {
					return vi*len(seeds) + si, true
				}
			}
		}
		return 0, false
	}
	var ts []TimeseriesRow
	var firms []FirmRow
	var runs []RunRow
	for _, v := range variants {
		for _, s := range seeds {
			ts = append(ts, TimeseriesRow{Variant: v, Seed: s, Tick: 0, Values: []float64{1}}, TimeseriesRow{Variant: v, Seed: s, Tick: 1, Values: []float64{nan}})
			firms = append(firms, FirmRow{Variant: v, Seed: s, Firm: 1, Died: -1, Censored: true})
			runs = append(runs, RunRow{Variant: v, Seed: s, Measure: "m", Value: float64(s % 7)})
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(WriteRows(dir, l, ts))
	must(WriteRows(dir, l, firms))
	must(WriteRows(dir, l, runs))
	must(WriteRows(dir, l, []StrategyRow{{Variant: "b", Seed: 5, Tick: 1, Rank: 1, Strategy: "s", Share: 1}}))
	rr, err := OpenRuns(dir, l, jobOf)
	must(err)
	defer rr.Close()
	// Job 0 is skipped; jobs 1 and 3 are read.
	r1, err := rr.Job(1)
	must(err)
	if len(r1.Timeseries) != 2 || r1.Timeseries[0].Seed != 5 || r1.Measures[0].Variant != "a" || len(r1.Strategies) != 0 {
		t.Errorf("job 1: %#v", r1)
	}
	r3, err := rr.Job(3)
	must(err)
	if len(r3.Firms) != 1 || r3.Firms[0].Variant != "b" || len(r3.Strategies) != 1 {
		t.Errorf("job 3: %#v", r3)
	}

	variants = variants[:1] // runs of "b" are now unknown
	rr2, err := OpenRuns(dir, l, jobOf)
	must(err)
	defer rr2.Close()
	if _, err := rr2.Job(5); err == nil || !strings.Contains(err.Error(), "not part of this experiment") {
		t.Errorf("unknown run: error %v", err)
	}
	os.Remove(filepath.Join(dir, FileFirms))
	if _, err := OpenRuns(dir, l, jobOf); err == nil || !strings.Contains(err.Error(), "firms.csv is missing") {
		t.Errorf("missing firms.csv: error %v", err)
	}
}

// FuzzDecode checks that the decoder never panics and that what it
// accepts encodes back to an equivalent file.
func FuzzDecode(f *testing.F) {
	f.Add("variant,seed,tick,alive\na,1,2,3\n")
	f.Add("seed,tick,a,b\n18446744073709551615,0,,1e9\n")
	f.Add("seed,tick\n1,x\n")
	f.Fuzz(func(t *testing.T, text string) {
		// Messages are bounded whatever the input (a 3 MB header once gave
		// a 3 MB message).
		bounded := func(err error) {
			if err != nil && len(err.Error()) > 2000 {
				t.Fatalf("a message of %d bytes", len(err.Error()))
			}
		}
		d, err := NewDecoder[TimeseriesRow](strings.NewReader(text), Layout{Variant: "v"}, nil)
		bounded(err)
		if err != nil {
			return
		}
		var rows []TimeseriesRow
		for {
			var r TimeseriesRow
			err := d.Decode(&r)
			if err != nil {
				if err != io.EOF {
					bounded(err)
				}
				break
			}
			rows = append(rows, r)
		}
		var buf bytes.Buffer
		e, err := NewEncoder[TimeseriesRow](&buf, d.Layout())
		if err != nil {
			return
		}
		for i := range rows {
			e.Encode(&rows[i])
		}
		e.Flush()
		d2, err := NewDecoder[TimeseriesRow](&buf, Layout{Variant: "v"}, nil)
		if err != nil {
			t.Fatalf("re-encoded file rejected: %v", err)
		}
		for i := range rows {
			var r TimeseriesRow
			if err := d2.Decode(&r); err != nil {
				t.Fatalf("row %d: %v", i, err)
			}
			if !same(r, rows[i]) {
				t.Fatalf("row %d: %#v, want %#v", i, r, rows[i])
			}
		}
	})
}

// A damaged cell is quoted in the message, clipped.
func TestLongCellMessageClipped(t *testing.T) {
	d, err := NewDecoder[RunRow](strings.NewReader("variant,seed,measure,value\na,1,m,"+strings.Repeat("x", 100_000)+"\n"), Layout{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var r RunRow
	err = d.Decode(&r)
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "bytes in all") {
		t.Errorf("message of %d bytes: %.200v", len(err.Error()), err)
	}
}

// CommitWhere writes only the rows kept, in order, and removes the
// temporary file that held them all.
func TestCommitWhere(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "partial")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	l := Layout{Metrics: []string{"alive"}}
	w, err := CreateFileAt[TimeseriesRow](dir, tmp, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 1, 3} {
		if err := w.Encode(&TimeseriesRow{Variant: "v", Seed: seed, Tick: int(seed), Values: []float64{float64(seed)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.CommitWhere(func(r *TimeseriesRow) bool { return r.Seed == 1 }); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileTimeseries))
	if want := "variant,seed,tick,alive\nv,1,1,1\nv,1,1,1\n"; err != nil || string(b) != want {
		t.Errorf("timeseries.csv = %q (%v), want %q", b, err, want)
	}
	if _, err := os.Stat(filepath.Join(tmp, FileTimeseries)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary file is still there: %v", err)
	}
}
