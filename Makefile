# smbsim — see README.md
GO ?= go
BIN := bin/smbsim

.PHONY: build run test bench lint install validate

build:
	$(GO) build -o $(BIN) ./cmd/smbsim

run: build
	./$(BIN) run

test:
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

install:
	$(GO) install ./cmd/smbsim
