package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambda-durable/durable"
	"github.com/lambda-durable/durable/checkpoint"
	"github.com/lambda-durable/durable/conformance/harness"
	"github.com/lambda-durable/durable/conformance/spec"
	"github.com/lambda-durable/durable/local"
	"github.com/lambda-durable/durable/local/httpapi"
	"github.com/lambda-durable/durable/logging"
)

// FunctionName is the name the requirement's handler is registered under.
const FunctionName = "conformance-handler"

var (
	// ErrStuck is returned when an execution is still running but nothing
	// can move it on: no invocation is due, no timer is set and no callback
	// action is left to send.
	ErrStuck = errors.New("the execution is still running and nothing is left to drive it (no timer, no callback action)")
	// ErrNoHandler is returned when the factory built no handler.
	ErrNoHandler = errors.New("the deployment has no handler")
)

// Local runs requirements on a fresh local service per run. The zero value is
// ready to use; it is safe for concurrent runs.
type Local struct {
	// Start is the virtual clock's start (zero: the local package's default).
	Start time.Time
}

var _ harness.Runner = Local{}

// Run implements harness.Runner: it serves a new local service over HTTP,
// builds and registers the requirement's functions, starts the execution
// and drives it to a terminal status, then reports its outcome and history.
func (l Local) Run(ctx context.Context, req *spec.Requirement, factory harness.Factory, env harness.Env) (*harness.Observation, error) {
	if factory == nil {
		return nil, ErrNoHandler
	}
	clock := local.NewVirtualClock(l.Start)
	svc := local.New(local.WithClock(clock), local.WithTimeSkipping(local.SkipNever))
	defer svc.Close()
	srv, err := httpapi.Listen("127.0.0.1:0", httpapi.NewHandler(svc))
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	client := httpapi.LambdaClient(srv.URL())

	logs := env.Logs
	if logs == nil {
		logs = io.Discard
	}
	env.Options = append([]durable.HandlerOption{
		durable.WithCheckpointClient(checkpoint.NewLambdaClient(client)),
		durable.WithLogHandler(LogHandler(logs)),
	}, env.Options...)
	dep := factory(env)
	if dep.Handler == nil {
		return nil, ErrNoHandler
	}
	started := &firstInvocation{fn: dep.Handler, arn: make(chan string, 1)}
	if err := svc.RegisterFunction(FunctionName, started, local.WithoutContextClient()); err != nil {
		return nil, fmt.Errorf("registering the handler: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(dep.Targets)) {
		if err := svc.RegisterFunction(name, dep.Targets[name], local.WithoutContextClient()); err != nil {
			return nil, fmt.Errorf("registering the invoke target %s: %w", name, err)
		}
	}

	d := &driver{req: req, svc: svc, clock: clock, client: client}
	invoked := d.start(ctx, executionName(req))
	var res *invokeResult // the Invoke call's outcome, once it returned
	select {
	case d.arn = <-started.arn:
	case r := <-invoked:
		if r.err != nil {
			return nil, fmt.Errorf("starting the execution: %w", r.err)
		}
		res = &r
		select { // the execution exists, so it is being invoked
		case d.arn = <-started.arn:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the first invocation: %w", ctx.Err())
		}
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the first invocation: %w", ctx.Err())
	}
	if err := d.drive(ctx); err != nil {
		return nil, fmt.Errorf("execution %s: %w", d.arn, err)
	}
	obs, err := d.observe(ctx)
	if err != nil {
		return nil, err
	}
	if res == nil {
		select {
		case r := <-invoked:
			res = &r
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the Invoke call to return: %w", ctx.Err())
		}
	}
	if err := res.check(obs); err != nil {
		return nil, err
	}
	return obs, nil
}

// executionName names the execution after the requirement.
func executionName(req *spec.Requirement) string {
	name := "conformance-" + req.Suite + "-" + req.ID
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

// invokeResult is the outcome of the Lambda Invoke call that started the
// execution.
type invokeResult struct {
	async bool
	out   *lambda.InvokeOutput
	err   error
}

// check compares a synchronous Invoke's answer with the execution's outcome:
// the HTTP front must answer the result of a succeeded execution, and a
// function error otherwise.
func (r invokeResult) check(obs *harness.Observation) error {
	if r.err != nil {
		return fmt.Errorf("the Invoke call failed: %w", r.err)
	}
	if r.async {
		return nil
	}
	failed := r.out.FunctionError != nil
	switch {
	case obs.Status == string(local.ExecutionSucceeded) && failed:
		return fmt.Errorf("the synchronous Invoke answered a function error (%s) for a SUCCEEDED execution", r.out.Payload)
	case obs.Status == string(local.ExecutionSucceeded) && string(r.out.Payload) != aws.ToString(obs.Result):
		return fmt.Errorf("the synchronous Invoke answered %q, the execution's result is %q", r.out.Payload, aws.ToString(obs.Result))
	case obs.Status != string(local.ExecutionSucceeded) && !failed:
		return fmt.Errorf("the synchronous Invoke answered no function error for a %s execution", obs.Status)
	}
	return nil
}

// start invokes the handler with the requirement's input, asynchronously
// (InvocationType Event) when the requirement says so, and reports the
// Invoke call's outcome on the returned channel.
func (d *driver) start(ctx context.Context, name string) <-chan invokeResult {
	in := &lambda.InvokeInput{
		FunctionName:         aws.String(FunctionName),
		DurableExecutionName: aws.String(name),
		Payload:              d.req.InputJSON,
	}
	if d.req.Async {
		in.InvocationType = types.InvocationTypeEvent
	}
	ch := make(chan invokeResult, 1)
	go func() {
		out, err := d.client.Invoke(ctx, in)
		ch <- invokeResult{async: d.req.Async, out: out, err: err}
	}()
	return ch
}

// LogHandler returns the slog handler the run's functions log through: the
// SDK's own Lambda JSON handler (logging.NewJSONHandler), as a deployed
// function writes, unchanged and at its default level.
func LogHandler(w io.Writer) slog.Handler {
	return logging.NewJSONHandler(w, nil)
}
