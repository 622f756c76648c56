package globalwrite

import (
	"os"

	"github.com/lambda-durable/durable"
)

var (
	calls  int
	seen   = map[string]bool{}
	config struct{ limit int }
	last   []string
)

func workflow(ctx durable.Context, in string) error {
	calls++                 // want `write to package-level variable calls in workflow code: it survives between invocations on a warm instance but not on a new one.*; keep state in local variables`
	seen[in] = true         // want `write to package-level variable seen`
	config.limit = 3        // want `write to package-level variable config`
	last = append(last, in) // want `write to package-level variable last`
	delete(seen, "x")       // want `write to package-level variable seen`
	os.Args = nil           // want `write to package-level variable Args`
	remember(in)
	return nil
}

func remember(s string) {
	calls += len(s) // want `write to package-level variable calls in workflow code \(in remember, called from workflow code in workflow\)`
}

// Negative cases.

func good(ctx durable.Context, in string) (int, error) {
	local := calls // reading is fine
	local++
	m := map[string]bool{}
	m[in] = true
	var cfg struct{ limit int }
	cfg.limit = config.limit
	return durable.Step(ctx, "count", func(durable.StepContext) (int, error) {
		calls++ // a step body is not workflow code
		return local, nil
	})
}

func init() { calls = 0 }
