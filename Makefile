# Every Go module in the repository (the SDK at the root, plus nested modules
# that keep heavy dependencies out of the SDK) is tested by `make test`.
MODULES := $(shell find . -name go.mod -not -path './.git/*' -exec dirname {} \; | sort)

.PHONY: test demo vet lint bench bench-peers fuzz-smoke

## test: vet, lint and run every module's tests under the race detector.
test: vet lint
	@set -e; for m in $(MODULES); do echo "== go test -race $$m/..."; (cd $$m && go test -race -count=1 ./...); done

## vet: go vet every module.
vet:
	@set -e; for m in $(MODULES); do (cd $$m && go vet ./...); done

## lint: build durablelint (lint/) and run it through go vet on the examples
## and the conformance handlers: workflow code must replay deterministically
## (docs/determinism.md).
DURABLELINT := $(CURDIR)/bin/durablelint
lint:
	go build -o $(DURABLELINT) ./lint/cmd/durablelint
	go vet -vettool=$(DURABLELINT) ./examples/...
	cd conformance && go vet -vettool=$(DURABLELINT) ./handlers/...

## demo: run the example workflow on the embedded local service.
demo:
	go run ./examples/demo

## bench: run the benchmark suite (internal/benchmarks, see
## docs/performance.md, plus the packages' micro-benchmarks). BENCH selects
## benchmarks by regexp, COUNT repeats them: make bench BENCH=W2 COUNT=5
BENCH ?= .
COUNT ?= 1
bench:
	go test -run '^$$' -bench '$(BENCH)' -benchmem -count $(COUNT) ./...

## bench-peers: run AWS's JS SDK (../shared/peers/js, needs node and npm) and
## our workloads side by side, interleaved, and print each workload's ratio
## with its spread: make bench-peers PAIRS=5 (PEERS_JS=dir: the harness elsewhere)
PAIRS ?= 3
PEERS_JS ?= ../shared/peers/js
bench-peers:
	go run ./internal/benchmarks/peers -pairs $(PAIRS) -js $(PEERS_JS)
