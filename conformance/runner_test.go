package conformance

import (
	"testing"

	"github.com/lambda-durable/durable/conformance/harness"
)

// newRunner returns the Runner that drives requirements on the local durable
// execution service through its HTTP front. Until that service exists it
// returns nil, and TestConformance only loads and resolves the files.
func newRunner(t *testing.T) harness.Runner {
	t.Helper()
	return nil
}
