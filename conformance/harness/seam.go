package harness

import (
	"context"
	"io"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/conformance/spec"
)

// Function is a Lambda function as the local service invokes it. It has the
// method set of aws-lambda-go's lambda.Handler, so lambda.NewHandler(fn) is one.
type Function interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Env is what a Factory receives for one run.
type Env struct {
	// Logs receives the run's structured logs as JSON lines (one record per
	// line); ExpectedLogs are checked against them. It is safe for concurrent use.
	Logs io.Writer
	// Options are the handler options every durable function of the run is
	// built with (before its own): the Runner sets them to reach the service
	// under test and to log to Logs.
	Options []durable.HandlerOption
}

// Deployment is the set of functions one requirement needs.
type Deployment struct {
	// Handler is the durable function under test.
	Handler Function
	// Targets are the durable functions it invokes (chained invoke), by the
	// function name the handler passes to invoke.
	Targets map[string]Function
}

// Factory builds a requirement's functions. It is called once per run, so
// functions may keep per-run state (for instance a counter of attempts).
type Factory func(Env) Deployment

// Registry maps requirement ids ("1-1") to their factories. It is built
// explicitly by the handlers package; nothing registers itself.
type Registry map[string]Factory

// Runner runs one requirement on the system under test. It is the seam between
// the harness and the local durable execution service.
//
// Run builds the run's functions with factory (completing env with the
// Options that reach the service), starts an execution of the Deployment's
// Handler with req.InputJSON as its input (asynchronously when req.Async),
// keeps it invoked while it is pending, answers callbacks with
// req.CallbackActions as AWS's runner does (each entry at most once, in file
// order, for the first started callback whose name matches and that no
// earlier success or failure completed; a heartbeat leaves it open), runs the Targets when the
// handler invokes them, waits for a terminal status (waits and timeouts pass
// on a virtual clock where possible) and returns what happened.
// An error means the run itself broke (the service, a timeout); it fails the
// requirement like a mismatch does.
type Runner interface {
	Run(ctx context.Context, req *spec.Requirement, factory Factory, env Env) (*Observation, error)
}

// Observation is what one run produced.
type Observation struct {
	// ExecutionARN identifies the execution, for messages.
	ExecutionARN string
	// Status is the execution's status when the run ended (SUCCEEDED, FAILED, ...).
	Status string
	// Result is the execution's result string (nil when it has none).
	Result *string
	// Error is the execution's error, when it failed.
	Error *spec.ErrorObject
	// History is every event of GetDurableExecutionHistory (all pages), in
	// order, in the plain form of match.Events.
	History []map[string]any
}
