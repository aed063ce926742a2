# smbsim — see README.md
GO ?= go
BIN := bin/smbsim

.PHONY: build run test bench lint install validate test-slurm validate-kill validate-memory test-race validate-long measure-rugged validate-demography fuzz validate-adversarial

## build: compile the smbsim command into bin/smbsim
## (-buildvcs=auto: smbsim version and manifest.json name the git revision)
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/smbsim

## run: run the default (baseline) scenario; results and charts in out/baseline
run: build
	./$(BIN) run

## test: run every test
test:
	$(GO) test ./...

## bench: engine step and experiment throughput benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/... ./experiment/...

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## install: install smbsim into $(go env GOPATH)/bin
install:
	$(GO) install -buildvcs=auto ./cmd/smbsim

## validate-kill: SIGKILL a 200-seed run at random moments (TRIALS=12), --resume, and check every finished run is kept and the results are byte-identical
validate-kill: build
	BIN=./$(BIN) scripts/kill-resume.sh

## test-race: the race detector, -short, on the code that runs goroutines: experiment (pool, journal, interrupts), scenarios (interruptible parse), results, serve, replicate, sim's forks, and the command's workers, interrupts, shards, resume and merge. Three commands, about 3 minutes of CPU with compiling: measured 02:40 UTC 2026-12-05 on 2 cores shared with other jobs (load average 12 to 15), 45 s + 15 s + 1 min 58 s CPU (user + sys) and 2 min 7 s + 45 s + 5 min 18 s wall, so the wall time depends on the load; the whole `go test -race ./...` took 12 min 51 s (22:25 UTC 2026-12-04). CI runs it.
test-race:
	$(GO) test -race -short -count=1 ./experiment ./scenarios ./results ./serve ./replicate ./sim/param ./sim/simbench
	$(GO) test -race -short -count=1 ./sim -run 'Fork|Clone'
	$(GO) test -race -short -count=1 ./cmd/smbsim -run 'Workers|Interrupt|Progress|Shard|Resume|Merge|Signal|Kill|Broken|Mixed|DryRun'

## validate-memory: compare the memory estimate with the measured peak of plans each dominated by one thing it counts (world, forks of 60 shocks, 7140 pairs of tests, 65536 options, 60000 ticks), and merge's own estimate with the peak of merging two shards of three of them: within 2× either way (about 80 s, 600 MB); then where the memory of a 1,000,000-firm world goes, array by array, and that it is under 300 bytes per firm (about a minute, 400 MB; docs/performance.md)
validate-memory:
	SMBSIM_LONG=memory $(GO) test ./experiment -run 'TestEstimateMatchesPeak|TestMergeEstimateMatchesPeak' -v -count=1
	SMBSIM_LONG=memory-breakdown $(GO) test ./sim -run TestMemoryBreakdown -v -count=1

## fuzz: each fuzz target for FUZZTIME (default 60s; about 4 minutes for the four). Minimization of each new input is bounded to 2 s (internal/fuzztest) unless -fuzzminimizetime is given: without it fuzzing stalled at 0 execs/sec
FUZZTIME ?= 60s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzSet$$' -fuzztime $(FUZZTIME) ./scenarios
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./results
	$(GO) test -run '^$$' -fuzz '^FuzzKaplanMeier$$' -fuzztime $(FUZZTIME) ./stats

## validate-adversarial: the adversarial harness of issue 26 (scripts/adversarial.sh): 71 attack cases — parse bombs behind new prefixes and encodings, invalid table layouts and bad UTF-8, plans made huge against the memory estimate, symlinks and odd files in a results directory, corrupt and mixed shards, overlong CSV lines, a broken stdout, SIGINT/SIGTERM at every phase (the end within 1 s) — each with its expected exit status; prints a summary (cases, clean, findings by severity) and fails on a High or Medium finding. About 3 minutes on 2 loaded cores (measured 00:45 UTC 2026-12-05, load average 24), 500 MB
validate-adversarial: build
	scripts/adversarial.sh ./$(BIN)

## validate: check every built-in scenario
validate: build
	./$(BIN) validate configs/*.toml

## test-slurm: deploy/slurm.sh against a real single-node Slurm (installs slurm-wlm and munge; needs root; about 8 minutes, see deploy/README.md)
test-slurm: build
	bash deploy/test-slurm.sh

## validate-long: the long validations: Lazer–Friedman over 1,000 landscapes (docs/validation.md); the active-link and automatic Axelrod engines against the naive loop on 10×10 lattices over 4,000 seeds; the emergence results at ticks 100–1000 with the fragility controls, the equal-cash controls included (docs/model.md section 4; Axelrod's Table 2 cells over 500 seeds are part of make test). About 7 minutes on a quiet shared 2-core machine, measured part by part in 2026-12: Lazer–Friedman about 4 min 15 s, emergence horizons 30 s, culture engines (active links, the automatic engine and tick-by-tick runs against the naive loop) 2 min of CPU time (6.6 min wall at load 17)
validate-long:
	$(GO) test -count=1 -run 'TestLazerFriedman' -v ./configs/ -args -lf.landscapes=1000
	SMBSIM_LONG=horizons $(GO) test -count=1 ./sim -run 'TestEmergenceHorizons' -v -timeout 60m
	$(GO) test -count=1 ./sim -run 'TestCultureEnginesAgree' -v -timeout 60m -args -culture.seeds=4000 -culture.side=10

## measure-rugged: re-measure the essay's claims on the rugged, moving market (docs/model.md; a few minutes)
measure-rugged:
	SMBSIM_LONG=rugged $(GO) test -count=1 -timeout 60m -run 'TestRuggedMarketClaims' -v ./sim/

## validate-demography: the Demography section of docs/validation.md (20 seeds, one to two minutes)
validate-demography:
	SMBSIM_LONG=demography=20 $(GO) test ./sim -run '^TestDemographyValidation$$' -count=1 -v -timeout 60m
