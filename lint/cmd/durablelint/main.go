// Command durablelint reports code that breaks the replay of durable
// workflows: wall-clock time, randomness, map order, goroutines, I/O and
// package state in workflow code, a durable.Context used inside a step or
// a goroutine, and operation names that change between replays. See
// docs/determinism.md for the rules.
//
// Run it through go vet:
//
//	go install github.com/lambda-durable/durable/lint/cmd/durablelint
//	go vet -vettool=$(which durablelint) ./...
//
// or on its own: durablelint ./...
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/lambda-durable/durable/lint/rules"
)

func main() { multichecker.Main(rules.All()...) }
