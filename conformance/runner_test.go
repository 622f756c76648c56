package conformance

import (
	"testing"

	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/runner"
)

// newRunner returns the Runner that drives requirements on the local durable
// execution service through its HTTP front (package runner).
func newRunner(t *testing.T) harness.Runner {
	t.Helper()
	return runner.Local{}
}
