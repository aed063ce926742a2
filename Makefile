# smbsim — see README.md
GO ?= go
BIN := bin/smbsim

.PHONY: build run test bench lint install validate test-slurm validate-demography

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

## validate: check every built-in scenario
validate: build
	./$(BIN) validate configs/*.toml

## test-slurm: deploy/slurm.sh against a real single-node Slurm (installs slurm-wlm and munge; needs root; a few minutes)
test-slurm: build
	bash deploy/test-slurm.sh

## validate-demography: the Demography section of docs/validation.md (20 seeds, a few minutes)
validate-demography:
	SMBSIM_VALIDATE=20 $(GO) test ./sim -run '^TestDemographyValidation$$' -count=1 -v -timeout 60m
