package handlers

import (
	"io"

	"github.com/lambda-durable/durable/plugin"
)

// faultyOnly installs the faulty plugin alone: requirement plugin/10-4 runs
// greet with it, and the execution must not notice.
func faultyOnly(w io.Writer) []plugin.Plugin { return []plugin.Plugin{faultyPlugin(w)} }
